#include "analysis/fit_store.h"

#include <datasets/project.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <map>

#include "analysis/digest.h"
#include "analysis/fit_jobs.h"

namespace scalelens::analysis {

namespace {
const QString kSummaryKey = QStringLiteral("scalelens_summary");

std::optional<double> finiteParam(const FitSummary& s, const QString& name) {
    const FitParameterRow* row = s.parameter(name);
    if (!row || !std::isfinite(row->value))
        return std::nullopt;
    return row->value;
}
}  // namespace

data::FitRecord fitRecordFromSummary(const FitSummary& summary, const QJsonObject& engineJson,
                                     const QJsonObject& optionsJson) {
    QJsonObject result = engineJson;
    if (!result.contains(QStringLiteral("law")))
        result[QStringLiteral("law")] = summary.lawId;
    result[kSummaryKey] = toJson(summary);
    data::FitRecord record;
    record.law = summary.lawId.toStdString();
    record.name = summary.lawTitle.toStdString();
    record.optionsJson = QJsonDocument(optionsJson).toJson(QJsonDocument::Compact).toStdString();
    record.resultJson = QJsonDocument(result).toJson(QJsonDocument::Compact).toStdString();
    record.createdAt = summary.created.isValid() ? summary.created.toSecsSinceEpoch() : 0;
    record.dataFingerprint = summary.dataFingerprint.toStdString();
    return record;
}

bool fitSummaryFromRecord(const data::FitRecord& record, FitSummary* summary, QString* error) {
    QJsonParseError parseError;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromStdString(record.resultJson), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        if (error)
            *error = QStringLiteral("fit %1: the result is not JSON (%2)")
                         .arg(record.id)
                         .arg(parseError.errorString());
        return false;
    }
    const QJsonObject summaryJson = doc.object().value(kSummaryKey).toObject();
    QString innerError;
    if (summaryJson.isEmpty()) {
        // Saved by another tool: rebuild the table from the engine's own JSON when possible.
        if (!summaryFromEngineJson(QString::fromStdString(record.law), doc.object(), summary)) {
            if (error)
                *error = QStringLiteral(
                             "fit %1: no '%2' in the result and no engine JSON for "
                             "the law '%3'")
                             .arg(record.id)
                             .arg(kSummaryKey, QString::fromStdString(record.law));
            return false;
        }
        summary->created = QDateTime::fromSecsSinceEpoch(record.createdAt, Qt::UTC);
    } else if (!fromJson(summaryJson, summary, &innerError)) {
        if (error)
            *error = QStringLiteral("fit %1: %2").arg(record.id).arg(innerError);
        return false;
    }
    summary->fitId = record.id;
    summary->stale = record.stale;
    summary->dataFingerprint = QString::fromStdString(record.dataFingerprint);
    return true;
}

namespace {

// The digest of the inputs the stored request selects now; "" when they cannot be rebuilt.
std::string currentDigest(const data::Project& project, const data::FitRecord& record) {
    const QJsonObject o =
        QJsonDocument::fromJson(QByteArray::fromStdString(record.optionsJson)).object();
    Selection selection;
    if (o.contains(QStringLiteral("group")))
        selection.group = o.value(QStringLiteral("group")).toString().toStdString();
    for (const QJsonValue& id : o.value(QStringLiteral("run_ids")).toArray())
        selection.runIds.push_back(static_cast<std::int64_t>(id.toDouble()));
    selection.selectedOnly = o.value(QStringLiteral("selected_only")).toBool(false);
    selection.includeExcluded = o.value(QStringLiteral("include_excluded")).toBool(false);
    selection.excludeStoppedMidSchedule = o.value(QStringLiteral("exclude_stopped")).toBool(true);
    selection.includeForecasts = o.value(QStringLiteral("include_forecasts")).toBool(false);
    selection.lossMetric = o.value(QStringLiteral("loss_metric")).toString().toStdString();
    const QString law = o.value(QStringLiteral("law")).toString(QString::fromStdString(record.law));
    FitJob job;
    if (!prepareFitJob(project, law, selection, FitJobOptions::fromJson(o), &job, nullptr))
        return {};
    return job.inputDigest;
}

}  // namespace

bool fitIsStale(const data::Project& project, const data::FitRecord& record) {
    if (record.dataFingerprint.rfind(std::string(kDigestPrefix), 0) != 0)
        return record.stale;
    return currentDigest(project, record) != record.dataFingerprint;
}

std::vector<FitSummary> savedFitSummaries(const data::Project& project) {
    std::vector<FitSummary> out;
    std::map<std::string, std::string> digests;  // request -> current digest
    for (const data::FitRecord& record : project.fits()) {
        FitSummary s;
        if (!fitSummaryFromRecord(record, &s))
            continue;
        if (record.dataFingerprint.rfind(std::string(kDigestPrefix), 0) == 0) {
            const std::string key = record.law + "|" + record.optionsJson;
            auto it = digests.find(key);
            if (it == digests.end())
                it = digests.emplace(key, currentDigest(project, record)).first;
            s.stale = it->second != record.dataFingerprint;
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<fit::ChinchillaParams> chinchillaParams(const FitSummary& s) {
    if (!s.usable() ||
        (s.lawId != QStringLiteral("chinchilla") && s.lawId != QStringLiteral("average-param")))
        return std::nullopt;
    const auto E = finiteParam(s, QStringLiteral("E"));
    const auto A = finiteParam(s, QStringLiteral("A"));
    const auto B = finiteParam(s, QStringLiteral("B"));
    const auto alpha = finiteParam(s, QStringLiteral("alpha"));
    const auto beta = finiteParam(s, QStringLiteral("beta"));
    if (!E || !A || !B || !alpha || !beta)
        return std::nullopt;
    fit::ChinchillaParams p{*E, *A, *B, *alpha, *beta};
    if (!p.isValid())
        return std::nullopt;
    return p;
}

std::optional<FittedHparamLaw> fittedHparamLaw(const FitSummary& s) {
    if (!s.usable() || s.lawId != QStringLiteral("lr-bs"))
        return std::nullopt;
    const auto lrC = finiteParam(s, QStringLiteral("lr_intercept"));
    const auto lrN = finiteParam(s, QStringLiteral("lr_coefN"));
    const auto lrD = finiteParam(s, QStringLiteral("lr_coefD"));
    const auto bsC = finiteParam(s, QStringLiteral("bs_intercept"));
    const auto bsD = finiteParam(s, QStringLiteral("bs_coefD"));
    if (!lrC || !lrN || !lrD || !bsC || !bsD)
        return std::nullopt;
    return FittedHparamLaw{*lrC, *lrN, *lrD, *bsC, *bsD};
}

QString fitDisplayName(const FitSummary& s) {
    QString name = s.lawId;
    if (s.fitId > 0)
        name += QStringLiteral(" #%1").arg(s.fitId);
    if (s.created.isValid())
        name +=
            QStringLiteral(", ") + s.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    if (s.status == fit::FitStatus::Unreliable)
        name += QStringLiteral(" (unreliable)");
    else if (s.hasWarnings())
        name += QStringLiteral(" (warnings)");
    if (s.stale)
        name += QStringLiteral(" (stale)");
    return name;
}

}  // namespace scalelens::analysis
