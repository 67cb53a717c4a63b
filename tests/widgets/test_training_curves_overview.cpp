// Training curves of long runs read the curves' overviews (issue 14, item 7): the plot draws the
// same smoothed curves and, per pixel column of a grid whose columns are unions of the
// overview's buckets, the same first, lowest, highest and last point as from the full curves;
// any other smoothing weight, and curves an axis cannot draw in full, read the full curves.
#include <sqlite3.h>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include <datasets/project.h>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_views.h"

using namespace scalelens;
using namespace scalelens::ui;

namespace {

constexpr int kSteps = 48001;  // steps 1..48001: an overview under a quarter of a noisy curve

// Runs with a noisy loss curve each (tokens = 4096 x step), N growing with the run index.
std::string sweepCsv(int runs) {
    std::string csv = "run,step,tokens,total_params,metric,value\n";
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0.0, 0.04);
    char line[160];
    for (int r = 0; r < runs; ++r)
        for (int s = 1; s <= kSteps; ++s) {
            const double loss = 2.0 + 6.0 / std::sqrt(s) + 0.02 * r + noise(rng);
            std::snprintf(line, sizeof line, "run%d,%d,%d,%g,loss,%.6f\n", r, s, s * 4096,
                          1e7 * (r + 1), loss);
            csv += line;
        }
    return csv;
}

struct Column {
    double first = NAN, last = NAN, lo = INFINITY, hi = -INFINITY;
    bool operator==(const Column&) const = default;
};

// Per column of a linear grid of `width` columns over the series' x range.
std::map<long, Column> columns(const std::vector<double>& x, const std::vector<double>& y,
                               int width) {
    std::map<long, Column> out;
    const double lo = x.front(), span = x.back() - x.front();
    for (std::size_t i = 0; i < x.size(); ++i) {
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

void build(const data::Project& project, ViewContext ctx, PlotView* view) {
    ctx.project = &project;
    QString error;
    REQUIRE(buildView(QStringLiteral("training-curves"), ctx, view, &error));
}

// Every series of `a` (from overviews) against the same series of `b` (from full curves):
// same name, colour and pen; its points are points of b's series; per column of the grids the
// first, lowest, highest and last point are b's.
void compareViews(const PlotView& a, const PlotView& b) {
    REQUIRE(a.seriesCount() == b.seriesCount());
    CHECK(a.notes(0) == b.notes(0));
    for (int s = 0; s < a.seriesCount(); ++s) {
        INFO("series " << a.seriesName(s).toStdString());
        CHECK(a.seriesName(s) == b.seriesName(s));
        CHECK(a.seriesColor(s) == b.seriesColor(s));
        const auto &ax = a.seriesX(s), &ay = a.seriesY(s), &bx = b.seriesX(s), &by = b.seriesY(s);
        CHECK(ax.size() * 4 < bx.size());  // read from an overview
        std::size_t j = 0;
        for (std::size_t i = 0; i < ax.size(); ++i) {
            while (j < bx.size() && bx[j] < ax[i])
                ++j;
            REQUIRE(j < bx.size());
            REQUIRE(bx[j] == ax[i]);
            REQUIRE(by[j] == ay[i]);  // the smoothed values too: the EMA of the full curve
        }
        for (const int width : {512, 1024, 2048})
            CHECK(columns(ax, ay, width) == columns(bx, by, width));
    }
}

struct Projects {
    QTemporaryDir dir;
    std::unique_ptr<data::Project> overview, full;
};

// The same import twice; in the second project the overviews are removed, so the view reads
// the full curves (what it drew before overviews existed).
std::unique_ptr<Projects> makeProjects(int runs) {
    auto p = std::make_unique<Projects>();
    const std::string csv = p->dir.filePath(QStringLiteral("c.csv")).toStdString();
    std::ofstream(csv, std::ios::binary) << sweepCsv(runs);
    std::string error;
    for (const char* name : {"a.scalelens", "b.scalelens"}) {
        auto project =
            data::Project::create(p->dir.filePath(QLatin1String(name)).toStdString(), &error);
        REQUIRE(project);
        REQUIRE(project->importFile(csv, {}, nullptr, &error));
        project.reset();
    }
    const std::string b = p->dir.filePath(QStringLiteral("b.scalelens")).toStdString();
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(b.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DELETE FROM curve_overview; DELETE FROM curve_overview_info;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    p->overview = data::Project::open(p->dir.filePath(QStringLiteral("a.scalelens")).toStdString(),
                                      &error, data::OpenMode::ReadOnly);
    p->full = data::Project::open(b, &error, data::OpenMode::ReadOnly);
    REQUIRE(p->overview);
    REQUIRE(p->full);
    return p;
}

}  // namespace

TEST_CASE("training curves of many long runs draw from the overviews as from the full curves",
          "[views][training_curves][overview]") {
    const auto p = makeProjects(9);  // more runs than categorical colours: smoothed curves only
    for (const CurveAxis axis : {CurveAxis::Tokens, CurveAxis::Step}) {
        ViewContext ctx;
        ctx.curveAxis = axis;
        PlotView a, b;
        build(*p->overview, ctx, &a);
        build(*p->full, ctx, &b);
        REQUIRE(a.seriesCount() == 9);
        compareViews(a, b);
    }
    // Raw curves (no smoothing) from the raw overview.
    ViewContext raw;
    raw.smoothing = 0;
    PlotView a, b;
    build(*p->overview, raw, &a);
    build(*p->full, raw, &b);
    compareViews(a, b);
    // Another smoothing weight is the EMA of every row: the data step reads the full curves,
    // smooths them and keeps the overview rows of the smoothed values, so the drawing step gets
    // as few points as at the default weight and draws what the full curves draw.
    ViewContext other;
    other.smoothing = 0.9;
    PlotView c, d;
    build(*p->overview, other, &c);
    build(*p->full, other, &d);
    compareViews(c, d);
    // FLOPs: the rows have none and derive them as 6 N D.
    ViewContext flops;
    flops.curveAxis = CurveAxis::Flops;
    PlotView e, f;
    build(*p->overview, flops, &e);
    build(*p->full, flops, &f);
    compareViews(e, f);
}

TEST_CASE("training curves of a few long runs draw smoothed and faint raw curves from overviews",
          "[views][training_curves][overview]") {
    const auto p = makeProjects(2);
    ViewContext ctx;  // two runs: categorical colours, the raw curve faint under the smoothed
    PlotView a, b;
    build(*p->overview, ctx, &a);
    build(*p->full, ctx, &b);
    REQUIRE(a.seriesCount() == 4);
    compareViews(a, b);
    // The data step reads the same curves: a build with what it read draws the same.
    ViewContext prepared = ctx;
    prepared.project = p->overview.get();
    prepared.prepared = prepareView(QStringLiteral("training-curves"), prepared);
    PlotView c;
    build(*p->overview, prepared, &c);
    REQUIRE(c.seriesCount() == a.seriesCount());
    for (int s = 0; s < c.seriesCount(); ++s) {
        CHECK(c.seriesX(s) == a.seriesX(s));
        CHECK(c.seriesY(s) == a.seriesY(s));
    }
}
