// Per-engine parts of fit_jobs.cpp (private to analysis/).
#pragma once

#include <QString>
#include <vector>

#include "analysis/fit_jobs.h"

namespace scalelens::analysis {

// Chinchilla, Kaplan, IsoFLOP and average-parameter laws (fit_jobs_chinchilla.cpp).
std::vector<FitLawInfo> chinchillaFamilyLaws();
FitSummary runChinchillaFamily(const FitJob& job, const fit::ProgressCallback& progress);

// 1e21, 5.76e23, 9.1656e-4: %.4g without "+" or leading exponent zeros (as papers write it).
QString sci(double value);

}  // namespace scalelens::analysis
