#include "analysis/number_text.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdio>

namespace scalelens::analysis {

QString compactNumber(double value, int digits) {
    if (!std::isfinite(value))
        return QStringLiteral("\u2013");
    const double magnitude = std::fabs(value);
    if (magnitude == 0.0 || (magnitude >= 1e-3 && magnitude < 1e4))
        return QString::number(value, 'g', digits);
    QString text = QString::number(value, 'e', digits - 1);
    const qsizetype e = text.indexOf(QLatin1Char('e'));
    QString mantissa = text.left(e);
    if (mantissa.contains(QLatin1Char('.'))) {
        while (mantissa.endsWith(QLatin1Char('0')))
            mantissa.chop(1);
        if (mantissa.endsWith(QLatin1Char('.')))
            mantissa.chop(1);
    }
    QString exponent = text.mid(e + 1);
    const bool negative = exponent.startsWith(QLatin1Char('-'));
    if (exponent.startsWith(QLatin1Char('+')) || negative)
        exponent.remove(0, 1);
    while (exponent.size() > 1 && exponent.startsWith(QLatin1Char('0')))
        exponent.remove(0, 1);
    return mantissa + QLatin1Char('e') + (negative ? QStringLiteral("-") : QString()) + exponent;
}

std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02X", u);
            out += hex;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<double> parseNumber(const std::string& text) {
    // fast_float's from_chars: locale-independent, unlike strtod/stod, and libc++ on macOS lacks
    // the double overload of std::from_chars.
    double v = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+')
        ++begin;
    const auto [ptr, ec] = fast_float::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end || !std::isfinite(v))
        return std::nullopt;
    return v;
}

}  // namespace scalelens::analysis
