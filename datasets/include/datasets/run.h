// Plain value types shared by the project store and the importers: a training run, a metric
// curve, a benchmark evaluation. No SQL, no Qt: widgets and fitting adapters read these.
//
// Units: parameters and tokens are counts (not millions/billions), FLOPs are total training
// FLOPs, batch size is in TOKENS (sequences x sequence length, as in Li et al. 2025, Step Law),
// learning rate is the peak LR of the schedule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::data {

// The numeric run fields. Used as bit positions in Run::derivedMask and by the importers'
// column mapping (see fieldKey()).
enum class RunField : int {
    TotalParams = 0,     // N: all parameters
    NonEmbeddingParams,  // N without embeddings (Kaplan et al. 2020)
    ActiveParams,        // parameters active per token (MoE); dense: equal to TotalParams
    Tokens,              // D: training tokens
    Flops,               // C: training FLOPs
    PeakLr,              // peak learning rate
    BatchTokens,         // batch size in tokens
    SeqLen,              // sequence length in tokens
    Count
};

// Stable lower-case key of a field ("total_params", "tokens", ...), used in JSON and settings.
std::string_view fieldKey(RunField field);

struct Run {
    std::int64_t id = 0;  // 0 = not stored yet
    std::string name;     // unique within its group
    std::string group;    // sweep name, e.g. "chinchilla-sweep"; may be empty

    std::optional<double> totalParams;
    std::optional<double> nonEmbeddingParams;
    std::optional<double> activeParams;
    std::optional<double> tokens;
    std::optional<double> flops;
    std::optional<double> peakLr;
    std::optional<double> batchTokens;
    std::optional<double> seqLen;

    // Pruning / sparsity schedule as JSON text (empty = dense). Shape used by the examples:
    // {"kind":"geometric","prune_start":0.25,"prune_end":0.75,"final_sparsity":0.6}
    // with fractions of training compute (Jin et al. 2025, "The Journey Matters").
    std::string sparsitySchedule;
    std::string releaseDate;        // ISO date YYYY-MM-DD, or empty
    std::vector<std::string> tags;  // free labels (e.g. organisation)
    bool excluded = false;          // left out of fits and plots
    std::string notes;              // free text (e.g. provenance)

    // Bit (1 << int(RunField)) set when that field was computed rather than given,
    // e.g. D = C / (6N) or C = 6ND (Kaplan et al. 2020, Eq. 2.1 approximation).
    std::uint32_t derivedMask = 0;

    std::optional<double>& field(RunField f);
    const std::optional<double>& field(RunField f) const;
    bool isDerived(RunField f) const { return (derivedMask >> static_cast<int>(f)) & 1u; }
    void setDerived(RunField f, bool derived);
};

// Tag of a run that stopped before its schedule ended (a summary's `status` column says so, or
// its LR curve had not decayed like the other runs of its sweep). Fits leave such runs out by
// default; removing the tag includes the run again.
inline constexpr const char* kStoppedMidScheduleTag = "stopped-mid-schedule";

// Fills whichever of tokens / flops is missing from the other two with C = 6 N D and marks it
// derived. N is totalParams (activeParams for MoE when given). Does nothing otherwise.
void deriveComputeFields(Run& run);

// A curve, columnar. Optional axes that a row lacks are NaN here (never stored as NaN:
// the file holds NULL); `value` is always finite.
struct MetricSeries {
    std::vector<double> step;
    std::vector<double> tokens;
    std::vector<double> flops;
    std::vector<double> wallTime;  // seconds (relative or Unix, as the source gave it)
    std::vector<double> value;
    std::size_t size() const { return value.size(); }
};

struct RunValue {
    std::int64_t runId = 0;
    double value = 0.0;
};

struct Evaluation {
    std::int64_t id = 0;
    std::int64_t runId = 0;
    std::string benchmark;     // e.g. "mmlu"
    std::optional<int> shots;  // few-shot count when known
    double score = 0.0;        // as published (percent for the model zoo)
};

}  // namespace scalelens::data
