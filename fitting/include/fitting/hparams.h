// Optimal peak learning rate and batch size: published laws side by side.
//
// Each preset is a closed-form law with its units, variable definitions and citation, so a
// calculator can show "value + unit + where it comes from" and never a bare number:
//
//   scalelens::fit::HparamInputs in;
//   in.n = 7e9;      // non-embedding parameters
//   in.d = 1.4e12;   // training tokens
//   auto rec = scalelens::fit::recommendHparams(scalelens::fit::HparamPreset::StepLaw, in);
//   if (rec.ok()) use(*rec.lr, *rec.batchTokens, *rec.batchSequences, rec.citation);
//   else show(rec.message);
//
// WARNING: batch sizes are in TOKENS unless a field says sequences (Step Law's fitting code
// multiplies sequences by seq_len; its web tool labels the output "Token Wise BatchSize").
// N is the NON-EMBEDDING parameter count for every preset here.
//
// The laws are templates (usable with double and ceres::Jet) so the fitter in
// hparams_fit.h and the plots evaluate exactly the same expression.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::fit {

// ---------------------------------------------------------------------------------------
// Templated laws (one definition each).

// Step Law form (Li et al. 2025, arXiv 2503.04715, Eq. for η_opt):
//   η = exp(logC) · N^coefN · D^coefD.
template <typename T>
T logLinearLr(const T& n, const T& d, double logC, double coefN, double coefD) {
    using std::exp;
    using std::log;
    return exp(T(logC) + T(coefN) * log(n) + T(coefD) * log(d));
}

// Step Law batch form: B = exp(logC) · D^coefD (tokens).
template <typename T>
T logLinearBatch(const T& d, double logC, double coefD) {
    using std::exp;
    using std::log;
    return exp(T(logC) + T(coefD) * log(d));
}

// Power of compute, DeepSeek LLM (arXiv 2401.02954, Eq. 1): k · C^e.
template <typename T>
T powerLaw(const T& x, double k, double e) {
    using std::pow;
    return T(k) * pow(x, T(e));
}

// ---------------------------------------------------------------------------------------
// Presets.

enum class HparamPreset {
    StepLaw,               // Li et al. 2025, published rounded coefficients
    StepLawBootstrapMean,  // Li et al. 2025, mean of the 1000 released bootstrap fits
    DeepSeek,              // DeepSeek LLM 2024, compute-based
    Porian,                // Porian et al. 2024
    Kaplan,                // Kaplan et al. 2020: LR(N) and critical batch B_crit(L)
    MiniCpm,               // Hu et al. 2024 (MiniCPM): batch from loss; LR fixed under μP
};

// Static description of a preset: what it computes, from which variables, and the source.
struct HparamPresetInfo {
    HparamPreset id = HparamPreset::StepLaw;
    std::string key;           // stable CLI/JSON name, e.g. "step-law"
    std::string name;          // display name
    std::string lrFormula;     // human-readable formula, empty when the law gives no LR
    std::string batchFormula;  // human-readable formula, empty when the law gives no batch
    std::string variables;     // definitions and units of every symbol
    std::string citation;      // paper, arXiv id, equation/table
    std::string caveat;        // known transcription errors / unverified units; may be empty
    bool needsN = false;       // LR or batch needs the non-embedding parameter count
    bool needsD = false;       // needs training tokens
    bool needsLoss = false;    // batch needs a loss value (nats/token)
};

// All presets in display order.
const std::vector<HparamPresetInfo>& hparamPresets();
// Preset by key ("step-law", "step-law-bootstrap", "deepseek", "porian", "kaplan",
// "minicpm"); nullptr when unknown.
const HparamPresetInfo* findHparamPreset(std::string_view key);
const HparamPresetInfo& hparamPresetInfo(HparamPreset preset);

// Inputs shared by every preset. Fields a preset does not need are ignored; a preset whose
// required field is missing (0) returns a message instead of a value.
struct HparamInputs {
    double n = 0;          // non-embedding parameters (count); 0 = unknown
    double d = 0;          // training tokens; 0 = unknown
    double seqLen = 2048;  // tokens per sequence, converts batch tokens to sequences
    double loss = 0;       // training loss in nats/token for Kaplan B_crit / MiniCPM; 0 = unknown
    double flopsPerToken = 0;  // DeepSeek M (non-embedding FLOPs/token); 0 = derive (below)
    int nLayer = 0;            // DeepSeek M = 72·n_layer·d_model² + 12·n_layer·d_model·l_seq
    int dModel = 0;            //   when both are set and flopsPerToken is 0; else M ≈ 6N

    // False with a message naming the first bad field (negative, non-finite, seqLen <= 0).
    bool isValid(std::string* error) const;
};

// One preset's recommendation. Values are absent (not NaN) when the law does not give them
// or an input is missing; `message` then says why.
struct HparamRecommendation {
    HparamPreset preset = HparamPreset::StepLaw;
    std::string key;                       // preset key
    std::optional<double> lr;              // peak learning rate (AdamW), dimensionless
    std::optional<double> batchTokens;     // batch size in tokens
    std::optional<double> batchSequences;  // batchTokens / seqLen
    std::optional<double> computeFlops;    // C used by compute-based laws (DeepSeek), FLOPs
    std::string citation;                  // copied from the preset info
    std::vector<std::string> notes;        // approximations made (e.g. "M ≈ 6N")
    std::string message;                   // why lr/batch are missing; empty when both present

    // True when at least one of lr / batchTokens was computed.
    bool ok() const { return lr.has_value() || batchTokens.has_value(); }
};

HparamRecommendation recommendHparams(HparamPreset preset, const HparamInputs& inputs);
// Every preset, in hparamPresets() order.
std::vector<HparamRecommendation> recommendAllHparams(const HparamInputs& inputs);

// DeepSeek LLM non-embedding FLOPs per token: M = 72·n_layer·d_model² + 12·n_layer·d_model·l_seq.
double deepSeekFlopsPerToken(int nLayer, int dModel, double seqLen);

// Published coefficients, exposed for tests, plots and side-by-side tables.
namespace hparam_coeffs {
// Step Law (project page / tool.js): η = 1.79·N^−0.713·D^0.307 ; B = 0.58·D^0.571 tokens.
inline constexpr double kStepLrC = 1.79, kStepLrN = -0.713, kStepLrD = 0.307;
inline constexpr double kStepBsC = 0.58, kStepBsD = 0.571;
// Step Law 1004 bootstrap CSV, mean of its 1000 rows at full precision (intercepts are
// natural logs; rounded: 0.58631, -0.71292, 0.30749, -0.54354, 0.57094).
inline constexpr double kStepBootLrLogC = 0.58630779, kStepBootLrN = -0.71292229,
                        kStepBootLrD = 0.30749095;
inline constexpr double kStepBootBsLogC = -0.54354217, kStepBootBsD = 0.57094436;
// DeepSeek LLM Eq. 1: η = 0.3118·C^−0.1250 ; B = 0.2920·C^0.3271 tokens.
inline constexpr double kDeepSeekLrK = 0.3118, kDeepSeekLrE = -0.1250;
inline constexpr double kDeepSeekBsK = 0.2920, kDeepSeekBsE = 0.3271;
// Porian et al. 2024: η = 3.7·N^−0.36 ; B = 0.7576·N^0.703 (tokens, unverified).
inline constexpr double kPorianLrK = 3.7, kPorianLrE = -0.36;
inline constexpr double kPorianBsK = 0.7576, kPorianBsE = 0.703;
// Kaplan et al. 2020: LR(N) = 0.003239 − 0.0001395·ln N ; B_crit = 2e8 / L^(1/0.21).
inline constexpr double kKaplanLrA = 0.003239, kKaplanLrB = -0.0001395;
inline constexpr double kKaplanBStar = 2e8, kKaplanInvAlphaB = 1.0 / 0.21;
// MiniCPM: bs = 1.2110e9 / L^6.2393 tokens.
inline constexpr double kMiniCpmBsK = 1.2110e9, kMiniCpmBsE = 6.2393;
}  // namespace hparam_coeffs

}  // namespace scalelens::fit
