// Outcome of any fit, and the progress/cancel hook every long computation takes.
//
// Modelled on ceres::Solver::Summary: a result starts as NotRun with a message that says
// so, and only the fitter moves it to another state. Callers branch on the enum and show
// the message; they never compare strings.
#pragma once

#include <functional>
#include <string_view>

namespace scalelens::fit {

enum class FitStatus {
    NotRun,         // The fitter was not called; parameters are meaningless.
    Converged,      // The optimiser met its tolerances; parameters are usable.
    NoConvergence,  // Stopped at the iteration/time limit; parameters are the best seen.
    Failed,         // Input or numerics made the fit impossible; see the message.
    Cancelled,      // The progress callback asked to stop; parameters are the best seen.
    Unreliable,     // The optimiser finished, but a diagnostic of severity Unreliable says the
                    // numbers must not be used as they are (see FitResultBase::diagnostics).
};

// Stable lower-case names used in JSON output and the project file.
std::string_view toString(FitStatus status);

// True when the parameters can be shown as a result (Converged, NoConvergence or Unreliable).
// Unreliable results are shown with their diagnostics but never fed silently to a calculator:
// check isTrustworthy() for that.
inline bool isUsable(FitStatus status) {
    return status == FitStatus::Converged || status == FitStatus::NoConvergence ||
           status == FitStatus::Unreliable;
}

// True when the result can be used without reading its diagnostics (Converged only).
inline bool isTrustworthy(FitStatus status) {
    return status == FitStatus::Converged;
}

// Called with the completed fraction in [0, 1]. Return false to cancel; the computation
// then stops at the next safe point and reports FitStatus::Cancelled. May be called from
// worker threads, so it must be thread-safe. An empty function means "no progress, never
// cancel".
using ProgressCallback = std::function<bool(double fraction)>;

}  // namespace scalelens::fit
