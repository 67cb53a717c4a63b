// Loss-curve laws: the loss at every step of a run from its learning-rate schedule.
//
//   Multi-Power Law (Luo, Wen, Hu et al. 2025, arXiv 2503.12811), as the official code
//   (thu-yao-01-luo/MultiPowerLaw @ 8da9f190, src/models.py) computes it, with lr[s] the raw LR
//   of step s (warm-up included), cs[s] = lr[0] + ... + lr[s], gap[k] = lr[k] - lr[k-1]:
//     L(s) = L0 + A cs[s]^(-alpha) + B LD(s),
//     LD(s) = sum_{k=1..s} gap[k] (1 - (1 + C max(lr[k], 1e-10)^(-gamma) (cs[s] -
//     cs[k-1]))^(-beta)).
//   LR-annealing law (Tissue, Wang & Wang 2024, arXiv 2408.11029):
//     L(s) = L0 + A S1(s)^(-alpha) - C S2(s),  S1 = sum of LRs, S2 = sum of the momentum m,
//     m_i = lambda m_(i-1) + (lr[i-1] - lr[i]), lambda = 0.999; warm-up steps count at the
//     peak LR (laws.md G.2).
//
// The law is written once, as templates over the scalar type (double for plots and
// forecasts, ceres::Jet in the fitter). The MPL template sums a list of "terms" (gap, log LR,
// cs[k-1]); the exact list has one term per step whose LR changed, and the fitter may pass a
// compressed list whose merged terms sum far-away steps together (see buildMplTerms): the
// formula is the same either way.
//
//   std::vector<double> lr = def.materialise();                 // lr_schedule.h
//   MplParams p = MplParams::luo2025(MplPublishedSize::M400);
//   std::vector<double> L = predictMpl(p, lr, {2160, 23920});   // {3.579503, 2.757200}
#pragma once

#include <array>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fitting/law.h"

namespace scalelens::fit {

// ---------------------------------------------------------------------------------------------
// Templated law functions
// ---------------------------------------------------------------------------------------------

// One summand of the MPL loss-drop term: a (possibly merged) LR change.
struct MplTerm {
    double gap = 0;        // lr[k] - lr[k-1] (sum over merged steps)
    double logLr = 0;      // log max(lr[k], 1e-10) (gap-weighted mean over merged steps)
    double cumBefore = 0;  // cs[k-1] (gap-weighted mean over merged steps)
};

// MPL parameter order in arrays: L0, A, alpha, B, C, beta, gamma.
enum MplIndex { kMplL0 = 0, kMplA, kMplAlpha, kMplB, kMplC, kMplBeta, kMplGamma, kMplCount };

// LD(s) of the Multi-Power Law from the terms of steps k <= s; s1 = cs[s].
template <typename T>
T mplLossDrop(double s1, std::span<const MplTerm> terms, const T& C, const T& beta,
              const T& gamma) {
    using std::exp;
    using std::pow;
    T sum = T(0.0);
    for (const MplTerm& t : terms) {
        const T x = T(1.0) + C * exp(-gamma * t.logLr) * (s1 - t.cumBefore);
        sum += t.gap * (T(1.0) - pow(x, -beta));
    }
    return sum;
}

// L(s) of the Multi-Power Law; p in MplIndex order.
template <typename T>
T mplLoss(double s1, std::span<const MplTerm> terms, const T* p) {
    using std::pow;
    return p[kMplL0] + p[kMplA] * pow(T(s1), -p[kMplAlpha]) +
           p[kMplB] * mplLossDrop(s1, terms, p[kMplC], p[kMplBeta], p[kMplGamma]);
}

// LR-annealing parameter order: L0, A, alpha, C.
enum LraIndex { kLraL0 = 0, kLraA, kLraAlpha, kLraC, kLraCount };

// L(s) of the LR-annealing law from S1(s) and S2(s) (lraAreas below); p in LraIndex order.
template <typename T>
T lraLoss(double s1, double s2, const T* p) {
    using std::pow;
    return p[kLraL0] + p[kLraA] * pow(T(s1), -p[kLraAlpha]) - p[kLraC] * s2;
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

enum class MplPublishedSize { M25, M100, M400 };

struct MplParams {
    double L0 = 0, A = 0, alpha = 0, B = 0, C = 0, beta = 0, gamma = 0;

    std::array<double, kMplCount> array() const { return {L0, A, alpha, B, C, beta, gamma}; }
    static MplParams fromArray(const double* p);
    // All finite; A, B, C, alpha, beta, gamma >= 0. Names the first bad field.
    bool isValid(std::string* error = nullptr) const;
    // The repository README's re-run values (laws.md G.1) for the 25M/100M/400M models.
    static MplParams luo2025(MplPublishedSize size);
};

struct LraParams {
    double L0 = 0, A = 0, alpha = 0, C = 0;

    std::array<double, kLraCount> array() const { return {L0, A, alpha, C}; }
    static LraParams fromArray(const double* p);
    bool isValid(std::string* error = nullptr) const;
};

enum class CurveLawId {
    MultiPower,   // Luo et al. 2025
    LrAnnealing,  // Tissue et al. 2024
};

struct CurveLawInfo {
    CurveLawId id = CurveLawId::MultiPower;
    std::string_view key;          // "mpl", "lr-annealing" (CLI --law, JSON "law")
    std::string_view displayName;  // "Multi-Power Law (Luo et al. 2025)"
    std::string_view formula;      // plain text
    std::string_view citation;
    std::span<const ParamInfo> params;  // bounds are the fitter's defaults
};

const CurveLawInfo& curveLawInfo(CurveLawId id);
const CurveLawInfo* findCurveLaw(std::string_view key);  // nullptr when unknown

// ---------------------------------------------------------------------------------------------
// Schedules -> law inputs
// ---------------------------------------------------------------------------------------------

// cs[s] = lr[0] + ... + lr[s] (the MPL's S1, warm-up included).
std::vector<double> cumulativeLr(std::span<const double> lr);

// MPL terms for evaluation points `steps` (ascending, each < lr.size()). Exact when
// `tolerance` is 0: every k in 1..s with gap[k] != 0, shared as prefixes of one list. With
// tolerance > 0, each point gets its own list in which consecutive steps of the same gap sign
// are merged while the merged span of cs is <= tolerance times its cs-distance to the point
// and their log LRs differ by <= tolerance; the merged term uses gap-weighted means, so the
// error is second order in the span (about tolerance^2 / 10 of LD relative). Out: `terms`,
// and per point its [begin, end) range in `ranges` and cs[s] in `s1`.
struct MplTermTable {
    std::vector<MplTerm> terms;
    std::vector<std::array<int, 2>> ranges;
    std::vector<double> s1;
    std::span<const MplTerm> at(std::size_t i) const {
        return std::span<const MplTerm>(terms).subspan(
            static_cast<std::size_t>(ranges[i][0]),
            static_cast<std::size_t>(ranges[i][1] - ranges[i][0]));
    }
};
MplTermTable buildMplTerms(std::span<const double> lr, std::span<const long> steps,
                           double tolerance = 0);

// S1(s) and S2(s) of the LR-annealing law at `steps`, with the steps before the first peak
// LR counted at the peak (the warm-up convention of the authors' snippet).
struct LraAreas {
    std::vector<double> s1;
    std::vector<double> s2;
};
LraAreas lraAreas(std::span<const double> lr, std::span<const long> steps, double lambda = 0.999);

// Predicted loss at `steps` (ascending, each < lr.size()). MPL: exact unless tolerance > 0.
std::vector<double> predictMpl(const MplParams& p, std::span<const double> lr,
                               std::span<const long> steps, double tolerance = 0);
std::vector<double> predictLra(const LraParams& p, std::span<const double> lr,
                               std::span<const long> steps, double lambda = 0.999);

// Accuracy of a predicted curve, as the MPL paper reports it (src/evaluation.py):
// R2 = 1 - SS_res/SS_tot of L; MAE = mean |L - L^|; RMSE; PredE = mean |L - L^|/L;
// WorstE = max |L - L^|/L.
struct CurveMetrics {
    int n = 0;
    double r2 = 0, mae = 0, rmse = 0, predE = 0, worstE = 0;
};
CurveMetrics curveMetrics(std::span<const double> observed, std::span<const double> predicted);
// Mean of each metric over curves (how the paper averages over held-out curves).
CurveMetrics averageMetrics(std::span<const CurveMetrics> perCurve);

}  // namespace scalelens::fit
