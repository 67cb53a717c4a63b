// Schedules as data: definitions reproduce the logged LR of the authors' curves, logged
// curves are materialised per step, and definitions are inferred back from logs.
#include <cmath>

#include "fitting/lr_schedule.h"
#include "mpl_data.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;
using namespace scalelens::fit::testdata;

TEST_CASE("Schedule definitions follow the official formulas", "[lr_schedule]") {
    ScheduleDefinition d;
    d.shape = ScheduleShape::Cosine;
    d.peakLr = 3e-4;
    d.finalLr = 3e-5;
    d.warmupSteps = 2160;
    d.totalSteps = 24000;
    REQUIRE(d.isValid());
    CHECK(d.lrAt(0) == 0.0);
    CHECK(d.lrAt(2159) == Approx(3e-4).epsilon(1e-15));
    CHECK(d.lrAt(1000) == Approx(3e-4 * 1000 / 2159).epsilon(1e-15));
    CHECK(d.lrAt(2288) == Approx(0.0002999771173709568).epsilon(1e-13));  // csv_400 cosine
    d.shape = ScheduleShape::WsdGeometric;
    d.decayStart = 20000;
    CHECK(d.lrAt(19999) == 3e-4);
    CHECK(d.lrAt(22000) == Approx(std::sqrt(3e-4 * 3e-5)).epsilon(1e-12));
    d.shape = ScheduleShape::WsdLinear;
    CHECK(d.lrAt(22000) == Approx(1.65e-4).epsilon(1e-12));
    d.shape = ScheduleShape::TwoStage;
    d.decayStart = 8000;
    d.finalLr = 9e-5;
    CHECK(d.lrAt(7999) == 3e-4);
    CHECK(d.lrAt(8000) == 9e-5);
    d.shape = ScheduleShape::Linear;
    d.finalLr = 3e-5;
    CHECK(d.lrAt(23999) == Approx(3e-5 + 2.7e-4 / 21840).epsilon(1e-12));
    CHECK(scheduleShapeFromString("wsd-linear") == ScheduleShape::WsdLinear);
    CHECK_FALSE(scheduleShapeFromString("step").has_value());
}

TEST_CASE("Invalid schedule definitions name the bad field", "[lr_schedule]") {
    ScheduleDefinition d;
    d.totalSteps = 100;
    d.warmupSteps = 200;
    std::string why;
    CHECK_FALSE(d.isValid(&why));
    CHECK(why == "totalSteps must be > warmupSteps");
    CHECK(d.materialise().empty());
    d.warmupSteps = 10;
    d.finalLr = 1.0;
    CHECK_FALSE(d.isValid(&why));
    CHECK(why == "finalLr must be <= peakLr");
    d.finalLr = 1e-5;
    d.shape = ScheduleShape::TwoStage;
    d.decayStart = 100;
    CHECK_FALSE(d.isValid(&why));
    CHECK(why == "decayStart must be in [warmupSteps, totalSteps)");
}

TEST_CASE("A logged LR curve plus a plan gives every step", "[lr_schedule]") {
    Schedule s;
    s.logged = {{100, 1e-3}, {200, 1e-3}, {300, 5e-4}};
    std::vector<double> lr;
    REQUIRE(s.materialise(0, &lr));
    REQUIRE(lr.size() == 301);
    CHECK(lr[50] == Approx(5e-4));     // ramp from 0 before the first logged step
    CHECK(lr[250] == Approx(7.5e-4));  // linear between logged points
    ScheduleDefinition plan;
    plan.shape = ScheduleShape::Linear;
    plan.peakLr = 1e-3;
    plan.finalLr = 0;
    plan.warmupSteps = 0;
    plan.totalSteps = 1000;
    s.planned = plan;  // disagrees with the log at step 300: log first, then the plan
    REQUIRE(s.materialise(0, &lr));
    REQUIRE(lr.size() == 1000);
    CHECK(lr[250] == Approx(7.5e-4));
    CHECK(lr[600] == Approx(plan.lrAt(600)));
    // A plan that agrees with the log is used everywhere (exact between logged steps).
    Schedule agree;
    agree.planned = plan;
    agree.logged = {{100, plan.lrAt(100)}, {500, plan.lrAt(500)}};
    REQUIRE(agree.materialise(0, &lr));
    CHECK(lr[0] == plan.lrAt(0));
    CHECK(lr[321] == plan.lrAt(321));
    Schedule bad;
    bad.logged = {{100, 1e-3}, {100, 1e-3}};
    std::string why;
    CHECK_FALSE(bad.materialise(0, &lr, &why));
    CHECK(why == "logged LR point 2 (step 100): steps must be strictly increasing");
    bad.logged = {{100, -1.0}};
    CHECK_FALSE(bad.materialise(0, &lr, &why));
    CHECK(why == "logged LR point 1 (step 100): LR must be finite and >= 0");
}

TEST_CASE("Definitions reproduce and are inferred from the authors' logged LR columns",
          "[lr_schedule][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: " << mplDir().string() << " is missing (the authors' MPL curves)");
        return;
    }
    std::vector<std::string> names = mplTrainNames();
    names.insert(names.end(), mplHeldOutNames().begin(), mplHeldOutNames().end());
    int unambiguous = 0;
    for (const std::string size : {"25", "100", "400"})
        for (const std::string& name : names) {
            const auto f = readMplFile(size, name);
            REQUIRE(f);
            const ScheduleDefinition truth = mplSchedule(name);
            std::vector<LrPoint> logged;
            for (std::size_t i = 0; i < f->steps.size(); ++i) {
                if (f->steps[i] < truth.totalSteps)
                    CHECK(truth.lrAt(f->steps[i]) == Approx(f->lr[i]).epsilon(1e-12));
                logged.push_back({f->steps[i], f->lr[i]});
            }
            ScheduleInferenceOptions opt;
            opt.totalSteps = truth.totalSteps;
            const ScheduleInference inf = inferSchedule(logged, opt);
            INFO(size << "M/" << name << ": " << inf.message);
            REQUIRE(inf.unambiguous);
            CHECK(inf.definition.shape == truth.shape);
            CHECK(inf.definition.peakLr == Approx(truth.peakLr));
            if (truth.shape != ScheduleShape::Constant)
                CHECK(inf.definition.finalLr == Approx(truth.finalLr).epsilon(1e-3));
            if (truth.shape == ScheduleShape::TwoStage || truth.shape == ScheduleShape::WsdLinear ||
                truth.shape == ScheduleShape::WsdGeometric)
                CHECK(inf.definition.decayStart == truth.decayStart);
            unambiguous += 1;
            // Without the total: the shape still comes out (the total is a stated guess).
            const ScheduleInference guess = inferSchedule(logged);
            INFO("without totalSteps: " << guess.message);
            CHECK(guess.unambiguous);
            CHECK(guess.definition.shape == truth.shape);
        }
    CHECK(unambiguous == 27);
}

TEST_CASE("A constant-LR log alone does not pin a decaying schedule", "[lr_schedule]") {
    std::vector<LrPoint> logged;
    for (long s = 0; s <= 5000; s += 100)
        logged.push_back({s, s < 1000 ? 1e-3 * s / 999.0 : 1e-3});
    ScheduleInferenceOptions opt;
    opt.totalSteps = 20000;
    // The run goes on to 20,000: a decay may follow, so the log does not pin the schedule.
    const ScheduleInference inf = inferSchedule(logged, opt);
    CHECK_FALSE(inf.unambiguous);
    CHECK(inf.partial);
    CHECK(inf.definition.shape == ScheduleShape::Constant);
    CHECK(inf.definition.warmupSteps == 1000);
    CHECK(inf.message.find("a later decay (WSD, two-stage) cannot be excluded") !=
          std::string::npos);
    // Taken as the whole run, it is constant (with the caveat stated).
    const ScheduleInference whole = inferSchedule(logged);
    REQUIRE(whole.unambiguous);
    CHECK(whole.definition.shape == ScheduleShape::Constant);
    CHECK(whole.message.find("a later decay cannot be excluded") != std::string::npos);
}
