// Views over the efficiency laws: LR x batch landscape (Li et al. 2025, Step Law), capacity
// density over time (Xiao et al. 2024, densing law), knowledge bits per parameter (Allen-Zhu &
// Li 2024) and the average-parameter collapse (Jin et al. 2025).
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <analysis/law_inputs.h>
#include <analysis/run_table.h>
#include <datasets/examples.h>
#include <fitting/avgparam.h>
#include <fitting/avgparam_fit.h>
#include <fitting/densing_direct.h>
#include <fitting/hparams.h>
#include <fitting/hparams_fit.h>
#include <fitting/knowledge.h>

#include "view_common.h"
#include "widgets/plot/plot_axis_ticks.h"

namespace scalelens::ui::views {

namespace {

std::map<std::int64_t, double> finalMap(const data::Project& project, const std::string& metric) {
    std::map<std::int64_t, double> out;
    if (metric.empty())
        return out;
    for (const data::RunValue& v : project.finalValues(metric))
        out[v.runId] = v.value;
    return out;
}

// Cell edges around sorted distinct centres, at geometric midpoints (log axes).
std::vector<double> logEdges(const std::vector<double>& centres) {
    std::vector<double> e;
    if (centres.empty())
        return e;
    if (centres.size() == 1)
        return {centres[0] / 1.2, centres[0] * 1.2};
    e.push_back(centres[0] / std::sqrt(centres[1] / centres[0]));
    for (std::size_t i = 0; i + 1 < centres.size(); ++i)
        e.push_back(std::sqrt(centres[i] * centres[i + 1]));
    const std::size_t n = centres.size();
    e.push_back(centres[n - 1] * std::sqrt(centres[n - 1] / centres[n - 2]));
    return e;
}

std::vector<double> distinctSorted(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    std::vector<double> out;
    for (double x : v) {
        if (out.empty() || std::abs(x / out.back() - 1.0) > 1e-6)
            out.push_back(x);
    }
    return out;
}

std::size_t indexOf(const std::vector<double>& sorted, double v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (std::abs(std::log(sorted[i] / v)) < std::abs(std::log(sorted[best] / v)))
            best = i;
    }
    return best;
}

}  // namespace

void buildLrBatchLandscape(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("LR × batch loss landscape"));
    view->setAxis(Qt::Horizontal, QStringLiteral("Peak learning rate"), AxisScale::Log);
    view->setAxis(Qt::Vertical, QStringLiteral("Batch size (tokens)"), AxisScale::Log);
    const data::Project& project = *ctx.project;
    struct SweepRun {
        data::Run run;
        double n, d, loss;
    };
    // The LR x batch inputs of the fit (analysis/law_inputs.h): N non-embedding, the project's
    // loss metric, and (N, D) grouped within 5 %, so runs stopped a few steps early stay in
    // their group.
    analysis::RunTable table;
    analysis::LrBsInputs sweep;
    std::string why;
    if (analysis::loadRunTable(project, {}, &table, &why))
        sweep = analysis::lrBsInputs(table);
    std::map<std::pair<double, double>, std::vector<SweepRun>> groups;
    for (std::size_t k = 0; k < sweep.size(); ++k) {
        const fit::LrBsRun& r = sweep.runs[k];
        groups[{r.n, r.d}].push_back({table.runs[sweep.rows[k]], r.n, r.d, r.loss});
    }
    if (groups.empty()) {
        view->addNote(
            QStringLiteral("No LR × batch sweep in this project: import runs with a peak LR, "
                           "a batch size in tokens, N, D and a final value of the loss metric "
                           "'%1'.")
                .arg(QString::fromStdString(table.lossMetric.empty() ? lossMetricName(project)
                                                                     : table.lossMetric)));
        return;
    }
    // The (N, D) group of a selected run, else the largest group.
    auto chosen = groups.begin();
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        if (it->second.size() > chosen->second.size())
            chosen = it;
    }
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        for (const SweepRun& r : it->second) {
            if (std::find(ctx.selectedRunIds.begin(), ctx.selectedRunIds.end(), r.run.id) !=
                ctx.selectedRunIds.end())
                chosen = it;
        }
    }
    const std::vector<SweepRun>& runs = chosen->second;
    const double n = runs.front().n, d = runs.front().d;
    view->setPanelTitle(
        QStringLiteral("LR × batch loss landscape, N = %1, D = %2 (%3 of %4 sweeps)")
            .arg(humanCount(n), humanCount(d))
            .arg(std::distance(groups.begin(), chosen) + 1)
            .arg(groups.size()));
    std::vector<double> lrs, bss;
    for (const SweepRun& r : runs) {
        lrs.push_back(*r.run.peakLr);
        bss.push_back(*r.run.batchTokens);
    }
    lrs = distinctSorted(lrs);
    bss = distinctSorted(bss);
    Heatmap hm;
    hm.xEdges = logEdges(lrs);
    hm.yEdges = logEdges(bss);
    hm.values.assign(lrs.size() * bss.size(), NAN);
    hm.valueTitle = QStringLiteral("final %1").arg(QString::fromStdString(sweep.lossMetric));
    double best = INFINITY;
    const SweepRun* bestRun = nullptr;
    for (const SweepRun& r : runs) {
        double& cell =
            hm.values[indexOf(bss, *r.run.batchTokens) * lrs.size() + indexOf(lrs, *r.run.peakLr)];
        if (!std::isfinite(cell) || r.loss < cell)
            cell = r.loss;
        if (r.loss < best) {
            best = r.loss;
            bestRun = &r;
        }
    }
    // Clip the colour scale at 3% above the best loss: diverged runs would wash out the bowl.
    for (double& v : hm.values) {
        if (std::isfinite(v))
            v = std::min(v, best * 1.03);
    }
    view->setHeatmap(hm);

    // Runs as small markers so hover and click reach them.
    {
        std::vector<double> x, y;
        PointIds ids;
        for (const SweepRun& r : runs) {
            x.push_back(*r.run.peakLr);
            y.push_back(*r.run.batchTokens);
            ids.runIds.push_back(r.run.id);
            ids.labels.push_back(QStringLiteral("%1 (L = %2)")
                                     .arg(QString::fromStdString(r.run.name))
                                     .arg(r.loss, 0, 'f', 4));
        }
        SeriesStyle st;
        st.color = QColor(255, 255, 255);
        st.markerSize = 4;
        st.opacity = 0.6;
        st.inLegend = false;
        view->addScatter(QStringLiteral("runs"), x, y, ids, st);
    }
    auto marker = [&](const QString& name, double lr, double bs, QColor color, bool square) {
        SeriesStyle st;
        st.color = color;
        st.markerSize = 13;
        st.squareMarker = square;
        view->addScatter(name, {lr}, {bs}, {}, st);
    };
    if (bestRun)
        marker(QStringLiteral("best run (L = %1)").arg(best, 0, 'f', 4), *bestRun->run.peakLr,
               *bestRun->run.batchTokens, QColor(255, 255, 255), false);

    // Fitted: the group's quadratic optimum and the user's law fitted over every sweep.
    std::vector<fit::LrBsRun> all;
    for (const auto& [key, g] : groups)
        for (const SweepRun& r : g)
            all.push_back({r.n, r.d, *r.run.peakLr, *r.run.batchTokens, r.loss});
    const fit::LrBsFitResult fitted = fit::fitLrBsSweep(all, fit::LrBsFitOptions{});
    if (fit::isUsable(fitted.status)) {
        for (const fit::LrBsGroupOptimum& g : fitted.groups) {
            if (std::abs(std::log(g.n / n)) > 1e-3 || std::abs(std::log(g.d / d)) > 1e-3)
                continue;
            if (g.quadraticOk)
                marker(QStringLiteral("fitted optimum (quadratic)"), g.quadLr, g.quadBatchTokens,
                       QColor(0xd6, 0x27, 0x28), false);
            else
                view->addNote(QStringLiteral("No quadratic optimum: %1")
                                  .arg(QString::fromStdString(g.quadraticMessage)));
        }
        if (groups.size() >= 2)
            marker(QStringLiteral("your fitted law (%1 sweeps)").arg(groups.size()),
                   fitted.lr.predict(n, d), fitted.batch.predict(n, d), QColor(0xff, 0x7f, 0x0e),
                   true);
        if (const QString note = fitDiagnosticsNote(fitted, QStringLiteral("LR \u00d7 batch"));
            !note.isEmpty())
            view->addNote(note);
    } else {
        view->addNote(QStringLiteral("Sweep fit: %1").arg(QString::fromStdString(fitted.message)));
    }

    // Published laws: both values as a marker, one value as a dashed line.
    fit::HparamInputs in;
    in.n = n;
    in.d = d;
    in.seqLen = runs.front().run.seqLen.value_or(2048);
    in.loss = best;
    const QColor presetColors[] = {QColor(0x17, 0xbe, 0xcf), QColor(0x94, 0x67, 0xbd),
                                   QColor(0xe3, 0x77, 0xc2), QColor(0x8c, 0x56, 0x4b),
                                   QColor(0xbc, 0xbd, 0x22), QColor(0x7f, 0x7f, 0x7f)};
    const PlotRange hr{hm.xEdges.front(), hm.xEdges.back(), hm.yEdges.front(), hm.yEdges.back()};
    int k = 0;
    for (const fit::HparamRecommendation& rec : fit::recommendAllHparams(in)) {
        const QColor color = presetColors[k++ % 6];
        const QString name = QString::fromStdString(fit::hparamPresetInfo(rec.preset).name);
        if (rec.lr && rec.batchTokens) {
            marker(name, *rec.lr, *rec.batchTokens, color, true);
        } else if (rec.lr || rec.batchTokens) {
            SeriesStyle st;
            st.color = color;
            st.penStyle = Qt::DashLine;
            st.width = 1.5;
            if (rec.lr)
                view->addLine(name + QStringLiteral(" (LR only)"), {*rec.lr, *rec.lr},
                              {hr.yMin, hr.yMax}, st);
            else
                view->addLine(name + QStringLiteral(" (batch only)"), {hr.xMin, hr.xMax},
                              {*rec.batchTokens, *rec.batchTokens}, st);
        }
    }
    view->setRange(0, hr);
    view->addNote(QStringLiteral("Colour scale clipped at 3% above the best loss."));
}

void buildDensityOverTime(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Capacity density over time"));
    view->setAxis(Qt::Horizontal, QStringLiteral("Release date (year)"), AxisScale::Linear);
    view->setAxis(Qt::Vertical, QStringLiteral("Capacity density ρ = N_eff / N"), AxisScale::Log);
    const data::Project& project = *ctx.project;
    // The models `scalelens-cli fit --law densing --project P` reads (analysis::densingInputs
    // of the runs a fit would use: not excluded, not stopped mid-schedule), on MMLU when scored
    // (else the benchmark scored for the most models), with the earliest family of >= 3 models
    // as the reference (analysis::earliestFamilyPattern); the note names the equivalent flags.
    analysis::RunTable table;
    std::string why;
    analysis::DensingInputs in;
    analysis::DensingSelection selection;
    bool haveInputs = analysis::loadRunTable(project, analysis::Selection{}, &table, &why);
    if (haveInputs && table.evaluations.count("mmlu"))
        selection.benchmark = "mmlu";
    haveInputs = haveInputs && analysis::densingInputs(table, selection, &in, &why);
    if (!haveInputs || in.models.size() < 4) {
        view->addNote(QStringLiteral(
            "No model table with release dates and benchmark scores in this project."));
        return;
    }
    const std::string bench = in.benchmark;
    selection.benchmark = bench;
    selection.referencePattern = analysis::earliestFamilyPattern(in);
    if (selection.referencePattern.empty()) {
        view->addNote(QStringLiteral(
            "No reference family: densities need >= 3 models released on the same date."));
        return;
    }
    if (!analysis::densingInputs(table, selection, &in, &why)) {
        view->addNote(QStringLiteral("Densing analysis: %1").arg(QString::fromStdString(why)));
        return;
    }
    const std::vector<fit::DensityModel>& models = in.models;
    QStringList refNames;
    for (const fit::DensityModel& m : models)
        if (m.reference)
            refNames << QString::fromStdString(m.name);
    fit::SizeCurveFitOptions curve;  // log-linear score vs ln N
    const fit::DirectDensityResult r = fit::analyseDensityDirect(models, curve);
    if (!fit::isUsable(r.status)) {
        view->addNote(
            QStringLiteral("Densing analysis: %1").arg(QString::fromStdString(r.message)));
        return;
    }
    auto year = [](double days) { return 2023.0 + (54.0 + days) / 365.25; };  // 2023-02-24
    std::vector<double> x, y;
    PointIds ids;
    for (std::size_t i = 0; i < r.models.size(); ++i) {
        if (!r.models[i].ok)
            continue;
        x.push_back(year(r.models[i].days));
        y.push_back(r.models[i].density);
        ids.runIds.push_back(in.runIds[i]);
        ids.labels.push_back(
            QStringLiteral("%1: N_eff = %2")
                .arg(QString::fromStdString(in.names[i]), humanCount(r.models[i].nEff)));
    }
    view->addScatter(QStringLiteral("models (%1)").arg(QString::fromStdString(bench)), x, y, ids);
    // Envelope points actually fitted.
    std::vector<double> ex, ey;
    std::vector<std::size_t> okIndex;
    for (std::size_t i = 0; i < r.models.size(); ++i)
        if (r.models[i].ok)
            okIndex.push_back(i);
    for (int fi : r.trend.fittedIndices) {
        if (fi >= 0 && static_cast<std::size_t>(fi) < okIndex.size()) {
            ex.push_back(year(r.models[okIndex[fi]].days));
            ey.push_back(r.models[okIndex[fi]].density);
        }
    }
    SeriesStyle env;
    env.color = QColor(0xd6, 0x27, 0x28);
    env.markerSize = 11;
    env.squareMarker = true;
    env.opacity = 0.5;
    view->addScatter(QStringLiteral("running maximum (fitted)"), ex, ey, {}, env);
    if (fit::isUsable(r.trend.status)) {
        double dLo = INFINITY, dHi = -INFINITY;
        for (const fit::DensityModelResult& m : r.models) {
            dLo = std::min(dLo, m.days);
            dHi = std::max(dHi, m.days);
        }
        std::vector<double> tx, ty;
        for (int i = 0; i <= 50; ++i) {
            const double days = dLo + (dHi - dLo) * i / 50.0;
            tx.push_back(year(days));
            ty.push_back(std::exp(r.trend.slopeA * days + r.trend.interceptB));
        }
        SeriesStyle st;
        st.color = QColor(0xd6, 0x27, 0x28);
        st.width = 2.5;
        view->addLine(QStringLiteral("ln ρ_max = A·t + B, doubling every %1 days")
                          .arg(r.trend.doublingDays, 0, 'f', 0),
                      tx, ty, st);
        view->addNote(QStringLiteral("Doubling time %1 days (95% CI %2–%3), R² = %4")
                          .arg(r.trend.doublingDays, 0, 'f', 0)
                          .arg(r.trend.doublingCiLow, 0, 'f', 0)
                          .arg(r.trend.doublingCiHigh, 0, 'f', 0)
                          .arg(r.trend.r2, 0, 'f', 2));
    } else {
        view->addNote(QStringLiteral("Trend: %1").arg(QString::fromStdString(r.trend.message)));
    }
    view->addNote(QStringLiteral("ρ relative to the reference family %1 on %2 (direct mode)")
                      .arg(refNames.join(QStringLiteral(", ")), QString::fromStdString(bench)));
    view->addNote(
        QStringLiteral("%1 models, as scalelens-cli fit --law densing --benchmark %2 "
                       "--reference '%3'%4")
            .arg(models.size())
            .arg(QString::fromStdString(bench), QString::fromStdString(selection.referencePattern))
            .arg(in.skipped > 0
                     ? QStringLiteral(" (%1 runs lack a score, N or a date)").arg(in.skipped)
                     : QString()));
}

void buildKnowledgeBits(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Knowledge capacity"));
    view->setAxis(Qt::Horizontal, QStringLiteral("Parameters P"), AxisScale::Log);
    view->setAxis(Qt::Vertical, QStringLiteral("Knowledge stored (bits)"), AxisScale::Log);
    const data::Project& project = *ctx.project;
    // Measured bits, when the project holds them as a metric.
    std::string metric;
    for (const std::string& m : project.metricNames()) {
        if (m == "knowledge_bits" || m == "bits")
            metric = m;
    }
    const auto bits = finalMap(project, metric);
    std::vector<fit::KnowledgePoint> pts;
    std::vector<double> px, py;
    PointIds ids;
    double pLo = INFINITY, pHi = 0;
    // The runs a fit would use (analysis/run_table.h): not excluded, not stopped mid-schedule.
    analysis::RunTable table;
    std::string why;
    analysis::loadRunTable(project, analysis::Selection{}, &table, &why);
    for (const data::Run& run : table.runs) {
        const double p = run.totalParams.value_or(0.0);
        if (!(p > 0))
            continue;
        pLo = std::min(pLo, p);
        pHi = std::max(pHi, p);
        const auto b = bits.find(run.id);
        if (b != bits.end()) {
            pts.push_back({p, b->second});
            px.push_back(p);
            py.push_back(b->second);
            ids.runIds.push_back(run.id);
            ids.labels.push_back(QString::fromStdString(run.name));
        }
    }
    if (!px.empty()) {
        // Measured runs set the range, not every model of the project (a model table would
        // stretch the axis over five decades past the data).
        pLo = *std::min_element(px.begin(), px.end());
        pHi = *std::max_element(px.begin(), px.end());
    }
    if (!(pLo < pHi)) {
        pLo = 1e6;
        pHi = 1e11;
    }
    const std::vector<double> ps = logSpace(pLo / 2, pHi * 2, 40);
    struct Line {
        const char* name;
        int exposures;
        fit::KnowledgePrecision precision;
        QColor color;
        Qt::PenStyle pen;
    };
    const Line lines[] = {
        {"2 bits/param (1000 exposures)", 1000, fit::KnowledgePrecision::Float,
         QColor(0xd6, 0x27, 0x28), Qt::SolidLine},
        {"1000 exposures, int4", 1000, fit::KnowledgePrecision::Int4, QColor(0x94, 0x67, 0xbd),
         Qt::DashLine},
        {"100 exposures", 100, fit::KnowledgePrecision::Float, QColor(0x1f, 0x77, 0xb4),
         Qt::DashLine},
    };
    for (const Line& l : lines) {
        std::vector<double> ys;
        double ratio = 0;
        for (double p : ps) {
            fit::KnowledgeCalcInputs in;
            in.params = p;
            in.exposures = l.exposures;
            in.precision = l.precision;
            const fit::KnowledgeEstimate e = fit::estimateKnowledgeCapacity(in);
            ys.push_back(e.ok ? e.bits : NAN);
            ratio = e.bitsPerParam;
        }
        SeriesStyle st;
        st.color = l.color;
        st.penStyle = l.pen;
        const QString name = l.exposures == 1000 && l.precision == fit::KnowledgePrecision::Float
                                 ? QString::fromUtf8(l.name)
                                 : QStringLiteral("%1 (%2 bits/param)")
                                       .arg(QString::fromUtf8(l.name))
                                       .arg(ratio, 0, 'g', 2);
        view->addLine(name, ps, ys, st);
    }
    if (pts.empty()) {
        view->addNote(QStringLiteral(
            "No measured knowledge in this project (metric 'knowledge_bits'): "
            "the lines are the published capacity laws over the project's model sizes."));
        return;
    }
    SeriesStyle st;
    st.color = QColor(0x20, 0x20, 0x20);
    view->addScatter(QStringLiteral("measured (%1)").arg(QString::fromStdString(metric)), px, py,
                     ids, st);
    const fit::KnowledgeFitResult f = fit::fitBitsPerParameter(pts, fit::KnowledgeFitOptions{});
    if (fit::isUsable(f.status)) {
        std::vector<double> ys;
        for (double p : ps)
            ys.push_back(f.bitsPerParam.value * p);
        SeriesStyle fs;
        fs.color = QColor(0x2c, 0xa0, 0x2c);
        view->addLine(QStringLiteral("fitted %1 bits/param [%2, %3]")
                          .arg(f.bitsPerParam.value, 0, 'f', 2)
                          .arg(f.bitsPerParam.ciLow(), 0, 'f', 2)
                          .arg(f.bitsPerParam.ciHigh(), 0, 'f', 2),
                      ps, ys, fs);
    } else {
        view->addNote(QStringLiteral("Fit: %1").arg(QString::fromStdString(f.message)));
    }
}

SparseSweep sparseSweep(const data::Project& project) {
    const auto loss = finalMap(project, lossMetricName(project));
    const auto avgMetric = finalMap(project, "avg_params");
    const auto sparsityMetric = finalMap(project, "final_sparsity");
    SparseSweep out;
    // Groups that contain a sparse run: their dense runs are the comparison baseline.
    std::set<std::string> sparseGroups;
    for (const data::Run& run : project.runs())
        if (!run.sparsitySchedule.empty())
            sparseGroups.insert(run.group);
    // The runs a fit would use (analysis/run_table.h): not excluded, not stopped mid-schedule.
    analysis::RunTable table;
    std::string why;
    analysis::loadRunTable(project, analysis::Selection{}, &table, &why);
    for (const data::Run& run : table.runs) {
        if (!sparseGroups.count(run.group) || !run.totalParams || !run.tokens)
            continue;
        const auto l = loss.find(run.id);
        if (l == loss.end())
            continue;
        const double n = *run.totalParams;
        double nBar = n, nFinal = n;
        if (!run.sparsitySchedule.empty()) {
            const QJsonObject s =
                QJsonDocument::fromJson(QByteArray::fromStdString(run.sparsitySchedule)).object();
            const double fs = sparsityMetric.count(run.id)
                                  ? sparsityMetric.at(run.id)
                                  : s.value(QStringLiteral("final_sparsity")).toDouble();
            nFinal = n * (1.0 - fs);
            if (avgMetric.count(run.id)) {
                nBar = avgMetric.at(run.id);
            } else {
                fit::ComputeFractionSchedule cs;
                cs.pruneStart = s.value(QStringLiteral("prune_start")).toDouble(0.25);
                cs.pruneEnd = s.value(QStringLiteral("prune_end")).toDouble(0.75);
                cs.finalSparsity = fs;
                const QString kind = s.value(QStringLiteral("kind")).toString();
                cs.shape = kind == QLatin1String("cubic")    ? fit::PruningShape::Cubic
                           : kind == QLatin1String("linear") ? fit::PruningShape::Linear
                                                             : fit::PruningShape::Geometric;
                nBar = n * fit::averageDensity(fit::scheduleFromComputeFractions(cs));
            }
        }
        if (!(nBar > 0) || !(nFinal > 0))
            continue;
        out.runs.push_back({run.name, nBar, nFinal, *run.tokens, l->second});
        out.ids.push_back(run.id);
        out.names.push_back(QString::fromStdString(run.name));
        out.sparse.push_back(nFinal < n * 0.999);
    }
    return out;
}

fit::AvgParamFitResult avgParamFit(const ViewContext& ctx, const SparseSweep& sweep) {
    const ViewFitKey key{lossMetricName(*ctx.project), {}, 0.0};
    return cachedFit<fit::AvgParamFitResult>(ctx, key, [&] {
        fit::FitOptions options;
        options.runBootstrap = false;
        return fit::fitAverageParamLaw(sweep.runs, options);
    });
}

void buildAvgParamCollapse(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Against the final parameter count N"));
    view->setAxis(Qt::Horizontal, QStringLiteral("Final non-zero parameters N"), AxisScale::Log);
    view->setAxis(Qt::Vertical, QStringLiteral("L − B/D^β (loss without the data term)"),
                  AxisScale::Log);
    const SparseSweep sweep = sparseSweep(*ctx.project);
    const std::vector<fit::AvgParamRun>& runs = sweep.runs;
    const std::vector<qint64>& ids = sweep.ids;
    const std::vector<QString>& names = sweep.names;
    const std::vector<bool>& sparse = sweep.sparse;
    if (runs.size() < 6) {
        view->addNote(
            QStringLiteral("No sparse-training sweep in this project: import dense and pruned runs "
                           "with a sparsity schedule (Jin et al. 2025)."));
        return;
    }
    const fit::AvgParamFitResult r = avgParamFit(ctx, sweep);
    for (int panel = 0; panel < 2; ++panel) {
        const bool avg = panel == 1;
        if (avg) {
            view->addPanel(QStringLiteral("Against the average parameter count N̄"));
            view->setAxis(Qt::Horizontal, QStringLiteral("Average non-zero parameters N̄"),
                          AxisScale::Log);
            view->setAxis(Qt::Vertical, QStringLiteral("L − B/D^β (loss without the data term)"),
                          AxisScale::Log);
        }
        const fit::FitResult& f = avg ? r.average : r.final;
        if (!fit::isUsable(f.status)) {
            view->addNote(QStringLiteral("No fit: %1").arg(QString::fromStdString(f.message)));
            continue;
        }
        const fit::ChinchillaParams p = f.chinchilla();
        double lo = INFINITY, hi = 0;
        for (int s = 0; s < 2; ++s) {
            std::vector<double> x, y;
            PointIds pid;
            for (std::size_t i = 0; i < runs.size(); ++i) {
                if (sparse[i] != (s == 1))
                    continue;
                const double xn = avg ? runs[i].nAverage : runs[i].nFinal;
                x.push_back(xn);
                y.push_back(runs[i].loss - p.B / std::pow(runs[i].tokens, p.beta));
                lo = std::min(lo, xn);
                hi = std::max(hi, xn);
                pid.runIds.push_back(ids[i]);
                pid.labels.push_back(names[i]);
            }
            SeriesStyle st;
            st.color = s == 0 ? QColor(0x1f, 0x77, 0xb4) : QColor(0xff, 0x7f, 0x0e);
            st.squareMarker = s == 1;
            view->addScatter(
                s == 0 ? QStringLiteral("dense runs") : QStringLiteral("sparse (pruned) runs"), x,
                y, pid, st);
        }
        std::vector<double> xs = logSpace(lo / 1.3, hi * 1.3, 50), ys;
        for (double xn : xs)
            ys.push_back(p.E + p.A / std::pow(xn, p.alpha));
        SeriesStyle line;
        line.color = QColor(0x20, 0x20, 0x20);
        view->addLine(QStringLiteral("E + A/%1^α, RMSE(log) %2")
                          .arg(avg ? QStringLiteral("N̄") : QStringLiteral("N"))
                          .arg(f.goodness.rmseLog, 0, 'g', 3),
                      xs, ys, line);
    }
    view->setCurrentPanel(0);
    if (fit::isUsable(r.status))
        view->addNote(QStringLiteral("Sparse runs collapse onto the dense curve when plotted "
                                     "against N̄ (Jin et al. 2025); "
                                     "fit objective N̄ %1 vs final N %2")
                          .arg(r.average.objective, 0, 'g', 3)
                          .arg(r.final.objective, 0, 'g', 3));
}

}  // namespace scalelens::ui::views
