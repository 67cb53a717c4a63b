// Kaplan et al. 2020, Eq. 1.5 fitted in log space with Ceres from a small start grid.
#include <ceres/ceres.h>

#include <array>
#include <chrono>
#include <cmath>
#include <random>

#include "bootstrap_stats.h"
#include "ceres_support.h"
#include "chinchilla_engine.h"
#include "fitting/chinchilla_fit.h"
#include "multi_start.h"
#include "parallel.h"

namespace scalelens::fit {

namespace {

using Vec4 = std::array<double, 4>;  // [ln N_c, ln D_c, alpha_N, alpha_D]

struct KaplanResidual {
    KaplanResidual(double lx1, double lx2, double ll) : m_x1(lx1), m_x2(lx2), m_l(ll) {}
    template <typename T>
    bool operator()(const T* x, T* r) const {
        r[0] = kaplanLogLoss(T(m_x1), T(m_x2), x[0], x[1], x[2], x[3]) - T(m_l);
        return true;
    }
    double m_x1, m_x2, m_l;
};

// One Ceres solve on the points with multiplicities; returns the objective (or inf).
double solveKaplan(const detail::PreparedData& d, const std::vector<double>& mult, bool huber,
                   double delta, Vec4* x, bool* converged, int* iterations) {
    ceres::Problem problem;
    for (int i = 0; i < d.size(); ++i) {
        if (mult[i] <= 0)
            continue;
        ceres::LossFunction* loss = huber ? new ceres::HuberLoss(delta) : nullptr;
        if (mult[i] != 1.0)
            loss = new ceres::ScaledLoss(loss, mult[i], ceres::TAKE_OWNERSHIP);
        problem.AddResidualBlock(new ceres::AutoDiffCostFunction<KaplanResidual, 1, 4>(
                                     new KaplanResidual(d.logX1[i], d.logX2[i], d.logL[i])),
                                 loss, x->data());
    }
    // Exponents stay positive: alpha_D divides, and alpha_N/alpha_D must be meaningful.
    problem.SetParameterLowerBound(x->data(), 2, 1e-4);
    problem.SetParameterLowerBound(x->data(), 3, 1e-4);
    ceres::Solver::Summary summary;
    ceres::Solve(detail::solverOptions({300, 1e-14, 1e-14, 1e-12}), &problem, &summary);
    *converged = detail::ceresConverged(summary.termination_type);
    *iterations = static_cast<int>(summary.iterations.size());
    const bool ok = summary.IsSolutionUsable() && std::isfinite(summary.final_cost) &&
                    std::isfinite((*x)[0]) && std::isfinite((*x)[1]);
    return ok ? summary.final_cost : HUGE_VAL;
}

FitResult failed(FitResult r, std::string message) {
    r.status = FitStatus::Failed;
    r.message = std::move(message);
    r.params.clear();
    return r;
}

}  // namespace

FitResult fitKaplan(const std::vector<Observation>& data, const FitOptions& options,
                    const ProgressCallback& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    FitResult res;
    res.law = LawId::Kaplan;
    res.loss = options.loss;
    std::string error;
    if (!options.isValid(&error))
        return failed(res, "invalid options: " + error);
    if (options.loss == LossKind::Mle)
        return failed(res, "the mle loss is only implemented for the chinchilla law");
    if (!detail::validateObservations(data, 4, &error))
        return failed(res, error);
    const detail::PreparedData d = detail::prepare(data);
    const bool huber = options.loss == LossKind::Huber;
    const double delta = options.huberDelta;

    // 3^4 starts spanning Kaplan's published values (alpha ~ 0.08-0.1, N_c ~ 1e13).
    const double lnNc[] = {25, 30, 35}, lnDc[] = {20, 25, 30}, aN[] = {0.05, 0.1, 0.3},
                 aD[] = {0.05, 0.1, 0.3};
    std::vector<Vec4> starts;
    for (double p : lnNc)
        for (double q : lnDc)
            for (double r : aN)
                for (double s : aD)
                    starts.push_back({p, q, r, s});
    const auto multi = detail::bestOfStarts(
        starts,
        [&](Vec4& x) {
            detail::LocalSolve s;
            s.cost = solveKaplan(d, d.weight, huber, delta, &x, &s.converged, &s.iterations);
            s.usable = std::isfinite(s.cost);
            return s;
        },
        [&](int done, int total) { return !progress || progress(0.3 * done / total); });
    res.startsConverged = multi.convergedCount;
    res.iterations = multi.iterations;
    if (multi.cancelled) {
        res.status = FitStatus::Cancelled;
        res.message = "cancelled during the multi-start";
        return res;
    }
    res.startsTotal = multi.total;
    const Vec4 best = multi.params;
    const double bestCost = multi.cost;
    const bool bestConverged = multi.converged;
    if (!std::isfinite(bestCost))
        return failed(res, "no start produced a finite objective");
    const KaplanParams k{std::exp(best[0]), std::exp(best[1]), best[2], best[3]};
    if (!std::isfinite(k.Nc) || !std::isfinite(k.Dc))
        return failed(res, "the fitted N_c or D_c overflows");
    res.objective = bestCost;
    const double nat[4] = {k.Nc, k.Dc, k.alphaN, k.alphaD};
    const LawInfo& info = lawInfo(LawId::Kaplan);
    for (int i = 0; i < 4; ++i)
        res.params.push_back({std::string(info.params[i].name), nat[i], {}, {}, {}});
    std::vector<double> predicted;
    for (const Observation& o : data)
        predicted.push_back(k.loss(o.x1, o.x2));
    res.goodness = computeGoodness(data, predicted, 4);
    res.status = bestConverged ? FitStatus::Converged : FitStatus::NoConvergence;
    res.message = bestConverged ? "converged" : "the best start hit the iteration limit";

    if (options.runBootstrap) {
        const auto tb = std::chrono::steady_clock::now();
        const int R = options.bootstrapResamples;
        const int n = d.size();
        std::vector<std::vector<double>> out(R);
        std::vector<char> ok(R, 0);
        std::atomic<bool> stop{false};
        std::atomic<int> done{0};
        detail::parallelFor(R, detail::resolveThreads(options.threads, R), stop, [&](int r, int) {
            std::mt19937_64 rng(options.seed + static_cast<std::uint64_t>(r));
            std::uniform_int_distribution<int> pick(0, n - 1);
            std::vector<double> mult(n, 0.0);
            for (int i = 0; i < n; ++i)
                mult[pick(rng)] += 1.0;
            for (int i = 0; i < n; ++i)
                mult[i] *= d.weight[i];
            Vec4 x = best;
            bool conv = false;
            int it = 0;
            if (std::isfinite(solveKaplan(d, mult, huber, delta, &x, &conv, &it))) {
                out[r] = {std::exp(x[0]), std::exp(x[1]), x[2], x[3]};
                ok[r] = std::isfinite(out[r][0]) && std::isfinite(out[r][1]);
            }
            const int m = done.fetch_add(1) + 1;
            if (progress && !progress(0.3 + 0.7 * m / R))
                stop = true;
        });
        res.bootstrapSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - tb).count();
        if (stop.load()) {
            res.status = FitStatus::Cancelled;
            res.message = "cancelled during the bootstrap; point estimates are complete";
        } else {
            for (int r = 0; r < R; ++r)
                if (ok[r])
                    res.bootstrapSamples.push_back(out[r]);
            res.bootstrapResamples = static_cast<int>(res.bootstrapSamples.size());
            for (int i = 0; i < 4; ++i) {
                std::vector<double> col;
                for (const auto& s : res.bootstrapSamples)
                    col.push_back(s[i]);
                detail::fillBootstrapStats(std::move(col), &res.params[i]);
            }
        }
    }
    if (res.status != FitStatus::Cancelled)
        detail::diagnoseLawFit(data, options, {}, &res);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace scalelens::fit
