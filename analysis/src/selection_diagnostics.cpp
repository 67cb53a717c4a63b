#include "analysis/selection_diagnostics.h"

#include <set>
#include <string>

namespace scalelens::analysis {

std::vector<fit::Diagnostic> selectionDiagnostics(const RunTable& table, const InputRows& used) {
    std::vector<fit::Diagnostic> out;
    if (table.stoppedSkipped > 0) {
        const int n = table.stoppedSkipped;
        out.push_back({"stopped_excluded", fit::Severity::Warning,
                       std::to_string(n) + (n == 1 ? " run" : " runs") +
                           " stopped mid-schedule (tag '" + kStoppedTag +
                           "') left out of the fit: their last loss is not the end of their "
                           "schedule, so the fit covers fewer runs than the sweep planned"});
    }
    if (table.groupIsDefault && table.group)
        out.push_back({"default_group", fit::Severity::Info,
                       "fitted the runs of group '" + *table.group +
                           "', the project's scaling sweep (the GUI's Chinchilla, IsoFLOP and "
                           "loss-vs-compute views draw the same runs); --group NAME fits "
                           "another, --all-groups every run"});
    if (used.pruned > 0)
        out.push_back({"pruned_excluded", fit::Severity::Info,
                       std::to_string(used.pruned) + (used.pruned == 1 ? " run" : " runs") +
                           " pruned during training (a sparsity schedule) left out: their N is "
                           "not this law's N (fit them with --law average-param)"});
    int stoppedUsed = 0;
    std::set<std::string> groups;
    for (std::size_t row : used.rows) {
        if (row >= table.runs.size())
            continue;
        const data::Run& run = table.runs[row];
        stoppedUsed += stoppedMidSchedule(run) ? 1 : 0;
        groups.insert(run.group);
    }
    if (stoppedUsed > 0)
        out.push_back({"stopped_included", fit::Severity::Warning,
                       std::to_string(stoppedUsed) + (stoppedUsed == 1 ? " run" : " runs") +
                           " stopped mid-schedule are in the fit: their final loss is not the "
                           "end of their schedule and biases the law towards higher loss"});
    if (used.forecasts > 0)
        out.push_back({"forecast_losses", fit::Severity::Info,
                       std::to_string(used.forecasts) + " of " + std::to_string(used.size()) +
                           " losses are forecasts (a loss-curve law's prediction of the run's "
                           "final loss, not measured)"});
    if (groups.size() > 1) {
        std::string names;
        int listed = 0;
        for (const std::string& g : groups) {
            if (listed++ == 4) {
                names += ", ...";
                break;
            }
            names +=
                (names.empty() ? "'" : ", '") + (g.empty() ? std::string("(no group)") : g) + "'";
        }
        out.push_back({"mixed_sweeps", fit::Severity::Warning,
                       "the loss metric '" + table.lossMetric + "' mixes runs of " +
                           std::to_string(groups.size()) + " sweeps (" + names +
                           "): losses from different data or evaluation sets are not "
                           "comparable; fit one group"});
    }
    return out;
}

}  // namespace scalelens::analysis
