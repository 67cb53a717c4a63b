// The loss-curve laws against laws.md G.1/G.2 test vectors (independent reimplementation of
// the official code) and the term compression used while fitting.
#include <cmath>

#include "fitting/curve_law.h"
#include "fitting/lr_schedule.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

ScheduleDefinition mplDef(ScheduleShape shape, long total, long decayStart = 0) {
    ScheduleDefinition d;
    d.shape = shape;
    d.peakLr = 3e-4;
    d.finalLr = 3e-5;
    d.warmupSteps = 2160;
    d.totalSteps = total;
    d.decayStart = decayStart;
    return d;
}

}  // namespace

TEST_CASE("MPL reproduces the laws.md G.1 test vectors to 1e-6", "[curve_law]") {
    const MplParams p = MplParams::luo2025(MplPublishedSize::M400);
    const std::vector<double> cosine = mplDef(ScheduleShape::Cosine, 24000).materialise();
    const std::vector<double> cs = cumulativeLr(cosine);
    CHECK(cs[2160] == Approx(0.324300).margin(1e-6));
    CHECK(cs[23920] == Approx(3.925365).margin(1e-6));
    const std::vector<long> steps = {2160, 23920};
    const std::vector<double> L = predictMpl(p, cosine, steps);
    CHECK(L[0] == Approx(3.579503).margin(1e-6));
    CHECK(L[1] == Approx(2.757200).margin(1e-6));

    const std::vector<double> wsd = mplDef(ScheduleShape::WsdGeometric, 24000, 20000).materialise();
    const std::vector<long> wsdStep = {23936};
    CHECK(predictMpl(p, wsd, wsdStep)[0] == Approx(2.700452).margin(1e-6));

    const std::vector<double> constant = mplDef(ScheduleShape::Constant, 72000).materialise();
    CHECK(cumulativeLr(constant)[71936] == Approx(21.257100).margin(1e-6));
    const std::vector<long> constStep = {71936};
    CHECK(predictMpl(p, constant, constStep)[0] == Approx(2.707595).margin(1e-6));
}

TEST_CASE("MPL law template: a constant LR after warm-up has only the warm-up drop",
          "[curve_law]") {
    // Independent check of the template: with one LR step k, LD is one closed-form term.
    std::vector<double> lr(1000, 1e-3);
    for (std::size_t s = 500; s < lr.size(); ++s)
        lr[s] = 4e-4;
    const MplParams p{2.0, 0.5, 0.4, 300.0, 2.0, 0.6, 0.6};
    const std::vector<long> steps = {400, 900};
    const std::vector<double> L = predictMpl(p, lr, steps);
    const double cs400 = 401 * 1e-3, cs900 = 500 * 1e-3 + 401 * 4e-4;
    CHECK(L[0] == Approx(2.0 + 0.5 * std::pow(cs400, -0.4)).epsilon(1e-12));
    const double x = 1 + 2.0 * std::pow(4e-4, -0.6) * (cs900 - 500 * 1e-3);
    const double ld = (4e-4 - 1e-3) * (1 - std::pow(x, -0.6));
    CHECK(L[1] == Approx(2.0 + 0.5 * std::pow(cs900, -0.4) + 300.0 * ld).epsilon(1e-12));
}

TEST_CASE("MPL term compression changes predictions by < 2e-5 on the paper's schedules",
          "[curve_law]") {
    const MplParams p = MplParams::luo2025(MplPublishedSize::M400);
    for (const ScheduleDefinition& d :
         {mplDef(ScheduleShape::Cosine, 24000), mplDef(ScheduleShape::WsdGeometric, 24000, 20000),
          mplDef(ScheduleShape::WsdLinear, 24000, 20000), mplDef(ScheduleShape::Cosine, 72000)}) {
        const std::vector<double> lr = d.materialise();
        std::vector<long> steps;
        for (long s = 2160; s < d.totalSteps; s += 640)
            steps.push_back(s);
        const std::vector<double> exact = predictMpl(p, lr, steps, 0);
        const MplTermTable compressed = buildMplTerms(lr, steps, 0.05);
        const std::vector<double> approx = predictMpl(p, lr, steps, 0.05);
        double worst = 0;
        for (std::size_t i = 0; i < steps.size(); ++i)
            worst = std::max(worst, std::abs(exact[i] - approx[i]));
        INFO(d.describe() << ": " << compressed.terms.size() << " compressed terms");
        CHECK(worst < 2e-5);
        CHECK(compressed.terms.size() < steps.size() * 600);
    }
}

TEST_CASE("LR-annealing S2 matches the laws.md G.2 check value", "[curve_law]") {
    std::vector<double> lr(6000, 1.0);
    for (std::size_t s = 100; s < lr.size(); ++s)
        lr[s] = 0.5;
    const std::vector<long> steps = {99, 100, 5099};
    const LraAreas a = lraAreas(lr, steps, 0.999);
    CHECK(a.s2[0] == 0.0);
    CHECK(a.s2[1] == Approx(0.5).epsilon(1e-12));
    CHECK(a.s2[2] == Approx(496.639444).margin(1e-6));
    CHECK(a.s1[2] == Approx(100 + 5000 * 0.5).epsilon(1e-12));
    const LraParams p{2.63, 0.43, 0.55, 0.41};
    const std::vector<double> L = predictLra(p, lr, steps);
    CHECK(L[2] == Approx(2.63 + 0.43 * std::pow(2600.0, -0.55) - 0.41 * 496.639444).epsilon(1e-9));
}

TEST_CASE("LR-annealing counts warm-up steps at the peak LR", "[curve_law]") {
    ScheduleDefinition d;
    d.shape = ScheduleShape::Constant;
    d.peakLr = 2e-4;
    d.warmupSteps = 500;
    d.totalSteps = 2000;
    const std::vector<long> steps = {10, 1999};
    const LraAreas a = lraAreas(d.materialise(), steps);
    CHECK(a.s1[0] == Approx(11 * 2e-4).epsilon(1e-12));
    CHECK(a.s1[1] == Approx(2000 * 2e-4).epsilon(1e-12));
    CHECK(a.s2[1] == 0.0);
}

TEST_CASE("Curve metrics follow the paper's definitions", "[curve_law]") {
    const std::vector<double> obs = {3.0, 2.0, 1.0};
    const std::vector<double> pred = {3.1, 2.0, 0.9};
    const CurveMetrics m = curveMetrics(obs, pred);
    CHECK(m.mae == Approx(0.2 / 3));
    CHECK(m.rmse == Approx(std::sqrt(0.02 / 3)));
    CHECK(m.predE == Approx((0.1 / 3 + 0.1) / 3));
    CHECK(m.worstE == Approx(0.1));
    CHECK(m.r2 == Approx(1 - 0.02 / 2.0));
}
