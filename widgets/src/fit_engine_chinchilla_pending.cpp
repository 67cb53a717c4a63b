// Until fitting/'s Chinchilla engine (fitChinchilla) is linked into the build, the
// Chinchilla-family laws are not offered (fit_engine_chinchilla.cpp replaces this file).
#include "fit_engine_runners.h"

namespace scalelens::ui {

std::vector<FitLawInfo> chinchillaFamilyLaws() {
    return {};
}

FitSummary runChinchillaFamily(const FitJob& job, const fit::ProgressCallback&) {
    FitSummary s;
    s.status = fit::FitStatus::Failed;
    s.message = QStringLiteral("No fitting engine for the law '%1' in this build.").arg(job.lawId);
    return s;
}

bool summaryFromEngineJson(const QString&, const QJsonObject&, FitSummary*) {
    return false;
}

}  // namespace scalelens::ui
