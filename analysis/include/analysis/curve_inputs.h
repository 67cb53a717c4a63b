// A run of a project as the input of a loss-curve law (fitting/curve_fit.h), and schedule
// specs: shared by `scalelens-cli schedule`/`forecast --project` and the GUI's curve-forecast
// view and schedule dialog.
//
//   SPEC = [TYPE:]KEY=VALUE,...  or  TYPE
//   TYPE  constant | cosine | linear | wsd | wsd-linear | two-stage   (also as type=TYPE)
//   KEYS  peak, final (LR), warmup, total, decay-start (steps), cooldown (fraction of total:
//         decay-start = total - round(cooldown * total))
// e.g. `wsd:cooldown=0.2`, `type=cosine,peak=3e-4,final=3e-5,warmup=500,total=20000`.
#pragma once

#include <datasets/project.h>
#include <fitting/curve_fit.h>
#include <fitting/lr_schedule.h>

#include <optional>
#include <string>
#include <vector>

namespace scalelens::analysis {

// Applies SPEC onto `d` (keys not named keep their value). False with a message naming the
// bad part ("'peak=abc' is not a number") for the caller to prefix with the option's name.
// `keys` (optional) receives the keys given ("type" for a TYPE prefix).
bool applyScheduleSpec(const std::string& spec, fit::ScheduleDefinition* d, std::string* error,
                       std::vector<std::string>* keys = nullptr);

// The run called `name` (in `group` when given). False with a message when there is none or
// the name is in several groups (the message names them).
bool findRun(const data::Project& project, const std::string& name,
             const std::optional<std::string>& group, data::Run* out, std::string* error);

// The metric forecast when --metric is not given: the project's loss metric
// (analysis::lossMetric: the user's stored choice, else the documented default order).
std::string projectLossMetric(const data::Project& project);

// The LR curve of a run logged by import as metric `metric` (default "lr"): (step, lr) rows
// with a step, in step order.
std::vector<fit::LrPoint> loggedLr(const data::Project& project, std::int64_t runId,
                                   const std::string& metric);

// (step, loss) rows of a run's metric with a whole step >= 1 and a finite loss > 0.
struct LoggedLoss {
    std::vector<long> steps;
    std::vector<double> loss;
};
LoggedLoss loggedLoss(const data::Project& project, std::int64_t runId, const std::string& metric);

// A run of the project as a law input: its logged loss and the LR at every step of its plan.
// The plan is `plan` when given, else the run's stored schedule, else the schedule inferred
// from its logged LR when unambiguous, else (allowFallback) the logged LR held at its last
// value. `how` describes the source ("stored (confirmed): cosine ...").
struct RunCurve {
    data::Run run;
    fit::LossCurve curve;
    std::optional<fit::ScheduleDefinition> plan;
    std::string how;
};
bool runCurve(const data::Project& project, const data::Run& run, const std::string& metric,
              const std::string& lrMetric, const std::optional<fit::ScheduleDefinition>& plan,
              bool allowFallback, RunCurve* out, std::string* error);

}  // namespace scalelens::analysis
