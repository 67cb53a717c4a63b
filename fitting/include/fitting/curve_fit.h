// Fitting the loss-curve laws (curve_law.h) to one or several loss curves jointly (same model
// and set-up, different LR schedules), with the published objective, a multi-start, bounds and
// a block bootstrap for prediction bands.
//
// Objective (official MPL code, src/models.py; laws.md G.1 and G.2):
//   min sum over curves c, points i of  w_ci Huber_delta( log L_ci - log max(L^_c(s_i), 1e-10) ),
//   delta = 1e-3, a SUM over every point of every fitted curve,
// with Huber_delta(r) = r^2/2 for |r| <= delta, delta(|r| - delta/2) otherwise (ceres::HuberLoss).
//
// Usage:
//   std::vector<LossCurve> curves = ...;   // steps, loss, per-step LR (Schedule::materialise)
//   CurveFitOptions opt;                   // published objective, multi-start, no bootstrap
//   CurveFitResult r = fitCurveLaw(CurveLawId::MultiPower, curves, opt);
//   if (isUsable(r.status)) { MplParams p = r.mpl(); ... predictMpl(p, lr, steps); }
//
// Multi-start. MPL, as the official code (src/fitting.py): stage 1 fits the 4-parameter
// surrogate L0 + A S1^-alpha - B (peak - lr) from a 135-point grid built from the data (L0
// around the smallest loss, A and alpha from a log-log regression, B in {100, 550, 1000});
// stage 2 fits all seven parameters from the best surrogate with each (C, beta, gamma) start
// of CurveFitOptions::mplStarts (the official code uses (1, 0.5, 0.5) and AdamW; we use
// Levenberg-Marquardt on the same objective). LR-annealing: a 54-point grid of starts.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fitting/chinchilla_fit.h"
#include "fitting/curve_law.h"
#include "fitting/result.h"
#include "fitting/status.h"

namespace scalelens::fit {

// One loss curve: the logged (step, loss) points and the LR at every step of its schedule.
struct LossCurve {
    std::string name;          // optional, carried into per-curve results and messages
    std::vector<long> steps;   // strictly increasing, >= 1, each < lr.size()
    std::vector<double> loss;  // same length as steps, finite, > 0
    std::vector<double> lr;    // lr[s] for s = 0 .. T-1 (ScheduleDefinition::materialise or
                               // Schedule::materialise), finite, >= 0
    double weight = 1;         // multiplies every point's term; > 0
};

enum class MplStage2 {
    AdamW,               // official: AdamW from the surrogate, early stopping (src/fitting.py)
    LevenbergMarquardt,  // ceres LM with bounds to the minimum of the objective
};

// The official stage-2 AdamW (torch.optim.AdamW defaults; src/config.py FIT_* values). Each
// step takes the gradient of the full objective at the current parameters, then an AdamW
// update (decoupled weight decay p *= 1 - lr wd); the parameters after a step whose objective
// (before the step) was the best so far are kept. Stops after maxSteps, after `patience`
// steps without improvement, or when the gradient norm is below gradNormThreshold.
struct AdamWSettings {
    double lrScale = 5e-2;     // step size for L0, A, B, C (FIT_LR1)
    double lrExponent = 5e-3;  // step size for alpha, beta, gamma (FIT_LR2)
    int maxSteps = 200;        // FIT_MAX_STEPS
    int patience = 20;         // FIT_PATIENCE
    double gradNormThreshold = 1e-5;
    double weightDecay = 1e-2;  // torch.optim.AdamW default
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

// What the bootstrap resamples (Davison & Hinkley 1997, §8.2 for dependent data).
enum class BootstrapKind {
    // Moving blocks of points (Kunsch 1989) reweight the objective: the resample sees some
    // stretches of the curve twice and others not at all.
    Points,
    // Moving blocks of the centred log-residuals are added to the fitted curve at every logged
    // step and the law is refitted: each resample is a curve with the same steps and the same
    // kind of correlated wiggles, so a wiggle near the end of the logged part (the one that
    // matters most for an extrapolation) moves the refit as it would a real run.
    Residuals,
};

struct CurveFitOptions {
    // Huber threshold on the log-loss residual (official code: 1e-3).
    double huberDelta = 1e-3;
    // MPL only: merge far-away LR changes while fitting (buildMplTerms). The law is the same;
    // each merged term carries a relative error of about tolerance^2 / 10, which at 0.05 moves
    // L^ by < 1e-5 on the authors' curves, far below their noise (~3e-3), and makes a fit
    // about 30 times faster. 0 = exact sums (slow on long decaying runs). Metrics, predictions
    // and forecasts are always exact.
    double sumTolerance = 0.05;
    // LR-annealing: decay factor of the annealing momentum (authors' snippet: 0.999), in (0, 1).
    double lraLambda = 0.999;
    // Stage-2 (C, beta, gamma) starts of the MPL multi-start (official: (1, 0.5, 0.5)).
    std::vector<std::array<double, 3>> mplStarts = {{1.0, 0.5, 0.5}};
    // MPL stage 2. AdamW (default) is the official procedure and gives the published held-out
    // accuracy; LevenbergMarquardt goes on to the minimum of the training objective, which
    // the authors' data show to be weakly identified: on their 400M curves it lowers the
    // training objective severalfold but worsens the held-out MAE from 0.0048 to 0.0060
    // (tests/fitting/test_curve_fit_mpl.cpp prints both).
    MplStage2 mplStage2 = MplStage2::AdamW;
    AdamWSettings adamw;
    // Bounds on the natural parameters, in the law's order (MplIndex / LraIndex); empty =
    // curveLawInfo(law).params bounds (all >= 0, as the official stage-1 L-BFGS-B).
    std::vector<double> lowerBounds;
    std::vector<double> upperBounds;
    // Levenberg-Marquardt iterations per start (and per bootstrap refit).
    int maxIterations = 200;
    // A start converges when an iteration lowers the objective by less than this fraction.
    double functionTolerance = 1e-10;
    // ... or the step is below parameterTolerance (|x| + parameterTolerance).
    double parameterTolerance = 1e-10;
    // ... or the largest bound-projected gradient entry is below this.
    double gradientTolerance = 1e-12;
    // Worker threads for the stage-2 starts and the bootstrap; 0 = hardware concurrency.
    int threads = 0;

    // Moving-block bootstrap over each curve's points or residuals (bootstrapKind): 0 = none.
    // Every resample draws ceil(n / blockLength) blocks of consecutive points per curve,
    // refits from the full-data optimum and keeps the parameters; bands are percentiles of
    // predictions.
    int bootstrapResamples = 0;
    BootstrapKind bootstrapKind = BootstrapKind::Points;
    // Points per block: residuals of neighbouring logged steps are correlated, so blocks keep
    // that correlation in each resample. 10 points ~ 1,300 steps on the authors' curves.
    // 0 = per curve from its residuals' autocorrelation (autocorrelationBlockLength).
    int bootstrapBlockLength = 10;
    // MPL with AdamW: resample r starts stage 2 from bootstrapStarts[r % size] (C, beta,
    // gamma) instead of mplStarts.front(). Empty = the official start for every resample.
    std::vector<std::array<double, 3>> bootstrapStarts;
    // Resample k uses std::mt19937_64(seed + k), so results don't depend on threads.
    std::uint64_t seed = 42;

    // Names the first bad field (e.g. "huberDelta must be > 0").
    bool isValid(std::string* error = nullptr) const;
};

// status, message, diagnostics and seconds (wall time of the whole call) from FitResultBase.
struct CurveFitResult : FitResultBase {
    CurveLawId law = CurveLawId::MultiPower;
    double lraLambda = 0.999;  // LR-annealing: the lambda the parameters belong to
    // Natural parameters in the law's order; stdError/ci95 from the bootstrap when run.
    std::vector<Estimate> params;
    double objective = -1;    // Huber sum at the optimum (with the fit's term compression)
    int iterations = 0;       // iterations of the best start
    int startsConverged = 0;  // stage-2 starts that met a tolerance
    int startsTotal = 0;
    double bootstrapSeconds = 0;  // wall time of the bootstrap alone
    int bootstrapResamples = 0;   // resamples that refitted (failed refits are dropped)
    // Exact predictions on the fitted points: metrics per curve (input order) and averaged.
    std::vector<CurveMetrics> perCurve;
    CurveMetrics average;
    // Parameters of each bootstrap refit, in params order.
    std::vector<std::vector<double>> bootstrapSamples;
    // Block length used per curve (input order), when bootstrapped.
    std::vector<int> blockLengths;

    std::vector<double> values() const;  // params' values in order
    MplParams mpl() const;               // law == MultiPower
    LraParams lra() const;               // law == LrAnnealing
};

// Fits `law` jointly to `curves`. Never throws; bad input gives FitStatus::Failed with a
// message naming the curve and point. `progress` receives [0, 1] over starts and bootstrap;
// returning false cancels (FitStatus::Cancelled, parameters are the best seen).
CurveFitResult fitCurveLaw(CurveLawId law, const std::vector<LossCurve>& curves,
                           const CurveFitOptions& options, const ProgressCallback& progress = {});

// Exact predicted loss at `steps` for parameters in the law's order.
std::vector<double> predictCurveLaw(CurveLawId law, std::span<const double> params,
                                    std::span<const double> lr, std::span<const long> steps,
                                    double lraLambda = 0.999);

// Block length for a moving-block bootstrap of autocorrelated residuals (in order): the
// integrated autocorrelation time 1 + 2 sum_k rho_k, summed while rho_k > 0, rounded up and
// kept in [1, max(1, n/3)]. 1 for white noise; (1 + rho)/(1 - rho) for an AR(1) with rho.
int autocorrelationBlockLength(std::span<const double> residuals);

// Checks one curve (used by the fitter and the forecast): names the first problem.
bool validateLossCurve(const LossCurve& curve, std::string* error = nullptr);

}  // namespace scalelens::fit
