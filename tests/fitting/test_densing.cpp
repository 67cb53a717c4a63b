// Densing law (Xiao et al. 2024; laws.md §B).
#include <cmath>

#include "fitting/densing.h"
#include "fitting/densing_direct.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

// Known truth for the synthetic round trip.
const DensingLossParams kLoss{50.0, 0.3, 80.0, 0.25};
const DensingScoreParams kScore{0.8, -8.0, 0.5, 0.2};

DensingParams truth() {
    return {kLoss, kScore, kDensingD0};
}

}  // namespace

TEST_CASE("Doubling time: ln2/0.0073 = 95.0 days, ln2/0.007 = 99.0", "[densing]") {
    CHECK(doublingTimeDays(0.0073) == Approx(94.95).margin(0.01));
    CHECK(doublingTimeDays(0.007) == Approx(99.02).margin(0.01));
    CHECK(doublingTimeDays(0.0) == 0.0);
    CHECK(doublingTimeDays(-0.001) == 0.0);
}

TEST_CASE("Inversion identities: score(loss(N, D0)) inverts to N", "[densing]") {
    const DensingParams p = truth();
    for (double n : {1e8, 1e9, 7e9, 7e10}) {
        const double loss = kLoss.loss(n, kDensingD0);
        const double s = kScore.score(loss);
        const auto inv = invertDensingScore(p, s);
        REQUIRE(inv.ok);
        CHECK(inv.loss == Approx(loss).epsilon(1e-12));
        CHECK(inv.nEff == Approx(n).epsilon(1e-9));
    }
}

TEST_CASE("Out-of-range scores give messages, never NaN", "[densing]") {
    const DensingParams p = truth();
    auto below = invertDensingScore(p, 0.2);
    CHECK_FALSE(below.ok);
    CHECK(below.message ==
          "score 0.2 is outside the range of the fitted score curve (0.2, 1): no loss maps to it");
    CHECK(below.nEff == 0);
    auto above = invertDensingScore(p, 1.5);
    CHECK_FALSE(above.ok);
    CHECK(above.message.rfind("score 1.5 is outside the range", 0) == 0);
    // A score so high that L-hat falls below the data term b*D0^-beta = 80e-3 = 0.08.
    const double sHigh = kScore.score(0.05);  // loss 0.05 < 0.08
    auto tooGood = invertDensingScore(p, sHigh);
    CHECK_FALSE(tooGood.ok);
    CHECK(tooGood.message.find("at or below the data term b*D0^-beta = 0.08") != std::string::npos);
    CHECK(std::isfinite(tooGood.loss));
    CHECK(invertDensingScore(p, NAN).message == "score must be a finite number");
}

TEST_CASE("Synthetic round trip: step 1 and step 2 recover the generating parameters",
          "[densing]") {
    // Reference models as in the paper: tokens {10, 15, 20, 30, 40, 60} x N.
    std::vector<DensingLossPoint> lossPts;
    for (double n : {5e6, 3e7, 1e8, 2.5e8, 5e8, 8e8})
        for (double k : {10.0, 15.0, 20.0, 30.0, 40.0, 60.0})
            lossPts.push_back({n, k * n, kLoss.loss(n, k * n)});
    auto f1 = fitDensingLoss(lossPts);
    REQUIRE(f1.status == FitStatus::Converged);
    CHECK(f1.params.a == Approx(kLoss.a).epsilon(1e-4));
    CHECK(f1.params.alpha == Approx(kLoss.alpha).epsilon(1e-5));
    CHECK(f1.params.b == Approx(kLoss.b).epsilon(1e-4));
    CHECK(f1.params.beta == Approx(kLoss.beta).epsilon(1e-5));
    CHECK(f1.rmse < 1e-8);

    std::vector<DensingScorePoint> scorePts;
    for (double l = 0.15; l < 1.2; l += 0.05)
        scorePts.push_back({l, kScore.score(l)});
    auto f2 = fitDensingScore(scorePts);
    REQUIRE(f2.status == FitStatus::Converged);
    CHECK(f2.params.c == Approx(kScore.c).epsilon(1e-5));
    CHECK(f2.params.gamma == Approx(kScore.gamma).epsilon(1e-5));  // negative: free in sign
    CHECK(f2.params.l == Approx(kScore.l).epsilon(1e-5));
    CHECK(f2.params.d == Approx(kScore.d).epsilon(1e-5));

    // End to end: a model of 2e9 params trained on 4e11 tokens, density at D0 = 1e12.
    const DensingParams fitted{f1.params, f2.params, kDensingD0};
    const double s = kScore.score(kLoss.loss(2e9, 4e11));
    const auto inv = invertDensingScore(fitted, s);
    REQUIRE(inv.ok);
    // Fewer tokens than D0 -> worse score -> N_eff below 2e9; exact value from the truth.
    const auto exact = invertDensingScore(truth(), s);
    CHECK(inv.nEff == Approx(exact.nEff).epsilon(1e-3));
    CHECK(inv.nEff < 2e9);
}

TEST_CASE("Densing fits reject unusable input with a message", "[densing]") {
    auto r = fitDensingLoss({{1e8, 1e9, 3.0}});
    CHECK(r.status == FitStatus::Failed);
    CHECK(r.message == "need >= 5 points with >= 2 distinct N and >= 2 distinct D (got 1 points)");
    auto bad = fitDensingLoss({{0, 1e9, 3.0}});
    CHECK(bad.message == "point 0: n, d and loss must be finite and > 0");
    CHECK(fitDensingScore({}).status == FitStatus::Failed);
    DensingFitOptions o;
    o.maxIterations = 0;
    std::string error;
    CHECK_FALSE(o.isValid(&error));
    CHECK(error == "maxIterations must be > 0");
    CHECK(DensingFitOptions{}.isValid(nullptr));
}

TEST_CASE("Release dates: days since Llama-1", "[densing]") {
    CHECK(*daysSinceLlama1("2023-02-24") == 0.0);
    CHECK(*daysSinceLlama1("2023-09-27") == 215.0);  // Mistral-7B
    CHECK(*daysSinceLlama1("2024-02-24") == 365.0);
    CHECK(*daysSinceLlama1("2024-03-01") == 371.0);  // 2024 is a leap year
    CHECK_FALSE(daysSinceLlama1("2023-02-30"));
    CHECK_FALSE(daysSinceLlama1("23-02-24"));
    CHECK_FALSE(daysSinceLlama1("2023/02/24"));
}

TEST_CASE("Density trend on the running-maximum envelope", "[densing]") {
    // Envelope points on ln rho = 0.0073 t - 2.5; dominated points below it must be ignored.
    std::vector<DensityPoint> pts;
    for (int i = 0; i < 8; ++i) {
        const double t = 100.0 * i;
        pts.push_back({t, std::exp(0.0073 * t - 2.5), "top" + std::to_string(i)});
        pts.push_back({t + 10, std::exp(0.0073 * t - 3.5), "low" + std::to_string(i)});
    }
    DensityTrendOptions opt;
    opt.bootstrapSamples = 300;
    auto r = fitDensityTrend(pts, opt);
    REQUIRE(r.status == FitStatus::Converged);
    CHECK(r.slopeA == Approx(0.0073).epsilon(1e-10));
    CHECK(r.interceptB == Approx(-2.5).epsilon(1e-10));
    CHECK(r.doublingDays == Approx(94.95).margin(0.01));
    CHECK(r.r2 == Approx(1.0));
    CHECK(r.fittedIndices.size() == 8);
    CHECK(r.bootstrapSamples > 250);
    CHECK(r.slopeCiLow <= 0.0073 + 1e-12);
    CHECK(r.slopeCiHigh >= 0.0073 - 1e-12);
    CHECK(r.doublingCiLow <= r.doublingDays);

    // Fitting every point instead dilutes the slope with the dominated points.
    opt.envelope = false;
    opt.bootstrapSamples = 0;
    auto all = fitDensityTrend(pts, opt);
    CHECK(all.fittedIndices.size() == 16);
    CHECK(all.slopeA != Approx(0.0073).epsilon(1e-3));

    auto one = fitDensityTrend({{0, 1, "a"}});
    CHECK(one.status == FitStatus::Failed);
    CHECK(one.message == "need >= 2 envelope points at distinct dates (got 1)");
    auto neg = fitDensityTrend({{0, 0, "zero"}});
    CHECK(neg.message == "point 0 (zero): days must be finite and density > 0");
}

TEST_CASE("Direct mode: size curves fitted and inverted", "[densing]") {
    // Log-linear: S = 10 + 5 ln N.
    std::vector<SizeScorePoint> lin;
    for (double n : {1e8, 1e9, 1e10})
        lin.push_back({n, 10 + 5 * std::log(n)});
    SizeCurveFitOptions o;
    auto f = fitSizeScoreCurve(lin, o);
    REQUIRE(f.status == FitStatus::Converged);
    CHECK(f.curve.p1 == Approx(5.0).epsilon(1e-12));
    CHECK(f.curve.p0 == Approx(10.0).epsilon(1e-10));
    auto inv = invertSizeCurve(f.curve, 10 + 5 * std::log(3e9));
    REQUIRE(inv.ok);
    CHECK(inv.nEff == Approx(3e9).epsilon(1e-9));

    // Logistic with chance floor 25 and ceiling 100 fixed (MMLU in percent).
    SizeScoreCurve truthCurve{SizeCurveKind::Logistic, 75.0, 0.9, std::log(2e10), 25.0, 0, 0};
    std::vector<SizeScorePoint> lg;
    for (double n : {7e9, 1.3e10, 3.3e10, 6.5e10})
        lg.push_back({n, truthCurve.score(n)});
    o.kind = SizeCurveKind::Logistic;
    o.fixedFloor = 25.0;
    o.fixedCeiling = 100.0;
    auto g = fitSizeScoreCurve(lg, o);
    REQUIRE(g.status == FitStatus::Converged);
    CHECK(g.curve.k == Approx(0.9).epsilon(1e-6));
    CHECK(g.curve.m == Approx(std::log(2e10)).epsilon(1e-8));
    CHECK(g.curve.d == 25.0);
    CHECK(g.curve.c == 75.0);
    auto gi = invertSizeCurve(g.curve, truthCurve.score(1e9));
    REQUIRE(gi.ok);
    CHECK(gi.nEff == Approx(1e9).epsilon(1e-5));
    auto out = invertSizeCurve(g.curve, 20.0);
    CHECK_FALSE(out.ok);
    CHECK(out.message == "score 20 is outside the range of the size curve (25, 100)");

    auto few = fitSizeScoreCurve({{1e9, 50}}, SizeCurveFitOptions{});
    CHECK(few.status == FitStatus::Failed);
    CHECK(few.message == "need >= 2 distinct sizes for 2 free parameters (got 1)");
}

TEST_CASE("Direct mode over a model table recovers densities and the doubling time", "[densing]") {
    // Reference family on S = 10 + 5 ln N at t = 0; later models are exp(0.0073 t) denser.
    std::vector<DensityModel> models;
    for (double n : {7e9, 1.3e10, 3.3e10, 6.5e10})
        models.push_back({"ref", n, 10 + 5 * std::log(n), 0.0, true});
    for (int i = 1; i <= 6; ++i) {
        const double t = 90.0 * i, n = 3e9 * i;
        const double rho = std::exp(0.0073 * t);
        const std::string name = std::to_string(i);
        models.push_back({name, n, 10 + 5 * std::log(n * rho), t, false});
    }
    SizeCurveFitOptions curve;
    DensityTrendOptions trend;
    trend.bootstrapSamples = 200;
    auto r = analyseDensityDirect(models, curve, trend);
    REQUIRE(r.status == FitStatus::Converged);
    REQUIRE(r.models.size() == 10);
    CHECK(r.models[0].density == Approx(1.0).epsilon(1e-9));
    CHECK(r.models[5].density == Approx(std::exp(0.0073 * 180)).epsilon(1e-9));
    CHECK(r.trend.slopeA == Approx(0.0073).epsilon(1e-9));
    CHECK(r.trend.doublingDays == Approx(94.95).margin(0.01));
    CHECK(r.skipped == 0);

    // No reference rows: a message.
    for (auto& m : models)
        m.reference = false;
    auto none = analyseDensityDirect(models, curve, trend);
    CHECK(none.status == FitStatus::Failed);
    CHECK(none.message == "no reference models: mark the family the size curve is fitted to");
}
