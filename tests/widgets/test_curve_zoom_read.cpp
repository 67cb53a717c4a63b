// The zoom re-read of a smoothed training curve (widgets/views/curve_zoom.h, issue 14 item 7):
// at any EMA weight it reads the rows in range plus a bounded warm-up, restarting the average
// from the smoothed overview's row before the warm-up, instead of the whole curve from its
// start, and matches the full curve's EMA within the stated tolerance.
#include <datasets/curve_overview.h>
#include <datasets/project.h>
#include <widgets/views/curve_zoom.h>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <fstream>

#include "scalelens_catch.h"

using namespace scalelens;

namespace {

constexpr int kSteps = 60000;

double lossAt(int step) {
    std::uint64_t h =
        static_cast<std::uint64_t>(step) * 6364136223846793005ULL + 1442695040888963407ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    const double noise = static_cast<double>(h % 100001) / 100000.0 - 0.5;
    return 2.0 + 8.0 / std::sqrt(static_cast<double>(step)) + 0.2 * noise;
}

}  // namespace

TEST_CASE(
    "a zoom re-read of a smoothed curve restarts its EMA ahead of the range: bounded read, "
    "full-curve values",
    "[plot][scale]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("zoom.scalelens")).toStdString();
    const std::string csv = dir.filePath(QStringLiteral("zoom.csv")).toStdString();
    {
        std::ofstream out(csv, std::ios::binary);
        out.precision(17);
        out << "run,step,metric,value\n";
        for (int s = 1; s <= kSteps; ++s)
            out << "r," << s << ",loss," << lossAt(s) << '\n';
    }
    std::string error;
    auto project = data::Project::create(path, &error);
    REQUIRE(project);
    data::ImportReport report;
    REQUIRE(project->importFile(csv, {}, &report, &error));
    const auto rawOverview = project->curveOverview(1, "loss", data::CurveOverviewKind::Raw);
    const auto smoothOverview =
        project->curveOverview(1, "loss", data::CurveOverviewKind::Smoothed);
    REQUIRE(rawOverview);
    REQUIRE(smoothOverview);
    std::vector<double> full;
    for (int s = 1; s <= kSteps; ++s)
        full.push_back(lossAt(s));
    const double spread =
        *std::max_element(full.begin(), full.end()) - *std::min_element(full.begin(), full.end());

    // Steps 30,000 .. 30,500 on a step axis; the series as the view draws it at `weight` (the
    // smoothed overview's positions; values as drawn do not matter to the read).
    const int first = 30000, last = 30500;
    for (const double weight : {0.6, 0.9, 0.99}) {
        INFO("weight " << weight);
        ui::CurveZoomSource source;
        source.series = 7;
        source.runId = 1;
        source.metric = "loss";
        source.axis = ui::CurveAxis::Step;
        source.weight = weight;
        source.x = smoothOverview->series.step;
        source.y = smoothOverview->series.value;
        source.order = smoothOverview->series.step;
        source.restartOrder = smoothOverview->series.step;
        source.restartValue = smoothOverview->series.value;
        ui::CurveZoomSources sources;
        sources.curves.push_back(source);
        const auto read = ui::readZoomedCurves(*project, sources, first, last, 1000, {});
        REQUIRE(read);
        REQUIRE(read->series.size() == 1);
        const ui::CurveZoomRead::Series& s = read->series.front();
        CHECK(s.series == 7);
        CHECK(s.fullResolution);
        const std::vector<double> ema = data::emaSmooth(full, weight);
        std::size_t inRange = 0;
        double error = 0;
        for (std::size_t i = 0; i < s.x.size(); ++i)
            if (s.x[i] >= first && s.x[i] <= last) {
                ++inRange;
                const auto step = static_cast<std::size_t>(std::lround(s.x[i]));
                error = std::max(error, std::abs(s.y[i] - ema[step - 1]));
            }
        CHECK(inRange == static_cast<std::size_t>(last - first + 1));
        // The stated tolerance: within kZoomEmaTolerance of the curve's spread.
        CHECK(error <= ui::kZoomEmaTolerance * spread);
        // Bounded: the range, the overview buckets either side of it (a step per 30 rows or
        // so) and the warm-up; never the curve from its start.
        const std::int64_t bound = (last - first + 1) + 2 * 64 + ui::zoomWarmupRows(weight);
        CHECK(s.rowsRead <= bound);
        CHECK(s.rowsRead < first / 2);
        CHECK(s.rowsRead >= (last - first + 1) + ui::zoomWarmupRows(weight));
    }
}
