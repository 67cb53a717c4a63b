#include "analysis/fit_summary.h"

#include <datasets/fit_json.h>
#include <QJsonArray>
#include <algorithm>
#include <cmath>

namespace scalelens::analysis {

namespace {

QString exact(double v) {
    return std::isfinite(v) ? QString::number(v, 'g', 10) : QString();
}

// JSON has no NaN: missing numbers are null.
QJsonValue number(double v) {
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

double numberOr(const QJsonValue& v) {
    return v.isDouble() ? v.toDouble() : kMissing;
}

const std::pair<fit::EstimateFlag, const char*> kFlagNames[] = {
    {fit::kEstimateAtBound, "at_bound"},
    {fit::kEstimateNotIdentified, "not_identified"},
    {fit::kEstimateIllConditioned, "ill_conditioned"},
};

QJsonArray flagsToJson(unsigned flags) {
    QJsonArray out;
    for (const auto& [flag, name] : kFlagNames) {
        if (flags & flag)
            out.append(QString::fromLatin1(name));
    }
    return out;
}

unsigned flagsFromJson(const QJsonValue& json) {
    unsigned flags = 0;
    for (const QJsonValue v : json.toArray()) {
        for (const auto& [flag, name] : kFlagNames) {
            if (v.toString() == QLatin1String(name))
                flags |= flag;
        }
    }
    return flags;
}

QJsonArray rowsToJson(const std::vector<FitParameterRow>& rows) {
    QJsonArray out;
    for (const FitParameterRow& r : rows) {
        out.append(QJsonObject{{QStringLiteral("name"), r.name},
                               {QStringLiteral("label"), r.label},
                               {QStringLiteral("unit"), r.unit},
                               {QStringLiteral("description"), r.description},
                               {QStringLiteral("value"), number(r.value)},
                               {QStringLiteral("stderr"), number(r.standardError)},
                               {QStringLiteral("ci95_low"), number(r.ciLow)},
                               {QStringLiteral("ci95_high"), number(r.ciHigh)},
                               {QStringLiteral("flags"), flagsToJson(r.flags)}});
    }
    return out;
}

std::vector<FitParameterRow> rowsFromJson(const QJsonArray& array) {
    std::vector<FitParameterRow> rows;
    for (const QJsonValue& v : array) {
        const QJsonObject o = v.toObject();
        FitParameterRow r;
        r.name = o.value(QStringLiteral("name")).toString();
        r.label = o.value(QStringLiteral("label")).toString(r.name);
        r.unit = o.value(QStringLiteral("unit")).toString();
        r.description = o.value(QStringLiteral("description")).toString();
        r.value = numberOr(o.value(QStringLiteral("value")));
        r.standardError = numberOr(o.value(QStringLiteral("stderr")));
        r.ciLow = numberOr(o.value(QStringLiteral("ci95_low")));
        r.ciHigh = numberOr(o.value(QStringLiteral("ci95_high")));
        r.flags = flagsFromJson(o.value(QStringLiteral("flags")));
        rows.push_back(r);
    }
    return rows;
}

QJsonArray metricsToJson(const std::vector<FitMetricRow>& rows) {
    QJsonArray out;
    for (const FitMetricRow& r : rows) {
        out.append(QJsonObject{{QStringLiteral("name"), r.name},
                               {QStringLiteral("label"), r.label},
                               {QStringLiteral("value"), number(r.value)},
                               {QStringLiteral("unit"), r.unit},
                               {QStringLiteral("note"), r.note}});
    }
    return out;
}

std::vector<FitMetricRow> metricsFromJson(const QJsonArray& array) {
    std::vector<FitMetricRow> rows;
    for (const QJsonValue& v : array) {
        const QJsonObject o = v.toObject();
        rows.push_back({o.value(QStringLiteral("name")).toString(),
                        o.value(QStringLiteral("label")).toString(),
                        numberOr(o.value(QStringLiteral("value"))),
                        o.value(QStringLiteral("unit")).toString(),
                        o.value(QStringLiteral("note")).toString()});
    }
    return rows;
}

QJsonArray settingsToJson(const std::vector<FitSetting>& rows) {
    QJsonArray out;
    for (const FitSetting& s : rows) {
        out.append(QJsonObject{{QStringLiteral("name"), s.name},
                               {QStringLiteral("label"), s.label},
                               {QStringLiteral("value"), s.value}});
    }
    return out;
}

std::vector<FitSetting> settingsFromJson(const QJsonArray& array) {
    std::vector<FitSetting> rows;
    for (const QJsonValue& v : array) {
        const QJsonObject o = v.toObject();
        rows.push_back({o.value(QStringLiteral("name")).toString(),
                        o.value(QStringLiteral("label")).toString(),
                        o.value(QStringLiteral("value")).toString()});
    }
    return rows;
}

const fit::FitStatus kStatuses[] = {fit::FitStatus::NotRun,        fit::FitStatus::Converged,
                                    fit::FitStatus::NoConvergence, fit::FitStatus::Failed,
                                    fit::FitStatus::Cancelled,     fit::FitStatus::Unreliable};

}  // namespace

const FitParameterRow* FitSummary::parameter(const QString& name) const {
    for (const auto* rows : {&parameters, &derived}) {
        for (const FitParameterRow& r : *rows) {
            if (r.name == name)
                return &r;
        }
    }
    return nullptr;
}

fit::Severity FitSummary::worstSeverity() const {
    fit::Severity worst = fit::Severity::Info;
    for (const fit::Diagnostic& d : diagnostics)
        worst = std::max(worst, d.severity);
    return worst;
}

void addDiagnostics(const std::vector<fit::Diagnostic>& found, FitSummary* s) {
    s->diagnostics.insert(s->diagnostics.end(), found.begin(), found.end());
    const bool produced =
        s->status == fit::FitStatus::Converged || s->status == fit::FitStatus::NoConvergence;
    if (!produced || s->worstSeverity() != fit::Severity::Unreliable)
        return;
    s->status = fit::FitStatus::Unreliable;
    for (const fit::Diagnostic& d : s->diagnostics) {
        if (d.severity == fit::Severity::Unreliable) {
            s->message = QStringLiteral("unreliable: ") + QString::fromStdString(d.message);
            break;
        }
    }
}

QStringList diagnosticLines(const FitSummary& s, fit::Severity minimum) {
    QStringList lines;
    for (const fit::Severity level :
         {fit::Severity::Unreliable, fit::Severity::Warning, fit::Severity::Info}) {
        if (level < minimum)
            continue;
        for (const fit::Diagnostic& d : s.diagnostics) {
            if (d.severity != level)
                continue;
            const std::string_view name = fit::toString(d.severity);
            lines << QStringLiteral("[%1] %2: %3")
                         .arg(QString::fromUtf8(name.data(), qsizetype(name.size())),
                              QString::fromStdString(d.code), QString::fromStdString(d.message));
        }
    }
    return lines;
}

QString trustWarning(const FitSummary& s) {
    const fit::Severity worst = s.worstSeverity();
    if (worst == fit::Severity::Info && s.status != fit::FitStatus::Unreliable)
        return {};
    QString first;
    for (const fit::Diagnostic& d : s.diagnostics) {
        if (d.severity == worst) {
            first = QString::fromStdString(d.message);
            break;
        }
    }
    if (s.status == fit::FitStatus::Unreliable || worst == fit::Severity::Unreliable)
        return QStringLiteral(
                   "\u26a0 Unreliable fit: %1. The numbers are shown for inspection "
                   "only; do not use them as they are.")
            .arg(first.isEmpty() ? s.message : first);
    return QStringLiteral("\u26a0 Fit warning: %1.").arg(first);
}

QString flagText(unsigned flags) {
    QStringList parts;
    if (flags & fit::kEstimateAtBound)
        parts << QStringLiteral("at bound");
    if (flags & fit::kEstimateNotIdentified)
        parts << QStringLiteral("not identified");
    if (flags & fit::kEstimateIllConditioned)
        parts << QStringLiteral("ill-conditioned");
    return parts.join(QStringLiteral(", "));
}

QString fitTableTsv(const FitSummary& summary) {
    QString out =
        QStringLiteral("parameter\tvalue\tstandard error\t95% CI low\t95% CI high\tunit\n");
    for (const auto* rows : {&summary.parameters, &summary.derived}) {
        for (const FitParameterRow& r : *rows) {
            out += QStringList{r.name,         exact(r.value),  exact(r.standardError),
                               exact(r.ciLow), exact(r.ciHigh), r.unit}
                       .join(QLatin1Char('\t')) +
                   QLatin1Char('\n');
        }
    }
    const std::vector<FitMetricRow>* groups[] = {&summary.goodness, &summary.backtest};
    bool first = true;
    for (const auto* rows : groups) {
        for (const FitMetricRow& r : *rows) {
            if (first) {
                out += QStringLiteral("\nmeasure\tvalue\tunit\n");
                first = false;
            }
            out += QStringList{r.name, exact(r.value), r.unit}.join(QLatin1Char('\t')) +
                   QLatin1Char('\n');
        }
    }
    return out;
}

QJsonObject toJson(const FitSummary& s) {
    QJsonObject o;
    o[QStringLiteral("format")] = QStringLiteral("scalelens-fit-summary");
    o[QStringLiteral("version")] = 1;
    o[QStringLiteral("law")] = s.lawId;
    o[QStringLiteral("law_title")] = s.lawTitle;
    o[QStringLiteral("formula")] = s.formula;
    o[QStringLiteral("citation")] = s.citation;
    o[QStringLiteral("status")] = QString::fromUtf8(fit::toString(s.status).data(),
                                                    qsizetype(fit::toString(s.status).size()));
    o[QStringLiteral("message")] = s.message;
    o[QStringLiteral("diagnostics")] = data::diagnosticsToJson(s.diagnostics);
    o[QStringLiteral("data")] = settingsToJson(s.data);
    o[QStringLiteral("options")] = settingsToJson(s.options);
    o[QStringLiteral("n_points")] = s.nPoints;
    o[QStringLiteral("objective")] = number(s.objective);
    o[QStringLiteral("seconds")] = number(s.seconds);
    o[QStringLiteral("created")] =
        s.created.isValid() ? s.created.toUTC().toString(Qt::ISODateWithMs) : QString();
    o[QStringLiteral("params")] = rowsToJson(s.parameters);
    o[QStringLiteral("derived")] = rowsToJson(s.derived);
    o[QStringLiteral("goodness")] = metricsToJson(s.goodness);
    o[QStringLiteral("backtest")] = metricsToJson(s.backtest);
    o[QStringLiteral("allocation")] = metricsToJson(s.allocation);
    o[QStringLiteral("data_fingerprint")] = s.dataFingerprint;
    return o;
}

bool fromJson(const QJsonObject& o, FitSummary* s, QString* error) {
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (o.value(QStringLiteral("format")).toString() != QStringLiteral("scalelens-fit-summary"))
        return fail(QStringLiteral("'format' is not scalelens-fit-summary"));
    if (!o.value(QStringLiteral("law")).isString())
        return fail(QStringLiteral("'law' is missing"));
    const QString status = o.value(QStringLiteral("status")).toString();
    bool statusKnown = false;
    FitSummary out;
    for (fit::FitStatus candidate : kStatuses) {
        const std::string_view name = fit::toString(candidate);
        if (status == QString::fromUtf8(name.data(), qsizetype(name.size()))) {
            out.status = candidate;
            statusKnown = true;
        }
    }
    if (!statusKnown)
        return fail(QStringLiteral("'status' has the unknown value '%1'").arg(status));
    out.lawId = o.value(QStringLiteral("law")).toString();
    out.lawTitle = o.value(QStringLiteral("law_title")).toString();
    out.formula = o.value(QStringLiteral("formula")).toString();
    out.citation = o.value(QStringLiteral("citation")).toString();
    out.message = o.value(QStringLiteral("message")).toString();
    QString diagnosticsError;
    if (!data::diagnosticsFromJson(o.value(QStringLiteral("diagnostics")), &out.diagnostics,
                                   &diagnosticsError))
        return fail(QStringLiteral("'diagnostics': ") + diagnosticsError);
    out.data = settingsFromJson(o.value(QStringLiteral("data")).toArray());
    out.options = settingsFromJson(o.value(QStringLiteral("options")).toArray());
    out.nPoints = o.value(QStringLiteral("n_points")).toInt();
    out.objective = numberOr(o.value(QStringLiteral("objective")));
    out.seconds = numberOr(o.value(QStringLiteral("seconds")));
    out.created =
        QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    out.parameters = rowsFromJson(o.value(QStringLiteral("params")).toArray());
    out.derived = rowsFromJson(o.value(QStringLiteral("derived")).toArray());
    out.goodness = metricsFromJson(o.value(QStringLiteral("goodness")).toArray());
    out.backtest = metricsFromJson(o.value(QStringLiteral("backtest")).toArray());
    out.allocation = metricsFromJson(o.value(QStringLiteral("allocation")).toArray());
    out.dataFingerprint = o.value(QStringLiteral("data_fingerprint")).toString();
    *s = std::move(out);
    return true;
}

}  // namespace scalelens::analysis
