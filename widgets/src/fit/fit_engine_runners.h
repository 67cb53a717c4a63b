// Per-engine parts of fit_engines.cpp (private to widgets/).
#pragma once

#include <vector>

#include "widgets/fit/fit_engines.h"

namespace scalelens::ui {

// Chinchilla, Kaplan and average-parameter laws (fitting/chinchilla_fit.h, avgparam_fit.h).
std::vector<FitLawInfo> chinchillaFamilyLaws();
FitSummary runChinchillaFamily(const FitJob& job, const fit::ProgressCallback& progress);
// A fit saved without a FitSummary (e.g. by another tool) but with the engine's JSON
// (datasets/fit_json.h): rebuilds the summary. False when the law or JSON is not understood.
bool summaryFromEngineJson(const QString& law, const QJsonObject& json, FitSummary* summary);

}  // namespace scalelens::ui
