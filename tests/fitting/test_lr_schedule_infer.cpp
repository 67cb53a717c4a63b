// Inferring a run's schedule from its logged LR: each family recovered from generated logs
// (every 100 steps, float32 values as training frameworks log them), partial logs with a known
// total, and logs that cannot pin a schedule reported as such.
//
// Tolerances: peak and final LR within 0.1% (float32 rounding is 6e-8 relative; the inference
// is a least-squares fit, so its error is far below this); warm-up, decay start and total steps
// exact, or within one step where the log cannot tell them apart (then the roundest is chosen).
#include <algorithm>
#include <cmath>

#include "fitting/lr_schedule.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

ScheduleDefinition truthOf(ScheduleShape shape, long warmup = 1000) {
    ScheduleDefinition d;
    d.shape = shape;
    d.peakLr = 3e-4;
    d.finalLr = 3e-5;
    d.warmupSteps = warmup;
    d.totalSteps = 20000;
    d.decayStart = shape == ScheduleShape::TwoStage ? 12000 : 16000;
    return d;
}

// lr at steps first, first + every, ... <= last, rounded to float32.
std::vector<LrPoint> logOf(const ScheduleDefinition& d, long first, long every, long last) {
    std::vector<LrPoint> out;
    for (long s = first; s <= last && s < d.totalSteps; s += every)
        out.push_back({s, static_cast<double>(static_cast<float>(d.lrAt(s)))});
    return out;
}

void checkRecovered(const ScheduleInference& inf, const ScheduleDefinition& truth) {
    INFO(inf.message);
    REQUIRE(inf.unambiguous);
    const ScheduleDefinition& d = inf.definition;
    CHECK(d.shape == truth.shape);
    CHECK(d.peakLr == Approx(truth.peakLr).epsilon(1e-3));
    if (truth.shape != ScheduleShape::Constant)
        CHECK(d.finalLr == Approx(truth.finalLr).epsilon(1e-3));
    CHECK(d.totalSteps == truth.totalSteps);
    CHECK(d.warmupSteps == truth.warmupSteps);
    if (truth.shape == ScheduleShape::WsdGeometric || truth.shape == ScheduleShape::WsdLinear ||
        truth.shape == ScheduleShape::TwoStage)
        CHECK(d.decayStart == truth.decayStart);
}

const ScheduleShape kAllShapes[] = {ScheduleShape::Constant,  ScheduleShape::Cosine,
                                    ScheduleShape::Linear,    ScheduleShape::WsdGeometric,
                                    ScheduleShape::WsdLinear, ScheduleShape::TwoStage};

}  // namespace

TEST_CASE("Each schedule family is recovered from a generated LR log", "[lr_schedule][infer]") {
    for (ScheduleShape shape : kAllShapes) {
        const ScheduleDefinition truth = truthOf(shape);
        INFO(truth.describe());
        const std::vector<LrPoint> log = logOf(truth, 0, 100, 19999);  // last logged 19900
        ScheduleInferenceOptions opt;
        opt.totalSteps = truth.totalSteps;
        const ScheduleInference inf = inferSchedule(log, opt);
        checkRecovered(inf, truth);
        CHECK_FALSE(inf.partial);
        // Without the total the log is taken to be the whole run: the roundest step after it.
        const ScheduleInference guess = inferSchedule(log);
        INFO("without totalSteps: " << guess.message);
        checkRecovered(guess, truth);
        CHECK(guess.message.find("total steps assumed 20000") != std::string::npos);
    }
}

TEST_CASE("Families are recovered from a log off the round steps", "[lr_schedule][infer]") {
    // Logged at 50, 150, ...: the warm-up end (750) and the decay start fall between logged
    // steps; 750 is pinned by the warm-up slope, the decay start is the roundest that fits.
    for (ScheduleShape shape : kAllShapes) {
        const ScheduleDefinition truth = truthOf(shape, 750);
        INFO(truth.describe());
        ScheduleInferenceOptions opt;
        opt.totalSteps = truth.totalSteps;
        checkRecovered(inferSchedule(logOf(truth, 50, 100, 19999), opt), truth);
    }
}

TEST_CASE("A partial log with a known total gives the planned rest", "[lr_schedule][infer]") {
    // Cosine and linear: 40% of the run; WSD: into its decay (to step 18,000 of 20,000).
    const std::pair<ScheduleShape, long> cases[] = {{ScheduleShape::Cosine, 8000},
                                                    {ScheduleShape::Linear, 8000},
                                                    {ScheduleShape::WsdGeometric, 18000},
                                                    {ScheduleShape::WsdLinear, 18000},
                                                    {ScheduleShape::TwoStage, 14000}};
    for (const auto& [shape, last] : cases) {
        const ScheduleDefinition truth = truthOf(shape);
        INFO(truth.describe() << ", logged to " << last);
        ScheduleInferenceOptions opt;
        opt.totalSteps = truth.totalSteps;
        const ScheduleInference inf = inferSchedule(logOf(truth, 0, 100, last), opt);
        checkRecovered(inf, truth);
        CHECK(inf.partial);
        CHECK(inf.message.find("partial log") != std::string::npos);
    }
}

TEST_CASE("Logs that cannot pin a schedule are reported as such", "[lr_schedule][infer]") {
    ScheduleInferenceOptions opt;
    opt.totalSteps = 20000;
    SECTION("constant so far, the run goes on: a decay may follow") {
        const ScheduleDefinition truth = truthOf(ScheduleShape::WsdGeometric);
        const ScheduleInference inf = inferSchedule(logOf(truth, 0, 100, 10000), opt);
        INFO(inf.message);
        CHECK_FALSE(inf.unambiguous);
        CHECK(inf.partial);
        CHECK(inf.fits == std::vector<ScheduleShape>{ScheduleShape::Constant});
        CHECK(inf.message.find("a later decay (WSD, two-stage) cannot be excluded") !=
              std::string::npos);
    }
    SECTION("three points fit both a cosine and a linear decay") {
        const ScheduleDefinition truth = truthOf(ScheduleShape::Cosine, 0);
        // At the start, the middle and the end, cosine and linear agree exactly.
        const std::vector<LrPoint> log = {
            {0, truth.lrAt(0)}, {10000, truth.lrAt(10000)}, {19999, truth.lrAt(19999)}};
        const ScheduleInference inf = inferSchedule(log, opt);
        INFO(inf.message);
        CHECK_FALSE(inf.unambiguous);
        CHECK(std::find(inf.fits.begin(), inf.fits.end(), ScheduleShape::Cosine) != inf.fits.end());
        CHECK(std::find(inf.fits.begin(), inf.fits.end(), ScheduleShape::Linear) != inf.fits.end());
        CHECK(inf.message.find("several shapes fit the logged LR") == 0);
    }
    SECTION("a cosine prefix without the total is not taken for a finished run") {
        const ScheduleDefinition truth = truthOf(ScheduleShape::Cosine);
        const ScheduleInference inf = inferSchedule(logOf(truth, 0, 100, 8000));
        INFO(inf.message);
        CHECK_FALSE(inf.unambiguous);
        CHECK(inf.message.find("give its total steps") != std::string::npos);
    }
    SECTION("no known shape") {
        std::vector<LrPoint> log;
        for (long s = 0; s < 20000; s += 100)  // a sawtooth (cyclic) schedule
            log.push_back({s, 3e-4 * (1.0 - 0.5 * static_cast<double>(s % 5000) / 5000.0)});
        const ScheduleInference inf = inferSchedule(log, opt);
        CHECK_FALSE(inf.unambiguous);
        CHECK(inf.fits.empty());
        CHECK(inf.message.find("no schedule shape fits") == 0);
    }
    SECTION("too little data") {
        CHECK(inferSchedule({{100, 3e-4}}, opt).message == "need at least two logged LR points");
        CHECK_FALSE(inferSchedule({{100, 3e-4}}, opt).unambiguous);
    }
}
