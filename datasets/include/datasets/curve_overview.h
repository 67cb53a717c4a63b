// Curve overviews: what a plot of a long training curve can show, kept at import time so a
// training-curves plot of a 10M-row project reads a few percent of the rows (issue 14, item 7).
//
// A plot draws, for each pixel column, the first, lowest, highest and last point of the
// points falling into it (widgets/plot/series_decimation.h). An overview keeps exactly those
// four rows for each bucket of a fine partition of the curve's x (its ordering value: the
// step, else tokens, ...): buckets are cut at kOverviewBuckets equal steps of x AND at
// kOverviewBuckets equal steps of log x, so they stay narrower than a pixel column on a linear
// and on a log axis alike (on a log axis the first hundred steps are each their own bucket).
// Per bucket, the overview's lowest and highest values equal the full curve's: a plot drawn
// from it has the full curve's envelope wherever a pixel column holds whole buckets.
//
// Two kinds per curve: the raw values, and the EMA of the full curve at kOverviewEmaWeight (the
// views' default smoothing; smoothing a decimated curve would not give the smoothed curve).
//
//   std::vector<std::size_t> keep = overviewRows(x, value, kOverviewBuckets);
#pragma once

#include <cstddef>
#include <vector>

namespace scalelens::data {

// Buckets per linear and per log partition of a curve's x range.
inline constexpr int kOverviewBuckets = 2048;
// Curves with fewer rows than this are read in full: their overview would not be much smaller
// (a noisy curve keeps about 3.5 rows per bucket). Longer curves get one when it is at most a
// quarter of their rows (from about 45,000 rows for a noisy curve).
inline constexpr std::size_t kOverviewMinRows = 8 * kOverviewBuckets;
// The EMA weight of the smoothed overview: the training-curves view's default smoothing.
inline constexpr double kOverviewEmaWeight = 0.6;

// Exponential moving average with TensorBoard's debiasing, weight in [0, 1): non-finite values
// pass through and do not advance the average. The training-curves view smooths with it.
std::vector<double> emaSmooth(const std::vector<double>& values, double weight);

// Indices (ascending) of the rows an overview keeps: for each bucket of x (ascending, finite;
// x <= 0 only in linear buckets), its first, lowest, highest and last value (values finite).
std::vector<std::size_t> overviewRows(const std::vector<double>& x,
                                      const std::vector<double>& value,
                                      int buckets = kOverviewBuckets);

}  // namespace scalelens::data
