// Per-law input tables on small projects: derivations, selection, grouping with a tolerance,
// planned budgets, drop-highest-loss, and the knowledge fit on the bundled example.
#include <analysis/grouping.h>
#include <analysis/law_inputs.h>
#include <analysis/run_table.h>
#include <datasets/examples.h>
#include <fitting/avgparam.h>
#include <fitting/knowledge.h>
#include <cmath>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {
analysis::RunTable load(const data::Project& p, analysis::Selection sel = {}) {
    analysis::RunTable t;
    std::string error;
    INFO(error);
    REQUIRE(analysis::loadRunTable(p, sel, &t, &error));
    return t;
}
}  // namespace

TEST_CASE("N, D, L inputs derive D = C/(6N) and skip incomplete or excluded runs",
          "[analysis][inputs]") {
    test::TempDir tmp;
    auto p = test::projectFromCsv(tmp,
                                  "run,params,tokens,flops,loss\n"
                                  "a,1e8,,1.2e18,3.0\n"  // D = 1.2e18 / 6e8 = 2e9
                                  "b,2e8,4e9,,2.8\n"     // C = 6 * 2e8 * 4e9 = 4.8e18
                                  "c,4e8,8e9,,\n"        // no loss: skipped
                                  "d,,8e9,,2.5\n");      // no N: skipped
    analysis::RunTable t = load(*p);
    analysis::NdlInputs in = analysis::ndlInputs(t);
    REQUIRE(in.size() == 2);
    CHECK(in.names == std::vector<std::string>{"a", "b"});
    CHECK(in.obs[0].x2 == Approx(2e9).epsilon(1e-12));
    CHECK(in.compute[1] == Approx(4.8e18).epsilon(1e-12));
    CHECK(in.skipped == 2);

    std::string error;
    REQUIRE(p->setExcluded(p->runByName("sweep", "a")->id, true, &error));
    t = load(*p);
    CHECK(t.excludedSkipped == 1);
    CHECK(analysis::ndlInputs(t).names == std::vector<std::string>{"b"});
    analysis::Selection all;
    all.includeExcluded = true;
    CHECK(analysis::ndlInputs(load(*p, all)).size() == 2);
    analysis::Selection picked;
    picked.runIds = {p->runByName("sweep", "b")->id};
    CHECK(analysis::ndlInputs(load(*p, picked)).names == std::vector<std::string>{"b"});
    picked.runIds.clear();
    picked.selectedOnly = true;  // "selected runs" with none selected: nothing, not everything
    analysis::RunTable none;
    CHECK_FALSE(analysis::loadRunTable(*p, picked, &none, &error));
    CHECK(error == "The data selection holds no included run.");
    analysis::Selection other;
    other.group = "other";
    analysis::RunTable empty;
    CHECK_FALSE(analysis::loadRunTable(*p, other, &empty, &error));
    CHECK(error.find("no runs in group 'other'") != std::string::npos);
}

TEST_CASE("values within the tolerance form one group", "[analysis][grouping]") {
    const std::vector<double> c = {1e19, 1.02e19, 0.99e19, 3e19, 3.05e19, 1e20};
    analysis::Grouping g;  // 5 %
    analysis::Groups groups = analysis::groupValues(c, g);
    REQUIRE(groups.centre.size() == 3);
    CHECK(groups.index == std::vector<int>{0, 0, 0, 1, 1, 2});
    CHECK(groups.centre[0] == Approx(std::cbrt(1e19 * 1.02e19 * 0.99e19)).epsilon(1e-12));
    CHECK(groups.centre[2] == 1e20);  // a lone value keeps its exact value
    CHECK(groups.size == std::vector<int>{3, 2, 1});

    g.tolerance = 0.0;  // exact matching: five distinct budgets
    CHECK(analysis::groupValues(c, g).centre.size() == 6);
    g.binsPerDecade = 1;  // one bin per decade: 1e19 bin holds up to ~3.16e19
    groups = analysis::groupValues(c, g);
    CHECK(groups.centre.size() == 2);
    CHECK(groups.index == std::vector<int>{0, 0, 0, 0, 0, 1});

    std::string error;
    g = {};
    g.tolerance = 1.5;
    CHECK_FALSE(g.isValid(&error));
    CHECK(error.find("--budget-tolerance") != std::string::npos);
}

TEST_CASE("IsoFLOP inputs group logged budgets and use a planned budget when given",
          "[analysis][inputs][grouping]") {
    test::TempDir tmp;
    // Logged C drifts by up to 3 % around two budgets; run e has a planned budget 1e19 although
    // its logged C (1.5e19) would put it alone.
    auto p = test::projectFromCsv(tmp,
                                  "run,params,tokens,flops,loss,budget_flops\n"
                                  "a,1e8,,1.00e19,3.0,\n"
                                  "b,2e8,,1.03e19,2.9,\n"
                                  "c,4e8,,0.98e19,3.1,\n"
                                  "d,1e8,,3.00e19,2.8,\n"
                                  "e,3e8,,1.5e19,2.95,1e19\n");
    analysis::IsoFlopInputs in = analysis::isoflopInputs(load(*p));
    REQUIRE(in.size() == 5);
    CHECK(in.budgets.centre.size() == 2);
    CHECK(in.plannedBudgets == 1);
    CHECK(in.points[0].C == in.points[1].C);
    CHECK(in.points[0].C == in.points[4].C);  // the planned budget joined the first group
    CHECK(in.points[3].C == 3e19);
    CHECK(in.points[4].D == Approx(1.5e19 / (6 * 3e8)).epsilon(1e-12));  // D from logged C

    analysis::Grouping exact;
    exact.tolerance = 0;
    CHECK(analysis::isoflopInputs(load(*p), exact).budgets.centre.size() == 4);
}

TEST_CASE("LR x batch inputs snap (N, D) within the tolerance to one group",
          "[analysis][inputs][grouping]") {
    test::TempDir tmp;
    auto p = test::projectFromCsv(tmp,
                                  "run,params,non_embedding_params,tokens,lr,batch_tokens,loss\n"
                                  "a,1.2e8,1e8,1.00e9,1e-3,65536,3.0\n"
                                  "b,1.2e8,1e8,1.01e9,2e-3,65536,2.9\n"  // stopped 1 % early
                                  "c,1.2e8,1e8,0.99e9,1e-3,131072,3.1\n"
                                  "d,1.2e8,1e8,2.00e9,1e-3,65536,2.8\n"
                                  "e,1.2e8,1e8,2.00e9,,65536,2.8\n");  // no LR: skipped
    analysis::LrBsInputs in = analysis::lrBsInputs(load(*p));
    REQUIRE(in.size() == 4);
    CHECK(in.skipped == 1);
    CHECK(in.nGroups == 2);
    CHECK(in.runs[0].n == 1e8);  // non-embedding N
    CHECK(in.runs[0].d == in.runs[1].d);
    CHECK(in.runs[0].d == in.runs[2].d);
    CHECK(in.runs[3].d == 2e9);
    analysis::Grouping exact;
    exact.tolerance = 0;
    CHECK(analysis::lrBsInputs(load(*p), exact).nGroups == 4);
    // Batch given in sequences: scaled by the sequence length.
    CHECK(analysis::lrBsInputs(load(*p), {}, 2048).runs[0].batchTokens == 65536.0 * 2048);
}

TEST_CASE("average-parameter inputs read the schedule, avg_params and dense runs",
          "[analysis][inputs]") {
    test::TempDir tmp;
    auto p = test::projectFromCsv(
        tmp,
        "run,params,tokens,sparsity_schedule,avg_params,loss\n"
        "dense,1e8,2e9,,,3.0\n"
        "given,1e8,2e9,,8e7,3.1\n"
        "sched,1e8,2e9,\"{\"\"kind\"\":\"\"linear\"\",\"\"prune_start\"\":0.25,"
        "\"\"prune_end\"\":0.75,\"\"final_sparsity\"\":0.5}\",,3.2\n");
    analysis::AvgParamInputs in;
    std::string error;
    REQUIRE(analysis::avgParamInputs(load(*p), analysis::kDefaultParamsMetric, &in, &error));
    REQUIRE(in.size() == 3);
    CHECK(in.runs[0].nAverage == 1e8);
    CHECK(in.runs[0].nFinal == 1e8);
    CHECK(in.runs[1].nAverage == 8e7);
    CHECK(in.nAvgSource[2] == "schedule");
    CHECK(in.runs[2].nFinal == Approx(5e7));
    // N-bar = N times the schedule's average density, as fitting/avgparam.h defines it.
    fit::ComputeFractionSchedule c;
    c.shape = fit::PruningShape::Linear;
    c.pruneStart = 0.25;
    c.pruneEnd = 0.75;
    c.finalSparsity = 0.5;
    const double density = fit::averageDensity(fit::scheduleFromComputeFractions(c, &error));
    CHECK(density < 0.8);  // pruned: clearly below dense
    CHECK(in.runs[2].nAverage == Approx(1e8 * density).epsilon(1e-12));
    CHECK(in.sparseRuns == 1);

    auto bad = test::projectFromCsv(tmp,
                                    "run,params,tokens,sparsity_schedule,loss\n"
                                    "x,1e8,2e9,\"{\"\"kind\"\":\"\"spiral\"\"}\",3.0\n",
                                    "sweep", "bad.scalelens");
    CHECK_FALSE(analysis::avgParamInputs(load(*bad), analysis::kDefaultParamsMetric, &in, &error));
    CHECK(error.find("run 'x'") != std::string::npos);
}

TEST_CASE("drop-highest-loss drops exactly K and refuses K >= the number of points",
          "[analysis][drop]") {
    std::vector<std::size_t> keep;
    std::string error;
    REQUIRE(analysis::keepAfterDroppingHighest({3.0, 5.0, 4.0, 5.0, 1.0}, 2, &keep, &error));
    CHECK(keep == std::vector<std::size_t>{0, 2, 4});
    REQUIRE(analysis::keepAfterDroppingHighest({3.0, 5.0, 4.0, 5.0, 1.0}, 1, &keep, &error));
    CHECK(keep == std::vector<std::size_t>{0, 2, 3, 4});  // ties: the earlier row goes first
    REQUIRE(analysis::keepAfterDroppingHighest({3.0, 5.0}, 0, &keep, &error));
    CHECK(keep.size() == 2);

    CHECK_FALSE(analysis::keepAfterDroppingHighest({3.0, 5.0, 4.0}, 3, &keep, &error));
    CHECK(error.find("--drop-highest-loss") != std::string::npos);
    CHECK(error.find("3 points") != std::string::npos);
    CHECK_FALSE(analysis::keepAfterDroppingHighest({3.0, 5.0, 4.0}, 7, &keep, &error));

    analysis::NdlInputs in;
    for (double l : {3.0, 5.0, 4.0}) {
        in.rows.push_back(in.rows.size());
        in.runIds.push_back(0);
        in.names.push_back("r" + std::to_string(in.rows.size()));
        in.obs.push_back({1e8, 1e9, l, 1.0, {}});
        in.compute.push_back(6e17);
    }
    REQUIRE(analysis::dropHighestLoss(&in, 1, &error));
    CHECK(in.names == std::vector<std::string>{"r1", "r3"});
    CHECK(in.dropped == 1);
    CHECK_FALSE(analysis::dropHighestLoss(&in, 2, &error));
}

TEST_CASE("knowledge inputs read knowledge_bits and fit the bundled example",
          "[analysis][knowledge]") {
    test::TempDir tmp;
    std::string error;
    REQUIRE(data::createExampleProject(tmp.path("example.scalelens"), &error));
    auto p = data::Project::open(tmp.path("example.scalelens"), &error);
    REQUIRE(p);
    analysis::Selection sel;
    sel.group = data::kKnowledgeGroup;
    const analysis::KnowledgeInputs in = analysis::knowledgeInputs(load(*p, sel));
    REQUIRE(in.size() == 10);
    CHECK(in.skipped == 0);
    fit::KnowledgeFitOptions options;
    options.bootstrapSamples = 200;
    const fit::KnowledgeFitResult r = fit::fitBitsPerParameter(in.points, options);
    INFO(r.message);
    REQUIRE(fit::isUsable(r.status));
    // Generated as bits = 2 P exp(Normal(0, 0.04)) (datasets/examples/README.md): 2 within 4 %.
    CHECK(r.bitsPerParam.value == Approx(2.0).epsilon(0.04));
}

TEST_CASE("densing inputs pick the most-scored benchmark of the model zoo", "[analysis][densing]") {
    test::TempDir tmp;
    std::string error;
    REQUIRE(data::createExampleProject(tmp.path("example.scalelens"), &error));
    auto p = data::Project::open(tmp.path("example.scalelens"), &error);
    REQUIRE(p);
    analysis::Selection sel;
    sel.group = data::kModelZooGroup;
    const analysis::RunTable t = load(*p, sel);
    analysis::DensingInputs in;
    REQUIRE(analysis::densingInputs(t, {}, &in, &error));
    CHECK(in.benchmark == analysis::defaultDensingBenchmark(t));
    CHECK(in.size() >= 20);
    for (const auto& m : in.models)
        CHECK(m.reference);  // no --reference: every model is the reference family
    analysis::DensingSelection bad;
    bad.referencePattern = "([";
    CHECK_FALSE(analysis::densingInputs(t, bad, &in, &error));
    CHECK(error.find("--reference") != std::string::npos);
}
