// Fits in the project file: how the fit panel (and the CLI) write a FitSummary into
// data::Project's fits table and how panels, the main window and the CLI read saved fits back.
//
// Layout of FitRecord::resultJson: the engine's own JSON where the engine has one (for the
// Chinchilla and Kaplan fits, datasets/fit_json.h, the same document `scalelens-cli fit --json`
// prints) plus the key "scalelens_summary" holding the FitSummary (fit_summary.h) the panel
// showed, so a reopened project shows exactly the same table.
//
// FitRecord::optionsJson holds the request (FitJob::request(): law, selection, loss metric,
// options) and FitRecord::dataFingerprint the digest of the inputs the fit used (digest.h), so
// fitIsStale() can rebuild the same inputs from the current data and compare.
//
//   std::vector<FitSummary> fits = savedFitSummaries(*document->project());   // newest first
//   if (auto p = chinchillaParams(fits.front())) calculators use *p;
#pragma once

#include <fitting/law.h>
#include <QJsonObject>
#include <optional>
#include <vector>

#include "analysis/fit_summary.h"

namespace scalelens::data {
class Project;
struct FitRecord;
}  // namespace scalelens::data

namespace scalelens::analysis {

// Builds the record to save. `engineJson` may be empty; `optionsJson` is stored as the options.
data::FitRecord fitRecordFromSummary(const FitSummary& summary, const QJsonObject& engineJson,
                                     const QJsonObject& optionsJson);
// Reads a saved record (fitId, stale and fingerprint are taken from the record). False with a
// message when the record has no readable summary.
// Note: record.stale compares against Project::dataFingerprint(); for fits saved with an input
// digest use fitIsStale() (savedFitSummaries does).
bool fitSummaryFromRecord(const data::FitRecord& record, FitSummary* summary,
                          QString* error = nullptr);
// True when the data the fit used changed since it was saved: for records whose fingerprint
// is an input digest ("sha256:..."), the inputs are rebuilt from the stored request and their
// digest compared (so swapping two losses marks the fit stale, and editing a run the fit did not
// use does not); for older records, record.stale.
bool fitIsStale(const data::Project& project, const data::FitRecord& record);

// Every readable saved fit, newest first (unreadable records are skipped), stale per fitIsStale.
std::vector<FitSummary> savedFitSummaries(const data::Project& project);

// The Chinchilla-form parameters (E, A, B, alpha, beta) of a usable fit, when it has them
// (laws "chinchilla" and "average-param").
std::optional<fit::ChinchillaParams> chinchillaParams(const FitSummary& summary);

// A fitted LR/batch law: ln lr = lrLogC + lrCoefN ln N + lrCoefD ln D,
// ln batchTokens = bsLogC + bsCoefD ln D (Li et al. 2025 form).
struct FittedHparamLaw {
    double lrLogC = 0, lrCoefN = 0, lrCoefD = 0;
    double bsLogC = 0, bsCoefD = 0;
};
// Present for usable "lr-bs" fits (parameter names lr_intercept, lr_coefN, lr_coefD,
// bs_intercept, bs_coefD as in the Step Law bootstrap CSV).
std::optional<FittedHparamLaw> fittedHparamLaw(const FitSummary& summary);

// A short label for lists: "chinchilla #3, 2026-11-26 06:10 (stale)".
QString fitDisplayName(const FitSummary& summary);

}  // namespace scalelens::analysis
