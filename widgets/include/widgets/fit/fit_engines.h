// The bridge between the fit panel and the fitting engines in fitting/.
//
// The panel knows laws only through FitLawInfo and runs them only through runFitJob(), which
// calls the engine, then converts the engine's result into a FitSummary (fit_summary.h). A law is
// listed once its engine is part of the build; nothing is listed (and nothing is faked) before.
//
//   FitJob job;
//   job.lawId = QStringLiteral("chinchilla");
//   job.points = collectFitPoints(project, selection, &error);
//   FitSummary s = runFitJob(job, [&](double f) { return !cancelled; });   // worker thread
#pragma once

#include <fitting/status.h>
#include <QString>
#include <cstdint>
#include <vector>

#include "widgets/fit/fit_summary.h"

namespace scalelens::data {
class Project;
}

namespace scalelens::ui {

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

// Laws whose engines are in this build, in the order the panel lists them.
const std::vector<FitLawInfo>& fitLaws();
const FitLawInfo* findFitLaw(const QString& id);

// Density of the multi-start grid of the Chinchilla-form fits.
enum class StartGrid {
    Published,  // α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}: 4,500 starts
    Coarse,  // Every other value of the published grid: faster, for exploring
    Fine,    // Half the published step: for hard data
};

enum class FitLoss { Huber, Ols, Mle };

// Options the panel edits. In-class defaults are the published procedure's.
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

    // False with the name of the first bad field in `error`.
    bool isValid(QString* error) const;
};

// Plain per-run data copied out of the project on the GUI thread. Missing values are NaN.
struct FitPoints {
    std::vector<std::int64_t> runIds;
    std::vector<QString> runNames;
    std::vector<double> params;        // N: total parameters
    std::vector<double> nonEmbedding;  // non-embedding parameters (LR/batch laws); NaN = unknown
    std::vector<double> avgParams;     // N̄ from the run's pruning schedule (= N when dense)
    std::vector<double> finalParams;   // non-zero parameters at the end (= N when dense)
    std::vector<double> tokens;        // D: training tokens
    std::vector<double> flops;         // C: training FLOPs
    std::vector<double> loss;          // final (smoothed) loss
    std::vector<double> learningRate;  // peak LR
    std::vector<double> batchTokens;   // batch size in tokens
    std::size_t size() const { return runIds.size(); }
};

struct FitJob {
    QString lawId;
    FitJobOptions options;
    FitPoints points;
    std::vector<FitSetting> dataDescription;  // How the points were selected (for the report)
};

// Which runs a fit uses.
struct FitDataSelection {
    enum class Kind { AllIncluded, Group, Selected };
    Kind kind = Kind::AllIncluded;
    QString group;                   // Kind::Group: the sweep/group name
    std::vector<std::int64_t> runs;  // Kind::Selected: run ids (excluded runs still skipped)
    QString lossMetric = QStringLiteral("loss");  // metric whose final value is the loss
};

// Copies the selected, included runs out of the project (GUI thread). Runs without a final
// value of the loss metric are skipped and counted in the data description. False with a message
// when the selection holds no run at all.
bool collectFitPoints(const data::Project& project, const FitDataSelection& selection, FitJob* job,
                      QString* error);

// Runs the fit (blocking; call it on a worker thread). `progress` may cancel. Always returns a
// summary with a status and a message; never throws.
FitSummary runFitJob(const FitJob& job, const fit::ProgressCallback& progress);

}  // namespace scalelens::ui
