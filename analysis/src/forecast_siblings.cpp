#include "analysis/forecast_siblings.h"

#include <cmath>
#include <optional>

#include "analysis/curve_forecast_job.h"
#include "analysis/curve_inputs.h"
#include "analysis/loss_metric.h"
#include "analysis/run_table.h"

namespace scalelens::analysis {

namespace {

// Total parameters are what the importers and users fill most often; the others stand in when
// only they were given.
std::optional<double> parameterCount(const data::Run& run) {
    for (const auto& v : {run.totalParams, run.nonEmbeddingParams, run.activeParams})
        if (v && std::isfinite(*v) && *v > 0)
            return v;
    return std::nullopt;
}

}  // namespace

std::vector<data::Run> forecastSiblings(const data::Project& project, std::int64_t runId,
                                        const std::string& metric, const std::string& lrMetric) {
    std::vector<data::Run> out;
    const std::optional<data::Run> target = project.run(runId);
    if (!target)
        return out;
    const std::optional<double> size = parameterCount(*target);
    if (!size)
        return out;
    const std::string loss = metric.empty() ? lossMetric(project).name : metric;
    if (loss.empty())
        return out;
    for (const data::Run& run : project.runs()) {
        if (run.id == target->id || run.group != target->group || run.excluded ||
            stoppedMidSchedule(run))
            continue;
        const std::optional<double> n = parameterCount(run);
        if (!n || std::abs(*n / *size - 1.0) > kSiblingParamTolerance)
            continue;
        if (loggedLoss(project, run.id, loss).steps.size() < kMinForecastPoints)
            continue;
        if (loggedLr(project, run.id, lrMetric).empty() && !project.runSchedule(run.id))
            continue;
        out.push_back(run);
    }
    return out;
}

}  // namespace scalelens::analysis
