// The curve-forecast view's data step (view_forecast_data.h).
#include "view_forecast_data.h"

#include <QCoreApplication>
#include <QThread>
#include <atomic>

#include <analysis/curve_inputs.h>
#include <analysis/forecast_siblings.h>
#include <datasets/project.h>

#include "view_common.h"
#include "widgets/views/forecast_view.h"

namespace scalelens::ui {

namespace {
std::atomic<long long> gGuiThreadEvaluations{0};
}  // namespace

long long forecastEvaluationsOnGuiThread() {
    return gGuiThreadEvaluations.load();
}

namespace views {

void countForecastEvaluation() {
    const QCoreApplication* app = QCoreApplication::instance();
    if (app && QThread::currentThread() == app->thread())
        ++gGuiThreadEvaluations;
}

ForecastPlotData computeForecastPlot(const ViewContext& ctx) {
    countForecastEvaluation();
    ForecastPlotData d;
    const data::Project& project = *ctx.project;
    d.metric = lossMetricName(project);
    d.runId = forecastRunId(ctx);
    if (!d.runId)
        return d;
    const auto run = project.run(d.runId);
    d.runName = run ? QString::fromStdString(run->name) : QString::number(d.runId);
    for (const data::Run& r : analysis::forecastSiblings(project, d.runId, d.metric))
        d.siblingNames.push_back(r.name);
    d.outcome = curveForecast(ctx, true, &d.why);
    if (!d.outcome) {
        // Still show what was logged.
        analysis::LoggedLoss loss = analysis::loggedLoss(project, d.runId, d.metric);
        d.loggedSteps = std::move(loss.steps);
        d.loggedLoss = std::move(loss.loss);
        return d;
    }
    const analysis::CurveForecastOutcome& o = *d.outcome;
    if (!ctx.forecast.whatIf || !fit::isUsable(o.result.status))
        return d;
    // curveForecast kept it in the cache when there is one; without one, compute it here.
    d.whatIf = whatIfForecast(ctx, o);
    if (d.whatIf && o.job.plan) {
        std::vector<std::string> names;
        const auto defs = analysis::whatIfSchedules(*o.job.plan, &names);
        for (std::size_t i = 0; i < defs.size(); ++i) {
            if (names[i] == "plan")
                continue;
            d.whatIfLrNames.push_back(names[i]);
            d.whatIfLr.push_back(defs[i].materialise());
        }
    }
    return d;
}

}  // namespace views
}  // namespace scalelens::ui
