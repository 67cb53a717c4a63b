// Scaling laws, written once as templates so the fitter (double and ceres::Jet), the
// allocation maths and the plots evaluate exactly the same formula.
//
// Usage:
//   using namespace scalelens::fit;
//   const ChinchillaParams p = ChinchillaParams::hoffmann2022();
//   double L = chinchillaLoss(70e9, 1.4e12, p.E, p.A, p.B, p.alpha, p.beta);  // 1.9366
//   // In a Ceres functor: T logL = chinchillaLogLossLse(T(logN), T(logD), a, b, e, alpha, beta);
//
// Every function below is a template over the scalar type T; it only calls exp/log/pow
// unqualified (after `using std::exp`), so ceres::Jet overloads are found by ADL. This header
// does not include Ceres.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::fit {

// ---------------------------------------------------------------------------------------------
// Templated law functions
// ---------------------------------------------------------------------------------------------

// Numerically stable log(exp(x1) + exp(x2) + exp(x3)).
template <typename T>
T logSumExp3(const T& x1, const T& x2, const T& x3) {
    using std::exp;
    using std::log;
    T m = x1;
    if (x2 > m)
        m = x2;
    if (x3 > m)
        m = x3;
    return m + log(exp(x1 - m) + exp(x2 - m) + exp(x3 - m));
}

// Chinchilla parametric loss, Hoffmann et al. 2022, Eq. 2:  L = E + A/N^alpha + B/D^beta.
// N = parameters (or N-bar, the average parameter count, for the Journey-Matters law),
// D = training tokens. Returns nats/token.
template <typename T>
T chinchillaLoss(const T& N, const T& D, const T& E, const T& A, const T& B, const T& alpha,
                 const T& beta) {
    using std::pow;
    return E + A / pow(N, alpha) + B / pow(D, beta);
}

// The same law in the log-sum-exp form used for fitting (Hoffmann et al. 2022, §D.2;
// Besiroglu et al. 2024): log L = LSE(a - alpha log N, b - beta log D, e) with A = e^a,
// B = e^b, E = e^e. Takes log N and log D so callers can precompute them.
template <typename T>
T chinchillaLogLossLse(const T& logN, const T& logD, const T& a, const T& b, const T& e,
                       const T& alpha, const T& beta) {
    return logSumExp3(T(a - alpha * logN), T(b - beta * logD), e);
}

// Kaplan et al. 2020, Eq. 1.5:  L(N, D) = [ (N_c/N)^(alpha_N/alpha_D) + D_c/D ]^alpha_D.
// N = non-embedding parameters in Kaplan's convention; D = tokens. No irreducible term.
template <typename T>
T kaplanLoss(const T& N, const T& D, const T& Nc, const T& Dc, const T& alphaN, const T& alphaD) {
    using std::pow;
    return pow(pow(Nc / N, alphaN / alphaD) + Dc / D, alphaD);
}

// Kaplan's law in log form for fitting, with lnNc = log N_c and lnDc = log D_c:
//   log L = alpha_D * log( exp((alpha_N/alpha_D)(lnNc - log N)) + exp(lnDc - log D) ).
template <typename T>
T kaplanLogLoss(const T& logN, const T& logD, const T& lnNc, const T& lnDc, const T& alphaN,
                const T& alphaD) {
    using std::exp;
    using std::log;
    const T x1 = (alphaN / alphaD) * (lnNc - logN);
    const T x2 = lnDc - logD;
    const T m = x1 > x2 ? x1 : x2;
    return alphaD * (m + log(exp(x1 - m) + exp(x2 - m)));
}

// ---------------------------------------------------------------------------------------------
// Parameter sets
// ---------------------------------------------------------------------------------------------

// Natural-scale Chinchilla parameters (E, A, B in nats; alpha, beta dimensionless).
struct ChinchillaParams {
    double E = 0;
    double A = 0;
    double B = 0;
    double alpha = 0;
    double beta = 0;

    double loss(double N, double D) const { return chinchillaLoss(N, D, E, A, B, alpha, beta); }
    // All finite, E >= 0, A, B > 0, alpha, beta > 0. Names the first bad field.
    bool isValid(std::string* error = nullptr) const;

    // Hoffmann et al. 2022, Approach 3 as printed: E=1.69, A=406.4, B=410.7, alpha=0.34,
    // beta=0.28.
    static ChinchillaParams hoffmann2022();
    // Besiroglu et al. 2024 replication (MLE, 240 points): E=1.8172, A=482.01, B=2085.43,
    // alpha=0.3478, beta=0.3658.
    static ChinchillaParams besiroglu2024();
};

// Kaplan et al. 2020 L(N, D) parameters.
struct KaplanParams {
    double Nc = 0;      // N_c, parameters
    double Dc = 0;      // D_c, tokens
    double alphaN = 0;  // alpha_N
    double alphaD = 0;  // alpha_D

    double loss(double N, double D) const { return kaplanLoss(N, D, Nc, Dc, alphaN, alphaD); }
    bool isValid(std::string* error = nullptr) const;
    // Kaplan et al. 2020, Table 2 / Eq. 1.5 fit: alpha_N=0.076, alpha_D=0.103,
    // N_c=6.4e13, D_c=1.8e13.
    static KaplanParams kaplan2020();
};

// ---------------------------------------------------------------------------------------------
// Metadata: what the GUI shows in parameter tables and what JSON keys are called
// ---------------------------------------------------------------------------------------------

// How the fitter parameterises a natural parameter internally.
enum class ParamTransform {
    None,  // fitted as is (exponents)
    Log,   // fitted as its natural log (A = e^a, B = e^b, E = e^e, N_c, D_c)
};

struct ParamInfo {
    std::string_view name;         // JSON/table key, e.g. "alpha"
    std::string_view symbol;       // display symbol, e.g. "α"
    std::string_view unit;         // e.g. "nats/token", "" for dimensionless
    std::string_view description;  // one line for tooltips
    double lower = -HUGE_VAL;      // bound on the natural value (inclusive)
    double upper = HUGE_VAL;
    ParamTransform transform = ParamTransform::None;
};

enum class LawId {
    Chinchilla,  // Hoffmann et al. 2022, Eq. 2
    Kaplan,      // Kaplan et al. 2020, Eq. 1.5
};

struct LawInfo {
    LawId id = LawId::Chinchilla;
    std::string_view key;          // "chinchilla", "kaplan" (CLI --law, JSON "law")
    std::string_view displayName;  // "Chinchilla (Hoffmann et al. 2022)"
    std::string_view formula;      // plain-text formula
    std::string_view citation;     // paper and equation
    std::span<const ParamInfo> params;
};

const LawInfo& lawInfo(LawId id);
// Looks a law up by key; nullptr when unknown.
const LawInfo* findLaw(std::string_view key);

// Samples L(N, D) along N with D = C/(6N) for a fixed compute budget (an IsoFLOP curve), or
// along any axis: helpers for the plots, so widgets never re-implement the formula.
// Returns L at each N in `nValues`, with D = compute / (6 N).
std::vector<double> sampleIsoFlopCurve(const ChinchillaParams& p, double compute,
                                       std::span<const double> nValues);

}  // namespace scalelens::fit
