#include "ceres_support.h"

namespace scalelens::fit::detail {

ceres::Solver::Options solverOptions(const SolverSettings& settings) {
    ceres::Solver::Options o;
    o.linear_solver_type = ceres::DENSE_QR;
    o.max_num_iterations = settings.maxIterations;
    o.function_tolerance = settings.functionTolerance;
    o.gradient_tolerance = settings.gradientTolerance;
    o.parameter_tolerance = settings.parameterTolerance;
    o.num_threads = 1;
    o.logging_type = ceres::SILENT;
    return o;
}

FitStatus statusFromCeres(ceres::TerminationType type) {
    switch (type) {
        case ceres::CONVERGENCE:
        case ceres::USER_SUCCESS:
            return FitStatus::Converged;
        case ceres::NO_CONVERGENCE:
            return FitStatus::NoConvergence;
        case ceres::USER_FAILURE:
            return FitStatus::Cancelled;
        case ceres::FAILURE:
            return FitStatus::Failed;
    }
    return FitStatus::Failed;
}

}  // namespace scalelens::fit::detail
