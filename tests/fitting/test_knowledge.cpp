// Knowledge capacity (Allen-Zhu & Li 2024; laws.md §D).
#include <cmath>

#include "fitting/knowledge.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

TEST_CASE("bioS constants: log2 S0 = 47.59, log2 N0 = 27.25", "[knowledge]") {
    CHECK(kBioSValueSpace == Approx(2.1208e14).epsilon(1e-4));
    CHECK(std::log2(kBioSValueSpace) == Approx(47.59).margin(0.005));
    CHECK(std::log2(kBioSNamePool) == Approx(27.25).margin(0.005));
}

TEST_CASE("Maximum bioS bits reproduce the laws.md table", "[knowledge]") {
    // laws.md §D table: N, bits/person, total bits, P at 2 bit/param.
    struct Row {
        double n, perPerson, total, p;
    };
    const Row rows[] = {{1e4, 61.56, 6.16e5, 3.1e5}, {5e4, 59.24, 2.96e6, 1.5e6},
                        {1e5, 58.24, 5.82e6, 2.9e6}, {2e5, 57.24, 1.14e7, 5.7e6},
                        {5e5, 55.91, 2.80e7, 1.4e7}, {1e6, 54.91, 5.49e7, 2.7e7},
                        {2e6, 53.91, 1.08e8, 5.4e7}, {1e7, 51.59, 5.16e8, 2.6e8}};
    for (const Row& row : rows) {
        const double bits = maxKnowledgeBitsBioS(row.n);
        CHECK(bits / row.n == Approx(row.perPerson).margin(0.005));
        CHECK(bits == Approx(row.total).epsilon(5e-3));
        CHECK(paramsForBits(bits) == Approx(row.p).epsilon(0.03));  // table rounds to 2 digits
    }
    // Verification checklist: N = 1M -> 5.49e7 bits -> P ~ 2.75e7 at 2 bit/param.
    CHECK(paramsForBits(maxKnowledgeBitsBioS(1e6)) == Approx(2.75e7).epsilon(2e-3));
}

TEST_CASE("bioS bits from losses", "[knowledge]") {
    // Chance-level values (p1 = ln N0, p2 = ln S0) store nothing.
    CHECK(knowledgeBitsBioS(1e5, std::log(kBioSNamePool), std::log(kBioSValueSpace)) ==
          Approx(0.0).margin(1e-6));
    // Half the value entropy learnt: p2 = ln(S0)/2 -> N*(log2(N0/N) + log2(S0)/2).
    const double n = 1e5;
    const double expected = n * (std::log2(kBioSNamePool / n) + 0.5 * std::log2(kBioSValueSpace));
    CHECK(knowledgeBitsBioS(n, std::log(n), 0.5 * std::log(kBioSValueSpace)) ==
          Approx(expected).epsilon(1e-12));
}

TEST_CASE("bioD formula", "[knowledge]") {
    BioDSpec s;
    s.nPeople = 1000;
    s.namePool = 1e6;
    s.attributes = 2;
    s.chunksPerValue = 3;
    s.diversity = 16;
    s.chunkLength = 2;
    s.vocabulary = 32;
    s.p1 = std::log(1000.0);  // names memorised up to the N-of-N0 choice
    s.p2 = 0;
    s.p3 = 0;
    std::string error;
    REQUIRE(s.isValid(&error));
    // Hand computation: 1000*log2(1e6/1000) + 1000*2*3*4 + 2*16*(2*5 - 4)
    const double expected = 1000 * std::log2(1000.0) + 24000.0 + 192.0;
    CHECK(knowledgeBitsBioD(s) == Approx(expected).epsilon(1e-12));
    s.vocabulary = 0;
    CHECK_FALSE(s.isValid(&error));
    CHECK(error == "vocabulary must be a finite number > 0");
}

TEST_CASE("bits-per-parameter fit through the origin with a bootstrap CI", "[knowledge]") {
    std::vector<KnowledgePoint> pts = {{1e6, 2.1e6}, {2e6, 3.9e6}, {4e6, 8.2e6}, {8e6, 15.6e6}};
    auto r = fitBitsPerParameter(pts);
    REQUIRE(r.status == FitStatus::Converged);
    // Sum P*bits / Sum P^2 = (2.1 + 7.8 + 32.8 + 124.8)e12 / (1 + 4 + 16 + 64)e12 = 167.5/85.
    CHECK(r.bitsPerParam.value == Approx(167.5 / 85.0).epsilon(1e-12));
    CHECK(r.maxRatio == Approx(2.1));
    REQUIRE(r.bitsPerParam.ci95);
    REQUIRE(r.bitsPerParam.stdError);
    CHECK(r.bitsPerParam.ciLow() <= r.bitsPerParam.value);
    CHECK(r.bitsPerParam.ciHigh() >= r.bitsPerParam.value);
    // R is a P^2-weighted mean of the per-point ratios, so every resample lies in [1.95, 2.1].
    CHECK(r.bitsPerParam.ciLow() >= 1.95 - 1e-12);
    CHECK(r.bitsPerParam.ciHigh() <= 2.1 + 1e-12);
    CHECK(r.bitsPerParam.ciHigh() > r.bitsPerParam.ciLow());
    CHECK(*r.bitsPerParam.stdError > 0);
    CHECK(r.bootstrapSamples == 2000);

    auto bad = fitBitsPerParameter({{0, 1}});
    CHECK(bad.status == FitStatus::Failed);
    CHECK(bad.message == "point 0: params must be > 0 and bits finite");
    CHECK(fitBitsPerParameter({}).message == "no points: need at least one (params, bits) pair");
}

TEST_CASE("Knowledge calculator: baseline and factors", "[knowledge]") {
    KnowledgeCalcInputs in;
    in.params = 7e9;
    auto e = estimateKnowledgeCapacity(in);
    REQUIRE(e.ok);
    CHECK(e.bits == Approx(1.4e10));  // abstract: "a 7B model can store 14B bits"
    CHECK(e.bitsPerParam == Approx(2.0));
    CHECK(e.bitsPerFact == Approx(47.5916).epsilon(1e-5));
    CHECK(e.facts == Approx(1.4e10 / std::log2(kBioSValueSpace)));
    REQUIRE(e.factors.size() == 1);
    CHECK(e.factors[0].citation.find("2404.05405") != std::string::npos);

    in.exposures = 100;
    in.architecture = KnowledgeArchitecture::GatedMlp;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(1.0 / 1.3));
    in.architecture = KnowledgeArchitecture::Gpt2;
    in.precision = KnowledgePrecision::Int8;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(1.0));
    in.exposures = 1000;
    in.precision = KnowledgePrecision::Int4;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(0.7));
    in.precision = KnowledgePrecision::Float;
    in.mixtureOfExperts = true;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(2.0 / 1.3));
    in.mixtureOfExperts = false;
    in.exposures = 100;
    in.junkData = true;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(1.0 / 20));
    in.domainTokens = true;
    CHECK(estimateKnowledgeCapacity(in).bitsPerParam == Approx(0.5));
}

TEST_CASE("Knowledge calculator rejects bad input with a message", "[knowledge]") {
    KnowledgeCalcInputs in;
    auto e = estimateKnowledgeCapacity(in);
    CHECK_FALSE(e.ok);
    CHECK(e.message == "params must be a finite number > 0");
    CHECK(e.bits == 0);
    in.params = 1e9;
    in.exposures = 300;
    CHECK(estimateKnowledgeCapacity(in).message ==
          "exposures must be 100 or 1000 (the two settings the paper measured)");
    in.exposures = 1000;
    in.domainTokens = true;
    CHECK(estimateKnowledgeCapacity(in).message ==
          "domainTokens only applies together with junkData");
    CHECK(KnowledgeFitOptions{}.isValid(nullptr));
}

TEST_CASE("bits-per-parameter fit: diagnostics of degenerate inputs", "[knowledge][diagnostics]") {
    // Four distinct sizes: clean (the test above has no diagnostic at all).
    const std::vector<KnowledgePoint> four = {
        {1e6, 2.1e6}, {2e6, 3.9e6}, {4e6, 8.2e6}, {8e6, 15.6e6}};
    CHECK(fitBitsPerParameter(four).diagnostics.empty());

    // Three points for one parameter: 2 residual degrees of freedom.
    auto three = fitBitsPerParameter({four.begin(), four.begin() + 3});
    CHECK(three.status == FitStatus::Unreliable);
    REQUIRE(three.findDiagnostic("few_points"));
    CHECK(three.bitsPerParam.value == Approx((2.1 + 7.8 + 32.8) / 21.0).epsilon(1e-12));  // kept

    // One model size repeated: a ratio, not a law in P.
    auto same = fitBitsPerParameter({{1e6, 2.0e6}, {1e6, 2.1e6}, {1e6, 1.9e6}, {1e6, 2.05e6}});
    CHECK(same.status == FitStatus::Unreliable);
    REQUIRE(same.findDiagnostic("few_distinct"));
    CHECK(same.findDiagnostic("few_distinct")->message.find("distinct value of P") !=
          std::string::npos);

    // Negative knowledge (losses above the entropy): R <= 0 is at its bound.
    auto negative = fitBitsPerParameter({{1e6, -2e6}, {2e6, -4e6}, {4e6, -8.5e6}, {8e6, -15e6}});
    CHECK(negative.status == FitStatus::Unreliable);
    CHECK(negative.findDiagnostic("param_at_bound"));
}
