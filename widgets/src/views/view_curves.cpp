// Training curves against step, tokens or FLOPs, with EMA smoothing (raw curve shown faintly).
#include <algorithm>
#include <cmath>

#include "view_common.h"

namespace scalelens::ui::views {

void buildTrainingCurves(const ViewContext& ctx, PlotView* view) {
    const data::Project& project = *ctx.project;
    const std::string metric =
        ctx.metric.isEmpty() ? lossMetricName(project) : ctx.metric.toStdString();
    const QString axisName = ctx.curveAxis == CurveAxis::Step     ? QStringLiteral("Step")
                             : ctx.curveAxis == CurveAxis::Tokens ? QStringLiteral("Tokens")
                                                                  : QStringLiteral("FLOPs");
    view->setPanelTitle(QStringLiteral("Training curves"));
    view->setAxis(Qt::Horizontal, axisName,
                  ctx.curveAxis == CurveAxis::Step ? AxisScale::Linear : AxisScale::Log);
    view->setAxis(Qt::Vertical, QString::fromStdString(metric.empty() ? "value" : metric),
                  AxisScale::Log);
    if (metric.empty()) {
        view->addNote(QStringLiteral("No metric curves in this project."));
        return;
    }
    // The selected runs, else the first runs (in group order) that have this curve.
    const int kMaxCurves = 24;
    std::vector<data::Run> runs;
    for (const data::Run& run : project.runs()) {
        const bool selected = std::find(ctx.selectedRunIds.begin(), ctx.selectedRunIds.end(),
                                        run.id) != ctx.selectedRunIds.end();
        if (ctx.selectedRunIds.empty() ? !run.excluded : selected)
            runs.push_back(run);
    }
    // More runs than the categorical palette tells apart are coloured by model size, with a
    // colour bar (PlotView::setColorScale); a few runs keep distinct colours and a legend.
    view->setColorScale({QStringLiteral("N (parameters)"), true});
    int drawn = 0, skipped = 0;
    for (const data::Run& run : runs) {
        const data::MetricSeries s = project.metrics(run.id, metric);
        std::vector<double> x, y;
        for (std::size_t i = 0; i < s.size(); ++i) {
            double xv = ctx.curveAxis == CurveAxis::Step     ? s.step[i]
                        : ctx.curveAxis == CurveAxis::Tokens ? s.tokens[i]
                                                             : s.flops[i];
            if (!std::isfinite(xv) && ctx.curveAxis == CurveAxis::Flops &&
                std::isfinite(s.tokens[i]) && run.totalParams)
                xv = 6.0 * *run.totalParams * s.tokens[i];  // C = 6ND
            if (std::isfinite(xv)) {
                x.push_back(xv);
                y.push_back(s.value[i]);
            }
        }
        if (x.size() < 2)
            continue;
        if (drawn >= kMaxCurves) {
            ++skipped;
            continue;
        }
        const QString name = QString::fromStdString(run.name);
        PointIds ids;
        ids.runIds = {run.id};
        ids.labels = {name};
        SeriesStyle raw;
        raw.color = QColor();  // next palette colour, reused for the smoothed line below
        raw.width = 1.0;
        raw.opacity = ctx.smoothing > 0 ? 0.25 : 1.0;
        raw.inLegend = ctx.smoothing <= 0;
        if (run.totalParams)
            raw.colorValue = *run.totalParams;
        const int rawId = view->addLine(
            name + (ctx.smoothing > 0 ? QStringLiteral(" (raw)") : QString()), x, y, raw, ids);
        if (ctx.smoothing > 0) {
            SeriesStyle smooth;
            smooth.color = view->seriesColor(rawId);
            smooth.width = 2.0;
            smooth.colorValue = raw.colorValue;
            view->addLine(name, x, emaSmooth(y, ctx.smoothing), smooth, ids);
        }
        ++drawn;
    }
    if (drawn == 0)
        view->addNote(QStringLiteral("No run has a '%1' curve against %2.")
                          .arg(QString::fromStdString(metric), axisName.toLower()));
    if (skipped > 0)
        view->addNote(
            QStringLiteral("%1 more runs not shown: select runs to compare them.").arg(skipped));
    if (ctx.smoothing > 0 && drawn > 0)
        view->addNote(QStringLiteral("EMA smoothing %1 (raw curves faint)").arg(ctx.smoothing));
}

}  // namespace scalelens::ui::views
