#include "analysis/fit_jobs.h"

#include <datasets/project.h>
#include <fitting/avgparam.h>
#include <fitting/hparams_fit.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "analysis/digest.h"
#include "analysis/number_text.h"
#include "analysis/selection_diagnostics.h"
#include "fit_jobs_internal.h"

namespace scalelens::analysis {

namespace {

// ---- lr-bs: Li et al. 2025 (Step Law) procedure, fitting/hparams_fit.h ----------------------

FitParameterRow coefficientRow(const QString& name, const QString& label,
                               const QString& description, const fit::Estimate& c,
                               bool bootstrapped) {
    FitParameterRow row;
    row.name = name;
    row.label = label;
    row.description = description;
    row.value = c.value;
    row.flags = c.flags;
    if (bootstrapped) {
        row.standardError = c.sd();
        row.ciLow = c.ciLow();
        row.ciHigh = c.ciHigh();
    }
    return row;
}

FitSummary runLrBs(const FitJob& job, const fit::ProgressCallback& progress) {
    FitSummary s;
    const std::vector<fit::LrBsRun>& runs = job.lrBs.runs;
    s.data.push_back({QStringLiteral("lr_bs_groups"), QObject::tr("(N, D) groups"),
                      QString::number(job.lrBs.nGroups)});
    fit::LrBsFitOptions options;
    options.bootstrapSamples = job.options.bootstrap;
    options.seed = job.options.seed;
    s.options.push_back(
        {QStringLiteral("near_optimal_tolerance"), QObject::tr("Near-optimal filter"),
         QStringLiteral("%1 of the group's best loss")
             .arg(QString::number(options.nearOptimalTolerance * 100, 'g', 3) + QLatin1Char('%'))});
    s.options.push_back({QStringLiteral("grouping"), QObject::tr("(N, D) grouping"),
                         QString::fromStdString(job.lrBs.grouping.describe())});
    s.options.push_back({QStringLiteral("bootstrap"), QObject::tr("Bootstrap resamples"),
                         QString::number(options.bootstrapSamples)});
    s.options.push_back(
        {QStringLiteral("seed"), QObject::tr("Seed"), QString::number(options.seed)});
    const fit::LrBsFitResult r = fit::fitLrBsSweep(runs, options, progress);
    s.status = r.status;
    s.message = QString::fromStdString(r.message);
    s.diagnostics = r.diagnostics;
    s.nPoints = r.runsUsed;
    if (!fit::isUsable(r.status))
        return s;
    const bool boot = r.bootstrapSamples > 0;
    s.parameters = {
        coefficientRow(QStringLiteral("lr_intercept"), QStringLiteral("ln C\u03b7"),
                       QObject::tr("natural log of the LR constant"), r.lr.intercept, boot),
        coefficientRow(QStringLiteral("lr_coefN"), QStringLiteral("\u03b7: exponent of N"),
                       QObject::tr("LR exponent of non-embedding parameters"), r.lr.coefN, boot),
        coefficientRow(QStringLiteral("lr_coefD"), QStringLiteral("\u03b7: exponent of D"),
                       QObject::tr("LR exponent of training tokens"), r.lr.coefD, boot),
        coefficientRow(QStringLiteral("bs_intercept"), QStringLiteral("ln C_B"),
                       QObject::tr("natural log of the batch constant (tokens)"), r.batch.intercept,
                       boot),
        coefficientRow(QStringLiteral("bs_coefD"), QStringLiteral("B: exponent of D"),
                       QObject::tr("batch exponent of training tokens"), r.batch.coefD, boot)};
    s.derived = {{QStringLiteral("lr_constant"),
                  QStringLiteral("C\u03b7 = e^(ln C\u03b7)"),
                  {},
                  {},
                  std::exp(r.lr.intercept.value),
                  kMissing,
                  kMissing,
                  kMissing},
                 {QStringLiteral("bs_constant"),
                  QStringLiteral("C_B = e^(ln C_B)"),
                  QStringLiteral("tokens"),
                  {},
                  std::exp(r.batch.intercept.value),
                  kMissing,
                  kMissing,
                  kMissing}};
    s.goodness = {
        {QStringLiteral("r2_lr"),
         QObject::tr("R\u00b2 of ln \u03b7"),
         r.lr.r2,
         {},
         QObject::tr("single OLS fit in log space")},
        {QStringLiteral("r2_batch"),
         QObject::tr("R\u00b2 of ln B"),
         r.batch.r2,
         {},
         QObject::tr("single OLS fit in log space")},
        {QStringLiteral("groups"), QObject::tr("(N, D) groups"), double(r.groups.size()), {}, {}}};
    return s;
}

const std::vector<FitLawInfo>& lawTable() {
    static const std::vector<FitLawInfo> laws = [] {
        std::vector<FitLawInfo> out = chinchillaFamilyLaws();
        FitLawInfo lrbs;
        lrbs.id = QStringLiteral("lr-bs");
        lrbs.title = QObject::tr("Optimal LR and batch (Step Law procedure)");
        lrbs.formula =
            QStringLiteral("\u03b7 = C\u03b7\u00b7N^a\u00b7D^b,  B = C_B\u00b7D^c (tokens)");
        lrbs.citation = QStringLiteral(
            "Li et al. 2025, \"Predictable Scale: Part I\" (Step Law), arXiv 2503.04715");
        lrbs.dataHint = QObject::tr(
            "an LR \u00d7 batch sweep: N (non-embedding), D, peak LR, batch (tokens), final loss");
        lrbs.usesBootstrap = true;
        out.push_back(lrbs);
        return out;
    }();
    return laws;
}
}  // namespace

bool FitJobOptions::isValid(QString* error) const {
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!(delta > 0.0) || !std::isfinite(delta))
        return fail(QStringLiteral("delta must be a positive number"));
    if (bootstrap < 0 || bootstrap > 100000)
        return fail(QStringLiteral("bootstrap must be between 0 and 100000 resamples"));
    if (dropHighestLoss < 0)
        return fail(QStringLiteral("dropHighestLoss must not be negative"));
    if (!(backtestCutoff >= 0.0) || !std::isfinite(backtestCutoff))
        return fail(QStringLiteral("backtestCutoff must be 0 (off) or a positive FLOP count"));
    std::string why;
    if (!grouping.isValid(&why))
        return fail(QString::fromStdString(why));
    return true;
}

QJsonObject FitJobOptions::toJson() const {
    return QJsonObject{{QStringLiteral("loss"), int(loss)},
                       {QStringLiteral("delta"), delta},
                       {QStringLiteral("grid"), int(grid)},
                       {QStringLiteral("bootstrap"), bootstrap},
                       {QStringLiteral("seed"), QString::number(seed)},
                       {QStringLiteral("drop_highest_loss"), dropHighestLoss},
                       {QStringLiteral("backtest_cutoff"), backtestCutoff},
                       {QStringLiteral("budget_tolerance"), grouping.tolerance},
                       {QStringLiteral("bins_per_decade"), grouping.binsPerDecade}};
}

FitJobOptions FitJobOptions::fromJson(const QJsonObject& o) {
    FitJobOptions out;
    out.loss = FitLoss(o.value(QStringLiteral("loss")).toInt(int(out.loss)));
    out.delta = o.value(QStringLiteral("delta")).toDouble(out.delta);
    out.grid = StartGrid(o.value(QStringLiteral("grid")).toInt(int(out.grid)));
    out.bootstrap = o.value(QStringLiteral("bootstrap")).toInt(out.bootstrap);
    out.seed = o.value(QStringLiteral("seed")).toString(QString::number(out.seed)).toULongLong();
    out.dropHighestLoss = o.value(QStringLiteral("drop_highest_loss")).toInt(out.dropHighestLoss);
    out.backtestCutoff = o.value(QStringLiteral("backtest_cutoff")).toDouble(out.backtestCutoff);
    out.grouping.tolerance =
        o.value(QStringLiteral("budget_tolerance")).toDouble(out.grouping.tolerance);
    out.grouping.binsPerDecade =
        o.value(QStringLiteral("bins_per_decade")).toDouble(out.grouping.binsPerDecade);
    return out;
}

const std::vector<FitLawInfo>& fitLaws() {
    return lawTable();
}

const FitLawInfo* findFitLaw(const QString& id) {
    for (const FitLawInfo& law : fitLaws()) {
        if (law.id == id)
            return &law;
    }
    return nullptr;
}

QString sci(double value) {
    return compactNumber(value, 4);
}

QJsonObject FitJob::request() const {
    QJsonObject o = options.toJson();
    o[QStringLiteral("law")] = lawId;
    o[QStringLiteral("loss_metric")] = QString::fromStdString(selection.lossMetric);
    if (selection.group)
        o[QStringLiteral("group")] = QString::fromStdString(*selection.group);
    if (!selection.runIds.empty()) {
        QJsonArray ids;
        for (std::int64_t id : selection.runIds)
            ids.append(double(id));
        o[QStringLiteral("run_ids")] = ids;
    }
    o[QStringLiteral("selected_only")] = selection.selectedOnly;
    o[QStringLiteral("include_excluded")] = selection.includeExcluded;
    o[QStringLiteral("exclude_stopped")] = selection.excludeStoppedMidSchedule;
    if (selection.includeForecasts)
        o[QStringLiteral("include_forecasts")] = true;
    return o;
}

bool prepareFitJob(const RunTable& table, const QString& lawId, const FitJobOptions& options,
                   FitJob* job, QString* error) {
    auto fail = [error](const std::string& message) {
        if (error)
            *error = QString::fromStdString(message);
        return false;
    };
    job->lawId = lawId;
    job->options = options;
    if (!findFitLaw(lawId))
        return fail("no fitting engine for the law '" + lawId.toStdString() + "' in this build");
    QString optionError;
    if (!options.isValid(&optionError)) {
        if (error)
            *error = optionError;
        return false;
    }
    const std::string law = lawId.toStdString();
    std::string why;
    const InputRows* rows = nullptr;
    Digest digest;
    digest.add(law);
    digest.add(QJsonDocument(options.toJson()).toJson(QJsonDocument::Compact).toStdString());
    if (law == "chinchilla" || law == "kaplan") {
        job->ndl = ndlInputs(table);
        if (!job->ndl.obs.empty() && !dropHighestLoss(&job->ndl, options.dropHighestLoss, &why))
            return fail(why);
        addInputs(&digest, job->ndl);
        rows = &job->ndl;
    } else if (law == "isoflop") {
        job->isoflop = isoflopInputs(table, options.grouping);
        if (!job->isoflop.points.empty() &&
            !dropHighestLoss(&job->isoflop, options.dropHighestLoss, &why))
            return fail(why);
        addInputs(&digest, job->isoflop);
        rows = &job->isoflop;
    } else if (law == "average-param") {
        if (!avgParamInputs(table, kDefaultParamsMetric, &job->avgParam, &why))
            return fail(why);
        if (!job->avgParam.runs.empty() &&
            !dropHighestLoss(&job->avgParam, options.dropHighestLoss, &why))
            return fail(why);
        addInputs(&digest, job->avgParam);
        rows = &job->avgParam;
    } else if (law == "lr-bs") {
        job->lrBs = lrBsInputs(table, options.grouping);
        addInputs(&digest, job->lrBs);
        rows = &job->lrBs;
    }
    job->inputDigest = digest.fingerprint();
    job->selectionDiagnostics = selectionDiagnostics(table, *rows);
    job->dataDescription = {
        {QStringLiteral("loss_metric"), QObject::tr("Loss metric"),
         QString::fromStdString(table.lossMetric)},
        {QStringLiteral("runs"), QObject::tr("Runs selected"), QString::number(table.size())},
        {QStringLiteral("runs_used"), QObject::tr("Runs used"), QString::number(rows->size())},
        {QStringLiteral("runs_incomplete"),
         QObject::tr("Runs that %1 (skipped)").arg(QString::fromStdString(rows->skippedWhy)),
         QString::number(rows->skipped)},
        {QStringLiteral("runs_dropped"), QObject::tr("Highest-loss runs dropped"),
         QString::number(rows->dropped)}};
    if (table.excludedSkipped > 0)
        job->dataDescription.push_back({QStringLiteral("runs_excluded"),
                                        QObject::tr("Excluded runs left out"),
                                        QString::number(table.excludedSkipped)});
    if (rows->forecasts > 0 || table.forecastsStale > 0)
        job->dataDescription.push_back(
            {QStringLiteral("runs_forecast"), QObject::tr("Runs with a forecast final loss"),
             QString::number(rows->forecasts) +
                 (table.forecastsStale > 0
                      ? QObject::tr(" (%1 stale forecasts not used)").arg(table.forecastsStale)
                      : QString())});
    if (table.stoppedSkipped > 0)
        job->dataDescription.push_back({QStringLiteral("runs_stopped"),
                                        QObject::tr("Runs stopped mid-schedule left out"),
                                        QString::number(table.stoppedSkipped)});
    if (rows->size() == 0) {
        if (!table.hasMetric(table.lossMetric))
            return fail("none of the " + std::to_string(table.size()) +
                        " selected runs has a final '" + table.lossMetric + "' value");
        return fail("none of the " + std::to_string(table.size()) + " selected runs can be used: " +
                    std::to_string(rows->skipped) + " runs " + rows->skippedWhy);
    }
    return true;
}

bool prepareFitJob(const data::Project& project, const QString& lawId, const Selection& selection,
                   const FitJobOptions& options, FitJob* job, QString* error) {
    RunTable table;
    std::string why;
    const std::set<std::string> series = lawId == QStringLiteral("average-param")
                                             ? std::set<std::string>{kDefaultParamsMetric}
                                             : std::set<std::string>{};
    if (!loadRunTable(project, selection, &table, &why, series)) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    job->selection = selection;
    job->selection.lossMetric = table.lossMetric;
    if (!prepareFitJob(table, lawId, options, job, error))
        return false;
    job->dataDescription.insert(job->dataDescription.begin(),
                                {QStringLiteral("selection"), QObject::tr("Data"),
                                 QString::fromStdString(selection.describe())});
    return true;
}
FitSummary runFitJob(const FitJob& job, const fit::ProgressCallback& progress) {
    const FitLawInfo* law = findFitLaw(job.lawId);
    FitSummary s;
    QString error;
    if (!law) {
        s.lawId = job.lawId;
        s.status = fit::FitStatus::Failed;
        s.message = QObject::tr("No fitting engine for the law '%1' in this build.").arg(job.lawId);
    } else if (!job.options.isValid(&error)) {
        s.status = fit::FitStatus::Failed;
        s.message = error;
    } else if (job.lawId == QStringLiteral("lr-bs")) {
        s = runLrBs(job, progress);
    } else {
        s = runChinchillaFamily(job, progress);
    }
    if (law)
        addDiagnostics(job.selectionDiagnostics, &s);
    if (law) {
        s.lawId = law->id;
        s.lawTitle = law->title;
        s.formula = law->formula;
        s.citation = law->citation;
    }
    s.data.insert(s.data.begin(), job.dataDescription.begin(), job.dataDescription.end());
    s.created = QDateTime::currentDateTimeUtc();
    s.dataFingerprint = QString::fromStdString(job.inputDigest);
    return s;
}

}  // namespace scalelens::analysis
