// Per-law input tables built from a RunTable, with the run-level derivations that are not
// stored (D = C/(6N), C = 6ND, N-bar from a pruning schedule, knowledge bits, planned budgets)
// and the rules every front-end shares (drop the K highest losses, budget and (N, D) grouping).
//
//   analysis::NdlInputs in = analysis::ndlInputs(table);            // Chinchilla / Kaplan
//   if (!analysis::dropHighestLoss(&in, 5, &error)) fail(error);    // K >= n is an error
//   fit::fitChinchilla(in.obs, options);
//
// Every table keeps, per row, the run it came from (rows, runIds, names) and counts the
// selected runs it could not use (skipped) with the reason (skippedWhy).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fitting/avgparam_fit.h>
#include <fitting/chinchilla_fit.h>
#include <fitting/densing.h>
#include <fitting/densing_direct.h>
#include <fitting/hparams_fit.h>
#include <fitting/isoflop.h>
#include <fitting/knowledge.h>

#include "analysis/grouping.h"
#include "analysis/run_table.h"

namespace scalelens::analysis {

// ---- run-level derivations -------------------------------------------------------------------

// Which parameter count is "N". Each falls back to the total count when the run lacks it.
enum class ParamsKind {
    Total,         // all parameters
    NonEmbedding,  // Kaplan et al. 2020; Step Law's N
    Active,        // parameters active per token (MoE); = total for dense runs
};
std::optional<double> runParams(const data::Run& run, ParamsKind kind);

// N, D and C of a run, each > 0: D = C/(6N) when only C is known, C = 6ND when only D is.
struct Ndc {
    double N = 0, D = 0, C = 0;
};
std::optional<Ndc> runNdc(const data::Run& run, ParamsKind kind);

// A run's planned compute budget: the metric (summary column) `budget_flops` when present.
inline constexpr const char* kBudgetMetric = "budget_flops";
std::optional<double> plannedBudget(const RunTable& table, std::size_t run);

// Knowledge bits of a run: metric `bits`, else `knowledge_bits`, else from bioS losses
// `people`, `p1`, `p2` (fit::knowledgeBitsBioS).
std::optional<double> knowledgeBits(const RunTable& table, std::size_t run);

// ---- tables ----------------------------------------------------------------------------------

struct InputRows {
    std::vector<std::size_t> rows;     // index into RunTable::runs, per input row
    std::vector<std::int64_t> runIds;  // per input row (0 for runs read from a file)
    std::vector<std::string> names;    // per input row
    int skipped = 0;                   // selected runs without what the law needs
    std::string skippedWhy;            // "lack N, D (or C) or the loss 'val_loss'"
    int dropped = 0;                   // rows removed by dropHighestLoss
    // Selected runs left out because they were pruned during training (a sparsity schedule):
    // their N is not the Chinchilla / IsoFLOP N (the average-parameter law fits them).
    int pruned = 0;
    // Per input row: its loss is a stored forecast (RunTable::isForecast), not measured.
    std::vector<bool> forecast;
    int forecasts = 0;       // rows whose loss is a forecast
    std::string lossMetric;  // the metric the losses come from ("" if none used)
    std::size_t size() const { return rows.size(); }
    void add(const RunTable& table, std::size_t row);
};

// Chinchilla, Kaplan: (N, D, L) per run; N active (= total for dense runs), D from C/(6N) when
// only C is logged. `compute` is C per row (given, or 6ND). Pruned runs (a sparsity schedule)
// are left out and counted in `pruned`, here and in isoflopInputs, for every front-end.
struct NdlInputs : InputRows {
    std::vector<fit::Observation> obs;
    std::vector<double> compute;
};
NdlInputs ndlInputs(const RunTable& table, ParamsKind kind = ParamsKind::Active);

// IsoFLOP (Approach 2): (C, N, L) per run, C replaced by its budget group's value (grouping.h).
// The budget of a run is its planned budget (plannedBudget) when present, else its logged or
// derived C. `budgets` holds the groups.
struct IsoFlopInputs : InputRows {
    std::vector<fit::IsoFlopPoint> points;  // C = the group's budget
    std::vector<double> runCompute;         // the run's own budget before grouping
    int plannedBudgets = 0;                 // rows whose budget came from budget_flops
    Grouping grouping;
    Groups budgets;
};
IsoFlopInputs isoflopInputs(const RunTable& table, const Grouping& grouping = {});

// Average-parameter law (Jin et al. 2025): N-bar and final N per run, from (in this order) a
// logged parameter-count curve `paramsMetric` (its step- or token-weighted average), the
// `avg_params` metric, the run's sparsity schedule, or dense (N-bar = N). D is the run's tokens,
// else the last tokens value of that curve. False with a message naming the run when a
// schedule or a curve cannot be read.
struct AvgParamInputs : InputRows {
    std::vector<fit::AvgParamRun> runs;
    std::vector<double> nDense;           // per row
    std::vector<double> finalSparsity;    // per row
    std::vector<std::string> nAvgSource;  // "dense", "schedule", "avg_params column", "curve ..."
    int sparseRuns = 0;
};
inline constexpr const char* kDefaultParamsMetric = "nonzero_params";
bool avgParamInputs(const RunTable& table, const std::string& paramsMetric, AvgParamInputs* out,
                    std::string* error);

// Knowledge capacity (Allen-Zhu & Li 2024): (P, bits) per run with a parameter count.
struct KnowledgeInputs : InputRows {
    std::vector<fit::KnowledgePoint> points;
};
KnowledgeInputs knowledgeInputs(const RunTable& table);

// LR x batch (Li et al. 2025): (N non-embedding, D, peak LR, batch tokens, loss) per run, with N
// and D snapped to their (N, D) group's values (grouping.h), so runs of one group whose token
// counts differ by a few steps are one group. `batchScale` multiplies the batch column (the
// sequence length when it holds sequences).
struct LrBsInputs : InputRows {
    std::vector<fit::LrBsRun> runs;
    Grouping grouping;
    int nGroups = 0;  // distinct (N, D) groups
};
LrBsInputs lrBsInputs(const RunTable& table, const Grouping& grouping = {},
                      double batchScale = 1.0);

// Densing law (Xiao et al. 2024): models with N, a benchmark score and a release date; for the
// two-step pipeline also (N, D, L) loss points and (L, score) points.
struct DensingSelection {
    std::string benchmark;  // "": defaultDensingBenchmark()
    ParamsKind params = ParamsKind::Total;
    std::string referencePattern;  // regex of the reference family; "": every model
    std::string excludePattern;    // regex on name or notes; "": none
};
struct DensingInputs : InputRows {
    std::string benchmark;
    std::vector<fit::DensityModel> models;  // per row
    std::vector<std::string> releaseDates;  // per row
    std::vector<fit::DensingLossPoint> lossPoints;
    std::vector<fit::DensingScorePoint> scorePoints;
};
// The benchmark scoring the most selected runs (evaluations, then metrics); "" when none.
std::string defaultDensingBenchmark(const RunTable& table);
// False with a message for an invalid regular expression (naming the option) or no benchmark.
bool densingInputs(const RunTable& table, const DensingSelection& selection, DensingInputs* out,
                   std::string* error);

// The reference family the density view uses in direct mode when none is named: the models of
// the earliest release date shared by >= 3 models (e.g. LLaMA-1's four sizes), as a regular
// expression for DensingSelection::referencePattern (`--reference`): "^(name1|name2|name3)$"
// with the names' special characters escaped. "" when no date is shared by 3 models.
std::string earliestFamilyPattern(const DensingInputs& in);

// The paper's two-step pipeline (Eqs. 2-4): fit L = a N^-alpha + b D^-beta to the loss points,
// S = c/(1+exp(-gamma(L-l))) + d to the score points, invert each model's score to N_eff at
// D0 = 1e12 tokens, density = N_eff/N, then the trend over release dates.
struct DensingTwoStepResult {
    bool ok = false;
    std::string message;  // why !ok ("loss law: ..." / "score map: ...")
    fit::DensingLossFit lossFit;
    fit::DensingScoreFit scoreFit;
    std::vector<fit::DensityModelResult> models;  // per DensingInputs row
    fit::DensityTrendFit trend;
};
DensingTwoStepResult densingTwoStep(const DensingInputs& in,
                                    const fit::DensityTrendOptions& trendOptions);

// ---- the default scaling sweep ------------------------------------------------------------

// The sweep (group) the Chinchilla-family views draw and `scalelens-cli fit --law
// chinchilla|kaplan|isoflop --project P` fits when no --group is given: "chinchilla-sweep" when
// it has >= 5 usable runs, else the largest group whose usable runs (ndlInputs: not excluded,
// not stopped, dense, with N, D and a final loss) have distinct (N, D) for > 80% of them (an
// LR x batch sweep repeats (N, D) and would bias a Chinchilla fit).
struct ScalingSweep {
    std::optional<std::string> group;  // nullopt: no group qualifies
    int groupsWithRuns = 0;            // groups holding usable runs ("" counts as one)
    std::string lossMetric;            // the metric read
};
ScalingSweep defaultScalingSweep(const data::Project& project, const std::string& lossMetric = {});

// ---- drop the K highest losses (Besiroglu et al. 2024 drop 5 of Chinchilla's 245) -----------

// Indices of the rows kept when the K highest of `losses` are left out (ties: the earlier row is
// dropped first), in order. K >= losses.size() is an error naming --drop-highest-loss.
bool keepAfterDroppingHighest(const std::vector<double>& losses, int k,
                              std::vector<std::size_t>* keep, std::string* error);
bool dropHighestLoss(NdlInputs* in, int k, std::string* error);
bool dropHighestLoss(IsoFlopInputs* in, int k, std::string* error);
bool dropHighestLoss(AvgParamInputs* in, int k, std::string* error);

}  // namespace scalelens::analysis
