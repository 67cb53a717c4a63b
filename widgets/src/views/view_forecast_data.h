// The curve-forecast view's data step (issue 14, item 7): everything its drawing step draws that
// costs more than copying arrays -- the run choice (which reads curves), the fit, the forecast
// along the planned schedule with its band, the what-if forecasts and their LR schedules --
// computed by prepareView() on a worker thread, so that a view switch only turns these arrays
// into series on the GUI thread. Internal to widgets/; forecast_view.h is the public side.
#pragma once

#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <analysis/curve_forecast_job.h>

#include "widgets/views/plot_views.h"

namespace scalelens::ui::views {

struct ForecastPlotData {
    qint64 runId = 0;  // forecastRunId(); 0: no run to forecast
    QString runName;
    std::string metric;  // the project's loss metric
    // The run's sibling candidates (analysis::forecastSiblings), whether or not they were used:
    // the controls name them and count them.
    std::vector<std::string> siblingNames;
    // The forecast (curveForecast); when absent, `why` says why (empty: not fitted yet) and
    // logged* hold what was measured.
    std::optional<analysis::CurveForecastOutcome> outcome;
    std::string why;
    std::vector<long> loggedSteps;
    std::vector<double> loggedLoss;
    // What-if forecasts (ctx.forecast.whatIf and a usable outcome), and each what-if schedule's
    // LR at every step (the plan left out: drawn as "planned schedule").
    std::optional<analysis::CurveWhatIf> whatIf;
    std::vector<std::string> whatIfLrNames;
    std::vector<std::vector<double>> whatIfLr;
};

// The what-if forecasts of a usable outcome: the ones curveForecast() kept in ctx.fitCache
// (nullopt when not computed), or without a cache computed now. view_forecast.cpp.
std::optional<analysis::CurveWhatIf> whatIfForecast(const ViewContext& ctx,
                                                    const analysis::CurveForecastOutcome& o);

// Computes it for ctx: reads, the fit on the fly (through ctx.fitCache, with progress and
// Cancel through ctx.forecast.progress), the what-if evaluation. Any thread whose connection
// ctx.project is. Counted in forecastEvaluationsOnGuiThread() when run on the GUI thread.
ForecastPlotData computeForecastPlot(const ViewContext& ctx);

// The data the drawing step draws: the one the data step kept in ctx.prepared, else computed
// now (and kept there, when ctx.prepared is set). view_prefetch.cpp.
std::shared_ptr<const ForecastPlotData> forecastPlotData(const ViewContext& ctx);

// Counts one forecast evaluation when called on the GUI thread (forecastEvaluationsOnGuiThread).
void countForecastEvaluation();

}  // namespace scalelens::ui::views
