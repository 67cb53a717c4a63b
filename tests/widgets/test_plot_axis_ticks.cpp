// Axis ticks on ranges from issue 12: every decade on wide log axes, 1-2-5 steps elsewhere.
#include <algorithm>
#include <cmath>
#include <vector>

#include "scalelens_catch.h"
#include "widgets/plot/plot_axis_ticks.h"

using namespace scalelens::ui;

namespace {

// True when consecutive ticks are equally spaced (linear steps).
bool evenlySpaced(const std::vector<AxisTick>& ticks) {
    for (std::size_t i = 2; i < ticks.size(); ++i) {
        const double a = ticks[i - 1].value - ticks[i - 2].value;
        const double b = ticks[i].value - ticks[i - 1].value;
        if (std::abs(a - b) > 1e-9 * std::abs(a))
            return false;
    }
    return true;
}

// The step's mantissa is 1, 2 or 5.
bool oneTwoFive(double step) {
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    return std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6;
}

}  // namespace

TEST_CASE("training-loss axis inside one decade gets even 1-2-5 steps", "[plot][axis]") {
    // Issue 12: the curves view read "9.5, 10.5, 11.5, 13" on a 9.5 .. 13 loss axis.
    const auto ticks = axisTicks(9.3, 13.2, AxisScale::Log);
    REQUIRE(ticks.size() >= 3);
    CHECK(evenlySpaced(ticks));
    const double step = ticks[1].value - ticks[0].value;
    CHECK(oneTwoFive(step));
    CHECK(step == Approx(0.5));
    CHECK(ticks.front().label == QStringLiteral("9.5"));
    CHECK(ticks.back().label == QStringLiteral("13"));
}

TEST_CASE("linear axes step by 1, 2 or 5 times a power of ten", "[plot][axis]") {
    for (auto [lo, hi] : std::vector<std::pair<double, double>>{
             {9.5, 13.0}, {0.0, 1.0}, {-0.1, 1.0}, {2.0, 4.0}, {0, 7.3e4}, {1e-3, 3e-3}}) {
        INFO("range " << lo << " .. " << hi);
        const auto ticks = axisTicks(lo, hi, AxisScale::Linear);
        REQUIRE(ticks.size() >= 3);
        CHECK(ticks.size() <= 12);
        CHECK(evenlySpaced(ticks));
        CHECK(oneTwoFive(ticks[1].value - ticks[0].value));
    }
    CHECK(niceStep(1.0, 4) == Approx(0.2));  // 0.25 before: 2.5 is no longer a step
    CHECK(niceStep(3.0, 1) == Approx(2.0));
    CHECK(niceStep(4.0, 1) == Approx(5.0));
}

TEST_CASE("wide log axes tick every decade and label where space allows", "[plot][axis]") {
    // Issue 12: loss-vs-compute showed two labels across three or four decades.
    const auto compute = axisTicks(3e17, 4e21, AxisScale::Log, 6);
    REQUIRE(compute.size() == 4);  // 10^18 .. 10^21
    for (const AxisTick& t : compute)
        CHECK_FALSE(t.label.isEmpty());
    CHECK(compute.front().label == QStringLiteral("10¹⁸"));

    // Twelve decades on a short axis: a tick at every decade, a label on every third.
    const auto wide = axisTicks(1e12, 1e24, AxisScale::Log, 4);
    REQUIRE(wide.size() == 13);
    int labelled = 0;
    for (std::size_t i = 0; i < wide.size(); ++i) {
        CHECK(wide[i].value == Approx(std::pow(10.0, 12 + static_cast<int>(i))));
        labelled += wide[i].label.isEmpty() ? 0 : 1;
    }
    CHECK(labelled == 5);  // 10^12, 10^15, 10^18, 10^21, 10^24
    CHECK(wide[3].label == QStringLiteral("10¹⁵"));
    CHECK(wide[1].label.isEmpty());
}

TEST_CASE("log axes get minor ticks 2..9 x 10^k between the decades", "[plot][ticks]") {
    // 10^18 .. 10^22: four decades, 9 ticks each plus the last decade.
    const std::vector<double> minor = minorLogTicks(1e18, 1e22, 800.0);
    REQUIRE(minor.size() == 4 * 9 + 1);
    CHECK(minor.front() == Approx(1e18));
    CHECK(minor[1] == Approx(2e18));
    CHECK(minor[8] == Approx(9e18));
    CHECK(minor[9] == Approx(1e19));
    CHECK(minor.back() == Approx(1e22));
    CHECK(std::is_sorted(minor.begin(), minor.end()));
    // Inside the range only: 3e18 .. 5e20 starts at 3e18 and stops at 5e20.
    const std::vector<double> cut = minorLogTicks(3e18, 5e20, 800.0);
    REQUIRE(!cut.empty());
    CHECK(cut.front() == Approx(3e18));
    CHECK(cut.back() == Approx(5e20));
    // Under one decade the 1-2-5 major ticks suffice; too many decades for the pixels: none.
    CHECK(minorLogTicks(2.0, 4.0, 800.0).empty());
    CHECK(minorLogTicks(1e-10, 1e30, 200.0).empty());
    // Linear or invalid ranges: nothing.
    CHECK(minorLogTicks(0.0, 10.0, 800.0).empty());
    CHECK(minorLogTicks(10.0, 1.0, 800.0).empty());
}

TEST_CASE("a log loss axis over 2.3 .. 13 labels the bottom of the range", "[plot][axis]") {
    // Issue 12: real losses from 2.3 to 13 on a log y axis showed no label below 4 on screen
    // (linear steps 4, 6, 8 ... crowd the compressed top and leave the stretched bottom bare).
    for (int target = 2; target <= 10; ++target) {
        INFO("target " << target);
        const auto ticks = axisTicks(2.3, 13.0, AxisScale::Log, target);
        int labelled = 0;
        bool low = false;
        for (const AxisTick& t : ticks) {
            CHECK(t.value >= 2.3);
            CHECK(t.value <= 13.0);
            if (!t.label.isEmpty()) {
                ++labelled;
                low = low || t.value <= 3.0;
            }
        }
        CHECK(labelled >= 4);
        CHECK(low);
    }
    // With room, every mantissa: 3, 4, 5, 6, 7, 8, 9, 10.
    const auto full = axisTicks(2.3, 13.0, AxisScale::Log, 10);
    REQUIRE(full.size() == 8);
    CHECK(full.front().label == QStringLiteral("3"));
    CHECK(full[1].label == QStringLiteral("4"));
    CHECK(full.back().label == QStringLiteral("10"));
    // The same below one: 0.23 .. 0.9.
    const auto small = axisTicks(0.23, 0.9, AxisScale::Log, 10);
    REQUIRE(small.size() == 7);
    CHECK(small.front().label == QStringLiteral("0.3"));
    // Minor ticks at every mantissa once the range spans a factor 2.5.
    const auto minor = minorLogTicks(2.3, 13.0, 600.0);
    REQUIRE(minor.size() == 8);  // 3 .. 10; 20 is outside
    CHECK(minor.front() == Approx(3.0));
    CHECK(minor.back() == Approx(10.0));
}

TEST_CASE("a log axis over three decades labels every decade it holds at a target of 3",
          "[plot][axis]") {
    // Issue 12: the residuals view (3e18 .. 6e21 FLOPs on a 300 px axis) labelled only 10²⁰.
    const auto ticks = axisTicks(3.02e18, 5.96e21, AxisScale::Log, 3);
    REQUIRE(ticks.size() == 3);  // 10^19, 10^20, 10^21
    for (const AxisTick& t : ticks)
        CHECK_FALSE(t.label.isEmpty());
}
