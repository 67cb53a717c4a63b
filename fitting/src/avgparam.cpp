#include "fitting/avgparam.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace scalelens::fit {
namespace {

bool fail(std::string* error, const std::string& msg) {
    if (error)
        *error = msg;
    return false;
}

// Density after `k` of `n` events.
double densityAfterEvents(const PruningScheduleSpec& s, long long k, long long n) {
    if (k <= 0)
        return 1.0;
    const double x = static_cast<double>(std::min(k, n)) / static_cast<double>(n);
    switch (s.shape) {
        case PruningShape::Geometric:
            return std::pow(1.0 - s.finalSparsity, x);
        case PruningShape::Cubic:
            return 1.0 - s.finalSparsity * (1.0 - std::pow(1.0 - x, 3));
        case PruningShape::Linear:
            return 1.0 - s.finalSparsity * x;
    }
    return 1.0;
}

}  // namespace

bool PruningScheduleSpec::isValid(std::string* error) const {
    if (totalSteps <= 0)
        return fail(error, "totalSteps must be > 0");
    if (frequency <= 0)
        return fail(error, "frequency must be > 0");
    if (startStep < 0 || startStep > endStep)
        return fail(error, "startStep must be >= 0 and <= endStep");
    if (endStep >= totalSteps)
        return fail(error, "endStep must be < totalSteps");
    if (!(finalSparsity >= 0 && finalSparsity < 1))
        return fail(error, "finalSparsity must be in [0, 1)");
    return true;
}

long long pruningEventCount(const PruningScheduleSpec& spec) {
    return spec.frequency > 0 ? (spec.endStep - spec.startStep) / spec.frequency + 1 : 0;
}

double densityAtStep(const PruningScheduleSpec& spec, long long step) {
    const long long n = pruningEventCount(spec);
    if (n <= 0 || step < spec.startStep)
        return 1.0;
    const long long k = (step - spec.startStep) / spec.frequency + 1;
    return densityAfterEvents(spec, k, n);
}

double averageDensity(const PruningScheduleSpec& spec) {
    if (!spec.isValid(nullptr))
        return 0.0;
    const long long n = pruningEventCount(spec);
    // Dense steps, then the constant stretch after each event (the last one runs to the end).
    double total = static_cast<double>(spec.startStep);
    for (long long k = 1; k <= n; ++k) {
        const long long from = spec.startStep + (k - 1) * spec.frequency;
        const long long to = k < n ? from + spec.frequency : spec.totalSteps;
        total += static_cast<double>(to - from) * densityAfterEvents(spec, k, n);
    }
    return total / static_cast<double>(spec.totalSteps);
}

double geometricWindowAverageDensity(double s) {
    if (s <= 0)
        return 1.0;
    return s / -std::log1p(-s);
}

double computeFractionAtStep(const PruningScheduleSpec& spec, long long step) {
    if (!spec.isValid(nullptr))
        return 0.0;
    // Σ density over steps [0, step) using the piecewise-constant stretches.
    auto cumulative = [&](long long upTo) {
        const long long n = pruningEventCount(spec);
        double total = static_cast<double>(std::min(upTo, spec.startStep));
        for (long long k = 1; k <= n; ++k) {
            const long long from = spec.startStep + (k - 1) * spec.frequency;
            const long long to = k < n ? from + spec.frequency : spec.totalSteps;
            const long long end = std::min(to, upTo);
            if (end > from)
                total += static_cast<double>(end - from) * densityAfterEvents(spec, k, n);
        }
        return total;
    };
    return cumulative(std::clamp(step, 0LL, spec.totalSteps)) / cumulative(spec.totalSteps);
}

bool ComputeFractionSchedule::isValid(std::string* error) const {
    if (!(pruneStart >= 0 && pruneStart < 1))
        return fail(error, "pruneStart must be in [0, 1)");
    if (!(pruneEnd > pruneStart && pruneEnd < 1))
        return fail(error, "pruneEnd must be in (pruneStart, 1)");
    if (!(finalSparsity >= 0 && finalSparsity < 1))
        return fail(error, "finalSparsity must be in [0, 1)");
    if (totalSteps <= 1)
        return fail(error, "totalSteps must be > 1");
    if (frequency <= 0 || frequency >= totalSteps)
        return fail(error, "frequency must be in [1, totalSteps)");
    return true;
}

PruningScheduleSpec scheduleFromComputeFractions(const ComputeFractionSchedule& c,
                                                 std::string* error) {
    PruningScheduleSpec spec;
    if (!c.isValid(error))
        return spec;
    spec.totalSteps = c.totalSteps;
    spec.frequency = c.frequency;
    spec.finalSparsity = c.finalSparsity;
    spec.shape = c.shape;
    const double t = static_cast<double>(c.totalSteps);
    // Start from the dense guess (steps = compute fractions) and move each boundary to where
    // the current schedule's cumulative compute hits its target; pruning only shifts the
    // boundaries earlier, and the map is a contraction, so a few dozen rounds converge.
    long long start = static_cast<long long>(c.pruneStart * t);
    long long end = static_cast<long long>(c.pruneEnd * t);
    for (int iter = 0; iter < 100; ++iter) {
        spec.startStep = start;
        spec.endStep = std::max(start, std::min(end, c.totalSteps - 1));
        // Bisection for the first step whose cumulative compute fraction reaches the target.
        auto stepFor = [&](double target) {
            long long lo = 0, hi = c.totalSteps - 1;
            while (lo < hi) {
                const long long mid = (lo + hi) / 2;
                if (computeFractionAtStep(spec, mid) < target)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            return lo;
        };
        const long long newStart = stepFor(c.pruneStart);
        const long long newEnd = std::max(newStart, stepFor(c.pruneEnd));
        if (newStart == start && newEnd == end)
            break;
        start = newStart;
        end = newEnd;
    }
    spec.startStep = start;
    spec.endStep = std::max(start, std::min(end, c.totalSteps - 1));
    return spec;
}

AverageParamResult averageParamCount(std::vector<ParamCountSample> samples) {
    AverageParamResult r;
    if (samples.empty()) {
        r.message = "no samples: need at least one (step, params) entry";
        return r;
    }
    int withBatch = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const auto& s = samples[i];
        if (!std::isfinite(s.step) || !std::isfinite(s.params) || s.params < 0 ||
            !std::isfinite(s.batchTokens) || s.batchTokens < 0) {
            r.message = "sample " + std::to_string(i) +
                        ": step, params and batchTokens must be finite, params and "
                        "batchTokens >= 0";
            return r;
        }
        withBatch += s.batchTokens > 0 ? 1 : 0;
    }
    if (withBatch != 0 && withBatch != static_cast<int>(samples.size())) {
        r.message = "batchTokens given for " + std::to_string(withBatch) + " of " +
                    std::to_string(samples.size()) + " samples: give it for all or none";
        return r;
    }
    r.tokenWeighted = withBatch > 0;
    std::sort(samples.begin(), samples.end(),
              [](const ParamCountSample& a, const ParamCountSample& b) { return a.step < b.step; });
    if (samples.size() == 1) {
        r.ok = true;
        r.average = samples[0].params;
        r.message = "single sample";
        return r;
    }
    double sum = 0, weights = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double interval = i + 1 < samples.size() ? samples[i + 1].step - samples[i].step
                                                       : samples[i].step - samples[i - 1].step;
        if (interval <= 0) {
            std::ostringstream msg;
            msg << "duplicate step " << samples[i].step << " in the trajectory";
            r.message = msg.str();
            return r;
        }
        const double w = interval * (r.tokenWeighted ? samples[i].batchTokens : 1.0);
        sum += w * samples[i].params;
        weights += w;
    }
    r.ok = true;
    r.average = sum / weights;
    r.message = r.tokenWeighted ? "token-weighted average" : "step average";
    return r;
}

}  // namespace scalelens::fit
