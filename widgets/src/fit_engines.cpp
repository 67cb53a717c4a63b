#include "widgets/fit_engines.h"

#include <cmath>

namespace scalelens::ui {

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
    // Filled as the engines land in fitting/ (Chinchilla, Kaplan, IsoFLOP, efficiency laws).
    static const std::vector<FitLawInfo> laws;
    return laws;
}

const FitLawInfo* findFitLaw(const QString& id) {
    for (const FitLawInfo& law : fitLaws()) {
        if (law.id == id)
            return &law;
    }
    return nullptr;
}

FitSummary runFitJob(const FitJob& job, const fit::ProgressCallback& progress) {
    (void)progress;
    FitSummary summary;
    summary.lawId = job.lawId;
    summary.status = fit::FitStatus::Failed;
    summary.message =
        QStringLiteral("No fitting engine for the law '%1' in this build.").arg(job.lawId);
    return summary;
}

}  // namespace scalelens::ui
