// The bundled example project: groups, provenance and that the synthetic data follows the laws
// it was generated from (values recomputed here independently of the generator).
#include <datasets/examples.h>
#include <cmath>
#include <map>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;

namespace {
// Besiroglu et al. 2024, Eq. 2 fit (the generator's source).
double chinchillaLoss(double n, double d) {
    return 1.8172 + 482.01 / std::pow(n, 0.3478) + 2085.43 / std::pow(d, 0.3658);
}
}  // namespace

TEST_CASE("the example project holds every example sweep", "[examples]") {
    REQUIRE_FALSE(data::examplesDir().empty());
    test::TempDir tmp;
    const std::string path = tmp.path("example.scalelens");
    std::string error;
    REQUIRE(data::createExampleProject(path, &error));
    CHECK_FALSE(data::createExampleProject(path, &error));
    CHECK(error.find("already exists") != std::string::npos);
    auto p = data::Project::open(path, &error);
    REQUIRE(p);
    std::map<std::string, int> groups;
    for (const auto& r : p->runs())
        ++groups[r.group];
    CHECK(groups.size() == 6);
    CHECK(groups[data::kCurveForecastGroup] == 3);  // two finished runs, one stopped half-way
    CHECK(groups[data::kKnowledgeGroup] == 10);     // 1M to 20M parameters on bioS(1M)
    CHECK(groups[data::kModelZooGroup] == 44);      // every row of base_models.csv
    CHECK(groups[data::kSparseGroup] == 30);        // 3 sizes x 5 sparsities x 2 durations
    CHECK(groups[data::kChinchillaGroup] >= 60);
    CHECK(groups[data::kLrBatchGroup] >= 200);
    CHECK(p->imports().size() == 7);
    // The stopped run's planned schedule is stored (its log cannot pin the run's length).
    const auto stopped = p->runByName(data::kCurveForecastGroup, "cosine-24k-stopped");
    REQUIRE(stopped);
    const auto plan = p->runSchedule(stopped->id);
    REQUIRE(plan);
    CHECK(plan->definition.totalSteps == 24000);

    // Model zoo: units scaled, citations kept, evaluations with nominal shots.
    const auto llama = p->runByName(data::kModelZooGroup, "LLaMA-7B");
    REQUIRE(llama);
    CHECK(*llama->totalParams == Approx(6.7e9).epsilon(1e-12));
    CHECK(*llama->tokens == Approx(1.0e12).epsilon(1e-12));
    CHECK(llama->releaseDate == "2023-02-24");
    CHECK(llama->tags == std::vector<std::string>{"Meta"});
    CHECK(llama->notes.find("arXiv 2302.13971") != std::string::npos);
    bool foundMmlu = false;
    for (const auto& e : p->evaluations())
        if (e.runId == llama->id && e.benchmark == "mmlu") {
            foundMmlu = true;
            CHECK(e.score == 35.1);
            CHECK(e.shots == std::optional<int>(5));
        }
    CHECK(foundMmlu);
}

TEST_CASE("example sweeps follow the laws they were generated from", "[examples]") {
    test::TempDir tmp;
    std::string error;
    const std::string path = tmp.path("example.scalelens");
    REQUIRE(data::createExampleProject(path, &error));
    auto p = data::Project::open(path, &error);
    REQUIRE(p);
    std::map<std::int64_t, double> loss;
    for (const auto& v : p->finalValues("loss"))
        loss[v.runId] = v.value;

    // Chinchilla sweep: C = 6ND holds and losses sit within 5% (> 3 sigma of the 1.5% noise)
    // of the Besiroglu et al. law; the curves end at the summary loss.
    double maxRel = 0.0;
    for (const auto& r : p->runs()) {
        if (r.group != data::kChinchillaGroup)
            continue;
        CHECK(*r.flops == Approx(6.0 * *r.totalParams * *r.tokens).epsilon(1e-4));
        CHECK(*r.totalParams >= 44e6);
        CHECK(*r.totalParams <= 16e9);
        maxRel =
            std::max(maxRel, std::abs(loss[r.id] / chinchillaLoss(*r.totalParams, *r.tokens) - 1));
        const auto curve = p->metrics(r.id, "loss");
        REQUIRE(curve.size() >= 50);
        CHECK(curve.value[curve.size() - 2] == Approx(loss[r.id]).epsilon(1e-4));  // last step
    }
    CHECK(maxRel < 0.05);
    CHECK(maxRel > 0.001);  // the noise is really there

    // LR x batch sweep: in each (N, D) group the best run lies within one grid step (sqrt 2) of
    // Step Law's eta_opt = 1.79 N^-0.713 D^0.307 (Li et al. 2025, Eq. 1).
    std::map<std::string, std::pair<double, data::Run>> best;
    for (const auto& r : p->runs()) {
        if (r.group != data::kLrBatchGroup)
            continue;
        const std::string key = std::to_string(*r.totalParams) + "/" + std::to_string(*r.tokens);
        if (!best.count(key) || loss[r.id] < best[key].first)
            best[key] = {loss[r.id], r};
    }
    REQUIRE(best.size() == 6);
    for (const auto& [key, entry] : best) {
        const auto& r = entry.second;
        const double eta = 1.79 * std::pow(*r.totalParams, -0.713) * std::pow(*r.tokens, 0.307);
        CHECK(std::abs(std::log(*r.peakLr / eta)) <= std::log(std::sqrt(2.0)) + 1e-9);
        const double bOpt = 0.58 * std::pow(*r.tokens, 0.571);
        CHECK(std::abs(std::log(*r.batchTokens / bOpt)) < std::log(4.0));
    }

    // Sparse sweep: dense runs have no schedule; pruned runs carry one and lose more.
    const auto dense = p->runByName(data::kSparseGroup, "1B-40x-s00");
    const auto pruned = p->runByName(data::kSparseGroup, "1B-40x-s80");
    REQUIRE(dense);
    REQUIRE(pruned);
    CHECK(dense->sparsitySchedule.empty());
    CHECK(pruned->sparsitySchedule ==
          R"({"kind":"geometric","prune_start":0.25,"prune_end":0.75,"final_sparsity":0.8})");
    CHECK(loss[pruned->id] > loss[dense->id]);
}
