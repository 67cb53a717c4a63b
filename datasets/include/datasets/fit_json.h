// FitResult / FitOptions <-> JSON, shared by `scalelens-cli fit --json` and the project file
// (the GUI stores each fit as one JSON document).
//
// Result layout (keys are stable; absent optional values are JSON null):
//   { "law": "chinchilla", "loss": "huber", "status": "converged", "message": "...",
//     "n_points": 240, "objective": 1.018e-3, "seconds": 0.2, "iterations": 31,
//     "starts_converged": 4321, "starts_total": 4500,
//     "params": {"E": 1.8172, "A": 477.8, ...}, "stderr": {"E": 0.0257, ...},
//     "ci95": {"E": [lo, hi], ...}, "cov_stderr": {...},
//     "allocation": {"a": 0.514, "b": 0.486, "G": 0.107},
//     "derived": {"N_opt@1e+21": {"value": ..., "stderr": ..., "ci95": [lo, hi]}, ...},
//     "goodness": {"rmse_log": ..., "r2_log": ..., "rmse_linear": ..., "r2_linear": ...,
//                  "aic": ..., "bic": ..., "residuals_log": [...]},
//     "diagnostics": [{"code": "param_at_bound", "severity": "unreliable", "message": "..."}],
//     "param_flags": {"E": ["at_bound"], "A": ["ill_conditioned"]},  (only flagged params)
//     "covariance_well_conditioned": false, "hessian_condition_number": 1e7,
//     "bootstrap_resamples": 4000, "sigma": 0 }
// Status is one of not_run, converged, not_converged, failed, cancelled, unreliable. Files
// written before diagnostics existed (goodness of fit under "diagnostics") still read.
//
// Usage:
//   QJsonObject json = data::fitResultToJson(result);
//   fit::FitResult back; QString error;
//   if (!data::fitResultFromJson(json, &back, &error)) ...
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <fitting/allocation.h>
#include <fitting/chinchilla_fit.h>

namespace scalelens::data {

struct FitJsonOptions {
    bool includeResiduals = true;          // goodness.residuals_log
    bool includeBootstrapSamples = false;  // "bootstrap_samples": [[...], ...] (large)
};

QJsonObject fitResultToJson(const fit::FitResult& result, const FitJsonOptions& options = {});
// Reads what fitResultToJson wrote. Returns false and names the bad key in *error.
bool fitResultFromJson(const QJsonObject& json, fit::FitResult* result, QString* error = nullptr);

QJsonObject fitOptionsToJson(const fit::FitOptions& options);
// Missing keys keep their defaults; wrong types are an error naming the key.
bool fitOptionsFromJson(const QJsonObject& json, fit::FitOptions* options,
                        QString* error = nullptr);

// {"compute", "N_opt", "D_opt", "tokens_per_param", "loss", "a", "b", "G"}.
QJsonObject allocationToJson(const fit::Allocation& allocation);

// The diagnostics list of any result (fit::FitResultBase::diagnostics) as
// [{"code": ..., "severity": ..., "message": ...}], for every law's JSON output.
QJsonArray diagnosticsToJson(const std::vector<fit::Diagnostic>& diagnostics);
bool diagnosticsFromJson(const QJsonValue& json, std::vector<fit::Diagnostic>* out,
                         QString* error = nullptr);

}  // namespace scalelens::data
