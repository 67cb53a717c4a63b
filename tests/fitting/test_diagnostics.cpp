// Diagnostics (issue 9): each degenerate case names its problem and makes the fit Unreliable;
// clean fits carry no warning. Data are generated here.
#include <cmath>
#include <random>

#include "fitting/chinchilla_fit.h"
#include "fitting/diagnostics.h"
#include "fitting/isoflop.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

namespace {

FitOptions quickOptions() {
    FitOptions o;
    o.grid.a = {0, 5, 10};
    o.grid.b = {0, 5, 10};
    o.grid.e = {-1, 0.5};
    o.grid.alpha = {0.2, 0.8};
    o.grid.beta = {0.2, 0.8};
    return o;
}

// Points on a (N, D) spread with multiplicative noise `sigma`; `nValues` distinct N.
std::vector<Observation> sweep(const ChinchillaParams& p, int count, int nValues, double sigma,
                               unsigned seed = 1) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, sigma);
    std::vector<Observation> out;
    for (int i = 0; i < count; ++i) {
        const double N = std::pow(10.0, 7.0 + 2.0 * (i % nValues) / std::max(1, nValues - 1));
        const double D = std::pow(10.0, 9.0 + 0.23 * i);
        out.push_back({N, D, p.loss(N, D) * std::exp(noise(rng)), 1.0, {}});
    }
    return out;
}

std::string codes(const FitResultBase& r) {
    std::string s;
    for (const Diagnostic& d : r.diagnostics)
        s += d.code + "(" + std::string(toString(d.severity)) + ") ";
    return s;
}

bool hasWarningOrWorse(const FitResultBase& r) {
    return r.worstSeverity() != Severity::Info;
}

}  // namespace

TEST_CASE("E at its bound from 11 points is unreliable and names E", "[diagnostics]") {
    // The data have no irreducible term: the fit drives E to 0.
    ChinchillaParams p = ChinchillaParams::hoffmann2022();
    p.E = 0;
    const FitResult r = fitChinchilla(sweep(p, 11, 4, 0.0), quickOptions());
    INFO(r.message << " | " << codes(r) << " | E = " << r.value("E"));
    const Diagnostic* d = r.findDiagnostic("param_at_bound");
    REQUIRE(d);
    CHECK(d->severity == Severity::Unreliable);
    CHECK(d->message.rfind("E = ", 0) == 0);
    CHECK(r.status == FitStatus::Unreliable);
    CHECK(r.find("E")->has(kEstimateAtBound));
    CHECK_FALSE(r.find("alpha")->has(kEstimateAtBound));
}

TEST_CASE("Five points for five parameters are unreliable", "[diagnostics]") {
    const FitResult r =
        fitChinchilla(sweep(ChinchillaParams::hoffmann2022(), 5, 5, 0.01), quickOptions());
    INFO(r.message << " | " << codes(r));
    const Diagnostic* d = r.findDiagnostic("few_points");
    REQUIRE(d);
    CHECK(d->severity == Severity::Unreliable);
    CHECK(d->message.find("5 points for 5 parameters") != std::string::npos);
    CHECK(r.status == FitStatus::Unreliable);
}

TEST_CASE("Two distinct N are unreliable", "[diagnostics]") {
    const FitResult r =
        fitChinchilla(sweep(ChinchillaParams::hoffmann2022(), 20, 2, 0.01), quickOptions());
    INFO(r.message << " | " << codes(r));
    const Diagnostic* d = r.findDiagnostic("few_distinct");
    REQUIRE(d);
    CHECK(d->severity == Severity::Unreliable);
    CHECK(d->message.find("2 distinct values of N") != std::string::npos);
    CHECK(r.status == FitStatus::Unreliable);
}

TEST_CASE("An iteration limit is reported as not converged and unreliable", "[diagnostics]") {
    FitOptions o = quickOptions();
    o.maxIterationsPerStart = 1;
    o.polish = false;
    const FitResult r = fitChinchilla(sweep(ChinchillaParams::hoffmann2022(), 40, 8, 0.01), o);
    INFO(r.message << " | " << codes(r));
    const Diagnostic* d = r.findDiagnostic("not_converged");
    REQUIRE(d);
    CHECK(d->severity == Severity::Unreliable);
    CHECK(r.status == FitStatus::Unreliable);
    CHECK(r.message.rfind("unreliable: ", 0) == 0);
}

TEST_CASE("A clean synthetic sweep has no warning and keeps covariance SEs", "[diagnostics]") {
    const FitResult r =
        fitChinchilla(sweep(ChinchillaParams::hoffmann2022(), 60, 10, 0.005), quickOptions());
    INFO(r.message << " | " << codes(r));
    CHECK(r.status == FitStatus::Converged);
    CHECK_FALSE(hasWarningOrWorse(r));
    for (const Estimate& e : r.params) {
        INFO(e.name);
        CHECK(e.covStdError.has_value());
        CHECK(e.flags == (r.covarianceWellConditioned ? 0u : unsigned{kEstimateIllConditioned}));
    }
}

TEST_CASE("Ill-conditioning keeps SEs, flagged, and names the weak direction", "[diagnostics]") {
    // D hardly varies: the D term and E trade off against each other.
    std::vector<Observation> data;
    const ChinchillaParams p = ChinchillaParams::hoffmann2022();
    for (int i = 0; i < 30; ++i) {
        const double N = std::pow(10.0, 7.0 + 0.1 * i);
        const double D = 1e10 * (1.0 + 0.001 * (i % 3));
        data.push_back({N, D, p.loss(N, D), 1.0, {}});
    }
    FitOptions o = quickOptions();
    o.loss = LossKind::Ols;
    const FitResult r = fitChinchilla(data, o);
    INFO(r.message << " | " << codes(r) << " | cond " << r.hessianConditionNumber);
    const Diagnostic* d = r.findDiagnostic("ill_conditioned");
    REQUIRE(d);
    CHECK(d->message.find("condition number") != std::string::npos);
    CHECK(d->message.find("direction") != std::string::npos);
    CHECK_FALSE(r.covarianceWellConditioned);
}

TEST_CASE("Bootstrap spread: degenerate, exploding and failed resamples", "[diagnostics]") {
    ProblemFacts f;
    f.bootstrapRequested = 100;
    f.bootstrapUsed = 40;
    Estimate stuck;
    stuck.name = "E";
    stuck.value = 0;
    stuck.ci95 = Interval{0, 0};
    Estimate wide;
    wide.name = "B";
    wide.value = 400;
    wide.ci95 = Interval{20, 9e4};
    Estimate fine;
    fine.name = "alpha";
    fine.value = 0.34;
    fine.ci95 = Interval{0.30, 0.38};
    f.bootstrapped = {{stuck, 0.0}, {wide, 0.0}, {fine, 0.0}};
    const auto found = diagnose(f);
    const auto count = [&](const std::string& code) {
        return std::count_if(found.begin(), found.end(),
                             [&](const Diagnostic& d) { return d.code == code; });
    };
    CHECK(count("bootstrap_degenerate") == 1);
    CHECK(count("bootstrap_exploding") == 1);
    REQUIRE(count("bootstrap_failed") == 1);
    const auto failed = std::find_if(found.begin(), found.end(), [](const Diagnostic& d) {
        return d.code == "bootstrap_failed";
    });
    CHECK(failed->severity == Severity::Unreliable);  // 60% failed
    CHECK(failed->message.find("60 of 100") != std::string::npos);

    FitResultBase r;
    r.status = FitStatus::Converged;
    applyDiagnostics(found, &r);
    CHECK(r.status == FitStatus::Unreliable);
    // Failed fits keep their status.
    FitResultBase failedFit;
    failedFit.status = FitStatus::Failed;
    applyDiagnostics(found, &failedFit);
    CHECK(failedFit.status == FitStatus::Failed);
}

TEST_CASE("A non-finite derived quantity is unreliable", "[diagnostics]") {
    ProblemFacts f;
    f.derived = {{"a", NAN}, {"G", 0.1}};
    const auto found = diagnose(f);
    REQUIRE(found.size() == 1);
    CHECK(found[0].code == "nonfinite_derived");
    CHECK(found[0].message.find("a is not finite") != std::string::npos);
}

TEST_CASE("IsoFLOP with two usable budgets is unreliable", "[diagnostics][isoflop]") {
    const ChinchillaParams p = ChinchillaParams::hoffmann2022();
    std::vector<IsoFlopPoint> pts;
    for (const double C : {1e19, 1e21})
        for (int k = -4; k <= 4; ++k) {
            const double N = std::sqrt(C / 6.0 / 20.0) * std::pow(10.0, 0.25 * k);
            pts.push_back({N, C / (6 * N), C, p.loss(N, C / (6 * N))});
        }
    const IsoFlopResult r = fitIsoFlop(pts, {});
    INFO(r.message << " | " << codes(r));
    CHECK(r.findDiagnostic("few_distinct"));
    CHECK(r.status == FitStatus::Unreliable);
}
