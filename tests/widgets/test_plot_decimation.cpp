// Decimation keeps what the eye sees: the min/max envelope per pixel column, one scatter
// point per occupied cell, and nothing a log axis cannot show.
#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>

#include "scalelens_catch.h"
#include "widgets/plot/plot_axis_ticks.h"
#include "widgets/plot/series_decimation.h"

using namespace scalelens::ui;

TEST_CASE("line decimation keeps the min/max envelope of every pixel column",
          "[plot][decimation]") {
    // 1,000,000 points of a noisy sine over [0, 1): 1,000 points per pixel column at 1000 px.
    const std::size_t n = 1000000;
    std::vector<double> x(n), y(n);
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 0.3);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(i) / n;
        y[i] = std::sin(6.283 * x[i]) + noise(rng);
    }
    DecimationWindow w{0.0, 1.0, -3.0, 3.0, AxisScale::Linear, AxisScale::Linear, 1000, 600};
    const auto keep = decimateLine(x, y, w);
    CHECK(keep.size() <= 4 * 1002);
    CHECK(keep.size() >= 2 * 1000);
    CHECK(std::is_sorted(keep.begin(), keep.end()));

    // For each column, the kept points' min and max equal the full data's.
    std::vector<double> fullMin(1000, INFINITY), fullMax(1000, -INFINITY);
    std::vector<double> keptMin(1000, INFINITY), keptMax(1000, -INFINITY);
    auto colOf = [](double xv) { return std::min(999, static_cast<int>(std::floor(xv * 1000))); };
    for (std::size_t i = 0; i < n; ++i) {
        const int c = colOf(x[i]);
        fullMin[c] = std::min(fullMin[c], y[i]);
        fullMax[c] = std::max(fullMax[c], y[i]);
    }
    for (std::size_t i : keep) {
        const int c = colOf(x[i]);
        keptMin[c] = std::min(keptMin[c], y[i]);
        keptMax[c] = std::max(keptMax[c], y[i]);
    }
    int mismatches = 0;
    for (int c = 0; c < 1000; ++c)
        mismatches += (fullMin[c] != keptMin[c]) + (fullMax[c] != keptMax[c]);
    CHECK(mismatches == 0);
    // The first and last points survive, so the line spans the full width.
    CHECK(keep.front() == 0);
    CHECK(keep.back() == n - 1);
}

TEST_CASE("line decimation of a zoomed window keeps one neighbour outside each edge",
          "[plot][decimation]") {
    std::vector<double> x(100000), y(100000);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = static_cast<double>(i);
        y[i] = static_cast<double>(i % 7);
    }
    DecimationWindow w{5000.5, 5010.5, 0.0, 7.0, AxisScale::Linear, AxisScale::Linear, 800, 600};
    const auto keep = decimateLine(x, y, w);
    // Points 5001..5010 are inside; 5000 and 5011 carry the line to the edges.
    REQUIRE(keep.size() == 12);
    CHECK(keep.front() == 5000);
    CHECK(keep.back() == 5011);
}

TEST_CASE("scatter decimation keeps one point per occupied pixel cell", "[plot][decimation]") {
    // 200,000 points on a 10 x 10 lattice: at most 100 distinct cells are occupied.
    std::vector<double> x, y;
    for (int k = 0; k < 200000; ++k) {
        x.push_back(k % 10 + 0.5);
        y.push_back((k / 10) % 10 + 0.5);
    }
    DecimationWindow w{0.0, 10.0, 0.0, 10.0, AxisScale::Linear, AxisScale::Linear, 500, 500};
    const auto keep = decimateScatter(x, y, w, 2, 0);
    CHECK(keep.size() == 100);
    // Points outside the window are dropped.
    DecimationWindow half{0.0, 5.0, 0.0, 10.0, AxisScale::Linear, AxisScale::Linear, 500, 500};
    CHECK(decimateScatter(x, y, half, 2, 0).size() == 50);
}

TEST_CASE("log axes hide non-positive values and say how many", "[plot][decimation][log]") {
    const std::vector<double> x = {-1.0, 0.0, 1.0, 10.0, 100.0, NAN};
    const std::vector<double> y = {1.0, 2.0, 3.0, -4.0, 5.0, 6.0};
    CHECK(countHiddenOnLog(x, y, AxisScale::Log, AxisScale::Linear) == 2);
    CHECK(countHiddenOnLog(x, y, AxisScale::Log, AxisScale::Log) == 3);
    CHECK(countHiddenOnLog(x, y, AxisScale::Linear, AxisScale::Linear) == 0);
    CHECK(hiddenOnLogNote(12) == QStringLiteral("12 points ≤ 0 hidden on log axis"));
    CHECK(hiddenOnLogNote(1) == QStringLiteral("1 point ≤ 0 hidden on log axis"));
    CHECK(hiddenOnLogNote(0).isEmpty());

    DecimationWindow w{0.5, 200.0, 0.5, 10.0, AxisScale::Log, AxisScale::Log, 400, 300};
    const auto keep = decimateLine(x, y, w);
    CHECK(keep == std::vector<std::size_t>{2, 4});  // only drawable points
}

TEST_CASE("decimation windows are validated", "[plot][decimation]") {
    QString error;
    DecimationWindow w{0.0, 1.0, 0.0, 1.0, AxisScale::Log, AxisScale::Linear, 100, 100};
    CHECK_FALSE(w.isValid(&error));
    CHECK(error == QStringLiteral("DecimationWindow.xMin must be > 0 on a log axis"));
    w.xScale = AxisScale::Linear;
    w.widthPx = 0;
    CHECK_FALSE(w.isValid(&error));
    CHECK(error == QStringLiteral("DecimationWindow.widthPx must be >= 1"));
    w.widthPx = 100;
    CHECK(w.isValid(&error));
    const std::vector<double> v = {1.0, 2.0};
    w.xMax = -1.0;  // invalid window: nothing is returned rather than garbage
    CHECK(decimateLine(v, v, w).empty());
}

TEST_CASE("axis ticks are readable on log and linear axes", "[plot][axis]") {
    // A loss axis inside one decade gets plain steps, not an empty log axis.
    const auto loss = axisTicks(2.0, 4.0, AxisScale::Log);
    REQUIRE(loss.size() >= 4);
    CHECK(loss.front().value == Approx(2.0));
    CHECK(loss.front().label == QStringLiteral("2"));
    CHECK(loss.back().value == Approx(4.0));
    // Many decades: powers of ten with superscripts.
    const auto flops = axisTicks(1e18, 1e24, AxisScale::Log);
    REQUIRE(flops.size() == 7);
    CHECK(flops[1].label == QStringLiteral("10¹⁹"));
    // One to three decades: 1-2-5.
    const auto params = axisTicks(1e8, 1e9, AxisScale::Log);
    REQUIRE(params.size() == 4);
    CHECK(params[1].label == QStringLiteral("2×10⁸"));
    CHECK(params[2].label == QStringLiteral("5×10⁸"));
    // A narrow axis over three decades keeps only the powers of ten.
    const auto narrow = axisTicks(1e7, 1e10, AxisScale::Log, 3);
    REQUIRE(narrow.size() == 4);
    CHECK(narrow[1].label == QStringLiteral("10⁸"));
    // Linear: nice steps, clean zero.
    const auto lin = axisTicks(-0.1, 1.0, AxisScale::Linear);
    CHECK(lin.front().label == QStringLiteral("0"));
    CHECK(lin.back().label == QStringLiteral("1"));
    CHECK(niceStep(1.0, 5) == Approx(0.2));
    CHECK(tickLabel(0.25, 0.05) == QStringLiteral("0.25"));
}

TEST_CASE("the min/max pyramid decimates exactly like the full scan", "[plot][decimation]") {
    // Sorted x, noisy y with repeated values (ties must resolve to the same, earliest index).
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> level(0, 50);
    const std::size_t n = 200003;  // odd, so the pyramid has partial tail blocks
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = static_cast<double>(i) * 0.5;
        y[i] = 25.0 + level(rng) + std::sin(static_cast<double>(i) * 1e-4) * 20.0;
    }
    for (const AxisScale scale : {AxisScale::Linear, AxisScale::Log}) {
        const MinMaxPyramid pyramid = buildMinMaxPyramid(y, scale);
        REQUIRE(pyramid.usable);
        const bool sorted = true;
        for (const auto& [lo, hi, width] :
             {std::tuple{0.0, 0.5 * n, 1600}, std::tuple{1234.5, 77777.0, 800},
              std::tuple{-100.0, 1e6, 333}, std::tuple{50000.0, 50900.0, 1920}}) {
            DecimationWindow w{lo, hi, 0.5, 100.0, AxisScale::Linear, scale, width, 600};
            INFO("window " << lo << ".." << hi << " width " << width);
            const auto scan = decimateLine(x, y, w, 64, &sorted);
            const auto fast = decimateLine(x, y, w, 64, &sorted, &pyramid);
            CHECK(fast == scan);
            CHECK(fast.size() > 10);
        }
    }
    // A NaN makes it unusable (decimateLine then scans); so does y <= 0 on a log scale.
    std::vector<double> bad = y;
    bad[10] = NAN;
    CHECK_FALSE(buildMinMaxPyramid(bad, AxisScale::Linear).usable);
    bad[10] = -1.0;
    CHECK(buildMinMaxPyramid(bad, AxisScale::Linear).usable);
    CHECK_FALSE(buildMinMaxPyramid(bad, AxisScale::Log).usable);
    // Direct queries against a brute-force min/max.
    const MinMaxPyramid pyramid = buildMinMaxPyramid(y, AxisScale::Linear);
    for (const auto& [a, b] : {std::pair<std::size_t, std::size_t>{0, n},
                               {3, 4},
                               {5, 1029},
                               {65536, 131073},
                               {n - 7, n}}) {
        std::size_t lo = 0, hi = 0;
        pyramid.query(a, b, y, &lo, &hi);
        const auto first = y.begin() + static_cast<std::ptrdiff_t>(a);
        const auto last = y.begin() + static_cast<std::ptrdiff_t>(b);
        CHECK(lo == static_cast<std::size_t>(std::min_element(first, last) - y.begin()));
        CHECK(hi == static_cast<std::size_t>(std::max_element(first, last) - y.begin()));
    }
}
