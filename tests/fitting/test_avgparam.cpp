// Average parameter count N̄ (Jin et al. 2025; laws.md §C).
#include <cmath>

#include "fitting/avgparam.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

PruningScheduleSpec card(long long steps, long long end, double s, long long freq = 100) {
    PruningScheduleSpec spec;
    spec.totalSteps = steps;
    spec.startStep = 2500;
    spec.endStep = end;
    spec.frequency = freq;
    spec.finalSparsity = s;
    return spec;
}

}  // namespace

TEST_CASE("Geometric schedule reproduces the sparsellm model-card averages", "[avgparam]") {
    // laws.md §C: geometric model 0.8928 (card 0.8919), 0.7649-0.7660 (card 0.7651),
    // 0.6096 (card 0.69B/1.14B ~ 0.605).
    const auto p20 = card(11200, 8100, 0.2);
    const auto p40 = card(13050, 8875, 0.4);
    const auto p60 = card(16375, 10100, 0.6);
    CHECK(averageDensity(p20) == Approx(0.8928).margin(1e-4));
    CHECK(averageDensity(p40) >= 0.7649 - 1e-4);
    CHECK(averageDensity(p40) <= 0.7660 + 1e-4);
    CHECK(averageDensity(p60) == Approx(0.6096).margin(1e-4));
    // Within 0.001 of the cards' measured averages.
    CHECK(averageDensity(p20) == Approx(0.8919).margin(1e-3));
    CHECK(averageDensity(p40) == Approx(0.7651).margin(1e-3));
    // Per-step pruning (frequency 1) is the upper end of the 40p range.
    CHECK(averageDensity(card(13050, 8875, 0.4, 1)) == Approx(0.7660).margin(1e-4));
    // Final density after the last event is exactly 1 - s.
    CHECK(densityAtStep(p40, 13049) == Approx(0.6).epsilon(1e-12));
    CHECK(densityAtStep(p40, 2499) == 1.0);
    CHECK(pruningEventCount(p40) == 64);
}

TEST_CASE("Cubic and linear ramps give 0.725 and 0.774 for the 40p schedule", "[avgparam]") {
    auto spec = card(13050, 8875, 0.4);
    spec.shape = PruningShape::Cubic;
    CHECK(averageDensity(spec) == Approx(0.725).margin(2e-3));
    spec.shape = PruningShape::Linear;
    CHECK(averageDensity(spec) == Approx(0.774).margin(2e-3));
}

TEST_CASE("Pruning-window average tends to s/(-ln(1-s))", "[avgparam]") {
    for (double s : {0.2, 0.4, 0.6, 0.8}) {
        // Schedule that prunes on every step of the whole run: the run is the window.
        PruningScheduleSpec spec;
        spec.totalSteps = 200000;
        spec.startStep = 0;
        spec.endStep = spec.totalSteps - 1;
        spec.frequency = 1;
        spec.finalSparsity = s;
        const double closed = s / -std::log(1 - s);
        CHECK(geometricWindowAverageDensity(s) == Approx(closed).epsilon(1e-12));
        // Discrete sum of (1-s)^(k/n), k = 1..n, is below the integral by O(s/n).
        CHECK(averageDensity(spec) == Approx(closed).margin(1e-5));
    }
    CHECK(geometricWindowAverageDensity(0.4) == Approx(0.78305).margin(1e-5));
    CHECK(geometricWindowAverageDensity(0) == 1.0);
}

TEST_CASE("Schedule validation names the bad field", "[avgparam]") {
    std::string error;
    auto spec = card(13050, 8875, 1.0);
    CHECK_FALSE(spec.isValid(&error));
    CHECK(error == "finalSparsity must be in [0, 1)");
    spec = card(13050, 20000, 0.4);
    CHECK_FALSE(spec.isValid(&error));
    CHECK(error == "endStep must be < totalSteps");
    spec = card(13050, 8875, 0.4, 0);
    CHECK_FALSE(spec.isValid(&error));
    CHECK(error == "frequency must be > 0");
    CHECK(averageDensity(spec) == 0.0);
}

TEST_CASE("N-bar from a trajectory: step and token weighted", "[avgparam]") {
    // 10 steps at 100, then 10 at 50: step average 75.
    std::vector<ParamCountSample> s = {{0, 100, 0}, {10, 50, 0}, {20, 50, 0}};
    // Sample 0 covers steps 0-9, sample 1 10-19, sample 2 (last) one more interval of 10.
    auto r = averageParamCount(s);
    REQUIRE(r.ok);
    CHECK_FALSE(r.tokenWeighted);
    CHECK(r.average == Approx((10 * 100 + 10 * 50 + 10 * 50) / 30.0));

    // Per-step logs: the plain mean.
    std::vector<ParamCountSample> perStep;
    double mean = 0;
    for (int i = 0; i < 100; ++i) {
        const double p = 1000.0 - 3 * i;
        perStep.push_back({static_cast<double>(i), p, 0});
        mean += p / 100;
    }
    CHECK(averageParamCount(perStep).average == Approx(mean));

    // Batch doubles in the second half: the second half's parameters weigh twice.
    std::vector<ParamCountSample> t = {{0, 100, 1e6}, {10, 40, 2e6}};
    auto w = averageParamCount(t);
    REQUIRE(w.ok);
    CHECK(w.tokenWeighted);
    CHECK(w.average == Approx((100 * 1e6 + 40 * 2e6) / 3e6));

    // Unsorted input is sorted first.
    std::vector<ParamCountSample> u = {{10, 50, 0}, {0, 100, 0}, {20, 50, 0}};
    CHECK(averageParamCount(u).average == Approx(r.average));
}

TEST_CASE("Trajectory errors have messages", "[avgparam]") {
    CHECK(averageParamCount({}).message == "no samples: need at least one (step, params) entry");
    auto mixed = averageParamCount({{0, 1, 1e6}, {1, 1, 0}});
    CHECK_FALSE(mixed.ok);
    CHECK(mixed.message == "batchTokens given for 1 of 2 samples: give it for all or none");
    auto dup = averageParamCount({{0, 1, 0}, {0, 2, 0}});
    CHECK_FALSE(dup.ok);
    CHECK(dup.message == "duplicate step 0 in the trajectory");
    auto neg = averageParamCount({{0, -1, 0}});
    CHECK_FALSE(neg.ok);
}

TEST_CASE("Compute fractions of the model-card schedules", "[avgparam]") {
    // laws.md §C: pruning starts at 25.0% of compute and ends at 75.2% / 74.9% / 74.9%.
    CHECK(computeFractionAtStep(card(11200, 8100, 0.2), 2500) == Approx(0.250).margin(6e-4));
    CHECK(computeFractionAtStep(card(11200, 8100, 0.2), 8100) == Approx(0.752).margin(6e-4));
    CHECK(computeFractionAtStep(card(13050, 8875, 0.4), 2500) == Approx(0.250).margin(6e-4));
    CHECK(computeFractionAtStep(card(13050, 8875, 0.4), 8875) == Approx(0.749).margin(6e-4));
    CHECK(computeFractionAtStep(card(16375, 10100, 0.6), 10100) == Approx(0.749).margin(6e-4));
}

TEST_CASE("Schedule from compute fractions recovers the card's pruning steps", "[avgparam]") {
    ComputeFractionSchedule c;
    c.pruneStart = 0.25;
    c.pruneEnd = 0.749;
    c.finalSparsity = 0.4;
    c.totalSteps = 13050;
    c.frequency = 100;
    std::string error;
    const auto spec = scheduleFromComputeFractions(c, &error);
    REQUIRE(spec.isValid(&error));
    CHECK(std::abs(spec.startStep - 2500) <= 100);
    CHECK(std::abs(spec.endStep - 8875) <= 100);
    CHECK(averageDensity(spec) == Approx(0.7651).margin(2e-3));

    // The abstract's 25%/75% with 60% sparsity in the continuous limit: the steps move earlier
    // than 25%/75% because pruned steps cost less compute.
    ComputeFractionSchedule d;
    d.finalSparsity = 0.6;
    const auto cont = scheduleFromComputeFractions(d, &error);
    REQUIRE(cont.isValid(&error));
    CHECK(cont.startStep < 2500);
    CHECK(cont.endStep < 7500);
    CHECK(computeFractionAtStep(cont, cont.startStep) == Approx(0.25).margin(2e-4));
    CHECK(computeFractionAtStep(cont, cont.endStep) == Approx(0.75).margin(2e-4));

    d.pruneEnd = 0.2;
    CHECK_FALSE(scheduleFromComputeFractions(d, &error).isValid(nullptr));
    CHECK(error == "pruneEnd must be in (pruneStart, 1)");
}
