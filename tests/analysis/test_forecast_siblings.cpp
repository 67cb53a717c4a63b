// Sibling runs for a curve forecast (analysis/forecast_siblings.h): the rule on a small project
// built to break it one way per run, and the example project's stopped run.
#include <analysis/forecast_siblings.h>
#include <analysis/run_table.h>
#include <datasets/examples.h>
#include <algorithm>
#include <fstream>
#include <sstream>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

// `points` loss rows (and LR rows when `lr`) every 100 steps from step 100.
std::string rows(const std::string& run, int points, bool lr) {
    std::ostringstream out;
    for (int i = 1; i <= points; ++i) {
        out << run << "," << 100 * i << ",loss," << 4.0 - 0.05 * i << "\n";
        if (lr)
            out << run << "," << 100 * i << ",lr,3e-4\n";
    }
    return out.str();
}

struct SiblingProject {
    test::TempDir tmp;
    std::unique_ptr<data::Project> p;

    SiblingProject() {
        const std::string csv = tmp.path("curves.csv");
        std::ofstream(csv) << "run,step,metric,value\n"
                           << rows("target", 10, true)    // the run forecast
                           << rows("twin", 10, true)      // N +3%: a sibling
                           << rows("bigger", 10, true)    // N +6%: another size
                           << rows("smaller", 10, true)   // N -4.9%: a sibling
                           << rows("stopped", 10, true)   // tagged stopped mid-schedule
                           << rows("excluded", 10, true)  // excluded by the user
                           << rows("short", 7, true)      // 7 loss points: too few
                           << rows("no-lr", 10, false)    // no LR and no schedule
                           << rows("planned", 10, false)  // no LR, a stored schedule: sibling
                           << rows("no-size", 10, true);  // no parameter count
        std::string error;
        p = data::Project::create(tmp.path("p.scalelens"), &error);
        REQUIRE(p);
        data::ImportConfig config;
        config.group = "sweep";
        data::ImportReport report;
        REQUIRE(p->importFile(csv, config, &report, &error));
        // The same run in another group: not a sibling.
        const std::string other = tmp.path("other.csv");
        std::ofstream(other) << "run,step,metric,value\n" << rows("elsewhere", 10, true);
        config.group = "other";
        REQUIRE(p->importFile(other, config, &report, &error));
        set("sweep", "target", 1e8);
        set("sweep", "twin", 1.03e8);
        set("sweep", "bigger", 1.06e8);
        set("sweep", "smaller", 0.951e8);
        set("sweep", "stopped", 1e8, true);
        set("sweep", "excluded", 1e8);
        REQUIRE(p->setExcluded(id("sweep", "excluded"), true, &error));
        set("sweep", "short", 1e8);
        set("sweep", "no-lr", 1e8);
        set("sweep", "planned", 1e8);
        set("other", "elsewhere", 1e8);
        data::RunSchedule plan;
        plan.runId = id("sweep", "planned");
        plan.definition.shape = fit::ScheduleShape::Constant;
        plan.definition.peakLr = 3e-4;
        plan.definition.finalLr = 3e-4;
        plan.definition.totalSteps = 1001;
        REQUIRE(p->setRunSchedule(plan, &error));
    }
    std::int64_t id(const std::string& group, const std::string& name) const {
        const auto r = p->runByName(group, name);
        REQUIRE(r);
        return r->id;
    }
    void set(const std::string& group, const std::string& name, double n, bool stopped = false) {
        data::Run r = *p->runByName(group, name);
        r.totalParams = n;
        r.tags.erase(std::remove(r.tags.begin(), r.tags.end(), analysis::kStoppedTag),
                     r.tags.end());
        if (stopped)
            r.tags.push_back(analysis::kStoppedTag);
        std::string error;
        REQUIRE(p->updateRun(r, &error));
    }
};

std::vector<std::string> names(const std::vector<data::Run>& runs) {
    std::vector<std::string> out;
    for (const data::Run& r : runs)
        out.push_back(r.name);
    return out;
}

}  // namespace

TEST_CASE("forecast siblings: same group and size, finished, included, enough points, an LR",
          "[analysis][forecast][siblings]") {
    SiblingProject f;
    const auto got = names(analysis::forecastSiblings(*f.p, f.id("sweep", "target")));
    // Runs come in the project's order (by name within the group).
    CHECK(got == std::vector<std::string>{"planned", "smaller", "twin"});

    // Each rule on its own: lifting it lets its run in.
    std::string error;
    REQUIRE(f.p->setExcluded(f.id("sweep", "excluded"), false, &error));
    f.set("sweep", "stopped", 1e8, false);
    f.set("sweep", "bigger", 1.049e8);  // within 5%
    CHECK(names(analysis::forecastSiblings(*f.p, f.id("sweep", "target"))) ==
          std::vector<std::string>{"bigger", "excluded", "planned", "smaller", "stopped", "twin"});

    // A target without a parameter count has no siblings; a missing run neither.
    CHECK(analysis::forecastSiblings(*f.p, f.id("sweep", "no-size")).empty());
    CHECK(analysis::forecastSiblings(*f.p, 999999).empty());
    // The other group's run has the target's size but none of its group.
    CHECK(analysis::forecastSiblings(*f.p, f.id("other", "elsewhere")).empty());
}

TEST_CASE("the example project's stopped run has its two finished runs as siblings",
          "[analysis][forecast][siblings]") {
    test::TempDir tmp;
    const std::string path = tmp.path("example.scalelens");
    std::string error;
    REQUIRE(data::createExampleProject(path, &error));
    auto p = data::Project::open(path, &error);
    REQUIRE(p);
    const auto stopped = p->runByName(data::kCurveForecastGroup, "cosine-24k-stopped");
    REQUIRE(stopped);
    CHECK(names(analysis::forecastSiblings(*p, stopped->id)) ==
          std::vector<std::string>{"cosine-24k", "wsd-24k-cooldown-20"});
    // The finished cosine run's siblings leave out the stopped one.
    const auto cosine = p->runByName(data::kCurveForecastGroup, "cosine-24k");
    REQUIRE(cosine);
    CHECK(names(analysis::forecastSiblings(*p, cosine->id)) ==
          std::vector<std::string>{"wsd-24k-cooldown-20"});
}
