// Sibling runs for a curve forecast (issue 10): finished curves of the same set-up as the target
// that a loss-curve law can be fitted to jointly with the target's logged prefix. A prefix that
// has not decayed yet cannot pin the law's decay terms (laws.md G.3); a finished sibling that
// decayed can.
//
//   for (const data::Run& r : analysis::forecastSiblings(project, runId))
//       request.siblingRunIds.push_back(r.id);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <datasets/project.h>

namespace scalelens::analysis {

// Largest relative difference of parameter count between a sibling and the target: "same model
// size" up to rounding of the reported counts and small embedding differences.
inline constexpr double kSiblingParamTolerance = 0.05;

// Runs of the target's group, in the project's run order, that are: not the target, not
// excluded, not tagged stopped mid-schedule (analysis::stoppedMidSchedule), with a parameter
// count (total, else non-embedding, else active) within kSiblingParamTolerance of the target's
// (relative to the target's; a run without one never qualifies, nor does any run when the target
// has none), with at least kMinForecastPoints logged points of `metric` ("" = the project's loss
// metric), and with a logged LR curve (`lrMetric`) or a stored schedule. Empty when the target
// does not exist.
std::vector<data::Run> forecastSiblings(const data::Project& project, std::int64_t runId,
                                        const std::string& metric = {},
                                        const std::string& lrMetric = "lr");

}  // namespace scalelens::analysis
