// Chinchilla Approaches 1 and 2 (Hoffmann et al. 2022 §3.1, §3.2).
//
// Approach 2 (IsoFLOP profiles): group runs by compute budget, fit a parabola of L in log N
// per budget, take its minimum N_opt(C), then fit power laws N_opt = k_N C^a and
// D_opt = k_D C^b by least squares in log-log space (CIs from the regression SE, t quantile).
//
// Approach 1 (training curves): for each FLOP value on a common log grid, take the minimum
// loss over all runs' curves (the envelope) and the run achieving it, then fit the same power
// laws on (C, N of that run, D = C/(6N)).
//
// Usage:
//   std::vector<fit::IsoFlopPoint> pts = ...;   // {N, D, C, L}
//   fit::IsoFlopResult r = fit::fitIsoFlop(pts, fit::IsoFlopOptions{});
//   // r.nOptLaw.exponent.value ~ 0.49 on Chinchilla-like data
#pragma once

#include <string>
#include <vector>

#include "fitting/result.h"

namespace scalelens::fit {

struct IsoFlopPoint {
    double N = 0;  // parameters
    double D = 0;  // tokens (D = C/(6N) when only C is known)
    double C = 0;  // training FLOPs; 0 = derive as 6 N D
    double L = 0;  // final loss
};

struct IsoFlopOptions {
    // false: group by exact compute (relative tolerance `exactTolerance`);
    // true: log-bin compute into `binsPerDecade` bins per decade.
    bool logBinning = false;
    // Relative tolerance for "same budget" when not binning (digitised data is inexact).
    double exactTolerance = 1e-6;
    // Bins per decade of compute when logBinning.
    double binsPerDecade = 4;
    // Budgets with fewer distinct model sizes are skipped (a parabola needs 3).
    int minSizesPerBudget = 3;
    bool isValid(std::string* error = nullptr) const;
};

// y = coefficient * C^exponent fitted as log y = log k + exponent log C.
struct PowerLawFit {
    // The slope in log-log space: covStdError is the OLS standard error and ci95 the two-sided
    // 95% Student-t interval (n - 2 dof); both absent with two points.
    Estimate exponent;
    double coefficient = 0;
    double r2 = 0;
    int nPoints = 0;
    double evaluate(double C) const;
};

struct IsoFlopBudget {
    double compute = 0;  // budget (geometric mean of the group's C)
    int nPoints = 0;
    double nOpt = 0;       // argmin of the parabola, parameters
    double dOpt = 0;       // C / (6 N_opt)
    double lossAtOpt = 0;  // parabola minimum
    double curvature = 0;  // second coefficient of the parabola in ln N (> 0 for a minimum)
    bool used = false;     // false when skipped (too few sizes, concave, min outside range)
    std::string note;      // why it was skipped
};

struct IsoFlopResult : FitResultBase {
    std::vector<IsoFlopBudget> budgets;
    PowerLawFit nOptLaw;  // N_opt(C)
    PowerLawFit dOptLaw;  // D_opt(C)
};

IsoFlopResult fitIsoFlop(const std::vector<IsoFlopPoint>& points, const IsoFlopOptions& options);

// One run's training curve for Approach 1.
struct TrainingCurve {
    std::string runId;
    double N = 0;               // parameters
    std::vector<double> flops;  // cumulative training FLOPs, increasing
    std::vector<double> loss;   // loss at each flops value
};

struct EnvelopeOptions {
    int gridPoints = 100;  // log-spaced FLOP values between the smallest and largest FLOPs
    bool isValid(std::string* error = nullptr) const;
};

struct EnvelopePoint {
    double compute = 0;
    double loss = 0;  // minimum over runs (curves interpolated linearly in log FLOPs)
    double N = 0;     // model size of the run on the envelope
    double D = 0;     // C / (6 N)
};

struct EnvelopeResult : FitResultBase {
    std::vector<EnvelopePoint> envelope;
    PowerLawFit nOptLaw;
    PowerLawFit dOptLaw;
};

EnvelopeResult fitEnvelope(const std::vector<TrainingCurve>& curves,
                           const EnvelopeOptions& options);

// Least squares of log y on log x; returns false when fewer than 2 distinct x.
bool fitPowerLaw(const std::vector<double>& x, const std::vector<double>& y, PowerLawFit* out);

}  // namespace scalelens::fit
