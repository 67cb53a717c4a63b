// Shared state of one streaming parse: message formatting, run/metric interning, batching.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "datasets/import.h"

namespace scalelens::data::detail {

class ParseContext {
  public:
    ParseContext(const ImportConfig& config, ImportSink& sink, ImportResult& result,
                 const fit::ProgressCallback& progress);

    const ImportConfig& config() const { return m_config; }
    ImportResult& result() { return m_result; }

    // "file:line:column: message" (column 0 / line 0 omitted).
    std::string where(std::int64_t line, std::int64_t column) const;
    // Records the error; always returns false so callers can `return fail(...)`.
    bool fail(std::int64_t line, std::int64_t column, const std::string& message);
    void warn(std::int64_t line, std::int64_t column, const std::string& message);

    // Index of the run named `name`, adding it (with `fields` as its initial data) when new.
    // -1 on sink failure.
    int run(std::string_view name, const Run* fields = nullptr);
    // Index of an already added run, or -1 (cheap: the last run is cached).
    int findRun(std::string_view name);
    int metric(std::string_view name);
    bool addRow(int run, int metric, double step, double tokens, double flops, double wall,
                double value);
    bool addEvaluation(const ParsedEvaluation& e);
    // Hands the pending rows to the sink.
    bool flush();
    // Reports progress; false (and the cancelled state) when the callback asks to stop.
    bool progress(double fraction);

    std::int64_t rowsAdded() const { return m_rows; }

  private:
    const ImportConfig& m_config;
    ImportSink& m_sink;
    ImportResult& m_result;
    const fit::ProgressCallback& m_progress;
    std::unordered_map<std::string, int> m_runs;
    std::unordered_map<std::string, int> m_metrics;
    std::string m_lastRun, m_lastMetric;
    int m_lastRunIndex = -1, m_lastMetricIndex = -1;
    MetricBatch m_batch;
    std::int64_t m_rows = 0;
};

// CSV formats from a stream. `stem` names single-run files; `sizeBytes` drives progress.
void parseCsv(std::istream& in, std::uint64_t sizeBytes, const std::string& fileName,
              ParseContext& ctx);
// MLflow folders (mlruns root, experiment or run).
void parseMlflow(const std::string& path, ParseContext& ctx);
// TensorBoard event files: a log folder (searched recursively) or one events.out.tfevents.* file.
void parseTensorBoard(const std::string& path, ParseContext& ctx);
// The file name is an event file's (contains "tfevents"): never parsed as CSV.
bool isTensorBoardEventFile(const std::string& path);
// A folder with at least one event file somewhere below it.
bool isTensorBoardLogDir(const std::string& path);

}  // namespace scalelens::data::detail
