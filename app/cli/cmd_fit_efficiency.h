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

#include <analysis/law_inputs.h>
#include <analysis/run_table.h>
#include <datasets/run.h>
#include <fitting/chinchilla_fit.h>

#include "command.h"

namespace scalelens::cli::efficiency {

// Selected runs with the final value of each metric and their benchmark scores
// (analysis/run_table.h: the same table the GUI's fits use).
using RunTable = analysis::RunTable;

// Loads from --input CSV (ImportFormat::Summary unless --format) or --project FILE, keeping
// runs of --group when given (analysis::loadRunTable / runTableFromImport). The loss metric is
// `lossMetric` (--loss-metric), else the project's choice (analysis/loss_metric.h), else the
// documented default order; "loss" when --map names the loss column. Curves of the metrics in
// `wantSeries` are loaded too. Throws UsageError for missing/conflicting options; returns
// false with *error for unreadable or malformed files (exit code 3).
bool loadRunTable(const TableOptions& options, RunTable* table, std::string* error,
                  const std::string& lossMetric = {}, const std::set<std::string>& wantSeries = {});
// Prints "no metric 'X' in the input (use --loss-metric NAME or --map L=COLUMN)" and returns
// false when the table's loss metric has no value.
bool requireLossMetric(const RunTable& table);
// Prints "warning: N runs <why>; skipped" when rows were skipped.
void reportSkipped(const analysis::InputRows& rows);

// {"name": value} and {"name": {"value", "stderr", "ci95": [lo, hi]}} for engine estimates.
QJsonObject estimatesToJson(const std::vector<fit::Estimate>& estimates);
// A FitResult's essentials: status, message, params, objective, diagnostics.
QJsonObject fitResultJson(const fit::FitResult& result);

// Writes one JSON document to stdout.
void printJson(const QJsonObject& root);

// Options of the Chinchilla engine from --loss, --delta, --bootstrap N (0 = none).
fit::FitOptions engineOptions(const EngineArgs& args);

}  // namespace scalelens::cli::efficiency
