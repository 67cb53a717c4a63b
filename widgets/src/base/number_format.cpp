#include "widgets/base/number_format.h"

#include <analysis/number_text.h>
#include <fast_float/fast_float.h>
#include <charconv>
#include <cmath>
#include <string>

namespace scalelens::ui {

namespace {
const QString kDash = QStringLiteral("\u2013");

QString withUnit(const QString& number, const QString& unit) {
    return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

QString compactG(double value, int digits) {
    return analysis::compactNumber(value, digits);
}

double roundToDigits(double magnitude, int digits) {
    if (magnitude <= 0.0)
        return magnitude;
    const double scale = std::pow(10.0, std::floor(std::log10(magnitude)) - (digits - 1));
    return std::round(magnitude / scale) * scale;
}
}  // namespace

std::optional<double> parseNumber(const QString& text) {
    const std::string s = text.trimmed().toStdString();
    if (s.empty())
        return std::nullopt;
    const char* begin = s.data();
    const char* end = s.data() + s.size();
    if (*begin == '+')
        ++begin;
    double value = 0.0;
    // from_chars is locale independent by definition, unlike strtod and QString::toDouble's
    // QLocale-based variants; fast_float's, because libc++ on macOS lacks the double overload.
    const auto [ptr, ec] = fast_float::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        return std::nullopt;
    return value;
}

QString formatCount(double value, const QString& unit) {
    if (!std::isfinite(value))
        return kDash;
    const double magnitude = std::fabs(value);
    struct Suffix {
        double scale;
        const char* name;
    };
    static const Suffix kSuffixes[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
    if (magnitude >= 1e15)
        return withUnit(compactG(value, 3), unit);
    for (const Suffix& s : kSuffixes) {
        // Compare the value rounded to 3 digits, so 999.96e6 prints as "1 B", not "1e3 M".
        if (roundToDigits(magnitude, 3) >= s.scale) {
            // Always three significant digits, trailing zeros kept ("5.00 M", not "5 M"), so a
            // column of results shows the precision it was computed with.
            const double scaled = roundToDigits(std::fabs(value / s.scale), 3);
            const int decimals = scaled >= 100.0 ? 0 : (scaled >= 10.0 ? 1 : 2);
            return withUnit(QString::number(value / s.scale, 'f', decimals) + QLatin1Char(' ') +
                                QLatin1String(s.name),
                            unit);
        }
    }
    return withUnit(compactG(value, 3), unit);
}

QString formatScientific(double value, const QString& unit, int digits) {
    if (!std::isfinite(value))
        return kDash;
    const double magnitude = std::fabs(value);
    if (magnitude == 0.0 || (magnitude >= 1e-3 && magnitude < 1e4))
        return withUnit(QString::number(value, 'g', digits), unit);
    return withUnit(compactG(value, digits), unit);
}

QString formatPlain(double value, int digits) {
    if (!std::isfinite(value))
        return kDash;
    return compactG(value, digits);
}

}  // namespace scalelens::ui
