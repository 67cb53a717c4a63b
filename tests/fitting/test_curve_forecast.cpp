// Forecasts: fit on a logged prefix (plus finished siblings), evaluate along the planned
// schedule to the end; what-if schedules and the best WSD cooldown. The full protocol on the
// authors' 27 curves is behind the hidden tag [.forecast_protocol] (minutes on two cores):
//   build/bin/test_fitting "[.forecast_protocol]"   (SCALELENS_FORECAST_PROTOCOL=alone|siblings)
// Each curve from its first half, 16 resamples, seeds fixed; coverage of the 90% band:
//                        with the training curves as siblings   alone (no siblings)
//   2026-11-30 (points bootstrap, blocks of 10)   14 of 27       7 of 27 (3 fits failed)
//   2026-12-01 (residual blocks from the ACF,     21 of 27      17 of 27 (3 fits failed)
//               spread starts, unseen-decay widening)
// Mean |final-loss error| 0.0103 (worst 0.0288) with siblings, 0.0331 (worst 0.0813) alone;
// the point forecasts are unchanged, the bands are not. The remaining misses: MPL
// under-predicts WSD ends by 0.014-0.022 with siblings (laws.md G.1 "known limit"), and alone,
// a two-stage run whose drop was logged for only ~1,000 steps (the decay's time scale is not
// identified, though its LR level was seen).
#include <cstdio>
#include <cstdlib>
#include <random>

#include "fitting/curve_forecast.h"
#include "mpl_data.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;
using namespace scalelens::fit::testdata;

namespace {

// The first `fraction` of the curve's points, with the LR of the planned schedule up to the
// last logged step of the full curve (where the truth is).
LossCurve prefixOf(const LossCurve& full, double fraction) {
    LossCurve p = full;
    const auto keep = static_cast<std::size_t>(static_cast<double>(full.steps.size()) * fraction);
    p.steps.resize(keep);
    p.loss.resize(keep);
    p.lr.resize(static_cast<std::size_t>(full.steps.back()) + 1);
    return p;
}

struct ForecastOutcome {
    double truth = 0;
    double forecast = 0;
    Interval band;            // basic bootstrap (the default)
    Interval percentileBand;  // the same resamples as percentiles
    bool covered = false;
    bool percentileCovered = false;
    double seconds = 0;
    bool usable = false;
    std::string message;
};

ForecastOutcome forecastHiddenHalf(const std::string& size, const std::string& name, int resamples,
                                   bool withSiblings = true) {
    const LossCurve full = *mplCurve(size, name);
    std::vector<LossCurve> siblings;
    for (const std::string& n : mplTrainNames())
        if (n != name && withSiblings)
            siblings.push_back(*mplCurve(size, n));
    ForecastOptions opt;
    opt.fit.threads = 2;
    opt.fit.bootstrapResamples = resamples;
    const ForecastResult f =
        forecastCurve(CurveLawId::MultiPower, prefixOf(full, 0.5), siblings, opt);
    ForecastOutcome o;
    o.message = f.message;
    if (!isUsable(f.status))
        return o;
    o.usable = true;
    o.truth = full.loss.back();
    o.forecast = f.forecast.finalLoss;
    o.band = f.forecast.finalBand;
    o.covered = o.band.lower <= o.truth && o.truth <= o.band.upper;
    const ScheduleForecast pct =
        forecastSchedule(f.fit, prefixOf(full, 0.5).lr, full.steps.front(), opt.bandLevel, 2,
                         f.residuals, BandMethod::Percentile);
    o.percentileBand = pct.finalBand;
    o.percentileCovered = pct.finalBand.lower <= o.truth && o.truth <= pct.finalBand.upper;
    o.seconds = f.fit.seconds;
    CHECK(f.forecast.finalStep == full.steps.back());
    return o;
}

}  // namespace

TEST_CASE("MPL forecast of a 72,000-step cosine run from its first half",
          "[curve_forecast][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: " << mplDir().string() << " is missing (the authors' MPL curves)");
        return;
    }
    const ForecastOutcome o = forecastHiddenHalf("400", "cosine_72000", 0);
    REQUIRE(o.usable);
    std::printf("400M cosine_72000 from 50%%: forecast %.4f, truth %.4f, error %+.4f (%.1f s)\n",
                o.forecast, o.truth, o.forecast - o.truth, o.seconds);
    CHECK(std::abs(o.forecast - o.truth) < 0.02);
}

TEST_CASE("Forecast bands from the block bootstrap cover a generated run's end",
          "[curve_forecast]") {
    // LR-annealing curves with known parameters and 0.3% noise: the 90% band of the final
    // loss forecast from the first half must contain the noise-free truth.
    const LraParams truth{2.63, 0.43, 0.55, 0.41};
    ScheduleDefinition d;
    d.shape = ScheduleShape::Cosine;
    d.peakLr = 2e-4;
    d.finalLr = 2e-5;
    d.warmupSteps = 500;
    d.totalSteps = 20000;
    LossCurve run;
    run.name = "generated cosine";
    run.lr = d.materialise();
    std::mt19937_64 rng(3);
    std::normal_distribution<double> eps(0.0, 3e-3);
    for (long s = 600; s < 10000; s += 100)
        run.steps.push_back(s);
    run.loss = predictLra(truth, run.lr, run.steps);
    for (double& l : run.loss)
        l *= std::exp(eps(rng));
    ForecastOptions opt;
    opt.fit.threads = 2;
    opt.fit.bootstrapResamples = 40;
    const ForecastResult f = forecastCurve(CurveLawId::LrAnnealing, run, {}, opt);
    REQUIRE(isUsable(f.status));
    const std::vector<long> last = {d.totalSteps - 1};
    const double L = predictLra(truth, run.lr, last)[0];
    INFO("forecast " << f.forecast.finalLoss << " band [" << f.forecast.finalBand.lower << ", "
                     << f.forecast.finalBand.upper << "] truth " << L);
    CHECK(f.forecast.finalStep == d.totalSteps - 1);
    CHECK(f.forecast.finalBand.lower <= L);
    CHECK(L <= f.forecast.finalBand.upper);
    CHECK(f.forecast.finalBand.upper - f.forecast.finalBand.lower < 0.15);
    REQUIRE(f.forecast.steps.size() == f.forecast.lower.size());
    for (std::size_t i = 0; i < f.forecast.steps.size(); ++i) {
        CHECK(f.forecast.lower[i] <= f.forecast.loss[i]);
        CHECK(f.forecast.loss[i] <= f.forecast.upper[i]);
    }
}

TEST_CASE("What-if schedules and the best WSD cooldown for a fitted MPL", "[curve_forecast]") {
    CurveFitResult fit;
    fit.status = FitStatus::Converged;
    fit.law = CurveLawId::MultiPower;
    const MplParams p = MplParams::luo2025(MplPublishedSize::M400);
    for (double v : p.array()) {
        Estimate e;
        e.value = v;
        fit.params.push_back(e);
    }
    ScheduleDefinition wsd;
    wsd.shape = ScheduleShape::WsdGeometric;
    wsd.peakLr = 3e-4;
    wsd.finalLr = 3e-5;
    wsd.warmupSteps = 2160;
    wsd.totalSteps = 24000;
    wsd.decayStart = 20000;
    // The what-if forecast is the law along the other schedule (laws.md G.1 vector at 23936).
    std::vector<double> lr = wsd.materialise();
    lr.resize(23937);
    const ScheduleForecast w = forecastSchedule(fit, lr, 2160, 0.9);
    CHECK(w.finalStep == 23936);
    CHECK(w.finalLoss == Approx(2.700452).margin(1e-6));
    CHECK(w.finalBand.lower == w.finalLoss);  // no bootstrap: no band
    const FamilySearchResult best = searchWsdCooldown(fit, wsd, {0.05, 0.1, 0.2, 0.3, 0.5});
    REQUIRE(best.status == FitStatus::Converged);
    REQUIRE(best.finalLoss.size() == 5);
    for (double L : best.finalLoss)
        CHECK(L >= best.bestFinalLoss);
    // The MPL paper finds longer cooldowns better up to a point; 5% is never best here.
    CHECK(best.bestFraction > 0.05);
    CHECK(best.best.decayStart == 24000 - std::llround(best.bestFraction * 24000));
    const FamilySearchResult bad = searchWsdCooldown(fit, wsd, {1.5});
    CHECK(bad.status == FitStatus::Failed);
}

// The authors' 27 curves, each from its first half: with the training curves of its size as
// siblings (the authors' set-up), and alone (a stopped run without finished siblings).
struct Coverage {
    int covered = 0, percentileCovered = 0, total = 0, usable = 0;
    double absSum = 0, worst = 0;
};

Coverage forecastProtocol(const std::vector<std::string>& sizes, bool withSiblings, int resamples) {
    std::vector<std::string> names = mplTrainNames();
    names.insert(names.end(), mplHeldOutNames().begin(), mplHeldOutNames().end());
    Coverage c;
    for (const std::string& size : sizes)
        for (const std::string& name : names) {
            const ForecastOutcome o = forecastHiddenHalf(size, name, resamples, withSiblings);
            c.total += 1;
            if (!o.usable) {
                std::printf("%s %4sM %-18s no forecast: %s\n",
                            withSiblings ? "siblings" : "alone   ", size.c_str(), name.c_str(),
                            o.message.c_str());
                continue;
            }
            std::printf(
                "%s %4sM %-18s truth %.4f forecast %.4f error %+.4f band [%.4f, %.4f] %s "
                "percentile [%.4f, %.4f] %s (%.1f s)\n",
                withSiblings ? "siblings" : "alone   ", size.c_str(), name.c_str(), o.truth,
                o.forecast, o.forecast - o.truth, o.band.lower, o.band.upper,
                o.covered ? "covered" : "MISSED", o.percentileBand.lower, o.percentileBand.upper,
                o.percentileCovered ? "covered" : "MISSED", o.seconds);
            std::fflush(stdout);
            c.covered += o.covered ? 1 : 0;
            c.percentileCovered += o.percentileCovered ? 1 : 0;
            c.usable += 1;
            c.absSum += std::abs(o.forecast - o.truth);
            c.worst = std::max(c.worst, std::abs(o.forecast - o.truth));
        }
    std::printf(
        "%s: %d curves from 50%%, %d forecast: mean |error| %.4f, worst %.4f, 90%% band covers "
        "%d of %d (percentile band: %d)\n",
        withSiblings ? "with siblings" : "alone", c.total, c.usable,
        c.absSum / std::max(1, c.usable), c.worst, c.covered, c.total, c.percentileCovered);
    std::fflush(stdout);
    return c;
}

TEST_CASE("MPL forecasts of the authors' 27 curves from their first half",
          "[.forecast_protocol][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: " << mplDir().string() << " is missing (the authors' MPL curves)");
        return;
    }
    // SCALELENS_FORECAST_PROTOCOL=siblings|alone|both (default both) picks the set-ups.
    const char* env = std::getenv("SCALELENS_FORECAST_PROTOCOL");
    const std::string mode = env ? env : "both";
    if (mode != "alone") {
        const Coverage with = forecastProtocol({"25", "100", "400"}, true, 16);
        CHECK(with.covered * 2 > with.total);
    }
    if (mode != "siblings") {
        const Coverage alone = forecastProtocol({"25", "100", "400"}, false, 16);
        CHECK(alone.covered * 2 > alone.total);
    }
}

// Coverage guard: the default band on the seven 24,000- and 16,000-step curves of 400M, each
// forecast alone from its first half (the GUI's default: no siblings). Measured 2026-12-01:
// the band covers the truth in 5 of 7 (before the residual bootstrap and the unseen-decay
// widening: 1 of 7); the test allows one fewer (tolerance 1 curve). The whole protocol (27
// curves, alone and with siblings) is the hidden [.forecast_protocol] case above.
TEST_CASE("Forecast bands cover the authors' 400M curves from their first half",
          "[curve_forecast][mpl_data][coverage]") {
    if (!haveMplData()) {
        WARN("skipped: " << mplDir().string() << " is missing (the authors' MPL curves)");
        return;
    }
    int covered = 0, total = 0;
    for (const char* name : {"cosine_24000", "constant_24000", "wsdcon_9", "wsd_20000_24000",
                             "wsdld_20000_24000", "wsdcon_3", "wsdcon_18"}) {
        const ForecastOutcome o = forecastHiddenHalf("400", name, 16, false);
        INFO(name << ": " << o.message);
        REQUIRE(o.usable);
        std::printf("400M %-18s alone: truth %.4f forecast %.4f band [%.4f, %.4f] %s\n", name,
                    o.truth, o.forecast, o.band.lower, o.band.upper,
                    o.covered ? "covered" : "MISSED");
        covered += o.covered ? 1 : 0;
        total += 1;
        CHECK(o.band.lower <= o.forecast);
        CHECK(o.forecast <= o.band.upper);
        // Honest, not vacuous: no band wider than 10% of the loss.
        CHECK(o.band.upper - o.band.lower < 0.1 * o.truth);
    }
    std::printf("400M alone: the 90%% band covers %d of %d\n", covered, total);
    CHECK(covered >= 4);
}

TEST_CASE("Bootstrap block length from the residuals' autocorrelation", "[curve_forecast]") {
    std::mt19937_64 rng(7);
    std::normal_distribution<double> eps(0.0, 1.0);
    // White noise: rho_k ~ 0, blocks of one or two points.
    std::vector<double> white(600);
    for (double& r : white)
        r = eps(rng);
    CHECK(autocorrelationBlockLength(white) <= 2);
    // AR(1) with rho = 0.8: integrated autocorrelation time (1 + rho) / (1 - rho) = 9.
    std::vector<double> ar(6000);
    double prev = 0;
    for (double& r : ar) {
        prev = 0.8 * prev + eps(rng);
        r = prev;
    }
    const int b = autocorrelationBlockLength(ar);
    INFO("AR(1) 0.8 block length " << b);
    CHECK(b >= 7);
    CHECK(b <= 12);
    // Capped at n/3; degenerate input gives 1.
    std::vector<double> trend(30);
    for (std::size_t i = 0; i < trend.size(); ++i)
        trend[i] = static_cast<double>(i);
    CHECK(autocorrelationBlockLength(trend) == 10);
    CHECK(autocorrelationBlockLength(std::vector<double>(50, 0.3)) == 1);
    CHECK(autocorrelationBlockLength(std::vector<double>{0.1, -0.1}) == 1);
}

TEST_CASE("A forecast whose logged part has no LR decay widens its band and says so",
          "[curve_forecast]") {
    // A WSD run generated from the LR-annealing law, logged up to its decay: the decay's gain
    // is all extrapolation; with a finished cosine sibling it is not.
    const LraParams truth{2.63, 0.43, 0.55, 0.41};
    ScheduleDefinition d;
    d.shape = ScheduleShape::WsdGeometric;
    d.peakLr = 2e-4;
    d.finalLr = 2e-5;
    d.warmupSteps = 500;
    d.totalSteps = 20000;
    d.decayStart = 16000;
    LossCurve run;
    run.name = "generated wsd";
    run.lr = d.materialise();
    std::mt19937_64 rng(5);
    std::normal_distribution<double> eps(0.0, 2e-3);
    for (long s = 600; s < 10000; s += 100)
        run.steps.push_back(s);
    run.loss = predictLra(truth, run.lr, run.steps);
    for (double& l : run.loss)
        l *= std::exp(eps(rng));
    ForecastOptions opt;
    opt.fit.threads = 2;
    opt.fit.bootstrapResamples = 16;
    const ForecastResult alone = forecastCurve(CurveLawId::LrAnnealing, run, {}, opt);
    REQUIRE(isUsable(alone.status));
    const double L = predictLra(truth, run.lr, std::vector<long>{d.totalSteps - 1})[0];
    INFO(alone.message);
    CHECK(alone.seenLrFraction == Approx(1.0));
    CHECK(alone.unseenDecayShare == 1.0);
    CHECK(alone.unseenDecayGain > 0.01);
    CHECK(alone.message.find("the logged part has no LR decay") != std::string::npos);
    CHECK(alone.message.find("annealing term is extrapolated") != std::string::npos);
    CHECK(alone.forecast.finalBand.upper - alone.forecast.finalBand.lower >=
          2 * alone.unseenDecayGain);
    CHECK(alone.forecast.finalBand.lower <= L);
    CHECK(L <= alone.forecast.finalBand.upper);
    // The same set-up with a finished cosine sibling that decays to the same final LR.
    ScheduleDefinition c = d;
    c.shape = ScheduleShape::Cosine;
    LossCurve sibling;
    sibling.name = "generated cosine";
    sibling.lr = c.materialise();
    for (long s = 600; s < 20000; s += 100)
        sibling.steps.push_back(s);
    sibling.loss = predictLra(truth, sibling.lr, sibling.steps);
    for (double& l : sibling.loss)
        l *= std::exp(eps(rng));
    const ForecastResult with = forecastCurve(CurveLawId::LrAnnealing, run, {sibling}, opt);
    REQUIRE(isUsable(with.status));
    INFO(with.message);
    CHECK(with.unseenDecayGain == 0);
    CHECK(with.message.find("extrapolated") == std::string::npos);
    CHECK(with.forecast.finalBand.lower <= L);
    CHECK(L <= with.forecast.finalBand.upper);
    // The what-if path widens the same way along another schedule.
    ScheduleForecast w = forecastSchedule(alone.fit, run.lr, run.steps.front(), 0.9);
    const double before = w.finalBand.upper - w.finalBand.lower;
    double prior = -1;
    const double gain = widenForUnseenDecay(alone, run.lr, alone.lastLoggedStep, &w, &prior);
    CHECK(gain == Approx(alone.unseenDecayGain));
    CHECK(prior == Approx(alone.unseenDecayPriorWidening));
    CHECK(w.finalBand.upper - w.finalBand.lower == Approx(before + 2 * gain + prior));
    // The lower edge reaches the prior's largest gain of a 90% decay: 4% x 0.9 x L.
    CHECK(w.finalLoss - w.finalBand.lower >= 0.04 * 0.9 * w.finalLoss - gain - 1e-9);
    INFO("gain " << gain << " prior widening " << prior);
    CHECK(prior > 0);
}
