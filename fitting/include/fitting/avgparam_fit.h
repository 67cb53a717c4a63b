// Fit of the average-parameter-count law (Jin et al., ICLR 2025, arXiv 2501.12486):
//   L = E + A / N̄^α + B / D^β
// with the Chinchilla engine (fitChinchilla: Huber on log-loss, LSE parameterisation,
// multi-start grid, optional bootstrap), and the same fit with each run's FINAL non-zero
// parameter count beside it. If sparse and dense runs fall on one curve with N̄ but not with
// the final N, the N̄ fit has the smaller objective / RMSE (the paper's claim).
//
//   std::vector<AvgParamRun> runs = ...;   // N̄ from averageDensity() or averageParamCount()
//   AvgParamFitResult r = fitAverageParamLaw(runs, FitOptions{});
//   if (isUsable(r.status)) compare(r.average.objective, r.final.objective);
#pragma once

#include <string>
#include <vector>

#include "fitting/chinchilla_fit.h"
#include "fitting/status.h"

namespace scalelens::fit {

struct AvgParamRun {
    std::string runId;    // carried into the engine's per-point diagnostics
    double nAverage = 0;  // N̄: step- (or token-) averaged non-zero prunable parameters, > 0
    double nFinal = 0;    // non-zero prunable parameters at the end of training, > 0
    double tokens = 0;    // D, training tokens, > 0
    double loss = 0;      // final loss, nats/token, > 0
};

// status and diagnostics are those of the N̄ fit (the law itself).
struct AvgParamFitResult : FitResultBase {
    FitResult average;  // L = E + A/N̄^α + B/D^β
    FitResult final;    // L = E + A/N_final^α + B/D^β, for comparison
    int runs = 0;
    int sparseRuns = 0;  // runs with nFinal < nAverage (pruned during training)
};

// Runs both fits with `options` (progress: N̄ fit 0-0.5, final-N fit 0.5-1). Never throws.
AvgParamFitResult fitAverageParamLaw(const std::vector<AvgParamRun>& runs,
                                     const FitOptions& options,
                                     const ProgressCallback& progress = {});

}  // namespace scalelens::fit
