// Running a law's fit on a selection of runs and turning the engine's result into a FitSummary:
// the one place the fit panel (widgets/) and `scalelens-cli` go through.
//
//   analysis::FitJob job;
//   QString error;
//   if (!analysis::prepareFitJob(project, "chinchilla", selection, options, &job, &error))
//       show(error);                                          // GUI thread: reads the project
//   FitSummary s = analysis::runFitJob(job, progress);        // any thread: no project access
//   s.dataFingerprint = job.inputDigest;                      // marks the fit stale later
//
// The law table (fitLaws) lists the engines the panel offers, in order.
#pragma once

#include <fitting/chinchilla_fit.h>
#include <fitting/status.h>
#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/fit_summary.h"
#include "analysis/grouping.h"
#include "analysis/law_inputs.h"
#include "analysis/run_table.h"

namespace scalelens::data {
class Project;
}

namespace scalelens::analysis {

struct FitLawInfo {
    QString id;                  // Stable id, same as `scalelens-cli fit --law`
    QString title;               // "Chinchilla L(N, D)"
    QString formula;             // "L = E + A/N^α + B/D^β"
    QString citation;            // "Hoffmann et al. 2022, Eq. 2"
    QString dataHint;            // What each run needs: "N (parameters), D (tokens) and final loss"
    bool usesLoss = false;       // Offers huber / ols / mle
    bool usesDelta = false;      // Offers the Huber δ
    bool usesGrid = false;       // Offers the start-grid density
    bool usesBootstrap = false;  // Offers a bootstrap resample count
    bool usesBacktest = false;   // Offers a back-test cutoff
};

// Laws the panel runs through runFitJob, in the order it lists them.
const std::vector<FitLawInfo>& fitLaws();
const FitLawInfo* findFitLaw(const QString& id);

// The fitting layer's own choices (fitting/chinchilla_fit.h), under the names the panel uses.
using StartGrid = fit::GridDensity;
using FitLoss = fit::LossKind;

// Options of a fit. In-class defaults are the published procedure's.
struct FitJobOptions {
    FitLoss loss = FitLoss::Huber;          // Huber on log loss (Hoffmann 2022), OLS, or Huber MLE
    double delta = 1e-3;                    // Huber δ on log-loss residuals (Hoffmann 2022: 1e-3)
    StartGrid grid = StartGrid::Published;  // Multi-start grid density
    int bootstrap = 0;                      // Bootstrap resamples for SEs and CIs; 0 = none
    std::uint64_t seed = 42;                // Bootstrap seed, so a saved fit can be reproduced
    int dropHighestLoss = 0;                // Outlier rule: drop the K highest-loss points first
                                            // (Besiroglu et al. 2024 drop 5 of 245)
    double backtestCutoff = 0.0;            // Back-test: fit on runs with C below this (FLOP),
                                            // predict those above; 0 = no back-test
    Grouping grouping;                      // IsoFLOP budgets and LR x batch (N, D) groups

    // False with the name of the first bad field in `error`.
    bool isValid(QString* error) const;
    QJsonObject toJson() const;
    // Missing keys keep their defaults.
    static FitJobOptions fromJson(const QJsonObject& json);
};

// A fit ready to run: the law, its options and the law's inputs, copied out of the project.
struct FitJob {
    QString lawId;
    FitJobOptions options;
    Selection selection;
    NdlInputs ndl;                            // chinchilla, kaplan
    IsoFlopInputs isoflop;                    // isoflop
    AvgParamInputs avgParam;                  // average-param
    LrBsInputs lrBs;                          // lr-bs
    std::vector<FitSetting> dataDescription;  // How the points were selected (for the report)
    std::string inputDigest;                  // digest.h: inputs + options; stored with the fit
    // selection_diagnostics.h: runs stopped mid-schedule left out, sweeps mixed. runFitJob adds
    // them to the summary's diagnostics.
    std::vector<fit::Diagnostic> selectionDiagnostics;
    // The options and selection as stored in the project with the fit (fit_store.h), so the
    // staleness check can rebuild the same inputs.
    QJsonObject request() const;
};

// Builds the law's inputs from `table` (drop-highest-loss applied) and the digest. False with a
// message (naming the option for a bad drop-highest-loss) when the law is unknown or no run has
// what it needs.
bool prepareFitJob(const RunTable& table, const QString& lawId, const FitJobOptions& options,
                   FitJob* job, QString* error);
// Loads the selection from the project (GUI thread), then as above.
bool prepareFitJob(const data::Project& project, const QString& lawId, const Selection& selection,
                   const FitJobOptions& options, FitJob* job, QString* error);

// Runs the fit (blocking; call it on a worker thread). `progress` may cancel. Always returns a
// summary with a status and a message; never throws. summary.dataFingerprint = job.inputDigest.
FitSummary runFitJob(const FitJob& job, const fit::ProgressCallback& progress = {});

// A Chinchilla/Kaplan FitResult as summary rows (parameters, derived, goodness, allocation).
void fillSummary(const fit::FitResult& result, FitSummary* summary);
// A fit saved without a FitSummary (e.g. by another tool) but with the engine's JSON
// (datasets/fit_json.h): rebuilds the summary. False when the law or JSON is not understood.
bool summaryFromEngineJson(const QString& law, const QJsonObject& json, FitSummary* summary);

}  // namespace scalelens::analysis
