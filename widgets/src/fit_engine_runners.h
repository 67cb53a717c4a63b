// Per-engine parts of fit_engines.cpp (private to widgets/).
#pragma once

#include <vector>

#include "widgets/fit_engines.h"

namespace scalelens::ui {

// Chinchilla, Kaplan and average-parameter laws (fitting/chinchilla_fit.h, avgparam_fit.h).
std::vector<FitLawInfo> chinchillaFamilyLaws();
FitSummary runChinchillaFamily(const FitJob& job, const fit::ProgressCallback& progress);

}  // namespace scalelens::ui
