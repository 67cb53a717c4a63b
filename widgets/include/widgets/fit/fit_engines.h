// The fit panel's engines live in analysis/ (analysis/fit_jobs.h): the panel prepares a FitJob
// from the project and a selection on the GUI thread and runs it on a worker. These names keep
// the widgets' spelling.
#pragma once

#include <analysis/fit_jobs.h>

#include "widgets/fit/fit_summary.h"

namespace scalelens::ui {

using analysis::findFitLaw;
using analysis::FitJob;
using analysis::FitJobOptions;
using analysis::FitLawInfo;
using analysis::fitLaws;
using analysis::FitLoss;
using analysis::prepareFitJob;
using analysis::runFitJob;
using analysis::StartGrid;

}  // namespace scalelens::ui
