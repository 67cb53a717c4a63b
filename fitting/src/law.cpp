#include "fitting/law.h"

#include <array>
#include <cmath>

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const char* text) {
    if (error)
        *error = text;
    return false;
}

// Bounds are on natural values and only describe what is physically meaningful; the fitter
// works unconstrained in the log parameterisation.
constexpr std::array<ParamInfo, 5> kChinchillaParams = {{
    {"E", "E", "nats/token", "irreducible loss (entropy of text)", 0.0, HUGE_VAL,
     ParamTransform::Log},
    {"A", "A", "nats/token", "model-size term coefficient", 0.0, HUGE_VAL, ParamTransform::Log},
    {"B", "B", "nats/token", "data term coefficient", 0.0, HUGE_VAL, ParamTransform::Log},
    {"alpha", "α", "", "model-size exponent", 0.0, 10.0, ParamTransform::None},
    {"beta", "β", "", "data exponent", 0.0, 10.0, ParamTransform::None},
}};

constexpr std::array<ParamInfo, 4> kKaplanParams = {{
    {"Nc", "N_c", "parameters", "model-size scale", 0.0, HUGE_VAL, ParamTransform::Log},
    {"Dc", "D_c", "tokens", "data scale", 0.0, HUGE_VAL, ParamTransform::Log},
    {"alphaN", "α_N", "", "model-size exponent", 0.0, 10.0, ParamTransform::None},
    {"alphaD", "α_D", "", "data exponent", 0.0, 10.0, ParamTransform::None},
}};

const LawInfo kChinchillaInfo{
    LawId::Chinchilla,
    "chinchilla",
    "Chinchilla (Hoffmann et al. 2022)",
    "L(N, D) = E + A / N^alpha + B / D^beta",
    "J. Hoffmann et al., Training Compute-Optimal Large Language Models, arXiv:2203.15556 "
    "(2022), Eq. 2",
    kChinchillaParams,
};

const LawInfo kKaplanInfo{
    LawId::Kaplan,
    "kaplan",
    "Kaplan et al. 2020",
    "L(N, D) = [ (N_c / N)^(alpha_N / alpha_D) + D_c / D ]^alpha_D",
    "J. Kaplan et al., Scaling Laws for Neural Language Models, arXiv:2001.08361 (2020), "
    "Eq. 1.5",
    kKaplanParams,
};

bool finitePositive(double v) {
    return std::isfinite(v) && v > 0;
}

}  // namespace

bool ChinchillaParams::isValid(std::string* error) const {
    if (!std::isfinite(E) || E < 0)
        return fail(error, "E must be finite and >= 0");
    if (!finitePositive(A))
        return fail(error, "A must be finite and > 0");
    if (!finitePositive(B))
        return fail(error, "B must be finite and > 0");
    if (!finitePositive(alpha))
        return fail(error, "alpha must be finite and > 0");
    if (!finitePositive(beta))
        return fail(error, "beta must be finite and > 0");
    return true;
}

ChinchillaParams ChinchillaParams::hoffmann2022() {
    return {1.69, 406.4, 410.7, 0.34, 0.28};
}

ChinchillaParams ChinchillaParams::besiroglu2024() {
    return {1.8172, 482.01, 2085.43, 0.3478, 0.3658};
}

bool KaplanParams::isValid(std::string* error) const {
    if (!finitePositive(Nc))
        return fail(error, "Nc must be finite and > 0");
    if (!finitePositive(Dc))
        return fail(error, "Dc must be finite and > 0");
    if (!finitePositive(alphaN))
        return fail(error, "alphaN must be finite and > 0");
    if (!finitePositive(alphaD))
        return fail(error, "alphaD must be finite and > 0");
    return true;
}

// Kaplan et al. 2020, §4 / Table 2 (fit of Eq. 1.5). Quoted from the paper from memory; not
// part of laws.md, so treat as indicative.
KaplanParams KaplanParams::kaplan2020() {
    return {6.4e13, 1.8e13, 0.076, 0.103};
}

const LawInfo& lawInfo(LawId id) {
    switch (id) {
        case LawId::Chinchilla:
            return kChinchillaInfo;
        case LawId::Kaplan:
            return kKaplanInfo;
    }
    return kChinchillaInfo;
}

const LawInfo* findLaw(std::string_view key) {
    if (key == kChinchillaInfo.key)
        return &kChinchillaInfo;
    if (key == kKaplanInfo.key)
        return &kKaplanInfo;
    return nullptr;
}

std::vector<double> sampleIsoFlopCurve(const ChinchillaParams& p, double compute,
                                       std::span<const double> nValues) {
    std::vector<double> out;
    out.reserve(nValues.size());
    for (const double n : nValues)
        out.push_back(p.loss(n, compute / (6.0 * n)));
    return out;
}

}  // namespace scalelens::fit
