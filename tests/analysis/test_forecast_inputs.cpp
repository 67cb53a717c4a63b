// Stored forecasts standing in for the final loss of runs not logged to their end
// (Selection::includeForecasts): off by default, marked per row, counted, stale ones unused.
#include <analysis/fit_jobs.h>
#include <analysis/law_inputs.h>
#include <analysis/run_table.h>
#include <fstream>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

// Two finished runs and one stopped at step 1000 of 4000, with N set after import.
std::unique_ptr<data::Project> sweep(const test::TempDir& tmp) {
    const std::string csv = tmp.path("curves.csv");
    std::ofstream(csv) << "run,step,tokens,metric,value\n"
                          "full1,1000,1e9,loss,3.2\nfull1,4000,4e9,loss,2.9\n"
                          "full2,1000,1e9,loss,3.0\nfull2,4000,4e9,loss,2.7\n"
                          "part,1000,1e9,loss,3.1\n";
    std::string error;
    auto p = data::Project::create(tmp.path("p.scalelens"), &error);
    REQUIRE(p);
    data::ImportReport report;
    REQUIRE(p->importFile(csv, {}, &report, &error));
    for (const char* name : {"full1", "full2", "part"}) {
        data::Run r = *p->runByName("", name);
        r.totalParams = std::string(name) == "full1" ? 1e8 : 2e8;
        if (std::string(name) == "part")
            r.tags.push_back(analysis::kStoppedTag);
        REQUIRE(p->updateRun(r, &error));
    }
    data::RunForecast f;
    f.runId = p->runByName("", "part")->id;
    f.metric = "loss";
    f.law = "mpl";
    f.lastLoggedStep = 1000;
    f.finalStep = 3999;
    f.finalLoss = 2.6;
    f.bandLower = 2.55;
    f.bandUpper = 2.66;
    REQUIRE(p->setRunForecast(f, &error));
    return p;
}

analysis::RunTable load(const data::Project& p, bool includeForecasts) {
    analysis::Selection sel;
    sel.includeForecasts = includeForecasts;
    analysis::RunTable t;
    std::string error;
    REQUIRE(analysis::loadRunTable(p, sel, &t, &error));
    return t;
}

}  // namespace

TEST_CASE("forecasts stand in for final losses only when included", "[analysis][forecast]") {
    test::TempDir tmp;
    auto p = sweep(tmp);
    // Default: measured losses only; the stopped run is left out.
    analysis::NdlInputs in = analysis::ndlInputs(load(*p, false));
    CHECK(in.names == std::vector<std::string>{"full1", "full2"});
    CHECK(in.forecasts == 0);

    const analysis::RunTable t = load(*p, true);
    CHECK(t.forecastsUsed == 1);
    CHECK(t.stoppedSkipped == 0);
    in = analysis::ndlInputs(t);
    REQUIRE(in.names == std::vector<std::string>{"full1", "full2", "part"});
    CHECK(in.forecasts == 1);
    CHECK(in.forecast == std::vector<bool>{false, false, true});
    CHECK(in.obs[2].loss == 2.6);
    // D derived from the last logged row (1e9 tokens at step 1000) grows to the schedule's end:
    // 1e9 * 4000 / 1000.
    CHECK(in.obs[2].x2 == Approx(4e9).epsilon(1e-12));
    CHECK(in.compute[2] == Approx(6 * 2e8 * 4e9).epsilon(1e-12));
    CHECK(in.obs[1].loss == 2.7);  // measured runs unchanged
    // Dropping rows keeps the marks aligned.
    std::string error;
    REQUIRE(analysis::dropHighestLoss(&in, 1, &error));  // drops full1 (2.9)
    CHECK(in.names == std::vector<std::string>{"full2", "part"});
    CHECK(in.forecast == std::vector<bool>{false, true});
    CHECK(in.forecasts == 1);
}

TEST_CASE("a forecast overtaken by the run's own log is not used", "[analysis][forecast]") {
    test::TempDir tmp;
    auto p = sweep(tmp);
    const std::string more = tmp.path("more.csv");
    std::ofstream(more) << "run,step,tokens,metric,value\npart,2000,2e9,loss,2.9\n";
    std::string error;
    data::ImportReport report;
    REQUIRE(p->importFile(more, {}, &report, &error));
    const analysis::RunTable t = load(*p, true);
    CHECK(t.forecastsUsed == 0);
    CHECK(t.forecastsStale == 1);
    CHECK(t.stoppedSkipped == 1);  // still marked stopped, and no usable forecast
    CHECK(analysis::ndlInputs(t).forecasts == 0);
}

TEST_CASE("a fit job counts forecast losses in its data description", "[analysis][forecast]") {
    test::TempDir tmp;
    auto p = sweep(tmp);
    analysis::Selection sel;
    sel.includeForecasts = true;
    analysis::FitJob job;
    QString error;
    analysis::FitJobOptions options;
    REQUIRE(analysis::prepareFitJob(*p, QStringLiteral("chinchilla"), sel, options, &job, &error));
    bool found = false;
    for (const auto& row : job.dataDescription)
        if (row.name == QStringLiteral("runs_forecast")) {
            found = true;
            CHECK(row.value == QStringLiteral("1"));
        }
    CHECK(found);
}
