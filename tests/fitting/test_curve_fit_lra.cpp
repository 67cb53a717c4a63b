// LR-annealing law (laws.md G.2): recovery of known parameters from generated curves, and the
// authors' MPL protocol scored with both laws side by side.
#include <cstdio>
#include <random>

#include "fitting/curve_fit.h"
#include "mpl_data.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;
using namespace scalelens::fit::testdata;

namespace {

// laws.md G.2 test idea: L0 = 2.63, A = 0.43, C = 0.41, alpha = 0.55; peak 2e-4, warm-up 500,
// 20,000 steps; a cosine and a constant run sampled at steps 1000, 2000, ..., 20000.
std::vector<LossCurve> generatedLraCurves(const LraParams& p, double noise, std::uint64_t seed) {
    std::vector<LossCurve> curves;
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> eps(0.0, noise);
    for (ScheduleShape shape : {ScheduleShape::Cosine, ScheduleShape::Constant}) {
        ScheduleDefinition d;
        d.shape = shape;
        d.peakLr = 2e-4;
        d.finalLr = 2e-5;
        d.warmupSteps = 500;
        d.totalSteps = 20001;
        LossCurve c;
        c.name = std::string(toString(shape));
        c.lr = d.materialise();
        for (long s = 1000; s <= 20000; s += 1000)
            c.steps.push_back(s);
        c.loss = predictLra(p, c.lr, c.steps);
        for (double& l : c.loss)
            l *= std::exp(noise > 0 ? eps(rng) : 0.0);
        curves.push_back(c);
    }
    return curves;
}

}  // namespace

TEST_CASE("LR-annealing fit recovers known parameters from generated curves", "[curve_fit][lra]") {
    const LraParams truth{2.63, 0.43, 0.55, 0.41};
    CurveFitOptions opt;
    opt.threads = 2;
    SECTION("noise-free: to 1e-4 relative") {
        const CurveFitResult r =
            fitCurveLaw(CurveLawId::LrAnnealing, generatedLraCurves(truth, 0, 1), opt);
        REQUIRE(isUsable(r.status));
        const LraParams p = r.lra();
        CHECK(p.L0 == Approx(truth.L0).epsilon(1e-4));
        CHECK(p.A == Approx(truth.A).epsilon(1e-4));
        CHECK(p.alpha == Approx(truth.alpha).epsilon(1e-4));
        CHECK(p.C == Approx(truth.C).epsilon(1e-4));
    }
    SECTION("0.2% log-normal noise: within a few percent, loss at the end within 0.2%") {
        const std::vector<LossCurve> curves = generatedLraCurves(truth, 2e-3, 7);
        const CurveFitResult r = fitCurveLaw(CurveLawId::LrAnnealing, curves, opt);
        REQUIRE(isUsable(r.status));
        const LraParams p = r.lra();
        std::printf("LRA noisy recovery: L0 %.4f A %.4f alpha %.4f C %.4f\n", p.L0, p.A, p.alpha,
                    p.C);
        CHECK(p.C == Approx(truth.C).epsilon(0.05));
        CHECK(p.L0 + p.A == Approx(truth.L0 + truth.A).epsilon(0.01));
        const std::vector<long> last = {20000};
        CHECK(predictLra(p, curves[0].lr, last)[0] ==
              Approx(predictLra(truth, curves[0].lr, last)[0]).epsilon(2e-3));
    }
}

TEST_CASE("LR-annealing and MPL side by side on the authors' held-out curves",
          "[curve_fit][lra][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: " << mplDir().string() << " is missing (the authors' MPL curves)");
        return;
    }
    // The LR-annealing law fitted on each size's three training curves; MPL with the
    // published parameters, which our fit reproduces (test_curve_fit_mpl.cpp). The
    // LR-annealing law has no published figures on this data: the check is that it is fitted
    // and scored, and that MPL (the better law for these schedules, per the MPL paper) is not
    // worse on average.
    for (const std::string size : {"25", "100", "400"}) {
        std::vector<LossCurve> train;
        for (const std::string& n : mplTrainNames())
            train.push_back(*mplCurve(size, n));
        CurveFitOptions opt;
        opt.threads = 2;
        const CurveFitResult lra = fitCurveLaw(CurveLawId::LrAnnealing, train, opt);
        REQUIRE(isUsable(lra.status));
        const MplParams mpl = MplParams::luo2025(size == "25"    ? MplPublishedSize::M25
                                                 : size == "100" ? MplPublishedSize::M100
                                                                 : MplPublishedSize::M400);
        std::vector<CurveMetrics> perLra, perMpl;
        for (const std::string& n : mplHeldOutNames()) {
            const LossCurve c = *mplCurve(size, n);
            perLra.push_back(curveMetrics(c.loss, predictLra(lra.lra(), c.lr, c.steps)));
            perMpl.push_back(curveMetrics(c.loss, predictMpl(mpl, c.lr, c.steps)));
        }
        const CurveMetrics a = averageMetrics(perLra), b = averageMetrics(perMpl);
        const LraParams p = lra.lra();
        std::printf("LRA %sM fit: L0 %.4f A %.4f alpha %.4f C %.4f (%.2f s)\n", size.c_str(), p.L0,
                    p.A, p.alpha, p.C, lra.seconds);
        for (const auto& [name, m] : {std::pair{"LR-annealing", a}, std::pair{"MPL", b}})
            std::printf(
                "%-13s %4sM held-out  R2 %.4f  MAE %.5f  RMSE %.5f  PredE %.5f  "
                "WorstE %.5f\n",
                name, size.c_str(), m.r2, m.mae, m.rmse, m.predE, m.worstE);
        CHECK(a.r2 > 0.98);
        CHECK(b.mae <= a.mae);
    }
}
