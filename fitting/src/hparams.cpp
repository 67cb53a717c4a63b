#include "fitting/hparams.h"

#include <cmath>

namespace scalelens::fit {
namespace {

using namespace hparam_coeffs;

std::vector<HparamPresetInfo> makePresets() {
    std::vector<HparamPresetInfo> p;
    p.push_back({HparamPreset::StepLaw, "step-law", "Step Law", "lr = 1.79 * N^-0.713 * D^0.307",
                 "B = 0.58 * D^0.571 tokens",
                 "N: non-embedding parameters (excluding norms); D: training tokens; B: batch in "
                 "tokens; lr: peak AdamW LR with final LR fixed at 1e-5",
                 "Li et al. 2025, Predictable Scale Part I (Step Law), arXiv 2503.04715, "
                 "project page formula and tool.js calculateBsLr()",
                 "", true, true, false});
    p.push_back({HparamPreset::StepLawBootstrapMean, "step-law-bootstrap",
                 "Step Law (bootstrap mean)", "lr = exp(0.58631) * N^-0.71292 * D^0.30749",
                 "B = exp(-0.54354) * D^0.57094 tokens",
                 "as Step Law; coefficients are the mean of the 1000 released bootstrap fits",
                 "Li et al. 2025, arXiv 2503.04715; step-law/steplaw@32a8f4cc "
                 "data/1004_fitted_lr_bs_scaling_model_parameters.csv (mean of 1000 rows)",
                 "", true, true, false});
    p.push_back({HparamPreset::DeepSeek, "deepseek", "DeepSeek LLM", "lr = 0.3118 * C^-0.1250",
                 "B = 0.2920 * C^0.3271 tokens",
                 "C = M*D training FLOPs; M = 72*n_layer*d_model^2 + 12*n_layer*d_model*l_seq "
                 "non-embedding FLOPs/token (M ~ 6N when only N is known); D: tokens",
                 "DeepSeek-AI 2024, DeepSeek LLM, arXiv 2401.02954, Eq. 1",
                 "Step Law's Table 1 copy prints 0.3188; the DeepSeek paper's 0.3118 is used", true,
                 true, false});
    p.push_back({HparamPreset::Porian, "porian", "Porian et al.", "lr = 3.7 * N^-0.36",
                 "B = 0.7576 * N^0.703", "N: non-embedding parameters",
                 "Porian et al. 2024, Resolving Discrepancies in Compute-Optimal Scaling of "
                 "Language Models, arXiv 2406.19146 (as tabulated in Step Law Table 1)",
                 "batch units (tokens vs sequences) unverified; reported here as tokens", true,
                 false, false});
    p.push_back({HparamPreset::Kaplan, "kaplan", "Kaplan et al.",
                 "lr = 0.003239 - 0.0001395 * ln N", "B_crit = 2e8 / L^(1/0.21) tokens",
                 "N: non-embedding parameters; L: training loss in nats/token; B_crit is the "
                 "critical batch, not a loss-optimal batch",
                 "Kaplan et al. 2020, Scaling Laws for Neural Language Models, arXiv 2001.08361, "
                 "Eq. 5.3 and Appendix D.6",
                 "Step Law's Table 1 copy prints 2e18; B* ~ 2e8 tokens is Kaplan's value", true,
                 false, true});
    p.push_back({HparamPreset::MiniCpm, "minicpm", "MiniCPM", "", "B = 1.2110e9 / L^6.2393 tokens",
                 "L: C4 loss in nats/token; the LR is held fixed (~0.01) under muP",
                 "Hu et al. 2024, MiniCPM, arXiv 2404.06395, Section 4 (batch-size scaling)",
                 "constant 1.2110e9 from a secondary source; Step Law's Table 1 copy prints 2e18",
                 false, false, true});
    return p;
}

bool checkNonNegative(double v, const char* name, std::string* error) {
    if (std::isfinite(v) && v >= 0)
        return true;
    if (error)
        *error = std::string(name) + " must be a finite number >= 0";
    return false;
}

}  // namespace

const std::vector<HparamPresetInfo>& hparamPresets() {
    static const std::vector<HparamPresetInfo> presets = makePresets();
    return presets;
}

const HparamPresetInfo* findHparamPreset(std::string_view key) {
    for (const auto& p : hparamPresets())
        if (p.key == key)
            return &p;
    return nullptr;
}

const HparamPresetInfo& hparamPresetInfo(HparamPreset preset) {
    for (const auto& p : hparamPresets())
        if (p.id == preset)
            return p;
    return hparamPresets().front();
}

bool HparamInputs::isValid(std::string* error) const {
    if (!checkNonNegative(n, "n", error) || !checkNonNegative(d, "d", error) ||
        !checkNonNegative(loss, "loss", error) ||
        !checkNonNegative(flopsPerToken, "flopsPerToken", error))
        return false;
    if (!std::isfinite(seqLen) || seqLen <= 0) {
        if (error)
            *error = "seqLen must be a finite number > 0";
        return false;
    }
    if (nLayer < 0 || dModel < 0) {
        if (error)
            *error = nLayer < 0 ? "nLayer must be >= 0" : "dModel must be >= 0";
        return false;
    }
    return true;
}

double deepSeekFlopsPerToken(int nLayer, int dModel, double seqLen) {
    const double l = nLayer, h = dModel;
    return 72.0 * l * h * h + 12.0 * l * h * seqLen;
}

HparamRecommendation recommendHparams(HparamPreset preset, const HparamInputs& in) {
    const HparamPresetInfo& info = hparamPresetInfo(preset);
    HparamRecommendation r;
    r.preset = preset;
    r.key = info.key;
    r.citation = info.citation;
    std::string error;
    if (!in.isValid(&error)) {
        r.message = error;
        return r;
    }
    std::vector<std::string> missing;
    const bool haveN = in.n > 0, haveD = in.d > 0, haveL = in.loss > 0;
    switch (preset) {
        case HparamPreset::StepLaw:
            if (haveN && haveD)
                r.lr = logLinearLr(in.n, in.d, std::log(kStepLrC), kStepLrN, kStepLrD);
            if (haveD)
                r.batchTokens = logLinearBatch(in.d, std::log(kStepBsC), kStepBsD);
            if (!haveN)
                missing.push_back("n (non-embedding parameters) for the LR");
            if (!haveD)
                missing.push_back("d (training tokens)");
            break;
        case HparamPreset::StepLawBootstrapMean:
            if (haveN && haveD)
                r.lr = logLinearLr(in.n, in.d, kStepBootLrLogC, kStepBootLrN, kStepBootLrD);
            if (haveD)
                r.batchTokens = logLinearBatch(in.d, kStepBootBsLogC, kStepBootBsD);
            if (!haveN)
                missing.push_back("n (non-embedding parameters) for the LR");
            if (!haveD)
                missing.push_back("d (training tokens)");
            break;
        case HparamPreset::DeepSeek: {
            double m = in.flopsPerToken;
            if (m <= 0 && in.nLayer > 0 && in.dModel > 0) {
                m = deepSeekFlopsPerToken(in.nLayer, in.dModel, in.seqLen);
                r.notes.push_back(
                    "M = 72*n_layer*d_model^2 + 12*n_layer*d_model*l_seq from the "
                    "architecture");
            } else if (m <= 0 && haveN) {
                m = 6.0 * in.n;
                r.notes.push_back(
                    "M approximated as 6N (no architecture given); DeepSeek's M "
                    "also counts attention FLOPs, 12*n_layer*d_model*l_seq");
            }
            if (m > 0 && haveD) {
                const double c = m * in.d;
                r.computeFlops = c;
                r.lr = powerLaw(c, kDeepSeekLrK, kDeepSeekLrE);
                r.batchTokens = powerLaw(c, kDeepSeekBsK, kDeepSeekBsE);
            } else {
                if (m <= 0)
                    missing.push_back("n or the architecture (n_layer, d_model) for C = M*D");
                if (!haveD)
                    missing.push_back("d (training tokens)");
            }
            break;
        }
        case HparamPreset::Porian:
            if (haveN) {
                r.lr = powerLaw(in.n, kPorianLrK, kPorianLrE);
                r.batchTokens = powerLaw(in.n, kPorianBsK, kPorianBsE);
                r.notes.push_back("batch units unverified (tokens assumed)");
            } else {
                missing.push_back("n (non-embedding parameters)");
            }
            break;
        case HparamPreset::Kaplan:
            if (haveN) {
                const double lr = kKaplanLrA + kKaplanLrB * std::log(in.n);
                if (lr > 0)
                    r.lr = lr;
                else
                    r.notes.push_back("Kaplan LR(N) is <= 0 for N >= 1.2e10; formula out of range");
            } else {
                missing.push_back("n (non-embedding parameters) for the LR");
            }
            if (haveL) {
                r.batchTokens = kKaplanBStar / std::pow(in.loss, kKaplanInvAlphaB);
                r.notes.push_back("batch is Kaplan's critical batch B_crit(L)");
            } else {
                missing.push_back("loss (nats/token) for the critical batch");
            }
            break;
        case HparamPreset::MiniCpm:
            if (haveL)
                r.batchTokens = kMiniCpmBsK / std::pow(in.loss, kMiniCpmBsE);
            else
                missing.push_back("loss (nats/token, C4) for the batch");
            r.notes.push_back("MiniCPM keeps the LR fixed (~0.01) under muP; no LR law");
            break;
    }
    if (r.batchTokens)
        r.batchSequences = *r.batchTokens / in.seqLen;
    if (!missing.empty()) {
        r.message = info.name + " needs ";
        for (std::size_t i = 0; i < missing.size(); ++i)
            r.message += (i ? ", " : "") + missing[i];
    }
    return r;
}

std::vector<HparamRecommendation> recommendAllHparams(const HparamInputs& inputs) {
    std::vector<HparamRecommendation> out;
    for (const auto& p : hparamPresets())
        out.push_back(recommendHparams(p.id, inputs));
    return out;
}

}  // namespace scalelens::fit
