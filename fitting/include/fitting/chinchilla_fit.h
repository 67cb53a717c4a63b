// Fitting L = E + A/x1^alpha + B/x2^beta (Chinchilla Approach 3, Hoffmann et al. 2022 §3.3
// and App. D.2; Besiroglu et al. 2024) and Kaplan et al. 2020's L(N, D), with multi-start,
// bootstrap uncertainty and diagnostics.
//
// The engine takes generic (x1, x2, L) observations: x1 = N (parameters) and x2 = D (tokens)
// for Chinchilla; the efficiency-law helpers pass N-bar (average parameters) as x1.
//
// Usage:
//   std::vector<fit::Observation> obs = ...;          // {x1 = N, x2 = D, loss}
//   fit::FitOptions opt;                               // published procedure by default
//   opt.runBootstrap = true;                           // 4,000 resamples
//   fit::FitResult r = fit::fitChinchilla(obs, opt, [](double f) { return true; });
//   if (fit::isUsable(r.status)) { double A = r.value("A"); ... }
//
// Objective (Hoffmann et al. 2022, Eq. 3 / App. D.2; Besiroglu et al. 2024 §2):
//   min over (a, b, e, alpha, beta) of  sum_i w_i Huber_delta( LSE(a - alpha log N_i,
//   b - beta log D_i, e) - log L_i ),  delta = 1e-3, a SUM (not a mean),
// with Huber_delta(r) = r^2/2 for |r| <= delta, delta(|r| - delta/2) otherwise (the same
// convention as ceres::HuberLoss and the Epoch notebook).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitting/law.h"
#include "fitting/result.h"
#include "fitting/status.h"

namespace scalelens::fit {

// One training run's final loss.
struct Observation {
    double x1 = 0;      // N: parameters (or N-bar for the average-parameter law)
    double x2 = 0;      // D: training tokens
    double loss = 0;    // final loss, nats/token, > 0
    double weight = 1;  // multiplies the point's term in the objective; > 0
    std::string runId;  // optional, carried into per-point diagnostics
};

enum class LossKind {
    Huber,  // sum of Huber_delta(log-residual): the published Approach 3 objective
    Ols,    // ordinary least squares on log-loss: sum r_i^2 / 2
    Mle,    // Huber-shaped likelihood with a free scale sigma (Besiroglu et al. 2024):
            // NLL = sum Huber_delta(r_i/sigma) + n log sigma + n log Z(delta)
};

std::string_view toString(LossKind kind);
std::optional<LossKind> lossKindFromString(std::string_view text);

// How dense a multi-start grid to use, relative to the published one.
enum class GridDensity {
    Published,  // alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}
    Coarse,     // every other value of the published grid: faster, for exploring
    Fine,       // half the published step of e, alpha and beta: for hard data
};

// Start values for the multi-start, in the fitted (log) parameterisation.
struct StartGrid {
    std::vector<double> a;      // log A
    std::vector<double> b;      // log B
    std::vector<double> e;      // log E
    std::vector<double> alpha;  // alpha
    std::vector<double> beta;   // beta

    std::size_t size() const { return a.size() * b.size() * e.size() * alpha.size() * beta.size(); }
    // The published 4,500-point grid (Hoffmann et al. 2022 App. D.2, as implemented by
    // Besiroglu et al. 2024): alpha, beta in {0, 0.5, ..., 2}; e in {-1, -0.5, ..., 1};
    // a, b in {0, 5, ..., 25}.
    static StartGrid published();
    // The published grid thinned or refined (GridDensity::Published gives published()).
    static StartGrid withDensity(GridDensity density);
    // A single start.
    static StartGrid single(const ChinchillaParams& p);
};

// Where each bootstrap refit starts.
enum class BootstrapStart {
    FullDataOptimum,  // the full-data fit's optimum (default; fast and stable)
    Given,            // FitOptions::bootstrapStartValues (e.g. Hoffmann's published values)
};

struct FitOptions {
    // Objective. Huber is the published procedure; Ols and Mle are alternatives.
    LossKind loss = LossKind::Huber;
    // Huber threshold on the log-loss residual (Hoffmann et al. 2022 use 1e-3). For Mle it is
    // the threshold on the standardised residual r/sigma, as in Besiroglu et al. 2024.
    double huberDelta = 1e-3;
    // Multi-start grid (Chinchilla law only; Kaplan uses its own small grid).
    StartGrid grid = StartGrid::published();
    // The multi-start runs in two stages. Stage 1: every grid start runs Levenberg-Marquardt
    // until an accepted step lowers the objective by less than coarseFunctionTolerance
    // (relative) or for maxIterationsPerStart iterations; a start that stops on a tolerance
    // counts as converged. Stage 2: the refineCandidates best distinct stage-1 end points are
    // refined to functionTolerance / parameterTolerance, and the best is polished with Ceres.
    // Screening then refining finds the same minimum as refining all 4,500 starts, at a
    // fraction of the cost (the published grid sends most starts into the same valley).
    double coarseFunctionTolerance = 1e-3;
    // Number of stage-1 end points refined in stage 2 (distinct: |dx| > 1e-3 apart).
    int refineCandidates = 8;
    // Levenberg-Marquardt iterations per start (stage 1 and bootstrap refits). Starts that hit
    // the limit count as not converged but still compete for the best objective.
    int maxIterationsPerStart = 100;
    // Stage 2 and bootstrap refits stop (converged) when an accepted step lowers the
    // objective by less than this fraction of it.
    double functionTolerance = 1e-10;
    // Stage 2 and bootstrap refits stop (converged) when |dx| < parameterTolerance (|x| +
    // parameterTolerance).
    double parameterTolerance = 1e-10;
    // Polish the best start with ceres::Solver (full problem, HuberLoss, tight tolerances),
    // so the objective reaches the true minimum of the flat (A, B) valley.
    bool polish = true;
    // Covariance-based standard errors are reported only when the condition number of the
    // Gauss-Newton Hessian is below this; otherwise the result is flagged as ill-conditioned.
    // The Hessian is taken in log space with log N and log D centred and scaled to unit
    // diagonal, so only genuine flatness counts. A heuristic: the Epoch/Chinchilla Huber fit
    // (very flat along A and B) gives 1.6e3 and is flagged; an OLS fit to a 9 x 9 synthetic
    // (N, D) grid gives 5.8e2 and is not.
    double covarianceConditionLimit = 1e3;
    // Worker threads for starts and bootstrap; 0 = std::thread::hardware_concurrency().
    int threads = 0;

    // Bootstrap over points (Besiroglu et al. 2024 §3): only when runBootstrap is true.
    bool runBootstrap = false;
    // Number of resamples (4,000 as published).
    int bootstrapResamples = 4000;
    // Seed; resample k uses std::mt19937_64(seed + k) so results don't depend on threads.
    std::uint64_t seed = 42;
    // Start of every bootstrap refit.
    BootstrapStart bootstrapStart = BootstrapStart::FullDataOptimum;
    // Used when bootstrapStart == Given.
    ChinchillaParams bootstrapStartValues = ChinchillaParams::hoffmann2022();
    // Compute budgets (FLOPs) at which N_opt, D_opt, D/N and the loss get CIs.
    std::vector<double> allocationBudgets = {1e21, 5.76e23};

    // Names the first bad field (e.g. "huberDelta must be > 0").
    bool isValid(std::string* error = nullptr) const;
};

// Goodness of fit. Log space uses r_i = log L-hat_i - log L_i; linear space L-hat_i - L_i.
struct GoodnessOfFit {
    int nPoints = 0;
    int nParams = 0;
    double rmseLog = 0;     // sqrt(mean r_i^2) in log space
    double r2Log = 0;       // 1 - SS_res / SS_tot of log L
    double rmseLinear = 0;  // sqrt(mean (L-hat - L)^2), nats
    double r2Linear = 0;    // 1 - SS_res / SS_tot of L
    // Gaussian log-likelihood of the log residuals with the ML variance s^2 = SS_res/n:
    //   logLik = -n/2 (log(2 pi s^2) + 1); AIC = 2k - 2 logLik; BIC = k log n - 2 logLik.
    double aic = 0;
    double bic = 0;
    std::vector<double> residualsLog;  // per point, input order
};

// status, message, diagnostics (see diagnostics.h) and seconds come from FitResultBase.
struct FitResult : FitResultBase {
    LawId law = LawId::Chinchilla;
    LossKind loss = LossKind::Huber;
    // Natural parameters: E, A, B, alpha, beta (Chinchilla) or Nc, Dc, alphaN, alphaD (Kaplan).
    std::vector<Estimate> params;
    // Derived: a, b, G and, per allocation budget C, N_opt@C, D_opt@C, tokens_per_param@C,
    // loss_opt@C (Chinchilla only).
    std::vector<Estimate> derived;
    double objective = -1;    // final objective (Huber sum, OLS half-sum, or MLE NLL)
    double sigma = 0;         // Mle only: fitted residual scale
    int iterations = 0;       // LM iterations of the best start + polish iterations
    int startsConverged = 0;  // starts that met a tolerance
    int startsTotal = 0;
    double bootstrapSeconds = 0;  // wall time of the bootstrap alone
    int bootstrapResamples = 0;   // resamples actually used (failed refits are dropped)
    // Covariance at the optimum: false when Ceres reports rank deficiency or the condition
    // number of the (log-space) Gauss-Newton Hessian exceeds options.covarianceConditionLimit;
    // then covStdError is left empty. Not computed for the MLE. The covariance treats the
    // robustified residuals as least squares: s^2 (J~^T J~)^-1, s^2 = 2 objective / (n - 5).
    bool covarianceWellConditioned = false;
    double hessianConditionNumber = 0;
    GoodnessOfFit goodness;
    // Natural parameters of each bootstrap refit, in params order.
    std::vector<std::vector<double>> bootstrapSamples;

    const Estimate* find(std::string_view name) const;
    double value(std::string_view name) const;  // 0 when absent
    ChinchillaParams chinchilla() const;        // from params (Chinchilla law)
};

// Fits the Chinchilla form to (x1, x2, L). Never throws; bad input gives FitStatus::Failed
// with a message naming the problem. `progress` receives [0, 1] over starts + bootstrap.
FitResult fitChinchilla(const std::vector<Observation>& data, const FitOptions& options,
                        const ProgressCallback& progress = {});

// Fits Kaplan et al. 2020's L(N, D) in log space (Huber or OLS on log-loss), multi-start over
// a small built-in grid; bootstrap as for Chinchilla.
FitResult fitKaplan(const std::vector<Observation>& data, const FitOptions& options,
                    const ProgressCallback& progress = {});

// The Huber/OLS objective of given natural parameters on the data, as minimised above.
double chinchillaObjective(const std::vector<Observation>& data, const ChinchillaParams& p,
                           LossKind loss = LossKind::Huber, double delta = 1e-3);

// Diagnostics for any predictor of L given (x1, x2); k = number of fitted parameters.
GoodnessOfFit computeGoodness(const std::vector<Observation>& data,
                              const std::vector<double>& predictedLoss, int k);

// Back-test: fit on the points whose cutoff variable is below `cutoff`, predict the others.
enum class CutoffVariable {
    Compute,  // 6 x1 x2
    Params,   // x1
};

struct BacktestResult : FitResultBase {
    int nTrain = 0;
    int nTest = 0;
    FitResult trainFit;                  // the fit on the training points
    std::vector<double> relativeErrors;  // (L-hat - L)/L per test point, input order
    double meanAbsRelativeError = 0;     // mean |relative error| on test points
    double maxAbsRelativeError = 0;
    double rmseLogTest = 0;  // RMSE of log residuals on test points
};

BacktestResult backtestChinchilla(const std::vector<Observation>& data, CutoffVariable variable,
                                  double cutoff, const FitOptions& options,
                                  const ProgressCallback& progress = {});

}  // namespace scalelens::fit
