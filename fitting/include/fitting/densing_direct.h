// Densing law, direct mode over a model table: for users without reference-model losses.
//
// 1. fit a score-vs-size curve S(ln N) to a reference family (e.g. LLaMA-1 on MMLU),
// 2. invert it for every model: N_eff(S), density ρ = N_eff / N,
// 3. fit ln ρ_max = A·t + B over release dates (running-maximum envelope), doubling ln 2 / A.
//
// This replaces the paper's loss-based two-step estimate (Xiao et al. 2024, §2) by a
// benchmark-vs-size curve, so densities are relative to the reference family (ρ ≈ 1 for it),
// not to the paper's MiniCPM reference models; the doubling time does not depend on that
// choice of scale as long as the curve's shape is right.
//
//   std::vector<DensityModel> models = ...;   // name, N, score, days since 2023-02-24
//   DirectDensityResult r = analyseDensityDirect(models, curveOptions, trendOptions);
#pragma once

#include <string>
#include <vector>

#include "fitting/densing.h"

namespace scalelens::fit {

struct DensityModel {
    std::string name;
    double n = 0;            // parameters (total; the caller decides for MoE)
    double score = 0;        // benchmark score on the curve's scale
    double days = 0;         // release date, days since 2023-02-24 (daysSinceLlama1)
    bool reference = false;  // part of the reference family the curve is fitted to
};

struct DensityModelResult {
    std::string name;
    bool ok = false;      // N_eff defined (score inside the curve's range)
    std::string message;  // why not
    double nEff = 0;
    double density = 0;  // N_eff / N
    double days = 0;
};

struct DirectDensityResult : FitResultBase {
    SizeCurveFit curve;                      // fitted on the reference models
    std::vector<DensityModelResult> models;  // input order
    DensityTrendFit trend;                   // over the models with ok = true
    int skipped = 0;                         // models without a density
};

DirectDensityResult analyseDensityDirect(const std::vector<DensityModel>& models,
                                         const SizeCurveFitOptions& curveOptions,
                                         const DensityTrendOptions& trendOptions = {});

}  // namespace scalelens::fit
