// Tick positions and labels for PlotView axes.
//
// QLogValueAxis labels only powers of the base, so a loss axis from 2.0 to 4.0 (a typical
// scaling-law plot) gets no label at all. PlotView therefore draws log axes itself: data are
// fed to Qt Charts as log10 values on a linear axis, and these functions choose readable ticks
// in data units: a tick at every decade on wide ranges (labels on every few where space is
// short), 1-2-5 multiples on one to three decades, the mantissas 2, 3, 4 ... 9 on a range under
// a decade but wider than a factor 2.5, and evenly spaced 1-2-5 steps on narrower ranges.
#pragma once

#include <QString>
#include <vector>

#include "widgets/plot/series_decimation.h"

namespace scalelens::ui {

struct AxisTick {
    double value = 0.0;  // in data units (not log10)
    QString label;       // e.g. "10¹⁹", "2×10²⁰", "2.5", "0.001"; empty: tick without label
};

// A log axis spanning at least this ratio (hi / lo) but under a decade is ticked at the
// mantissas 2, 3, 4 ... 9 × 10ᵏ (thinned to fit) with minor ticks at the rest; a narrower one
// gets evenly spaced 1-2-5 steps, as a linear axis.
inline constexpr double kLogMantissaRatio = 2.5;

// Ticks inside [lo, hi] (data units; > 0 for Log), about `target` of them, ascending.
std::vector<AxisTick> axisTicks(double lo, double hi, AxisScale scale, int target = 6);

// Minor ticks of a log axis over [lo, hi] (> 0): 2..9 × 10ᵏ between the decades, plus every
// decade 10ᵏ itself (a major tick the label thinning may have left out), ascending. Empty for a
// range narrower than kLogMantissaRatio (its 1-2-5 ticks are dense enough) or when 9 × 10ᵏ and
// 10ᵏ⁺¹ would lie closer than `minGapPx` on an axis `lengthPx` long.
std::vector<double> minorLogTicks(double lo, double hi, double lengthPx = 1000.0,
                                  double minGapPx = 3.0);

// A "nice" step (1, 2 or 5 times a power of ten) near span / target.
double niceStep(double span, int target);

// Compact label: powers of ten as 10ⁿ, large/small values as m×10ⁿ, others with %g.
QString tickLabel(double value, double step);

}  // namespace scalelens::ui
