// Chinchilla Approaches 1 and 2 (Hoffmann et al. 2022 §3.1-3.2).
#include "fitting/isoflop.h"

#include "fitting/diagnostics.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

bool finitePositive(double v) {
    return std::isfinite(v) && v > 0;
}

}  // namespace

bool IsoFlopOptions::isValid(std::string* error) const {
    if (!(exactTolerance >= 0) || !std::isfinite(exactTolerance))
        return fail(error, "exactTolerance must be finite and >= 0");
    if (!finitePositive(binsPerDecade))
        return fail(error, "binsPerDecade must be finite and > 0");
    if (minSizesPerBudget < 3)
        return fail(error, "minSizesPerBudget must be >= 3 (a parabola has 3 coefficients)");
    return true;
}

bool EnvelopeOptions::isValid(std::string* error) const {
    if (gridPoints < 2)
        return fail(error, "gridPoints must be >= 2");
    return true;
}

double PowerLawFit::evaluate(double C) const {
    return coefficient * std::pow(C, exponent.value);
}

bool fitPowerLaw(const std::vector<double>& x, const std::vector<double>& y, PowerLawFit* out) {
    const std::size_t n = std::min(x.size(), y.size());
    std::set<double> distinct(x.begin(), x.begin() + static_cast<long>(n));
    if (distinct.size() < 2)
        return false;
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < n; ++i) {
        mx += std::log(x[i]);
        my += std::log(y[i]);
    }
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0, syy = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = std::log(x[i]) - mx, dy = std::log(y[i]) - my;
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    PowerLawFit f;
    f.nPoints = static_cast<int>(n);
    const double slope = sxy / sxx;
    f.exponent.name = "exponent";
    f.exponent.value = slope;
    f.coefficient = std::exp(my - slope * mx);
    const double sse = std::max(0.0, syy - slope * sxy);
    f.r2 = syy > 0 ? 1.0 - sse / syy : 1.0;
    if (n > 2) {
        // OLS slope standard error and a two-sided 95% Student-t interval (n - 2 dof).
        const double se = std::sqrt(sse / (n - 2) / sxx);
        const boost::math::students_t t(static_cast<double>(n - 2));
        const double q = boost::math::quantile(boost::math::complement(t, 0.025));
        f.exponent.covStdError = se;
        f.exponent.ci95 = Interval{slope - q * se, slope + q * se};
    }
    *out = f;
    return true;
}

IsoFlopResult fitIsoFlop(const std::vector<IsoFlopPoint>& input, const IsoFlopOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    IsoFlopResult res;
    std::string error;
    if (!options.isValid(&error)) {
        res.status = FitStatus::Failed;
        res.message = "invalid options: " + error;
        return res;
    }
    std::vector<IsoFlopPoint> pts;
    for (std::size_t i = 0; i < input.size(); ++i) {
        IsoFlopPoint p = input[i];
        if (!(p.C > 0))
            p.C = 6.0 * p.N * p.D;
        if (!(p.D > 0) && finitePositive(p.C) && finitePositive(p.N))
            p.D = p.C / (6.0 * p.N);
        if (!finitePositive(p.N) || !finitePositive(p.C) || !finitePositive(p.L)) {
            res.status = FitStatus::Failed;
            res.message =
                "point " + std::to_string(i + 1) + ": N, C (or D) and loss must be finite and > 0";
            return res;
        }
        pts.push_back(p);
    }
    std::sort(pts.begin(), pts.end(),
              [](const IsoFlopPoint& a, const IsoFlopPoint& b) { return a.C < b.C; });
    // Group into budgets.
    std::vector<std::vector<IsoFlopPoint>> groups;
    if (options.logBinning) {
        std::map<long, std::vector<IsoFlopPoint>> bins;
        for (const auto& p : pts)
            bins[std::lround(std::floor(std::log10(p.C) * options.binsPerDecade))].push_back(p);
        for (auto& [k, v] : bins)
            groups.push_back(std::move(v));
    } else {
        for (const auto& p : pts) {
            if (groups.empty() || p.C > groups.back().front().C * (1.0 + options.exactTolerance))
                groups.emplace_back();
            groups.back().push_back(p);
        }
    }
    std::vector<double> cs, ns, ds;
    for (const auto& g : groups) {
        IsoFlopBudget b;
        b.nPoints = static_cast<int>(g.size());
        double logC = 0;
        std::set<double> sizes;
        for (const auto& p : g) {
            logC += std::log(p.C);
            sizes.insert(p.N);
        }
        b.compute = std::exp(logC / g.size());
        if (static_cast<int>(sizes.size()) < options.minSizesPerBudget) {
            b.note = "fewer than " + std::to_string(options.minSizesPerBudget) + " model sizes";
            res.budgets.push_back(b);
            continue;
        }
        // Least-squares parabola L = c0 + c1 x + c2 x^2 in x = ln N (Hoffmann et al. §3.2).
        Eigen::MatrixXd X(g.size(), 3);
        Eigen::VectorXd y(g.size());
        double xmin = HUGE_VAL, xmax = -HUGE_VAL;
        for (std::size_t i = 0; i < g.size(); ++i) {
            const double x = std::log(g[i].N);
            X(i, 0) = 1;
            X(i, 1) = x;
            X(i, 2) = x * x;
            y[i] = g[i].L;
            xmin = std::min(xmin, x);
            xmax = std::max(xmax, x);
        }
        const Eigen::Vector3d c = X.colPivHouseholderQr().solve(y);
        b.curvature = c[2];
        if (!(c[2] > 0)) {
            b.note = "the parabola opens downwards (no minimum)";
            res.budgets.push_back(b);
            continue;
        }
        const double xs = -c[1] / (2 * c[2]);
        if (xs < xmin || xs > xmax) {
            b.note = "the minimum lies outside the sampled model sizes";
            res.budgets.push_back(b);
            continue;
        }
        b.nOpt = std::exp(xs);
        b.dOpt = b.compute / (6.0 * b.nOpt);
        b.lossAtOpt = c[0] + c[1] * xs + c[2] * xs * xs;
        b.used = true;
        res.budgets.push_back(b);
        cs.push_back(b.compute);
        ns.push_back(b.nOpt);
        ds.push_back(b.dOpt);
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (cs.size() < 2 || !fitPowerLaw(cs, ns, &res.nOptLaw) || !fitPowerLaw(cs, ds, &res.dOptLaw)) {
        res.status = FitStatus::Failed;
        res.message = "need at least 2 compute budgets with a usable parabola (>= " +
                      std::to_string(options.minSizesPerBudget) + " model sizes each); found " +
                      std::to_string(cs.size());
        return res;
    }
    res.status = FitStatus::Converged;
    res.message = "fitted " + std::to_string(cs.size()) + " of " +
                  std::to_string(res.budgets.size()) + " budgets";
    ProblemFacts facts;
    facts.regressors = {{"compute budget (with a usable parabola)", countDistinct(cs), 3}};
    facts.derived = {{"N_opt exponent", res.nOptLaw.exponent.value},
                     {"D_opt exponent", res.dOptLaw.exponent.value}};
    applyDiagnostics(diagnose(facts), &res);
    return res;
}

EnvelopeResult fitEnvelope(const std::vector<TrainingCurve>& curves,
                           const EnvelopeOptions& options) {
    EnvelopeResult res;
    std::string error;
    if (!options.isValid(&error)) {
        res.status = FitStatus::Failed;
        res.message = "invalid options: " + error;
        return res;
    }
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (const auto& c : curves) {
        if (!finitePositive(c.N) || c.flops.size() != c.loss.size() || c.flops.size() < 2) {
            res.status = FitStatus::Failed;
            res.message = "run '" + c.runId +
                          "': needs N > 0 and at least 2 (flops, loss) points of equal length";
            return res;
        }
        for (std::size_t i = 0; i < c.flops.size(); ++i) {
            if (!finitePositive(c.flops[i]) || !finitePositive(c.loss[i]) ||
                (i > 0 && !(c.flops[i] > c.flops[i - 1]))) {
                res.status = FitStatus::Failed;
                res.message = "run '" + c.runId +
                              "': flops must increase and flops and loss must be finite and > 0";
                return res;
            }
        }
        lo = std::min(lo, c.flops.front());
        hi = std::max(hi, c.flops.back());
    }
    if (curves.size() < 2) {
        res.status = FitStatus::Failed;
        res.message = "need training curves of at least 2 model sizes";
        return res;
    }
    std::vector<double> cs, ns, ds;
    for (int k = 0; k < options.gridPoints; ++k) {
        const double logC =
            std::log(lo) + (std::log(hi) - std::log(lo)) * k / (options.gridPoints - 1);
        const double C = std::exp(logC);
        EnvelopePoint best;
        best.loss = HUGE_VAL;
        for (const auto& c : curves) {
            if (C < c.flops.front() || C > c.flops.back())
                continue;
            const auto it = std::lower_bound(c.flops.begin(), c.flops.end(), C);
            const std::size_t j = std::max<std::size_t>(1, it - c.flops.begin());
            const double x0 = std::log(c.flops[j - 1]), x1 = std::log(c.flops[j]);
            const double t = x1 > x0 ? (logC - x0) / (x1 - x0) : 0.0;
            const double L = c.loss[j - 1] + t * (c.loss[j] - c.loss[j - 1]);
            if (L < best.loss) {
                best = {C, L, c.N, C / (6.0 * c.N)};
            }
        }
        if (std::isfinite(best.loss)) {
            res.envelope.push_back(best);
            cs.push_back(best.compute);
            ns.push_back(best.N);
            ds.push_back(best.D);
        }
    }
    if (!fitPowerLaw(cs, ns, &res.nOptLaw) || !fitPowerLaw(cs, ds, &res.dOptLaw) ||
        std::set<double>(ns.begin(), ns.end()).size() < 2) {
        res.status = FitStatus::Failed;
        res.message = "the envelope is made of a single model size; no power law can be fitted";
        return res;
    }
    res.status = FitStatus::Converged;
    res.message = "envelope of " + std::to_string(curves.size()) + " runs";
    ProblemFacts facts;
    facts.regressors = {{"model size on the envelope", countDistinct(ns), 3}};
    applyDiagnostics(diagnose(facts), &res);
    return res;
}

}  // namespace scalelens::fit
