// Densing law (Xiao et al. 2024, "Densing Law of LLMs", arXiv 2412.04315; Nature Machine
// Intelligence 2025): capability density ρ = N_eff / N, and its exponential growth over time.
//
// Two-step estimation (paper §2, Eqs. 2-4):
//   1. loss law on reference models, no constant term:  L(N, D) = a·N^−α + b·D^−β
//   2. loss-to-score map on well-trained models:        S = c / (1 + e^(−γ(L − l))) + d
//      (γ is fitted without a sign constraint: with c > 0 it comes out negative, since the
//       score falls as the loss rises)
//   3. inverse at D₀ = 1e12 tokens: L̂(S) = l − ln(c/(S − d) − 1)/γ,
//      N̂(S) = ((L̂ − b·D₀^−β)/a)^(−1/α); ρ = N̂/N
// Trend (§3.3): ln ρ_max = A·t + B over the running-maximum envelope, t in days since the
// Llama-1 release (2023-02-24); doubling time ln 2 / A (paper: A ≈ 0.0073/day -> 95 days).
//
// Direct mode (no reference-model losses): fit a score-vs-size curve S(ln N) to one reference
// family (logistic or log-linear) and invert it: N_eff = N(S).
//
//   DensingParams p = ...;                        // from fitDensingLoss + fitDensingScore
//   DensingInverse inv = invertDensingScore(p, 0.65);
//   if (inv.ok) rho = inv.nEff / nParams; else show(inv.message);
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitting/result.h"

namespace scalelens::fit {

// ---------------------------------------------------------------------------------------
// Templated laws.

// Eq. 2: L = a·N^−α + b·D^−β.
template <typename T>
T densingLoss(const T& n, const T& d, const T& a, const T& alpha, const T& b, const T& beta) {
    using std::pow;
    return a * pow(n, -alpha) + b * pow(d, -beta);
}

// Eq. 3: S = c / (1 + exp(−γ(L − l))) + d.
template <typename T>
T densingScore(const T& loss, const T& c, const T& gamma, const T& l, const T& d) {
    using std::exp;
    return c / (T(1.0) + exp(-gamma * (loss - l))) + d;
}

// Logistic score-vs-size curve for direct mode: S = c / (1 + exp(−k(ln N − m))) + d.
template <typename T>
T logisticSizeScore(const T& logN, const T& c, const T& k, const T& m, const T& d) {
    using std::exp;
    return c / (T(1.0) + exp(-k * (logN - m))) + d;
}

// ---------------------------------------------------------------------------------------
// Parameters and inversion.

inline constexpr double kDensingD0 = 1e12;  // tokens: the paper's fixed D₀ for N_eff

struct DensingLossParams {
    double a = 0, alpha = 0, b = 0, beta = 0;
    double loss(double n, double d) const { return densingLoss(n, d, a, alpha, b, beta); }
};

struct DensingScoreParams {
    double c = 0, gamma = 0, l = 0, d = 0;
    double score(double loss) const { return densingScore(loss, c, gamma, l, d); }
};

struct DensingParams {
    DensingLossParams loss;
    DensingScoreParams score;
    double d0 = kDensingD0;  // tokens at which N_eff is defined
};

struct DensingInverse {
    bool ok = false;
    std::string message;  // why not ok (score out of range, loss below the data term, ...)
    double loss = 0;      // L̂(S)
    double nEff = 0;      // N̂(S), parameters
};

// L̂(S) and N̂(S). Needs S strictly between d and c + d, and L̂ > b·D₀^−β.
DensingInverse invertDensingScore(const DensingParams& p, double score);

// ---------------------------------------------------------------------------------------
// Step 1 and step 2 fits (Ceres, autodiff, multi-start).

struct DensingLossPoint {
    double n = 0;     // parameters
    double d = 0;     // training tokens
    double loss = 0;  // conditional loss on the benchmark (nats)
};

struct DensingScorePoint {
    double loss = 0;   // estimated loss L(N, D) of a well-trained model
    double score = 0;  // benchmark score (any fixed scale, e.g. 0-1 or percent)
};

struct DensingFitOptions {
    // Iterations of the trust-region solver per start.
    int maxIterations = 500;
    // Relative cost change at which a start counts as converged.
    double functionTolerance = 1e-12;
    // Step 1 residual: true = log L̂ − log L (relative errors, like the Chinchilla fit),
    // false = L̂ − L.
    bool logResiduals = true;

    bool isValid(std::string* error) const;
};

struct DensingLossFit : FitResultBase {
    DensingLossParams params;
    double rmse = 0;  // of the residuals minimised
    int startsTotal = 0;
};

struct DensingScoreFit : FitResultBase {
    DensingScoreParams params;
    double rmse = 0;  // score units
    int startsTotal = 0;
};

// Needs >= 5 points with >= 2 distinct N and >= 2 distinct D.
DensingLossFit fitDensingLoss(const std::vector<DensingLossPoint>& points,
                              const DensingFitOptions& options = {});
// Needs >= 5 points with >= 3 distinct losses.
DensingScoreFit fitDensingScore(const std::vector<DensingScorePoint>& points,
                                const DensingFitOptions& options = {});

// ---------------------------------------------------------------------------------------
// Direct mode: a score-vs-size curve of a reference family.

enum class SizeCurveKind {
    Logistic,   // S = c / (1 + exp(−k(ln N − m))) + d
    LogLinear,  // S = p0 + p1·ln N
};

struct SizeScoreCurve {
    SizeCurveKind kind = SizeCurveKind::LogLinear;
    double c = 0, k = 0, m = 0, d = 0;  // logistic
    double p0 = 0, p1 = 0;              // log-linear
    double score(double n) const;
};

struct SizeCurveFitOptions {
    SizeCurveKind kind = SizeCurveKind::LogLinear;
    // Logistic only: fix the floor d (e.g. 25 for 4-way multiple choice in percent); unset =
    // fitted.
    std::optional<double> fixedFloor;
    // Logistic only: fix the ceiling c + d (e.g. 100 in percent); unset = fitted.
    std::optional<double> fixedCeiling;

    bool isValid(std::string* error) const;
};

struct SizeCurveFit : FitResultBase {
    SizeScoreCurve curve;
    double rmse = 0;
};

struct SizeScorePoint {
    double n = 0;      // parameters
    double score = 0;  // benchmark score
};

SizeCurveFit fitSizeScoreCurve(const std::vector<SizeScorePoint>& points,
                               const SizeCurveFitOptions& options);

// N_eff with score S on the curve; a message when S is outside the curve's range (logistic:
// (d, c + d)) or the curve is flat.
DensingInverse invertSizeCurve(const SizeScoreCurve& curve, double score);

// ---------------------------------------------------------------------------------------
// Trend over release dates.

// Days from the Llama-1 release (2023-02-24) to an ISO date "YYYY-MM-DD"; nullopt when the
// text is not a valid date.
std::optional<double> daysSinceLlama1(std::string_view isoDate);

struct DensityPoint {
    double days = 0;     // release date, days since 2023-02-24
    double density = 0;  // ρ = N_eff / N, > 0
    std::string name;    // model name, carried into the envelope list
};

struct DensityTrendOptions {
    // true = fit the running-maximum envelope (paper); false = fit every point.
    bool envelope = true;
    // Bootstrap resamples of the models (envelope recomputed per resample); 0 = none.
    int bootstrapSamples = 2000;
    std::uint64_t seed = 20241206;
    double confidenceLevel = 0.95;  // percentile CI, in (0, 1)

    bool isValid(std::string* error) const;
};

struct DensityTrendFit : FitResultBase {
    double slopeA = 0;                             // per day
    double interceptB = 0;                         // ln ρ at t = 0
    double r2 = 0;                                 // of the fitted points in ln ρ
    double doublingDays = 0;                       // ln 2 / A; 0 when A <= 0
    double slopeCiLow = 0, slopeCiHigh = 0;        // bootstrap percentile CI of A
    double doublingCiLow = 0, doublingCiHigh = 0;  // ln 2 / CI of A (0 when A's bound <= 0)
    int bootstrapSamples = 0;                      // resamples with a usable fit
    std::vector<int> fittedIndices;                // input indices on the envelope (or all)
};

DensityTrendFit fitDensityTrend(const std::vector<DensityPoint>& points,
                                const DensityTrendOptions& options = {});

// Indices of the running-maximum envelope: sorted by date, each point whose density exceeds
// every earlier (strictly earlier date) point's; ties on the same date keep the best.
std::vector<int> densityEnvelope(const std::vector<DensityPoint>& points);

// ln 2 / A in days.
inline double doublingTimeDays(double slopePerDay) {
    return slopePerDay > 0 ? 0.69314718055994530942 / slopePerDay : 0.0;
}

}  // namespace scalelens::fit
