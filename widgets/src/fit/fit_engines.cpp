#include "widgets/fit/fit_engines.h"

#include <datasets/project.h>
#include <fitting/avgparam.h>
#include <fitting/hparams_fit.h>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "fit_engine_runners.h"

namespace scalelens::ui {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double orNaN(const std::optional<double>& v) {
    return v ? *v : kNaN;
}

// N̄ and final N of a pruned run from its schedule JSON (Jin et al. 2025; see data::Run).
// Dense runs (empty schedule) have N̄ = N_final = N.
void averageParams(const data::Run& run, double n, double* nAverage, double* nFinal) {
    *nAverage = n;
    *nFinal = n;
    if (run.sparsitySchedule.empty() || !std::isfinite(n))
        return;
    const QJsonObject o =
        QJsonDocument::fromJson(QByteArray::fromStdString(run.sparsitySchedule)).object();
    fit::ComputeFractionSchedule schedule;
    schedule.pruneStart = o.value(QStringLiteral("prune_start")).toDouble(schedule.pruneStart);
    schedule.pruneEnd = o.value(QStringLiteral("prune_end")).toDouble(schedule.pruneEnd);
    schedule.finalSparsity = o.value(QStringLiteral("final_sparsity")).toDouble(0.0);
    const QString kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("geometric"));
    schedule.shape = kind == QStringLiteral("cubic")    ? fit::PruningShape::Cubic
                     : kind == QStringLiteral("linear") ? fit::PruningShape::Linear
                                                        : fit::PruningShape::Geometric;
    std::string error;
    if (!schedule.isValid(&error)) {
        *nAverage = kNaN;  // reported as a skipped run
        return;
    }
    const fit::PruningScheduleSpec spec = fit::scheduleFromComputeFractions(schedule, &error);
    const double density = fit::averageDensity(spec);
    if (!(density > 0.0)) {
        *nAverage = kNaN;
        return;
    }
    *nAverage = n * density;
    *nFinal = n * (1.0 - schedule.finalSparsity);
}

// ---- lr-bs: Li et al. 2025 (Step Law) procedure, fitting/hparams_fit.h ----------------------

FitParameterRow coefficientRow(const QString& name, const QString& label,
                               const QString& description, const fit::Estimate& c,
                               bool bootstrapped) {
    FitParameterRow row;
    row.name = name;
    row.label = label;
    row.description = description;
    row.value = c.value;
    if (bootstrapped) {
        row.standardError = c.sd();
        row.ciLow = c.ciLow();
        row.ciHigh = c.ciHigh();
    }
    return row;
}

FitSummary runLrBs(const FitJob& job, const fit::ProgressCallback& progress) {
    FitSummary s;
    std::vector<fit::LrBsRun> runs;
    int skipped = 0;
    for (std::size_t i = 0; i < job.points.size(); ++i) {
        const double n = std::isfinite(job.points.nonEmbedding[i]) ? job.points.nonEmbedding[i]
                                                                   : job.points.params[i];
        fit::LrBsRun r{n, job.points.tokens[i], job.points.learningRate[i],
                       job.points.batchTokens[i], job.points.loss[i]};
        if (!(r.n > 0 && r.d > 0 && r.lr > 0 && r.batchTokens > 0 && r.loss > 0)) {
            ++skipped;
            continue;
        }
        runs.push_back(r);
    }
    s.data.push_back({QStringLiteral("runs_without_lr_or_batch"),
                      QObject::tr("Runs without N, D, LR, batch or loss (skipped)"),
                      QString::number(skipped)});
    fit::LrBsFitOptions options;
    options.bootstrapSamples = job.options.bootstrap;
    options.seed = job.options.seed;
    s.options.push_back(
        {QStringLiteral("near_optimal_tolerance"), QObject::tr("Near-optimal filter"),
         QStringLiteral("%1 of the group's best loss")
             .arg(QString::number(options.nearOptimalTolerance * 100, 'g', 3) + QLatin1Char('%'))});
    s.options.push_back({QStringLiteral("bootstrap"), QObject::tr("Bootstrap resamples"),
                         QString::number(options.bootstrapSamples)});
    s.options.push_back(
        {QStringLiteral("seed"), QObject::tr("Seed"), QString::number(options.seed)});
    const fit::LrBsFitResult r = fit::fitLrBsSweep(runs, options, progress);
    s.status = r.status;
    s.message = QString::fromStdString(r.message);
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
    return true;
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

bool collectFitPoints(const data::Project& project, const FitDataSelection& selection, FitJob* job,
                      QString* error) {
    const std::string metric = selection.lossMetric.toStdString();
    std::unordered_map<std::int64_t, double> finalLoss;
    for (const data::RunValue& v : project.finalValues(metric))
        finalLoss[v.runId] = v.value;
    const std::unordered_set<std::int64_t> wanted(selection.runs.begin(), selection.runs.end());

    FitPoints& p = job->points;
    p = FitPoints{};
    int considered = 0;
    int withoutLoss = 0;
    for (const data::Run& run : project.runs()) {
        if (run.excluded)
            continue;
        if (selection.kind == FitDataSelection::Kind::Group &&
            QString::fromStdString(run.group) != selection.group)
            continue;
        if (selection.kind == FitDataSelection::Kind::Selected && !wanted.count(run.id))
            continue;
        ++considered;
        const auto loss = finalLoss.find(run.id);
        if (loss == finalLoss.end()) {
            ++withoutLoss;
            continue;
        }
        const double n = orNaN(run.activeParams ? run.activeParams : run.totalParams);
        double nAverage = kNaN;
        double nFinal = kNaN;
        averageParams(run, orNaN(run.totalParams), &nAverage, &nFinal);
        p.runIds.push_back(run.id);
        p.runNames.push_back(QString::fromStdString(run.name));
        p.params.push_back(n);
        p.nonEmbedding.push_back(orNaN(run.nonEmbeddingParams));
        p.avgParams.push_back(nAverage);
        p.finalParams.push_back(nFinal);
        p.tokens.push_back(orNaN(run.tokens));
        p.flops.push_back(orNaN(run.flops));
        p.loss.push_back(loss->second);
        p.learningRate.push_back(orNaN(run.peakLr));
        p.batchTokens.push_back(orNaN(run.batchTokens));
    }
    QString selectionText;
    switch (selection.kind) {
        case FitDataSelection::Kind::AllIncluded:
            selectionText = QObject::tr("All included runs");
            break;
        case FitDataSelection::Kind::Group:
            selectionText = QObject::tr("Group '%1'").arg(selection.group);
            break;
        case FitDataSelection::Kind::Selected:
            selectionText = QObject::tr("%1 selected runs").arg(selection.runs.size());
            break;
    }
    job->dataDescription = {
        {QStringLiteral("selection"), QObject::tr("Data"), selectionText},
        {QStringLiteral("loss_metric"), QObject::tr("Loss metric"), selection.lossMetric},
        {QStringLiteral("runs"), QObject::tr("Runs selected"), QString::number(considered)},
        {QStringLiteral("runs_without_loss"), QObject::tr("Runs without a final loss (skipped)"),
         QString::number(withoutLoss)}};
    if (considered == 0) {
        if (error)
            *error = QObject::tr("The data selection holds no included run.");
        return false;
    }
    if (p.size() == 0) {
        if (error)
            *error = QObject::tr("None of the %1 selected runs has a final '%2' value.")
                         .arg(considered)
                         .arg(selection.lossMetric);
        return false;
    }
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
    if (law) {
        s.lawId = law->id;
        s.lawTitle = law->title;
        s.formula = law->formula;
        s.citation = law->citation;
    }
    s.data.insert(s.data.begin(), job.dataDescription.begin(), job.dataDescription.end());
    s.created = QDateTime::currentDateTimeUtc();
    return s;
}

}  // namespace scalelens::ui
