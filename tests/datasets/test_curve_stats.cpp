// Per-curve statistics kept at write time (schema version 4, issue 14 item 7): final values,
// row counts and the data fingerprint read from curve_stats must equal what the metric rows say,
// after imports, replace-on-conflict re-imports, deletes, undo and the migration of a version 3
// file.
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::OpenMode;
using data::Project;

namespace {

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
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

// The definition: the final value of `metric` per run straight from the metric rows (the summary
// value, x < 0, else the row with the largest x), with the window query of schema version 2.
std::map<std::int64_t, double> finalFromRows(const std::string& path, const std::string& metric) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(
                db,
                "SELECT run_id, value FROM (SELECT run_id, value, ROW_NUMBER() OVER (PARTITION BY "
                "run_id ORDER BY x < 0 DESC, x DESC) AS rn FROM metrics WHERE metric_id = (SELECT "
                "id FROM metric_names WHERE name = ?)) WHERE rn = 1",
                -1, &s, nullptr) == SQLITE_OK);
    sqlite3_bind_text(s, 1, metric.c_str(), -1, SQLITE_TRANSIENT);
    std::map<std::int64_t, double> out;
    while (sqlite3_step(s) == SQLITE_ROW)
        out[sqlite3_column_int64(s, 0)] = sqlite3_column_double(s, 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

std::int64_t rowsFromRows(const std::string& path) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM metrics", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

std::map<std::int64_t, double> asMap(const std::vector<data::RunValue>& values) {
    std::map<std::int64_t, double> out;
    for (const auto& v : values)
        out[v.runId] = v.value;
    return out;
}

// Every metric's cached final values equal the rows' and check() finds nothing.
void requireConsistent(const Project& p) {
    const auto names = p.metricNames();
    REQUIRE_FALSE(names.empty());
    for (const auto& name : names) {
        INFO("metric " << name);
        CHECK(asMap(p.finalValues(name)) == finalFromRows(p.path(), name));
    }
    CHECK(p.metricRowCount() == rowsFromRows(p.path()));
    const auto problems = p.check();
    for (const auto& line : problems)
        UNSCOPED_INFO(line);
    CHECK(problems.empty());
}

// A mixed project: two sweeps with loss and lr curves (one run stopped early, rows out of
// order, a repeated step), a summary file whose loss has no axis (the summary value wins over
// the curve's last row), a replace-on-conflict re-import that rewrites and extends curves.
void fillMixed(Project& p, const test::TempDir& tmp) {
    std::string error;
    writeFile(tmp.path("curves.csv"),
              "run,group,step,tokens,metric,value\n"
              "a,s1,1,100,loss,5.0\n"
              "a,s1,3,300,loss,3.0\n"
              "a,s1,2,200,loss,4.0\n"
              "a,s1,1,100,lr,0.001\n"
              "a,s1,2,200,lr,0.0005\n"
              "a,s1,3,300,lr,0.0001\n"
              "b,s1,1,100,loss,6.0\n"
              "b,s1,2,200,loss,5.5\n"
              "b,s1,2,200,loss,5.25\n"  // a repeated step: the later row wins
              "b,s1,1,100,lr,0.001\n"
              "b,s1,2,200,lr,0.0009\n"
              "b,s1,3,300,lr,0.0008\n"  // stopped mid-schedule: LR still high
              "c,s2,10,1000,loss,2.5\n"
              "c,s2,20,2000,loss,2.25\n"
              "c,s2,20,2000,val_loss,2.4\n");
    REQUIRE(p.importFile(tmp.path("curves.csv"), {}, nullptr, &error));
    writeFile(tmp.path("summary.csv"), "run,params,loss\nc,1e9,2.125\nd,2e9,1.75\n");
    REQUIRE(p.importFile(tmp.path("summary.csv"), {}, nullptr, &error));
    writeFile(tmp.path("again.csv"),
              "run,group,step,tokens,metric,value\n"
              "a,s1,3,300,loss,2.875\n"  // replaces a's last row
              "a,s1,4,400,loss,2.75\n"   // and extends the curve
              "b,s1,2,200,val_loss,5.0\n");
    data::ImportConfig replace;
    replace.onConflict = data::OnConflict::Replace;
    data::ImportReport report;
    REQUIRE(p.importFile(tmp.path("again.csv"), replace, &report, &error));
    REQUIRE(report.duplicateOfImport == 0);
}

}  // namespace

TEST_CASE("cached final values equal the metric rows through imports, deletes and undo",
          "[project][curve_stats]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    fillMixed(*p, tmp);
    requireConsistent(*p);

    const auto loss = asMap(p->finalValues("loss"));
    const auto a = p->runByName("s1", "a"), c = p->runByName("s2", "c");
    const auto d = p->runByName("", "d");
    REQUIRE(a);
    REQUIRE(c);
    REQUIRE(d);
    CHECK(loss.at(a->id) == 2.75);   // the re-import's new last step
    CHECK(loss.at(c->id) == 2.125);  // the summary value, not the curve's last row (2.25)
    CHECK(loss.at(d->id) == 1.75);
    CHECK(p->metricRowCount() == 18);
    CHECK(p->metricNames() == std::vector<std::string>{"loss", "lr", "val_loss"});

    // Delete and undo: the statistics go with the run and come back with it.
    const std::string fingerprint = p->dataFingerprint();
    std::string error;
    data::RunSnapshot snapshot;
    REQUIRE(p->deleteRun(a->id, &snapshot, &error));
    CHECK(asMap(p->finalValues("loss")).count(a->id) == 0);
    CHECK(p->metricRowCount() == 18 - 7);
    CHECK(p->dataFingerprint() != fingerprint);
    requireConsistent(*p);
    REQUIRE(p->restoreRun(snapshot, &error));
    CHECK(p->dataFingerprint() == fingerprint);
    requireConsistent(*p);

    // A read-only open reads the same values.
    auto ro = Project::open(p->path(), &error, OpenMode::ReadOnly);
    REQUIRE(ro);
    CHECK(asMap(ro->finalValues("loss")) == loss);
    CHECK(ro->dataFingerprint() == fingerprint);
}

TEST_CASE("check() reports curve statistics that disagree with the rows",
          "[project][curve_stats][integrity]") {
    test::TempDir tmp;
    std::string path;
    {
        auto p = test::newProject(tmp);
        fillMixed(*p, tmp);
        path = p->path();
    }
    sql(path,
        "UPDATE curve_stats SET final_value = final_value + 1 WHERE run_id = (SELECT "
        "min(run_id) FROM curve_stats) AND metric_id = (SELECT min(metric_id) FROM "
        "curve_stats)");
    sql(path,
        "INSERT INTO curve_stats VALUES ((SELECT max(id) FROM runs), 999, 1, 0, 0, 0, 0, "
        "0, 0)");
    std::string error;
    auto p = Project::open(path, &error);
    REQUIRE(p);
    const auto problems = p->check();
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "1 curves whose statistics (curve_stats) do not match their metric rows");
    CHECK(problems[1] == "1 curve statistics (curve_stats) without metric rows");
}

TEST_CASE("a version 3 project is read as it is read-only and gets its statistics on migration",
          "[project][curve_stats][migration]") {
    test::TempDir tmp;
    std::string path, fingerprint;
    std::map<std::string, std::map<std::int64_t, double>> finals;
    std::int64_t rows = 0;
    {
        auto p = test::newProject(tmp);
        fillMixed(*p, tmp);
        path = p->path();
        fingerprint = p->dataFingerprint();
        for (const auto& name : p->metricNames())
            finals[name] = asMap(p->finalValues(name));
        rows = p->metricRowCount();
        data::FitRecord fit;
        fit.law = "chinchilla";
        fit.optionsJson = R"({"delta":0.001})";
        fit.resultJson = R"({"E":1.8})";
        std::string error;
        REQUIRE(p->saveFit(fit, &error) != 0);
    }
    // Exactly the version 3 layout: version 4 only added curve_stats.
    sql(path,
        "DROP TABLE curve_stats; DROP TABLE curve_overview; DROP TABLE curve_overview_info; "
        "PRAGMA user_version = 3; PRAGMA journal_mode = DELETE;");

    std::string error;
    {
        auto ro = Project::open(path, &error, OpenMode::ReadOnly);
        INFO(error);
        REQUIRE(ro);
        for (const auto& [name, values] : finals)
            CHECK(asMap(ro->finalValues(name)) == values);
        CHECK(ro->metricRowCount() == rows);
        CHECK(ro->dataFingerprint() == fingerprint);
        CHECK(ro->check().empty());
        REQUIRE(ro->fits().size() == 1);
        CHECK_FALSE(ro->fits()[0].stale);
    }
    auto p = Project::open(path, &error);
    INFO(error);
    REQUIRE(p);
    for (const auto& [name, values] : finals)
        CHECK(asMap(p->finalValues(name)) == values);
    CHECK(p->metricRowCount() == rows);
    // The same sums in the same order: a fit saved before the migration is not stale.
    CHECK(p->dataFingerprint() == fingerprint);
    REQUIRE(p->fits().size() == 1);
    CHECK_FALSE(p->fits()[0].stale);
    requireConsistent(*p);
}
