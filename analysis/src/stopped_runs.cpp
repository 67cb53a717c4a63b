#include "analysis/stopped_runs.h"

#include <datasets/project.h>
#include <cmath>
#include <sstream>

#include "analysis/run_table.h"

namespace scalelens::analysis {

namespace {

bool positive(double v) {
    return std::isfinite(v) && v > 0;
}

std::string stepText(double v) {
    std::ostringstream s;
    s.precision(12);
    s << std::llround(v);
    return s.str();
}

}  // namespace

std::optional<StoppedRunInfo> stoppedRunInfo(const data::Project& project, const data::Run& run,
                                             const std::string& lossMetric) {
    if (!stoppedMidSchedule(run))
        return std::nullopt;
    StoppedRunInfo info;
    if (!lossMetric.empty()) {
        const data::MetricSeries curve = project.metrics(run.id, lossMetric);
        for (std::size_t i = curve.step.size(); i-- > 0;)
            if (std::isfinite(curve.step[i])) {
                info.lastStep = curve.step[i];
                break;
            }
    }
    if (const auto schedule = project.runSchedule(run.id);
        schedule && schedule->definition.totalSteps > 0)
        info.totalSteps = static_cast<double>(schedule->definition.totalSteps);
    else if (const auto forecast = project.runForecast(run.id); forecast && forecast->finalStep > 0)
        info.totalSteps = static_cast<double>(forecast->finalStep);
    else
        for (const char* column : {"total_steps", "max_steps", "train_steps", "num_steps"})
            if (const auto v = project.summaryValue(run.id, column); v && positive(*v)) {
                info.totalSteps = *v;
                break;
            }
    return info;
}

std::string describeStoppedRun(const StoppedRunInfo& info) {
    std::string out;
    if (info.lastStep && info.totalSteps)
        out = "stopped at step " + stepText(*info.lastStep) + " of " + stepText(*info.totalSteps);
    else if (info.lastStep)
        out = "stopped at step " + stepText(*info.lastStep) + " of an unknown schedule length";
    else
        return "stopped mid-schedule (excluded from fits by default)";
    return out + " (mid-schedule; excluded from fits by default)";
}

}  // namespace scalelens::analysis
