// FitResult / FitOptions <-> JSON round trips and error messages (datasets/fit_json.h).
#include <QJsonArray>
#include <cmath>

#include "datasets/fit_json.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {
fit::FitResult sampleResult() {
    fit::FitResult r;
    r.status = fit::FitStatus::Converged;
    r.message = "converged";
    r.objective = 1.0182740178e-3;
    r.startsConverged = 4498;
    r.startsTotal = 4500;
    r.goodness.nPoints = 240;
    r.goodness.residualsLog = {0.01, -0.02};
    const char* names[] = {"E", "A", "B", "alpha", "beta"};
    const double values[] = {1.817218, 477.83, 2143.42, 0.347310, 0.367172};
    for (int i = 0; i < 5; ++i) {
        fit::Estimate e;
        e.name = names[i];
        e.value = values[i];
        e.stdError = values[i] / 10;
        e.ci95 = fit::Interval{values[i] * 0.8, values[i] * 1.2};
        r.params.push_back(e);
    }
    r.derived.push_back({"a", 0.5139, 0.02, fit::Interval{0.47, 0.55}, {}});
    r.derived.push_back({"G", 0.113, {}, {}, {}});
    return r;
}
}  // namespace

TEST_CASE("FitResult JSON has the CLI keys and round-trips", "[fit_json]") {
    const fit::FitResult r = sampleResult();
    const QJsonObject json = data::fitResultToJson(r);
    CHECK(json["law"].toString() == "chinchilla");
    CHECK(json["status"].toString() == "converged");
    CHECK(json["n_points"].toInt() == 240);
    CHECK(json["params"].toObject()["alpha"].toDouble() == 0.347310);
    CHECK(json["stderr"].toObject()["A"].toDouble() == Approx(47.783));
    CHECK(json["ci95"].toObject()["B"].toArray()[1].toDouble() == Approx(2143.42 * 1.2));
    CHECK(json["allocation"].toObject()["a"].toDouble() == 0.5139);
    CHECK(json["cov_stderr"].toObject()["E"].isNull());

    fit::FitResult back;
    QString error;
    REQUIRE(data::fitResultFromJson(json, &back, &error));
    REQUIRE(back.params.size() == 5);
    CHECK(back.params[3].name == "alpha");  // law order, not JSON's alphabetical order
    CHECK(back.value("B") == 2143.42);
    CHECK(back.find("E")->ci95->upper == Approx(1.817218 * 1.2));
    CHECK(back.find("a")->stdError.value() == 0.02);
    CHECK(back.status == fit::FitStatus::Converged);
    CHECK(back.startsConverged == 4498);
    CHECK(back.goodness.residualsLog.size() == 2);
}

TEST_CASE("FitResult JSON: NaN becomes null, unknown law is an error", "[fit_json]") {
    fit::FitResult r = sampleResult();
    r.objective = std::nan("");
    QJsonObject json = data::fitResultToJson(r);
    CHECK(json["objective"].isNull());
    json["law"] = "nope";
    fit::FitResult back;
    QString error;
    CHECK_FALSE(data::fitResultFromJson(json, &back, &error));
    CHECK(error == "law: unknown law 'nope'");
}

TEST_CASE("FitOptions JSON round-trips and validates", "[fit_json]") {
    fit::FitOptions o;
    o.loss = fit::LossKind::Mle;
    o.seed = 12345678901234567ULL;
    o.runBootstrap = true;
    o.bootstrapResamples = 100;
    o.grid.a = {1, 2};
    fit::FitOptions back;
    QString error;
    REQUIRE(data::fitOptionsFromJson(data::fitOptionsToJson(o), &back, &error));
    CHECK(back.loss == fit::LossKind::Mle);
    CHECK(back.seed == 12345678901234567ULL);
    CHECK(back.bootstrapResamples == 100);
    CHECK(back.grid.a == std::vector<double>{1, 2});
    CHECK(back.grid.size() == 2 * 6 * 5 * 5 * 5);

    QJsonObject bad = data::fitOptionsToJson(o);
    bad["huber_delta"] = "x";
    CHECK_FALSE(data::fitOptionsFromJson(bad, &back, &error));
    CHECK(error == "huber_delta must be a number");
    bad = data::fitOptionsToJson(o);
    bad["huber_delta"] = -1;
    CHECK_FALSE(data::fitOptionsFromJson(bad, &back, &error));
    CHECK(error == "huberDelta must be finite and > 0");
}

TEST_CASE("Allocation JSON keys", "[fit_json]") {
    const auto a = fit::computeAllocation(fit::ChinchillaParams::hoffmann2022(), 1e21);
    const QJsonObject j = data::allocationToJson(a);
    CHECK(j["N_opt"].toDouble() == Approx(1.824e9).epsilon(1e-3));
    CHECK(j["tokens_per_param"].toDouble() == Approx(50.1).epsilon(2e-3));
    CHECK(j.contains("D_opt"));
    CHECK(j.contains("loss"));
}

TEST_CASE("FitResult JSON carries the diagnostics list and parameter flags", "[fit_json]") {
    fit::FitResult r = sampleResult();
    r.status = fit::FitStatus::Unreliable;
    r.diagnostics = {{"param_at_bound", fit::Severity::Unreliable, "E = 6e-95 is at its bound"},
                     {"ill_conditioned", fit::Severity::Info, "condition number 1.56e+03"}};
    r.params[0].flags = fit::kEstimateAtBound | fit::kEstimateIllConditioned;
    const QJsonObject json = data::fitResultToJson(r);
    CHECK(json["status"].toString() == "unreliable");
    const QJsonArray diagnostics = json["diagnostics"].toArray();
    REQUIRE(diagnostics.size() == 2);
    CHECK(diagnostics[0].toObject()["code"].toString() == "param_at_bound");
    CHECK(diagnostics[0].toObject()["severity"].toString() == "unreliable");
    CHECK(diagnostics[0].toObject()["message"].toString() == "E = 6e-95 is at its bound");
    CHECK(diagnostics[1].toObject()["severity"].toString() == "info");
    CHECK(json["goodness"].toObject()["residuals_log"].toArray().size() == 2);
    CHECK(json["param_flags"].toObject()["E"].toArray().size() == 2);
    CHECK_FALSE(json["param_flags"].toObject().contains("A"));

    fit::FitResult back;
    QString error;
    REQUIRE(data::fitResultFromJson(json, &back, &error));
    CHECK(back.status == fit::FitStatus::Unreliable);
    REQUIRE(back.diagnostics.size() == 2);
    CHECK(back.diagnostics[0].code == "param_at_bound");
    CHECK(back.diagnostics[0].severity == fit::Severity::Unreliable);
    CHECK(back.find("E")->has(fit::kEstimateAtBound));
    CHECK_FALSE(back.find("A")->has(fit::kEstimateAtBound));

    // A bad severity is an error naming the entry.
    QJsonObject bad = json;
    bad["diagnostics"] = QJsonArray{QJsonObject{{"code", "x"}, {"severity", "fatal"}}};
    CHECK_FALSE(data::fitResultFromJson(bad, &back, &error));
    CHECK(error.startsWith("diagnostics[0]"));
}

TEST_CASE("Fit JSON written before diagnostics existed still reads", "[fit_json]") {
    QJsonObject json = data::fitResultToJson(sampleResult());
    json["diagnostics"] = json["goodness"];  // the old layout: goodness of fit here
    json.remove("goodness");
    json.remove("param_flags");
    fit::FitResult back;
    QString error;
    REQUIRE(data::fitResultFromJson(json, &back, &error));
    CHECK(back.diagnostics.empty());
    CHECK(back.goodness.residualsLog.size() == 2);
}
