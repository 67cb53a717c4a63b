// Densing law: inversion, step 1 / step 2 fits and the direct-mode size curve.
// The release-date trend is in densing_trend.cpp.
#include "fitting/densing.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <set>
#include <sstream>

#include "ceres_support.h"
#include "fitting/diagnostics.h"
#include "multi_start.h"

namespace scalelens::fit {
namespace {

std::string num(double v) {
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

bool finitePositive(double v) {
    return std::isfinite(v) && v > 0;
}

// True when exp(z) and its derivative stay comfortably finite.
template <typename T>
bool finiteExponent(const T& z) {
    return z < T(300.0) && z > T(-300.0);
}

// Step 1 residual on θ = (ln a, α, ln b, β).
struct LossResidual {
    LossResidual(double logN, double logD, double loss, bool logSpace)
        : logN_(logN), logD_(logD), loss_(loss), logSpace_(logSpace) {}
    template <typename T>
    bool operator()(const T* th, T* residual) const {
        using std::exp;
        using std::log;
        // densingLoss with a = e^{θ0}, b = e^{θ2}, written on logs for stability.
        const T pred =
            densingLoss(T(exp(T(logN_))), T(exp(T(logD_))), exp(th[0]), th[1], exp(th[2]), th[3]);
        residual[0] = logSpace_ ? T(log(pred) - T(std::log(loss_))) : T(pred - T(loss_));
        return true;
    }
    static ceres::CostFunction* create(double logN, double logD, double loss, bool logSpace) {
        return new ceres::AutoDiffCostFunction<LossResidual, 1, 4>(
            new LossResidual(logN, logD, loss, logSpace));
    }
    const double logN_, logD_, loss_;
    const bool logSpace_;
};

// Step 2 residual on θ = (c, γ, l, d).
struct ScoreResidual {
    ScoreResidual(double loss, double score) : loss_(loss), score_(score) {}
    template <typename T>
    bool operator()(const T* th, T* residual) const {
        // Reject steps where exp overflows (its derivative would be NaN): Ceres then shrinks
        // the trust region instead of logging a non-finite Jacobian.
        if (!finiteExponent(T(-th[1] * (T(loss_) - th[2]))))
            return false;
        residual[0] = densingScore(T(loss_), th[0], th[1], th[2], th[3]) - T(score_);
        return true;
    }
    static ceres::CostFunction* create(double loss, double score) {
        return new ceres::AutoDiffCostFunction<ScoreResidual, 1, 4>(new ScoreResidual(loss, score));
    }
    const double loss_, score_;
};

// Direct-mode logistic on blocks k, m, floor, top: S = (top − floor)/(1 + e^(−k(ln N − m))) +
// floor.
struct SizeResidual {
    SizeResidual(double logN, double score) : logN_(logN), score_(score) {}
    template <typename T>
    bool operator()(const T* k, const T* m, const T* floor, const T* top, T* residual) const {
        if (!finiteExponent(T(-k[0] * (T(logN_) - m[0]))))
            return false;
        residual[0] =
            logisticSizeScore(T(logN_), T(top[0] - floor[0]), k[0], m[0], floor[0]) - T(score_);
        return true;
    }
    const double logN_, score_;
};

ceres::Solver::Options solverOptions(const DensingFitOptions& o) {
    return detail::solverOptions({o.maxIterations, o.functionTolerance, 1e-14, 1e-12});
}

using Vec4 = std::array<double, 4>;

bool allFinite(const Vec4& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// The best start of a four-parameter densing fit, taken into `r`: the start count, the RMSE of
// the best cost over `nPoints` and the status. False, with status Failed, when no start
// produced a usable solution (the caller returns r as it is).
template <class Result>
bool takeBestStart(const detail::MultiStartBest<Vec4>& best, std::size_t nPoints, Result* r) {
    r->startsTotal = best.total;
    if (!best.found()) {
        r->status = FitStatus::Failed;
        r->message = "no start produced a usable solution";
        r->params = {};
        return false;
    }
    r->rmse = std::sqrt(2 * best.cost / static_cast<double>(nPoints));
    r->status = best.converged ? FitStatus::Converged : FitStatus::NoConvergence;
    return true;
}

// What diagnose() needs to know of every four-parameter densing fit besides its regressors.
ProblemFacts fourParameterFacts(std::size_t nPoints, bool converged) {
    ProblemFacts facts;
    facts.nPoints = static_cast<int>(nPoints);
    facts.nParams = 4;
    facts.converged = converged;
    return facts;
}

}  // namespace

DensingInverse invertDensingScore(const DensingParams& p, double score) {
    DensingInverse r;
    const auto& s = p.score;
    const auto& l = p.loss;
    if (!std::isfinite(score)) {
        r.message = "score must be a finite number";
        return r;
    }
    if (!(s.c > 0) || s.gamma == 0 || !finitePositive(l.a) || !finitePositive(l.alpha) ||
        !(l.b >= 0) || !(l.beta > 0) || !finitePositive(p.d0)) {
        r.message =
            "densing parameters are not usable (need c > 0, gamma != 0, a, alpha, "
            "beta > 0, b >= 0, d0 > 0)";
        return r;
    }
    const double lo = s.d, hi = s.c + s.d;
    if (!(score > lo && score < hi)) {
        r.message = "score " + num(score) + " is outside the range of the fitted score curve (" +
                    num(lo) + ", " + num(hi) + "): no loss maps to it";
        return r;
    }
    r.loss = s.l - std::log(s.c / (score - s.d) - 1.0) / s.gamma;
    const double dataTerm = l.b * std::pow(p.d0, -l.beta);
    if (!(r.loss > dataTerm)) {
        r.message = "estimated loss " + num(r.loss) +
                    " is at or below the data term b*D0^-beta = " + num(dataTerm) +
                    ": no finite model size reaches score " + num(score);
        r.loss = 0;
        return r;
    }
    r.nEff = std::pow((r.loss - dataTerm) / l.a, -1.0 / l.alpha);
    if (!std::isfinite(r.nEff) || r.nEff <= 0) {
        r.message = "effective size overflows for score " + num(score);
        r.nEff = 0;
        r.loss = 0;
        return r;
    }
    r.ok = true;
    return r;
}

bool DensingFitOptions::isValid(std::string* error) const {
    if (maxIterations <= 0) {
        if (error)
            *error = "maxIterations must be > 0";
        return false;
    }
    if (!(functionTolerance > 0)) {
        if (error)
            *error = "functionTolerance must be > 0";
        return false;
    }
    return true;
}

DensingLossFit fitDensingLoss(const std::vector<DensingLossPoint>& points,
                              const DensingFitOptions& options) {
    DensingLossFit r;
    std::string error;
    if (!options.isValid(&error)) {
        r.status = FitStatus::Failed;
        r.message = "invalid options: " + error;
        return r;
    }
    std::set<double> ns, ds;
    double meanLogN = 0, meanLogD = 0, meanL = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i];
        if (!finitePositive(p.n) || !finitePositive(p.d) || !finitePositive(p.loss)) {
            r.status = FitStatus::Failed;
            r.message = "point " + std::to_string(i) + ": n, d and loss must be finite and > 0";
            return r;
        }
        ns.insert(p.n);
        ds.insert(p.d);
        meanLogN += std::log(p.n) / static_cast<double>(points.size());
        meanLogD += std::log(p.d) / static_cast<double>(points.size());
        meanL += p.loss / static_cast<double>(points.size());
    }
    if (points.size() < 5 || ns.size() < 2 || ds.size() < 2) {
        r.status = FitStatus::Failed;
        r.message = "need >= 5 points with >= 2 distinct N and >= 2 distinct D (got " +
                    std::to_string(points.size()) + " points)";
        return r;
    }
    const auto solverOpts = solverOptions(options);
    std::vector<Vec4> starts;
    for (double alpha : {0.05, 0.15, 0.3, 0.6, 1.0})
        for (double beta : {0.05, 0.15, 0.3, 0.6, 1.0})
            // Start with each term carrying half the mean loss at the data's centre.
            starts.push_back({std::log(meanL / 2) + alpha * meanLogN, alpha,
                              std::log(meanL / 2) + beta * meanLogD, beta});
    const auto best = detail::bestOfStarts(starts, [&](Vec4& th) {
        ceres::Problem problem;
        for (const auto& p : points)
            problem.AddResidualBlock(
                LossResidual::create(std::log(p.n), std::log(p.d), p.loss, options.logResiduals),
                nullptr, th.data());
        for (int i : {1, 3}) {
            problem.SetParameterLowerBound(th.data(), i, 1e-6);
            problem.SetParameterUpperBound(th.data(), i, 10.0);
        }
        ceres::Solver::Summary summary;
        ceres::Solve(solverOpts, &problem, &summary);
        const bool finite = std::isfinite(th[0]) && std::isfinite(th[2]);
        return detail::LocalSolve{summary.final_cost, finite && summary.IsSolutionUsable(),
                                  detail::ceresConverged(summary.termination_type),
                                  static_cast<int>(summary.iterations.size())};
    });
    if (!takeBestStart(best, points.size(), &r))
        return r;
    const Vec4& th = best.params;
    r.params = {std::exp(th[0]), th[1], std::exp(th[2]), th[3]};
    r.message = "L = a*N^-alpha + b*D^-beta fitted on " + std::to_string(points.size()) + " points";
    ProblemFacts facts = fourParameterFacts(points.size(), best.converged);
    facts.regressors = {{"N", static_cast<int>(ns.size()), 3},
                        {"D", static_cast<int>(ds.size()), 3}};
    facts.params = {{"alpha", r.params.alpha, 1e-6, 10.0, 1e-7},
                    {"beta", r.params.beta, 1e-6, 10.0, 1e-7}};
    applyDiagnostics(diagnose(facts), &r);
    return r;
}

DensingScoreFit fitDensingScore(const std::vector<DensingScorePoint>& points,
                                const DensingFitOptions& options) {
    DensingScoreFit r;
    std::string error;
    if (!options.isValid(&error)) {
        r.status = FitStatus::Failed;
        r.message = "invalid options: " + error;
        return r;
    }
    std::set<double> losses;
    std::vector<double> ls;
    double minS = HUGE_VAL, maxS = -HUGE_VAL;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i];
        if (!std::isfinite(p.loss) || !std::isfinite(p.score)) {
            r.status = FitStatus::Failed;
            r.message = "point " + std::to_string(i) + ": loss and score must be finite";
            return r;
        }
        losses.insert(p.loss);
        ls.push_back(p.loss);
        minS = std::min(minS, p.score);
        maxS = std::max(maxS, p.score);
    }
    if (points.size() < 5 || losses.size() < 3 || !(maxS > minS)) {
        r.status = FitStatus::Failed;
        r.message = "need >= 5 points with >= 3 distinct losses and varying scores (got " +
                    std::to_string(points.size()) + " points)";
        return r;
    }
    const double lRange = *losses.rbegin() - *losses.begin();
    const double sRange = maxS - minS;
    const auto solverOpts = solverOptions(options);
    std::vector<Vec4> starts;
    for (double g : {-20.0, -6.0, -2.0, 2.0, 6.0, 20.0}) {
        for (double q : {0.2, 0.5, 0.8}) {
            for (double floorShift : {0.05, 0.5}) {
                const double d = minS - floorShift * sRange;
                starts.push_back({maxS + floorShift * sRange - d, g / lRange, quantile(ls, q), d});
            }
        }
    }
    const auto best = detail::bestOfStarts(starts, [&](Vec4& th) {
        ceres::Problem problem;
        for (const auto& p : points)
            problem.AddResidualBlock(ScoreResidual::create(p.loss, p.score), nullptr, th.data());
        // c > 0 makes the curve identifiable: (c, γ, l, d) and (−c, −γ, l, c + d)
        // describe the same curve. γ stays free in sign.
        problem.SetParameterLowerBound(th.data(), 0, 1e-12 * sRange);
        ceres::Solver::Summary summary;
        ceres::Solve(solverOpts, &problem, &summary);
        return detail::LocalSolve{summary.final_cost, allFinite(th) && summary.IsSolutionUsable(),
                                  detail::ceresConverged(summary.termination_type),
                                  static_cast<int>(summary.iterations.size())};
    });
    if (!takeBestStart(best, points.size(), &r))
        return r;
    r.params = {best.params[0], best.params[1], best.params[2], best.params[3]};
    r.message =
        "S = c/(1+exp(-gamma(L-l))) + d fitted on " + std::to_string(points.size()) + " points";
    ProblemFacts facts = fourParameterFacts(points.size(), best.converged);
    facts.regressors = {{"loss", static_cast<int>(losses.size()), 3}};
    facts.params = {{"c", r.params.c, 1e-12 * sRange, HUGE_VAL, 1e-9 * sRange}};
    applyDiagnostics(diagnose(facts), &r);
    return r;
}

double SizeScoreCurve::score(double n) const {
    const double x = std::log(n);
    if (kind == SizeCurveKind::LogLinear)
        return p0 + p1 * x;
    return logisticSizeScore(x, c, k, m, d);
}

bool SizeCurveFitOptions::isValid(std::string* error) const {
    auto bad = [&](const char* msg) {
        if (error)
            *error = msg;
        return false;
    };
    if (fixedFloor && !std::isfinite(*fixedFloor))
        return bad("fixedFloor must be finite");
    if (fixedCeiling && !std::isfinite(*fixedCeiling))
        return bad("fixedCeiling must be finite");
    if (fixedFloor && fixedCeiling && !(*fixedCeiling > *fixedFloor))
        return bad("fixedCeiling must be > fixedFloor");
    return true;
}

SizeCurveFit fitSizeScoreCurve(const std::vector<SizeScorePoint>& points,
                               const SizeCurveFitOptions& options) {
    SizeCurveFit r;
    std::string error;
    if (!options.isValid(&error)) {
        r.status = FitStatus::Failed;
        r.message = "invalid options: " + error;
        return r;
    }
    std::set<double> ns;
    double minS = HUGE_VAL, maxS = -HUGE_VAL;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!finitePositive(points[i].n) || !std::isfinite(points[i].score)) {
            r.status = FitStatus::Failed;
            r.message = "point " + std::to_string(i) + ": n must be > 0 and score finite";
            return r;
        }
        ns.insert(points[i].n);
        minS = std::min(minS, points[i].score);
        maxS = std::max(maxS, points[i].score);
    }
    const bool logistic = options.kind == SizeCurveKind::Logistic;
    const std::size_t free =
        logistic ? 4 - (options.fixedFloor ? 1 : 0) - (options.fixedCeiling ? 1 : 0) : 2;
    if (ns.size() < free) {
        r.status = FitStatus::Failed;
        r.message = "need >= " + std::to_string(free) + " distinct sizes for " +
                    std::to_string(free) + " free parameters (got " + std::to_string(ns.size()) +
                    ")";
        return r;
    }
    r.curve.kind = options.kind;
    const double n = static_cast<double>(points.size());
    if (!logistic) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (const auto& p : points) {
            const double x = std::log(p.n);
            sx += x, sy += p.score, sxx += x * x, sxy += x * p.score;
        }
        r.curve.p1 = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        r.curve.p0 = (sy - r.curve.p1 * sx) / n;
    } else {
        const double sRange = std::max(maxS - minS, 1e-9);
        double meanX = 0;
        for (const auto& p : points)
            meanX += std::log(p.n) / n;
        // (k, m, floor, top)
        std::vector<Vec4> starts;
        for (double k0 : {0.3, 1.0, 3.0})
            for (double mShift : {-2.0, 0.0, 2.0})
                starts.push_back({k0, meanX + mShift,
                                  options.fixedFloor.value_or(minS - 0.1 * sRange),
                                  options.fixedCeiling.value_or(maxS + 0.1 * sRange)});
        const auto solverOpts = solverOptions(DensingFitOptions{});
        const auto best = detail::bestOfStarts(starts, [&](Vec4& x) {
            double& k = x[0];
            double& m = x[1];
            double& fl = x[2];
            double& top = x[3];
            ceres::Problem problem;
            for (const auto& p : points)
                problem.AddResidualBlock(
                    new ceres::AutoDiffCostFunction<SizeResidual, 1, 1, 1, 1, 1>(
                        new SizeResidual(std::log(p.n), p.score)),
                    nullptr, &k, &m, &fl, &top);
            if (options.fixedFloor)
                problem.SetParameterBlockConstant(&fl);
            if (options.fixedCeiling)
                problem.SetParameterBlockConstant(&top);
            ceres::Solver::Summary summary;
            ceres::Solve(solverOpts, &problem, &summary);
            const bool usable =
                summary.IsSolutionUsable() && std::isfinite(k) && std::isfinite(m) && top > fl;
            return detail::LocalSolve{summary.final_cost, usable,
                                      detail::ceresConverged(summary.termination_type),
                                      static_cast<int>(summary.iterations.size())};
        });
        const double bestCost = best.cost;
        if (best.found()) {
            r.curve.k = best.params[0];
            r.curve.m = best.params[1];
            r.curve.d = best.params[2];
            r.curve.c = best.params[3] - best.params[2];
        }
        if (!std::isfinite(bestCost)) {
            r.status = FitStatus::Failed;
            r.message = "no start produced a usable logistic curve";
            r.curve = {};
            return r;
        }
    }
    double sse = 0;
    for (const auto& p : points)
        sse += std::pow(r.curve.score(p.n) - p.score, 2);
    r.rmse = std::sqrt(sse / n);
    r.status = FitStatus::Converged;
    r.message = std::string(logistic ? "logistic" : "log-linear") + " score-vs-ln(N) curve on " +
                std::to_string(points.size()) + " models";
    // Reference families are small (the paper fits a handful of models): only an exactly
    // determined curve (as many sizes as free parameters) is flagged.
    ProblemFacts facts;
    facts.regressors = {{"N", static_cast<int>(ns.size()), static_cast<int>(free) + 1}};
    applyDiagnostics(diagnose(facts), &r);
    return r;
}

DensingInverse invertSizeCurve(const SizeScoreCurve& curve, double score) {
    DensingInverse r;
    if (!std::isfinite(score)) {
        r.message = "score must be a finite number";
        return r;
    }
    double logN = 0;
    if (curve.kind == SizeCurveKind::LogLinear) {
        if (curve.p1 == 0) {
            r.message = "the size curve is flat: score does not determine size";
            return r;
        }
        logN = (score - curve.p0) / curve.p1;
    } else {
        if (!(curve.c > 0) || curve.k == 0) {
            r.message = "the logistic size curve is degenerate (c <= 0 or k = 0)";
            return r;
        }
        if (!(score > curve.d && score < curve.c + curve.d)) {
            r.message = "score " + num(score) + " is outside the range of the size curve (" +
                        num(curve.d) + ", " + num(curve.c + curve.d) + ")";
            return r;
        }
        logN = curve.m - std::log(curve.c / (score - curve.d) - 1.0) / curve.k;
    }
    if (logN > 700) {
        r.message = "effective size overflows for score " + num(score);
        return r;
    }
    r.nEff = std::exp(logN);
    r.ok = true;
    return r;
}

}  // namespace scalelens::fit
