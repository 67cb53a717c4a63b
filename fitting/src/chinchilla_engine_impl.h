// Template part of chinchilla_engine.h (internal).
#pragma once

#include <algorithm>
#include <numeric>

#include "parallel.h"

namespace scalelens::fit::detail {

template <class Progress>
MultiStartOutcome multiStart(const PreparedData& d, bool huber, double delta,
                             const FitOptions& options, Progress&& progress) {
    const StartGrid& g = options.grid;
    const int total = static_cast<int>(g.size());
    const int threads = resolveThreads(options.threads, total);
    std::vector<int> points(d.size());
    std::iota(points.begin(), points.end(), 0);
    const std::vector<double>& weights = d.weight;

    // Stage 1: screen every start to the coarse tolerance.
    std::vector<StartOutcome> outcomes(total);
    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    const int stride = std::max(1, total / 100);
    parallelFor(total, threads, stop, [&](int index, int) {
        // Decode the grid index (alpha varies fastest).
        int k = index;
        Vec5 x0;
        x0[3] = g.alpha[k % g.alpha.size()];
        k /= static_cast<int>(g.alpha.size());
        x0[4] = g.beta[k % g.beta.size()];
        k /= static_cast<int>(g.beta.size());
        x0[2] = g.e[k % g.e.size()];
        k /= static_cast<int>(g.e.size());
        x0[1] = g.b[k % g.b.size()];
        k /= static_cast<int>(g.b.size());
        x0[0] = g.a[k % g.a.size()];
        outcomes[index] = solveFrom(d, points, weights, huber, delta, x0, options,
                                    options.coarseFunctionTolerance, options.maxIterationsPerStart);
        const int n = done.fetch_add(1, std::memory_order_relaxed) + 1;
        if (n % stride == 0 || n == total) {
            if (!progress(n, total))
                stop = true;
        }
    });

    MultiStartOutcome result;
    result.total = total;
    result.cancelled = stop.load();
    std::vector<int> order;
    for (int i = 0; i < total; ++i) {
        if (outcomes[i].converged)
            ++result.converged;
        if (outcomes[i].finite)
            order.push_back(i);
    }
    if (order.empty())
        return result;
    // Ties broken by start index, so the result does not depend on the thread count.
    std::stable_sort(order.begin(), order.end(),
                     [&](int l, int r) { return outcomes[l].cost < outcomes[r].cost; });
    std::vector<Vec5> candidates;
    for (const int i : order) {
        if (static_cast<int>(candidates.size()) >= options.refineCandidates)
            break;
        const Vec5& x = outcomes[i].x;
        const bool distinct = std::none_of(candidates.begin(), candidates.end(),
                                           [&](const Vec5& c) { return (c - x).norm() < 1e-3; });
        if (distinct)
            candidates.push_back(x);
    }
    result.best = outcomes[order.front()];
    if (result.cancelled)
        return result;

    // Stage 2: refine the candidates to the full tolerance.
    const int nc = static_cast<int>(candidates.size());
    std::vector<StartOutcome> refined(nc);
    std::atomic<bool> never{false};
    parallelFor(nc, resolveThreads(options.threads, nc), never, [&](int i, int) {
        refined[i] = solveFrom(d, points, weights, huber, delta, candidates[i], options,
                               options.functionTolerance, 10 * options.maxIterationsPerStart);
    });
    for (int i = 0; i < nc; ++i) {
        if (refined[i].finite && refined[i].cost <= result.best.cost)
            result.best = refined[i];
    }
    return result;
}

}  // namespace scalelens::fit::detail
