// fitChinchilla: two-stage multi-start Levenberg-Marquardt over the published grid, Ceres
// polish, optional MLE, covariance, bootstrap and diagnostics.
//
// Why not ceres::TinySolver for the starts: it needs least-squares residuals, and the Huber
// sum as 1/2 sum r~^2 with r~ = sign(r) sqrt(2 Huber(r)) has Gauss-Newton curvature
// delta/(2|r|) per point, half the IRLS weight delta/|r|. With delta = 1e-3 almost every point
// is in the linear zone, so its steps are too long and it needed ~110 iterations a start on
// the Epoch data. The hand-written LM in chinchilla_residuals.h uses the IRLS curvature, a
// fused exp/log loop and a relative tolerance; the screening stage then needs ~20 iterations a
// start. Ceres still does the final polish (HuberLoss), the covariance and the MLE.
#include "fitting/chinchilla_fit.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>

#include "bootstrap_stats.h"
#include "chinchilla_engine.h"
#include "fitting/allocation.h"
#include "fitting/diagnostics.h"

namespace scalelens::fit {

namespace {

using detail::Vec5;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string budgetName(const char* what, double c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s@%g", what, c);
    return buf;
}

// Values of the derived quantities for one parameter set, in a fixed order matching
// derivedNames().
std::vector<double> derivedValues(const ChinchillaParams& p, const std::vector<double>& budgets) {
    std::vector<double> v;
    Allocation a;
    const bool ok = computeAllocation(p, budgets.empty() ? 1.0 : budgets.front(), &a);
    v.push_back(ok ? a.a : NAN);
    v.push_back(ok ? a.b : NAN);
    v.push_back(ok ? a.G : NAN);
    for (const double c : budgets) {
        const bool okc = computeAllocation(p, c, &a);
        v.push_back(okc ? a.nOpt : NAN);
        v.push_back(okc ? a.dOpt : NAN);
        v.push_back(okc ? a.tokensPerParam : NAN);
        v.push_back(okc ? a.loss : NAN);
    }
    return v;
}

std::vector<std::string> derivedNames(const std::vector<double>& budgets) {
    std::vector<std::string> n = {"a", "b", "G"};
    for (const double c : budgets) {
        n.push_back(budgetName("N_opt", c));
        n.push_back(budgetName("D_opt", c));
        n.push_back(budgetName("tokens_per_param", c));
        n.push_back(budgetName("loss_opt", c));
    }
    return n;
}

FitResult failed(FitResult r, std::string message) {
    r.status = FitStatus::Failed;
    r.message = std::move(message);
    r.params.clear();
    r.derived.clear();
    return r;
}

// Bootstrap over points: resample k draws n indices with std::mt19937_64(seed + k), so the
// result does not depend on the thread count; each refit is one LM run (or the MLE) from x0.
// Returns false when cancelled.
bool bootstrap(const detail::PreparedData& d, const Vec5& x0, bool huber, const FitOptions& o,
               const std::function<bool(int, int)>& progress,
               std::vector<std::vector<double>>* samples) {
    const int R = o.bootstrapResamples;
    const int n = d.size();
    std::vector<std::vector<double>> out(R);
    std::vector<char> ok(R, 0);
    const int threads = detail::resolveThreads(o.threads, R);
    std::atomic<bool> stop{false};
    std::atomic<int> done{0};
    const int stride = std::max(1, R / 100);
    detail::parallelFor(R, threads, stop, [&](int k, int) {
        std::mt19937_64 rng(o.seed + static_cast<std::uint64_t>(k));
        std::uniform_int_distribution<int> pick(0, n - 1);
        std::vector<double> counts(n, 0.0);
        for (int i = 0; i < n; ++i)
            counts[pick(rng)] += 1.0;
        std::vector<int> points;
        std::vector<double> weights;
        for (int i = 0; i < n; ++i) {
            if (counts[i] > 0) {
                points.push_back(i);
                weights.push_back(counts[i] * d.weight[i]);
            }
        }
        Vec5 x = x0;
        bool finite = false;
        if (o.loss == LossKind::Mle) {
            double sigma = 0;
            int iters = 0;
            bool conv = false;
            const double nll =
                detail::fitMle(d, points, weights, o.huberDelta, &x, &sigma, &iters, &conv);
            finite = std::isfinite(nll) && x.allFinite();
        } else {
            const detail::StartOutcome s =
                detail::solveFrom(d, points, weights, huber, o.huberDelta, x0, o,
                                  o.functionTolerance, 4 * o.maxIterationsPerStart);
            x = s.x;
            finite = s.finite;
        }
        if (finite) {
            const ChinchillaParams p = detail::toNatural(x);
            out[k] = {p.E, p.A, p.B, p.alpha, p.beta};
            ok[k] = std::isfinite(p.A) && std::isfinite(p.B) && std::isfinite(p.E);
        }
        const int m = done.fetch_add(1, std::memory_order_relaxed) + 1;
        if ((m % stride == 0 || m == R) && progress && !progress(m, R))
            stop = true;
    });
    if (stop.load())
        return false;
    samples->clear();
    for (int k = 0; k < R; ++k)
        if (ok[k])
            samples->push_back(std::move(out[k]));
    return true;
}

}  // namespace

namespace detail {

void diagnoseLawFit(const std::vector<Observation>& data, const FitOptions& options,
                    const std::vector<std::string>& weakDirections, FitResult* res) {
    ProblemFacts f;
    f.nPoints = static_cast<int>(data.size());
    f.nParams = static_cast<int>(res->params.size()) + (res->loss == LossKind::Mle ? 1 : 0);
    std::vector<double> n, dd;
    double minLoss = HUGE_VAL, minN = HUGE_VAL, minD = HUGE_VAL;
    for (const Observation& o : data) {
        n.push_back(o.x1);
        dd.push_back(o.x2);
        minLoss = std::min(minLoss, o.loss);
        minN = std::min(minN, o.x1);
        minD = std::min(minD, o.x2);
    }
    f.regressors = {{"N", countDistinct(n), 3}, {"D", countDistinct(dd), 3}};
    const LawInfo& info = lawInfo(res->law);
    // A term is "at its bound of 0" when it contributes less than 1e-6 of the smallest loss
    // anywhere in the data (at the smallest N or D, where it is largest).
    const auto hairFor = [&](const std::string& name) {
        const double kHair = 1e-6 * minLoss;
        double h = 1e-6;
        if (res->law == LawId::Chinchilla) {
            if (name == "E")
                h = kHair;
            else if (name == "A")
                h = kHair * std::pow(minN, res->value("alpha"));
            else if (name == "B")
                h = kHair * std::pow(minD, res->value("beta"));
        } else if (name == "Nc" || name == "Dc") {
            h = 0;
        }
        return std::isfinite(h) ? h : 0.0;
    };
    for (std::size_t i = 0; i < res->params.size() && i < info.params.size(); ++i) {
        const ParamInfo& p = info.params[i];
        double lower = p.lower;
        // Kaplan's exponents are bounded below at 1e-4 in the solver.
        if (res->law == LawId::Kaplan && p.transform == ParamTransform::None)
            lower = 1e-4;
        f.params.push_back({res->params[i].name, res->params[i].value, lower, p.upper,
                            hairFor(res->params[i].name)});
        if (atBound(f.params.back()))
            res->params[i].flags |= kEstimateAtBound;
    }
    for (const Estimate& e : res->derived)
        f.derived.push_back({e.name, e.value});
    f.converged = res->status != FitStatus::NoConvergence;
    f.conditionNumber = res->hessianConditionNumber;
    f.conditionLimit = options.covarianceConditionLimit;
    f.weakDirections = weakDirections;
    if (options.runBootstrap) {
        f.bootstrapRequested = options.bootstrapResamples;
        f.bootstrapUsed = res->bootstrapResamples;
        for (std::size_t i = 0; i < res->params.size() && i < info.params.size(); ++i)
            f.bootstrapped.push_back({res->params[i], info.params[i].lower});
    }
    applyDiagnostics(diagnose(f), res);
}

}  // namespace detail

FitResult fitChinchilla(const std::vector<Observation>& data, const FitOptions& options,
                        const ProgressCallback& progress) {
    const auto t0 = Clock::now();
    FitResult res;
    res.law = LawId::Chinchilla;
    res.loss = options.loss;
    std::string error;
    if (!options.isValid(&error))
        return failed(res, "invalid options: " + error);
    if (!detail::validateObservations(data, 5, &error))
        return failed(res, error);

    const detail::PreparedData d = detail::prepare(data);
    // The MLE starts from the Huber optimum (its objective differs only by the free scale).
    const bool huber = options.loss != LossKind::Ols;
    const double delta = options.huberDelta;
    const bool withBootstrap = options.runBootstrap;
    // Share of the progress bar: starts first, then the bootstrap.
    const double startShare = withBootstrap ? 0.3 : 1.0;
    const auto report = [&](double fraction) { return !progress || progress(fraction); };

    const detail::MultiStartOutcome ms =
        detail::multiStart(d, huber, delta, options,
                           [&](int done, int total) { return report(startShare * done / total); });
    res.startsConverged = ms.converged;
    res.startsTotal = ms.total;
    if (!ms.best.finite)
        return failed(res, "no start produced a finite objective");

    Vec5 x = ms.best.x;
    res.iterations = ms.best.iterations;
    double cost = ms.best.cost;
    bool converged = ms.best.converged;
    if (ms.cancelled) {
        res.status = FitStatus::Cancelled;
        res.message = "cancelled during the multi-start; parameters are the best start so far";
    } else {
        if (options.polish) {
            bool polished = false;
            cost = detail::polish(d, huber, delta, &x, &res.iterations, &polished);
            converged = converged || polished;
        }
        if (options.loss == LossKind::Mle) {
            std::vector<int> all(d.size());
            for (int i = 0; i < d.size(); ++i)
                all[i] = i;
            bool mleConverged = false;
            cost = detail::fitMle(d, all, d.weight, delta, &x, &res.sigma, &res.iterations,
                                  &mleConverged);
            converged = mleConverged;
        }
    }
    if (!x.allFinite() || !std::isfinite(cost))
        return failed(res, "the optimiser produced non-finite parameters");
    res.objective = cost;

    const ChinchillaParams p = detail::toNatural(x);
    const double natural[5] = {p.E, p.A, p.B, p.alpha, p.beta};
    for (int i = 0; i < 5; ++i) {
        if (!std::isfinite(natural[i]))
            return failed(res, "the fitted parameters overflow (exp of a log parameter)");
    }
    const LawInfo& info = lawInfo(LawId::Chinchilla);
    for (int i = 0; i < 5; ++i)
        res.params.push_back({std::string(info.params[i].name), natural[i], {}, {}, {}});

    // Covariance-based standard errors (log-space delta method back to A, B, E). Reported
    // whatever the conditioning; flagged (and diagnosed) above the condition limit.
    detail::CovarianceInfo cov;
    if (options.loss != LossKind::Mle) {
        cov = detail::covarianceAt(d, huber, delta, x, cost, options.covarianceConditionLimit);
        res.hessianConditionNumber = cov.condition;
    }
    res.covarianceWellConditioned =
        cov.computed && cov.condition <= options.covarianceConditionLimit;
    if (cov.computed) {
        // x = [a, b, e, alpha, beta]; params = [E, A, B, alpha, beta].
        const int map[5] = {2, 0, 1, 3, 4};
        for (int i = 0; i < 5; ++i) {
            const double se = std::sqrt(std::max(0.0, cov.cov(map[i], map[i])));
            res.params[i].covStdError = i < 3 ? natural[i] * se : se;
            if (!res.covarianceWellConditioned)
                res.params[i].flags |= kEstimateIllConditioned;
        }
    }

    const std::vector<std::string> names = derivedNames(options.allocationBudgets);
    const std::vector<double> values = derivedValues(p, options.allocationBudgets);
    for (std::size_t i = 0; i < names.size(); ++i)
        res.derived.push_back({names[i], values[i], {}, {}, {}});

    // Diagnostics.
    std::vector<double> predicted;
    predicted.reserve(data.size());
    for (const Observation& o : data)
        predicted.push_back(p.loss(o.x1, o.x2));
    res.goodness = computeGoodness(data, predicted, options.loss == LossKind::Mle ? 6 : 5);

    if (res.status == FitStatus::Cancelled) {
        res.seconds = secondsSince(t0);
        return res;
    }
    res.status = converged ? FitStatus::Converged : FitStatus::NoConvergence;
    res.message = converged ? "converged" : "the best start hit the iteration limit";

    if (withBootstrap) {
        const auto tb = Clock::now();
        const Vec5 start = options.bootstrapStart == BootstrapStart::Given
                               ? detail::toInternal(options.bootstrapStartValues)
                               : x;
        const bool finished = bootstrap(
            d, start, huber, options,
            [&](int done, int total) {
                return report(startShare + (1.0 - startShare) * done / total);
            },
            &res.bootstrapSamples);
        res.bootstrapSeconds = secondsSince(tb);
        if (!finished) {
            res.status = FitStatus::Cancelled;
            res.message = "cancelled during the bootstrap; point estimates are complete";
            res.bootstrapSamples.clear();
        } else {
            res.bootstrapResamples = static_cast<int>(res.bootstrapSamples.size());
            for (int i = 0; i < 5; ++i) {
                std::vector<double> column;
                column.reserve(res.bootstrapSamples.size());
                for (const auto& s : res.bootstrapSamples)
                    column.push_back(s[i]);
                detail::fillBootstrapStats(std::move(column), &res.params[i]);
            }
            std::vector<std::vector<double>> derivedColumns(names.size());
            for (const auto& s : res.bootstrapSamples) {
                const auto v =
                    derivedValues({s[0], s[1], s[2], s[3], s[4]}, options.allocationBudgets);
                for (std::size_t i = 0; i < v.size(); ++i)
                    derivedColumns[i].push_back(v[i]);
            }
            for (std::size_t i = 0; i < names.size(); ++i)
                detail::fillBootstrapStats(std::move(derivedColumns[i]), &res.derived[i]);
        }
    }
    if (res.status != FitStatus::Cancelled)
        detail::diagnoseLawFit(data, options, cov.weakDirections, &res);
    res.seconds = secondsSince(t0);
    return res;
}

double chinchillaObjective(const std::vector<Observation>& data, const ChinchillaParams& p,
                           LossKind loss, double delta) {
    double sum = 0;
    for (const Observation& o : data) {
        const double r = std::log(p.loss(o.x1, o.x2)) - std::log(o.loss);
        double term = 0.5 * r * r;
        if (loss != LossKind::Ols && std::abs(r) > delta)
            term = delta * (std::abs(r) - 0.5 * delta);
        sum += o.weight * term;
    }
    return sum;
}

GoodnessOfFit computeGoodness(const std::vector<Observation>& data,
                              const std::vector<double>& predictedLoss, int k) {
    GoodnessOfFit g;
    const int n = static_cast<int>(data.size());
    g.nPoints = n;
    g.nParams = k;
    if (n == 0 || predictedLoss.size() != data.size())
        return g;
    double meanLog = 0, meanLin = 0;
    for (const Observation& o : data) {
        meanLog += std::log(o.loss);
        meanLin += o.loss;
    }
    meanLog /= n;
    meanLin /= n;
    double ssLog = 0, ssLin = 0, totLog = 0, totLin = 0;
    for (int i = 0; i < n; ++i) {
        const double r = std::log(predictedLoss[i]) - std::log(data[i].loss);
        const double rl = predictedLoss[i] - data[i].loss;
        g.residualsLog.push_back(r);
        ssLog += r * r;
        ssLin += rl * rl;
        totLog += (std::log(data[i].loss) - meanLog) * (std::log(data[i].loss) - meanLog);
        totLin += (data[i].loss - meanLin) * (data[i].loss - meanLin);
    }
    g.rmseLog = std::sqrt(ssLog / n);
    g.rmseLinear = std::sqrt(ssLin / n);
    g.r2Log = totLog > 0 ? 1.0 - ssLog / totLog : 0.0;
    g.r2Linear = totLin > 0 ? 1.0 - ssLin / totLin : 0.0;
    // Gaussian likelihood of the log residuals with the ML variance s^2 = SS/n.
    const double s2 = std::max(ssLog / n, 1e-300);
    const double logLik = -0.5 * n * (std::log(2.0 * std::numbers::pi * s2) + 1.0);
    g.aic = 2.0 * k - 2.0 * logLik;
    g.bic = k * std::log(static_cast<double>(n)) - 2.0 * logLik;
    return g;
}

BacktestResult backtestChinchilla(const std::vector<Observation>& data, CutoffVariable variable,
                                  double cutoff, const FitOptions& options,
                                  const ProgressCallback& progress) {
    BacktestResult bt;
    std::vector<Observation> train, test;
    for (const Observation& o : data) {
        const double v = variable == CutoffVariable::Compute ? 6.0 * o.x1 * o.x2 : o.x1;
        (v < cutoff ? train : test).push_back(o);
    }
    bt.nTrain = static_cast<int>(train.size());
    bt.nTest = static_cast<int>(test.size());
    if (test.empty()) {
        bt.status = FitStatus::Failed;
        bt.message = "no points at or above the cutoff to test on";
        return bt;
    }
    FitOptions o = options;
    o.runBootstrap = false;
    bt.trainFit = fitChinchilla(train, o, progress);
    if (!isUsable(bt.trainFit.status)) {
        bt.status = bt.trainFit.status;
        bt.message = "fit on the points below the cutoff: " + bt.trainFit.message;
        return bt;
    }
    const ChinchillaParams p = bt.trainFit.chinchilla();
    double sumAbs = 0, ss = 0;
    for (const Observation& t : test) {
        const double pred = p.loss(t.x1, t.x2);
        const double rel = (pred - t.loss) / t.loss;
        bt.relativeErrors.push_back(rel);
        sumAbs += std::abs(rel);
        bt.maxAbsRelativeError = std::max(bt.maxAbsRelativeError, std::abs(rel));
        const double rl = std::log(pred) - std::log(t.loss);
        ss += rl * rl;
    }
    bt.meanAbsRelativeError = sumAbs / bt.nTest;
    bt.rmseLogTest = std::sqrt(ss / bt.nTest);
    bt.status = bt.trainFit.status;
    bt.diagnostics = bt.trainFit.diagnostics;
    bt.message = "back-test on " + std::to_string(bt.nTest) + " points above the cutoff";
    return bt;
}

}  // namespace scalelens::fit
