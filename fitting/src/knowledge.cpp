#include "fitting/knowledge.h"

#include "fitting/diagnostics.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace scalelens::fit {
namespace {

constexpr double kLn2 = 0.69314718055994530942;
const char* const kPaper = "Allen-Zhu & Li 2024, Physics of LMs 3.3, arXiv 2404.05405";

bool positive(double v) {
    return std::isfinite(v) && v > 0;
}

bool fail(std::string* error, const std::string& msg) {
    if (error)
        *error = msg;
    return false;
}

}  // namespace

double knowledgeBitsBioS(double nPeople, double p1, double p2, double namePool, double valueSpace) {
    // log2(N₀/e^p) = log2 N₀ − p/ln 2.
    return nPeople * (std::log2(namePool) - p1 / kLn2) +
           nPeople * (std::log2(valueSpace) - p2 / kLn2);
}

double maxKnowledgeBitsBioS(double nPeople) {
    return knowledgeBitsBioS(nPeople, std::log(nPeople), 0.0);
}

bool BioDSpec::isValid(std::string* error) const {
    const std::pair<double, const char*> counts[] = {
        {nPeople, "nPeople"},       {namePool, "namePool"},
        {attributes, "attributes"}, {chunksPerValue, "chunksPerValue"},
        {diversity, "diversity"},   {chunkLength, "chunkLength"},
        {vocabulary, "vocabulary"}};
    for (const auto& [v, name] : counts)
        if (!positive(v))
            return fail(error, std::string(name) + " must be a finite number > 0");
    const std::pair<double, const char*> losses[] = {{p1, "p1"}, {p2, "p2"}, {p3, "p3"}};
    for (const auto& [v, name] : losses)
        if (!std::isfinite(v) || v < 0)
            return fail(error, std::string(name) + " must be a finite loss >= 0 (nats)");
    return true;
}

double knowledgeBitsBioD(const BioDSpec& s) {
    const double names = s.nPeople * (std::log2(s.namePool) - s.p1 / kLn2);
    const double values =
        s.nPeople * s.attributes * (s.chunksPerValue * std::log2(s.diversity) - s.p2 / kLn2);
    const double chunks =
        s.attributes * s.diversity *
        (s.chunkLength * std::log2(s.vocabulary) - std::log2(s.diversity) - s.p3 / kLn2);
    return names + values + chunks;
}

bool KnowledgeFitOptions::isValid(std::string* error) const {
    if (bootstrapSamples < 0)
        return fail(error, "bootstrapSamples must be >= 0");
    if (!(confidenceLevel > 0 && confidenceLevel < 1))
        return fail(error, "confidenceLevel must be in (0, 1)");
    return true;
}

KnowledgeFitResult fitBitsPerParameter(const std::vector<KnowledgePoint>& points,
                                       const KnowledgeFitOptions& options,
                                       const ProgressCallback& progress) {
    KnowledgeFitResult r;
    std::string error;
    if (!options.isValid(&error)) {
        r.status = FitStatus::Failed;
        r.message = "invalid options: " + error;
        return r;
    }
    if (points.empty()) {
        r.status = FitStatus::Failed;
        r.message = "no points: need at least one (params, bits) pair";
        return r;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!positive(points[i].params) || !std::isfinite(points[i].bits)) {
            r.status = FitStatus::Failed;
            r.message = "point " + std::to_string(i) + ": params must be > 0 and bits finite";
            return r;
        }
    }
    auto slope = [](const std::vector<const KnowledgePoint*>& pts) {
        double sxy = 0, sxx = 0;
        for (const KnowledgePoint* p : pts) {
            sxy += p->params * p->bits;
            sxx += p->params * p->params;
        }
        return sxy / sxx;
    };
    std::vector<const KnowledgePoint*> all;
    for (const auto& p : points) {
        all.push_back(&p);
        r.ratios.push_back(p.bits / p.params);
    }
    r.maxRatio = *std::max_element(r.ratios.begin(), r.ratios.end());
    r.bitsPerParam.name = "bits_per_param";
    r.bitsPerParam.value = slope(all);
    if (options.bootstrapSamples > 0 && points.size() > 1) {
        std::mt19937_64 rng(options.seed);
        std::vector<double> draws;
        std::vector<const KnowledgePoint*> sample(all.size());
        for (int s = 0; s < options.bootstrapSamples; ++s) {
            if (progress && s % 100 == 0 &&
                !progress(static_cast<double>(s) / options.bootstrapSamples)) {
                r.status = FitStatus::Cancelled;
                r.message = "cancelled during the bootstrap";
                return r;
            }
            for (auto& p : sample)
                p = all[rng() % all.size()];
            draws.push_back(slope(sample));
        }
        std::sort(draws.begin(), draws.end());
        const double n = static_cast<double>(draws.size());
        double mean = 0, var = 0;
        for (double d : draws)
            mean += d / n;
        for (double d : draws)
            var += (d - mean) * (d - mean) / (n - 1);
        auto q = [&](double f) {
            const double pos = f * (n - 1);
            const auto lo = static_cast<std::size_t>(pos);
            const std::size_t hi = std::min(lo + 1, draws.size() - 1);
            return draws[lo] + (pos - static_cast<double>(lo)) * (draws[hi] - draws[lo]);
        };
        const double tail = (1 - options.confidenceLevel) / 2;
        r.bitsPerParam.ci95 = Interval{q(tail), q(1 - tail)};
        r.bitsPerParam.stdError = std::sqrt(var);
        r.bootstrapSamples = static_cast<int>(draws.size());
    }
    r.status = FitStatus::Converged;
    r.message = "through-origin fit of bits = R*P on " + std::to_string(points.size()) + " points";
    if (points.size() == 1)
        r.message += " (one point: no CI)";
    ProblemFacts facts;
    facts.nPoints = static_cast<int>(points.size());
    facts.nParams = 1;
    std::vector<double> params;
    for (const KnowledgePoint& p : points)
        params.push_back(p.params);
    // One distinct P gives a ratio, not a law: the linearity in P is not tested.
    facts.regressors.push_back({"P", countDistinct(params), 2});
    // Knowledge cannot be negative: R <= 0 means the bits were not measured as intended.
    facts.params.push_back({"bits_per_param", r.bitsPerParam.value, 0.0, HUGE_VAL, 0.0});
    if (options.bootstrapSamples > 0 && points.size() > 1) {
        facts.bootstrapRequested = options.bootstrapSamples;
        facts.bootstrapUsed = r.bootstrapSamples;
        facts.bootstrapped.push_back({r.bitsPerParam, 0.0});
    }
    applyDiagnostics(diagnose(facts), &r);
    return r;
}

bool KnowledgeCalcInputs::isValid(std::string* error) const {
    if (!positive(params))
        return fail(error, "params must be a finite number > 0");
    if (exposures != 100 && exposures != 1000)
        return fail(error, "exposures must be 100 or 1000 (the two settings the paper measured)");
    if (!std::isfinite(bitsPerFact) || bitsPerFact < 0)
        return fail(error, "bitsPerFact must be a finite number >= 0 (0 = one bioS person)");
    if (domainTokens && !junkData)
        return fail(error, "domainTokens only applies together with junkData");
    return true;
}

KnowledgeEstimate estimateKnowledgeCapacity(const KnowledgeCalcInputs& in) {
    KnowledgeEstimate e;
    std::string error;
    if (!in.isValid(&error)) {
        e.message = error;
        return e;
    }
    const bool high = in.exposures == 1000;
    const std::string paper = kPaper;
    if (high)
        e.factors.push_back({"baseline: 1000 exposures", 2.0,
                             paper + ", abstract [P] and Result 1 [S]: 2 bits/param"});
    else
        e.factors.push_back(
            {"baseline: 100 exposures", 1.0, paper + ", Result 4 [S]: 1 bit/param"});
    if (in.architecture == KnowledgeArchitecture::GatedMlp) {
        if (high)
            e.factors.push_back({"gated MLP (LLaMA/Mistral), 1000 exposures", 1.0,
                                 paper + ", Result 5 [S]: same as GPT-2"});
        else
            e.factors.push_back({"gated MLP (LLaMA/Mistral), 100 exposures", 1.0 / 1.3,
                                 paper + ", Result 6 [S]: 1.3x lower"});
    }
    switch (in.precision) {
        case KnowledgePrecision::Float:
            break;
        case KnowledgePrecision::Int8:
            e.factors.push_back(
                {"int8 quantisation", 1.0, paper + ", abstract [P] and Result 8 [S]: unchanged"});
            break;
        case KnowledgePrecision::Int4:
            e.factors.push_back({"int4 quantisation (GPTQ)", 0.7 / 2.0,
                                 paper + ", Result 8 [S]: ~0.7 bit/param, >2x lower"});
            if (!high)
                e.notes.push_back("int4 factor measured at 1000 exposures; applied unchanged");
            break;
    }
    if (in.mixtureOfExperts)
        e.factors.push_back({"MoE, 32 experts top-1, per total parameter",
                             high ? 1.0 / 1.3 : 1.0 / 1.5,
                             paper + ", Result 9 [S]: 1.3x lower (1000 exp.), 1.5x (100 exp.)"});
    if (in.junkData) {
        if (in.domainTokens)
            e.factors.push_back({"junk data 1:7 with domain tokens", 1.0 / 2.0,
                                 paper + ", Results 10-12 [S]: loss reduced to ~2x"});
        else
            e.factors.push_back(
                {"junk data 1:7", 1.0 / 20.0, paper + ", Result 10 [S]: up to 20x lower"});
        if (high)
            e.notes.push_back(
                "junk-data factor measured with 100 exposures of useful data; "
                "applied unchanged at 1000");
    }
    double r = 1.0;
    for (const auto& f : e.factors)
        r *= f.multiplier;
    e.bitsPerParam = r;
    e.bits = r * in.params;
    e.bitsPerFact = in.bitsPerFact > 0 ? in.bitsPerFact : std::log2(kBioSValueSpace);
    e.facts = e.bits / e.bitsPerFact;
    if (e.factors.size() > 2)
        e.notes.push_back(
            "factors measured one at a time; combining them multiplicatively is "
            "an assumption");
    e.ok = true;
    return e;
}

double paramsForBits(double bits, double bitsPerParam) {
    return bitsPerParam > 0 ? bits / bitsPerParam : 0.0;
}

}  // namespace scalelens::fit
