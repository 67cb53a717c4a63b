// The files a real sweep leaves behind (tests/datasets/data/reallogs, written by generate.py):
// a per-step CSV, a per-run summary CSV and a TensorBoard folder of the same runs end up as one
// run each, with fields derived from the curves, conflicts reported, stopped runs tagged and
// column mappings that fail well.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "scalelens_catch.h"
#include "tensorboard_writer.h"
#include "test_helpers.h"

using namespace scalelens;
namespace fs = std::filesystem;

namespace {
std::string sweep(const std::string& name) {
    return test::fixture("reallogs/" + name);
}

data::Run runNamed(const data::Project& p, const std::string& name) {
    for (const auto& r : p.runs())
        if (r.name == name)
            return r;
    throw std::runtime_error("no run " + name);
}

bool stopped(const data::Run& r) {
    return std::find(r.tags.begin(), r.tags.end(), data::kStoppedMidScheduleTag) != r.tags.end();
}

bool hasWarning(const data::ImportReport& report, const std::string& part) {
    return std::any_of(report.warnings.begin(), report.warnings.end(),
                       [&](const auto& w) { return w.message.find(part) != std::string::npos; });
}

constexpr double kBatch = 64 * 256;  // tokens per step in generate.py
}  // namespace

TEST_CASE("per-step CSV: D, C, N and peak LR derived from the curves, LR curve kept",
          "[import][reallogs]") {
    test::TempDir tmp;
    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(project->importFile(sweep("sweep_steps.csv"), {}, &report, &error));
    INFO(error);
    CHECK(report.runsAdded == 5);
    CHECK(report.fieldsDerived > 0);

    const auto s1 = runNamed(*project, "gpt-s1");
    // Peak LR is the maximum of the schedule, not the first logged (warm-up) value, 17x lower.
    REQUIRE(s1.peakLr);
    CHECK(*s1.peakLr == Approx(1.2e-3).epsilon(1e-9));
    CHECK(s1.isDerived(data::RunField::PeakLr));
    CHECK(project->metrics(s1.id, "lr").size() == 9);  // steps 0, 50, ..., 400
    // D and C at the last val_loss evaluation (step 400); N = C / (6D).
    REQUIRE(s1.tokens);
    CHECK(*s1.tokens == 400 * kBatch);
    CHECK(s1.isDerived(data::RunField::Tokens));
    REQUIRE(s1.flops);
    CHECK(*s1.flops == Approx(6 * 2e6 * 400 * kBatch).epsilon(1e-6));
    REQUIRE(s1.totalParams);
    CHECK(*s1.totalParams == Approx(2e6).epsilon(1e-5));
    CHECK(s1.isDerived(data::RunField::TotalParams));
    // wall_time_s is the wall-time axis, not a metric.
    const auto names = project->metricNames();
    CHECK(std::find(names.begin(), names.end(), "wall_time_s") == names.end());
    CHECK(project->metrics(s1.id, "train_loss").wallTime.back() == 200.0);

    // gpt-s4 stopped at step 650, after its last evaluation at step 600: D is the token count
    // of step 600, where its final loss was measured, not of step 650.
    const auto s4 = runNamed(*project, "gpt-s4");
    REQUIRE(s4.tokens);
    CHECK(*s4.tokens == 600 * kBatch);
    CHECK(*s4.flops == Approx(6 * 2e7 * 600 * kBatch).epsilon(1e-5));
    // Its LR ends at ~40% of its peak while the others decayed to 10%: tagged as stopped.
    CHECK(stopped(s4));
    REQUIRE(report.stoppedRuns.size() == 1);
    CHECK(report.stoppedRuns[0].find("gpt-s4") != std::string::npos);
    CHECK(report.stoppedRuns[0].find("40%") != std::string::npos);
    CHECK_FALSE(stopped(s1));
}

TEST_CASE("summary after curves: the same runs are updated, not added again",
          "[import][reallogs]") {
    test::TempDir tmp;
    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(project->importFile(sweep("sweep_steps.csv"), {}, &report, &error));
    REQUIRE(project->importFile(sweep("sweep_summary.csv"), {}, &report, &error));
    INFO(error);
    CHECK(report.runsAdded == 0);
    CHECK(report.runsUpdated == 5);
    CHECK(report.runsConflicted == 0);  // given values replace derived ones silently
    CHECK(project->runs().size() == 5);
    // `size` (s1, s2, ...) is text: never N. params_total is N, and the message says so.
    CHECK(hasWarning(report, "column 'size' looks like N but holds text ('s1')"));
    CHECK(hasWarning(report, "N: using column 'params_total'"));
    CHECK(hasWarning(report, "use --map N=params_non_embedding"));
    const auto s2 = runNamed(*project, "gpt-s2");
    CHECK(*s2.totalParams == 5e6);
    CHECK_FALSE(s2.isDerived(data::RunField::TotalParams));
    CHECK(*s2.nonEmbeddingParams == 3.6e6);
    CHECK(*s2.peakLr == 9e-4);
    CHECK_FALSE(s2.isDerived(data::RunField::PeakLr));
    CHECK(*s2.batchTokens == kBatch);
    CHECK(*s2.tokens == 400 * kBatch);  // still the curve's, derived
    CHECK(project->metrics(s2.id, "val_loss").size() == 2);
    // The status column marks gpt-s4 (already tagged from its LR curve: one tag).
    const auto s4 = runNamed(*project, "gpt-s4");
    CHECK(std::count(s4.tags.begin(), s4.tags.end(), data::kStoppedMidScheduleTag) == 1);

    // Summary first, then curves: the same five runs.
    auto other = test::newProject(tmp, "q.scalelens");
    REQUIRE(other->importFile(sweep("sweep_summary.csv"), {}, &report, &error));
    CHECK(report.runsAdded == 5);
    CHECK(stopped(runNamed(*other, "gpt-s4")));  // from the status column alone
    CHECK_FALSE(stopped(runNamed(*other, "gpt-s3")));
    REQUIRE(other->importFile(sweep("sweep_steps.csv"), {}, &report, &error));
    CHECK(report.runsAdded == 0);
    CHECK(report.runsUpdated == 5);
    CHECK(*runNamed(*other, "gpt-s1").peakLr == 1.2e-3);  // the given value stays
}

TEST_CASE("conflicting run fields are reported, --on-conflict keep or replace decides",
          "[import][reallogs]") {
    test::TempDir tmp;
    const std::string fix = tmp.path("fix.csv");
    std::ofstream(fix) << "name,peak_lr,params_total\ngpt-s2,0.002,5e6\n";
    for (const auto policy : {data::OnConflict::Keep, data::OnConflict::Replace}) {
        auto project = test::newProject(tmp, data::toString(policy) + ".scalelens");
        std::string error;
        data::ImportReport report;
        REQUIRE(project->importFile(sweep("sweep_summary.csv"), {}, &report, &error));
        data::ImportConfig config;
        config.onConflict = policy;
        REQUIRE(project->importFile(fix, config, &report, &error));
        CHECK(report.runsUpdated == 1);
        CHECK(report.runsConflicted == 1);
        REQUIRE(report.conflicts.size() == 1);  // params_total agrees
        CHECK(report.conflicts[0].find("run 'gpt-s2': peak_lr is 0.0009 in the project, 0.002 "
                                       "in this file") == 0);
        CHECK(*runNamed(*project, "gpt-s2").peakLr ==
              (policy == data::OnConflict::Keep ? 9e-4 : 2e-3));
    }
    CHECK(data::onConflictFromString("replace") == data::OnConflict::Replace);
    CHECK_FALSE(data::onConflictFromString("newest"));
}

TEST_CASE("runs match by name across groups (an MLflow experiment, a --group)",
          "[import][reallogs]") {
    test::TempDir tmp;
    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    data::ImportConfig grouped;
    grouped.group = "gpt-sweep";
    REQUIRE(project->importFile(sweep("sweep_steps.csv"), grouped, &report, &error));
    REQUIRE(project->importFile(sweep("sweep_summary.csv"), {}, &report, &error));
    CHECK(report.runsAdded == 0);
    CHECK(report.runsUpdated == 5);
    for (const auto& r : project->runs())
        CHECK(r.group == "gpt-sweep");
}

TEST_CASE("explicit mappings beat auto-detection, mapping errors name the role",
          "[import][reallogs]") {
    test::TempDir tmp;
    // A file with both `loss` and `val_loss`: --map loss=val_loss must use val_loss.
    const std::string both = tmp.path("both.csv");
    std::ofstream(both) << "run,step,tokens,loss,val_loss\na,1,100,5.0,6.0\na,2,200,4.0,4.5\n";
    data::ImportConfig config;
    config.columnMap["loss"] = "val_loss";
    const auto r = data::parseImport(both, config);
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.metricNames == std::vector<std::string>{"loss"});
    CHECK(r.metrics.value == std::vector<double>{6.0, 4.5});
    // And in a summary file.
    const std::string summary = tmp.path("summary.csv");
    std::ofstream(summary) << "name,N,D,loss,final_val_loss\na,1e6,2e7,3.5,3.75\n";
    data::ImportConfig finalLoss;
    finalLoss.columnMap["loss"] = "final_val_loss";
    const auto sr = data::parseImport(summary, finalLoss);
    REQUIRE(sr.ok);
    CHECK(sr.metricNames == std::vector<std::string>{"loss"});
    CHECK(sr.metrics.value == std::vector<double>{3.75});

    // Switching N to the non-embedding count.
    data::ImportConfig ne;
    ne.columnMap["N"] = "params_non_embedding";
    const auto nr = data::parseImport(sweep("sweep_summary.csv"), ne);
    REQUIRE(nr.ok);
    CHECK(*nr.runs[0].totalParams == 1.2e6);
    // Mapping a text column to N: the error names the role and how to map another column.
    data::ImportConfig bad;
    bad.columnMap["N"] = "size";
    const auto br = data::parseImport(sweep("sweep_summary.csv"), bad);
    CHECK_FALSE(br.ok);
    CHECK(br.error ==
          "sweep_summary.csv:2:2: expected a number in column 'size' (mapped to N), got 's1'; "
          "use --map N=<column> to map another column to N");
}

TEST_CASE("TensorBoard folder of the sweep plus its summary: one run each, D from val/loss",
          "[import][reallogs][tensorboard]") {
    test::TempDir tmp;
    const fs::path logs = tmp.path("tb");
    // gpt-s1: eval every 200 steps; gpt-s4: stopped at 650 after its eval at 600.
    for (const auto& [name, last, peak] :
         {std::tuple{"gpt-s1", 400, 1.2e-3}, std::tuple{"gpt-s4", 650, 4.5e-4},
          std::tuple{"gpt-s3", 600, 6e-4}}) {
        test::EventWriter w;
        const int total = std::string(name) == "gpt-s4" ? 1000 : last;
        for (int step = 0; step <= last; step += 50) {
            const double frac = step < 100 ? 0.0 : double(step - 100) / double(total - 100);
            const double lr = step < 100
                                  ? peak * (1 + 16 * step / 100.0) / 17
                                  : peak * (0.1 + 0.45 * (1 + std::cos(std::numbers::pi * frac)));
            w.scalar("train/lr", step, static_cast<float>(lr), 1e9 + step);
            w.scalar("train/loss", step, 5.0f - static_cast<float>(step) / 1000.0f, 1e9 + step);
            w.scalar("train/tokens", step, static_cast<float>(step * kBatch), 1e9 + step);
            if (step > 0 && step % 200 == 0)
                w.scalar("val/loss", step, 5.5f - static_cast<float>(step) / 1000.0f, 1e9 + step);
        }
        w.save(logs / name / "events.out.tfevents.1.host");
    }
    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(project->importFile(logs.string(), {}, &report, &error));
    INFO(error);
    CHECK(report.runsAdded == 3);
    const auto s4 = runNamed(*project, "gpt-s4");
    CHECK(*s4.tokens == 600 * kBatch);  // val/loss's last step, not 650
    CHECK(*s4.peakLr == Approx(4.5e-4).epsilon(1e-6));
    CHECK(stopped(s4));
    CHECK_FALSE(stopped(runNamed(*project, "gpt-s1")));
    REQUIRE(project->importFile(sweep("sweep_summary.csv"), {}, &report, &error));
    CHECK(report.runsAdded == 2);  // gpt-s2 and gpt-s5 have no TensorBoard logs here
    CHECK(report.runsUpdated == 3);
    CHECK(project->runs().size() == 5);
    const auto s1 = runNamed(*project, "gpt-s1");
    CHECK(*s1.totalParams == 2e6);
    CHECK(*s1.flops == Approx(6 * 2e6 * 400 * kBatch).epsilon(1e-6));  // 6ND, no flops logged
    CHECK(s1.isDerived(data::RunField::Flops));
}
