// Shared helpers of the efficiency-law fits (`scalelens-cli fit --law average-param | densing |
// knowledge | lr-bs`): loading runs from a CSV (datasets' importer) or a project, and JSON
// output of estimates.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <datasets/run.h>
#include <fitting/chinchilla_fit.h>

#include "command.h"

namespace scalelens::cli::efficiency {

// Runs with their final (or only) value of each metric and their benchmark scores.
struct RunTable {
    std::vector<data::Run> runs;  // excluded runs already dropped
    // metric name -> value per run (runs order); absent when the run has no such metric.
    std::map<std::string, std::vector<std::optional<double>>> metrics;
    // benchmark (lower case) -> score per run.
    std::map<std::string, std::vector<std::optional<double>>> evaluations;
    std::vector<std::string> warnings;
    // Full curves of the metrics named in `wantSeries` (set before loading): per run, the
    // points (step, tokens, value) in file/step order; NaN for a missing step or tokens.
    std::set<std::string> wantSeries;
    std::map<std::string, std::vector<std::vector<std::array<double, 3>>>> series;

    std::optional<double> metric(const std::string& name, std::size_t run) const;
    std::optional<double> evaluation(const std::string& benchmark, std::size_t run) const;
    bool hasMetric(const std::string& name) const { return metrics.count(name) > 0; }
};

// Loads from --input CSV (ImportFormat::Summary unless --format) or --project FILE, keeping
// runs of --group when given. Throws UsageError for missing/conflicting options; returns
// false with *error for unreadable or malformed files (exit code 3).
bool loadRunTable(const TableOptions& options, RunTable* table, std::string* error);

// {"name": value} and {"name": {"value", "stderr", "ci95": [lo, hi]}} for engine estimates.
QJsonObject estimatesToJson(const std::vector<fit::Estimate>& estimates);
// A FitResult's essentials: status, message, params, objective, diagnostics.
QJsonObject fitResultJson(const fit::FitResult& result);

// Writes one JSON document to stdout.
void printJson(const QJsonObject& root);

// Options of the Chinchilla engine from --loss, --delta, --bootstrap N (0 = none).
fit::FitOptions engineOptions(const EngineArgs& args);

}  // namespace scalelens::cli::efficiency
