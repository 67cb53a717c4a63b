// Views over the Chinchilla law (Hoffmann et al. 2022): loss vs compute with the frontier,
// IsoFLOP profiles (Approach 2), loss vs N and D, iso-loss contours (Figure 4 style) and
// residuals with a back-test.
#include <algorithm>
#include <cmath>
#include <map>

#include <analysis/grouping.h>
#include <fitting/allocation.h>
#include <fitting/isoflop.h>

#include "view_common.h"
#include "widgets/plot/contour_lines.h"
#include "widgets/plot/plot_axis_ticks.h"

namespace scalelens::ui::views {

namespace {

const QString kNTitle = QStringLiteral("Parameters N");
const QString kDTitle = QStringLiteral("Training tokens D");
const QString kCTitle = QStringLiteral("Training compute C (FLOPs)");
const QString kLTitle = QStringLiteral("Final loss L (nats/token)");

bool requireRuns(const ScalingData& data, PlotView* view) {
    if (data.otherGroups > 0 && !data.runs.empty())
        view->addNote(QStringLiteral("Runs of group '%1', the project's scaling sweep (%2 other "
                                     "group(s) not drawn); scalelens-cli fit --law chinchilla "
                                     "fits the same runs by default")
                          .arg(data.group)
                          .arg(data.otherGroups));
    if (data.pruned > 0)
        view->addNote(QStringLiteral("%1 run(s) pruned during training (sparsity schedule) are "
                                     "left out, as the fits leave them out (see the "
                                     "average-parameter view)")
                          .arg(data.pruned));
    if (data.stoppedSkipped > 0)
        view->addNote(QStringLiteral("\u26a0 %1 run(s) of this sweep stopped mid-schedule "
                                     "(tag stopped-mid-schedule) are left out of the plot and "
                                     "the fit")
                          .arg(data.stoppedSkipped));
    if (!data.forecasts.empty())
        view->addNote(QStringLiteral("○ %1 final loss(es) of this sweep are stored curve "
                                     "forecasts, drawn hollow; the plot's fit leaves them out "
                                     "(fit with Include forecasts to use them)")
                          .arg(data.forecasts.size()));
    if (!data.runs.empty())
        return true;
    view->addNote(QStringLiteral("No scaling sweep in this project: import runs with parameters, "
                                 "tokens or FLOPs and a final value of the loss metric '%1'.")
                      .arg(data.lossMetric));
    return false;
}

void fitNote(const ChinchillaFitInfo& fit, PlotView* view) {
    if (fit.ok) {
        const fit::ChinchillaParams p = fit.result.chinchilla();
        view->addNote(QStringLiteral("Fit: %1").arg(fit.source));
        view->addNote(QStringLiteral("L = %1 + %2/N^%3 + %4/D^%5")
                          .arg(p.E, 0, 'f', 3)
                          .arg(p.A, 0, 'g', 4)
                          .arg(p.alpha, 0, 'f', 3)
                          .arg(p.B, 0, 'g', 4)
                          .arg(p.beta, 0, 'f', 3));
        if (const QString note = fitDiagnosticsNote(fit.result); !note.isEmpty())
            view->addNote(note);
    } else {
        view->addNote(QStringLiteral("No fit available: %1").arg(fit.problem));
    }
}

// Percentile band of f over the bootstrap samples at each x (natural Chinchilla params).
bool bootstrapBand(const fit::FitResult& r, const std::vector<double>& xs,
                   double (*f)(const fit::ChinchillaParams&, double x, double aux), double aux,
                   std::vector<double>* lo, std::vector<double>* hi) {
    if (r.bootstrapSamples.size() < 20)
        return false;
    // Map sample columns by parameter name (params order is E, A, B, alpha, beta).
    std::vector<fit::ChinchillaParams> samples;
    for (const auto& s : r.bootstrapSamples) {
        if (s.size() < 5)
            continue;
        fit::ChinchillaParams p;
        for (std::size_t k = 0; k < r.params.size() && k < s.size(); ++k) {
            const std::string& n = r.params[k].name;
            (n == "E"       ? p.E
             : n == "A"     ? p.A
             : n == "B"     ? p.B
             : n == "alpha" ? p.alpha
                            : p.beta) = s[k];
        }
        samples.push_back(p);
    }
    if (samples.size() < 20)
        return false;
    std::vector<double> v(samples.size());
    for (double x : xs) {
        for (std::size_t k = 0; k < samples.size(); ++k)
            v[k] = f(samples[k], x, aux);
        std::sort(v.begin(), v.end());
        lo->push_back(v[static_cast<std::size_t>(0.025 * (v.size() - 1))]);
        hi->push_back(v[static_cast<std::size_t>(0.975 * (v.size() - 1))]);
    }
    return true;
}

double lossAtNForBudget(const fit::ChinchillaParams& p, double N, double C) {
    return p.loss(N, C / (6.0 * N));
}
double lossAtDForBudget(const fit::ChinchillaParams& p, double D, double C) {
    return p.loss(C / (6.0 * D), D);
}

}  // namespace

// The data step of loss-vs-compute: the training curves it draws behind the final points.
void readLossVsComputeCurves(const ViewContext& ctx) {
    const ScalingData data = scalingRuns(*ctx.project);
    const std::string metric = data.lossMetric.toStdString();
    for (const ScalingRun& r : data.runs)
        readCurve(ctx, r.id, metric, CurveAxis::Flops, CurveDetail::Overview, true);
}

void buildLossVsCompute(const ViewContext& ctx, PlotView* view) {
    // One series per run: styled and drawn once at the end, not on every add.
    PlotView::BatchGuard batch(view);
    view->setPanelTitle(QStringLiteral("Loss vs compute"));
    view->setAxis(Qt::Horizontal, kCTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, kLTitle, AxisScale::Log);
    const ScalingData data = scalingRuns(*ctx.project);
    if (!requireRuns(data, view))
        return;
    double nLo = INFINITY, nHi = 0, cLo = INFINITY, cHi = 0;
    for (const ScalingRun& r : data.runs) {
        nLo = std::min(nLo, r.N);
        nHi = std::max(nHi, r.N);
        cLo = std::min(cLo, r.C);
        cHi = std::max(cHi, r.C);
    }
    // More runs than the categorical palette tells apart (ten colours): colour by N through the
    // panel's colour scale and its bar (legible in either theme), final points in fine N bins.
    // Fewer: a few N bins in the legend.
    constexpr std::size_t kPaletteSize = 10;
    const bool byScale = data.runs.size() > kPaletteSize;
    if (byScale)
        view->setColorScale({QStringLiteral("N (parameters)"), true, 0});
    // Bins of log N: fine under a colour scale (its colours look continuous), few in a legend.
    const int bins = byScale
                         ? std::clamp(static_cast<int>(std::ceil(std::log10(nHi / nLo) * 8)), 1, 32)
                         : std::clamp(static_cast<int>(std::ceil(std::log10(nHi / nLo) * 2)), 1, 6);
    auto binOf = [&](double n) {
        if (!(nHi > nLo))
            return 0;
        return std::clamp(static_cast<int>(std::log10(n / nLo) / std::log10(nHi / nLo) * bins), 0,
                          bins - 1);
    };
    auto binValue = [&](int b) {  // geometric centre of bin b (the colour of its points)
        return nHi > nLo ? nLo * std::pow(nHi / nLo, (b + 0.5) / bins) : nLo;
    };
    // Training curves, coloured by model size (faint, behind the final points).
    const std::string metric = data.lossMetric.toStdString();
    int curves = 0;
    for (const ScalingRun& r : data.runs) {
        const auto read =
            readCurve(ctx, r.id, metric, CurveAxis::Flops, CurveDetail::Overview, true);
        const data::MetricSeries& s = read->series;
        std::vector<double> x, y;
        for (std::size_t i = 0; i < s.size(); ++i) {
            double c = s.flops[i];
            if (!std::isfinite(c) && std::isfinite(s.tokens[i]))
                c = 6.0 * r.N * s.tokens[i];
            // Step 0 (no tokens yet) and NaN or inf losses have no place on the log axes.
            if (std::isfinite(c) && c > 0 && std::isfinite(s.value[i]) && s.value[i] > 0) {
                x.push_back(c);
                y.push_back(s.value[i]);
            }
        }
        if (x.size() < 2)
            continue;
        SeriesStyle st;
        st.width = 1.2;
        st.opacity = 0.45;
        if (byScale) {
            st.colorValue = r.N;
            st.inLegend = false;
        } else {
            st.color = sequentialColor(logPosition(r.N, nLo, nHi));
            st.inLegend = curves == 0;
        }
        PointIds ids;
        ids.runIds = {r.id};
        ids.labels = {r.name};
        view->addLine(curves == 0 ? QStringLiteral("training curves") : r.name, std::move(x),
                      std::move(y), st, ids);
        ++curves;
    }
    // Final points in size bins, so the legend (or the colour bar) reads as a colour scale.
    for (int b = 0; b < bins; ++b) {
        const double lo = nLo * std::pow(nHi / nLo, static_cast<double>(b) / bins);
        const double hi = nLo * std::pow(nHi / nLo, static_cast<double>(b + 1) / bins);
        std::vector<ScalingRun> in;
        for (const ScalingRun& r : data.runs) {
            if (binOf(r.N) == b)
                in.push_back(r);
        }
        if (in.empty())
            continue;
        SeriesStyle st;
        if (byScale)
            st.colorValue = binValue(b);
        else
            st.color = sequentialColor((b + 0.5) / bins);
        st.markerSize = 8;
        addRunScatter(
            view, QStringLiteral("N %1–%2").arg(humanCount(lo), humanCount(hi)), in,
            [](const ScalingRun& r) { return r.C; }, [](const ScalingRun& r) { return r.L; }, st);
    }
    addForecastScatter(
        view, data, [](const ScalingRun& r) { return r.C; },
        [](const ScalingRun& r) { return r.L; });
    const ChinchillaFitInfo fit = chinchillaFit(ctx, data);
    fitNote(fit, view);
    if (fit.ok) {
        const fit::ChinchillaParams p = fit.result.chinchilla();
        std::vector<double> cs = logSpace(cLo / 2, cHi * 4, 120), ls;
        for (double c : cs)
            ls.push_back(fit::computeAllocation(p, c).loss);
        SeriesStyle st;
        st.color = QColor(0xd6, 0x27, 0x28);
        st.width = 2.5;
        view->addLine(QStringLiteral("compute-optimal frontier L(N_opt, D_opt)"), cs, ls, st);
    }
    // Open on the final losses: early-training losses of 10 would squash them into a strip.
    // Double-click still resets to every point.
    double lLo = INFINITY, lHi = 0;
    for (const ScalingRun& r : data.runs) {
        lLo = std::min(lLo, r.L);
        lHi = std::max(lHi, r.L);
    }
    PlotRange focus = view->dataRange(0);
    focus.yMin = lLo * 0.93;
    focus.yMax = lHi * 1.5;
    view->setRange(0, focus);
}

void buildIsoFlop(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("IsoFLOP profiles"));
    view->setAxis(Qt::Horizontal, kNTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, kLTitle, AxisScale::Linear);
    const ScalingData data = scalingRuns(*ctx.project);
    if (!requireRuns(data, view))
        return;
    std::vector<fit::IsoFlopPoint> pts;
    for (const ScalingRun& r : data.runs)
        pts.push_back({r.N, r.D, r.budget, r.L});  // budgets grouped with a tolerance
    const fit::IsoFlopResult iso = fit::fitIsoFlop(pts, fit::IsoFlopOptions{});
    const std::vector<double> cs = budgets(data);
    const double cLo = cs.empty() ? 1 : cs.front(), cHi = cs.empty() ? 10 : cs.back();

    for (std::size_t k = 0; k < iso.budgets.size(); ++k) {
        const fit::IsoFlopBudget& b = iso.budgets[k];
        const QColor color = sequentialColor(logPosition(b.compute, cLo, cHi));
        std::vector<ScalingRun> in;
        double nMin = INFINITY, nMax = 0;
        for (const ScalingRun& r : data.runs) {
            if (std::abs(std::log(r.budget / b.compute)) < 1e-9) {
                in.push_back(r);
                nMin = std::min(nMin, r.N);
                nMax = std::max(nMax, r.N);
            }
        }
        SeriesStyle st;
        st.color = color;
        addRunScatter(
            view, QStringLiteral("C = %1").arg(tickLabel(b.compute, 0)), in,
            [](const ScalingRun& r) { return r.N; }, [](const ScalingRun& r) { return r.L; }, st);
        if (k == 0)
            addForecastScatter(
                view, data, [](const ScalingRun& r) { return r.N; },
                [](const ScalingRun& r) { return r.L; });
        if (!b.used || in.empty())
            continue;
        // L = L_opt + c (ln N - ln N_opt)^2: the parabola Approach 2 fits per budget.
        std::vector<double> ns = logSpace(nMin / 1.3, nMax * 1.3, 60), ls;
        for (double n : ns)
            ls.push_back(b.lossAtOpt + b.curvature * std::pow(std::log(n / b.nOpt), 2));
        SeriesStyle line;
        line.color = color;
        line.width = 1.6;
        line.inLegend = false;
        view->addLine(QStringLiteral("parabola C = %1").arg(tickLabel(b.compute, 0)), ns, ls, line);
    }
    std::vector<double> optN, optL;
    for (const fit::IsoFlopBudget& b : iso.budgets) {
        if (b.used) {
            optN.push_back(b.nOpt);
            optL.push_back(b.lossAtOpt);
        }
    }
    SeriesStyle star;
    star.color = QColor(0xd6, 0x27, 0x28);
    star.markerSize = 10;
    star.squareMarker = true;
    view->addScatter(QStringLiteral("parabola minima N_opt(C)"), optN, optL, {}, star);
    if (!fit::isUsable(iso.status))
        view->addNote(
            QStringLiteral("IsoFLOP analysis: %1").arg(QString::fromStdString(iso.message)));
    else if (const QString note = fitDiagnosticsNote(iso, QStringLiteral("IsoFLOP"));
             !note.isEmpty())
        view->addNote(note);

    // Second panel: N_opt(C) and D_opt(C) with the 95% CI of the fitted exponents.
    view->addPanel(QStringLiteral("Compute-optimal N and D"));
    view->setAxis(Qt::Horizontal, kCTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, QStringLiteral("N_opt (parameters), D_opt (tokens)"),
                  AxisScale::Log);
    if (!fit::isUsable(iso.status)) {
        view->addNote(QStringLiteral("No power laws: %1").arg(QString::fromStdString(iso.message)));
        return;
    }
    std::vector<double> bc, bn, bd;
    for (const fit::IsoFlopBudget& b : iso.budgets) {
        if (b.used) {
            bc.push_back(b.compute);
            bn.push_back(b.nOpt);
            bd.push_back(b.dOpt);
        }
    }
    const std::vector<double> grid = logSpace(cLo / 3, cHi * 30, 80);
    // Geometric centre of the budgets: the band pivots there (the slope's CI at fixed centre).
    double logCentre = 0;
    for (double c : bc)
        logCentre += std::log(c);
    const double centre = bc.empty() ? 1 : std::exp(logCentre / bc.size());
    auto drawLaw = [&](const QString& name, const fit::PowerLawFit& law,
                       const std::vector<double>& pts, QColor color) {
        std::vector<double> y, lo, hi;
        const double yc = law.evaluate(centre);
        for (double c : grid) {
            y.push_back(law.evaluate(c));
            const double a = yc * std::pow(c / centre, law.exponent.ci95 ? law.exponent.ci95->lower
                                                                         : law.exponent.value);
            const double b = yc * std::pow(c / centre, law.exponent.ci95 ? law.exponent.ci95->upper
                                                                         : law.exponent.value);
            lo.push_back(std::min(a, b));
            hi.push_back(std::max(a, b));
        }
        SeriesStyle band;
        band.color = color;
        band.inLegend = false;
        view->addBand(name + QStringLiteral(" 95% CI"), grid, lo, hi, band);
        SeriesStyle line;
        line.color = color;
        view->addLine(
            QStringLiteral("%1 ∝ C^%2 [%3, %4]")
                .arg(name)
                .arg(law.exponent.value, 0, 'f', 3)
                .arg(law.exponent.ci95 ? law.exponent.ci95->lower : law.exponent.value, 0, 'f', 3)
                .arg(law.exponent.ci95 ? law.exponent.ci95->upper : law.exponent.value, 0, 'f', 3),
            grid, y, line);
        SeriesStyle dots;
        dots.color = color;
        dots.inLegend = false;
        view->addScatter(name + QStringLiteral(" per budget"), bc, pts, {}, dots);
    };
    drawLaw(QStringLiteral("N_opt"), iso.nOptLaw, bn, QColor(0x1f, 0x77, 0xb4));
    drawLaw(QStringLiteral("D_opt"), iso.dOptLaw, bd, QColor(0xff, 0x7f, 0x0e));
    view->addNote(QStringLiteral("Approach 2 on %1; %2 budgets (grouped %3)")
                      .arg(data.description)
                      .arg(bc.size())
                      .arg(QString::fromStdString(analysis::Grouping{}.describe())));
}

void buildLossVsND(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Loss vs parameters"));
    view->setAxis(Qt::Horizontal, kNTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, kLTitle, AxisScale::Linear);
    const ScalingData data = scalingRuns(*ctx.project);
    if (!requireRuns(data, view))
        return;
    const ChinchillaFitInfo fit = chinchillaFit(ctx, data);
    const std::vector<double> cs = budgets(data);
    const double cLo = cs.front(), cHi = cs.back();
    bool anyBand = false;
    for (int panel = 0; panel < 2; ++panel) {
        if (panel == 1) {
            view->addPanel(QStringLiteral("Loss vs tokens"));
            view->setAxis(Qt::Horizontal, kDTitle, AxisScale::Log);
            view->setAxis(Qt::Vertical, kLTitle, AxisScale::Linear);
        }
        addForecastScatter(
            view, data,
            panel == 0 ? +[](const ScalingRun& r) { return r.N; }
                       : +[](const ScalingRun& r) { return r.D; },
            [](const ScalingRun& r) { return r.L; });
        for (double c : cs) {
            const QColor color = sequentialColor(logPosition(c, cLo, cHi));
            std::vector<ScalingRun> in;
            double lo = INFINITY, hi = 0;
            for (const ScalingRun& r : data.runs) {
                if (std::abs(std::log(r.C / c)) < 0.05 || cs.size() == 1) {
                    in.push_back(r);
                    const double v = panel == 0 ? r.N : r.D;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
            }
            const QString label = QStringLiteral("C = %1").arg(tickLabel(c, 0));
            SeriesStyle st;
            st.color = color;
            if (!in.empty())
                addRunScatter(
                    view, label, in,
                    panel == 0 ? +[](const ScalingRun& r) { return r.N; }
                               : +[](const ScalingRun& r) { return r.D; },
                    [](const ScalingRun& r) { return r.L; }, st);
            if (!fit.ok)
                continue;
            if (in.empty()) {
                lo = panel == 0 ? 1e7 : 1e9;
                hi = lo * 1e3;
            }
            const fit::ChinchillaParams p = fit.result.chinchilla();
            const std::vector<double> xs = logSpace(lo / 1.5, hi * 1.5, 60);
            std::vector<double> ys, blo, bhi;
            for (double x : xs)
                ys.push_back(panel == 0 ? lossAtNForBudget(p, x, c) : lossAtDForBudget(p, x, c));
            if (bootstrapBand(fit.result, xs, panel == 0 ? lossAtNForBudget : lossAtDForBudget, c,
                              &blo, &bhi)) {
                SeriesStyle band;
                band.color = color;
                band.inLegend = false;
                view->addBand(label + QStringLiteral(" 95% band"), xs, blo, bhi, band);
                anyBand = true;
            }
            SeriesStyle line;
            line.color = color;
            line.inLegend = false;
            view->addLine(label + QStringLiteral(" fit"), xs, ys, line);
        }
        if (panel == 0) {
            fitNote(fit, view);
        }
    }
    view->setCurrentPanel(0);
    if (fit.ok && !anyBand)
        view->addNote(
            QStringLiteral("No 95% bands: this fit has no bootstrap samples (fit with bootstrap in "
                           "the fit panel)."));
}

void buildIsoLossContours(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Iso-loss contours of the fitted L(N, D)"));
    view->setAxis(Qt::Horizontal, kNTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, kDTitle, AxisScale::Log);
    const ScalingData data = scalingRuns(*ctx.project);
    if (!requireRuns(data, view))
        return;
    const ChinchillaFitInfo fit = chinchillaFit(ctx, data);
    double nLo = INFINITY, nHi = 0, dLo = INFINITY, dHi = 0;
    for (const ScalingRun& r : data.runs) {
        nLo = std::min(nLo, r.N);
        nHi = std::max(nHi, r.N);
        dLo = std::min(dLo, r.D);
        dHi = std::max(dHi, r.D);
    }
    nLo /= 3;
    nHi *= 10;
    dLo /= 3;
    dHi *= 10;
    if (fit.ok) {
        const fit::ChinchillaParams p = fit.result.chinchilla();
        // Sample L on a grid in (log10 N, log10 D): contours are straight-ish there.
        ContourGrid g;
        const int n = 90;
        for (int i = 0; i < n; ++i) {
            g.x.push_back(std::log10(nLo) + (std::log10(nHi) - std::log10(nLo)) * i / (n - 1));
            g.y.push_back(std::log10(dLo) + (std::log10(dHi) - std::log10(dLo)) * i / (n - 1));
        }
        for (double ly : g.y)
            for (double lx : g.x)
                g.values.push_back(p.loss(std::pow(10.0, lx), std::pow(10.0, ly)));
        const std::vector<double> levels = contourLevels(g, 9, true);
        for (std::size_t k = 0; k < levels.size(); ++k) {
            const QColor color = sequentialColor(
                1.0 - static_cast<double>(k) / std::max<std::size_t>(1, levels.size() - 1));
            bool first = true;
            for (const ContourPolyline& line : contourLines(g, levels[k])) {
                std::vector<double> xs, ys;
                for (std::size_t i = 0; i < line.x.size(); ++i) {
                    xs.push_back(std::pow(10.0, line.x[i]));
                    ys.push_back(std::pow(10.0, line.y[i]));
                }
                SeriesStyle st;
                st.color = color;
                st.width = 1.5;
                st.inLegend = k == 0 && first;
                view->addLine(k == 0 && first ? QStringLiteral("iso-loss contours")
                                              : QStringLiteral("L = %1").arg(levels[k], 0, 'f', 3),
                              xs, ys, st);
                if (first && line.x.size() > 2) {
                    const std::size_t mid = line.x.size() / 3;
                    view->addText(xs[mid], ys[mid], QString::number(levels[k], 'f', 2),
                                  color.darker(120));
                }
                first = false;
            }
        }
        // IsoFLOP lines D = C/(6N) (dashed) and the efficient frontier (N_opt(C), D_opt(C)).
        for (double c : budgets(data)) {
            std::vector<double> ns = logSpace(nLo, nHi, 2), ds;
            for (double nn : ns)
                ds.push_back(c / (6 * nn));
            SeriesStyle st;
            st.color = QColor(0x7f, 0x7f, 0x7f);
            st.width = 1.0;
            st.penStyle = Qt::DashLine;
            st.inLegend = c == budgets(data).front();
            view->addLine(QStringLiteral("IsoFLOP lines C = 6ND"), ns, ds, st);
        }
        std::vector<double> fn, fd;
        for (double c : logSpace(6 * nLo * dLo, 6 * nHi * dHi, 200)) {
            const fit::Allocation a = fit::computeAllocation(p, c);
            fn.push_back(a.nOpt);
            fd.push_back(a.dOpt);
        }
        SeriesStyle front;
        front.color = QColor(0xd6, 0x27, 0x28);
        front.width = 2.5;
        view->addLine(QStringLiteral("efficient frontier (N_opt, D_opt)"), fn, fd, front);
        fitNote(fit, view);
    } else {
        fitNote(fit, view);
    }
    SeriesStyle pts;
    pts.color = QColor(0x20, 0x20, 0x20);
    pts.markerSize = 6;
    addRunScatter(
        view, QStringLiteral("runs"), data.runs, [](const ScalingRun& r) { return r.N; },
        [](const ScalingRun& r) { return r.D; }, pts);
    view->setRange(0, PlotRange{nLo, nHi, dLo, dHi});
}

void buildResiduals(const ViewContext& ctx, PlotView* view) {
    view->setPanelTitle(QStringLiteral("Residuals of the fit"));
    view->setAxis(Qt::Horizontal, kCTitle, AxisScale::Log);
    view->setAxis(Qt::Vertical, QStringLiteral("log L̂ − log L"), AxisScale::Linear);
    const ScalingData data = scalingRuns(*ctx.project);
    if (!requireRuns(data, view))
        return;
    const ChinchillaFitInfo fit = chinchillaFit(ctx, data);
    fitNote(fit, view);
    if (!fit.ok)
        return;
    const fit::ChinchillaParams p = fit.result.chinchilla();
    std::vector<double> cs, rs;
    PointIds ids;
    double cLo = INFINITY, cHi = 0, sq = 0;
    for (const ScalingRun& r : data.runs) {
        cs.push_back(r.C);
        rs.push_back(std::log(p.loss(r.N, r.D)) - std::log(r.L));
        sq += rs.back() * rs.back();
        ids.runIds.push_back(r.id);
        ids.labels.push_back(r.name);
        cLo = std::min(cLo, r.C);
        cHi = std::max(cHi, r.C);
    }
    SeriesStyle zero;
    zero.color = QColor(0x7f, 0x7f, 0x7f);
    zero.penStyle = Qt::DashLine;
    zero.width = 1;
    zero.inLegend = false;
    view->addLine(QStringLiteral("zero"), {cLo / 1.5, cHi * 1.5}, {0.0, 0.0}, zero);
    view->addScatter(QStringLiteral("runs"), cs, rs, ids);
    view->addNote(QStringLiteral("RMSE (log) = %1 over %2 runs")
                      .arg(std::sqrt(sq / data.runs.size()), 0, 'g', 3)
                      .arg(data.runs.size()));

    // Back-test: fit on the runs below the largest budgets, predict those.
    view->addPanel(QStringLiteral("Back-test: predicted vs actual"));
    view->setAxis(Qt::Horizontal, QStringLiteral("Actual final loss L"), AxisScale::Linear);
    view->setAxis(Qt::Vertical, QStringLiteral("Predicted loss L̂"), AxisScale::Linear);
    const std::vector<double> bs = budgets(data);
    if (bs.size() < 3) {
        view->addNote(QStringLiteral("No back-test: it needs at least three compute budgets."));
        return;
    }
    const double cutoff = backtestCutoff(bs);  // hold out the top two
    const fit::BacktestResult bt = residualBacktest(ctx, data, cutoff);
    if (!fit::isUsable(bt.status)) {
        view->addNote(QStringLiteral("No back-test: %1").arg(QString::fromStdString(bt.message)));
        return;
    }
    const fit::ChinchillaParams tp = bt.trainFit.chinchilla();
    std::vector<ScalingRun> train, test;
    for (const ScalingRun& r : data.runs)
        (6.0 * r.N * r.D < cutoff ? train : test).push_back(r);
    double lo = INFINITY, hi = 0;
    auto add = [&](const QString& name, const std::vector<ScalingRun>& runs, QColor color) {
        std::vector<double> x, y;
        PointIds pid;
        for (const ScalingRun& r : runs) {
            x.push_back(r.L);
            y.push_back(tp.loss(r.N, r.D));
            lo = std::min({lo, x.back(), y.back()});
            hi = std::max({hi, x.back(), y.back()});
            pid.runIds.push_back(r.id);
            pid.labels.push_back(r.name);
        }
        SeriesStyle st;
        st.color = color;
        view->addScatter(name, x, y, pid, st);
    };
    add(QStringLiteral("fitted runs (C < %1)").arg(tickLabel(cutoff, 0)), train,
        QColor(0x7f, 0x7f, 0x7f));
    add(QStringLiteral("held-out runs (predicted)"), test, QColor(0xd6, 0x27, 0x28));
    SeriesStyle diag;
    diag.color = QColor(0x20, 0x20, 0x20);
    diag.penStyle = Qt::DashLine;
    diag.width = 1;
    view->addLine(QStringLiteral("L̂ = L"), {lo * 0.98, hi * 1.02}, {lo * 0.98, hi * 1.02}, diag);
    view->addNote(QStringLiteral("Held-out error: mean |ΔL/L| = %1%, max %2% (%3 runs)")
                      .arg(100 * bt.meanAbsRelativeError, 0, 'f', 2)
                      .arg(100 * bt.maxAbsRelativeError, 0, 'f', 2)
                      .arg(bt.nTest));
}

}  // namespace scalelens::ui::views
