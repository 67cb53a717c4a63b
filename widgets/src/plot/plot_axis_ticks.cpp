#include "widgets/plot/plot_axis_ticks.h"

#include <cmath>

namespace scalelens::ui {

namespace {

QString superscript(int n) {
    static const char16_t kDigits[] = {u'⁰', u'¹', u'²', u'³', u'⁴', u'⁵', u'⁶', u'⁷', u'⁸', u'⁹'};
    QString out;
    if (n < 0)
        out += QChar(u'⁻');
    const QString digits = QString::number(std::abs(n));
    for (QChar c : digits)
        out += QChar(kDigits[c.digitValue()]);
    return out;
}

}  // namespace

double niceStep(double span, int target) {
    if (!(span > 0.0) || target < 1)
        return 1.0;
    const double raw = span / target;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / mag;
    // 1-2-5 only, switching at the geometric means (sqrt 2, sqrt 10, sqrt 50): 2.5 steps give
    // tick runs such as 7.5, 10, 12.5 that read as irregular.
    const double nice = f < 1.414 ? 1.0 : f < 3.162 ? 2.0 : f < 7.071 ? 5.0 : 10.0;
    return nice * mag;
}

QString tickLabel(double value, double step) {
    if (value == 0.0)
        return QStringLiteral("0");
    const double a = std::abs(value);
    const int e = static_cast<int>(std::floor(std::log10(a) + 1e-9));
    if (e >= 5 || e <= -4) {
        const double m = value / std::pow(10.0, e);
        const double mr = std::round(m * 1000.0) / 1000.0;
        if (std::abs(mr - 1.0) < 1e-9)
            return QStringLiteral("10") + superscript(e);
        if (std::abs(mr + 1.0) < 1e-9)
            return QStringLiteral("−10") + superscript(e);
        return QString::number(mr, 'g', 4) + QStringLiteral("×10") + superscript(e);
    }
    // Enough decimals to tell neighbouring ticks apart.
    const int decimals =
        step > 0 ? std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9))) + 1 : 3;
    QString s = QString::number(value, 'f', std::min(decimals, 8));
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s;
}

std::vector<AxisTick> axisTicks(double lo, double hi, AxisScale scale, int target) {
    std::vector<AxisTick> ticks;
    if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi))
        return ticks;
    auto linear = [&](double a, double b) {
        const double step = niceStep(b - a, target);
        const double first = std::ceil(a / step - 1e-9) * step;
        for (double v = first; v <= b + step * 1e-9; v += step) {
            const double clean = std::abs(v) < step * 1e-9 ? 0.0 : v;
            ticks.push_back({clean, tickLabel(clean, step)});
            if (ticks.size() > 100)
                break;
        }
    };
    if (scale == AxisScale::Linear) {
        linear(lo, hi);
        return ticks;
    }
    if (lo <= 0.0)
        return ticks;
    const double t0 = std::log10(lo), t1 = std::log10(hi);
    const double decades = t1 - t0;
    if (decades < 1.0) {
        // Under a factor 2.5 a log axis is nearly linear: evenly spaced 1-2-5 steps read best
        // (9.5, 10, 10.5 ... rather than 9.5, 10.5, 11.5, 13). Wider, linear steps leave the
        // compressed top crowded and the stretched bottom bare (a 2.3 .. 13 loss axis labelled
        // 4, 6, 8, 10, 12 shows nothing below 4): label the mantissas 2, 3, 4, 5 ... 9 × 10ᵏ
        // instead, thinned to about `target`.
        const std::vector<std::vector<double>> sets = {{1, 2, 3, 4, 5, 6, 7, 8, 9},
                                                       {1, 2, 3, 4, 5, 6, 8},
                                                       {1, 2, 3, 5, 7},
                                                       {1, 2, 5},
                                                       {1, 3},
                                                       {1}};
        auto multiples = [&](const std::vector<double>& mult) {
            std::vector<AxisTick> out;
            for (int k = static_cast<int>(std::floor(t0)); k <= static_cast<int>(std::ceil(t1));
                 ++k) {
                for (double m : mult) {
                    const double v = m * std::pow(10.0, k);
                    if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12))
                        out.push_back({v, tickLabel(v, v)});
                }
            }
            return out;
        };
        if (hi / lo < kLogMantissaRatio || multiples(sets.front()).size() < 4) {
            linear(lo, hi);
            return ticks;
        }
        for (const auto& mult : sets) {
            ticks = multiples(mult);
            if (static_cast<int>(ticks.size()) <= target + 2 || ticks.size() <= 2)
                break;
        }
        return ticks;
    }
    if (decades <= 3.0) {
        // 1-2-5 when there is room, else 1-3, else powers of ten only.
        const std::vector<double> mult = decades * 3 <= target + 2   ? std::vector<double>{1, 2, 5}
                                         : decades * 2 <= target + 1 ? std::vector<double>{1, 3}
                                                                     : std::vector<double>{1};
        for (int k = static_cast<int>(std::floor(t0)); k <= static_cast<int>(std::ceil(t1)); ++k) {
            for (double m : mult) {
                const double v = m * std::pow(10.0, k);
                if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12))
                    ticks.push_back({v, tickLabel(v, v)});
            }
        }
        return ticks;
    }
    // A tick (and grid line) at every decade; labels on every `every`-th where space is short,
    // counted from the decades inside the range (3.3 decades hold three or four of them: all
    // get labels at a target of 3, not just the one divisible by two).
    const int k0 = static_cast<int>(std::ceil(t0 - 1e-9));
    const int k1 = static_cast<int>(std::floor(t1 + 1e-9));
    const int every = std::max(1, (k1 - k0 + target - 1) / std::max(1, target));
    for (int k = k0; k <= k1; ++k) {
        const double v = std::pow(10.0, k);
        ticks.push_back({v, k % every == 0 ? tickLabel(v, v) : QString()});
    }
    return ticks;
}

std::vector<double> minorLogTicks(double lo, double hi, double lengthPx, double minGapPx) {
    std::vector<double> out;
    if (!(lo > 0.0) || !(lo < hi) || !std::isfinite(hi))
        return out;
    const double t0 = std::log10(lo), t1 = std::log10(hi);
    if (hi / lo < kLogMantissaRatio)
        return out;
    const double pxPerDecade = lengthPx / (t1 - t0);
    if (pxPerDecade * (1.0 - std::log10(9.0)) < minGapPx)
        return out;
    for (int k = static_cast<int>(std::floor(t0)); k <= static_cast<int>(std::ceil(t1)); ++k) {
        for (int m = 1; m <= 9; ++m) {
            const double v = m * std::pow(10.0, k);
            if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12))
                out.push_back(v);
        }
    }
    return out;
}

}  // namespace scalelens::ui
