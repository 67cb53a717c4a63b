// Files that are not projects, damaged projects, read-only opens and locks (issue 14).
#include <sqlite3.h>
#if defined(__unix__) || defined(__APPLE__)
// fork/pipe: the tests that need a second process or another user are POSIX-only.
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::OpenMode;
using data::Project;
using data::ProjectError;

namespace {
std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

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

std::int64_t pragma(const std::string& path, const char* name) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, (std::string("PRAGMA ") + name).c_str(), -1, &s, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const std::int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

// A project holding one imported file, closed (checkpointed) and switched to rollback mode so
// the file alone holds every page.
std::string closedProject(const test::TempDir& tmp, const std::string& name = "p.scalelens") {
    std::string error;
    {
        auto p = test::newProject(tmp, name);
        REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error));
    }
    sql(tmp.path(name), "PRAGMA journal_mode = DELETE");
    return tmp.path(name);
}
}  // namespace

TEST_CASE("new projects carry the ScaleLens application id", "[project][integrity]") {
    test::TempDir tmp;
    const std::string path = test::newProject(tmp)->path();
    CHECK(pragma(path, "application_id") == Project::applicationId);
}

TEST_CASE("a foreign SQLite file and a 0-byte file are refused and never modified",
          "[project][integrity]") {
    test::TempDir tmp;
    const std::string foreign = tmp.path("foreign.scalelens");
    sql(foreign, "CREATE TABLE notes (x TEXT); PRAGMA user_version = 2;");
    const std::string empty = tmp.path("empty.scalelens");
    std::ofstream(empty, std::ios::binary).close();
    const std::string before = readBytes(foreign);
    for (const auto mode : {OpenMode::ReadWrite, OpenMode::ReadOnly}) {
        std::string error;
        CHECK_FALSE(Project::open(foreign, &error, mode));
        CHECK(error == "cannot open project '" + foreign +
                           "': not a ScaleLens project (SQLite file with user_version 2 and no "
                           "ScaleLens tables)");
        CHECK_FALSE(Project::open(empty, &error, mode));
        CHECK(error == "cannot open project '" + empty +
                           "': the file is empty (0 bytes), not a ScaleLens project");
        std::string importError;
        CHECK_FALSE(Project::openOrCreate(empty, &importError));
    }
    CHECK(readBytes(foreign) == before);  // no WAL switch (header bytes 18-19), no tables
    CHECK(pragma(foreign, "journal_mode") == 0);
    CHECK(std::filesystem::file_size(empty) == 0);
    CHECK_FALSE(std::filesystem::exists(foreign + "-wal"));
    CHECK_FALSE(std::filesystem::exists(empty + "-wal"));

    // Another application's id is refused even with our tables.
    const std::string other = closedProject(tmp, "other.scalelens");
    sql(other, "PRAGMA application_id = 42");
    std::string error;
    CHECK_FALSE(Project::open(other, &error));
    CHECK(error == "cannot open project '" + other +
                       "': not a ScaleLens project (SQLite application_id 0x0000002A)");
}

TEST_CASE("an older project without an application id is accepted and gets one",
          "[project][integrity]") {
    test::TempDir tmp;
    const std::string path = closedProject(tmp);
    sql(path, "PRAGMA application_id = 0");
    std::string error;
    {
        auto p = Project::open(path, &error, OpenMode::ReadOnly);
        REQUIRE(p);
        CHECK(p->runs().size() == 2);
    }
    CHECK(pragma(path, "application_id") == 0);  // read-only: unchanged
    REQUIRE(Project::open(path, &error));
    CHECK(pragma(path, "application_id") == Project::applicationId);
}

TEST_CASE("a read-only open never changes the journal mode and cannot write",
          "[project][integrity]") {
    test::TempDir tmp;
    const std::string path = closedProject(tmp);
    const std::string before = readBytes(path);
    std::string error;
    {
        auto p = Project::open(path, &error, OpenMode::ReadOnly);
        INFO(error);
        REQUIRE(p);
        CHECK(p->readOnly());
        CHECK(p->runs().size() == 2);
        CHECK(p->check().empty());
        CHECK_FALSE(p->setSetting("k", "v", &error));
    }
    CHECK(readBytes(path) == before);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));

    // A file that needs a migration is refused read-only, unchanged.
    const std::string v1 = tmp.path("v1.scalelens");
    std::ifstream in(test::fixture("schema_v1.sql"));
    std::stringstream text;
    text << in.rdbuf();
    sql(v1, text.str());
    const std::string v1Before = readBytes(v1);
    CHECK_FALSE(Project::open(v1, &error, OpenMode::ReadOnly));
    CHECK(error.find("uses schema version 1 and must be upgraded first") != std::string::npos);
    CHECK(readBytes(v1) == v1Before);
}

TEST_CASE("a dropped runs or metrics table is an error, not an empty project",
          "[project][integrity]") {
    test::TempDir tmp;
    for (const std::string table : {"runs", "metrics"}) {
        const std::string path = closedProject(tmp, table + ".scalelens");
        std::string error;
        auto open = Project::open(path, &error);
        REQUIRE(open);
        sql(path, "PRAGMA foreign_keys = OFF; DROP TABLE " + table);
        // Dropped under an open project: its next read throws instead of returning nothing.
        if (table == "runs")
            CHECK_THROWS_AS(open->runs(), ProjectError);
        else
            CHECK_THROWS_AS(open->metrics(1, "loss"), ProjectError);
        open.reset();
        CHECK_FALSE(Project::open(path, &error));
        CHECK(error == "cannot open project '" + path + "': the project is damaged: table '" +
                           table + "' missing");
    }
}

TEST_CASE("reads of a damaged project throw instead of returning nothing", "[project][integrity]") {
    test::TempDir tmp;
    const std::string path = closedProject(tmp);
    // Overwrite every page after the first (header and schema) with junk.
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(16384);
        const std::string junk(std::filesystem::file_size(path) - 16384, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    std::string error;
    auto p = Project::open(path, &error, OpenMode::ReadOnly);
    REQUIRE(p);
    try {
        (void)p->runs();
        FAIL("runs() on a damaged file returned");
    } catch (const ProjectError& e) {
        CHECK(e.kind() == ProjectError::Kind::Damaged);
        CHECK(std::string(e.what()).find("database disk image is malformed") != std::string::npos);
    }
    CHECK_THROWS_AS(p->finalValues("loss"), ProjectError);
    CHECK_THROWS_AS(p->imports(), ProjectError);
    // A write that reads first (the duplicate check) fails cleanly.
    auto rw = Project::open(path, &error);
    REQUIRE(rw);
    CHECK_FALSE(rw->importFile(test::fixture("summary_derived.csv"), {}, nullptr, &error));
    CHECK(error.find("malformed") != std::string::npos);
    CHECK_FALSE(rw->lastWriteBusy());
}

TEST_CASE("check reports SQLite damage and broken project rules", "[project][integrity]") {
    test::TempDir tmp;
    const std::string path = closedProject(tmp);
    std::string error;
    {
        auto p = Project::open(path, &error);
        REQUIRE(p);
        CHECK(p->check().empty());
    }
    sql(path,
        "PRAGMA foreign_keys = OFF; UPDATE metrics SET value = 9e999 WHERE (run_id, metric_id, x) "
        "IN (SELECT run_id, metric_id, x FROM metrics LIMIT 1); INSERT INTO metrics (run_id, "
        "metric_id, x, step, value) "
        "VALUES (999, 1, 5, 5, 1.0);");
    auto p = Project::open(path, &error);
    REQUIRE(p);
    const auto problems = p->check();
    for (const auto& line : problems)
        UNSCOPED_INFO(line);
    REQUIRE(problems.size() == 4);
    CHECK(problems[0] ==
          "foreign_key_check: a row of table 'metrics' points at a missing row of "
          "'runs'");
    CHECK(problems[1] == "1 metric rows whose run does not exist");
    CHECK(problems[2] == "1 metric rows with a value that is not a finite number");
    // Rows changed behind the store's back: the kept per-curve statistics no longer match.
    CHECK(problems[3] == "2 curves whose statistics (curve_stats) do not match their metric rows");
}

#if defined(__unix__) || defined(__APPLE__)
TEST_CASE("a second writer gets a busy error naming the other process", "[project][locks]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    int ready[2], done[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(done) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Another process holds the write lock until the parent has tried.
        sqlite3* db = nullptr;
        sqlite3_open(p->path().c_str(), &db);
        const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        char c = rc == SQLITE_OK ? 'y' : 'n';
        (void)!write(ready[1], &c, 1);
        (void)!read(done[0], &c, 1);
        _exit(0);
    }
    char c = 0;
    REQUIRE(read(ready[0], &c, 1) == 1);
    REQUIRE(c == 'y');
    p->setBusyTimeoutMs(100);
    std::string error;
    const bool ok = p->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error);
    const bool busy = p->lastWriteBusy();
    (void)!write(done[1], "x", 1);
    int status = 0;
    waitpid(child, &status, 0);
    CHECK_FALSE(ok);
    CHECK(busy);
    CHECK(error == "project '" + p->path() +
                       "' is busy: another process is writing to it (held by pid " +
                       std::to_string(child) + ", test_datasets); retry when it has finished");
    CHECK(p->imports().empty());
    // Once the other writer is gone the same import succeeds.
    REQUIRE(p->importFile(test::fixture("long_quirks.csv"), {}, nullptr, &error));
    CHECK_FALSE(p->lastWriteBusy());
}
#endif

TEST_CASE("the duplicate check covers the import settings", "[import][duplicate]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport first, again, mapped, mappedAgain;
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), {}, &first, &error));
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), {}, &again, &error));
    CHECK(again.duplicateOfImport == first.importId);
    data::ImportConfig config;
    config.group = "corrected";
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), config, &mapped, &error));
    CHECK(mapped.duplicateOfImport == 0);
    // Imported, not skipped (the runs match the existing ones by name, so they are updated).
    CHECK(mapped.importId != 0);
    REQUIRE(p->importFile(test::fixture("summary_derived.csv"), config, &mappedAgain, &error));
    CHECK(mappedAgain.duplicateOfImport == mapped.importId);
    CHECK(p->imports().size() == 2);
}

TEST_CASE("two concurrent imports of one file: only one commits", "[import][duplicate]") {
    test::TempDir tmp;
    const std::string path = test::newProject(tmp)->path();
    std::string errors[2];
    data::ImportReport reports[2];
    bool oks[2] = {false, false};
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i)
            threads.emplace_back([&, i] {
                auto own = Project::open(path, &errors[i]);
                oks[i] = own && own->importFile(test::fixture("long_quirks.csv"), {}, &reports[i],
                                                &errors[i]);
            });
        for (auto& t : threads)
            t.join();
    }
    INFO(errors[0] << " / " << errors[1]);
    CHECK(oks[0]);
    CHECK(oks[1]);
    CHECK((reports[0].duplicateOfImport != 0) != (reports[1].duplicateOfImport != 0));
    std::string error;
    CHECK(Project::open(path, &error)->imports().size() == 1);
}
