#include "analysis/number_text.h"

#include <cmath>

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

}  // namespace scalelens::analysis
