// Zooming into a long training curve re-reads the visible range at full resolution on a worker
// thread (issue 14, item 7; widgets/views/curve_zoom.h): the overview a long curve is drawn
// from keeps four rows per bucket of x, so zoomed in past a bucket per pixel column the plot
// would draw straight lines between them.
#include <datasets/curve_overview.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/curve_zoom.h>
#include <widgets/views/plot_views.h>
#include <QDoubleSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <fstream>

#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

constexpr int kSteps = 80000;  // an overview of a quarter of the rows or less (noisy curve)
constexpr double kTokensPerStep = 65536;

// A noisy loss: a power law plus deterministic noise of +-0.05.
double lossAt(int run, int step) {
    std::uint64_t h = static_cast<std::uint64_t>(step) * 6364136223846793005ULL +
                      static_cast<std::uint64_t>(run) * 1442695040888963407ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    const double noise = static_cast<double>(h % 100001) / 100000.0 - 0.5;
    return 2.0 + 8.0 / std::sqrt(static_cast<double>(step)) + 0.1 * noise;
}

void writeCurves(const std::string& csv) {
    std::ofstream out(csv, std::ios::binary);
    out.precision(17);
    out << "run,step,tokens,metric,value\n";
    for (int r = 0; r < 2; ++r)
        for (int s = 1; s <= kSteps; ++s)
            out << "long-" << r << ',' << s << ',' << s * kTokensPerStep << ",loss," << lossAt(r, s)
                << '\n';
}

int seriesNamed(const ui::PlotView* view, const QString& name) {
    for (int i = 0; i < view->seriesCount(); ++i)
        if (view->seriesName(i) == name)
            return i;
    return -1;
}

// The series' points with x in [lo, hi].
std::vector<std::pair<double, double>> pointsIn(const ui::PlotView* view, int series, double lo,
                                                double hi) {
    std::vector<std::pair<double, double>> out;
    const auto& x = view->seriesX(series);
    const auto& y = view->seriesY(series);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i] >= lo && x[i] <= hi)
            out.emplace_back(x[i], y[i]);
    return out;
}

}  // namespace

TEST_CASE(
    "zooming into a long curve re-reads the visible steps at full resolution off the GUI "
    "thread",
    "[main_window][scale]") {
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("long.scalelens")).toStdString();
    {
        const std::string csv = dir.filePath(QStringLiteral("long.csv")).toStdString();
        writeCurves(csv);
        std::string error;
        auto project = data::Project::create(path, &error);
        REQUIRE(project);
        data::ImportReport report;
        REQUIRE(project->importFile(csv, {}, &report, &error));
        REQUIRE(project->curveOverview(1, "loss", data::CurveOverviewKind::Raw));
    }
    app::MainWindow window;
    window.restoreSettings(false);
    window.resize(1280, 800);
    QString error;
    REQUIRE(window.openProject(QString::fromStdString(path), &error));
    window.show();
    app::PlotTabs* tabs = window.plotTabs();
    REQUIRE(tabs->showView(QStringLiteral("training-curves")));
    REQUIRE(testing::waitFor(
        [&] {
            return tabs->currentViewId() == QLatin1String("training-curves") &&
                   tabs->plotView(QStringLiteral("training-curves"))->seriesCount() >= 4;
        },
        120000));
    ui::PlotView* view = tabs->plotView(QStringLiteral("training-curves"));
    auto* zoom = tabs->findChild<ui::CurveZoom*>();
    REQUIRE(zoom);
    const int raw = seriesNamed(view, QStringLiteral("long-0 (raw)"));
    const int smoothed = seriesNamed(view, QStringLiteral("long-0"));
    REQUIRE(raw >= 0);
    REQUIRE(smoothed >= 0);
    // Drawn from the overviews: fewer points than rows, and more than the plot has columns.
    CHECK(view->pointCount(raw) < kSteps / 4);
    CHECK(view->pointCount(raw) > 2000);
    CHECK(view->pointCount(smoothed) < kSteps / 4);

    // Zoom into steps 40,000 .. 40,600 (601 rows) on the tokens axis.
    const int first = 40000, last = 40600;
    const double lo = first * kTokensPerStep, hi = last * kTokensPerStep;
    const auto overviewInRange = pointsIn(view, raw, lo, hi).size();
    CHECK(overviewInRange < 601);
    const long long guiReads = ui::zoomReadsOnGuiThread();
    const int applied = zoom->readsApplied();
    ui::PlotRange range = view->range(0);
    range.xMin = lo;
    range.xMax = hi;
    view->setRange(0, range);
    REQUIRE(testing::waitFor([&] { return zoom->readsApplied() > applied; }, 60000));

    // Every row in range, as logged (raw) and as the EMA of the full curve (smoothed).
    std::vector<double> full;
    for (int s = 1; s <= kSteps; ++s)
        full.push_back(lossAt(0, s));
    const std::vector<double> ema = data::emaSmooth(full, data::kOverviewEmaWeight);
    const auto rawIn = pointsIn(view, raw, lo, hi);
    const auto smoothIn = pointsIn(view, smoothed, lo, hi);
    REQUIRE(rawIn.size() == static_cast<std::size_t>(last - first + 1));
    REQUIRE(smoothIn.size() == static_cast<std::size_t>(last - first + 1));
    double rawError = 0, smoothError = 0;
    for (std::size_t i = 0; i < rawIn.size(); ++i) {
        const auto step = static_cast<std::size_t>(std::lround(rawIn[i].first / kTokensPerStep));
        rawError = std::max(rawError, std::abs(rawIn[i].second - full[step - 1]));
        const auto sstep =
            static_cast<std::size_t>(std::lround(smoothIn[i].first / kTokensPerStep));
        smoothError = std::max(smoothError, std::abs(smoothIn[i].second - ema[sstep - 1]));
    }
    CHECK(rawError == 0.0);
    CHECK(smoothError < 1e-9);
    // Outside the range the overview stays (a pan or zoom out still shows the whole curve).
    CHECK(view->pointCount(raw) < kSteps / 4 + 601);
    CHECK(view->range(0).xMin == lo);               // the zoom was kept
    CHECK(ui::zoomReadsOnGuiThread() == guiReads);  // read on the worker

    // Zoomed out again: the overview comes back.
    const int applied2 = zoom->readsApplied();
    view->resetZoom();
    REQUIRE(testing::waitFor([&] { return zoom->readsApplied() > applied2; }, 60000));
    CHECK(pointsIn(view, raw, lo, hi).size() == overviewInRange);

    // Another smoothing weight: the data step smooths the full curve once and the drawing step
    // gets its overview rows; a zoom reads the range and a bounded warm-up, not the curve from
    // its start, and matches the full curve's EMA within the stated tolerance.
    auto* smoothing = tabs->findChild<QDoubleSpinBox*>(QStringLiteral("curveSmoothing"));
    REQUIRE(smoothing);
    const int builds = tabs->buildCount();
    smoothing->setValue(0.9);
    REQUIRE(testing::waitFor([&] { return tabs->buildCount() > builds; }, 120000));
    CHECK(tabs->lastBuildPrepared());
    const int smoothed9 = seriesNamed(view, QStringLiteral("long-0"));
    REQUIRE(smoothed9 >= 0);
    CHECK(view->pointCount(smoothed9) < kSteps / 4);  // overview rows, not every row
    const int applied3 = zoom->readsApplied();
    range = view->range(0);
    range.xMin = lo;
    range.xMax = hi;
    view->setRange(0, range);
    REQUIRE(testing::waitFor([&] { return zoom->readsApplied() > applied3; }, 60000));
    const std::vector<double> ema9 = data::emaSmooth(full, 0.9);
    const auto smooth9In = pointsIn(view, smoothed9, lo, hi);
    REQUIRE(smooth9In.size() == static_cast<std::size_t>(last - first + 1));
    double error9 = 0;
    for (const auto& [x, y] : smooth9In) {
        const auto step = static_cast<std::size_t>(std::lround(x / kTokensPerStep));
        error9 = std::max(error9, std::abs(y - ema9[step - 1]));
    }
    const double spread =
        *std::max_element(full.begin(), full.end()) - *std::min_element(full.begin(), full.end());
    CHECK(error9 <= ui::kZoomEmaTolerance * spread);
    // Two runs of two series (raw and smoothed), each the range, an overview bucket either side
    // (about 40 steps here) and, smoothed, the warm-up: not the 40,000 steps before the range.
    CHECK(zoom->lastRowsRead() <= 2 * (2 * (601 + 2 * 80) + ui::zoomWarmupRows(0.9)));
    CHECK(ui::zoomReadsOnGuiThread() == guiReads);
}
