// The data step of the views, meant for a worker thread (see plot_views.h): the fits views
// compute on the fly, and the curves they read, kept for the drawing step.
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <tuple>

#include <analysis/forecast_siblings.h>
#include <datasets/project.h>

#include "view_common.h"
#include "view_forecast_data.h"
#include "widgets/views/forecast_view.h"
#include "widgets/views/plot_views.h"

namespace scalelens::ui {

// Curves read for one context. Filled by the data step (and by any read the drawing step had
// to make itself); guarded, though the two steps never overlap.
struct PreparedView {
    using Key = std::tuple<qint64, std::string, CurveAxis, views::CurveDetail>;
    std::mutex mutex;
    std::map<Key, std::shared_ptr<const views::CurveRead>> curves;
    std::shared_ptr<const views::ForecastPlotData> forecast;  // the curve-forecast view's
    // The drawing step's series drawn from overviews (curve_zoom.h).
    std::shared_ptr<const CurveZoomSources> zoom;
    const std::atomic<bool>* cancel = nullptr;  // the data step stops reading when set
};

namespace views {

namespace {
// True when every row of the curve has an x the plot can draw on `axis`, so the overview's
// buckets hold every drawn point (and the smoothed overview smooths the drawn sequence).
bool overviewDrawsEveryRow(const data::CurveOverview& o, CurveAxis axis, bool haveN) {
    switch (axis) {
        case CurveAxis::Step:
            return o.stepFinite == o.points;
        case CurveAxis::Tokens:
            return o.tokensPositive == o.points;
        case CurveAxis::Flops:
            return o.flopsPositive == o.points ||
                   (o.flopsFinite == 0 && haveN && o.tokensPositive == o.points);
        case CurveAxis::WallTime:
            return o.wallFinite == o.points;
    }
    return false;
}

// The EMA at `weight` of a full curve (summary value, if any, last), reduced to the rows an
// overview keeps of it (data::overviewRows, and the earliest wall time's, as at import), the
// summary value kept last.
data::MetricSeries smoothedOverview(const data::MetricSeries& full, double weight) {
    std::size_t n = 0;  // the curve's rows: the summary value (no ordering value) comes last
    while (n < full.size() && data::curveOrder(full, n) >= 0)
        ++n;
    std::vector<double> order(n),
        value(full.value.begin(), full.value.begin() + static_cast<std::ptrdiff_t>(n));
    std::size_t wallMin = n;
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = data::curveOrder(full, i);
        if (std::isfinite(full.wallTime[i]) &&
            (wallMin == n || full.wallTime[i] < full.wallTime[wallMin]))
            wallMin = i;
    }
    const std::vector<double> smoothed = data::emaSmooth(value, weight);
    std::vector<std::size_t> keep = data::overviewRows(order, smoothed);
    if (wallMin < n && !std::binary_search(keep.begin(), keep.end(), wallMin))
        keep.insert(std::lower_bound(keep.begin(), keep.end(), wallMin), wallMin);
    data::MetricSeries out;
    auto take = [&](std::size_t i, double v) {
        out.step.push_back(full.step[i]);
        out.tokens.push_back(full.tokens[i]);
        out.flops.push_back(full.flops[i]);
        out.wallTime.push_back(full.wallTime[i]);
        out.value.push_back(v);
    };
    for (const std::size_t i : keep)
        take(i, smoothed[i]);
    for (std::size_t i = n; i < full.size(); ++i)
        take(i, full.value[i]);
    return out;
}

}  // namespace

std::shared_ptr<const CurveRead> readCurve(const ViewContext& ctx, qint64 runId,
                                           const std::string& metric, CurveAxis axis,
                                           CurveDetail detail, bool haveN) {
    PreparedView* prepared = ctx.prepared.get();
    const PreparedView::Key key{runId, metric, axis, detail};
    if (prepared) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        if (const auto it = prepared->curves.find(key); it != prepared->curves.end())
            return it->second;
        if (prepared->cancel && prepared->cancel->load())
            return std::make_shared<const CurveRead>();  // cancelled: not kept
    }
    auto read = std::make_shared<CurveRead>();
    const data::Project& project = *ctx.project;
    const bool smoothed = detail == CurveDetail::SmoothedOverview;
    const auto kind = smoothed ? data::CurveOverviewKind::Smoothed : data::CurveOverviewKind::Raw;
    std::optional<data::CurveOverview> o;
    if (detail != CurveDetail::Full)
        o = project.curveOverview(runId, metric, kind);
    if (detail == CurveDetail::SmoothedAtWeight) {
        read->series = project.metrics(runId, metric);
        if (o && overviewDrawsEveryRow(*o, axis, haveN) && ctx.smoothing > 0) {
            read->series = smoothedOverview(read->series, ctx.smoothing);
            read->overview = true;
            read->smoothed = true;
            read->weight = ctx.smoothing;
        }
    } else if (o && overviewDrawsEveryRow(*o, axis, haveN)) {
        read->series = std::move(o->series);
        read->overview = true;
        read->smoothed = smoothed;
        read->weight = smoothed ? data::kOverviewEmaWeight : 0;
        // The summary value, if any, last, as in the full curve (plots leave it out: no x).
        if (const auto summary = project.summaryValue(runId, metric)) {
            for (auto* v : {&read->series.step, &read->series.tokens, &read->series.flops,
                            &read->series.wallTime})
                v->push_back(NAN);
            read->series.value.push_back(*summary);
        }
    } else {
        read->series = project.metrics(runId, metric);
    }
    if (prepared) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        prepared->curves.emplace(key, read);
    }
    return read;
}

std::shared_ptr<const ForecastPlotData> forecastPlotData(const ViewContext& ctx) {
    PreparedView* prepared = ctx.prepared.get();
    if (prepared) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        if (prepared->forecast)
            return prepared->forecast;
    }
    auto data = std::make_shared<const ForecastPlotData>(computeForecastPlot(ctx));
    if (prepared) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        prepared->forecast = data;
    }
    return data;
}

void keepZoomSources(const ViewContext& ctx, CurveZoomSources sources) {
    if (PreparedView* prepared = ctx.prepared.get()) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        prepared->zoom = std::make_shared<const CurveZoomSources>(std::move(sources));
    }
}

}  // namespace views

std::shared_ptr<const CurveZoomSources> zoomableCurves(const ViewContext& ctx) {
    PreparedView* prepared = ctx.prepared.get();
    if (!prepared)
        return nullptr;
    const std::lock_guard<std::mutex> lock(prepared->mutex);
    return prepared->zoom;
}

ShownForecast shownForecast(const ViewContext& ctx) {
    if (PreparedView* prepared = ctx.prepared.get()) {
        const std::lock_guard<std::mutex> lock(prepared->mutex);
        if (const auto& d = prepared->forecast)
            return {d->runId, d->outcome && fit::isUsable(d->outcome->result.status),
                    d->siblingNames, d->whatIf};
    }
    const auto outcome = curveForecast(ctx, false);
    ShownForecast shown{
        forecastRunId(ctx), outcome && fit::isUsable(outcome->result.status), {}, std::nullopt};
    if (outcome && ctx.forecast.whatIf)
        shown.whatIf = views::whatIfForecast(ctx, *outcome);
    if (shown.runId && ctx.project)
        for (const data::Run& r : analysis::forecastSiblings(*ctx.project, shown.runId))
            shown.siblingNames.push_back(r.name);
    return shown;
}

namespace {
const QStringList& chinchillaViews() {
    static const QStringList ids = {
        QStringLiteral("loss-vs-compute"), QStringLiteral("loss-vs-n-d"),
        QStringLiteral("iso-loss-contours"), QStringLiteral("residuals")};
    return ids;
}
}  // namespace

bool viewFitsOnTheFly(const QString& id) {
    return chinchillaViews().contains(id) || id == QLatin1String("avg-param-collapse") ||
           id == QLatin1String("curve-forecast");
}

void prefetchViewFits(const QString& id, const ViewContext& ctx) {
    if (!ctx.project || !ctx.fitOnTheFly || !viewFitsOnTheFly(id))
        return;
    const data::Project& project = *ctx.project;
    if (id == QLatin1String("curve-forecast")) {
        curveForecast(ctx, true);  // the fit, with progress and Cancel (forecast_view.h)
        return;
    }
    if (id == QLatin1String("avg-param-collapse")) {
        const views::SparseSweep sweep = views::sparseSweep(project);
        if (sweep.runs.size() >= 6)  // the view's own threshold for drawing a fit
            views::avgParamFit(ctx, sweep);
        return;
    }
    const views::ScalingData data = views::scalingRuns(project);
    if (data.runs.size() < 6)
        return;
    views::chinchillaFit(ctx, data);  // a saved fit, or the cached on-the-fly fit
    if (id == QLatin1String("residuals")) {
        const std::vector<double> bs = views::budgets(data);
        if (bs.size() >= 3)
            views::residualBacktest(ctx, data, views::backtestCutoff(bs));
    }
}

std::shared_ptr<PreparedView> prepareView(const QString& id, const ViewContext& ctx,
                                          const std::atomic<bool>* cancel) {
    auto prepared = std::make_shared<PreparedView>();
    if (!ctx.project)
        return prepared;
    prepared->cancel = cancel;
    ViewContext c = ctx;
    c.prepared = prepared;
    if (id == QLatin1String("curve-forecast")) {
        // The whole evaluation (the fit, the forecast along the schedule, what-if), so that the
        // drawing step only draws arrays.
        views::forecastPlotData(c);
    } else {
        prefetchViewFits(id, c);
    }
    if (!(cancel && cancel->load())) {
        if (id == QLatin1String("training-curves"))
            views::readTrainingCurves(c);
        else if (id == QLatin1String("loss-vs-compute"))
            views::readLossVsComputeCurves(c);
    }
    const std::lock_guard<std::mutex> lock(prepared->mutex);
    prepared->cancel = nullptr;  // the flag may not outlive this call
    return prepared;
}

}  // namespace scalelens::ui
