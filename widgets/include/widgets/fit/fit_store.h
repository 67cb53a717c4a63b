// The stored-fit format lives in analysis/ (analysis/fit_store.h) so the command line reads and
// writes saved fits the same way; these names keep the widgets' spelling.
#pragma once

#include <analysis/fit_store.h>

#include "widgets/fit/fit_summary.h"

namespace scalelens::ui {

using analysis::chinchillaParams;
using analysis::fitDisplayName;
using analysis::fitIsStale;
using analysis::fitRecordFromSummary;
using analysis::fitSummaryFromRecord;
using analysis::FittedHparamLaw;
using analysis::fittedHparamLaw;
using analysis::savedFitSummaries;

}  // namespace scalelens::ui
