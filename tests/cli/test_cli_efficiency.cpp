// scalelens-cli optimal-hparams / knowledge / density: JSON shape, values and exit codes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <cmath>

#include "cli_runner.h"
#include "scalelens_catch.h"

namespace {

using scalelens::test::CliRun;
using scalelens::test::parseJson;
using scalelens::test::runCli;

}  // namespace

TEST_CASE("optimal-hparams --json gives Step Law lr, batch tokens and sequences",
          "[cli][hparams]") {
    const auto r = runCli({"optimal-hparams", "--n", "7e9", "--d", "1.4e12", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    const auto presets = root["presets"].toArray();
    REQUIRE(presets.size() == 1);
    const auto step = presets[0].toObject();
    CHECK(step["preset"].toString() == "step-law");
    CHECK(step["lr"].toDouble() == Approx(9.1656e-4).epsilon(1e-4));
    CHECK(step["batch_tokens"].toDouble() == Approx(4.9988e6).epsilon(1e-4));
    CHECK(step["batch_sequences"].toDouble() == Approx(2440.8).epsilon(1e-4));
    CHECK(step["citation"].toString().contains("2503.04715"));
}

TEST_CASE("optimal-hparams --all lists every preset, missing inputs are null with a message",
          "[cli][hparams]") {
    const auto r = runCli(
        {"optimal-hparams", "--n", "1e9", "--d", "1e11", "--seq-len", "4096", "--all", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto presets = parseJson(r)["presets"].toArray();
    REQUIRE(presets.size() == 6);
    for (const auto& v : presets) {
        const auto o = v.toObject();
        if (o["preset"] == "minicpm") {
            CHECK(o["batch_tokens"].isNull());
            CHECK(o["message"].toString().contains("loss"));
        }
        if (o["preset"] == "step-law")
            CHECK(o["batch_sequences"].toDouble() == Approx(1.1077e6 / 4096).epsilon(2e-4));
    }
}

TEST_CASE("optimal-hparams bad arguments exit 2 with a message", "[cli][hparams]") {
    auto r = runCli({"optimal-hparams", "--n", "7e9", "--d", "1e12", "--preset", "nope"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("unknown preset 'nope'"));
    r = runCli({"optimal-hparams", "--n", "7e9"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("Step Law needs d (training tokens)"));
    r = runCli({"optimal-hparams", "--help"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("Usage: scalelens-cli optimal-hparams"));
}

TEST_CASE("knowledge --json: 7B params store 14B bits, bioS N=1M needs 2.75e7 params",
          "[cli][knowledge]") {
    auto r = runCli({"knowledge", "--params", "7e9", "--json"});
    REQUIRE(r.exitCode == 0);
    auto root = parseJson(r);
    CHECK(root["bits"].toDouble() == Approx(1.4e10));
    CHECK(root["factors"].toArray().size() == 1);

    r = runCli({"knowledge", "--people", "1e6", "--json"});
    REQUIRE(r.exitCode == 0);
    root = parseJson(r);
    CHECK(root["dataset"].toObject()["bits"].toDouble() == Approx(5.49e7).epsilon(1e-3));
    CHECK(root["dataset"].toObject()["params_needed"].toDouble() == Approx(2.75e7).epsilon(2e-3));

    r = runCli({"knowledge", "--params", "1e9", "--precision", "int4", "--json"});
    REQUIRE(r.exitCode == 0);
    CHECK(parseJson(r)["bits_per_param"].toDouble() == Approx(0.7));

    r = runCli({"knowledge", "--params", "1e9", "--exposures", "300"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("exposures must be 100 or 1000"));
}

TEST_CASE("density: direct-mode curve and densing inversion", "[cli][densing]") {
    // Log-linear S = 10 + 5 ln N: S at N = 3e9 inverts to 3e9; density vs N = 1e9 is 3.
    const double s = 10 + 5 * std::log(3e9);
    auto r = runCli({"density", "--score", QString::number(s, 'g', 17), "--n", "1e9", "--curve",
                     "log-linear:10,5", "--json"});
    REQUIRE(r.exitCode == 0);
    auto root = parseJson(r);
    CHECK(root["n_eff"].toDouble() == Approx(3e9).epsilon(1e-9));
    CHECK(root["density"].toDouble() == Approx(3.0).epsilon(1e-9));

    // Score at the floor of the score curve: exit 3 with the range message.
    r = runCli({"density", "--score", "0.2", "--densing", "50,0.3,80,0.25,0.8,-8,0.5,0.2"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("outside the range of the fitted score curve (0.2, 1)"));

    r = runCli({"density", "--score", "50"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("give exactly one of --densing, --curve or --reference"));
}
