// Runs' planned LR schedules and final-loss forecasts in the project (schema version 3):
// round-trips, validation that changes nothing, undo of a deleted run, the fingerprint,
// check() and the migration of a version 2 file.
#include <sqlite3.h>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::Project;
using data::RunForecast;
using data::RunSchedule;
using data::ScheduleOrigin;

namespace {

void sql(const std::string& path, const std::string& text) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

RunSchedule wsd(std::int64_t runId) {
    RunSchedule s;
    s.runId = runId;
    s.definition.shape = fit::ScheduleShape::WsdGeometric;
    s.definition.peakLr = 3e-4;
    s.definition.finalLr = 3e-5;
    s.definition.warmupSteps = 500;
    s.definition.totalSteps = 20000;
    s.definition.decayStart = 16000;
    s.origin = ScheduleOrigin::Inferred;
    s.note = "inferred from the logged LR";
    return s;
}

RunForecast forecastOf(std::int64_t runId) {
    RunForecast f;
    f.runId = runId;
    f.metric = "loss";
    f.law = "mpl";
    f.lastLoggedStep = 10000;
    f.finalStep = 19999;
    f.finalLoss = 3.21;
    f.bandLower = 3.19;
    f.bandUpper = 3.24;
    f.bandLevel = 0.9;
    f.resultJson = R"({"params":[]})";
    return f;
}

}  // namespace

TEST_CASE("a run's schedule round-trips through the file", "[project][schedule]") {
    test::TempDir tmp;
    const std::string path = tmp.path("s.scalelens");
    std::int64_t id = 0;
    std::string error;
    {
        auto p = test::newProject(tmp, "s.scalelens");
        data::Run r;
        r.name = "run-a";
        id = p->addRun(r, &error);
        REQUIRE(id != 0);
        CHECK_FALSE(p->runSchedule(id));
        REQUIRE(p->setRunSchedule(wsd(id), &error));
    }
    auto p = Project::open(path, &error);
    REQUIRE(p);
    const auto s = p->runSchedule(id);
    REQUIRE(s);
    CHECK(s->definition.shape == fit::ScheduleShape::WsdGeometric);
    CHECK(s->definition.peakLr == 3e-4);
    CHECK(s->definition.finalLr == 3e-5);
    CHECK(s->definition.warmupSteps == 500);
    CHECK(s->definition.totalSteps == 20000);
    CHECK(s->definition.decayStart == 16000);
    CHECK(s->origin == ScheduleOrigin::Inferred);
    CHECK(s->note == "inferred from the logged LR");
    CHECK(s->updatedAt > 0);
    // Replacing it (the user confirms a cosine instead) keeps one row per run.
    RunSchedule c = *s;
    c.definition.shape = fit::ScheduleShape::Cosine;
    c.origin = ScheduleOrigin::Confirmed;
    REQUIRE(p->setRunSchedule(c, &error));
    REQUIRE(p->runSchedules().size() == 1);
    CHECK(p->runSchedule(id)->definition.shape == fit::ScheduleShape::Cosine);
    CHECK(p->runSchedule(id)->definition.decayStart == 0);  // unused by a cosine: not kept
    CHECK(p->runSchedule(id)->origin == ScheduleOrigin::Confirmed);
    CHECK(p->check().empty());
    REQUIRE(p->clearRunSchedule(id, &error));
    CHECK_FALSE(p->runSchedule(id));
    CHECK(data::scheduleOriginFromString("confirmed") == ScheduleOrigin::Confirmed);
    CHECK_FALSE(data::scheduleOriginFromString("guess"));
}

TEST_CASE("invalid schedules and forecasts are refused and change nothing", "[project][schedule]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::Run r;
    r.name = "run-a";
    const std::int64_t id = p->addRun(r, &error);
    REQUIRE(p->setRunSchedule(wsd(id), &error));
    const std::string fingerprint = p->dataFingerprint();

    RunSchedule bad = wsd(id);
    bad.definition.decayStart = 30000;
    CHECK_FALSE(p->setRunSchedule(bad, &error));
    CHECK(error == "invalid schedule for run " + std::to_string(id) +
                       ": decayStart must be in [warmupSteps, totalSteps)");
    bad = wsd(id);
    bad.definition.peakLr = std::nan("");
    CHECK_FALSE(p->setRunSchedule(bad, &error));
    CHECK(error.find("peakLr must be finite and > 0") != std::string::npos);
    CHECK_FALSE(p->setRunSchedule(wsd(id + 100), &error));
    CHECK(error == "no run with id " + std::to_string(id + 100));
    CHECK(p->runSchedule(id)->definition.decayStart == 16000);  // unchanged

    RunForecast f = forecastOf(id);
    f.finalLoss = std::nan("");
    CHECK_FALSE(p->setRunForecast(f, &error));
    CHECK(error.find("the final loss and its band must be finite and > 0") != std::string::npos);
    f = forecastOf(id);
    f.bandLower = 3.3;
    CHECK_FALSE(p->setRunForecast(f, &error));
    CHECK(error.find("lower end is above its upper end") != std::string::npos);
    f = forecastOf(id);
    f.metric.clear();
    CHECK_FALSE(p->setRunForecast(f, &error));
    CHECK(error.find("no metric") != std::string::npos);
    CHECK_FALSE(p->setRunForecast(forecastOf(id + 100), &error));
    CHECK(p->runForecasts().empty());
    CHECK(p->dataFingerprint() == fingerprint);
}

TEST_CASE("forecasts are stored per run and change the data fingerprint", "[project][schedule]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::Run r;
    r.name = "run-a";
    const std::int64_t id = p->addRun(r, &error);
    const std::string before = p->dataFingerprint();
    // A schedule alone is not data a fit reads: the fingerprint stays.
    REQUIRE(p->setRunSchedule(wsd(id), &error));
    CHECK(p->dataFingerprint() == before);
    REQUIRE(p->setRunForecast(forecastOf(id), &error));
    CHECK(p->dataFingerprint() != before);
    const auto f = p->runForecast(id);
    REQUIRE(f);
    CHECK(f->metric == "loss");
    CHECK(f->law == "mpl");
    CHECK(f->lastLoggedStep == 10000);
    CHECK(f->finalStep == 19999);
    CHECK(f->finalLoss == 3.21);
    CHECK(f->bandLower == 3.19);
    CHECK(f->bandUpper == 3.24);
    CHECK(f->bandLevel == 0.9);
    CHECK(f->resultJson == R"({"params":[]})");
    CHECK(f->createdAt > 0);
    REQUIRE(p->clearRunForecast(id, &error));
    CHECK(p->dataFingerprint() == before);
}

TEST_CASE("deleting a run removes its schedule and forecast, undo restores them",
          "[project][schedule]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::Run r;
    r.name = "run-a";
    const std::int64_t id = p->addRun(r, &error);
    REQUIRE(p->setRunSchedule(wsd(id), &error));
    REQUIRE(p->setRunForecast(forecastOf(id), &error));
    const std::string before = p->dataFingerprint();
    data::RunSnapshot snapshot;
    REQUIRE(p->deleteRun(id, &snapshot, &error));
    CHECK(p->runSchedules().empty());  // ON DELETE CASCADE
    CHECK(p->runForecasts().empty());
    REQUIRE(snapshot.schedule);
    REQUIRE(snapshot.forecast);
    REQUIRE(p->restoreRun(snapshot, &error));
    CHECK(p->runSchedule(id)->definition.decayStart == 16000);
    CHECK(p->runForecast(id)->finalLoss == 3.21);
    CHECK(p->dataFingerprint() == before);
}

TEST_CASE("check() reports schedules and forecasts that break the rules", "[project][schedule]") {
    test::TempDir tmp;
    const std::string path = tmp.path("c.scalelens");
    std::string error;
    std::int64_t id = 0;
    {
        auto p = test::newProject(tmp, "c.scalelens");
        data::Run r;
        r.name = "run-a";
        id = p->addRun(r, &error);
        REQUIRE(p->setRunSchedule(wsd(id), &error));
        REQUIRE(p->setRunForecast(forecastOf(id), &error));
        CHECK(p->check().empty());
    }
    sql(path,
        "UPDATE run_schedules SET shape = 'sawtooth'; UPDATE run_forecasts SET "
        "band_lower = 0;");
    auto p = Project::open(path, &error);
    REQUIRE(p);
    const auto problems = p->check();
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].find("1 schedules with an unknown shape") == 0);
    CHECK(problems[1].find("1 forecasts with a final loss or band") == 0);
}

TEST_CASE("a version 2 file migrates to version 3 with empty schedule tables",
          "[project][schedule][migration]") {
    test::TempDir tmp;
    const std::string path = tmp.path("v2.scalelens");
    std::string error;
    std::string fingerprint;
    {
        auto p = test::newProject(tmp, "v2.scalelens");
        REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error));
        fingerprint = p->dataFingerprint();
    }
    // Version 3 only added these two tables, version 4 curve_stats and version 5 the curve
    // overviews: without them and at user_version 2 the file is exactly what a version 2 build
    // wrote.
    sql(path,
        "DROP TABLE run_schedules; DROP TABLE run_forecasts; DROP TABLE curve_stats; DROP TABLE "
        "curve_overview; DROP TABLE curve_overview_info; PRAGMA user_version = 2;");
    {
        // Read-only opens refuse a file that needs a migration, unchanged.
        CHECK_FALSE(Project::open(path, &error, data::OpenMode::ReadOnly));
    }
    auto p = Project::open(path, &error);
    INFO(error);
    REQUIRE(p);
    CHECK(p->runSchedules().empty());
    CHECK(p->runForecasts().empty());
    CHECK(p->check().empty());
    CHECK(p->dataFingerprint() == fingerprint);
    const auto run = p->runByName("", "small, v2");
    REQUIRE(run);
    REQUIRE(p->setRunSchedule(wsd(run->id), &error));
    CHECK(p->runSchedule(run->id));
}
