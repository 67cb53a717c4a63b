#include "widgets/views/plot_views.h"

#include <map>

#include <analysis/loss_metric.h>

#include "view_common.h"
#include "widgets/plot/plot_view.h"

namespace scalelens::ui {

const std::vector<ViewInfo>& viewCatalog() {
    static const std::vector<ViewInfo> kViews = {
        {QStringLiteral("loss-vs-compute"), QStringLiteral("Loss vs compute"),
         QStringLiteral("Final loss against training FLOPs per model size, with the fitted "
                        "compute-optimal frontier")},
        {QStringLiteral("isoflop"), QStringLiteral("IsoFLOP"),
         QStringLiteral("IsoFLOP profiles with fitted parabolas, and N_opt(C), D_opt(C) with "
                        "confidence intervals")},
        {QStringLiteral("loss-vs-n-d"), QStringLiteral("Loss vs N and D"),
         QStringLiteral("Loss against parameters and against tokens with fitted curves and 95% "
                        "bootstrap bands")},
        {QStringLiteral("iso-loss-contours"), QStringLiteral("Iso-loss contours"),
         QStringLiteral("Contours of the fitted L(N, D) with the efficient frontier "
                        "(Chinchilla Figure 4 style)")},
        {QStringLiteral("residuals"), QStringLiteral("Residuals"),
         QStringLiteral("Fit residuals against compute, and back-test predictions against "
                        "actual loss")},
        {QStringLiteral("lr-batch-landscape"), QStringLiteral("LR x batch"),
         QStringLiteral("Loss landscape over learning rate and batch size with the fitted "
                        "optimum and each published law's prediction")},
        {QStringLiteral("density-over-time"), QStringLiteral("Density over time"),
         QStringLiteral("Capacity density of models against release date with the "
                        "exponential trend and doubling time")},
        {QStringLiteral("knowledge-bits"), QStringLiteral("Knowledge bits"),
         QStringLiteral("Knowledge bits stored against parameters with the 2 bits per "
                        "parameter line")},
        {QStringLiteral("avg-param-collapse"), QStringLiteral("Average-parameter collapse"),
         QStringLiteral("Loss against N and against the average parameter count N̄ for sparse "
                        "and dense runs")},
        {QStringLiteral("training-curves"), QStringLiteral("Training curves"),
         QStringLiteral("Any logged metric (losses, learning rate) against step, tokens, FLOPs "
                        "or wall time, with EMA smoothing and twin axes")},
        {QStringLiteral("curve-forecast"), QStringLiteral("Curve forecast"),
         QStringLiteral("A run's loss curve forecast to the end of its LR schedule with the "
                        "Multi-Power Law, with band, held-out test and what-if schedules")},
    };
    return kViews;
}

const ViewInfo* findView(const QString& id) {
    for (const ViewInfo& v : viewCatalog()) {
        if (v.id == id)
            return &v;
    }
    return nullptr;
}

bool ViewContext::isValid(std::string* error) const {
    if (!project) {
        if (error)
            *error = "ViewContext.project must be set";
        return false;
    }
    if (!(smoothing >= 0.0 && smoothing < 1.0)) {
        if (error)
            *error = "ViewContext.smoothing must be in [0, 1)";
        return false;
    }
    return true;
}

namespace {

// Every view that reads final losses says which metric it read (issue 8: the loss metric the
// user chose in the fit panel or with `fit --loss-metric` is the one every view uses), unless
// a note of the view says so already.
void noteLossMetric(const QString& id, const ViewContext& ctx, PlotView* view) {
    if (id == QLatin1String("density-over-time") || id == QLatin1String("knowledge-bits"))
        return;  // benchmark scores and knowledge bits, no loss
    if (id == QLatin1String("training-curves") && !ctx.metrics.isEmpty())
        return;  // the metrics drawn are the user's choice, named on the axes
    if (id == QLatin1String("curve-forecast"))
        return;  // one run's curve of the loss metric, named on its axis ("Loss (val_loss)"); at
                 // 1366x768 with the what-if table the extra note line did not fit
    const analysis::LossMetric metric = analysis::lossMetric(*ctx.project);
    if (metric.name.empty())
        return;
    for (int panel = 0; panel < view->panelCount(); ++panel)
        if (view->notes(panel).contains(QStringLiteral("loss metric"), Qt::CaseInsensitive))
            return;
    view->addNote(QStringLiteral("Loss metric: %1").arg(QString::fromStdString(metric.label())));
}

}  // namespace

bool buildView(const QString& id, const ViewContext& ctx, PlotView* view, QString* error) {
    QString local;
    QString* err = error ? error : &local;
    const ViewInfo* info = findView(id);
    if (!info) {
        *err = QStringLiteral("unknown view '%1' (see plot --list-views)").arg(id);
        return false;
    }
    std::string why;
    if (!ctx.isValid(&why)) {
        *err = QString::fromStdString(why);
        return false;
    }
    if (!view) {
        *err = QStringLiteral("no PlotView to draw into");
        return false;
    }
    using Builder = void (*)(const ViewContext&, PlotView*);
    static const std::map<QString, Builder> kBuilders = {
        {QStringLiteral("loss-vs-compute"), views::buildLossVsCompute},
        {QStringLiteral("isoflop"), views::buildIsoFlop},
        {QStringLiteral("loss-vs-n-d"), views::buildLossVsND},
        {QStringLiteral("iso-loss-contours"), views::buildIsoLossContours},
        {QStringLiteral("residuals"), views::buildResiduals},
        {QStringLiteral("lr-batch-landscape"), views::buildLrBatchLandscape},
        {QStringLiteral("density-over-time"), views::buildDensityOverTime},
        {QStringLiteral("knowledge-bits"), views::buildKnowledgeBits},
        {QStringLiteral("avg-param-collapse"), views::buildAvgParamCollapse},
        {QStringLiteral("training-curves"), views::buildTrainingCurves},
        {QStringLiteral("curve-forecast"), views::buildCurveForecast},
    };
    const auto builder = kBuilders.find(id);
    if (builder == kBuilders.end()) {
        *err = QStringLiteral("view '%1' has no builder").arg(id);
        return false;
    }
    view->clear();
    {
        // Every panel restyled, laid out and drawn once, when the builder is done, not on
        // each series, axis or note it adds (a view switch's work on the GUI thread).
        if (PlotView::fastDrawing())
            view->beginBatch();
        builder->second(ctx, view);
        view->setCurrentPanel(0);
        noteLossMetric(id, ctx, view);
        if (PlotView::fastDrawing())
            view->endBatch();
    }
    return true;
}

}  // namespace scalelens::ui
