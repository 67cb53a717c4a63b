#include "chinchilla_engine.h"

#include <ceres/ceres.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <set>

#include "ceres_support.h"
#include "fitting/law.h"

namespace scalelens::fit::detail {

namespace {

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

// One point's log residual through the shared law template (autodiff for the polish,
// the covariance and the MLE).
struct PointResidual {
    PointResidual(double logX1, double logX2, double logL) : m_x1(logX1), m_x2(logX2), m_l(logL) {}
    template <typename T>
    bool operator()(const T* x, T* r) const {
        r[0] = chinchillaLogLossLse(T(m_x1), T(m_x2), x[0], x[1], x[2], x[3], x[4]) - T(m_l);
        return true;
    }
    static ceres::CostFunction* create(double logX1, double logX2, double logL) {
        return new ceres::AutoDiffCostFunction<PointResidual, 1, 5>(
            new PointResidual(logX1, logX2, logL));
    }
    double m_x1, m_x2, m_l;
};

// Builds the full least-squares problem whose cost is exactly the Huber (or OLS) objective:
// ceres' HuberLoss gives 1/2 rho(r^2) = r^2/2 or delta|r| - delta^2/2 (the notebook's Huber).
void buildProblem(const PreparedData& d, bool huber, double delta, double* x,
                  ceres::Problem* problem) {
    for (int i = 0; i < d.size(); ++i) {
        ceres::LossFunction* loss = huber ? new ceres::HuberLoss(delta) : nullptr;
        if (d.weight[i] != 1.0)
            loss = new ceres::ScaledLoss(loss, d.weight[i], ceres::TAKE_OWNERSHIP);
        problem->AddResidualBlock(PointResidual::create(d.logX1[i], d.logX2[i], d.logL[i]), loss,
                                  x);
    }
}

}  // namespace

bool validateObservations(const std::vector<Observation>& data, int nParams, std::string* error) {
    if (static_cast<int>(data.size()) < nParams)
        return fail(error, "need at least " + std::to_string(nParams) + " points to fit " +
                               std::to_string(nParams) + " parameters, got " +
                               std::to_string(data.size()));
    std::set<double> x1s, x2s;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const Observation& o = data[i];
        const std::string where = "point " + std::to_string(i + 1) + ": ";
        if (!std::isfinite(o.x1) || !std::isfinite(o.x2) || !std::isfinite(o.loss) ||
            !std::isfinite(o.weight))
            return fail(error, where + "N, D, loss and weight must be finite (got NaN or inf)");
        if (o.x1 <= 0)
            return fail(error, where + "N must be > 0");
        if (o.x2 <= 0)
            return fail(error, where + "D must be > 0");
        if (o.loss <= 0)
            return fail(error, where + "loss must be > 0");
        if (o.weight <= 0)
            return fail(error, where + "weight must be > 0");
        x1s.insert(o.x1);
        x2s.insert(o.x2);
    }
    if (x1s.size() < 2)
        return fail(error, "all points have the same N; the N term cannot be identified");
    if (x2s.size() < 2)
        return fail(error, "all points have the same D; the D term cannot be identified");
    return true;
}

PreparedData prepare(const std::vector<Observation>& data) {
    PreparedData d;
    for (const Observation& o : data) {
        d.logX1.push_back(std::log(o.x1));
        d.logX2.push_back(std::log(o.x2));
        d.logL.push_back(std::log(o.loss));
        d.weight.push_back(o.weight);
    }
    return d;
}

Vec5 toInternal(const ChinchillaParams& p) {
    Vec5 x;
    x << std::log(p.A), std::log(p.B), std::log(p.E), p.alpha, p.beta;
    return x;
}

ChinchillaParams toNatural(const Vec5& x) {
    return {std::exp(x[2]), std::exp(x[0]), std::exp(x[1]), x[3], x[4]};
}

StartOutcome solveFrom(const PreparedData& d, const std::vector<int>& points,
                       const std::vector<double>& weights, bool huber, double delta, const Vec5& x0,
                       const FitOptions& options, double functionTolerance, int maxIterations) {
    const ChinchillaObjective f(d, points, weights, huber, delta);
    LmOptions lm;
    lm.maxIterations = maxIterations;
    lm.functionTolerance = functionTolerance;
    lm.parameterTolerance = options.parameterTolerance;
    Vec5 x = x0;
    const LmSummary summary = solveLm(f, lm, &x);
    StartOutcome out;
    out.x = x;
    out.cost = summary.cost;
    out.iterations = summary.iterations;
    out.finite = summary.finite && std::isfinite(out.cost) && x.allFinite();
    out.converged = out.finite && summary.converged;
    return out;
}

double polish(const PreparedData& d, bool huber, double delta, Vec5* x, int* iterations,
              bool* converged) {
    Vec5 trial = *x;
    ceres::Problem problem;
    buildProblem(d, huber, delta, trial.data(), &problem);
    double before = 0;
    problem.Evaluate(ceres::Problem::EvaluateOptions(), &before, nullptr, nullptr, nullptr);
    ceres::Solver::Summary summary;
    ceres::Solve(solverOptions({500, 1e-16, 1e-16, 1e-16}), &problem, &summary);
    *iterations += static_cast<int>(summary.iterations.size());
    *converged = ceresConverged(summary.termination_type);
    if (summary.IsSolutionUsable() && trial.allFinite() && summary.final_cost <= before) {
        *x = trial;
        return summary.final_cost;
    }
    *converged = false;
    return before;
}

namespace {

double logHuberNormaliser(double delta) {
    const double sf = 0.5 * std::erfc(delta / std::sqrt(2.0));
    return std::log(std::sqrt(2.0 * std::numbers::pi) * (1.0 - 2.0 * sf) +
                    2.0 * std::exp(-0.5 * delta * delta) / delta);
}

struct MleObjective {
    MleObjective(const PreparedData& d, const std::vector<int>& points,
                 const std::vector<double>& weights, double delta)
        : m_d(d), m_points(points), m_weights(weights), m_delta(delta) {
        for (const double w : weights)
            m_totalWeight += w;
        m_logZ = logHuberNormaliser(delta);
    }
    template <typename T>
    bool operator()(const T* x, T* cost) const {
        using std::abs;
        using std::exp;
        const T sigma = exp(x[5]);
        T sum = T(0.0);
        for (std::size_t k = 0; k < m_points.size(); ++k) {
            const int i = m_points[k];
            const T r = (chinchillaLogLossLse(T(m_d.logX1[i]), T(m_d.logX2[i]), x[0], x[1], x[2],
                                              x[3], x[4]) -
                         T(m_d.logL[i])) /
                        sigma;
            const T ar = abs(r);
            const T h = ar <= T(m_delta) ? T(0.5) * r * r : T(m_delta) * (ar - T(0.5 * m_delta));
            sum += T(m_weights[k]) * h;
        }
        cost[0] = sum + T(m_totalWeight) * (x[5] + T(m_logZ));
        return true;
    }
    const PreparedData& m_d;
    const std::vector<int>& m_points;
    const std::vector<double>& m_weights;
    double m_delta;
    double m_totalWeight = 0;
    double m_logZ = 0;
};

}  // namespace

double fitMle(const PreparedData& d, const std::vector<int>& points,
              const std::vector<double>& weights, double delta, Vec5* x, double* sigma,
              int* iterations, bool* converged) {
    // Start sigma at the Laplace-limit profile optimum: for |r|/sigma >> delta the NLL is
    // delta sum|r|/sigma + W log sigma, minimised at sigma = delta sum w|r| / W.
    double absSum = 0, wSum = 0;
    for (std::size_t k = 0; k < points.size(); ++k) {
        const int i = points[k];
        const double r = chinchillaLogLossLse(d.logX1[i], d.logX2[i], (*x)[0], (*x)[1], (*x)[2],
                                              (*x)[3], (*x)[4]) -
                         d.logL[i];
        absSum += weights[k] * std::abs(r);
        wSum += weights[k];
    }
    double p[6] = {(*x)[0], (*x)[1], (*x)[2],
                   (*x)[3], (*x)[4], std::log(std::max(delta * absSum / wSum, 1e-300))};
    ceres::GradientProblem problem(new ceres::AutoDiffFirstOrderFunction<MleObjective, 6>(
        new MleObjective(d, points, weights, delta)));
    ceres::GradientProblemSolver::Options opt;
    opt.line_search_direction_type = ceres::BFGS;
    opt.max_num_iterations = 5000;
    opt.function_tolerance = 1e-15;
    opt.gradient_tolerance = 1e-12;
    opt.parameter_tolerance = 1e-15;
    opt.logging_type = ceres::SILENT;
    ceres::GradientProblemSolver::Summary summary;
    ceres::Solve(opt, problem, p, &summary);
    *iterations += static_cast<int>(summary.iterations.size());
    *converged = ceresConverged(summary.termination_type);
    for (int i = 0; i < 5; ++i)
        (*x)[i] = p[i];
    *sigma = std::exp(p[5]);
    return summary.final_cost;
}

CovarianceInfo covarianceAt(const PreparedData& d, bool huber, double delta, const Vec5& x,
                            double cost, double conditionLimit) {
    CovarianceInfo info;
    Vec5 xc = x;
    ceres::Problem problem;
    buildProblem(d, huber, delta, xc.data(), &problem);
    // Condition number of the Gauss-Newton Hessian J^T J of the robustified problem.
    ceres::CRSMatrix jac;
    problem.Evaluate(ceres::Problem::EvaluateOptions(), nullptr, nullptr, nullptr, &jac);
    Eigen::MatrixXd J = Eigen::MatrixXd::Zero(jac.num_rows, jac.num_cols);
    for (int r = 0; r < jac.num_rows; ++r)
        for (int k = jac.rows[r]; k < jac.rows[r + 1]; ++k)
            J(r, jac.cols[k]) = jac.values[k];
    // Centre log N and log D (a' = a - alpha mean log N, likewise b') so the intercept-slope
    // correlation that comes only from where log N = 0 lies does not count as ill-conditioning.
    double m1 = 0, m2 = 0;
    for (int i = 0; i < d.size(); ++i) {
        m1 += d.logX1[i];
        m2 += d.logX2[i];
    }
    J.col(3) += (m1 / d.size()) * J.col(0);
    J.col(4) += (m2 / d.size()) * J.col(1);
    Eigen::Matrix<double, 5, 5> H = J.transpose() * J;
    // Scale to unit diagonal first, so the number measures correlation (a flat valley), not
    // the different units of log A and alpha.
    const Eigen::Matrix<double, 5, 1> scale =
        H.diagonal().cwiseMax(1e-300).cwiseSqrt().cwiseInverse();
    H = scale.asDiagonal() * H * scale.asDiagonal();
    Eigen::SelfAdjointEigenSolver<Eigen::Matrix<double, 5, 5>> eig(H);
    const double lo = eig.eigenvalues().minCoeff();
    const double hi = eig.eigenvalues().maxCoeff();
    info.condition = lo > 0 ? hi / lo : HUGE_VAL;
    // Parameter combinations that the data barely constrain (eigenvalues are ascending).
    static const char* const kNames[5] = {"log A", "log B", "log E", "alpha", "beta"};
    for (int k = 0; k < 5; ++k) {
        const double lambda = eig.eigenvalues()[k];
        if (lambda > 0 && hi / lambda <= conditionLimit)
            break;
        const Eigen::Matrix<double, 5, 1> v = eig.eigenvectors().col(k);
        const int big = [&] {
            int i = 0;
            v.cwiseAbs().maxCoeff(&i);
            return i;
        }();
        const double sign = v[big] < 0 ? -1.0 : 1.0;
        std::string text;
        for (int i = 0; i < 5; ++i) {
            const double c = sign * v[i];
            if (std::abs(c) < 0.3)
                continue;
            char buf[48];
            std::snprintf(buf, sizeof buf, "%s%.2f %s", text.empty() ? "" : (c < 0 ? " - " : " + "),
                          text.empty() ? c : std::abs(c), kNames[i]);
            text += buf;
        }
        info.weakDirections.push_back(text);
    }
    // Beyond 1e10 the problem is singular for any practical purpose (diagnosed as unreliable);
    // Ceres would refuse the covariance anyway, with an error on the log.
    if (!(info.condition <= 1e10))
        return info;
    ceres::Covariance::Options copt;
    copt.algorithm_type = ceres::DENSE_SVD;
    ceres::Covariance covariance(copt);
    std::vector<std::pair<const double*, const double*>> blocks = {{xc.data(), xc.data()}};
    if (!covariance.Compute(blocks, &problem))
        return info;
    covariance.GetCovarianceBlock(xc.data(), xc.data(), info.cov.data());
    const int dof = std::max(1, d.size() - 5);
    info.cov *= 2.0 * cost / dof;
    info.computed = info.cov.allFinite();
    return info;
}

}  // namespace scalelens::fit::detail
