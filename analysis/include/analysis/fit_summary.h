// FitSummary: what the fit panel, `scalelens-cli` and a fit report show, for any law.
//
// Each fitting engine (Chinchilla, Kaplan, IsoFLOP, average-parameter, densing, LR/batch,
// knowledge) returns its own result struct. The panel, the clipboard and the reports only need
// the same few tables from all of them: parameters with standard errors and 95% CIs, goodness of
// fit, back-test errors, derived quantities (the compute-optimal allocation), plus where the
// numbers came from (law, data, options, citation). fit_jobs.cpp converts each engine's result
// into this struct once, so adding a law never touches the panel or the report writers.
//
// Missing numbers are NaN inside the struct and are printed as an en dash, never as "nan".
#pragma once

#include <fitting/result.h>
#include <fitting/status.h>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <limits>
#include <vector>

namespace scalelens::analysis {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One fitted parameter (or a derived quantity such as a = β/(α+β)).
struct FitParameterRow {
    QString name;                     // Key used in JSON and CSV: "E", "alpha", "G", ...
    QString label;                    // Display form: "E", "α", "G"
    QString unit;                     // "nats/token", "" for dimensionless
    QString description;              // Tooltip: "irreducible loss"
    double value = kMissing;          // Best estimate
    double standardError = kMissing;  // Bootstrap SD or covariance SE; NaN when not computed
    double ciLow = kMissing;          // 95% CI lower bound (percentile bootstrap)
    double ciHigh = kMissing;         // 95% CI upper bound
    unsigned flags = 0;               // fit::EstimateFlag bits: at a bound, not identified, ...
};

// A named scalar with an explanation: RMSE, R², AIC, a back-test error, N_opt at a budget.
struct FitMetricRow {
    QString name;   // "rmse_log", "r2", "aic", "backtest_mape", "N_opt@1e21"
    QString label;  // "RMSE (log loss)"
    double value = kMissing;
    QString unit;  // "%", "params", ""
    QString note;  // How it is defined, e.g. "AIC = n ln(SSE/n) + 2k (Gaussian residuals)"
};

// A name/value pair describing the data or the options, kept as text for reports.
struct FitSetting {
    QString name;   // "loss", "delta", "bootstrap"
    QString label;  // "Loss"
    QString value;  // "huber", "1e-3", "4000"
};

struct FitSummary {
    // Identity of the law.
    QString lawId;     // "chinchilla", "kaplan", "isoflop", "average-param", "lr-bs", ...
    QString lawTitle;  // "Chinchilla parametric loss"
    QString formula;   // "L(N, D) = E + A/N^α + B/D^β"
    QString citation;  // "Hoffmann et al. 2022, Eq. 2; Besiroglu et al. 2024"

    // Outcome. Parameters are only meaningful when fit::isUsable(status).
    fit::FitStatus status = fit::FitStatus::NotRun;
    QString message = QStringLiteral("The fit was not run.");
    // Why the result may not be trusted (fitting/diagnostics.h), in the order found, plus the
    // selection's own (runs stopped mid-schedule left out, runs of several sweeps mixed). The
    // worst severity decides the banner, the views' note and whether a calculator may use it.
    std::vector<fit::Diagnostic> diagnostics;

    // Provenance.
    std::vector<FitSetting> data;     // selection, number of points, excluded points
    std::vector<FitSetting> options;  // loss, delta, grid, bootstrap, seed, outlier rule
    int nPoints = 0;                  // Points used by the fit (after outlier removal)
    double objective = kMissing;      // Value of the minimised objective
    double seconds = kMissing;        // Wall time of the fit
    QDateTime created;                // When the fit finished (UTC)

    // Results.
    std::vector<FitParameterRow> parameters;  // Fitted parameters
    std::vector<FitParameterRow> derived;     // Derived quantities with CIs (a, b, G, ...)
    std::vector<FitMetricRow> goodness;       // RMSE, R², AIC, BIC
    std::vector<FitMetricRow> backtest;       // Back-test errors (empty when not requested)
    std::vector<FitMetricRow> allocation;     // Compute-optimal plan at reference budgets

    // Project bookkeeping (not part of the science).
    qint64 fitId = -1;        // Id in the project's fits table; -1 until saved
    QString dataFingerprint;  // Project data fingerprint at fit time
    bool stale = false;       // The project's data changed since the fit
    // The engine's own result document (datasets/fit_json.h for Chinchilla/Kaplan), stored in
    // the project beside the summary so the plots and the CLI read the fit their usual way.
    // Empty for engines without one. Not part of toJson() or the reports.
    QJsonObject engineJson;

    bool usable() const { return fit::isUsable(status); }
    // Info when there are no diagnostics.
    fit::Severity worstSeverity() const;
    // True when a diagnostic of severity Warning or Unreliable was found.
    bool hasWarnings() const { return worstSeverity() != fit::Severity::Info; }
    // Looks up a parameter or derived row by name; nullptr when absent.
    const FitParameterRow* parameter(const QString& name) const;
};

// Adds `found` to the summary's diagnostics; a summary whose worst diagnostic is now
// Unreliable and that had numbers (Converged / NoConvergence) becomes Unreliable.
void addDiagnostics(const std::vector<fit::Diagnostic>& found, FitSummary* summary);

// One line per diagnostic, worst first: "[warning] few_points: 7 points for 5 parameters ...".
QStringList diagnosticLines(const FitSummary& summary, fit::Severity minimum = fit::Severity::Info);

// What a calculator must show beside a number computed from this fit: empty for a fit without
// warnings; "Unreliable fit: <first unreliable diagnostic>. ..." or "Fit warning: ..." else.
QString trustWarning(const FitSummary& summary);

// "at bound", "not identified", "ill-conditioned" joined with ", "; empty without flags.
QString flagText(unsigned flags);

// Results table as tab-separated text with a header row:
//   parameter  value  standard error  95% CI low  95% CI high  unit
// followed by the derived rows, a blank line and the goodness-of-fit rows. Numbers are printed
// with full precision (%.10g) in the C locale so a spreadsheet paste keeps them exact.
QString fitTableTsv(const FitSummary& summary);

// Lossless JSON form (used for the JSON report and stored next to the engine's own JSON in the
// project so a saved fit shows the same table when the project is reopened).
QJsonObject toJson(const FitSummary& summary);
// Returns false and sets `error` (naming the bad key) when the object is not a FitSummary.
bool fromJson(const QJsonObject& json, FitSummary* summary, QString* error = nullptr);

}  // namespace scalelens::analysis
