// Synthetic recovery, degenerate input, cancellation, back-test, Kaplan and IsoFLOP analyses.
#include <atomic>
#include <cmath>
#include <numbers>
#include <random>

#include "fitting/allocation.h"
#include "fitting/chinchilla_fit.h"
#include "fitting/isoflop.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

// A 9 x 9 grid of (N, D) with multiplicative log-normal noise of `sigma` on the loss.
std::vector<Observation> synthetic(const ChinchillaParams& p, double sigma, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, sigma);
    std::vector<Observation> out;
    for (int i = 0; i < 9; ++i)
        for (int j = 0; j < 9; ++j) {
            const double N = std::pow(10.0, 7.0 + 0.4 * i);
            const double D = std::pow(10.0, 9.0 + 0.35 * j);
            out.push_back({N, D, p.loss(N, D) * std::exp(noise(rng)), 1.0, {}});
        }
    return out;
}

FitOptions smallGrid() {
    FitOptions o;
    // A reduced grid keeps the test fast; the published grid is tested on the Epoch data.
    o.grid.a = {0, 10};
    o.grid.b = {0, 10};
    o.grid.e = {-1, 0.5};
    o.grid.alpha = {0.2, 0.8};
    o.grid.beta = {0.2, 0.8};
    return o;
}

}  // namespace

TEST_CASE("Noise-free synthetic data: exact recovery", "[chinchilla][synthetic]") {
    const ChinchillaParams truth = ChinchillaParams::hoffmann2022();
    const FitResult r = fitChinchilla(synthetic(truth, 0.0, 1), smallGrid());
    REQUIRE(r.status == FitStatus::Converged);
    CHECK(r.value("E") == Approx(truth.E).epsilon(1e-6));
    CHECK(r.value("A") == Approx(truth.A).epsilon(1e-5));
    CHECK(r.value("B") == Approx(truth.B).epsilon(1e-5));
    CHECK(r.value("alpha") == Approx(truth.alpha).epsilon(1e-6));
    CHECK(r.value("beta") == Approx(truth.beta).epsilon(1e-6));
    CHECK(r.objective < 1e-12);
}

TEST_CASE("Noisy synthetic data: parameters inside the bootstrap CIs", "[chinchilla][synthetic]") {
    const ChinchillaParams truth = ChinchillaParams::hoffmann2022();
    FitOptions o = smallGrid();
    o.loss = LossKind::Ols;
    o.runBootstrap = true;
    o.bootstrapResamples = 300;
    const FitResult r = fitChinchilla(synthetic(truth, 0.005, 2), o);
    REQUIRE(r.status == FitStatus::Converged);
    // 0.5% noise on 81 points: exponents within 0.01 (several bootstrap SEs).
    CHECK(r.value("alpha") == Approx(truth.alpha).margin(0.01));
    CHECK(r.value("beta") == Approx(truth.beta).margin(0.01));
    CHECK(r.value("E") == Approx(truth.E).margin(0.02));
    for (const char* name : {"E", "alpha", "beta"}) {
        INFO(name);
        const Estimate* e = r.find(name);
        REQUIRE(e->ci95);
        CHECK(e->stdError.value_or(0) > 0);
        const double t = name[0] == 'E' ? truth.E : name[0] == 'a' ? truth.alpha : truth.beta;
        CHECK(e->ci95->lower < t);
        CHECK(e->ci95->upper > t);
    }
    // Derived allocation quantities carry CIs too.
    const Estimate* n = r.find("N_opt@1e+21");
    REQUIRE(n);
    REQUIRE(n->ci95);
    CHECK(n->ci95->lower < n->value);
    CHECK(n->ci95->upper > n->value);
    const AllocationEstimate a = allocationWithCi(r, 1e21);
    CHECK(a.point.nOpt == Approx(n->value).epsilon(1e-12));
    // OLS on a well-spread grid is well conditioned: covariance SEs are reported.
    INFO("condition " << r.hessianConditionNumber);
    CHECK(r.covarianceWellConditioned);
    CHECK(r.find("alpha")->covStdError.value_or(0) > 0);
}

TEST_CASE("Bootstrap does not depend on the thread count", "[chinchilla][bootstrap]") {
    const auto data = synthetic(ChinchillaParams::hoffmann2022(), 0.01, 3);
    FitOptions o = smallGrid();
    o.runBootstrap = true;
    o.bootstrapResamples = 50;
    o.threads = 1;
    const FitResult one = fitChinchilla(data, o);
    o.threads = 2;
    const FitResult two = fitChinchilla(data, o);
    REQUIRE(one.bootstrapSamples.size() == two.bootstrapSamples.size());
    CHECK(one.find("alpha")->stdError.value() ==
          Approx(two.find("alpha")->stdError.value()).epsilon(1e-12));
}

TEST_CASE("Degenerate input fails with a message and no NaN parameters",
          "[chinchilla][degenerate]") {
    const ChinchillaParams p = ChinchillaParams::hoffmann2022();
    FitOptions o = smallGrid();
    const auto check = [&](std::vector<Observation> data, const std::string& message) {
        const FitResult r = fitChinchilla(data, o);
        CHECK(r.status == FitStatus::Failed);
        CHECK(r.message == message);
        CHECK(r.params.empty());
        CHECK(r.derived.empty());
    };
    auto data = synthetic(p, 0.0, 4);
    check({data.begin(), data.begin() + 4}, "need at least 5 points to fit 5 parameters, got 4");
    auto singleN = data;
    for (auto& d : singleN)
        d.x1 = 1e9;
    check(singleN, "all points have the same N; the N term cannot be identified");
    auto singleD = data;
    for (auto& d : singleD)
        d.x2 = 1e10;
    check(singleD, "all points have the same D; the D term cannot be identified");
    auto negative = data;
    negative[2].loss = 0;
    check(negative, "point 3: loss must be > 0");
    auto nan = data;
    nan[5].x2 = std::nan("");
    check(nan, "point 6: N, D, loss and weight must be finite (got NaN or inf)");
    FitOptions bad = o;
    bad.bootstrapResamples = 1;
    const FitResult r = fitChinchilla(data, bad);
    CHECK(r.status == FitStatus::Failed);
    CHECK(r.message == "invalid options: bootstrapResamples must be >= 2");
}

TEST_CASE("The progress callback can cancel", "[chinchilla][cancel]") {
    const auto data = synthetic(ChinchillaParams::hoffmann2022(), 0.01, 5);
    FitOptions o;  // full grid so there is time to cancel
    std::atomic<int> calls{0};
    const FitResult r = fitChinchilla(data, o, [&](double f) {
        ++calls;
        return f < 0.1;
    });
    CHECK(r.status == FitStatus::Cancelled);
    CHECK(calls > 0);
    // Cancelled in the multi-start: the best start so far is reported, and it is finite.
    REQUIRE(r.params.size() == 5);
    for (const auto& e : r.params)
        CHECK(std::isfinite(e.value));
}

TEST_CASE("Back-test: fit below a compute cutoff, predict above", "[chinchilla][backtest]") {
    const auto data = synthetic(ChinchillaParams::hoffmann2022(), 0.0, 6);
    const BacktestResult bt = backtestChinchilla(data, CutoffVariable::Compute, 1e20, smallGrid());
    REQUIRE(isUsable(bt.status));
    CHECK(bt.nTrain + bt.nTest == static_cast<int>(data.size()));
    CHECK(bt.nTest > 0);
    // Noise-free data: the extrapolation is exact.
    CHECK(bt.maxAbsRelativeError < 1e-6);
    const BacktestResult none = backtestChinchilla(data, CutoffVariable::Params, 1e30, smallGrid());
    CHECK(none.status == FitStatus::Failed);
    CHECK(none.message == "no points at or above the cutoff to test on");
}

TEST_CASE("Diagnostics: RMSE, R2 and AIC on a known residual", "[chinchilla][diagnostics]") {
    // Predictions 1% too high everywhere: log residual log(1.01) at every point.
    std::vector<Observation> data;
    std::vector<double> pred;
    for (int i = 1; i <= 10; ++i) {
        data.push_back({1e8 * i, 1e9 * i, 2.0 + 0.1 * i, 1.0, {}});
        pred.push_back(1.01 * (2.0 + 0.1 * i));
    }
    const GoodnessOfFit g = computeGoodness(data, pred, 5);
    CHECK(g.rmseLog == Approx(std::log(1.01)).epsilon(1e-12));
    REQUIRE(g.residualsLog.size() == 10);
    CHECK(g.residualsLog[3] == Approx(std::log(1.01)).epsilon(1e-12));
    const double s2 = std::log(1.01) * std::log(1.01);
    const double logLik = -5.0 * (std::log(2 * std::numbers::pi * s2) + 1);
    CHECK(g.aic == Approx(10 - 2 * logLik).epsilon(1e-12));
    CHECK(g.bic == Approx(5 * std::log(10.0) - 2 * logLik).epsilon(1e-12));
}

TEST_CASE("Kaplan fit recovers Kaplan et al. 2020 parameters", "[kaplan][fit]") {
    const KaplanParams k = KaplanParams::kaplan2020();
    std::vector<Observation> data;
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
            const double N = std::pow(10.0, 7 + 0.5 * i), D = std::pow(10.0, 9 + 0.5 * j);
            data.push_back({N, D, k.loss(N, D), 1.0, {}});
        }
    FitOptions o;
    o.loss = LossKind::Ols;
    const FitResult r = fitKaplan(data, o);
    REQUIRE(r.status == FitStatus::Converged);
    CHECK(r.value("alphaN") == Approx(k.alphaN).epsilon(1e-6));
    CHECK(r.value("alphaD") == Approx(k.alphaD).epsilon(1e-6));
    CHECK(r.value("Nc") == Approx(k.Nc).epsilon(1e-5));
    CHECK(r.value("Dc") == Approx(k.Dc).epsilon(1e-5));
    o.loss = LossKind::Mle;
    CHECK(fitKaplan(data, o).message == "the mle loss is only implemented for the chinchilla law");
}

TEST_CASE("IsoFLOP profiles recover the allocation exponent", "[isoflop]") {
    const ChinchillaParams p = ChinchillaParams::hoffmann2022();
    std::vector<IsoFlopPoint> pts;
    for (const double C : {1e18, 1e19, 1e20, 1e21, 1e22}) {
        const double nOpt = computeAllocation(p, C).nOpt;
        for (int i = -4; i <= 4; ++i) {
            const double N = nOpt * std::pow(10.0, 0.1 * i);
            pts.push_back({N, 0, C, p.loss(N, C / (6 * N))});
        }
    }
    const IsoFlopResult r = fitIsoFlop(pts, IsoFlopOptions{});
    REQUIRE(r.status == FitStatus::Converged);
    REQUIRE(r.budgets.size() == 5);
    // Points symmetric in log N around the true optimum: the parabola's minimum is within 2%
    // of N_opt and the exponent within 0.005 of a = beta/(alpha+beta) = 0.4516.
    CHECK(r.budgets[2].nOpt == Approx(computeAllocation(p, 1e20).nOpt).epsilon(0.02));
    CHECK(r.nOptLaw.exponent.value == Approx(0.28 / 0.62).margin(0.005));
    CHECK(r.dOptLaw.exponent.value == Approx(0.34 / 0.62).margin(0.005));
    REQUIRE(r.nOptLaw.exponent.ci95);
    CHECK(r.nOptLaw.exponent.ci95->lower <= r.nOptLaw.exponent.value);
    // Log binning (2 bins per decade) groups the same budgets.
    IsoFlopOptions binned;
    binned.logBinning = true;
    binned.binsPerDecade = 2;
    CHECK(fitIsoFlop(pts, binned).nOptLaw.exponent.value ==
          Approx(r.nOptLaw.exponent.value).epsilon(1e-9));
    // Two sizes per budget are not enough.
    std::vector<IsoFlopPoint> few = {{1e8, 0, 1e19, 3}, {2e8, 0, 1e19, 2.9}};
    const IsoFlopResult bad = fitIsoFlop(few, IsoFlopOptions{});
    CHECK(bad.status == FitStatus::Failed);
    CHECK(bad.budgets[0].note == "fewer than 3 model sizes");
}

TEST_CASE("Approach 1 envelope over training curves", "[isoflop][envelope]") {
    const ChinchillaParams p = ChinchillaParams::hoffmann2022();
    std::vector<TrainingCurve> curves;
    for (int i = 0; i < 12; ++i) {
        TrainingCurve c;
        c.N = 1e7 * std::pow(10.0, 0.25 * i);
        c.runId = std::to_string(i);
        c.runId.insert(0, 1, 'n');
        for (int k = 0; k <= 60; ++k) {
            const double D = 1e8 * std::pow(10.0, 0.05 * k);
            c.flops.push_back(6 * c.N * D);
            c.loss.push_back(p.loss(c.N, D));
        }
        curves.push_back(c);
    }
    EnvelopeOptions o;
    o.gridPoints = 60;
    const EnvelopeResult r = fitEnvelope(curves, o);
    REQUIRE(r.status == FitStatus::Converged);
    // The envelope follows the compute-optimal frontier: a within 0.03 of 0.4516 (model sizes
    // are quantised to 4 per decade).
    CHECK(r.nOptLaw.exponent.value == Approx(0.28 / 0.62).margin(0.03));
    TrainingCurve broken = curves[0];
    broken.flops[3] = broken.flops[2];
    const EnvelopeResult bad = fitEnvelope({broken, curves[1]}, o);
    CHECK(bad.status == FitStatus::Failed);
    CHECK(bad.message == "run 'n0': flops must increase and flops and loss must be finite and > 0");
}
