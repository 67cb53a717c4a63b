// Tick positions and labels for PlotView axes.
//
// QLogValueAxis labels only powers of the base, so a loss axis from 2.0 to 4.0 (a typical
// scaling-law plot) gets no label at all. PlotView therefore draws log axes itself: data are
// fed to Qt Charts as log10 values on a linear axis, and these functions choose readable ticks
// in data units: 10^k every few decades on wide ranges, 1-2-5 steps on one to three decades,
// and plain 1-2-2.5-5 steps inside a single decade.
#pragma once

#include <QString>
#include <vector>

#include "widgets/plot/series_decimation.h"

namespace scalelens::ui {

struct AxisTick {
    double value = 0.0;  // in data units (not log10)
    QString label;       // e.g. "10¹⁹", "2×10²⁰", "2.5", "0.001"
};

// Ticks inside [lo, hi] (data units; > 0 for Log), about `target` of them, ascending.
std::vector<AxisTick> axisTicks(double lo, double hi, AxisScale scale, int target = 6);

// A "nice" step (1, 2, 2.5 or 5 times a power of ten) near span / target.
double niceStep(double span, int target);

// Compact label: powers of ten as 10ⁿ, large/small values as m×10ⁿ, others with %g.
QString tickLabel(double value, double step);

}  // namespace scalelens::ui
