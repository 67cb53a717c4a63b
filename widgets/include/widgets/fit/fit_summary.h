// FitSummary lives in analysis/ (analysis/fit_summary.h) so the command line can use it too;
// these names keep the widgets' spelling.
#pragma once

#include <analysis/fit_summary.h>

namespace scalelens::ui {

using analysis::FitMetricRow;
using analysis::FitParameterRow;
using analysis::FitSetting;
using analysis::FitSummary;
using analysis::fitTableTsv;
using analysis::fromJson;
using analysis::kMissing;
using analysis::toJson;

}  // namespace scalelens::ui
