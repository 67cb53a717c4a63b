// The "Curve forecast" view: a run's measured loss, the loss-curve law fitted to its logged (or
// not held-out) part, the forecast to the end of its planned schedule with a band, the held-out
// tail and the end error; the LR schedule in a panel beneath on the same step axis. The
// controls bar is in forecast_controls.cpp.
#include <QLocale>
#include <QMessageBox>
#include <algorithm>
#include <cmath>

#include <analysis/curve_inputs.h>
#include <analysis/forecast_siblings.h>
#include <analysis/number_text.h>
#include <analysis/run_table.h>
#include <datasets/project.h>

#include "view_common.h"
#include "view_forecast_data.h"
#include "widgets/views/forecast_view.h"

namespace scalelens::ui {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString num(double v, int digits = 4) {
    return analysis::compactNumber(v, digits);
}

QString stepText(long step) {
    return QLocale::c()
        .toString(static_cast<qlonglong>(step))
        .replace(QLatin1Char(','), QChar(0x202F));
}

ViewFitKey forecastKey(const ViewContext& ctx, qint64 runId, const std::string& metric,
                       bool whatIf) {
    ViewFitKey key;
    key.lossMetric = metric;
    key.group = "curve-forecast run=" + std::to_string(runId) +
                " hold=" + std::to_string(ctx.forecast.holdout) +
                " try=" + std::to_string(ctx.forecast.attempt) +
                " law=" + std::string(fit::curveLawInfo(ctx.forecast.law).key) +
                (ctx.forecast.siblings ? " siblings" : "") + (whatIf ? " what-if" : "");
    key.cutoff = ctx.forecast.holdout;
    return key;
}

// The loss panel's colours, explicit because the measured curve is added after the law (it is
// drawn on top) yet keeps the first colour; held-out points purple, which no other series of
// the panel takes (tab10 without its purple).
const QColor kMeasuredColor(0x1f, 0x77, 0xb4);
const QColor kLawColor(0xff, 0x7f, 0x0e);
const QColor kForecastColor(0x2c, 0xa0, 0x2c);
const QColor kHeldOutColor(0x8e, 0x44, 0xad);
const QColor kWhatIfColors[] = {QColor(0xd6, 0x27, 0x28), QColor(0x8c, 0x56, 0x4b),
                                QColor(0xe3, 0x77, 0xc2), QColor(0xbc, 0xbd, 0x22),
                                QColor(0x17, 0xbe, 0xcf)};

bool hasCurve(const data::Project& p, std::int64_t runId, const std::string& metric) {
    return p.metrics(runId, metric).size() >= 2;
}

}  // namespace

qint64 forecastRunId(const ViewContext& ctx) {
    if (!ctx.project)
        return 0;
    views::countForecastEvaluation();  // reads curves
    const data::Project& p = *ctx.project;
    for (const qint64 id : ctx.selectedRunIds)
        if (p.run(id))
            return id;
    const std::string metric = views::lossMetricName(p);
    for (const data::RunSchedule& s : p.runSchedules())
        if (hasCurve(p, s.runId, metric))
            return s.runId;
    // Runs with a logged LR curve; prefer one that stopped before the end of its schedule.
    qint64 first = 0;
    for (const data::RunValue& v : p.finalValues("lr")) {
        if (!hasCurve(p, v.runId, "lr") || !hasCurve(p, v.runId, metric))
            continue;
        const auto run = p.run(v.runId);
        if (run && analysis::stoppedMidSchedule(*run))
            return v.runId;
        if (!first)
            first = v.runId;
    }
    return first;
}

std::optional<analysis::CurveForecastOutcome> curveForecast(const ViewContext& ctx,
                                                            bool computeIfMissing,
                                                            std::string* why) {
    views::countForecastEvaluation();
    std::string local;
    std::string* err = why ? why : &local;
    const qint64 runId = forecastRunId(ctx);
    if (!runId) {
        *err = "No run to forecast: select a run whose loss was logged with its learning rate.";
        return std::nullopt;
    }
    const data::Project& project = *ctx.project;
    analysis::CurveForecastRequest request;
    request.runId = runId;
    request.holdoutFraction = ctx.forecast.holdout;
    request.law = ctx.forecast.law;
    const std::string metric = views::lossMetricName(project);
    const ViewFitKey key = forecastKey(ctx, runId, metric, false);
    std::optional<analysis::CurveForecastOutcome> out;
    if (ctx.fitCache)
        out = ctx.fitCache->find<analysis::CurveForecastOutcome>(key);
    if (!out) {
        if (!computeIfMissing || !ctx.fitOnTheFly)
            return std::nullopt;
        if (ctx.forecast.siblings)
            for (const data::Run& r : analysis::forecastSiblings(project, runId, metric))
                request.siblingRunIds.push_back(r.id);
        analysis::CurveForecastJob job;
        if (!analysis::prepareCurveForecast(project, request, &job, err))
            return std::nullopt;
        const auto progress = ctx.forecast.progress;
        fit::ProgressCallback callback;
        if (progress) {
            progress->cancel = false;
            progress->fraction = 0;
            progress->running = true;
            callback = [progress](double f) {
                progress->fraction = f;
                return !progress->cancel.load();
            };
        }
        const auto generation = ctx.fitCache ? ctx.fitCacheGeneration : 0;
        out = analysis::runCurveForecast(job, analysis::defaultCurveForecastOptions(), callback);
        if (progress)
            progress->running = false;
        if (ctx.fitCache)
            ctx.fitCache->store(generation, key, *out);
    }
    if (ctx.forecast.whatIf && fit::isUsable(out->result.status)) {
        const ViewFitKey wkey = forecastKey(ctx, runId, metric, true);
        if (!(ctx.fitCache && ctx.fitCache->find<analysis::CurveWhatIf>(wkey)) && computeIfMissing)
            views::cachedFit<analysis::CurveWhatIf>(ctx, wkey,
                                                    [&] { return analysis::computeWhatIf(*out); });
    }
    return out;
}

namespace views {

std::optional<analysis::CurveWhatIf> whatIfForecast(const ViewContext& ctx,
                                                    const analysis::CurveForecastOutcome& o) {
    if (!fit::isUsable(o.result.status))
        return std::nullopt;
    if (!ctx.fitCache)
        return analysis::computeWhatIf(o);
    return ctx.fitCache->find<analysis::CurveWhatIf>(
        forecastKey(ctx, o.job.request.runId, o.job.metric, true));
}

void buildCurveForecast(const ViewContext& ctx, PlotView* view) {
    // Everything evaluated comes from the data step (a worker thread in the window); this
    // draws its arrays.
    const std::shared_ptr<const ForecastPlotData> data = forecastPlotData(ctx);
    const ForecastPlotData& d = *data;
    const std::string& metric = d.metric;
    view->setPanelTitle(QObject::tr("Curve forecast"));
    view->setAxis(Qt::Horizontal, QObject::tr("Step"), AxisScale::Linear);
    view->setAxis(Qt::Vertical, QObject::tr("Loss (%1)").arg(qs(metric)), AxisScale::Linear);
    const qint64 runId = d.runId;
    if (!runId) {
        view->addNote(
            QObject::tr("No run to forecast: select a run whose loss was logged with "
                        "its learning rate (metric 'lr'), or set a run's schedule."));
        return;
    }
    const QString& runName = d.runName;
    const std::string& why = d.why;
    const std::optional<analysis::CurveForecastOutcome>& outcome = d.outcome;
    if (!outcome) {
        // Still show what was logged, and say why there is no forecast.
        if (!d.loggedSteps.empty()) {
            std::vector<double> x(d.loggedSteps.begin(), d.loggedSteps.end());
            view->addLine(QObject::tr("%1 (measured)").arg(runName), x, d.loggedLoss);
        }
        view->addNote(QObject::tr("Run '%1', loss metric '%2'.").arg(runName, qs(metric)));
        view->addNote(why.empty() ? QObject::tr("The forecast is being fitted…") : qs(why));
        return;
    }
    const analysis::CurveForecastOutcome& o = *outcome;
    const analysis::CurveForecastJob& job = o.job;
    const QString lawName = job.request.law == fit::CurveLawId::MultiPower
                                ? QObject::tr("Multi-Power Law")
                                : QObject::tr("LR-annealing law");
    const bool usable = fit::isUsable(o.result.status);
    // Notes: the numbers first (a collapsed note shows its first line), in few words: at
    // 1366x768 the whole note must find room above the falling curve.
    if (!usable)
        view->addNote(QObject::tr("Run '%1', loss '%2'; schedule %3.")
                          .arg(runName, qs(job.metric), qs(job.scheduleHow)));
    if (o.result.status == fit::FitStatus::Cancelled) {
        view->addNote(QObject::tr("The forecast was cancelled: press Forecast to fit again."));
    } else if (!usable) {
        view->addNote(QObject::tr("No forecast: %1").arg(qs(o.result.message)));
    }

    // Measured: fitted part, then the held-out tail in another style.
    const std::size_t nFit = job.fittedPoints;
    std::vector<double> fx, fy, hx, hy;
    for (std::size_t i = 0; i < job.measuredSteps.size(); ++i) {
        auto& xs = i < nFit ? fx : hx;
        auto& ys = i < nFit ? fy : hy;
        xs.push_back(static_cast<double>(job.measuredSteps[i]));
        ys.push_back(job.measuredLoss[i]);
    }
    PointIds runIds;
    runIds.runIds = {runId};
    runIds.labels = {runName};
    const double lastFitted = static_cast<double>(job.target.steps.back());
    if (usable) {
        std::vector<double> lx(job.target.steps.begin(), job.target.steps.end());
        SeriesStyle fitted;
        fitted.width = 2.5;
        fitted.color = kLawColor;
        view->addLine(QObject::tr("%1 fit (logged part)").arg(lawName), lx, o.fittedLaw, fitted);
        const fit::ScheduleForecast& f = o.result.forecast;
        std::vector<double> x, y, lo, hi;
        for (std::size_t i = 0; i < f.steps.size(); ++i) {
            if (static_cast<double>(f.steps[i]) < lastFitted)
                continue;
            x.push_back(static_cast<double>(f.steps[i]));
            y.push_back(f.loss[i]);
            lo.push_back(f.lower[i]);
            hi.push_back(f.upper[i]);
        }
        // Fill alpha 0.22 on the dark background, 0.11 on white (PlotView's band fill is
        // 0.22 x opacity): at 0.055 the band was nearly invisible in the dark theme.
        SeriesStyle band;
        band.opacity = 1.0;
        band.lightOpacity = 0.5;
        band.color = kForecastColor;
        const int bandId = view->addBand(
            QObject::tr("%1% band").arg(std::lround(100 * o.bandLevel)), x, lo, hi, band);
        SeriesStyle dashed;
        dashed.width = 2.5;
        dashed.penStyle = Qt::DashLine;
        dashed.color = view->seriesColor(bandId);
        view->addLine(QObject::tr("forecast to step %1").arg(stepText(f.finalStep)), x, y, dashed);
        SeriesStyle endStyle;
        endStyle.markerSize = 10;
        endStyle.color = dashed.color;
        view->addScatter(QObject::tr("forecast final loss"), {static_cast<double>(f.finalStep)},
                         {f.finalLoss}, {}, endStyle);
        QString end = QObject::tr("forecast %1 [%2, %3]")
                          .arg(num(f.finalLoss), num(f.finalBand.lower), num(f.finalBand.upper));
        if (o.hasEndError)
            end += QObject::tr("\nmeasured %1, error %2%3 (%4%5%)")
                       .arg(num(o.measuredEndLoss), o.endError >= 0 ? "+" : "", num(o.endError, 2),
                            o.endError >= 0 ? "+" : "",
                            QString::number(100 * o.relativeEndError, 'f', 2));
        // Up and right of the middle of the forecast: the empty corner above a falling curve.
        const double midStep = 0.5 * (static_cast<double>(job.measuredSteps.front()) +
                                      static_cast<double>(f.finalStep));
        const double top = *std::max_element(job.measuredLoss.begin(), job.measuredLoss.end());
        // Not while the what-if table shows (window): the table's "plan" row and the note's
        // first line carry these numbers, and the label took the corner the note needs.
        if (!view->property(kWhatIfTableShownProperty).toBool())
            view->addText(midStep, f.finalLoss + 0.45 * (top - f.finalLoss), end);
        view->addNote(QObject::tr("%1: final loss %2 at step %3, %4% band %5 – %6.")
                          .arg(lawName, num(f.finalLoss), stepText(f.finalStep))
                          .arg(std::lround(100 * o.bandLevel))
                          .arg(num(f.finalBand.lower), num(f.finalBand.upper)));
        // Where the schedule came from, not its parameters: the LR panel draws it, and the
        // whole description made the note too long to place at 1366x768.
        std::string how = job.scheduleHow;
        if (const auto colon = how.find(':'); colon != std::string::npos)
            how.resize(colon);
        else if (const auto paren = how.find(" ("); paren != std::string::npos)
            how.resize(paren);
        view->addNote(QObject::tr("Fitted to '%1' up to step %2 (%3 points, %4 resamples); "
                                  "schedule %5.")
                          .arg(runName, stepText(o.result.lastLoggedStep))
                          .arg(nFit)
                          .arg(o.result.fit.bootstrapResamples)
                          .arg(qs(how)));
        if (!job.siblingNames.empty()) {
            QStringList names;
            for (const std::string& n : job.siblingNames)
                names << qs(n);
            view->addNote(
                QObject::tr("Fitted with siblings: %1.").arg(names.join(QStringLiteral(", "))));
        }
        if (o.hasEndError)
            view->addNote(
                QObject::tr("Held out: the last %1% of the logged steps; at step %2 forecast "
                            "%3, measured %4: error %5%6 (%7%8%), %9 the band.")
                    .arg(std::lround(100 * job.request.holdoutFraction))
                    .arg(stepText(o.measuredEndStep), num(o.predictedEndLoss),
                         num(o.measuredEndLoss), o.endError >= 0 ? "+" : "", num(o.endError, 2),
                         o.endError >= 0 ? "+" : "",
                         QString::number(100 * o.relativeEndError, 'f', 2),
                         o.endInBand ? QObject::tr("inside") : QObject::tr("outside")));
        const QString diag = fitDiagnosticsNote(o.result);
        if (!diag.isEmpty())
            view->addNote(diag);
    }
    // Measured after the law: Qt Charts paints series in the order added, and the wider law
    // line would hide the measured points it runs through. Fitted part, then the held-out tail
    // in another colour.
    {
        SeriesStyle measured;
        measured.width = 1.5;
        measured.color = kMeasuredColor;
        view->addLine(QObject::tr("measured (fitted)"), fx, fy, measured, runIds);
        if (!hx.empty()) {
            SeriesStyle held;
            held.markerSize = 5;
            held.squareMarker = true;
            held.opacity = 0.8;
            held.color = kHeldOutColor;
            view->addScatter(QObject::tr("held out (not fitted)"), hx, hy, runIds, held);
        }
    }
    // What-if schedules.
    const std::optional<analysis::CurveWhatIf>& whatIf = d.whatIf;
    if (whatIf) {
        QStringList table;
        for (std::size_t i = 0; i < whatIf->schedules.size(); ++i) {
            const fit::ScheduleForecast& w = whatIf->schedules[i];
            if (whatIf->names[i] == "plan")
                continue;  // drawn above
            std::vector<double> x, y;
            for (std::size_t k = 0; k < w.steps.size(); ++k)
                if (static_cast<double>(w.steps[k]) >= lastFitted) {
                    x.push_back(static_cast<double>(w.steps[k]));
                    y.push_back(w.loss[k]);
                }
            SeriesStyle dotted;
            dotted.penStyle = Qt::DotLine;
            dotted.width = 2;
            dotted.color = kWhatIfColors[i % std::size(kWhatIfColors)];
            view->addLine(QObject::tr("what-if %1").arg(qs(whatIf->names[i])), x, y, dotted);
        }
        for (std::size_t i = 0; i < whatIf->schedules.size(); ++i)
            table << QObject::tr("%1 %2").arg(qs(whatIf->names[i]),
                                              num(whatIf->schedules[i].finalLoss));
        // One note line; none when the table under the plot (window) shows the schedules with
        // their bands and differences, and the best cooldown.
        const bool tableShown = view->property(kWhatIfTableShownProperty).toBool();
        QString line =
            tableShown
                ? QString()
                : QObject::tr("What-if final loss: %1.").arg(table.join(QStringLiteral("; ")));
        if (whatIf->searched && !tableShown)
            line += QObject::tr(" Best WSD cooldown %1%: %2.")
                        .arg(std::lround(100 * whatIf->bestFraction))
                        .arg(num(whatIf->bestLoss));
        if (!line.trimmed().isEmpty())
            view->addNote(line.trimmed());
    }
    // A marker where the fitted part ends.
    {
        const double lo = *std::min_element(job.measuredLoss.begin(), job.measuredLoss.end());
        const double hi = *std::max_element(job.measuredLoss.begin(), job.measuredLoss.end());
        SeriesStyle marker;
        marker.penStyle = Qt::DotLine;
        marker.width = 1;
        marker.inLegend = false;
        marker.color = view->palette().color(QPalette::Mid);
        view->addLine(QObject::tr("end of fitted part"), {lastFitted, lastFitted}, {lo, hi},
                      marker);
    }

    // The schedule beneath, on the same step axis.
    view->addPanel(QObject::tr("Learning-rate schedule"));
    view->setAxis(Qt::Horizontal, QObject::tr("Step"), AxisScale::Linear);
    view->setAxis(Qt::Vertical, QObject::tr("LR"), AxisScale::Linear);
    {
        const std::vector<double>& lr = job.target.lr;
        std::vector<double> x(lr.size());
        for (std::size_t s = 0; s < lr.size(); ++s)
            x[s] = static_cast<double>(s);
        view->addLine(QObject::tr("planned schedule"), x, lr, {}, runIds);  // data: sets the range
        if (!job.loggedLr.empty()) {
            std::vector<double> lx, ly;
            for (const fit::LrPoint& p : job.loggedLr) {
                lx.push_back(static_cast<double>(p.step));
                ly.push_back(p.lr);
            }
            SeriesStyle logged;
            logged.markerSize = 4;
            view->addScatter(QObject::tr("logged LR"), lx, ly, {}, logged);
        }
        for (std::size_t i = 0; i < d.whatIfLr.size(); ++i) {
            const std::vector<double>& w = d.whatIfLr[i];
            std::vector<double> wx(w.size());
            for (std::size_t s = 0; s < w.size(); ++s)
                wx[s] = static_cast<double>(s);
            SeriesStyle dotted;
            dotted.penStyle = Qt::DotLine;
            dotted.width = 1.5;
            view->addLine(QObject::tr("what-if %1").arg(qs(d.whatIfLrNames[i])), wx, w, dotted);
        }
        const double peak = *std::max_element(lr.begin(), lr.end());
        SeriesStyle marker;
        marker.penStyle = Qt::DotLine;
        marker.width = 1;
        marker.inLegend = false;
        marker.color = view->palette().color(QPalette::Mid);
        view->addLine(QObject::tr("end of fitted part"), {lastFitted, lastFitted}, {0.0, peak},
                      marker);
    }
    view->setStackedPanels(0.62);
    view->setCurrentPanel(0);
}

}  // namespace views

}  // namespace scalelens::ui
