// scalelens-cli fit --law lr-bs | knowledge | densing | average-param on real and example data.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <cmath>

#include "cli_runner.h"
#include "scalelens_catch.h"
#include "shared_data.h"

namespace {

using scalelens::test::CliRun;
using scalelens::test::parseJson;
using scalelens::test::runCli;

}  // namespace

TEST_CASE("fit --law lr-bs reproduces the Step Law dense refit", "[cli][hparams]") {
    SCALELENS_REQUIRE_SHARED("steplaw/dense_lr_bs_loss.csv");
    // laws.md §A: 129 runs pass the 0.25% filter; lr = 77.69 N^-0.7662 D^0.1970,
    // bs = 0.2085 D^0.6125. The CSV's bs column is in sequences of 2048 tokens.
    const auto r =
        runCli({"fit", "--law", "lr-bs", "--input",
                SCALELENS_SHARED_DIR "/datasets/steplaw/dense_lr_bs_loss.csv", "--loss-metric",
                "smooth loss", "--batch-unit", "sequences", "--bootstrap", "0", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    CHECK(root["runs_used"].toInt() == 129);
    CHECK(root["lr"]["constant"].toDouble() == Approx(77.69).epsilon(5e-4));
    CHECK(root["lr"]["coef_n"]["value"].toDouble() == Approx(-0.7662).margin(5e-5));
    CHECK(root["lr"]["coef_d"]["value"].toDouble() == Approx(0.1970).margin(5e-5));
    CHECK(root["batch"]["constant"].toDouble() == Approx(0.2085).epsilon(5e-4));
    CHECK(root["batch"]["coef_d"]["value"].toDouble() == Approx(0.6125).margin(5e-5));
    CHECK(root["groups"].toArray().size() == 17);
}

TEST_CASE("fit --law lr-bs: missing loss metric is bad input", "[cli][hparams]") {
    SCALELENS_REQUIRE_SHARED("steplaw/dense_lr_bs_loss.csv");
    const auto r = runCli({"fit", "--law", "lr-bs", "--input",
                           SCALELENS_SHARED_DIR "/datasets/steplaw/dense_lr_bs_loss.csv",
                           "--loss-metric", "nope"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("no metric 'nope' in the input"));
}

TEST_CASE("fit --law knowledge: bits per parameter through the origin", "[cli][knowledge]") {
    const auto r = runCli({"fit", "--law", "knowledge", "--input",
                           SCALELENS_TEST_DATA_DIR "/knowledge_models.csv", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    // Hand computation: sum(P*bits)/sum(P^2) = 167.5e12/85e12 (see the CSV).
    CHECK(root["bits_per_param"].toDouble() == Approx(167.5 / 85.0).epsilon(1e-9));
    CHECK(root["models"].toArray().size() == 4);
}

TEST_CASE("fit --law densing direct mode on the model zoo", "[cli][densing]") {
    SCALELENS_REQUIRE_SHARED("model-zoo/base_models.csv");
    // Reference family LLaMA-1 (log-linear MMLU vs ln N). The doubling time was computed
    // independently with a 30-line Python stdlib script (same envelope rule): 113.67 days,
    // A = 0.0060980 per day, 8 envelope models.
    const auto r =
        runCli({"fit", "--law", "densing", "--input",
                SCALELENS_SHARED_DIR "/datasets/model-zoo/base_models.csv", "--benchmark", "mmlu",
                "--reference", "^LLaMA-", "--bootstrap", "200", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    const auto curve = root["size_curve"].toObject();
    CHECK(curve["p1"].toDouble() == Approx(12.3437).epsilon(1e-4));
    CHECK(curve["p0"].toDouble() == Approx(-242.4206).epsilon(1e-5));
    const auto trend = root["trend"].toObject();
    CHECK(trend["A_per_day"].toDouble() == Approx(0.0060980).epsilon(1e-4));
    CHECK(trend["doubling_days"].toDouble() == Approx(113.67).margin(0.05));
    CHECK(trend["fitted_models"].toArray().size() == 8);
}

TEST_CASE("fit --law densing two-step mode recovers densities and 95-day doubling",
          "[cli][densing]") {
    // densing_two_step.csv was generated from a = 50, alpha = 0.3, b = 80, beta = 0.25,
    // c = 0.8, gamma = -8, l = 0.5, d = 0.2 and targets with rho = 0.5 exp(0.0073 t).
    const auto r = runCli({"fit", "--law", "densing", "--input",
                           SCALELENS_TEST_DATA_DIR "/densing_two_step.csv", "--benchmark", "mmlu",
                           "--two-step", "--bootstrap", "0", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    CHECK(root["loss_law"]["alpha"].toDouble() == Approx(0.3).epsilon(1e-4));
    CHECK(root["score_map"]["gamma"].toDouble() == Approx(-8.0).epsilon(1e-4));
    const auto models = root["models"].toArray();
    REQUIRE(models.size() == 5);
    CHECK(models[0].toObject()["density"].toDouble() == Approx(0.5).epsilon(1e-4));
    CHECK(root["trend"]["A_per_day"].toDouble() == Approx(0.0073).epsilon(1e-4));
    CHECK(root["trend"]["doubling_days"].toDouble() == Approx(94.95).margin(0.05));
}

TEST_CASE("fit --law average-param on the shipped sparse example", "[cli][avgparam]") {
    // datasets/examples/sparse_runs.csv: 30 runs (24 pruned) generated from the Besiroglu
    // et al. law with N -> N-bar and 1% noise; N-bar must explain them better than final N.
    const auto r = runCli({"fit", "--law", "average-param", "--input",
                           SCALELENS_SOURCE_DIR "/datasets/examples/sparse_runs.csv", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    CHECK(root["n_runs"].toInt() == 30);
    CHECK(root["sparse_runs"].toInt() == 24);
    const double avg = root["average"]["diagnostics"]["rmse_log"].toDouble();
    const double fin = root["final"]["diagnostics"]["rmse_log"].toDouble();
    CHECK(avg < fin);
    CHECK(avg < 0.02);  // 1% noise
    // Three sizes with 1% noise do not pin alpha down; the per-run N-bar must come from the
    // file's avg_params column (the step-average the generator used).
    const auto runs = root["runs"].toArray();
    REQUIRE(runs.size() == 30);
    CHECK(runs[1].toObject()["n_avg_source"].toString() == "avg_params column");
}

TEST_CASE("fit --law densing reads a project as well as a CSV", "[cli][densing]") {
    SCALELENS_REQUIRE_SHARED("model-zoo/base_models.csv");
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString project = dir.filePath("zoo.scalelens");
    auto imp = runCli({"import", SCALELENS_SHARED_DIR "/datasets/model-zoo/base_models.csv",
                       "--project", project});
    REQUIRE(imp.exitCode == 0);
    const auto r = runCli({"fit", "--law", "densing", "--project", project, "--benchmark", "mmlu",
                           "--reference", "^LLaMA-", "--bootstrap", "0", "--json"});
    REQUIRE(r.exitCode == 0);
    // Same numbers as from the CSV (113.67 days).
    const auto root = parseJson(r);
    CHECK(root["trend"]["doubling_days"].toDouble() == Approx(113.67).margin(0.05));

    const auto both = runCli({"fit", "--law", "densing", "--project", project, "--input", "x.csv",
                              "--benchmark", "mmlu", "--reference", "^LLaMA-"});
    CHECK(both.exitCode == 2);
    CHECK(both.err.contains("give exactly one of --input CSV or --project FILE"));
}

TEST_CASE("fit --law average-param from logged parameter-count curves", "[cli][avgparam]") {
    // sparse_trajectories.csv (long format, generated): 12 runs logging nonzero_params every 5
    // steps, 6 pruned geometrically to 50% between steps 25 and 75, loss from
    // L = 1.8 + 400/Nbar^0.34 + 2000/D^0.36 with Nbar the step average of the logged curve.
    const auto r =
        runCli({"fit", "--law", "average-param", "--input",
                SCALELENS_TEST_DATA_DIR "/sparse_trajectories.csv", "--format", "long", "--json"});
    REQUIRE(r.exitCode == 0);
    const auto root = parseJson(r);
    CHECK(root["sparse_runs"].toInt() == 6);
    const auto runs = root["runs"].toArray();
    REQUIRE(runs.size() == 12);
    // Generator's N-bar for n6e+07-20x-s50 (value holds until the next log point).
    CHECK(runs[1].toObject()["n_avg"].toDouble() == Approx(44189608.8184471).epsilon(1e-12));
    CHECK(runs[1].toObject()["n_final"].toDouble() == Approx(3e7));
    const auto p = root["average"]["params"].toObject();
    CHECK(p["alpha"]["value"].toDouble() == Approx(0.34).epsilon(1e-4));
    CHECK(p["E"]["value"].toDouble() == Approx(1.8).epsilon(1e-4));
    CHECK(root["final"]["diagnostics"]["rmse_log"].toDouble() > 0.005);
}
