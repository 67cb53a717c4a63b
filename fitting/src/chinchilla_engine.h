// Building blocks of the Chinchilla fitter shared by fitChinchilla, the bootstrap and the
// back-test (internal header).
#pragma once

#include <Eigen/Core>
#include <atomic>
#include <string>
#include <vector>

#include "chinchilla_residuals.h"
#include "fitting/chinchilla_fit.h"

namespace scalelens::fit::detail {

// Checks finiteness, positivity, weights, the point count and that x1 and x2 each take at
// least two distinct values. Sets a message naming the first problem.
bool validateObservations(const std::vector<Observation>& data, int nParams, std::string* error);

PreparedData prepare(const std::vector<Observation>& data);

Vec5 toInternal(const ChinchillaParams& p);
ChinchillaParams toNatural(const Vec5& x);

struct StartOutcome {
    Vec5 x = Vec5::Zero();
    double cost = 0;  // objective (Huber sum or OLS half-sum)
    int iterations = 0;
    bool converged = false;
    bool finite = false;
};

// One Levenberg-Marquardt run (IRLS curvature, see chinchilla_residuals.h) from x0 on the given
// points/weights.
StartOutcome solveFrom(const PreparedData& d, const std::vector<int>& points,
                       const std::vector<double>& weights, bool huber, double delta, const Vec5& x0,
                       const FitOptions& options, double functionTolerance, int maxIterations);

struct MultiStartOutcome {
    StartOutcome best;
    int converged = 0;
    int total = 0;
    bool cancelled = false;
};

// Stage 1: every grid start to options.coarseFunctionTolerance; stage 2: refine the
// options.refineCandidates best distinct end points to options.functionTolerance. Runs on
// options.threads threads. `progress(done, total)` returns false to
// cancel; it is called from worker threads.
template <class Progress>
MultiStartOutcome multiStart(const PreparedData& d, bool huber, double delta,
                             const FitOptions& options, Progress&& progress);

// Polishes x with ceres::Solver on the full problem (HuberLoss(delta) or plain squares).
// Returns the final cost and adds the iterations; leaves x unchanged if it gets worse.
double polish(const PreparedData& d, bool huber, double delta, Vec5* x, int* iterations,
              bool* converged);

// Huber-likelihood MLE with a free scale (Besiroglu et al. 2024): minimises
//   sum_i w_i Huber_delta(r_i / sigma) + W log sigma + W log Z(delta),
//   Z(delta) = sqrt(2 pi)(1 - 2 Phi-bar(delta)) + 2 exp(-delta^2/2)/delta,
// over (a, b, e, alpha, beta, log sigma) with ceres' BFGS from x. Returns the NLL.
double fitMle(const PreparedData& d, const std::vector<int>& points,
              const std::vector<double>& weights, double delta, Vec5* x, double* sigma,
              int* iterations, bool* converged);

struct CovarianceInfo {
    bool computed = false;  // Ceres computed the covariance (false when it is singular)
    Eigen::Matrix<double, 5, 5> cov = Eigen::Matrix<double, 5, 5>::Zero();
    // Condition number of the Gauss-Newton Hessian in log space, with log N and log D centred
    // and the matrix scaled to unit diagonal (inf when singular).
    double condition = 0;
    // Eigenvectors of the eigenvalues more than `conditionLimit` below the largest, written as
    // combinations of the fitted parameters, e.g. "0.71 log A - 0.70 log B".
    std::vector<std::string> weakDirections;
};

// Covariance of x at the optimum (Ceres, DENSE_SVD), scaled by s^2 = 2 cost / (n - k), and
// the conditioning of the problem. The covariance is computed whatever the condition number;
// the caller flags it when the condition exceeds its limit.
CovarianceInfo covarianceAt(const PreparedData& d, bool huber, double delta, const Vec5& x,
                            double cost, double conditionLimit);

// Fills res->diagnostics (diagnostics.h) for a Chinchilla or Kaplan fit of `data`, flags the
// estimates at a bound, and moves the status to Unreliable when a diagnostic says so.
void diagnoseLawFit(const std::vector<Observation>& data, const FitOptions& options,
                    const std::vector<std::string>& weakDirections, FitResult* res);

}  // namespace scalelens::fit::detail

#include "chinchilla_engine_impl.h"
