// Training curves of any metric (losses, the LR curve, anything logged) against step, tokens,
// FLOPs or wall time, with EMA smoothing; metrics in different units share the x axis on twin
// y axes (loss left, learning rate right). Every run is drawn (PlotView decimates); few runs
// get categorical colours and legend entries, many runs a sequential colour by a run field
// (N by default) with a colour bar.
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "view_common.h"

namespace scalelens::ui {

QString curveAxisKey(CurveAxis axis) {
    switch (axis) {
        case CurveAxis::Step:
            return QStringLiteral("step");
        case CurveAxis::Tokens:
            return QStringLiteral("tokens");
        case CurveAxis::Flops:
            return QStringLiteral("flops");
        case CurveAxis::WallTime:
            return QStringLiteral("wall-time");
    }
    return {};
}

bool parseCurveAxis(const QString& key, CurveAxis* axis) {
    for (CurveAxis a : {CurveAxis::Step, CurveAxis::Tokens, CurveAxis::Flops, CurveAxis::WallTime})
        if (key == curveAxisKey(a)) {
            *axis = a;
            return true;
        }
    return false;
}

QStringList trainingCurveMetrics(const data::Project& project) {
    QStringList out;
    for (const std::string& name : project.metricNames())
        out << QString::fromStdString(name);
    return out;
}

std::vector<std::pair<QString, QString>> curveColorFields() {
    return {{QStringLiteral("total_params"), QStringLiteral("parameters N")},
            {QStringLiteral("non_embedding_params"), QStringLiteral("non-embedding parameters")},
            {QStringLiteral("tokens"), QStringLiteral("tokens D")},
            {QStringLiteral("flops"), QStringLiteral("compute C (FLOPs)")},
            {QStringLiteral("peak_lr"), QStringLiteral("peak learning rate")},
            {QStringLiteral("batch_tokens"), QStringLiteral("batch (tokens)")}};
}

namespace views {
namespace {

// How a metric is labelled and scaled; metrics with the same unit share an axis.
struct MetricKind {
    QString unit;   // "nats/token", "lr", or the metric's own name for unknown metrics
    QString title;  // axis title, e.g. "validation loss (nats/token)"
    AxisScale scale = AxisScale::Linear;
    bool smooth = true;  // a schedule (LR) is drawn as logged, never smoothed
};

MetricKind metricKind(const QString& name) {
    const QString lower = name.toLower();
    const QStringList words =
        lower.split(QRegularExpression(QStringLiteral("[^a-z0-9]+")), Qt::SkipEmptyParts);
    if (words.contains(QStringLiteral("lr")) || lower.contains(QStringLiteral("learning_rate")) ||
        lower.contains(QStringLiteral("learningrate")) ||
        lower.contains(QStringLiteral("learning-rate")))
        return {QStringLiteral("lr"), QStringLiteral("learning rate"), AxisScale::Linear, false};
    if (lower.contains(QStringLiteral("loss"))) {
        const bool held =
            lower.startsWith(QStringLiteral("val")) || lower.startsWith(QStringLiteral("eval")) ||
            lower.startsWith(QStringLiteral("valid")) || lower.startsWith(QStringLiteral("test"));
        const bool train = lower.startsWith(QStringLiteral("train"));
        const QString what = held    ? QStringLiteral("validation loss")
                             : train ? QStringLiteral("training loss")
                                     : QStringLiteral("loss");
        return {QStringLiteral("nats/token"), what + QStringLiteral(" (nats/token)"),
                AxisScale::Log, true};
    }
    if (lower.contains(QStringLiteral("perplexity")) || words.contains(QStringLiteral("ppl")))
        return {QStringLiteral("perplexity"), QStringLiteral("perplexity"), AxisScale::Log, true};
    return {name, name, AxisScale::Linear, true};
}

// The axis title of a group of metrics sharing a unit.
QString groupTitle(const std::vector<QString>& metrics) {
    if (metrics.size() == 1)
        return metricKind(metrics.front()).title;
    const MetricKind k = metricKind(metrics.front());
    if (k.unit == QLatin1String("nats/token"))
        return QStringLiteral("loss (nats/token)");
    return k.title;
}

std::optional<data::RunField> colorField(const QString& key) {
    const QString k = key.trimmed();
    if (k.isEmpty() || k == QLatin1String("N"))
        return data::RunField::TotalParams;
    if (k == QLatin1String("D"))
        return data::RunField::Tokens;
    if (k == QLatin1String("C"))
        return data::RunField::Flops;
    if (k.compare(QLatin1String("lr"), Qt::CaseInsensitive) == 0)
        return data::RunField::PeakLr;
    if (k.compare(QLatin1String("batch"), Qt::CaseInsensitive) == 0)
        return data::RunField::BatchTokens;
    for (int f = 0; f < static_cast<int>(data::RunField::Count); ++f)
        if (k.toStdString() == data::fieldKey(static_cast<data::RunField>(f)))
            return static_cast<data::RunField>(f);
    return std::nullopt;
}

QString colorFieldTitle(data::RunField field) {
    const QString key = QString::fromStdString(std::string(data::fieldKey(field)));
    for (const auto& [k, title] : curveColorFields())
        if (k == key)
            return title;
    return key;
}

Qt::PenStyle penFor(std::size_t metricIndex) {
    static const Qt::PenStyle kStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine,
                                           Qt::DashDotLine};
    return kStyles[metricIndex % std::size(kStyles)];
}

QString penWord(std::size_t metricIndex) {
    static const char* kWords[] = {"solid", "dashed", "dotted", "dash-dot"};
    return QString::fromLatin1(kWords[metricIndex % std::size(kWords)]);
}

struct Curve {
    std::size_t run = 0;         // index into runs
    std::size_t metric = 0;      // index into metrics
    std::vector<double> x, y;    // the points (raw values; empty when only sx, sy were read)
    std::vector<double> sx, sy;  // the smoothed overview (EMA of the full curve), when read
    // Overviews drawn, which a zoom re-reads at full resolution (curve_zoom.h): each point's
    // ordering value (empty when x, y or sx, sy hold the full curve), and the wall-time origin.
    std::vector<double> order, sorder;
    double wallOrigin = 0;
    double weight = 0;  // sx, sy: their EMA weight
};

// What the view draws, decided from the context and cheap project reads.
struct CurvePlan {
    QStringList available;         // the project's metrics
    QStringList unknown;           // requested metrics it does not have
    std::vector<QString> metrics;  // drawn
    std::vector<QString> units;    // left axis, then right axis
    std::vector<std::vector<QString>> byUnit;
    std::vector<QString> dropped;  // a third unit
    QString xTitle;
    AxisScale xScale = AxisScale::Log;
    std::vector<data::Run> runs;  // the selected runs, else every run not excluded
    bool twin() const { return byUnit.size() == 2; }
};

CurvePlan planCurves(const ViewContext& ctx) {
    const data::Project& project = *ctx.project;
    CurvePlan plan;
    // Metrics: the requested ones that exist, else the project's loss metric.
    plan.available = trainingCurveMetrics(project);
    std::vector<QString> metrics;
    for (const QString& m : ctx.metrics) {
        if (!plan.available.contains(m))
            plan.unknown << m;
        else if (std::find(metrics.begin(), metrics.end(), m) == metrics.end())
            metrics.push_back(m);
    }
    if (metrics.empty() && ctx.metrics.isEmpty()) {
        const std::string loss = lossMetricName(project);
        if (!loss.empty())
            metrics.push_back(QString::fromStdString(loss));
    }
    // Units: the first unit on the left axis, the second on the right, further ones left out.
    for (const QString& m : metrics) {
        const QString unit = metricKind(m).unit;
        auto it = std::find(plan.units.begin(), plan.units.end(), unit);
        if (it == plan.units.end()) {
            if (plan.units.size() == 2) {
                plan.dropped.push_back(m);
                continue;
            }
            plan.units.push_back(unit);
            plan.byUnit.emplace_back();
            it = plan.units.end() - 1;
        }
        plan.byUnit[static_cast<std::size_t>(it - plan.units.begin())].push_back(m);
        plan.metrics.push_back(m);
    }
    switch (ctx.curveAxis) {
        case CurveAxis::Step:
            plan.xTitle = QStringLiteral("step");
            plan.xScale = AxisScale::Linear;
            break;
        case CurveAxis::Tokens:
            plan.xTitle = QStringLiteral("tokens");
            break;
        case CurveAxis::Flops:
            plan.xTitle = QStringLiteral("training compute (FLOPs)");
            break;
        case CurveAxis::WallTime:
            plan.xTitle = QStringLiteral("wall time (h)");
            plan.xScale = AxisScale::Linear;
            break;
    }
    if (plan.metrics.empty())
        return plan;
    for (const data::Run& run : project.runs()) {
        const bool selected = std::find(ctx.selectedRunIds.begin(), ctx.selectedRunIds.end(),
                                        run.id) != ctx.selectedRunIds.end();
        if (ctx.selectedRunIds.empty() ? !run.excluded : selected)
            plan.runs.push_back(run);
    }
    return plan;
}

// A curve's points against the plan's x; false when the series is not a curve (one value).
// `order` (optional) receives each kept point's ordering value (data::curveOrder), `origin`
// (optional) the wall time the wall-time axis counts from.
bool curvePoints(const data::MetricSeries& s, const data::Run& run, const ViewContext& ctx,
                 AxisScale xScale, std::vector<double>* x, std::vector<double>* y,
                 std::vector<double>* order = nullptr, double* origin = nullptr) {
    // A single value (a summary's final loss) is not a curve: such runs are neither drawn nor
    // reported as lacking the x axis.
    if (s.size() < 2)
        return false;
    double wallStart = INFINITY;
    if (ctx.curveAxis == CurveAxis::WallTime)
        for (double w : s.wallTime)
            if (std::isfinite(w))
                wallStart = std::min(wallStart, w);
    // Unix times count from the run's first logged point; relative times as given.
    const double wallOrigin = wallStart > 1e8 ? wallStart : 0.0;
    if (origin)
        *origin = wallOrigin;
    curveAxisPoints(s, ctx.curveAxis, run.totalParams, wallOrigin, xScale, x, y, order);
    return true;
}

// At most this many runs get categorical colours (tab10 has ten; two are kept for clarity);
// more get a sequential scale (and only their smoothed curves are drawn).
constexpr std::size_t kCategoricalRuns = 8;

struct CurveSet {
    std::vector<Curve> curves;
    std::vector<QString> lacking;        // runs whose rows lack the x axis
    std::vector<std::size_t> drawnRuns;  // indices into plan.runs, ascending
    bool sequential = false;
};

// The data step: every curve against the chosen x, from the curves' overviews where they show
// all the plot can (readCurve). With the default smoothing, a smoothed metric of a long curve is
// read as its smoothed overview; its raw points are read only when drawn (few runs).
CurveSet readCurves(const ViewContext& ctx, const CurvePlan& plan) {
    CurveSet set;
    const bool overviewSmoothing = ctx.smoothing == data::kOverviewEmaWeight;
    const std::size_t runCount = plan.runs.size();
    for (std::size_t r = 0; r < plan.runs.size(); ++r) {
        const data::Run& run = plan.runs[r];
        const bool haveN = run.totalParams.has_value();
        bool lacks = false;
        for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
            const QString& metric = plan.metrics[m];
            const std::string name = metric.toStdString();
            const bool smooth = ctx.smoothing > 0 && metricKind(metric).smooth;
            // The right axis is scaled to the raw values.
            const bool rightAxis = plan.twin() && metricKind(metric).unit == plan.units[1];
            Curve c;
            c.run = r;
            c.metric = m;
            // A smoothed curve is the EMA of every row: the smoothed overview has it at the
            // default weight; any other weight reads the full curve on the data step, which
            // smooths a long one and keeps only its overview rows for the drawing step.
            const auto read = readCurve(ctx, run.id, name, ctx.curveAxis,
                                        !smooth                   ? CurveDetail::Overview
                                        : overviewSmoothing       ? CurveDetail::SmoothedOverview
                                        : PlotView::fastDrawing() ? CurveDetail::SmoothedAtWeight
                                                                  : CurveDetail::Full,
                                        haveN);
            const bool smoothedRead = read->smoothed;
            c.weight = read->weight;
            std::vector<double>* order =
                read->overview ? (smoothedRead ? &c.sorder : &c.order) : nullptr;
            if (!curvePoints(read->series, run, ctx, plan.xScale, smoothedRead ? &c.sx : &c.x,
                             smoothedRead ? &c.sy : &c.y, order, &c.wallOrigin))
                continue;
            // Raw points beside the smoothed overview: for the right axis's range, and for the
            // faint raw curve under the smoothed one when few runs are drawn (when more runs
            // are selected but few have curves, they are read below).
            if (smoothedRead && (rightAxis || runCount <= kCategoricalRuns)) {
                const auto raw =
                    readCurve(ctx, run.id, name, ctx.curveAxis, CurveDetail::Overview, haveN);
                curvePoints(raw->series, run, ctx, plan.xScale, &c.x, &c.y,
                            raw->overview ? &c.order : nullptr);
            }
            const std::size_t n = smoothedRead ? c.sx.size() : c.x.size();
            if (n == 0) {
                lacks = true;
                continue;
            }
            if (n >= 2)
                set.curves.push_back(std::move(c));
        }
        if (lacks)
            set.lacking.push_back(QString::fromStdString(run.name));
    }
    for (const Curve& c : set.curves)
        if (std::find(set.drawnRuns.begin(), set.drawnRuns.end(), c.run) == set.drawnRuns.end())
            set.drawnRuns.push_back(c.run);
    std::sort(set.drawnRuns.begin(), set.drawnRuns.end());
    set.sequential = set.drawnRuns.size() > kCategoricalRuns;
    // Few runs: each smoothed curve is drawn over its faint raw curve.
    if (!set.sequential)
        for (Curve& c : set.curves)
            if (c.x.empty()) {
                const data::Run& run = plan.runs[c.run];
                const auto raw =
                    readCurve(ctx, run.id, plan.metrics[c.metric].toStdString(), ctx.curveAxis,
                              CurveDetail::Overview, run.totalParams.has_value());
                curvePoints(raw->series, run, ctx, plan.xScale, &c.x, &c.y,
                            raw->overview ? &c.order : nullptr);
            }
    return set;
}

}  // namespace

void readTrainingCurves(const ViewContext& ctx) {
    readCurves(ctx, planCurves(ctx));
}

void buildTrainingCurves(const ViewContext& ctx, PlotView* view) {
    // One series per run: styled and drawn once at the end, not on every add.
    PlotView::BatchGuard batch(view);
    view->setPanelTitle(QStringLiteral("Training curves"));
    const CurvePlan plan = planCurves(ctx);
    const std::vector<QString>& metrics = plan.metrics;
    const std::vector<QString>& units = plan.units;
    const std::vector<std::vector<QString>>& byUnit = plan.byUnit;
    const std::vector<data::Run>& runs = plan.runs;
    if (!plan.unknown.isEmpty())
        view->addNote(QStringLiteral("No metric %1 in this project (it has: %2).")
                          .arg(plan.unknown.join(QStringLiteral(", ")),
                               plan.available.join(QStringLiteral(", "))));
    if (!plan.dropped.empty()) {
        QStringList names(plan.dropped.begin(), plan.dropped.end());
        view->addNote(QStringLiteral("Not drawn: %1 (a third unit; two axes at most).")
                          .arg(names.join(QStringLiteral(", "))));
    }
    const QString& xTitle = plan.xTitle;
    const AxisScale xScale = plan.xScale;
    view->setAxis(Qt::Horizontal, xTitle, xScale);
    if (metrics.empty()) {
        view->setAxis(Qt::Vertical, QStringLiteral("value"), AxisScale::Linear);
        view->addNote(QStringLiteral("No metric curves in this project."));
        return;
    }
    const MetricKind leftKind = metricKind(byUnit[0].front());
    view->setAxis(Qt::Vertical, groupTitle(byUnit[0]), leftKind.scale);

    CurveSet set = readCurves(ctx, plan);  // a curve's overview moves to the zoom once drawn
    std::vector<Curve>& curves = set.curves;
    const std::vector<QString>& lacking = set.lacking;
    const std::vector<std::size_t>& drawnRuns = set.drawnRuns;

    // Colours: categorical for few runs, else by a run field through the panel's colour scale
    // (PlotView keeps it legible in either theme and draws its bar).
    const bool sequential = set.sequential;
    std::map<std::size_t, QColor> runColor;
    std::map<std::size_t, double> runValue;  // the run's colour value (sequential)
    if (sequential) {
        const auto field = colorField(ctx.colorBy);
        if (!field)
            view->addNote(
                QStringLiteral("Unknown colour field '%1': coloured by N.").arg(ctx.colorBy));
        const data::RunField f = field.value_or(data::RunField::TotalParams);
        int missing = 0;
        for (std::size_t r : drawnRuns)
            if (const auto& v = runs[r].field(f); v && *v > 0)
                runValue[r] = *v;
        if (!runValue.empty()) {
            view->setColorScale({colorFieldTitle(f), true, static_cast<int>(kCategoricalRuns)});
            const QColor grey = QGuiApplication::palette().color(QPalette::PlaceholderText);
            for (std::size_t r : drawnRuns)
                if (!runValue.count(r)) {
                    runColor[r] = grey;
                    ++missing;
                }
            if (missing > 0)
                view->addNote(QStringLiteral("%1 runs without %2 drawn grey.")
                                  .arg(missing)
                                  .arg(colorFieldTitle(f)));
        } else {  // no run has the field: colour by run order
            for (std::size_t k = 0; k < drawnRuns.size(); ++k)
                runValue[drawnRuns[k]] = static_cast<double>(k + 1);
            view->setColorScale(
                {QStringLiteral("run (order)"), false, static_cast<int>(kCategoricalRuns)});
            view->addNote(
                QStringLiteral("No run has %1: coloured by run order.").arg(colorFieldTitle(f)));
        }
    }

    const bool twin = byUnit.size() == 2;
    CurveZoomSources zoom;
    auto drawCurve = [&](Curve& c, bool secondary) {
        const data::Run& run = runs[c.run];
        const QString& metric = metrics[c.metric];
        QString name = QString::fromStdString(run.name);
        if (metrics.size() > 1)
            name += QStringLiteral(" · ") + metric;
        PointIds ids;
        ids.runIds = {run.id};
        ids.labels = {QString::fromStdString(run.name)};
        const bool smooth = ctx.smoothing > 0 && metricKind(metric).smooth;
        // One legend entry per run (first metric); the colour scale hides the entries of the
        // runs it colours (runs without the field, drawn grey, have none).
        const auto value = runValue.find(c.run);
        const bool legend = c.metric == 0 && (!sequential || value != runValue.end());
        QColor color = runColor.count(c.run) ? runColor[c.run] : QColor();
        SeriesStyle raw;
        raw.color = color;
        if (value != runValue.end())
            raw.colorValue = value->second;
        raw.penStyle = penFor(c.metric);
        raw.width = 1.0;
        raw.secondaryY = secondary;
        // Series drawn from an overview, for the zoom re-read (curve_zoom.h).
        auto zoomable = [&](int id, std::vector<double>&& x, std::vector<double>&& y,
                            std::vector<double>&& order, double weight) {
            if (order.empty() || order.size() != x.size())
                return;
            CurveZoomSource z;
            z.series = id;
            z.runId = run.id;
            z.metric = metric.toStdString();
            z.axis = ctx.curveAxis;
            z.xScale = plan.xScale;
            z.totalParams = run.totalParams;
            z.wallOrigin = c.wallOrigin;
            z.weight = weight;
            z.x = std::move(x);  // drawn already: moved, not copied, on the GUI thread
            z.y = std::move(y);
            z.order = std::move(order);
            zoom.curves.push_back(std::move(z));
        };
        int rawId = -1;
        if (smooth && !sequential) {  // the raw curve faint under its smoothing
            raw.opacity = 0.25;
            raw.inLegend = false;
            rawId = view->addLine(name + QStringLiteral(" (raw)"), c.x, c.y, raw, ids);
            color = view->seriesColor(rawId);
        }
        SeriesStyle line = raw;
        line.color = color;
        line.opacity = 1.0;
        line.width = sequential ? 1.2 : 2.0;
        line.inLegend = legend;
        // A long curve's smoothed overview is the EMA of the full curve, already decimated.
        const int id =
            !c.sx.empty()
                ? view->addLine(name, c.sx, c.sy, line, ids)
                : view->addLine(name, c.x, smooth ? emaSmooth(c.y, ctx.smoothing) : c.y, line, ids);
        runColor[c.run] = view->seriesColor(id);
        if (rawId >= 0)
            zoomable(rawId, std::move(c.x), std::move(c.y), std::move(c.order), 0);
        if (!c.sx.empty())
            zoomable(id, std::move(c.sx), std::move(c.sy), std::move(c.sorder), c.weight);
        else if (!smooth)
            zoomable(id, std::move(c.x), std::move(c.y), std::move(c.order), 0);
    };
    // Left-axis metrics first: the right axis is mapped onto their range.
    for (Curve& c : curves)
        if (!twin || metricKind(metrics[c.metric]).unit == units[0])
            drawCurve(c, false);
    if (twin) {
        double lo = INFINITY, hi = -INFINITY;
        const MetricKind rightKind = metricKind(byUnit[1].front());
        for (const Curve& c : curves)
            if (metricKind(metrics[c.metric]).unit == units[1])
                for (double v : c.y)
                    if (std::isfinite(v) && (rightKind.scale != AxisScale::Log || v > 0)) {
                        lo = std::min(lo, v);
                        hi = std::max(hi, v);
                    }
        if (rightKind.scale == AxisScale::Linear && lo > 0 && lo < 0.25 * hi)
            lo = 0;  // a schedule reads best from zero
        if (lo <= hi) {
            view->setSecondaryAxis(groupTitle(byUnit[1]), rightKind.scale, lo, hi);
            for (Curve& c : curves)
                if (metricKind(metrics[c.metric]).unit == units[1])
                    drawCurve(c, true);
        }
    }

    if (!zoom.curves.empty())
        keepZoomSources(ctx, std::move(zoom));

    // Notes: what is drawn, what is not, and how to read line styles.
    if (curves.empty()) {
        QStringList names(metrics.begin(), metrics.end());
        view->addNote(QStringLiteral("No run has a '%1' curve against %2.")
                          .arg(names.join(QStringLiteral("', '")), xTitle));
    } else {
        view->addNote(QStringLiteral("%1 runs").arg(drawnRuns.size()));
    }
    if (!lacking.empty()) {
        QStringList shown;
        for (std::size_t i = 0; i < lacking.size() && i < 3; ++i)
            shown << lacking[i];
        if (lacking.size() > 3)
            shown << QStringLiteral("…");
        view->addNote(QStringLiteral("%1 runs have no %2: not drawn (%3).")
                          .arg(lacking.size())
                          .arg(ctx.curveAxis == CurveAxis::WallTime ? QStringLiteral("wall time")
                               : ctx.curveAxis == CurveAxis::Flops  ? QStringLiteral("FLOPs")
                                                                    : xTitle,
                               shown.join(QStringLiteral(", "))));
    }
    if (metrics.size() > 1) {
        QStringList legend;
        for (std::size_t m = 0; m < metrics.size(); ++m)
            legend << QStringLiteral("%1: %2%3")
                          .arg(penWord(m), metrics[m],
                               twin ? (metricKind(metrics[m]).unit == units[0]
                                           ? QStringLiteral(" (left axis)")
                                           : QStringLiteral(" (right axis)"))
                                    : QString());
        view->addNote(legend.join(QStringLiteral(" · ")));
    }
    if (ctx.smoothing > 0 && !curves.empty())
        view->addNote(QStringLiteral("EMA smoothing %1%2")
                          .arg(ctx.smoothing)
                          .arg(sequential ? QString() : QStringLiteral(" (raw curves faint)")));
}

}  // namespace views
}  // namespace scalelens::ui
