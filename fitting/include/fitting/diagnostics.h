// Why a fit may not be trusted: the one place that turns facts about a problem and its
// solution into Diagnostic entries (result.h), for every law.
//
// Each fitter fills ProblemFacts (what it knows: points, parameters and their bounds, the
// distinct values of each regressor, convergence, conditioning, bootstrap) and calls
// diagnose() then applyDiagnostics(). A result whose worst diagnostic is Unreliable gets
// FitStatus::Unreliable; its numbers stay for inspection.
//
// Codes (stable; JSON "code"):
//   param_at_bound     a parameter at, beyond, or within a hair of a bound        unreliable
//   nonfinite_derived  a derived quantity (a, b, G, N_opt, ...) is NaN or inf     unreliable
//   few_points         n < k + 3, fewer than 3 residual degrees of freedom (unreliable), or
//                      n < 2k (warning); laws whose regressor count already decides it
//                      (IsoFLOP budgets, trend dates) check distinct regressor values only
//   few_distinct       fewer distinct values of a regressor than the law needs   unreliable
//   ill_conditioned    condition number of the scaled Gauss-Newton Hessian: above the covariance
//                      limit (info: covariance SEs are flagged), above 1e6 (warning), above
//                      1e10 or singular (unreliable); names the poorly identified directions
//   bootstrap_failed   share of resamples whose refit failed: > 0 (info), > 10% (warning),
//                      > 50% (unreliable)
//   bootstrap_degenerate  a parameter's bootstrap CI has zero width (stuck at a bound) warning
//   bootstrap_exploding   a positive parameter's CI spans more than two orders of magnitude
//                      (upper/lower > 100) or reaches its bound of 0                 warning
//   not_converged      the optimiser stopped at its iteration limit              unreliable
//   single_run_groups  LR x batch: (N, D) groups of one run enter the law with the LR and
//                      batch they used, not a swept optimum (fitLrBsSweep)          warning
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "fitting/result.h"

namespace scalelens::fit {

struct ParamCheck {
    std::string name;          // as reported, e.g. "E", "alpha"
    double value = 0;          // fitted (natural) value
    double lower = -HUGE_VAL;  // bound (inclusive); -inf when none
    double upper = HUGE_VAL;
    // Distance from a bound that counts as "at the bound", in the parameter's units: for a
    // term coefficient, the value below which the term is negligible against the data.
    double hair = 1e-6;
};

struct RegressorCheck {
    std::string name;  // "N", "D", "C", "P", ...
    int distinct = 0;  // distinct values among the fitted points
    int required = 3;  // fewer makes the law's form unidentifiable (unreliable)
};

struct ProblemFacts {
    int nPoints = 0;
    int nParams = 0;
    std::vector<RegressorCheck> regressors;
    std::vector<ParamCheck> params;
    // Derived quantities that must be finite (name, value).
    std::vector<std::pair<std::string, double>> derived;
    bool converged = true;  // false: the optimiser stopped at its iteration limit
    // Condition number of the scaled Gauss-Newton Hessian; 0 = not computed.
    double conditionNumber = 0;
    double conditionLimit = 1e3;  // above it the covariance SEs are flagged
    // Human-readable parameter combinations the data do not determine (eigenvectors of the
    // smallest eigenvalues), e.g. "0.71 log A - 0.70 log B".
    std::vector<std::string> weakDirections;
    int bootstrapRequested = 0;  // 0 = no bootstrap
    int bootstrapUsed = 0;
    // Estimates with bootstrap intervals, checked for degenerate and exploding spread, with
    // the lower bound of each (0 for positive parameters, -inf when unbounded).
    std::vector<std::pair<Estimate, double>> bootstrapped;
};

std::vector<Diagnostic> diagnose(const ProblemFacts& facts);

// True when diagnose() would report `check` at (or beyond) one of its bounds.
bool atBound(const ParamCheck& check);

// Appends `found` to result->diagnostics and sets status Unreliable when the worst severity is
// Unreliable and the fit had produced numbers (Converged or NoConvergence). Failed, Cancelled and
// NotRun are left as they are.
void applyDiagnostics(std::vector<Diagnostic> found, FitResultBase* result);

// Number of distinct values in `values`.
int countDistinct(std::vector<double> values);

}  // namespace scalelens::fit
