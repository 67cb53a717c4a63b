// A small dense Levenberg-Marquardt for objectives that supply their own Gauss-Newton
// curvature (for the Chinchilla Huber fit: the IRLS matrix, see src/chinchilla_residuals.h).
// Header-only; plain C++ and Eigen.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace scalelens::fit {

struct LmOptions {
    int maxIterations = 200;
    double functionTolerance = 1e-10;   // relative change of the objective
    double parameterTolerance = 1e-10;  // |dx| < tol (|x| + tol)
    double gradientTolerance = 1e-16;   // max |g|
};

struct LmSummary {
    double cost = 0;
    int iterations = 0;
    bool converged = false;
    bool finite = false;
};

// Levenberg-Marquardt (Marquardt's diagonal scaling, Nielsen's damping update) on an
// objective that supplies cost, gradient and a Gauss-Newton matrix:
//   bool f.evaluate(const Vec& x, double* cost, Vec* gradient, Mat* hessian) const
// returns false when x is infeasible (the step is rejected); gradient and hessian may be null
// for a cost-only evaluation. Vec is an Eigen column vector (fixed or dynamic size), Mat the
// square matrix of the same size. For least squares, cost = 1/2 sum r^2, gradient = J^T r and
// hessian = J^T J. Used by the Chinchilla multi-start and bootstrap; tested on its own against
// the NIST StRD nonlinear regression problems (tests/fitting/test_levenberg_marquardt.cpp).
template <class Objective, class Vec>
LmSummary solveLm(const Objective& f, const LmOptions& o, Vec* x) {
    constexpr int kRows = Vec::RowsAtCompileTime;
    using Mat = Eigen::Matrix<double, kRows, kRows>;
    const Eigen::Index n = x->size();
    LmSummary out;
    double cost = 0;
    Vec g = Vec::Zero(n);
    Mat H = Mat::Zero(n, n);
    if (!f.evaluate(*x, &cost, &g, &H))
        return out;
    out.finite = true;
    double lambda = 1e-3, nu = 2.0;
    for (out.iterations = 0; out.iterations < o.maxIterations; ++out.iterations) {
        if (g.cwiseAbs().maxCoeff() < o.gradientTolerance) {
            out.converged = true;
            break;
        }
        Mat A = H;
        for (Eigen::Index i = 0; i < n; ++i)
            A(i, i) += lambda * std::max(H(i, i), 1e-12);
        const Vec dx = A.ldlt().solve(-g);
        if (!dx.allFinite()) {
            lambda *= nu;
            nu *= 2;
            continue;
        }
        if (dx.norm() < o.parameterTolerance * (x->norm() + o.parameterTolerance)) {
            out.converged = true;
            break;
        }
        const Vec xNew = *x + dx;
        // Evaluate gradient and curvature at the trial point too: most steps are accepted,
        // and the fused loop costs little more than the objective alone.
        double costNew = 0;
        Vec gNew = Vec::Zero(n);
        Mat HNew = Mat::Zero(n, n);
        const bool ok = f.evaluate(xNew, &costNew, &gNew, &HNew);
        const double predicted = -(g.dot(dx) + 0.5 * dx.dot(H * dx));
        const double actual = cost - costNew;
        if (ok && actual > 0 && predicted > 0) {
            const double rho = actual / predicted;
            *x = xNew;
            const bool small = actual <= o.functionTolerance * cost;
            cost = costNew;
            g = gNew;
            H = HNew;
            if (small) {
                out.converged = true;
                ++out.iterations;
                break;
            }
            const double t = 2 * rho - 1;
            lambda *= std::max(1.0 / 3.0, 1.0 - t * t * t);
            nu = 2;
        } else {
            if (ok && std::abs(actual) <= o.functionTolerance * cost && lambda > 1e8) {
                out.converged = true;
                break;
            }
            lambda *= nu;
            nu *= 2;
        }
    }
    out.cost = cost;
    return out;
}

}  // namespace scalelens::fit
