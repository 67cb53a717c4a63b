// Chinchilla-form fits for the fit panel: Hoffmann et al. 2022 Approach 3 (fitChinchilla),
// Kaplan et al. 2020 (fitKaplan) and the average-parameter law of Jin et al. 2025
// (fitAverageParamLaw), each converted to a FitSummary.
#include <datasets/fit_json.h>
#include <fitting/allocation.h>
#include <fitting/avgparam_fit.h>
#include <fitting/chinchilla_fit.h>
#include <fitting/isoflop.h>
#include <QObject>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/fit_jobs.h"
#include "fit_jobs_internal.h"

namespace scalelens::analysis {

namespace {

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

fit::FitOptions engineOptions(const FitJobOptions& o) {
    fit::FitOptions f;
    f.loss = o.loss;
    f.huberDelta = o.delta;
    f.grid = fit::StartGrid::withDensity(o.grid);
    f.runBootstrap = o.bootstrap > 0;
    if (o.bootstrap > 0)
        f.bootstrapResamples = o.bootstrap;
    f.seed = o.seed;
    return f;
}

std::vector<FitSetting> optionSettings(const FitJobOptions& o, const fit::FitOptions& f) {
    return {
        {QStringLiteral("loss"), QObject::tr("Loss"), qs(fit::toString(f.loss))},
        {QStringLiteral("delta"), QObject::tr("Huber \u03b4"), QString::number(o.delta, 'g', 6)},
        {QStringLiteral("starts"), QObject::tr("Start grid"),
         QObject::tr("%1 starts").arg(f.grid.size())},
        {QStringLiteral("bootstrap"), QObject::tr("Bootstrap resamples"),
         QString::number(o.bootstrap)},
        {QStringLiteral("seed"), QObject::tr("Seed"), QString::number(o.seed)},
        {QStringLiteral("drop_highest_loss"), QObject::tr("Highest-loss points dropped"),
         QString::number(o.dropHighestLoss)},
        {QStringLiteral("backtest_cutoff"), QObject::tr("Back-test cutoff (FLOP)"),
         o.backtestCutoff > 0 ? sci(o.backtestCutoff) : QObject::tr("off")}};
}

FitParameterRow estimateRow(const fit::Estimate& e, const fit::LawInfo* law) {
    FitParameterRow row;
    row.name = QString::fromStdString(e.name);
    row.label = row.name;
    if (law) {
        for (const fit::ParamInfo& p : law->params) {
            if (p.name == e.name) {
                row.label = qs(p.symbol);
                row.unit = qs(p.unit);
                row.description = qs(p.description);
            }
        }
    }
    row.value = e.value;
    row.flags = e.flags;
    if (e.stdError) {
        row.standardError = *e.stdError;
    } else if (e.covStdError) {
        row.standardError = *e.covStdError;
        row.description += QObject::tr(" (standard error from the covariance at the optimum)");
    }
    if (e.ci95) {
        row.ciLow = e.ci95->lower;
        row.ciHigh = e.ci95->upper;
    }
    return row;
}

std::vector<FitMetricRow> goodnessRows(const fit::FitResult& r) {
    const fit::GoodnessOfFit& d = r.goodness;
    const QString logLik = QObject::tr("Gaussian log-likelihood of the log residuals");
    std::vector<FitMetricRow> rows = {
        {QStringLiteral("objective"),
         QObject::tr("Objective"),
         r.objective,
         {},
         QObject::tr("minimised %1 objective").arg(qs(fit::toString(r.loss)))},
        {QStringLiteral("rmse_log"),
         QObject::tr("RMSE (log loss)"),
         d.rmseLog,
         {},
         QStringLiteral("sqrt(mean((log L\u0302 \u2212 log L)\u00b2))")},
        {QStringLiteral("r2_log"), QObject::tr("R\u00b2 (log loss)"), d.r2Log, {}, {}},
        {QStringLiteral("rmse_linear"),
         QObject::tr("RMSE (loss)"),
         d.rmseLinear,
         QStringLiteral("nats"),
         {}},
        {QStringLiteral("r2_linear"), QObject::tr("R\u00b2 (loss)"), d.r2Linear, {}, {}},
        {QStringLiteral("aic"),
         QStringLiteral("AIC"),
         d.aic,
         {},
         QStringLiteral("2k \u2212 2 ln L\u0302, ") + logLik},
        {QStringLiteral("bic"),
         QStringLiteral("BIC"),
         d.bic,
         {},
         QStringLiteral("k ln n \u2212 2 ln L\u0302, ") + logLik},
    };
    if (r.startsTotal > 0) {
        rows.push_back({QStringLiteral("starts_converged"),
                        QObject::tr("Starts converged"),
                        double(r.startsConverged),
                        {},
                        QObject::tr("of %1 starts").arg(r.startsTotal)});
    }
    return rows;
}

std::vector<FitMetricRow> allocationRows(const fit::FitResult& r) {
    std::vector<FitMetricRow> rows;
    const fit::ChinchillaParams p = r.chinchilla();
    for (double c : {1e21, 5.76e23}) {
        fit::Allocation a;
        if (!fit::computeAllocation(p, c, &a))
            continue;
        const QString at = sci(c);
        rows.push_back({QStringLiteral("N_opt@%1").arg(at),
                        QObject::tr("N_opt at %1 FLOP").arg(at),
                        a.nOpt,
                        QStringLiteral("params"),
                        {}});
        rows.push_back({QStringLiteral("D_opt@%1").arg(at),
                        QObject::tr("D_opt at %1 FLOP").arg(at),
                        a.dOpt,
                        QStringLiteral("tokens"),
                        {}});
        rows.push_back({QStringLiteral("tokens_per_param@%1").arg(at),
                        QObject::tr("D/N at %1 FLOP").arg(at),
                        a.tokensPerParam,
                        {},
                        {}});
        rows.push_back({QStringLiteral("loss_opt@%1").arg(at),
                        QObject::tr("Loss at optimum, %1 FLOP").arg(at),
                        a.loss,
                        QStringLiteral("nats/token"),
                        {}});
    }
    return rows;
}

void fillFromResult(const fit::FitResult& r, const fit::LawInfo* law, FitSummary* s) {
    s->status = r.status;
    s->message = QString::fromStdString(r.message);
    s->objective = r.objective;
    s->seconds = r.seconds;
    s->nPoints = r.goodness.nPoints;
    s->diagnostics = r.diagnostics;
    if (!fit::isUsable(r.status) && r.status != fit::FitStatus::Cancelled)
        return;
    for (const fit::Estimate& e : r.params)
        s->parameters.push_back(estimateRow(e, law));
    for (const fit::Estimate& e : r.derived)
        s->derived.push_back(estimateRow(e, nullptr));
    s->goodness = goodnessRows(r);
    if (r.law == fit::LawId::Chinchilla)
        s->allocation = allocationRows(r);
}

// Maps [0, 1] of a sub-task onto [from, to] of the whole job.
fit::ProgressCallback subProgress(const fit::ProgressCallback& progress, double from, double to) {
    if (!progress)
        return {};
    return [progress, from, to](double f) { return progress(from + (to - from) * f); };
}

void addBacktest(const FitJob& job, const std::vector<fit::Observation>& obs,
                 const fit::FitOptions& options, const fit::ProgressCallback& progress,
                 FitSummary* s) {
    fit::FitOptions backtestOptions = options;
    backtestOptions.runBootstrap = false;  // the back-test judges the point fit
    const fit::BacktestResult b = fit::backtestChinchilla(
        obs, fit::CutoffVariable::Compute, job.options.backtestCutoff, backtestOptions, progress);
    const QString note =
        QObject::tr("fit on C < %1 FLOP, predict C \u2265 %1").arg(sci(job.options.backtestCutoff));
    if (!fit::isUsable(b.status)) {
        s->backtest.push_back({QStringLiteral("backtest_status"),
                               QObject::tr("Back-test"),
                               kMissing,
                               {},
                               QString::fromStdString(b.message)});
        return;
    }
    s->backtest = {{QStringLiteral("backtest_n_train"),
                    QObject::tr("Back-test: training runs"),
                    double(b.nTrain),
                    {},
                    note},
                   {QStringLiteral("backtest_n_test"),
                    QObject::tr("Back-test: predicted runs"),
                    double(b.nTest),
                    {},
                    note},
                   {QStringLiteral("backtest_mape"), QObject::tr("Back-test: mean |error|"),
                    100.0 * b.meanAbsRelativeError, QStringLiteral("%"),
                    QObject::tr("mean |L\u0302 \u2212 L|/L on the predicted runs")},
                   {QStringLiteral("backtest_max_error"),
                    QObject::tr("Back-test: max |error|"),
                    100.0 * b.maxAbsRelativeError,
                    QStringLiteral("%"),
                    {}},
                   {QStringLiteral("backtest_rmse_log"),
                    QObject::tr("Back-test: RMSE (log loss)"),
                    b.rmseLogTest,
                    {},
                    {}}};
}

FitParameterRow powerLawExponent(const QString& name, const QString& label,
                                 const QString& description, const fit::PowerLawFit& p) {
    FitParameterRow row;
    row.name = name;
    row.label = label;
    row.description = description;
    row.value = p.exponent.value;
    row.flags = p.exponent.flags;
    if (p.exponent.covStdError)
        row.standardError = *p.exponent.covStdError;
    if (p.exponent.ci95) {
        row.ciLow = p.exponent.ci95->lower;
        row.ciHigh = p.exponent.ci95->upper;
    }
    return row;
}

// Hoffmann et al. 2022 Approach 2: parabolas per IsoFLOP budget, then N_opt ∝ C^a, D_opt ∝ C^b.
// Budgets were grouped with the job's tolerance (grouping.h) when the inputs were built.
FitSummary runIsoFlop(const FitJob& job) {
    FitSummary s;
    const std::vector<fit::IsoFlopPoint>& points = job.isoflop.points;
    fit::IsoFlopOptions options;  // exact grouping of the already grouped budgets
    s.options = {{QStringLiteral("grouping"), QObject::tr("Budget grouping"),
                  QString::fromStdString(job.isoflop.grouping.describe())},
                 {QStringLiteral("planned_budgets"), QObject::tr("Runs with a planned budget"),
                  QString::number(job.isoflop.plannedBudgets)},
                 {QStringLiteral("min_sizes"), QObject::tr("Minimum sizes per budget"),
                  QString::number(options.minSizesPerBudget)}};
    const fit::IsoFlopResult r = fit::fitIsoFlop(points, options);
    s.status = r.status;
    s.message = QString::fromStdString(r.message);
    s.diagnostics = r.diagnostics;
    s.seconds = r.seconds;
    s.nPoints = int(points.size());
    if (!fit::isUsable(r.status))
        return s;
    s.parameters = {
        powerLawExponent(QStringLiteral("a"), QStringLiteral("a (N_opt ∝ C^a)"),
                         QObject::tr("exponent of the compute-optimal model size"), r.nOptLaw),
        powerLawExponent(QStringLiteral("b"), QStringLiteral("b (D_opt ∝ C^b)"),
                         QObject::tr("exponent of the compute-optimal token count"), r.dOptLaw)};
    s.derived = {
        {QStringLiteral("k_N"), QStringLiteral("k_N"), QStringLiteral("params"),
         QObject::tr("N_opt = k_N C^a"), r.nOptLaw.coefficient, kMissing, kMissing, kMissing},
        {QStringLiteral("k_D"), QStringLiteral("k_D"), QStringLiteral("tokens"),
         QObject::tr("D_opt = k_D C^b"), r.dOptLaw.coefficient, kMissing, kMissing, kMissing}};
    int used = 0;
    for (const fit::IsoFlopBudget& b : r.budgets)
        used += b.used ? 1 : 0;
    s.goodness = {{QStringLiteral("r2_nopt"), QObject::tr("R² of log N_opt"), r.nOptLaw.r2, {}, {}},
                  {QStringLiteral("r2_dopt"), QObject::tr("R² of log D_opt"), r.dOptLaw.r2, {}, {}},
                  {QStringLiteral("budgets_used"),
                   QObject::tr("Budgets with a parabola"),
                   double(used),
                   {},
                   QObject::tr("of %1 budgets").arg(r.budgets.size())}};
    for (double c : {1e21, 5.76e23}) {
        const QString at = sci(c);
        s.allocation.push_back({QStringLiteral("N_opt@%1").arg(at),
                                QObject::tr("N_opt at %1 FLOP").arg(at),
                                r.nOptLaw.evaluate(c),
                                QStringLiteral("params"),
                                {}});
        s.allocation.push_back({QStringLiteral("D_opt@%1").arg(at),
                                QObject::tr("D_opt at %1 FLOP").arg(at),
                                r.dOptLaw.evaluate(c),
                                QStringLiteral("tokens"),
                                {}});
    }
    return s;
}

}  // namespace

std::vector<FitLawInfo> chinchillaFamilyLaws() {
    const fit::LawInfo& chin = fit::lawInfo(fit::LawId::Chinchilla);
    const fit::LawInfo& kap = fit::lawInfo(fit::LawId::Kaplan);
    FitLawInfo chinchilla{QStringLiteral("chinchilla"),
                          QObject::tr("Chinchilla L(N, D)"),
                          qs(chin.formula),
                          qs(chin.citation),
                          QObject::tr("N (parameters), D (tokens) or C (FLOP), final loss"),
                          true,
                          true,
                          true,
                          true,
                          true};
    FitLawInfo kaplan{QStringLiteral("kaplan"),
                      QObject::tr("Kaplan L(N, D)"),
                      qs(kap.formula),
                      qs(kap.citation),
                      QObject::tr("N (non-embedding parameters), D (tokens), final loss"),
                      true,
                      true,
                      false,
                      true,
                      false};
    FitLawInfo average{QStringLiteral("average-param"),
                       QObject::tr("Average parameter count L(N\u0304, D)"),
                       QStringLiteral("L = E + A/N\u0304^\u03b1 + B/D^\u03b2"),
                       QStringLiteral("Jin et al. 2025, \"The Journey Matters\", ICLR 2025, "
                                      "arXiv 2501.12486"),
                       QObject::tr("N, D, final loss and, for pruned runs, the pruning schedule"),
                       true,
                       true,
                       true,
                       true,
                       false};
    FitLawInfo isoflop{QStringLiteral("isoflop"),
                       QObject::tr("IsoFLOP profiles (Approach 2)"),
                       QStringLiteral("N_opt = k_N·C^a,  D_opt = k_D·C^b"),
                       QStringLiteral("Hoffmann et al. 2022, \u00a73.2 (Approach 2)"),
                       QObject::tr("N, C (or D), final loss; at least 3 sizes per budget"),
                       false,
                       false,
                       false,
                       false,
                       false};
    return {chinchilla, kaplan, isoflop, average};
}

FitSummary runChinchillaFamily(const FitJob& job, const fit::ProgressCallback& progress) {
    if (job.lawId == QStringLiteral("isoflop"))
        return runIsoFlop(job);
    FitSummary s;
    const bool average = job.lawId == QStringLiteral("average-param");
    const bool kaplan = job.lawId == QStringLiteral("kaplan");
    const fit::FitOptions options = engineOptions(job.options);
    s.options = optionSettings(job.options, options);
    if (kaplan) {
        // Kaplan's fit uses its own small start grid and no back-test (chinchilla_fit.h).
        std::erase_if(s.options, [](const FitSetting& o) {
            return o.name == QStringLiteral("starts") ||
                   o.name == QStringLiteral("backtest_cutoff");
        });
    } else if (average) {
        std::erase_if(s.options, [](const FitSetting& o) {
            return o.name == QStringLiteral("backtest_cutoff");
        });
    }
    const bool backtest = job.options.backtestCutoff > 0 && !kaplan && !average;
    const fit::ProgressCallback main = subProgress(progress, 0.0, backtest ? 0.7 : 1.0);

    if (average) {
        const fit::AvgParamFitResult r = fit::fitAverageParamLaw(job.avgParam.runs, options, main);
        fillFromResult(r.average, &fit::lawInfo(fit::LawId::Chinchilla), &s);
        if (fit::isUsable(r.average.status))
            s.engineJson = data::fitResultToJson(r.average);
        s.status = r.status;
        s.message = QString::fromStdString(r.message);
        if (fit::isUsable(r.final.status)) {
            s.goodness.push_back(
                {QStringLiteral("final_n_objective"),
                 QObject::tr("Objective with final N instead of N\u0304"),
                 r.final.objective,
                 {},
                 QObject::tr("same law fitted with each run's final parameter "
                             "count; larger means N\u0304 explains the data better")});
            s.goodness.push_back({QStringLiteral("final_n_rmse_log"),
                                  QObject::tr("RMSE (log loss) with final N"),
                                  r.final.goodness.rmseLog,
                                  {},
                                  {}});
        }
        s.data.push_back({QStringLiteral("sparse_runs"), QObject::tr("Pruned runs"),
                          QString::number(r.sparseRuns)});
        return s;
    }
    const std::vector<fit::Observation>& obs = job.ndl.obs;
    const fit::FitResult r =
        kaplan ? fit::fitKaplan(obs, options, main) : fit::fitChinchilla(obs, options, main);
    fillFromResult(r, &fit::lawInfo(kaplan ? fit::LawId::Kaplan : fit::LawId::Chinchilla), &s);
    if (fit::isUsable(r.status))
        s.engineJson = data::fitResultToJson(r);  // read by the plots and `scalelens-cli`
    if (backtest && fit::isUsable(r.status))
        addBacktest(job, obs, options, subProgress(progress, 0.7, 1.0), &s);
    return s;
}

void fillSummary(const fit::FitResult& r, FitSummary* s) {
    fillFromResult(r, &fit::lawInfo(r.law), s);
}

bool summaryFromEngineJson(const QString& law, const QJsonObject& json, FitSummary* summary) {
    if (law != QStringLiteral("chinchilla") && law != QStringLiteral("kaplan"))
        return false;
    fit::FitResult r;
    if (!data::fitResultFromJson(json, &r))
        return false;
    FitSummary s;
    fillFromResult(r, &fit::lawInfo(r.law), &s);
    for (const FitLawInfo& info : chinchillaFamilyLaws()) {
        if (info.id == law) {
            s.lawId = info.id;
            s.lawTitle = info.title;
            s.formula = info.formula;
            s.citation = info.citation;
        }
    }
    s.engineJson = json;
    *summary = std::move(s);
    return true;
}

}  // namespace scalelens::analysis
