// Shared helpers of the view builders (view_*.cpp): run selection, fit lookup, colours.
// Internal to widgets/; the public entry point is plot_views.h.
#pragma once

#include <QColor>
#include <QString>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <datasets/project.h>
#include <fitting/avgparam_fit.h>
#include <fitting/chinchilla_fit.h>

#include "widgets/plot/plot_view.h"
#include "widgets/views/curve_zoom.h"
#include "widgets/views/plot_views.h"

namespace scalelens::ui::views {

// One run of a scaling sweep with everything the Chinchilla views need.
struct ScalingRun {
    qint64 id = 0;
    QString name;
    double N = 0;  // parameters
    double D = 0;  // tokens
    double C = 0;  // FLOPs (given, or 6ND)
    double L = 0;  // final loss
    // IsoFLOP budget: the planned budget (budget_flops) when given, else C, grouped with the
    // default tolerance of analysis/grouping.h (runs of one budget share this value exactly).
    double budget = 0;
};

struct ScalingData {
    std::vector<ScalingRun> runs;
    QString group;        // the sweep the runs come from ("" = ungrouped runs)
    QString lossMetric;   // metric read for the final loss, e.g. "val_loss"
    QString description;  // e.g. "74 runs of 'chinchilla-sweep', loss metric 'loss'"
    // Runs of the chosen sweep tagged stopped-mid-schedule and left out, as fits leave them out
    // (analysis/selection_diagnostics.h); the Chinchilla views say how many in a note.
    int stoppedSkipped = 0;
    // Runs of the chosen sweep pruned during training (a sparsity schedule), left out as the
    // fits leave them out (analysis::ndlInputs); other groups with usable runs, not drawn.
    int pruned = 0;
    int otherGroups = 0;
    // Runs of the chosen sweep whose final loss is a stored curve forecast (data::RunForecast
    // of the loss metric, for a run stopped mid-schedule or without a final loss): drawn with
    // hollow markers (addForecastScatter), never fitted by the views.
    std::vector<ScalingRun> forecasts;
};

// The project's loss metric (analysis/loss_metric.h): the user's choice, else the documented
// default order (val_loss, eval/loss, loss, ...). Empty when none.
std::string lossMetricName(const data::Project& project);

// Runs of the project's scaling sweep (analysis::defaultScalingSweep, the group `scalelens-cli
// fit --law chinchilla|kaplan|isoflop` fits without --group), as ndlInputs selects them: not
// excluded, not stopped, dense (no sparsity schedule), with N, a final loss and D or C.
ScalingData scalingRuns(const data::Project& project);

// A fit the views compute on the fly, through ctx.fitCache (the project document's, shared
// between the GUI thread and the worker that prefetchViewFits() runs on, so the window never
// waits for a fit). The document empties the cache when the data change; a result computed
// from data older than ctx.fitCacheGeneration is not kept. Without a cache (a one-off render)
// the fit is computed every time.
template <class R, class Compute>
R cachedFit(const ViewContext& ctx, const ViewFitKey& key, Compute&& compute) {
    if (!ctx.fitCache)
        return compute();
    if (auto hit = ctx.fitCache->find<R>(key))
        return std::move(*hit);
    R value = compute();
    ctx.fitCache->store<R>(ctx.fitCacheGeneration, key, value);
    return value;
}

// A Chinchilla fit for the views: the saved fit ctx.fitId, else the project's newest saved
// "chinchilla" fit, else (when ctx.fitOnTheFly) a fit without bootstrap computed now and
// cached per project file and data fingerprint.
struct ChinchillaFitInfo {
    bool ok = false;
    fit::FitResult result;
    QString source;   // "saved fit #3" / "fitted now to 74 runs of 'chinchilla-sweep'"
    QString problem;  // why !ok, for a note in the plot
    bool stale = false;
};
ChinchillaFitInfo chinchillaFit(const ViewContext& ctx, const ScalingData& data);

// The note a view shows under a fit it draws when the fit has warnings or is unreliable
// (fitting/diagnostics.h): "⚠ Unreliable fit: ..." / "⚠ Fit warning: ...", each diagnostic of
// severity warning or worse, worst first. Empty for a clean fit.
QString fitDiagnosticsNote(const fit::FitResultBase& result, const QString& what = {});

// The residual view's back-test cutoff: between the third- and second-largest budgets, so the
// two largest are held out. Needs budgets.size() >= 3.
double backtestCutoff(const std::vector<double>& budgets);
// The residual view's back-test: fit on the runs below `cutoff` FLOPs (no bootstrap),
// cached like chinchillaFit.
fit::BacktestResult residualBacktest(const ViewContext& ctx, const ScalingData& data,
                                     double cutoff);

// The sparse-training sweep of the average-parameter view: dense and pruned runs of every group
// that holds a pruned run, with N-bar from the avg_params metric or the sparsity schedule.
struct SparseSweep {
    std::vector<fit::AvgParamRun> runs;
    std::vector<qint64> ids;
    std::vector<QString> names;
    std::vector<bool> sparse;
};
SparseSweep sparseSweep(const data::Project& project);
// fitAverageParamLaw on that sweep (no bootstrap), cached like chinchillaFit.
fit::AvgParamFitResult avgParamFit(const ViewContext& ctx, const SparseSweep& sweep);

// The FLOP budgets of an IsoFLOP-style sweep: ScalingRun::budget values shared by >= 3 runs
// (budgets grouped with a tolerance), ascending; when there are none, four log-spaced budgets
// across the data.
std::vector<double> budgets(const ScalingData& data);

// Colour for t in [0, 1] from a perceptual map (viridis, darkened at the top so yellow stays
// readable on white).
QColor sequentialColor(double t);
// Position of v between lo and hi in log space, clamped to [0, 1].
double logPosition(double v, double lo, double hi);

// Log-spaced samples from lo to hi (both > 0), count >= 2.
std::vector<double> logSpace(double lo, double hi, int count);

// Compact human numbers: 1.2B, 350M, 6e20 FLOPs -> "6×10²⁰".
QString humanCount(double v);

// Adds a scatter with run ids and names.
int addRunScatter(PlotView* view, const QString& name, const std::vector<ScalingRun>& runs,
                  double (*x)(const ScalingRun&), double (*y)(const ScalingRun&),
                  SeriesStyle style = {});

// The forecast runs of `data` as hollow markers ("forecast final loss (not measured)").
int addForecastScatter(PlotView* view, const ScalingData& data, double (*x)(const ScalingRun&),
                       double (*y)(const ScalingRun&));

// ---- the data step (view_prefetch.cpp) ---------------------------------------------------
// A curve as a plot against an x axis reads it: the curve's overview (datasets/curve_overview.h)
// when it has one and every row of the curve has that x (so the overview's buckets hold every
// point the plot draws), else the full curve.
struct CurveRead {
    data::MetricSeries series;  // summary value, if any, last (as Project::metrics)
    bool overview = false;      // series is an overview
    bool smoothed = false;      // values are the EMA at `weight` of the full curve
    double weight = 0;          // smoothed: the EMA weight
};
// How much of a curve a plot needs: every row (it will smooth them), or what it can show of
// the raw values, or of their EMA at data::kOverviewEmaWeight, or of their EMA at
// ctx.smoothing (SmoothedAtWeight: a long curve is read in full once, on the data step, and
// reduced to the overview rows of its smoothed values, so the drawing step gets as few points
// as at the default weight and a zoom re-reads it like a stored overview; a short one is read
// in full, raw, as Full).
enum class CurveDetail { Full, Overview, SmoothedOverview, SmoothedAtWeight };
// Reads run `runId`'s `metric` for a plot against `axis` (Flops: FLOPs, else 6 N tokens when
// `haveN`): the overview of the kind asked for when the curve has one that draws every row on
// `axis`, else the full curve. Served from, and kept in, ctx.prepared when set (the data step
// fills it on a worker, the drawing step finds it there).
std::shared_ptr<const CurveRead> readCurve(const ViewContext& ctx, qint64 runId,
                                           const std::string& metric, CurveAxis axis,
                                           CurveDetail detail, bool haveN);

// Points of a curve against `axis` (FLOPs: 6 N tokens where a row has none and totalParams is
// known; wall time: hours since wallOrigin seconds): rows with a finite x (> 0 on a log axis),
// in order; `order` (optional) receives each one's ordering value (data::curveOrder).
// curve_zoom.cpp.
void curveAxisPoints(const data::MetricSeries& s, CurveAxis axis, std::optional<double> totalParams,
                     double wallOrigin, AxisScale xScale, std::vector<double>* x,
                     std::vector<double>* y, std::vector<double>* order);

// Keeps, in ctx.prepared (when set), the series the drawing step drew from overviews, for the
// zoom re-read (curve_zoom.h: zoomableCurves). view_prefetch.cpp.
void keepZoomSources(const ViewContext& ctx, CurveZoomSources sources);

// The curve reads of the training-curves and loss-vs-compute views (their data steps).
void readTrainingCurves(const ViewContext& ctx);
void readLossVsComputeCurves(const ViewContext& ctx);

// Exponential moving average with TensorBoard's debiasing: weight in [0, 1).
std::vector<double> emaSmooth(const std::vector<double>& values, double weight);

// Builders, one per view id (view_chinchilla.cpp, view_efficiency.cpp, view_curves.cpp).
void buildLossVsCompute(const ViewContext& ctx, PlotView* view);
void buildIsoFlop(const ViewContext& ctx, PlotView* view);
void buildLossVsND(const ViewContext& ctx, PlotView* view);
void buildIsoLossContours(const ViewContext& ctx, PlotView* view);
void buildResiduals(const ViewContext& ctx, PlotView* view);
void buildLrBatchLandscape(const ViewContext& ctx, PlotView* view);
void buildDensityOverTime(const ViewContext& ctx, PlotView* view);
void buildKnowledgeBits(const ViewContext& ctx, PlotView* view);
void buildAvgParamCollapse(const ViewContext& ctx, PlotView* view);
void buildTrainingCurves(const ViewContext& ctx, PlotView* view);
void buildCurveForecast(const ViewContext& ctx, PlotView* view);  // view_forecast.cpp

}  // namespace scalelens::ui::views
