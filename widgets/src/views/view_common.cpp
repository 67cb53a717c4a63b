#include "view_common.h"

#include <QStringList>

#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

#include <analysis/fit_store.h>
#include <analysis/grouping.h>
#include <analysis/law_inputs.h>
#include <analysis/loss_metric.h>
#include <analysis/run_table.h>
#include <datasets/examples.h>
#include <datasets/fit_json.h>

#include "plot/plot_view_impl.h"  // viridis()
#include "widgets/base/theme.h"
#include "widgets/plot/plot_axis_ticks.h"

namespace scalelens::ui::views {

std::string lossMetricName(const data::Project& project) {
    return analysis::lossMetric(project).name;
}

ScalingData scalingRuns(const data::Project& project) {
    ScalingData out;
    out.lossMetric = QString::fromStdString(lossMetricName(project));
    if (out.lossMetric.isEmpty())
        return out;
    // The sweep `scalelens-cli fit --law chinchilla|kaplan|isoflop` fits without --group
    // (analysis::defaultScalingSweep): the runs a fit would use (not excluded, not stopped
    // mid-schedule, not pruned, the project's loss metric) of the project's scaling sweep.
    std::string why;
    const analysis::ScalingSweep sweep = analysis::defaultScalingSweep(project);
    if (!sweep.group)
        return out;
    const std::string chosen = *sweep.group;
    out.otherGroups = sweep.groupsWithRuns - 1;
    // The chosen sweep through the inputs `scalelens-cli fit --law chinchilla|isoflop --group G`
    // uses: the same runs, N, D, C, final loss and budgets (planned budget_flops, else C,
    // grouped within the default tolerance of analysis/grouping.h).
    analysis::Selection selection;
    selection.group = chosen;
    analysis::RunTable table;
    if (!analysis::loadRunTable(project, selection, &table, &why))
        return out;
    const analysis::NdlInputs ndl = analysis::ndlInputs(table);
    const analysis::IsoFlopInputs iso = analysis::isoflopInputs(table);
    std::map<std::size_t, double> budgetOfRow;  // table row -> grouped budget
    for (std::size_t k = 0; k < iso.size(); ++k)
        budgetOfRow[iso.rows[k]] = iso.points[k].C;
    out.pruned = ndl.pruned;
    for (std::size_t k = 0; k < ndl.size(); ++k) {
        const data::Run& run = table.runs[ndl.rows[k]];
        ScalingRun r;
        r.id = run.id;
        r.name = QString::fromStdString(run.name);
        r.N = ndl.obs[k].x1;
        r.D = ndl.obs[k].x2;
        r.L = ndl.obs[k].loss;
        r.C = ndl.compute[k];
        const auto budget = budgetOfRow.find(ndl.rows[k]);
        r.budget = budget != budgetOfRow.end() ? budget->second : r.C;
        out.runs.push_back(r);
    }
    out.group = QString::fromStdString(chosen);
    out.stoppedSkipped = table.stoppedSkipped;
    // "11 runs of 'sweep-a'"; runs imported without a group are simply "11 runs".
    out.description = out.group.isEmpty()
                          ? QStringLiteral("%1 runs").arg(out.runs.size())
                          : QStringLiteral("%1 runs of '%2'").arg(out.runs.size()).arg(out.group);
    out.description += QStringLiteral(", loss metric '%1'").arg(out.lossMetric);
    // Stored curve forecasts standing in for stopped runs' final losses (Selection::
    // includeForecasts, as a fit with Include forecasts reads them): drawn hollow, not fitted.
    selection.includeForecasts = true;
    analysis::RunTable withForecasts;
    if (analysis::loadRunTable(project, selection, &withForecasts, &why)) {
        const analysis::NdlInputs fin = analysis::ndlInputs(withForecasts);
        for (std::size_t k = 0; k < fin.size(); ++k) {
            const data::Run& run = withForecasts.runs[fin.rows[k]];
            if (k >= fin.forecast.size() || !fin.forecast[k])
                continue;
            ScalingRun r;
            r.id = run.id;
            r.name = QString::fromStdString(run.name);
            r.N = fin.obs[k].x1;
            r.D = fin.obs[k].x2;
            r.L = fin.obs[k].loss;
            r.C = fin.compute[k];
            r.budget = r.C;
            out.forecasts.push_back(r);
        }
    }
    return out;
}

int addForecastScatter(PlotView* view, const ScalingData& data, double (*x)(const ScalingRun&),
                       double (*y)(const ScalingRun&)) {
    if (data.forecasts.empty())
        return -1;
    SeriesStyle st;
    st.hollowMarker = true;
    st.markerSize = 11;
    return addRunScatter(view, QStringLiteral("forecast final loss (not measured)"), data.forecasts,
                         x, y, st);
}

namespace {

bool loadSaved(const data::Project& project, const data::FitRecord& rec, ChinchillaFitInfo* info) {
    QJsonParseError perr;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromStdString(rec.resultJson), &perr);
    QString why;
    if (!doc.isObject() || !data::fitResultFromJson(doc.object(), &info->result, &why)) {
        info->problem = QStringLiteral("saved fit #%1 cannot be read: %2")
                            .arg(rec.id)
                            .arg(why.isEmpty() ? perr.errorString() : why);
        return false;
    }
    if (!fit::isUsable(info->result.status)) {
        info->problem = QStringLiteral("saved fit #%1 did not converge: %2")
                            .arg(rec.id)
                            .arg(QString::fromStdString(info->result.message));
        return false;
    }
    info->ok = true;
    // Stale when the values the fit used changed (analysis/fit_store.h: input digest).
    info->stale = analysis::fitIsStale(project, rec);
    info->source =
        QStringLiteral("saved fit #%1%2")
            .arg(rec.id)
            .arg(info->stale ? QStringLiteral(" (stale: the data changed since)") : QString());
    return true;
}

}  // namespace

double backtestCutoff(const std::vector<double>& bs) {
    return std::sqrt(bs[bs.size() - 2] * bs[bs.size() - 3]);
}

fit::BacktestResult residualBacktest(const ViewContext& ctx, const ScalingData& data,
                                     double cutoff) {
    const ViewFitKey key{data.lossMetric.toStdString(), data.group.toStdString(), cutoff};
    return cachedFit<fit::BacktestResult>(ctx, key, [&] {
        std::vector<fit::Observation> obs;
        for (const ScalingRun& r : data.runs)
            obs.push_back({r.N, r.D, r.L, 1.0, r.name.toStdString()});
        fit::FitOptions options;
        options.runBootstrap = false;
        return fit::backtestChinchilla(obs, fit::CutoffVariable::Compute, cutoff, options);
    });
}

ChinchillaFitInfo chinchillaFit(const ViewContext& ctx, const ScalingData& data) {
    ChinchillaFitInfo info;
    const data::Project& project = *ctx.project;
    if (ctx.fitId >= 0) {
        const auto rec = project.fit(ctx.fitId);
        if (!rec) {
            info.problem = QStringLiteral("fit #%1 is not in this project").arg(ctx.fitId);
            return info;
        }
        if (rec->law != "chinchilla") {
            info.problem = QStringLiteral("fit #%1 is a '%2' fit, not a Chinchilla fit")
                               .arg(ctx.fitId)
                               .arg(QString::fromStdString(rec->law));
            return info;
        }
        loadSaved(project, *rec, &info);
        return info;
    }
    for (const data::FitRecord& rec : project.fits()) {
        if (rec.law == "chinchilla" && loadSaved(project, rec, &info))
            return info;
    }
    if (!ctx.fitOnTheFly) {
        info.problem = QStringLiteral("no saved Chinchilla fit in this project");
        return info;
    }
    if (data.runs.size() < 6) {
        info.problem = QStringLiteral(
            "no fit: a Chinchilla fit needs at least 6 runs with N, D and a final loss");
        return info;
    }
    const ViewFitKey key{data.lossMetric.toStdString(), data.group.toStdString(), 0.0};
    info.result = cachedFit<fit::FitResult>(ctx, key, [&] {
        std::vector<fit::Observation> obs;
        for (const ScalingRun& r : data.runs)
            obs.push_back({r.N, r.D, r.L, 1.0, r.name.toStdString()});
        fit::FitOptions options;  // the published procedure, without the bootstrap
        options.runBootstrap = false;
        return fit::fitChinchilla(obs, options);
    });
    if (!fit::isUsable(info.result.status)) {
        info.problem = QStringLiteral("the Chinchilla fit failed: %1")
                           .arg(QString::fromStdString(info.result.message));
        return info;
    }
    info.ok = true;
    info.source = QStringLiteral("fitted now to %1 (no bootstrap)").arg(data.description);
    return info;
}

QString fitDiagnosticsNote(const fit::FitResultBase& result, const QString& what) {
    const fit::Severity worst = result.worstSeverity();
    if (worst == fit::Severity::Info && result.status != fit::FitStatus::Unreliable)
        return {};
    QStringList lines;
    for (const fit::Severity level : {fit::Severity::Unreliable, fit::Severity::Warning}) {
        for (const fit::Diagnostic& d : result.diagnostics) {
            if (d.severity == level)
                lines << QString::fromStdString(d.message);
        }
    }
    const QString name = what.isEmpty() ? QStringLiteral("fit") : what + QStringLiteral(" fit");
    const QString head =
        result.status == fit::FitStatus::Unreliable
            ? QStringLiteral("\u26a0 Unreliable %1 (do not use its numbers as they are): ")
            : QStringLiteral("\u26a0 Warning on the %1: ");
    return head.arg(name) + lines.join(QStringLiteral("; "));
}

std::vector<double> budgets(const ScalingData& data) {
    std::vector<double> cs;
    for (const ScalingRun& r : data.runs)
        cs.push_back(r.budget);
    std::sort(cs.begin(), cs.end());
    std::vector<double> out;
    for (std::size_t i = 0; i < cs.size();) {
        std::size_t j = i;
        while (j < cs.size() && cs[j] == cs[i])  // grouped budgets are equal
            ++j;
        if (j - i >= 3)
            out.push_back(cs[i]);
        i = j;
    }
    if (out.empty() && !cs.empty() && cs.front() > 0)
        out = logSpace(cs.front(), cs.back() > cs.front() ? cs.back() : cs.front() * 10, 4);
    return out;
}

QColor sequentialColor(double t) {
    // Only the part of viridis that keeps 3:1 contrast against the plot background: its dark
    // purples vanish on the dark theme, its yellows on a white page.
    const QColor background = QGuiApplication::palette().color(QPalette::Base);
    thread_local QRgb cachedFor = 0;
    thread_local double lo = 0.0, hi = 1.0;
    if (cachedFor != background.rgba() || cachedFor == 0) {
        cachedFor = background.rgba();
        const int steps = 200;
        lo = 1.0;
        hi = 0.0;
        for (int i = 0; i <= steps; ++i) {
            const double u = static_cast<double>(i) / steps;
            if (contrastRatio(viridis(u), background) >= kMinPlotContrast + 0.05) {
                lo = std::min(lo, u);
                hi = std::max(hi, u);
            }
        }
        if (!(lo < hi)) {  // a background no part of viridis contrasts with
            lo = 0.0;
            hi = 1.0;
        }
    }
    return viridis(lo + (hi - lo) * std::clamp(t, 0.0, 1.0));
}

double logPosition(double v, double lo, double hi) {
    if (!(v > 0) || !(lo > 0) || !(hi > lo))
        return 0.0;
    return std::clamp(std::log(v / lo) / std::log(hi / lo), 0.0, 1.0);
}

std::vector<double> logSpace(double lo, double hi, int count) {
    std::vector<double> out;
    count = std::max(2, count);
    const double a = std::log(lo), b = std::log(hi);
    for (int i = 0; i < count; ++i)
        out.push_back(std::exp(a + (b - a) * i / (count - 1)));
    return out;
}

QString humanCount(double v) {
    const double a = std::abs(v);
    auto fmt = [](double x, const char* suffix) {
        return QString::number(x, 'g', 3) + QLatin1String(suffix);
    };
    if (a >= 1e15)
        return tickLabel(v, 0.0);
    if (a >= 1e12)
        return fmt(v / 1e12, "T");
    if (a >= 1e9)
        return fmt(v / 1e9, "B");
    if (a >= 1e6)
        return fmt(v / 1e6, "M");
    if (a >= 1e3)
        return fmt(v / 1e3, "k");
    return QString::number(v, 'g', 3);
}

int addRunScatter(PlotView* view, const QString& name, const std::vector<ScalingRun>& runs,
                  double (*x)(const ScalingRun&), double (*y)(const ScalingRun&),
                  SeriesStyle style) {
    std::vector<double> xs, ys;
    PointIds ids;
    for (const ScalingRun& r : runs) {
        xs.push_back(x(r));
        ys.push_back(y(r));
        ids.runIds.push_back(r.id);
        ids.labels.push_back(r.name);
    }
    return view->addScatter(name, std::move(xs), std::move(ys), std::move(ids), style);
}

std::vector<double> emaSmooth(const std::vector<double>& values, double weight) {
    return data::emaSmooth(values, weight);  // the one the curve overviews are smoothed with
}

}  // namespace scalelens::ui::views
