// Average-parameter-count law (Jin et al., ICLR 2025, "The Journey Matters: Average Parameter
// Count over Pre-training Unifies Sparse and Dense Scaling Laws", arXiv 2501.12486):
//
//   L(N̄, D) = E + A / N̄^α + B / D^β        (the Chinchilla form with N → N̄)
//
// N̄ is the average over training steps of the number of non-zero prunable (linear-layer)
// parameters; token-weighted when the batch size changes. It can come from a logged
// parameter-count trajectory or from a pruning schedule:
//
//   PruningScheduleSpec s;  // sparsellm-1b-40p: 13,050 steps, prune 2,500 -> 8,875, s = 0.4
//   s.totalSteps = 13050; s.startStep = 2500; s.endStep = 8875; s.finalSparsity = 0.4;
//   double density = averageDensity(s);        // 0.7649 (model card: 0.7651)
//   double nBar = density * 1.14e9;            // average linear parameters
//
// The fit itself (both with N̄ and with the final N, side by side) is in avgparam_fit.h.
#pragma once

#include <string>
#include <vector>

namespace scalelens::fit {

enum class PruningShape {
    // Authors' code (tjingrant/sparse-llm-code@a60f5337 MaxText/train.py): each of the n
    // events keeps the same fraction of surviving weights, p = 1 − (1 − s)^(1/n);
    // density after the k-th event (k = 1..n) = (1 − s)^(k/n).
    Geometric,
    // Zhu & Gupta 2017 (arXiv 1710.01878, Eq. 1): sparsity after k events = s·(1 − (1 − k/n)^3).
    Cubic,
    // Sparsity after k events = s·k/n.
    Linear,
};

// Dense until startStep, one pruning event every `frequency` steps from startStep to endStep
// inclusive (n = (endStep − startStep)/frequency + 1 events), sparse afterwards. A step's
// density counts every event at or before that step. Steps are 0 .. totalSteps − 1.
struct PruningScheduleSpec {
    long long totalSteps = 0;   // training steps, > 0
    long long startStep = 0;    // first pruning event, 0 <= startStep <= endStep
    long long endStep = 0;      // last pruning event (the schedule stops adding events after it)
    long long frequency = 100;  // steps between events (MaxText gmp_pruning_frequency), > 0
    double finalSparsity = 0;   // s in [0, 1): fraction of prunable weights zero at the end
    PruningShape shape = PruningShape::Geometric;

    // Names the first bad field.
    bool isValid(std::string* error) const;
};

// Number of pruning events n = (endStep − startStep)/frequency + 1.
long long pruningEventCount(const PruningScheduleSpec& spec);

// Density (non-zero fraction of prunable weights) at `step`.
double densityAtStep(const PruningScheduleSpec& spec, long long step);

// Step-average density over the whole run: N̄ / N_dense. 0 when the spec is invalid.
double averageDensity(const PruningScheduleSpec& spec);

// Continuous limit of the geometric schedule averaged over the pruning window only:
// ∫₀¹ (1 − s)^x dx = s / (−ln(1 − s)); 1 for s = 0.
double geometricWindowAverageDensity(double finalSparsity);

// A schedule given, as in Jin et al. 2025's abstract ("start at 25%, end at 75% of compute"),
// by fractions of TRAINING COMPUTE, where compute counts the current non-zero parameters: in
// steps pruning then starts before 25% and ends before 75%. Converted to steps by fixed-point
// iteration on the cumulative compute Σ density.
struct ComputeFractionSchedule {
    double pruneStart = 0.25;  // fraction of total compute at the first event, in [0, 1)
    double pruneEnd = 0.75;    // fraction of total compute at the last event, (pruneStart, 1)
    double finalSparsity = 0;  // s in [0, 1)
    PruningShape shape = PruningShape::Geometric;
    long long totalSteps = 10000;  // resolution when the real step count is unknown; > 1
    long long frequency = 1;       // steps between events; 1 = the continuous limit

    bool isValid(std::string* error) const;
};

// The step schedule whose cumulative compute reaches pruneStart / pruneEnd of the total at
// its first / last event (to within one `frequency`). Invalid input: an invalid spec
// (totalSteps = 0) and *error set.
PruningScheduleSpec scheduleFromComputeFractions(const ComputeFractionSchedule& schedule,
                                                 std::string* error = nullptr);

// Fraction of total training compute spent before `step` (Σ density over steps < step).
double computeFractionAtStep(const PruningScheduleSpec& spec, long long step);

// One logged point of a parameter-count trajectory (e.g. a "nonzero_params" metric).
struct ParamCountSample {
    double step = 0;         // training step of the log entry
    double params = 0;       // non-zero prunable parameters at that step
    double batchTokens = 0;  // batch size in tokens at that step; 0 = unknown (step average)
};

struct AverageParamResult {
    bool ok = false;
    std::string message;  // why ok is false; or which weighting was used
    double average = 0;   // N̄
    bool tokenWeighted = false;
};

// N̄ from a trajectory. Sample i's value holds from its step until the next sample; the last
// sample holds for the previous interval (uniform logging). Token-weighted (interval ×
// batchTokens) when every sample has batchTokens > 0, step-weighted when none has; a mix is an
// error. Samples need not be sorted; duplicate steps are an error.
AverageParamResult averageParamCount(std::vector<ParamCountSample> samples);

}  // namespace scalelens::fit
