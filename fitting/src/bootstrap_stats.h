// Bootstrap summaries shared by the fitters and the allocation code (internal header).
#pragma once

#include <vector>

#include "fitting/chinchilla_fit.h"

namespace scalelens::fit::detail {

// Sample SD (n - 1) and percentile 95% interval (linear interpolation between order
// statistics, numpy's default). Leaves the estimate untouched for fewer than 2 samples.
void fillBootstrapStats(std::vector<double> samples, Estimate* estimate);

// Linear-interpolated quantile of sorted data, q in [0, 1].
double quantileSorted(const std::vector<double>& sorted, double q);

}  // namespace scalelens::fit::detail
