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
#include <fitting/result.h>

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

// Text output of a result's diagnostics on stdout, one per line, worst first:
//   "  [warning] few_points: 7 points for 5 parameters ...".
void printDiagnostics(const std::vector<fit::Diagnostic>& diagnostics);

// --allow-unreliable: exit 0 instead of 5 when a diagnostic marks the fit unreliable.
void addAllowUnreliable(CLI::App& app, bool& allow);

// Exit code of a finished fit of any law, after its output was printed: 0 for Converged (or
// NoConvergence), 5 for Unreliable unless `allowUnreliable` (then 0), 3 for Failed, 4 for the
// rest. Messages go to stderr.
int fitExitCode(fit::FitStatus status, const std::string& message, bool allowUnreliable);

// Writes one JSON document to stdout.
void printJson(const QJsonObject& root);

// Options of the Chinchilla engine from --loss, --delta, --bootstrap N (0 = none).
fit::FitOptions engineOptions(const EngineArgs& args);

}  // namespace scalelens::cli::efficiency
