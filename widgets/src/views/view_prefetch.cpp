// Off-GUI-thread preparation of the fits that views compute on the fly (see plot_views.h).
#include <QStringList>

#include "view_common.h"
#include "widgets/views/forecast_view.h"
#include "widgets/views/plot_views.h"

namespace scalelens::ui {

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

}  // namespace scalelens::ui
