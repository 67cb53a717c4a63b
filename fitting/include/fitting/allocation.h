// Compute-optimal allocation for the Chinchilla law (Hoffmann et al. 2022, Eq. 4).
//
// Minimising L(N, D) = E + A/N^alpha + B/D^beta subject to C = 6 N D gives
//   N_opt(C) = G (C/6)^a,  D_opt(C) = G^-1 (C/6)^b,
//   G = (alpha A / (beta B))^(1/(alpha+beta)),  a = beta/(alpha+beta),  b = alpha/(alpha+beta).
//
// Usage:
//   auto alloc = fit::computeAllocation(fit::ChinchillaParams::hoffmann2022(), 1e21);
//   // alloc.nOpt == 1.824e9, alloc.dOpt == 9.136e10, alloc.tokensPerParam == 50.1
//   auto withCi = fit::allocationWithCi(fitResult, 1e21);  // needs bootstrap samples
#pragma once

#include <optional>
#include <string>

#include "fitting/chinchilla_fit.h"
#include "fitting/law.h"

namespace scalelens::fit {

struct Allocation {
    double compute = 0;         // C, FLOPs
    double a = 0;               // exponent of N_opt in C
    double b = 0;               // exponent of D_opt in C (a + b = 1)
    double G = 0;               // (alpha A / (beta B))^(1/(alpha+beta))
    double nOpt = 0;            // parameters
    double dOpt = 0;            // tokens
    double tokensPerParam = 0;  // D_opt / N_opt
    double loss = 0;            // L(N_opt, D_opt), nats/token
};

// Returns false (and sets *error) when the params are invalid or compute <= 0 / not finite.
bool computeAllocation(const ChinchillaParams& p, double compute, Allocation* out,
                       std::string* error = nullptr);
// Convenience; asserts valid input (programmer error otherwise).
Allocation computeAllocation(const ChinchillaParams& p, double compute);

// For a model of fixed size N: the token count at which N is compute-optimal, i.e. where
// alpha A N^-alpha = beta B D^-beta  =>  D = (beta B N^alpha / (alpha A))^(1/beta).
double optimalTokensForParams(const ChinchillaParams& p, double N);
// For a fixed token count D: the compute-optimal model size, by symmetry.
double optimalParamsForTokens(const ChinchillaParams& p, double D);

// A plan under a budget with one side fixed: with N fixed, D = C/(6N); with D fixed,
// N = C/(6D). Reports the loss and its excess over the compute-optimal loss at C.
struct ConstrainedPlan {
    double N = 0;
    double D = 0;
    double loss = 0;
    double optimalLoss = 0;  // L(N_opt(C), D_opt(C))
    double excessLoss = 0;   // loss - optimalLoss (>= 0)
};
ConstrainedPlan planWithFixedParams(const ChinchillaParams& p, double N, double compute);
ConstrainedPlan planWithFixedTokens(const ChinchillaParams& p, double D, double compute);

// Allocation at C with bootstrap CIs from a FitResult that carries bootstrapSamples.
// Estimates are named "a", "b", "G", "N_opt", "D_opt", "tokens_per_param", "loss".
struct AllocationEstimate {
    Allocation point;             // from the fitted parameters
    std::vector<Estimate> items;  // with stdError / ci95 when samples exist
};
AllocationEstimate allocationWithCi(const FitResult& fit, double compute);

}  // namespace scalelens::fit
