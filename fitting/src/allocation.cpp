#include "fitting/allocation.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "bootstrap_stats.h"

namespace scalelens::fit {

bool computeAllocation(const ChinchillaParams& p, double compute, Allocation* out,
                       std::string* error) {
    if (!p.isValid(error))
        return false;
    if (!std::isfinite(compute) || compute <= 0) {
        if (error)
            *error = "compute must be finite and > 0";
        return false;
    }
    // Hoffmann et al. 2022, Eq. 4 with the C = 6 N D constraint (laws.md §E, derivation).
    Allocation a;
    a.compute = compute;
    const double s = p.alpha + p.beta;
    a.a = p.beta / s;
    a.b = p.alpha / s;
    a.G = std::pow(p.alpha * p.A / (p.beta * p.B), 1.0 / s);
    const double c6 = compute / 6.0;
    a.nOpt = a.G * std::pow(c6, a.a);
    a.dOpt = std::pow(c6, a.b) / a.G;
    a.tokensPerParam = a.dOpt / a.nOpt;
    a.loss = p.loss(a.nOpt, a.dOpt);
    *out = a;
    return true;
}

Allocation computeAllocation(const ChinchillaParams& p, double compute) {
    Allocation a;
    [[maybe_unused]] const bool ok = computeAllocation(p, compute, &a);
    assert(ok && "computeAllocation: invalid parameters or compute");
    return a;
}

double optimalTokensForParams(const ChinchillaParams& p, double N) {
    // alpha A N^-alpha = beta B D^-beta at the constrained optimum.
    return std::pow(p.beta * p.B * std::pow(N, p.alpha) / (p.alpha * p.A), 1.0 / p.beta);
}

double optimalParamsForTokens(const ChinchillaParams& p, double D) {
    return std::pow(p.alpha * p.A * std::pow(D, p.beta) / (p.beta * p.B), 1.0 / p.alpha);
}

namespace {
ConstrainedPlan makePlan(const ChinchillaParams& p, double N, double D, double compute) {
    ConstrainedPlan plan;
    plan.N = N;
    plan.D = D;
    plan.loss = p.loss(N, D);
    plan.optimalLoss = computeAllocation(p, compute).loss;
    plan.excessLoss = std::max(0.0, plan.loss - plan.optimalLoss);
    return plan;
}
}  // namespace

ConstrainedPlan planWithFixedParams(const ChinchillaParams& p, double N, double compute) {
    return makePlan(p, N, compute / (6.0 * N), compute);
}

ConstrainedPlan planWithFixedTokens(const ChinchillaParams& p, double D, double compute) {
    return makePlan(p, compute / (6.0 * D), D, compute);
}

AllocationEstimate allocationWithCi(const FitResult& fit, double compute) {
    AllocationEstimate out;
    const ChinchillaParams p = fit.chinchilla();
    if (!computeAllocation(p, compute, &out.point))
        return out;
    const auto pick = [](const Allocation& a) {
        return std::array<double, 7>{a.a, a.b, a.G, a.nOpt, a.dOpt, a.tokensPerParam, a.loss};
    };
    static const std::array<const char*, 7> kNames = {
        "a", "b", "G", "N_opt", "D_opt", "tokens_per_param", "loss"};
    const auto point = pick(out.point);
    std::array<std::vector<double>, 7> samples;
    for (const auto& s : fit.bootstrapSamples) {
        if (s.size() < 5)
            continue;
        Allocation a;
        if (!computeAllocation({s[0], s[1], s[2], s[3], s[4]}, compute, &a))
            continue;
        const auto v = pick(a);
        for (std::size_t i = 0; i < v.size(); ++i)
            samples[i].push_back(v[i]);
    }
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        Estimate e;
        e.name = kNames[i];
        e.value = point[i];
        detail::fillBootstrapStats(samples[i], &e);
        out.items.push_back(std::move(e));
    }
    return out;
}

}  // namespace scalelens::fit
