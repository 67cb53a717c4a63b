#include "bootstrap_stats.h"

#include <algorithm>
#include <cmath>

namespace scalelens::fit::detail {

double quantileSorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty())
        return 0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - static_cast<double>(lo);
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

void fillBootstrapStats(std::vector<double> samples, Estimate* estimate) {
    samples.erase(
        std::remove_if(samples.begin(), samples.end(), [](double v) { return !std::isfinite(v); }),
        samples.end());
    if (samples.size() < 2)
        return;
    double mean = 0;
    for (const double v : samples)
        mean += v;
    mean /= static_cast<double>(samples.size());
    double ss = 0;
    for (const double v : samples)
        ss += (v - mean) * (v - mean);
    estimate->stdError = std::sqrt(ss / static_cast<double>(samples.size() - 1));
    std::sort(samples.begin(), samples.end());
    estimate->ci95 = Interval{quantileSorted(samples, 0.025), quantileSorted(samples, 0.975)};
}

}  // namespace scalelens::fit::detail
