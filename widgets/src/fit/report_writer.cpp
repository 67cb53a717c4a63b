#include "widgets/fit/report_writer.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <cmath>

#include "widgets/base/number_format.h"

namespace scalelens::ui {

namespace {

QString statusText(fit::FitStatus status) {
    const std::string_view s = fit::toString(status);
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// Markdown table cells: 5 significant digits (papers print 3-4), en dash when missing.
QString cell(double v) {
    return formatPlain(v, 5);
}

QString escapeMd(QString text) {
    return text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
}

QString ciText(const FitParameterRow& r) {
    if (!std::isfinite(r.ciLow) || !std::isfinite(r.ciHigh))
        return QStringLiteral("\u2013");
    return QStringLiteral("[%1, %2]").arg(cell(r.ciLow), cell(r.ciHigh));
}

void parameterTable(QString& md, const std::vector<FitParameterRow>& rows) {
    md += QStringLiteral("| parameter | value | standard error | 95% CI | unit |\n");
    md += QStringLiteral("|---|---:|---:|---|---|\n");
    for (const FitParameterRow& r : rows) {
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                  .arg(escapeMd(r.label.isEmpty() ? r.name : r.label), cell(r.value),
                       cell(r.standardError), ciText(r), escapeMd(r.unit));
    }
}

void metricTable(QString& md, const std::vector<FitMetricRow>& rows) {
    md += QStringLiteral("| measure | value | unit | definition |\n|---|---:|---|---|\n");
    for (const FitMetricRow& r : rows) {
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                  .arg(escapeMd(r.label.isEmpty() ? r.name : r.label), cell(r.value),
                       escapeMd(r.unit), escapeMd(r.note));
    }
}

void settingList(QString& md, const std::vector<FitSetting>& rows) {
    for (const FitSetting& s : rows)
        md += QStringLiteral("- %1: %2\n").arg(s.label.isEmpty() ? s.name : s.label, s.value);
}

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString csvNumber(double v) {
    return std::isfinite(v) ? QString::number(v, 'g', 10) : QString();
}

void csvRow(QString& csv, const QString& section, const QString& name, const QString& value,
            double se = kMissing, double lo = kMissing, double hi = kMissing,
            const QString& unit = {}) {
    csv += QStringList{section,       csvField(name), csvField(value), csvNumber(se),
                       csvNumber(lo), csvNumber(hi),  csvField(unit)}
               .join(QLatin1Char(',')) +
           QStringLiteral("\r\n");
}

}  // namespace

QString fitReportMarkdown(const FitSummary& s) {
    QString md;
    md += QStringLiteral("# Fit report: %1\n\n").arg(s.lawTitle.isEmpty() ? s.lawId : s.lawTitle);
    if (!s.formula.isEmpty())
        md += QStringLiteral("Law: `%1`\n\n").arg(s.formula);
    md += QStringLiteral("- Law id: %1\n").arg(s.lawId);
    md += QStringLiteral("- Status: %1").arg(statusText(s.status));
    if (!s.message.isEmpty() && s.message != statusText(s.status))
        md += QStringLiteral(" (%1)").arg(s.message);
    md += QLatin1Char('\n');
    if (s.created.isValid())
        md += QStringLiteral("- Fitted: %1\n").arg(s.created.toUTC().toString(Qt::ISODate));
    md += QStringLiteral("- Points used: %1\n").arg(s.nPoints);
    if (std::isfinite(s.objective))
        md += QStringLiteral("- Objective: %1\n").arg(QString::number(s.objective, 'g', 10));
    if (std::isfinite(s.seconds))
        md += QStringLiteral("- Time: %1 s\n").arg(QString::number(s.seconds, 'g', 3));
    if (s.stale)
        md += QStringLiteral("- **Stale**: the project's data changed after this fit.\n");
    if (!s.diagnostics.empty()) {
        md += QStringLiteral("\n## Diagnostics\n\n");
        for (const QString& line : analysis::diagnosticLines(s))
            md += QStringLiteral("- ") + escapeMd(line) + QLatin1Char('\n');
    }
    if (!s.data.empty()) {
        md += QStringLiteral("\n## Data\n\n");
        settingList(md, s.data);
    }
    if (!s.options.empty()) {
        md += QStringLiteral("\n## Options\n\n");
        settingList(md, s.options);
    }
    if (!s.parameters.empty()) {
        md += QStringLiteral("\n## Parameters\n\n");
        parameterTable(md, s.parameters);
    }
    if (!s.derived.empty()) {
        md += QStringLiteral("\n## Derived quantities\n\n");
        parameterTable(md, s.derived);
    }
    if (!s.goodness.empty()) {
        md += QStringLiteral("\n## Goodness of fit\n\n");
        metricTable(md, s.goodness);
    }
    if (!s.backtest.empty()) {
        md += QStringLiteral("\n## Back-test\n\n");
        metricTable(md, s.backtest);
    }
    if (!s.allocation.empty()) {
        md += QStringLiteral("\n## Compute-optimal allocation\n\n");
        metricTable(md, s.allocation);
    }
    if (!s.citation.isEmpty())
        md += QStringLiteral("\n## Citation\n\n%1\n").arg(s.citation);
    md += QStringLiteral("\n_Generated by ScaleLens._\n");
    return md;
}

QString fitReportCsv(const FitSummary& s) {
    QString csv = QStringLiteral("section,name,value,stderr,ci95_low,ci95_high,unit\r\n");
    csvRow(csv, QStringLiteral("law"), QStringLiteral("id"), s.lawId);
    csvRow(csv, QStringLiteral("law"), QStringLiteral("title"), s.lawTitle);
    csvRow(csv, QStringLiteral("law"), QStringLiteral("formula"), s.formula);
    csvRow(csv, QStringLiteral("law"), QStringLiteral("citation"), s.citation);
    csvRow(csv, QStringLiteral("law"), QStringLiteral("status"), statusText(s.status));
    csvRow(csv, QStringLiteral("law"), QStringLiteral("message"), s.message);
    for (const fit::Diagnostic& d : s.diagnostics)
        csvRow(csv, QStringLiteral("diagnostic"), QString::fromStdString(d.code),
               QString::fromStdString(d.message));
    csvRow(csv, QStringLiteral("data"), QStringLiteral("n_points"), QString::number(s.nPoints));
    for (const FitSetting& d : s.data)
        csvRow(csv, QStringLiteral("data"), d.name, d.value);
    for (const FitSetting& o : s.options)
        csvRow(csv, QStringLiteral("option"), o.name, o.value);
    for (const FitParameterRow& r : s.parameters) {
        csvRow(csv, QStringLiteral("parameter"), r.name, csvNumber(r.value), r.standardError,
               r.ciLow, r.ciHigh, r.unit);
    }
    for (const FitParameterRow& r : s.derived) {
        csvRow(csv, QStringLiteral("derived"), r.name, csvNumber(r.value), r.standardError, r.ciLow,
               r.ciHigh, r.unit);
    }
    const std::pair<QString, const std::vector<FitMetricRow>*> groups[] = {
        {QStringLiteral("goodness"), &s.goodness},
        {QStringLiteral("backtest"), &s.backtest},
        {QStringLiteral("allocation"), &s.allocation}};
    for (const auto& [section, rows] : groups) {
        for (const FitMetricRow& r : *rows) {
            csvRow(csv, section, r.name, csvNumber(r.value), kMissing, kMissing, kMissing, r.unit);
        }
    }
    return csv;
}

QByteArray fitReportJson(const FitSummary& s) {
    QJsonObject o = toJson(s);
    o[QStringLiteral("stale")] = s.stale;
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

bool reportFormatForPath(const QString& path, ReportFormat* format) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("md") || suffix == QStringLiteral("markdown"))
        *format = ReportFormat::Markdown;
    else if (suffix == QStringLiteral("csv"))
        *format = ReportFormat::Csv;
    else if (suffix == QStringLiteral("json"))
        *format = ReportFormat::Json;
    else
        return false;
    return true;
}

QByteArray fitReport(const FitSummary& s, ReportFormat format) {
    switch (format) {
        case ReportFormat::Markdown:
            return fitReportMarkdown(s).toUtf8();
        case ReportFormat::Csv:
            return fitReportCsv(s).toUtf8();
        case ReportFormat::Json:
            return fitReportJson(s);
    }
    return {};
}

bool saveFitReport(const FitSummary& s, const QString& path, QString* error) {
    ReportFormat format;
    if (!reportFormatForPath(path, &format)) {
        if (error) {
            *error = QStringLiteral("%1: unknown report format (use .md, .csv or .json)")
                         .arg(QFileInfo(path).fileName());
        }
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    file.write(fitReport(s, format));
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace scalelens::ui
