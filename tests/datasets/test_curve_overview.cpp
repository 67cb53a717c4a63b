// Curve overviews (schema version 5, issue 14 item 7): the rows a plot of a long curve can show,
// kept at import time. Per bucket (and so per pixel column of any grid whose columns are unions
// of buckets) the overview has the full curve's first, lowest, highest and last point; the
// smoothed kind is the EMA of the full curve; both follow re-imports, deletes, undo and the
// migration of a version 4 file.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <tuple>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::CurveOverviewKind;
using data::OpenMode;
using data::Project;

namespace {

struct Column {
    double first = NAN, last = NAN, lo = INFINITY, hi = -INFINITY;
    bool operator==(const Column&) const = default;
};

// Per pixel column of a linear grid of `width` columns over [x.front(), x.back()]: the first,
// lowest, highest and last value of the rows `rows` (ascending) that fall into it.
std::map<long, Column> columns(const std::vector<double>& x, const std::vector<double>& y,
                               const std::vector<std::size_t>& rows, int width) {
    std::map<long, Column> out;
    const double lo = x.front(), span = x.back() - x.front();
    for (const std::size_t i : rows) {
        const long c = std::min<long>(width - 1, static_cast<long>((x[i] - lo) * width / span));
        Column& col = out[c];
        if (std::isnan(col.first))
            col.first = y[i];
        col.last = y[i];
        col.lo = std::min(col.lo, y[i]);
        col.hi = std::max(col.hi, y[i]);
    }
    return out;
}

std::vector<std::size_t> allRows(std::size_t n) {
    std::vector<std::size_t> rows(n);
    for (std::size_t i = 0; i < n; ++i)
        rows[i] = i;
    return rows;
}

// A noisy loss curve over steps 0..last (every step logged), seeded.
void noisyCurve(int last, std::vector<double>* x, std::vector<double>* y, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.05);
    for (int s = 0; s <= last; ++s) {
        x->push_back(s);
        y->push_back(2.0 + 8.0 / std::sqrt(1.0 + s) + noise(rng));
    }
}

std::string curveCsv(int runs, int steps, double shift) {
    std::string csv = "run,step,tokens,metric,value\n";
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.05);
    for (int r = 0; r < runs; ++r)
        for (int s = 1; s <= steps; ++s) {
            const double loss = shift + 2.0 + 8.0 / std::sqrt(s) + r * 0.01 + noise(rng);
            csv += "run" + std::to_string(r) + "," + std::to_string(s) + "," +
                   std::to_string(s * 4096) + ",loss," + std::to_string(loss) + "\n";
        }
    return csv;
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
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

// The overview's rows, found in the full curve by step: their indices there.
std::vector<std::size_t> rowsInFull(const data::MetricSeries& full,
                                    const data::MetricSeries& overview) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < overview.size(); ++i) {
        const auto it = std::lower_bound(full.step.begin(), full.step.end(), overview.step[i]);
        REQUIRE(it != full.step.end());
        REQUIRE(*it == overview.step[i]);
        rows.push_back(static_cast<std::size_t>(it - full.step.begin()));
        CHECK(full.tokens[rows.back()] == overview.tokens[i]);
    }
    return rows;
}

// Checks the overview of (run, loss) against the full curve: every overview row is a row of the
// curve, and per column of linear grids that divide the bucket count the first, lowest,
// highest and last values are the full curve's (raw, or its EMA for the smoothed kind).
void checkOverview(const Project& p, std::int64_t run) {
    const data::MetricSeries full = p.metrics(run, "loss");
    for (const auto kind : {CurveOverviewKind::Raw, CurveOverviewKind::Smoothed}) {
        const auto o = p.curveOverview(run, "loss", kind);
        REQUIRE(o);
        CHECK(o->points == static_cast<std::int64_t>(full.size()));
        CHECK(o->stepFinite == o->points);
        CHECK(o->tokensPositive == o->points);
        CHECK(o->flopsFinite == 0);
        CHECK(o->series.size() * 4 <= full.size());
        const std::vector<std::size_t> rows = rowsInFull(full, o->series);
        const std::vector<double> y = kind == CurveOverviewKind::Raw
                                          ? full.value
                                          : data::emaSmooth(full.value, data::kOverviewEmaWeight);
        for (std::size_t i = 0; i < rows.size(); ++i)
            REQUIRE(o->series.value[i] == y[rows[i]]);
        for (const int width : {256, 1024, data::kOverviewBuckets})
            CHECK(columns(full.step, y, rows, width) ==
                  columns(full.step, y, allRows(full.size()), width));
    }
}

}  // namespace

TEST_CASE("an overview keeps each bucket's first, lowest, highest and last point", "[overview]") {
    std::vector<double> x, y;
    noisyCurve(51200, &x, &y, 1);  // x = 0..51200: 25 steps per linear bucket
    const std::vector<std::size_t> keep = data::overviewRows(x, y);
    REQUIRE(std::is_sorted(keep.begin(), keep.end()));
    REQUIRE(std::adjacent_find(keep.begin(), keep.end()) == keep.end());
    CHECK(keep.front() == 0);
    CHECK(keep.back() == x.size() - 1);
    // At most 4 rows per bucket (3,000 buckets here): a fifth of this noisy curve.
    CHECK(keep.size() < x.size() / 4);
    // Pixel columns that are unions of buckets: the envelope (and first, last) is the curve's.
    for (const int width : {64, 512, 1024, 2048})
        CHECK(columns(x, y, keep, width) == columns(x, y, allRows(x.size()), width));
    // On a log axis the first steps are pixels of their own: buckets cut at equal steps of
    // log x keep every one of them.
    for (std::size_t i = 0; i <= 100; ++i)
        CHECK(std::binary_search(keep.begin(), keep.end(), i));
}

TEST_CASE("an overview of a constant or tiny curve", "[overview]") {
    CHECK(data::overviewRows({}, {}).empty());
    CHECK(data::overviewRows({5.0}, {1.0}) == std::vector<std::size_t>{0});
    const std::vector<double> x = {3, 3.5, 4, 10}, flat = {1, 1, 1, 1};
    CHECK(data::overviewRows(x, flat, 1) == std::vector<std::size_t>{0, 3});
}

TEST_CASE("the EMA the views smooth with", "[overview]") {
    // TensorBoard's debiased EMA: the first value is kept, then 0.6 s + 0.4 v, / (1 - 0.6^t).
    const std::vector<double> s = data::emaSmooth({1.0, 2.0, NAN, 4.0}, 0.6);
    CHECK(s[0] == Approx(1.0).epsilon(1e-15));
    CHECK(s[1] == Approx((0.6 * 0.4 * 1.0 + 0.4 * 2.0) / (1 - 0.36)).epsilon(1e-15));
    CHECK(std::isnan(s[2]));
    CHECK(s[3] ==
          Approx((0.36 * 0.4 * 1.0 + 0.6 * 0.4 * 2.0 + 0.4 * 4.0) / (1 - 0.216)).epsilon(1e-15));
    CHECK(data::emaSmooth({1.0, 2.0}, 0.0) == std::vector<double>{1.0, 2.0});
}

TEST_CASE("imports keep overviews of long curves in step with their rows", "[overview][project]") {
    test::TempDir tmp;
    const std::string path = tmp.path("p.scalelens");
    const std::string csv = tmp.path("a.csv");
    const int steps = 60000;  // a noisy curve needs ~45,000 rows for an overview 4x smaller
    std::string text = curveCsv(2, steps, 0.0);
    text += "short,1,4096,loss,3.5\nshort,2,8192,loss,3.25\n";
    writeFile(csv, text);
    auto p = test::newProject(tmp);
    std::string error;
    REQUIRE(p->importFile(csv, {}, nullptr, &error));
    std::map<std::string, std::int64_t> ids;
    for (const auto& run : p->runs())
        ids[run.name] = run.id;
    checkOverview(*p, ids["run0"]);
    checkOverview(*p, ids["run1"]);
    // A short curve has none: a plot reads it in full.
    CHECK_FALSE(p->curveOverview(ids["short"], "loss", CurveOverviewKind::Raw));

    // Re-importing the run's steps with other values replaces the rows and the overview.
    const auto before = p->curveOverview(ids["run0"], "loss", CurveOverviewKind::Raw);
    writeFile(tmp.path("b.csv"), curveCsv(1, steps, 1.0));
    REQUIRE(p->importFile(tmp.path("b.csv"), {}, nullptr, &error));
    checkOverview(*p, ids["run0"]);
    CHECK(p->curveOverview(ids["run0"], "loss", CurveOverviewKind::Raw)->series.value.front() ==
          Approx(before->series.value.front() + 1.0).margin(1e-6));

    // Deleting a run deletes its overview; undo (restoreRun) brings it back.
    data::RunSnapshot snapshot;
    REQUIRE(p->deleteRun(ids["run1"], &snapshot, &error));
    CHECK_FALSE(p->curveOverview(ids["run1"], "loss", CurveOverviewKind::Raw));
    REQUIRE(p->restoreRun(snapshot, &error));
    checkOverview(*p, ids["run1"]);
    CHECK(p->check().empty());

    // Rows changed behind the store's back: check() says the overview no longer matches.
    p.reset();
    sql(path, "UPDATE metrics SET value = value + 1 WHERE step = 1");
    p = Project::open(path, &error);
    REQUIRE(p);
    const auto problems = p->check();
    CHECK(std::find(problems.begin(), problems.end(),
                    "2 overview rows (curve_overview) that are not rows of their curve") !=
          problems.end());
}

TEST_CASE("a version 4 file gets overviews when opened for writing", "[overview][project]") {
    test::TempDir tmp;
    const std::string path = tmp.path("p.scalelens");
    writeFile(tmp.path("a.csv"), curveCsv(1, 60000, 0.0));
    std::int64_t run = 0;
    {
        auto p = test::newProject(tmp);
        std::string error;
        REQUIRE(p->importFile(tmp.path("a.csv"), {}, nullptr, &error));
        run = p->runs().at(0).id;
    }
    sql(path,
        "DROP TABLE curve_overview; DROP TABLE curve_overview_info; PRAGMA user_version = 4; "
        "PRAGMA journal_mode = DELETE;");
    std::string error;
    {
        // Read-only: read as it is, without overviews (plots read the full curves).
        auto p = Project::open(path, &error, OpenMode::ReadOnly);
        REQUIRE(p);
        CHECK_FALSE(p->curveOverview(run, "loss", CurveOverviewKind::Raw));
        CHECK(p->metrics(run, "loss").size() == 60000);
    }
    auto p = Project::open(path, &error);
    REQUIRE(p);
    checkOverview(*p, run);
}
