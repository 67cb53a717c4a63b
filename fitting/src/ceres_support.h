// The one place that turns our tolerances into ceres::Solver::Options and Ceres' termination
// types into FitStatus (internal header).
#pragma once

#include <ceres/solver.h>
#include <ceres/types.h>

#include "fitting/status.h"

namespace scalelens::fit::detail {

// What differs between our Ceres solves; everything else is fixed: trust-region
// Levenberg-Marquardt, DENSE_QR (the problems are small and dense), one thread, silent.
struct SolverSettings {
    int maxIterations = 500;
    double functionTolerance = 1e-12;   // ceres function_tolerance (relative cost change)
    double gradientTolerance = 1e-14;   // ceres gradient_tolerance
    double parameterTolerance = 1e-12;  // ceres parameter_tolerance
};

ceres::Solver::Options solverOptions(const SolverSettings& settings);

// CONVERGENCE and USER_SUCCESS -> Converged; NO_CONVERGENCE -> NoConvergence (iteration or
// time limit, parameters are the best seen); USER_FAILURE -> Cancelled (a callback asked to
// stop); FAILURE -> Failed.
FitStatus statusFromCeres(ceres::TerminationType type);

inline bool ceresConverged(ceres::TerminationType type) {
    return statusFromCeres(type) == FitStatus::Converged;
}

}  // namespace scalelens::fit::detail
