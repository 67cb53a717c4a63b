// TensorBoard, W&B and MLflow importers.
#include <cmath>

#include "scalelens_catch.h"
#include "test_helpers.h"

using namespace scalelens;
using data::ImportFormat;

TEST_CASE("TensorBoard scalar export: run and tag from the file name", "[import][tensorboard]") {
    const auto r = data::parseImport(test::fixture("run-tiny-lm-tag-train_loss.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::TensorBoard);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].name == "tiny-lm");
    CHECK(r.metricNames == std::vector<std::string>{"train_loss"});
    CHECK(r.metrics.step == std::vector<double>{0, 50, 100});
    CHECK(r.metrics.value == std::vector<double>{9.5, 6.25, 5.0});
    CHECK(r.metrics.wallTime[1] == 1700000010.25);
}

TEST_CASE("W&B history export: _step, _runtime, sparse metric cells", "[import][wandb]") {
    data::ImportConfig config;
    config.runName = "wandb-run";
    const auto r = data::parseImport(test::fixture("wandb_history.csv"), config);
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::WandB);
    REQUIRE(r.runs.size() == 1);
    CHECK(r.runs[0].name == "wandb-run");
    CHECK(r.metricNames == std::vector<std::string>{"train/loss", "val/loss"});
    REQUIRE(r.metrics.size() == 4);       // three train/loss rows, one val/loss row
    CHECK(r.metrics.wallTime[0] == 1.5);  // _runtime, not _timestamp
    CHECK(r.metrics.step[3] == 2);
    CHECK(r.metrics.value[3] == 7.25);
    // Without a run name the file name names the run.
    const auto unnamed = data::parseImport(test::fixture("wandb_history.csv"), {});
    CHECK(unnamed.runs[0].name == "wandb_history");
}

TEST_CASE("MLflow mlruns folder: runs, names, params, nested metric keys", "[import][mlflow]") {
    const auto r = data::parseImport(test::fixture("mlruns"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::MLflow);
    CHECK(r.source.sha256.size() == 64);
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "warm-cosine");  // tags/mlflow.runName
    CHECK(r.runs[0].group == "lr-sweep");    // experiment meta.yaml
    CHECK(*r.runs[0].peakLr == 3e-4);        // params/learning_rate
    CHECK(r.runs[1].name == "77b0e1");       // no runName tag: the run id
    CHECK(r.metricNames == std::vector<std::string>{"loss", "val/loss"});
    REQUIRE(r.metrics.size() == 6);
    CHECK(r.metrics.wallTime[1] == 1700000060.0);  // milliseconds -> seconds
    CHECK(r.metrics.step[2] == 200);
    CHECK(r.metrics.value[2] == 3.75);

    // Also from one run folder, and re-importing the folder is detected.
    const auto one = data::parseImport(test::fixture("mlruns/1/3f2a9c"), {});
    REQUIRE(one.ok);
    CHECK(one.runs.size() == 1);
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(p->importFile(test::fixture("mlruns"), {}, &report, &error));
    CHECK(report.runsAdded == 2);
    CHECK(report.metricRows == 6);
    const auto fingerprint = p->dataFingerprint();
    REQUIRE(p->importFile(test::fixture("mlruns"), {}, &report, &error));
    CHECK(report.duplicateOfImport != 0);
    CHECK(p->dataFingerprint() == fingerprint);
    CHECK(p->imports().size() == 1);
}

TEST_CASE("forcing a format overrides detection", "[import][format]") {
    data::ImportConfig config;
    config.format = ImportFormat::Wide;
    config.metricName = "train_loss";
    const auto r = data::parseImport(test::fixture("wandb_history.csv"), config);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::Wide);
    // Each non-axis numeric column is a run in a wide file.
    CHECK(r.runs.size() == 2);
    CHECK(r.metricNames == std::vector<std::string>{"train_loss"});
}

TEST_CASE("W&B chart export: '<run> - <metric>' columns, __MIN/__MAX skipped", "[import][wandb]") {
    const auto r = data::parseImport(test::fixture("wandb_chart.csv"), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::WandB);
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "lr-3e-4");
    CHECK(r.runs[1].name == "lr-1e-3");
    CHECK(r.metricNames == std::vector<std::string>{"train/loss"});
    CHECK(r.metrics.size() == 3);  // 2 + 1 (empty cell skipped)
}

TEST_CASE("applyImport refuses a failed parse and writes nothing", "[import][errors]") {
    test::TempDir tmp;
    auto p = test::newProject(tmp);
    const auto bad = data::parseImport(test::fixture("bad_number.csv"), {});
    REQUIRE_FALSE(bad.ok);
    std::string error;
    data::ImportReport report;
    CHECK_FALSE(p->applyImport(bad, &report, &error));
    CHECK(error == "bad_number.csv:4:6: expected a number in column 'value', got 'abc'");
    CHECK(p->runs().empty());
    CHECK(p->imports().empty());
}
