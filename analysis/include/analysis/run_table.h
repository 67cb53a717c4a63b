// Selecting runs and reading what the laws need from them: a RunTable holds the selected runs,
// the final value of each metric per run, benchmark scores and, on request, whole curves.
// It is built from a project (loadRunTable) or from a parsed file (runTableFromImport, for
// `scalelens-cli fit --input FILE.csv`), so the GUI and the CLI see the same table.
//
//   analysis::Selection sel;
//   sel.group = "chinchilla-sweep";                 // lossMetric empty: the project's choice
//   analysis::RunTable table;
//   if (!analysis::loadRunTable(project, sel, &table, &error)) fail(error);
//   for (std::size_t i = 0; i < table.size(); ++i) use(table.runs[i], table.loss(i));
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <datasets/import.h>
#include <datasets/run.h>

namespace scalelens::data {
class Project;
}

namespace scalelens::analysis {

// Which runs a view or a fit uses.
struct Selection {
    std::optional<std::string> group;  // only runs of this group (sweep)
    // The group is the project's default scaling sweep (law_inputs.h: defaultScalingSweep),
    // not one the user named; fits say so (selection_diagnostics.h: "default_group").
    bool groupIsDefault = false;
    std::vector<std::int64_t> runIds;  // non-empty (or selectedOnly): only these runs
    bool selectedOnly = false;         // true: only runIds, so an empty list selects nothing
    bool includeExcluded = false;      // also runs the user excluded from fits and plots
    // Leave out runs marked as stopped before the end of their schedule. The mark comes from
    // the importers (a run whose notes or tags say "stopped"); until they set it, no run has it.
    bool excludeStoppedMidSchedule = true;
    std::string lossMetric;  // empty: the project's loss metric (loss_metric.h)
    // Use stored forecasts (data::RunForecast, `scalelens-cli forecast --store`) of the loss
    // metric as the final loss of runs whose logged curve stops before the forecast's final
    // step; such runs are kept even when marked stopped mid-schedule, and their derived tokens
    // and FLOPs are scaled to the end of the schedule (final step + 1) / (last logged step).
    // Off by default: a forecast is never mistaken for a measured loss.
    bool includeForecasts = false;
    // "Group 'x'", "All included runs", "12 selected runs".
    std::string describe() const;
};

// True when the run is marked as stopped mid-schedule (tag "stopped-mid-schedule").
bool stoppedMidSchedule(const data::Run& run);
inline constexpr const char* kStoppedTag = "stopped-mid-schedule";

struct CurvePoint {
    double step = 0;    // NaN when the row has none
    double tokens = 0;  // NaN when the row has none
    double value = 0;
};

struct RunTable {
    std::vector<data::Run> runs;       // selected runs, project order (group, then name)
    std::string lossMetric;            // the metric loss() reads
    std::optional<std::string> group;  // the selection's group, if any
    bool groupIsDefault = false;       // Selection::groupIsDefault
    // metric name -> final value per run (runs order); nullopt when the run lacks it.
    std::map<std::string, std::vector<std::optional<double>>> metrics;
    // benchmark -> score per run.
    std::map<std::string, std::vector<std::optional<double>>> evaluations;
    // Curves asked for with `wantSeries`: metric -> per run, points in step order.
    std::map<std::string, std::vector<std::vector<CurvePoint>>> series;
    std::vector<std::string> warnings;  // from the importer (runTableFromImport)
    int excludedSkipped = 0;            // runs left out because the user excluded them
    int stoppedSkipped = 0;             // runs left out as stopped mid-schedule
    // Per run (runs order): true when its final loss (and derived D, C) come from a stored
    // forecast (Selection::includeForecasts). Empty when forecasts were not asked for.
    std::vector<bool> forecastLoss;
    int forecastsUsed = 0;   // runs whose final loss is a forecast
    int forecastsStale = 0;  // stored forecasts not used: the run was logged beyond them since
    bool isForecast(std::size_t run) const {
        return run < forecastLoss.size() && forecastLoss[run];
    }

    std::size_t size() const { return runs.size(); }
    std::optional<double> metric(const std::string& name, std::size_t run) const;
    std::optional<double> evaluation(const std::string& benchmark, std::size_t run) const;
    std::optional<double> loss(std::size_t run) const { return metric(lossMetric, run); }
    bool hasMetric(const std::string& name) const;
    // Curve of `metric` for run `run` (empty when not loaded or absent).
    const std::vector<CurvePoint>& curve(const std::string& metric, std::size_t run) const;
};

// Selected runs of a project with every metric's final value and every evaluation; curves of
// the metrics in `wantSeries`. False with a message when the selection holds no run.
bool loadRunTable(const data::Project& project, const Selection& selection, RunTable* table,
                  std::string* error, const std::set<std::string>& wantSeries = {});

// The same from a parsed file (data::parseImport). The loss metric, when the selection names
// none, is defaultLossMetric() of the file's metrics.
bool runTableFromImport(const data::ImportResult& parsed, const Selection& selection,
                        RunTable* table, std::string* error,
                        const std::set<std::string>& wantSeries = {});

}  // namespace scalelens::analysis
