// Run-log importers: pure parse functions (configuration in, result out), separate from the
// step that writes SQLite (Project::applyImport / Project::importFile).
//
//   data::ImportConfig config;                  // everything auto-detected
//   config.columnMap["loss"] = "val/loss";      // override one mapping
//   data::ImportResult parsed = data::parseImport("runs.csv", config);
//   if (!parsed.ok) show(parsed.error);         // "runs.csv:17:3: expected a number ..."
//   else project->applyImport(parsed, &report, &error);
//
// Formats (ImportFormat):
//   Long        tidy rows `run, step, tokens, flops, metric, value`; or `run, step, <metric
//               columns...>` (one metric per numeric column, empty cells skipped).
//   Wide        `step[, tokens], <run A>, <run B>, ...`: one column per run; a column named
//               "run/metric" gives the metric, else ImportConfig::metricName.
//   Summary     one row per run: name, N, D, C, loss, lr, batch, ... Extra numeric columns become
//               summary metrics (no step); benchmark columns (mmlu, bbh, ...) become evaluations.
//   TensorBoard `Wall time,Step,Value`; run and tag from the file name run-<run>-tag-<tag>.csv.
//   WandB       history export: `_step`, `_runtime`, `_timestamp` and sparse metric columns; the
//               run is ImportConfig::runName, else the file name. Chart exports
//               (`Step, <run> - <metric>`, with __MIN/__MAX columns skipped) are read too.
//   MLflow      a path to `mlruns/`, an experiment folder or a run folder; each
//               `metrics/<key>` file has lines `timestamp value step`; the run name comes from
//               `tags/mlflow.runName`, the group from the experiment's meta.yaml `name:`.
//
// Text rules: UTF-8 with or without BOM, LF or CRLF, RFC 4180 quoting. Delimiter (comma,
// semicolon, tab), header and decimal comma are detected from the first lines; the system
// locale is never used (numbers parse with fast_float::from_chars; 1e21 and 5.76E+23 always work).
// Empty cells are missing values. "nan", "inf", "-inf", "NaN", "Infinity" cells become missing
// values with a warning; NaN is never stored. Duplicate (run, metric, step) rows: the later one
// wins (resumed runs). Column names map case-insensitively through well-known aliases
// (N/params/model size, D/tokens, C/flops/compute, loss/val_loss, lr/learning_rate,
// batch/batch_size, step, ...); ImportConfig::columnMap overrides them.
#pragma once

#include <fitting/status.h>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "datasets/run.h"

namespace scalelens::data {

enum class ImportFormat { Auto, Long, Wide, Summary, TensorBoard, WandB, MLflow };

// "auto", "long", "wide", "summary", "tensorboard", "wandb", "mlflow".
std::string toString(ImportFormat format);
std::optional<ImportFormat> importFormatFromString(const std::string& text);

// When a file brings a value for a run field the project already holds with a different value
// (both given, not derived): keep the project's value (default) or take the file's. Either way
// the conflict is listed in ImportReport::conflicts. A derived value never conflicts: a given
// value replaces it, and a derived value never replaces a given one.
enum class OnConflict { Keep, Replace };
// "keep", "replace".
std::string toString(OnConflict onConflict);
std::optional<OnConflict> onConflictFromString(const std::string& text);

// Mapping keys (left side of ImportConfig::columnMap / --map key=column):
//   run, group, step, tokens, flops, wall_time, metric, value      (curves)
//   N, non_embedding_params, active_params, lr, batch (tokens), batch_sequences, seq_len,
//   sparsity_schedule, release_date, tags, notes                   (run fields)
// D = tokens and C = flops: run fields in summary files, per-row axes in curve files.
// Keys are case-insensitive; "params" = N, "compute" = C, "batch_size" = batch, etc.
// Any other key names a metric: `loss=final_loss` imports column final_loss as metric "loss".
struct ImportConfig {
    // Format to parse; Auto detects it from the path, file name and header.
    ImportFormat format = ImportFormat::Auto;
    // key -> column name overrides (column names compare case-insensitively). A column named
    // here is used for that key even if its name is not a well-known alias, and wins over any
    // column auto-detected for it. An empty column ("N=") means no column is that key.
    std::map<std::string, std::string> columnMap;
    // Field delimiter: 0 = detect among ',', ';', '\t'.
    char delimiter = 0;
    // Decimal separator: 0 = detect ('.' unless the delimiter is not ',' and cells look like
    // "1,5"). Only '.' and ',' are valid.
    char decimal = 0;
    // First line is a header: unset = detect (a first line with non-numeric cells is a header).
    std::optional<bool> hasHeader;
    // Group (sweep) for runs whose file gives none.
    std::string group;
    // Run name for single-run formats (WandB history, TensorBoard without a run-...-tag- name);
    // empty = derived from the file name.
    std::string runName;
    // Metric name for Wide files and TensorBoard files without a tag; empty = "loss".
    std::string metricName;
    // Name used in messages instead of the file name (for parseImport(std::istream&, ...)).
    std::string sourceName;
    // Benchmark column -> few-shot count, for summary files with evaluation columns.
    std::map<std::string, int> evaluationShots;
    // Fill D = C/(6N) or C = 6ND when exactly one is missing, and mark it derived.
    bool deriveComputeFields = true;
    // A run already in the project with a different value for a field: see OnConflict.
    OnConflict onConflict = OnConflict::Keep;
    // Metric rows handed to the writer per batch; bounds memory for huge files.
    std::size_t batchRows = 1 << 16;
    // At most this many warnings are kept (the count of the rest is in ImportResult).
    std::size_t maxWarnings = 100;

    bool isValid(std::string* error) const;
};

struct ImportWarning {
    std::int64_t line = 0;    // 1-based; 0 = whole file
    std::int64_t column = 0;  // 1-based; 0 = whole line
    std::string message;      // full text "file:line:col: ..."
};

// Metric rows, columnar; run/metric are indices into ImportResult::runs / metricNames.
// Optional axes a row lacks are NaN in memory (stored as NULL); value is always finite.
struct MetricBatch {
    std::vector<std::int32_t> run;
    std::vector<std::int32_t> metric;
    std::vector<double> step, tokens, flops, wallTime, value;
    std::size_t size() const { return value.size(); }
    void clear();
    void reserve(std::size_t n);
};

struct ParsedEvaluation {
    std::int32_t run = 0;  // index into ImportResult::runs
    std::string benchmark;
    std::optional<int> shots;
    double score = 0.0;
};

// Header facts about one source, filled by every parse (also the streaming one).
struct SourceInfo {
    std::string path;         // as given
    std::string displayName;  // file name used in messages
    std::uint64_t sizeBytes = 0;
    std::string sha256;  // hex digest of the bytes; empty for streams and MLflow folders
                         // (MLflow: digest over the metric files, in path order)
    ImportFormat format = ImportFormat::Auto;  // the detected/used format
    char delimiter = ',';
    char decimal = '.';
    bool hasHeader = true;
    std::map<std::string, std::string> mapping;  // key -> column actually used
};

struct ImportResult {
    bool ok = false;
    std::string error;  // "file:line:column: what was expected, what was found"
    bool cancelled = false;
    SourceInfo source;
    std::vector<Run> runs;  // distinct runs in first-seen order (id = 0)
    std::vector<std::string> metricNames;
    MetricBatch metrics;
    std::vector<ParsedEvaluation> evaluations;
    std::vector<ImportWarning> warnings;
    std::size_t droppedWarnings = 0;           // warnings beyond ImportConfig::maxWarnings
    OnConflict onConflict = OnConflict::Keep;  // copied from the config (Project::applyImport)
};

// What a write step did.
struct ImportReport {
    std::int64_t importId = 0;           // row in the imports table; 0 when skipped
    std::int64_t duplicateOfImport = 0;  // != 0: same sha256 imported before, nothing written
    ImportFormat format = ImportFormat::Auto;
    std::int64_t runsAdded = 0;
    std::int64_t runsUpdated = 0;     // runs matched by name (same run in another file)
    std::int64_t runsConflicted = 0;  // matched runs with at least one conflicting field
    // One line per conflicting field: "run 'gpt-s4': peak_lr is 0.0006 in the project,
    // 0.00045 in this file; kept 0.0006 (--on-conflict replace takes the file's)".
    std::vector<std::string> conflicts;
    // Run fields computed from curves after the import (Project::importFile): peak LR, D, C, N.
    std::int64_t fieldsDerived = 0;
    // One line per run newly tagged kStoppedMidScheduleTag, saying why.
    std::vector<std::string> stoppedRuns;
    std::int64_t metricRows = 0;
    std::int64_t evaluations = 0;
    std::vector<ImportWarning> warnings;
    std::size_t droppedWarnings = 0;
};

// Parses a file (or an MLflow folder) fully into memory. For very large files prefer
// Project::importFile, which streams. Never throws.
ImportResult parseImport(const std::string& path, const ImportConfig& config,
                         const fit::ProgressCallback& progress = {});
// Parses CSV text (any format but MLflow). Messages use config.sourceName.
ImportResult parseImport(std::istream& in, const ImportConfig& config,
                         const fit::ProgressCallback& progress = {});

// What the GUI import dialog shows before importing.
struct ImportPreview {
    bool ok = false;
    std::string error;
    ImportFormat format = ImportFormat::Auto;  // detected (or forced by the config)
    char delimiter = ',';
    char decimal = '.';
    bool hasHeader = true;
    std::vector<std::string> columns;                     // header names (or "column 1", ...)
    std::vector<std::vector<std::string>> rows;           // first rows as text, unquoted
    std::map<std::string, std::string> suggestedMapping;  // key -> column
    // Ambiguous or skipped auto-mappings ("N: using column 'params_total'; ...").
    std::vector<std::string> notes;
};
ImportPreview previewImport(const std::string& path, const ImportConfig& config = {},
                            std::size_t maxRows = 100);

// Receiver of a streaming parse. Project implements one that writes SQLite; parseImport uses
// one that collects into an ImportResult. Return false from any call to stop the parse (the
// parser then fails with `error` set by the sink).
class ImportSink {
  public:
    virtual ~ImportSink() = default;
    // A new distinct run (once per run name within the file); returns false to stop.
    virtual bool addRun(const Run& run, std::string* error) = 0;
    // A new distinct metric name.
    virtual bool addMetricName(const std::string& name, std::string* error) = 0;
    // A batch of rows; indices refer to the order of addRun / addMetricName calls.
    virtual bool addMetrics(const MetricBatch& batch, std::string* error) = 0;
    virtual bool addEvaluation(const ParsedEvaluation& evaluation, std::string* error) = 0;
};

// Streams `path` into `sink`. `result` receives ok/error/source/warnings but no rows.
void parseImportTo(const std::string& path, const ImportConfig& config, ImportSink& sink,
                   ImportResult& result, const fit::ProgressCallback& progress = {});

// Lower-case hex SHA-256 of a file's bytes; empty with `error` set when unreadable.
std::string fileSha256(const std::string& path, std::string* error);

}  // namespace scalelens::data
