// WCAG 2.x relative luminance and contrast ratio, for the tests that check plot colours against
// their background. Written from the WCAG definition, independent of the code under test.
#pragma once

#include <QColor>
#include <algorithm>
#include <cmath>

namespace scalelens::testing {

inline double wcagLuminance(const QColor& color) {
    const QColor c = color.toRgb();
    double out = 0.0;
    const double weights[3] = {0.2126, 0.7152, 0.0722};
    const int channels[3] = {c.red(), c.green(), c.blue()};
    for (int i = 0; i < 3; ++i) {
        const double s = channels[i] / 255.0;
        out += weights[i] * (s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4));
    }
    return out;
}

// (L_lighter + 0.05) / (L_darker + 0.05): 1 for equal colours, 21 for black on white.
inline double wcagContrast(const QColor& a, const QColor& b) {
    const double la = wcagLuminance(a), lb = wcagLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace scalelens::testing
