// How far a run stopped mid-schedule (tag stopped-mid-schedule, set by the importers) got:
// its last logged step of the loss metric and, when the project knows it, the length of its
// schedule, for the runs panel and any other place that names such a run.
//
//   if (auto s = analysis::stoppedRunInfo(project, run, lossMetric))
//       tooltip = analysis::describeStoppedRun(*s);
//       // "stopped at step 600 of 1000 (mid-schedule; excluded from fits by default)"
#pragma once

#include <optional>
#include <string>

#include <datasets/run.h>

namespace scalelens::data {
class Project;
}

namespace scalelens::analysis {

struct StoppedRunInfo {
    std::optional<double> lastStep;    // last step of the loss metric's curve
    std::optional<double> totalSteps;  // schedule length: the run's stored LR schedule, else its
                                       // stored forecast's final step, else a summary column
                                       // total_steps / max_steps / train_steps / num_steps
};

// nullopt when the run is not tagged stopped mid-schedule.
std::optional<StoppedRunInfo> stoppedRunInfo(const data::Project& project, const data::Run& run,
                                             const std::string& lossMetric);

// "stopped at step S of T (mid-schedule; excluded from fits by default)"; "of an unknown
// schedule length" without T, "stopped mid-schedule (...)" without S.
std::string describeStoppedRun(const StoppedRunInfo& info);

}  // namespace scalelens::analysis
