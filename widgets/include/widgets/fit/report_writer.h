// Fit reports: one fit as Markdown (for a lab notebook or a PR), CSV (for a spreadsheet) or JSON
// (for scripts), with the law, the data, the options, the parameters with standard errors and 95%
// CIs, goodness of fit, back-test errors, the compute-optimal allocation and the citation.
//
//   QString error;
//   if (!saveFitReport(summary, QStringLiteral("/tmp/fit.md"), &error)) ...   // format from suffix
//
// The writers are pure functions of a FitSummary (fit_summary.h), so the fit panel, the main
// window (File > Export > Fit report) and tests share them.
#pragma once

#include <QByteArray>
#include <QString>

#include "widgets/fit/fit_summary.h"

namespace scalelens::ui {

enum class ReportFormat { Markdown, Csv, Json };

// Markdown with a title, a provenance list, GitHub-style tables and the citation.
QString fitReportMarkdown(const FitSummary& summary);
// CSV (RFC 4180, comma, C locale, full precision) with one row per quantity:
//   section,name,value,stderr,ci95_low,ci95_high,unit
// sections: law, data, option, parameter, derived, goodness, backtest, allocation.
QString fitReportCsv(const FitSummary& summary);
// Indented JSON document (the FitSummary JSON form, see fit_summary.h).
QByteArray fitReportJson(const FitSummary& summary);

// Format from a file suffix: .md/.markdown, .csv, .json; false for anything else.
bool reportFormatForPath(const QString& path, ReportFormat* format);
// The report in `format` as UTF-8 bytes.
QByteArray fitReport(const FitSummary& summary, ReportFormat format);
// Writes atomically (QSaveFile) in the format given by the suffix. Returns false with a message
// naming the file on an unknown suffix or an I/O error.
bool saveFitReport(const FitSummary& summary, const QString& path, QString* error = nullptr);

}  // namespace scalelens::ui
