// Fit your own optimal-LR / optimal-batch law to an LR × batch sweep, following the Step Law
// procedure (Li et al. 2025, arXiv 2503.04715; code step-law/steplaw@32a8f4cc
// code/fit_tool.py, code/log_analysis.py):
//
//   1. smoothed final loss per run (gaussian_filter1d, see smoothedFinalLoss());
//   2. per (N, D) group keep runs with |L/L_min − 1| < 0.25 %;
//   3. OLS  ln lr ~ ln N + ln D  and  ln bs_tokens ~ ln D  on the kept runs;
//   4. optionally bootstrap (resample kept rows with replacement, rows stay together) and take
//      the mean of intercepts and slopes, with percentile CIs.
//
// Per group the optimum is also located by a quadratic fit of loss in (ln lr, ln batch).
//
//   std::vector<LrBsRun> runs = ...;   // n, d, lr, batchTokens, loss
//   LrBsFitOptions opt;                 // defaults: 0.25 %, no bootstrap
//   LrBsFitResult r = fitLrBsSweep(runs, opt);
//   if (isUsable(r.status)) lr = r.lr.predict(n, d);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fitting/result.h"

namespace scalelens::fit {

// One training run of the sweep.
struct LrBsRun {
    double n = 0;            // non-embedding parameters
    double d = 0;            // training tokens
    double lr = 0;           // peak learning rate
    double batchTokens = 0;  // batch size in tokens (sequences × seq_len)
    double loss = 0;         // smoothed final training loss (nats/token)
};

// Smoothed final loss as in Step Law's log_analysis.py: scipy gaussian_filter1d (mode
// "reflect", truncate 4) with sigma = min(100, 0.01·n)/logInterval log entries, read at the
// last entry. Returns 0 for an empty series; sigma 0 returns the last value.
double smoothedFinalLoss(const std::vector<double>& losses, double logInterval = 1.0);

struct LrBsFitOptions {
    // Keep runs whose loss is within this relative distance of their group's best
    // (Step Law query_optimal_lr_bs_data: 0.0025). Must be >= 0.
    double nearOptimalTolerance = 0.0025;
    // Use only the best run of each group (the "argmin" variant); ignores the tolerance.
    bool argminOnly = false;
    // Bootstrap resamples of the kept rows; 0 = a single OLS fit (no CIs). Step Law: 1000.
    int bootstrapSamples = 0;
    // Seed of the bootstrap generator, so results are reproducible.
    std::uint64_t seed = 20250305;
    // Two-sided confidence level of the percentile CIs, in (0, 1).
    double confidenceLevel = 0.95;
    // Per-group quadratic optimum: use runs within this relative distance of the group's best
    // loss. The landscape is only near-quadratic close to the optimum and is asymmetric in
    // ln lr: on the Step Law dense CSV the quadratic minimiser sits on average 0.07 (window
    // 0.005), 0.23 (0.01) and 0.41 (0.02) below the argmin in ln lr. Must be > 0.
    double quadraticWindow = 0.005;

    bool isValid(std::string* error) const;
};

// ln y = intercept + coefN·ln N + coefD·ln D (coefN unused for the batch law).
struct LogLinearLaw {
    // Each coefficient is the OLS value, or the bootstrap mean when bootstrapped; stdError and
    // ci95 (percentile, at LrBsFitOptions::confidenceLevel) are set only when bootstrapped.
    Estimate intercept;  // natural log of the constant
    Estimate coefN;
    Estimate coefD;
    double r2 = 0;  // of the single OLS fit in log space
    double predict(double n, double d) const;
};

// Optimum of one (N, D) group.
struct LrBsGroupOptimum {
    double n = 0;
    double d = 0;
    int runs = 0;       // runs in the group
    int kept = 0;       // runs passing the near-optimal filter
    double bestLr = 0;  // argmin run
    double bestBatchTokens = 0;
    double bestLoss = 0;
    bool quadraticOk = false;  // quadratic surface fitted with a minimum inside the data
    double quadLr = 0;         // minimiser of the quadratic (valid when quadraticOk)
    double quadBatchTokens = 0;
    double quadLoss = 0;
    std::string quadraticMessage;  // why quadraticOk is false
};

struct LrBsFitResult : FitResultBase {
    LogLinearLaw lr;     // ln lr ~ ln N + ln D
    LogLinearLaw batch;  // ln bs_tokens ~ ln D (coefN = 0)
    int runsUsed = 0;    // rows entering the regression
    int bootstrapSamples = 0;
    std::vector<LrBsGroupOptimum> groups;
};

LrBsFitResult fitLrBsSweep(const std::vector<LrBsRun>& runs, const LrBsFitOptions& options,
                           const ProgressCallback& progress = {});

}  // namespace scalelens::fit
