// Knowledge capacity: how many bits of factual knowledge a language model stores per parameter
// (Allen-Zhu & Li 2024, "Physics of Language Models: Part 3.3, Knowledge Capacity Scaling
// Laws", arXiv 2404.05405, ICLR 2025).
//
// Three tools:
//   1. bits stored, from a trained model's losses on synthetic biographies (bioS / bioD):
//        double bits = knowledgeBitsBioS(nPeople, p1, p2);   // capacity ratio = bits / P
//   2. a fit of bits against P across models: bits per parameter with a bootstrap CI
//        fitBitsPerParameter(points, options)
//   3. a calculator: bits and facts storable by P parameters under the paper's empirical
//      factors (exposures, quantisation, MoE, junk data), each factor labelled with its source
//        KnowledgeCalcInputs in; in.params = 7e9;
//        KnowledgeEstimate e = estimateKnowledgeCapacity(in);  // 1.4e10 bits at 2 bit/param
//
// WARNING: apart from the abstract (2 bits/param, int8 keeps it, 7B -> 14B bits), the paper's
// numbers here come from secondary notes (laws.md §D tags them [S]); the result numbers in
// the citations follow those notes and were not checked against the PDF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fitting/result.h"

namespace scalelens::fit {

// bioS name pool: 400 first × 400 middle × 1000 last names.
inline constexpr double kBioSNamePool = 1.6e8;
// bioS attribute value space S₀ = 2 × (12·28·200) × 200 × 300 × 100 × 263 = 2.1208e14
// (gender × birth date × city × university × major × employer).
inline constexpr double kBioSValueSpace =
    2.0 * (12.0 * 28.0 * 200.0) * 200.0 * 300.0 * 100.0 * 263.0;

// Bits stored about a bioS(N) dataset (laws.md §D, Allen-Zhu & Li 2024 Def. of R(F)):
//   N·log2(N₀/e^{p1}) + N·log2(S₀/e^{p2})
// p1 = per-name loss (summed nats over the name tokens, averaged over people),
// p2 = per-person value loss (summed nats over all attribute values, averaged over people).
// Negative terms are kept as computed (a model worse than chance on names has no knowledge
// of them but the bound is not clamped; callers can check).
double knowledgeBitsBioS(double nPeople, double p1, double p2, double namePool = kBioSNamePool,
                         double valueSpace = kBioSValueSpace);

// Maximum bits a bioS(N) dataset holds: perfect memorisation, p1 = ln N, p2 = 0.
double maxKnowledgeBitsBioS(double nPeople);

// General bioD(N, K, C, D, L, T) lower bound on stored bits:
//   N·log2(N₀/e^{p1}) + N·K·log2(D^C/e^{p2}) + K·D·log2(T^L/(D·e^{p3}))
struct BioDSpec {
    double nPeople = 0;         // N, individuals
    double namePool = 0;        // N₀, possible names
    double attributes = 0;      // K, attributes per individual
    double chunksPerValue = 0;  // C, chunks per attribute value
    double diversity = 0;       // D, distinct chunks per attribute
    double chunkLength = 0;     // L, tokens per chunk
    double vocabulary = 0;      // T, token vocabulary of the chunks
    double p1 = 0;              // name loss, summed nats per individual
    double p2 = 0;              // value loss, summed nats per individual
    double p3 = 0;              // diversity-chunk loss, summed nats per chunk

    // All finite, counts > 0, losses >= 0; names the first bad field.
    bool isValid(std::string* error) const;
};
double knowledgeBitsBioD(const BioDSpec& spec);

// ---------------------------------------------------------------------------------------
// Fit of bits against parameters across models.

struct KnowledgePoint {
    double params = 0;  // P, parameters excluding unused embedding rows
    double bits = 0;    // knowledge bits stored (from the functions above)
};

struct KnowledgeFitOptions {
    // Bootstrap resamples of the points for the CI of bits/param (pairs resampled together).
    int bootstrapSamples = 2000;
    // Seed, so results are reproducible.
    std::uint64_t seed = 33;
    // Two-sided confidence level of the percentile CI, in (0, 1).
    double confidenceLevel = 0.95;

    bool isValid(std::string* error) const;
};

struct KnowledgeFitResult : FitResultBase {
    // Through-origin least squares bits = R·P: R = Σ P·bits / Σ P².
    // R: stdError (bootstrap SD) and ci95 (bootstrap percentile interval at
    // KnowledgeFitOptions::confidenceLevel) are set when the bootstrap ran.
    Estimate bitsPerParam;
    std::vector<double> ratios;  // per-point capacity ratio bits/P, input order
    double maxRatio = 0;         // the paper's "peak capacity ratio"
    int bootstrapSamples = 0;
};

KnowledgeFitResult fitBitsPerParameter(const std::vector<KnowledgePoint>& points,
                                       const KnowledgeFitOptions& options = {},
                                       const ProgressCallback& progress = {});

// ---------------------------------------------------------------------------------------
// Calculator.

enum class KnowledgePrecision {
    Float,  // bf16/fp16/fp32 training precision (the baseline)
    Int8,   // post-training int8 quantisation: capacity unchanged
    Int4,   // post-training int4 (GPTQ): ≈0.7 bit/param at 1000 exposures
};

enum class KnowledgeArchitecture {
    Gpt2,      // GPT-2 with rotary embeddings (the paper's baseline)
    GatedMlp,  // LLaMA / Mistral style gated MLP: 1.3× lower at 100 exposures
};

struct KnowledgeCalcInputs {
    double params = 0;     // P, parameters (total parameters for MoE), > 0
    int exposures = 1000;  // times each fact is seen in training; the paper measured 1000 or 100
    KnowledgePrecision precision = KnowledgePrecision::Float;
    KnowledgeArchitecture architecture = KnowledgeArchitecture::Gpt2;
    bool mixtureOfExperts = false;  // MoE with 32 experts, top-1 routing, P = total params
    bool junkData = false;          // useful:junk = 1:7 (junk = non-knowledge, non-repetitive)
    bool domainTokens = false;      // with junkData: a domain token prepended to useful data
    double bitsPerFact = 0;         // bits per fact; 0 = one bioS person's attributes, log2 S₀

    // params > 0 and finite, exposures 100 or 1000, bitsPerFact >= 0; names the bad field.
    bool isValid(std::string* error) const;
};

// One multiplicative factor applied to the baseline.
struct KnowledgeFactor {
    std::string name;       // e.g. "int4 quantisation"
    double multiplier = 1;  // applied to bits/param
    std::string citation;   // paper and result number, with the evidence tag
};

struct KnowledgeEstimate {
    bool ok = false;  // false: see message, other fields are 0
    std::string message;
    double bitsPerParam = 0;               // after every factor
    double bits = 0;                       // bitsPerParam × params
    double facts = 0;                      // bits / bitsPerFact
    double bitsPerFact = 0;                // the value used
    std::vector<KnowledgeFactor> factors;  // baseline first, then each adjustment
    std::vector<std::string> notes;        // extrapolations beyond what the paper measured
};

KnowledgeEstimate estimateKnowledgeCapacity(const KnowledgeCalcInputs& inputs);

// Parameters needed to store `bits` at `bitsPerParam` (e.g. the 2 bit/param law).
double paramsForBits(double bits, double bitsPerParam = 2.0);

}  // namespace scalelens::fit
