// Diagnostics about which runs a fit used, as opposed to how the optimiser fared
// (fitting/diagnostics.h): they come from the selection, so the fitting layer cannot see them.
//
// Codes (stable; JSON "code"), of severity warning unless said:
//   stopped_excluded  runs tagged stopped-mid-schedule (datasets/run.h) were left out of the
//                     fit, with their count; the fit covers fewer runs than the sweep planned
//   stopped_included  runs stopped mid-schedule are in the fit (the selection asked for them):
//                     their final loss is not the end of their schedule
//   mixed_sweeps      the fitted runs come from several groups (sweeps): their losses, even
//                     under one metric name, may be measured on different data
//   forecast_losses   (info) "2 of 14 losses are forecasts": the selection included stored
//                     loss-curve forecasts (Selection::includeForecasts)
//   default_group     (info) no group was named and the fit used the project's default scaling
//                     sweep (law_inputs.h: defaultScalingSweep), the runs the views draw
//   pruned_excluded   (info) runs pruned during training (a sparsity schedule) were left out
//                     of a Chinchilla-family law (ndlInputs, isoflopInputs)
#pragma once

#include <fitting/result.h>
#include <vector>

#include "analysis/law_inputs.h"
#include "analysis/run_table.h"

namespace scalelens::analysis {

// Diagnostics of the rows `used` of `table` (the law's input rows after dropHighestLoss).
std::vector<fit::Diagnostic> selectionDiagnostics(const RunTable& table, const InputRows& used);

}  // namespace scalelens::analysis
