#include "fitting/hparams_fit.h"

#include "fitting/diagnostics.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "fitting/hparams.h"

namespace scalelens::fit {
namespace {

// Index reflected into [0, n) the way scipy.ndimage mode="reflect" does (d c b a | a b c d).
long reflectIndex(long i, long n) {
    const long period = 2 * n;
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - 1 - i;
}

// OLS y = X·b (X already has the intercept column). False when X is rank deficient.
bool ols(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, Eigen::VectorXd* b) {
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
    if (qr.rank() < x.cols())
        return false;
    *b = qr.solve(y);
    return b->allFinite();
}

double rSquared(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& b) {
    const double mean = y.mean();
    const double ssTot = (y.array() - mean).square().sum();
    const double ssRes = (y - x * b).squaredNorm();
    return ssTot > 0 ? 1.0 - ssRes / ssTot : 1.0;
}

struct Design {
    Eigen::MatrixXd xLr;  // [1, ln N, ln D]
    Eigen::MatrixXd xBs;  // [1, ln D]
    Eigen::VectorXd yLr;  // ln lr
    Eigen::VectorXd yBs;  // ln batch tokens
};

Design makeDesign(const std::vector<const LrBsRun*>& rows) {
    const auto m = static_cast<Eigen::Index>(rows.size());
    Design d{Eigen::MatrixXd(m, 3), Eigen::MatrixXd(m, 2), Eigen::VectorXd(m), Eigen::VectorXd(m)};
    for (Eigen::Index i = 0; i < m; ++i) {
        const LrBsRun& r = *rows[static_cast<std::size_t>(i)];
        d.xLr.row(i) << 1.0, std::log(r.n), std::log(r.d);
        d.xBs.row(i) << 1.0, std::log(r.d);
        d.yLr(i) = std::log(r.lr);
        d.yBs(i) = std::log(r.batchTokens);
    }
    return d;
}

// Fills value/sd/CI of a coefficient from bootstrap draws (mean, sd, percentiles).
void summarise(std::vector<double> draws, double level, Estimate* c) {
    const double n = static_cast<double>(draws.size());
    double mean = 0;
    for (double v : draws)
        mean += v;
    mean /= n;
    double var = 0;
    for (double v : draws)
        var += (v - mean) * (v - mean);
    std::sort(draws.begin(), draws.end());
    auto quantile = [&](double q) {
        const double pos = q * (n - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, draws.size() - 1);
        return draws[lo] + (pos - static_cast<double>(lo)) * (draws[hi] - draws[lo]);
    };
    c->value = mean;
    c->stdError = n > 1 ? std::sqrt(var / (n - 1)) : 0.0;
    c->ci95 = Interval{quantile((1 - level) / 2), quantile(1 - (1 - level) / 2)};
}

// Quadratic loss surface in (x = ln lr, y = ln batch) over the group's near-best runs.
void fitQuadratic(const std::vector<const LrBsRun*>& group, double window, LrBsGroupOptimum* g) {
    std::vector<const LrBsRun*> pts;
    for (const LrBsRun* r : group)
        if (r->loss <= g->bestLoss * (1 + window))
            pts.push_back(r);
    std::set<double> xs, ys;
    for (const LrBsRun* r : pts) {
        xs.insert(r->lr);
        ys.insert(r->batchTokens);
    }
    if (pts.size() < 6 || xs.size() < 3 || ys.size() < 3) {
        char percent[32];  // "0.5", not std::to_string's "0.500000"
        std::snprintf(percent, sizeof percent, "%g", window * 100);
        g->quadraticMessage = "needs >= 6 runs with >= 3 distinct LRs and batch sizes within " +
                              std::string(percent) + "% of the best loss";
        return;
    }
    const auto m = static_cast<Eigen::Index>(pts.size());
    Eigen::MatrixXd a(m, 6);
    Eigen::VectorXd y(m);
    double xMin = 1e300, xMax = -1e300, yMin = 1e300, yMax = -1e300;
    for (Eigen::Index i = 0; i < m; ++i) {
        const LrBsRun& r = *pts[static_cast<std::size_t>(i)];
        const double u = std::log(r.lr), v = std::log(r.batchTokens);
        a.row(i) << 1.0, u, v, u * u, u * v, v * v;
        y(i) = r.loss;
        xMin = std::min(xMin, u), xMax = std::max(xMax, u);
        yMin = std::min(yMin, v), yMax = std::max(yMax, v);
    }
    Eigen::VectorXd c;
    if (!ols(a, y, &c)) {
        g->quadraticMessage = "quadratic design is rank deficient";
        return;
    }
    Eigen::Matrix2d h;
    h << 2 * c(3), c(4), c(4), 2 * c(5);
    if (h(0, 0) <= 0 || h.determinant() <= 0) {
        g->quadraticMessage = "fitted surface has no minimum (Hessian not positive definite)";
        return;
    }
    const Eigen::Vector2d opt = h.ldlt().solve(Eigen::Vector2d(-c(1), -c(2)));
    if (opt(0) < xMin || opt(0) > xMax || opt(1) < yMin || opt(1) > yMax) {
        g->quadraticMessage = "quadratic minimum lies outside the sampled LR/batch range";
        return;
    }
    g->quadraticOk = true;
    g->quadLr = std::exp(opt(0));
    g->quadBatchTokens = std::exp(opt(1));
    const double u = opt(0), v = opt(1);
    g->quadLoss = c(0) + c(1) * u + c(2) * v + c(3) * u * u + c(4) * u * v + c(5) * v * v;
}

}  // namespace

double smoothedFinalLoss(const std::vector<double>& losses, double logInterval) {
    if (losses.empty())
        return 0.0;
    const auto n = static_cast<long>(losses.size());
    const double sigma = std::min(100.0, 0.01 * static_cast<double>(n)) / logInterval;
    if (!(sigma > 0))
        return losses.back();
    const long radius = static_cast<long>(4.0 * sigma + 0.5);
    double sum = 0, wsum = 0;
    for (long k = -radius; k <= radius; ++k) {
        const double w = std::exp(-0.5 * static_cast<double>(k * k) / (sigma * sigma));
        sum += w * losses[static_cast<std::size_t>(reflectIndex(n - 1 + k, n))];
        wsum += w;
    }
    return sum / wsum;
}

bool LrBsFitOptions::isValid(std::string* error) const {
    auto fail = [&](const char* msg) {
        if (error)
            *error = msg;
        return false;
    };
    if (!std::isfinite(nearOptimalTolerance) || nearOptimalTolerance < 0)
        return fail("nearOptimalTolerance must be a finite number >= 0");
    if (bootstrapSamples < 0)
        return fail("bootstrapSamples must be >= 0");
    if (!(confidenceLevel > 0 && confidenceLevel < 1))
        return fail("confidenceLevel must be in (0, 1)");
    if (!std::isfinite(quadraticWindow) || quadraticWindow <= 0)
        return fail("quadraticWindow must be a finite number > 0");
    return true;
}

double LogLinearLaw::predict(double n, double d) const {
    // The batch law has coefN = 0 and may be called with n = 0: skip the N term then.
    const double nTerm = coefN.value != 0 ? coefN.value * std::log(n) : 0.0;
    return std::exp(intercept.value + nTerm + coefD.value * std::log(d));
}

LrBsFitResult fitLrBsSweep(const std::vector<LrBsRun>& runs, const LrBsFitOptions& options,
                           const ProgressCallback& progress) {
    LrBsFitResult res;
    std::string error;
    if (!options.isValid(&error)) {
        res.status = FitStatus::Failed;
        res.message = "invalid options: " + error;
        return res;
    }
    std::map<std::pair<double, double>, std::vector<const LrBsRun*>> groups;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const LrBsRun& r = runs[i];
        const double vals[] = {r.n, r.d, r.lr, r.batchTokens, r.loss};
        for (double v : vals) {
            if (!std::isfinite(v) || v <= 0) {
                res.status = FitStatus::Failed;
                res.message = "run " + std::to_string(i) +
                              ": n, d, lr, batchTokens and loss must all be finite and > 0";
                return res;
            }
        }
        groups[{r.n, r.d}].push_back(&r);
    }
    std::vector<const LrBsRun*> kept;
    std::set<double> distinctN, distinctD;
    for (const auto& [key, group] : groups) {
        LrBsGroupOptimum g;
        g.n = key.first;
        g.d = key.second;
        g.runs = static_cast<int>(group.size());
        const LrBsRun* best =
            *std::min_element(group.begin(), group.end(),
                              [](const LrBsRun* a, const LrBsRun* b) { return a->loss < b->loss; });
        g.bestLr = best->lr;
        g.bestBatchTokens = best->batchTokens;
        g.bestLoss = best->loss;
        for (const LrBsRun* r : group) {
            const bool keep = options.argminOnly ? r == best
                                                 : std::abs(r->loss / best->loss - 1) <
                                                       options.nearOptimalTolerance;
            if (keep) {
                kept.push_back(r);
                ++g.kept;
            }
        }
        fitQuadratic(group, options.quadraticWindow, &g);
        distinctN.insert(g.n);
        distinctD.insert(g.d);
        res.groups.push_back(g);
    }
    res.runsUsed = static_cast<int>(kept.size());
    if (distinctN.size() < 2 || distinctD.size() < 2 || kept.size() < 4) {
        res.status = FitStatus::Failed;
        res.message = "need runs at >= 2 distinct N and >= 2 distinct D (found " +
                      std::to_string(distinctN.size()) + " N, " + std::to_string(distinctD.size()) +
                      " D, " + std::to_string(kept.size()) + " near-optimal runs)";
        return res;
    }
    const Design full = makeDesign(kept);
    Eigen::VectorXd bLr, bBs;
    if (!ols(full.xLr, full.yLr, &bLr) || !ols(full.xBs, full.yBs, &bBs)) {
        res.status = FitStatus::Failed;
        res.message = "log-linear design is rank deficient (N and D are collinear)";
        return res;
    }
    res.lr.intercept.value = bLr(0);
    res.lr.coefN.value = bLr(1);
    res.lr.coefD.value = bLr(2);
    res.lr.r2 = rSquared(full.xLr, full.yLr, bLr);
    res.batch.intercept.value = bBs(0);
    res.batch.coefD.value = bBs(1);
    res.batch.r2 = rSquared(full.xBs, full.yBs, bBs);

    if (options.bootstrapSamples > 0) {
        std::mt19937_64 rng(options.seed);
        std::vector<std::vector<double>> draws(5);
        std::vector<const LrBsRun*> sample(kept.size());
        for (int s = 0; s < options.bootstrapSamples; ++s) {
            if (progress && s % 50 == 0 &&
                !progress(static_cast<double>(s) / options.bootstrapSamples)) {
                res.status = FitStatus::Cancelled;
                res.message = "cancelled during the bootstrap; OLS coefficients kept";
                return res;
            }
            for (auto& row : sample)
                row = kept[rng() % kept.size()];
            const Design dsg = makeDesign(sample);
            Eigen::VectorXd l, b;
            if (!ols(dsg.xLr, dsg.yLr, &l) || !ols(dsg.xBs, dsg.yBs, &b))
                continue;  // degenerate resample (e.g. one N only): skipped, as a refit would fail
            draws[0].push_back(l(0));
            draws[1].push_back(l(1));
            draws[2].push_back(l(2));
            draws[3].push_back(b(0));
            draws[4].push_back(b(1));
        }
        res.bootstrapSamples = static_cast<int>(draws[0].size());
        if (res.bootstrapSamples < 2) {
            res.status = FitStatus::Failed;
            res.message = "every bootstrap resample was degenerate";
            return res;
        }
        const double lvl = options.confidenceLevel;
        summarise(draws[0], lvl, &res.lr.intercept);
        summarise(draws[1], lvl, &res.lr.coefN);
        summarise(draws[2], lvl, &res.lr.coefD);
        summarise(draws[3], lvl, &res.batch.intercept);
        summarise(draws[4], lvl, &res.batch.coefD);
    }
    if (progress)
        progress(1.0);
    res.status = FitStatus::Converged;
    res.message = "fitted " + std::to_string(kept.size()) + " near-optimal runs in " +
                  std::to_string(groups.size()) + " (N, D) groups";
    ProblemFacts facts;
    facts.nPoints = res.runsUsed;
    facts.nParams = 3;
    facts.regressors = {{"N", static_cast<int>(distinctN.size()), 3},
                        {"D", static_cast<int>(distinctD.size()), 3}};
    if (options.bootstrapSamples > 0) {
        facts.bootstrapRequested = options.bootstrapSamples;
        facts.bootstrapUsed = res.bootstrapSamples;
    }
    std::vector<Diagnostic> found = diagnose(facts);
    // A group of one run swept nothing: its "optimum" is the LR and batch it happened to use
    // (an IsoFLOP grid imported beside an LR x batch sweep), yet it weighs in the law.
    int single = 0;
    for (const LrBsGroupOptimum& g : res.groups)
        single += g.runs < 2 ? 1 : 0;
    if (single > 0)
        found.push_back({"single_run_groups", Severity::Warning,
                         std::to_string(single) + " of " + std::to_string(res.groups.size()) +
                             " (N, D) groups hold a single run: its LR and batch are the ones it "
                             "used, not a swept optimum, yet they enter the law; fit the swept "
                             "groups only (--group) for an LR and batch law"});
    applyDiagnostics(std::move(found), &res);
    return res;
}

}  // namespace scalelens::fit
