// Project store: round-trips, undo support, fits, settings, Save As, migrations.
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::Project;
using data::Run;
using data::RunField;

namespace {
Run sampleRun() {
    Run r;
    r.name = "gpt-small";
    r.group = "sweep-a";
    r.totalParams = 1.25e8;
    r.nonEmbeddingParams = 8.5e7;
    r.tokens = 2.5e9;
    r.peakLr = 6e-4;
    r.batchTokens = 524288;
    r.seqLen = 2048;
    r.sparsitySchedule = R"({"kind":"geometric","final_sparsity":0.5})";
    r.releaseDate = "2024-05-01";
    r.tags = {"baseline", "org: x"};
    r.notes = "first run";
    data::deriveComputeFields(r);  // C = 6 N D = 6 * 1.25e8 * 2.5e9
    return r;
}
}  // namespace

TEST_CASE("a new project has the current schema and is empty", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    CHECK(p->runs().empty());
    CHECK(p->metricNames().empty());
    CHECK(Project::schemaVersion() == 5);
    std::string error;
    CHECK_FALSE(Project::create(p->path(), &error));
    CHECK(error.find("already exists") != std::string::npos);
}

TEST_CASE("runs round-trip through the file with derived markers", "[project]") {
    test::TempDir tmp;
    const std::string path = tmp.path("rt.scalelens");
    std::int64_t id = 0;
    {
        std::string error;
        auto p = Project::create(path, &error);
        REQUIRE(p);
        id = p->addRun(sampleRun(), &error);
        REQUIRE(id != 0);
    }
    std::string error;
    auto p = Project::open(path, &error);
    REQUIRE(p);
    const auto r = p->run(id);
    REQUIRE(r);
    CHECK(r->name == "gpt-small");
    CHECK(r->group == "sweep-a");
    CHECK(*r->totalParams == 1.25e8);
    CHECK(*r->nonEmbeddingParams == 8.5e7);
    CHECK(!r->activeParams);
    CHECK(*r->flops == Approx(1.875e18).epsilon(1e-12));  // 6 * 1.25e8 * 2.5e9
    CHECK(r->isDerived(RunField::Flops));
    CHECK_FALSE(r->isDerived(RunField::Tokens));
    CHECK(*r->peakLr == 6e-4);
    CHECK(*r->batchTokens == 524288);
    CHECK(*r->seqLen == 2048);
    CHECK(r->sparsitySchedule == R"({"kind":"geometric","final_sparsity":0.5})");
    CHECK(r->releaseDate == "2024-05-01");
    CHECK(r->tags == std::vector<std::string>{"baseline", "org: x"});
    CHECK(r->notes == "first run");
    CHECK_FALSE(r->excluded);
}

TEST_CASE("run names are unique within a group", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->addRun(sampleRun(), &error) != 0);
    CHECK(p->addRun(sampleRun(), &error) == 0);
    CHECK(error.find("UNIQUE") != std::string::npos);
    Run other = sampleRun();
    other.group = "sweep-b";
    CHECK(p->addRun(other, &error) != 0);
    CHECK(p->runs().size() == 2);
}

TEST_CASE("exclude, rename, delete and restore a run (undo)", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, &report, &error));
    const auto before = p->dataFingerprint();
    const auto run = p->runByName("", "small, v2");
    REQUIRE(run);

    REQUIRE(p->setExcluded(run->id, true, &error));
    CHECK(p->run(run->id)->excluded);
    CHECK(p->dataFingerprint() != before);
    REQUIRE(p->setExcluded(run->id, false, &error));
    CHECK(p->dataFingerprint() == before);

    REQUIRE(p->renameRun(run->id, "renamed", &error));
    CHECK(p->run(run->id)->name == "renamed");
    CHECK_FALSE(p->renameRun(run->id, "", &error));
    CHECK(error == "a run needs a name");
    REQUIRE(p->renameRun(run->id, "small, v2", &error));

    data::RunSnapshot snapshot;
    REQUIRE(p->deleteRun(run->id, &snapshot, &error));
    CHECK_FALSE(p->run(run->id));
    CHECK(p->metrics(run->id, "loss").size() == 0);
    CHECK(snapshot.curves.size() == 1);
    CHECK(snapshot.curves[0].series.size() == 3);
    CHECK(p->dataFingerprint() != before);
    REQUIRE(p->restoreRun(snapshot, &error));
    CHECK(p->run(run->id)->name == "small, v2");
    CHECK(p->metrics(run->id, "loss").value == std::vector<double>{4.5, 4.1, 3.8});
    CHECK(p->dataFingerprint() == before);
    CHECK_FALSE(p->deleteRun(9999, nullptr, &error));
    CHECK(error == "no run with id 9999");
}

TEST_CASE("fits are saved and become stale when the data changes", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    const auto runId = p->addRun(sampleRun(), &error);
    data::FitRecord fit;
    fit.law = "chinchilla";
    fit.optionsJson = R"({"delta":0.001})";
    fit.resultJson = R"({"E":1.8})";
    const auto id = p->saveFit(fit, &error);
    REQUIRE(id != 0);
    auto saved = p->fit(id);
    REQUIRE(saved);
    CHECK(saved->law == "chinchilla");
    CHECK(saved->optionsJson == fit.optionsJson);
    CHECK(saved->resultJson == fit.resultJson);
    CHECK(saved->createdAt > 1700000000);
    CHECK_FALSE(saved->stale);
    REQUIRE(p->setExcluded(runId, true, &error));
    CHECK(p->fit(id)->stale);
    CHECK(p->fits().size() == 1);
    REQUIRE(p->deleteFit(id, &error));
    CHECK(p->fits().empty());
    CHECK_FALSE(p->deleteFit(id, &error));
    CHECK(error == "no fit with id " + std::to_string(id));
    fit.law.clear();
    CHECK(p->saveFit(fit, &error) == 0);
    CHECK(error == "cannot save a fit without a law name");
}

TEST_CASE("settings are key/value text", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    CHECK_FALSE(p->setting("plot/theme"));
    REQUIRE(p->setSetting("plot/theme", "dark", &error));
    REQUIRE(p->setSetting("plot/theme", "light", &error));
    CHECK(p->setting("plot/theme") == std::optional<std::string>("light"));
}

TEST_CASE("a failing transaction leaves the file unchanged", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    const bool ok = p->transaction(
        [&](std::string* e) {
            REQUIRE(p->addRun(sampleRun(), e) != 0);  // joins the outer transaction
            *e = "stop here";
            return false;
        },
        &error);
    CHECK_FALSE(ok);
    CHECK(error == "stop here");
    CHECK(p->runs().empty());
}

TEST_CASE("Save As copies the whole project to a new file", "[project]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error));
    const std::string copy = tmp.path("copy.scalelens");
    REQUIRE(p->saveAs(copy, &error));
    CHECK_FALSE(std::filesystem::exists(copy + ".saving"));
    auto q = Project::open(copy, &error);
    REQUIRE(q);
    CHECK(q->dataFingerprint() == p->dataFingerprint());
    CHECK(q->runs().size() == 2);
    CHECK(q->imports().size() == 1);
    CHECK_FALSE(p->saveAs(tmp.path("no/such/dir/x.scalelens"), &error));
    CHECK(error.find("cannot save the project as") == 0);
}

TEST_CASE("a version 1 file opens and migrates to the current schema", "[project][migration]") {
    test::TempDir tmp;
    const std::string path = tmp.path("v1.scalelens");
    {
        // Build a file exactly as ScaleLens schema version 1 wrote it.
        std::ifstream in(test::fixture("schema_v1.sql"));
        std::stringstream sql;
        sql << in.rdbuf();
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        char* message = nullptr;
        const int rc = sqlite3_exec(db, sql.str().c_str(), nullptr, nullptr, &message);
        INFO((message ? message : ""));
        sqlite3_free(message);
        sqlite3_close(db);
        REQUIRE(rc == SQLITE_OK);
    }
    std::string error;
    auto p = Project::open(path, &error);
    INFO(error);
    REQUIRE(p);
    const auto runs = p->runs();
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].name == "old-run-1");
    CHECK(*runs[0].totalParams == 1e8);
    CHECK(runs[0].derivedMask == 0);  // column added by the migration, default 0
    CHECK(p->metrics(runs[0].id, "loss").value == std::vector<double>{4.0, 3.5});
    CHECK(p->evaluations().empty());  // table added by the migration
    CHECK(p->fits().size() == 1);
    CHECK(p->fits()[0].stale);  // v1 fits had no fingerprint
    CHECK(p->imports()[0].evaluationCount == 0);
    // New columns are writable after the migration.
    Run r = runs[0];
    r.setDerived(RunField::Tokens, true);
    REQUIRE(p->updateRun(r, &error));
    p.reset();
    p = Project::open(path, &error);
    REQUIRE(p);
    CHECK(p->run(r.id)->isDerived(RunField::Tokens));
}

TEST_CASE("files from a newer ScaleLens and non-projects are refused", "[project][migration]") {
    test::TempDir tmp;
    std::string error;
    const std::string newer = tmp.path("newer.scalelens");
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(newer.c_str(), &db) == SQLITE_OK);
        // A newer ScaleLens writes our application id (0x53634C6E) and a higher version.
        sqlite3_exec(
            db, "CREATE TABLE t(x); PRAGMA user_version = 99; PRAGMA application_id = 1399016558;",
            nullptr, nullptr, nullptr);
        sqlite3_close(db);
    }
    CHECK_FALSE(Project::open(newer, &error));
    CHECK(error.find("written by a newer ScaleLens (schema version 99") != std::string::npos);

    const std::string text = tmp.path("notes.scalelens");
    std::ofstream(text) << "this is not a database, just some text that is long enough\n";
    CHECK_FALSE(Project::open(text, &error));
    CHECK(error.find("not a ScaleLens project") != std::string::npos);

    CHECK_FALSE(Project::open(tmp.path("missing.scalelens"), &error));
    CHECK(error.find("no such file") != std::string::npos);
}

TEST_CASE("two connections: a reader sees a writer's committed import", "[project][threads]") {
    test::TempDir tmp;
    auto writer = test::newProject(tmp);
    std::string error;
    auto reader = Project::open(writer->path(), &error);
    REQUIRE(reader);
    REQUIRE(writer->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error));
    CHECK(reader->runs().size() == 2);
}

TEST_CASE("a worker thread imports through its own connection while the GUI thread reads",
          "[project][threads]") {
    test::TempDir tmp;
    auto gui = test::newProject(tmp);
    std::string error;
    REQUIRE(gui->importFile(test::fixture("summary_derived.csv"), {}, nullptr, &error));
    bool workerOk = false;
    std::string workerError;
    std::thread worker([&] {
        auto own = Project::open(gui->path(), &workerError);
        workerOk =
            own && own->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &workerError);
    });
    // Reads on the GUI connection never block on the writer (WAL).
    for (int i = 0; i < 20; ++i)
        CHECK(gui->runs().size() >= 1);
    worker.join();
    INFO(workerError);
    CHECK(workerOk);
    CHECK(gui->runs().size() == 3);
}
