// The training-curves view (issue 12 item 3): any metric (LR included), several at once on
// twin axes when units differ, x by step / tokens / FLOPs / wall time, TensorBoard-style EMA,
// every run drawn with colour by a run field; and the loss metric named by every view.
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include <analysis/loss_metric.h>
#include <datasets/project.h>

#include "scalelens_catch.h"
#include "sweep_logs.h"
#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_views.h"

using namespace scalelens;
using namespace scalelens::ui;

namespace {

struct SweepProject {
    QTemporaryDir dir;
    std::vector<test::SweepRun> runs;
    std::unique_ptr<data::Project> project;
};

std::unique_ptr<SweepProject> importSweep(int sizes, int budgets) {
    auto s = std::make_unique<SweepProject>();
    s->runs = test::makeSweep(sizes, budgets);
    const std::filesystem::path steps = s->dir.filePath(QStringLiteral("steps.csv")).toStdString();
    test::writeSweepSteps(steps, s->runs);
    std::string error;
    s->project =
        data::Project::create(s->dir.filePath(QStringLiteral("p.scalelens")).toStdString(), &error);
    REQUIRE(s->project);
    data::ImportReport report;
    INFO(error);
    REQUIRE(s->project->importFile(steps.string(), {}, &report, &error));
    return s;
}

// A one-run project from CSV text.
std::unique_ptr<SweepProject> importText(const std::string& csv) {
    auto s = std::make_unique<SweepProject>();
    const std::string path = s->dir.filePath(QStringLiteral("c.csv")).toStdString();
    std::ofstream(path) << csv;
    std::string error;
    s->project =
        data::Project::create(s->dir.filePath(QStringLiteral("p.scalelens")).toStdString(), &error);
    REQUIRE(s->project);
    data::ImportReport report;
    INFO(error);
    REQUIRE(s->project->importFile(path, {}, &report, &error));
    return s;
}

int seriesNamed(const PlotView& view, const QString& name) {
    for (int i = 0; i < view.seriesCount(); ++i)
        if (view.seriesName(i) == name)
            return i;
    return -1;
}

void build(const ViewContext& ctx, PlotView* view, const QString& id = "training-curves") {
    view->resize(1200, 800);
    QString error;
    REQUIRE(buildView(id, ctx, view, &error));
}

}  // namespace

TEST_CASE("training curves: the metric list holds every metric, LR included", "[curves]") {
    auto s = importSweep(4, 3);
    const QStringList metrics = trainingCurveMetrics(*s->project);
    CHECK(metrics.size() == static_cast<int>(s->project->metricNames().size()));
    for (const char* m : {"lr", "train_loss", "val_loss"})
        CHECK(metrics.contains(QString::fromLatin1(m)));
    // Each metric alone draws every run (12) against tokens.
    for (const QString& m : metrics) {
        INFO(m.toStdString());
        ViewContext ctx;
        ctx.project = s->project.get();
        ctx.metrics = {m};
        ctx.smoothing = 0;
        PlotView view;
        build(ctx, &view);
        CHECK(view.seriesCount() == 12);
        CHECK(view.notes(0).contains(QStringLiteral("12 runs")));
    }
}

TEST_CASE("training curves: x by tokens uses the tokens of each row", "[curves]") {
    auto s = importSweep(4, 3);
    ViewContext ctx;
    ctx.project = s->project.get();
    ctx.metrics = {QStringLiteral("val_loss")};
    ctx.smoothing = 0;
    ctx.selectedRunIds = {s->project->runs().front().id};
    const data::Run run = s->project->runs().front();
    const test::SweepRun* gen = nullptr;
    for (const auto& r : s->runs)
        if (r.name == run.name)
            gen = &r;
    REQUIRE(gen);
    PlotView view;
    build(ctx, &view);
    CHECK(view.axisTitle(0, Qt::Horizontal) == QStringLiteral("tokens"));
    CHECK(view.axisTitle(0, Qt::Vertical) == QStringLiteral("validation loss (nats/token)"));
    const int id = seriesNamed(view, QString::fromStdString(run.name));
    REQUIRE(id >= 0);
    // val_loss is logged at every fourth row and the last: tokens = step x batch tokens.
    const auto steps = test::sweepSteps(*gen);
    std::vector<double> expected;
    for (std::size_t i = 0; i < steps.size(); ++i)
        // (Step 0 has 0 tokens: not placeable on the log tokens axis, so not drawn.)
        if (test::sweepEvalRow(i, steps.size()) && test::sweepTokens(*gen, steps[i]) > 0)
            expected.push_back(test::sweepTokens(*gen, steps[i]));
    REQUIRE(view.seriesX(id).size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        CHECK(view.seriesX(id)[i] == Approx(expected[i]).epsilon(1e-8));

    // By step: the step column; by FLOPs: 6 N tokens as logged; by wall time: hours.
    ctx.curveAxis = CurveAxis::Step;
    build(ctx, &view);
    CHECK(view.axisTitle(0, Qt::Horizontal) == QStringLiteral("step"));
    CHECK(view.seriesX(seriesNamed(view, QString::fromStdString(run.name))).back() ==
          Approx(static_cast<double>(gen->lastStep)));
    ctx.curveAxis = CurveAxis::Flops;
    build(ctx, &view);
    CHECK(view.seriesX(seriesNamed(view, QString::fromStdString(run.name))).back() ==
          Approx(6.0 * gen->params * test::sweepTokens(*gen, gen->lastStep)).epsilon(1e-8));
    ctx.curveAxis = CurveAxis::WallTime;
    build(ctx, &view);
    CHECK(view.axisTitle(0, Qt::Horizontal) == QStringLiteral("wall time (h)"));
    CHECK(view.seriesX(seriesNamed(view, QString::fromStdString(run.name))).back() ==
          Approx(test::sweepWallSeconds(*gen, gen->lastStep) / 3600.0).epsilon(1e-8));
}

TEST_CASE("training curves: a run without the chosen x axis is named, not drawn", "[curves]") {
    auto s = importText("run,step,tokens,loss\nr1,0,0,4\nr1,10,100,3\nr1,20,200,2.5\n");
    ViewContext ctx;
    ctx.project = s->project.get();
    ctx.curveAxis = CurveAxis::WallTime;
    PlotView view;
    build(ctx, &view);
    CHECK(view.seriesCount() == 0);
    CHECK(view.notes(0).contains(QStringLiteral("1 runs have no wall time: not drawn (r1)")));
}

TEST_CASE("training curves: a run with one value is not a curve and not reported as lacking",
          "[curves]") {
    // r2 has only its final loss (as a summary file gives it): nothing to draw, nothing missing.
    auto s = importText("run,step,tokens,loss\nr1,10,100,3\nr1,20,200,2.5\nr2,30,300,2.4\n");
    ViewContext ctx;
    ctx.project = s->project.get();
    ctx.curveAxis = CurveAxis::WallTime;
    PlotView view;
    build(ctx, &view);
    CHECK(view.notes(0).contains(QStringLiteral("1 runs have no wall time: not drawn (r1)")));
    ctx.curveAxis = CurveAxis::Tokens;
    ctx.smoothing = 0;  // one line per curve (no faint raw line under a smoothed one)
    PlotView byTokens;
    build(ctx, &byTokens);
    CHECK(byTokens.seriesCount() == 1);
    CHECK_FALSE(byTokens.notes(0).contains(QStringLiteral("have no")));
}

TEST_CASE("training curves: smoothing is TensorBoard's debiased EMA", "[curves]") {
    auto s = importText("run,step,loss\nr1,0,1\nr1,1,2\nr1,2,3\nr1,3,4\n");
    ViewContext ctx;
    ctx.project = s->project.get();
    ctx.curveAxis = CurveAxis::Step;
    ctx.smoothing = 0.5;
    PlotView view;
    build(ctx, &view);
    // Hand-computed: last_k = 0.5 last_{k-1} + 0.5 v_k, shown / (1 - 0.5^k).
    const std::vector<double> expected = {1.0, 1.25 / 0.75, 2.125 / 0.875, 3.0625 / 0.9375};
    const int smooth = seriesNamed(view, QStringLiteral("r1"));
    const int raw = seriesNamed(view, QStringLiteral("r1 (raw)"));
    REQUIRE(smooth >= 0);
    REQUIRE(raw >= 0);
    REQUIRE(view.seriesY(smooth).size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(view.seriesY(smooth)[i] == Approx(expected[i]).epsilon(1e-12));
        CHECK(view.seriesY(raw)[i] == Approx(static_cast<double>(i + 1)));
    }
    CHECK(expected[3] == Approx(49.0 / 15.0));
    // 0.999 (the GUI's maximum) is valid; 1 is not.
    ctx.smoothing = 0.999;
    build(ctx, &view);
    CHECK(view.seriesY(seriesNamed(view, QStringLiteral("r1")))[1] ==
          Approx((0.999 * 0.001 * 1 + 0.001 * 2) / (1 - 0.999 * 0.999)));
}

TEST_CASE("training curves: more than 24 runs are all drawn, coloured by N with a bar",
          "[curves]") {
    auto s = importSweep(6, 5);  // 30 runs
    ViewContext ctx;
    ctx.project = s->project.get();
    PlotView view;
    build(ctx, &view);
    std::set<QString> names;
    for (int i = 0; i < view.seriesCount(); ++i) {
        names.insert(view.seriesName(i));
        CHECK(view.displayedPointCount(i) > 0);
    }
    CHECK(names.size() == 30);
    CHECK(view.colorScaleActive(0));
    CHECK_FALSE(view.notes(0).contains(QStringLiteral("not shown")));
    // Colour follows N: the smallest and largest models differ, equal N share a colour.
    const auto runs = s->project->runs();
    // (N is derived from the curves here, C / 6D, so runs of one size agree to rounding.)
    std::map<long, std::set<QRgb>> byN;
    for (const data::Run& r : runs)
        byN[std::lround(*r.totalParams / 1e5)].insert(
            view.seriesColor(seriesNamed(view, QString::fromStdString(r.name))).rgb());
    CHECK(byN.size() == 6);
    for (const auto& [n, colors] : byN)
        CHECK(colors.size() == 1);
    CHECK(*byN.begin()->second.begin() != *byN.rbegin()->second.begin());

    // Few runs: categorical colours, a legend, no colour bar.
    ctx.selectedRunIds = {runs[0].id, runs[1].id, runs[2].id};
    build(ctx, &view);
    CHECK_FALSE(view.colorScaleActive(0));
    std::set<QRgb> colors;
    for (const data::Run& r : {runs[0], runs[1], runs[2]})
        colors.insert(view.seriesColor(seriesNamed(view, QString::fromStdString(r.name))).rgb());
    CHECK(colors.size() == 3);
}

TEST_CASE("training curves: twin axes when units differ, one axis when they agree", "[curves]") {
    auto s = importSweep(4, 3);
    ViewContext ctx;
    ctx.project = s->project.get();
    ctx.metrics = {QStringLiteral("val_loss"), QStringLiteral("lr")};
    ctx.smoothing = 0;
    PlotView view;
    build(ctx, &view);
    CHECK(view.hasSecondaryAxis(0));
    CHECK(view.axisTitle(0, Qt::Vertical) == QStringLiteral("validation loss (nats/token)"));
    CHECK(view.secondaryAxisTitle(0) == QStringLiteral("learning rate"));
    CHECK(view.seriesCount() == 24);
    CHECK(view.notes(0).contains(QStringLiteral("dashed: lr (right axis)")));
    // The LR curves are mapped onto the loss axis' range: peak LR near its top, not at 1e-3.
    const PlotRange range = view.dataRange(0);
    const data::Run run = s->project->runs().front();
    const int lr = seriesNamed(view, QString::fromStdString(run.name) + QStringLiteral(" · lr"));
    REQUIRE(lr >= 0);
    const auto& y = view.seriesY(lr);
    const double top = *std::max_element(y.begin(), y.end());
    CHECK(top >= range.yMin);
    CHECK(top <= range.yMax);
    CHECK(top > 1.0);  // a loss-axis value (nats), not an LR

    // Two losses share one axis.
    ctx.metrics = {QStringLiteral("train_loss"), QStringLiteral("val_loss")};
    build(ctx, &view);
    CHECK_FALSE(view.hasSecondaryAxis(0));
    CHECK(view.axisTitle(0, Qt::Vertical) == QStringLiteral("loss (nats/token)"));
    // LR alone: its own axis title, never smoothed.
    ctx.metrics = {QStringLiteral("lr")};
    ctx.smoothing = 0.9;
    build(ctx, &view);
    CHECK(view.axisTitle(0, Qt::Vertical) == QStringLiteral("learning rate"));
    CHECK(seriesNamed(view, QString::fromStdString(run.name) + QStringLiteral(" (raw)")) < 0);
}

TEST_CASE("every view that reads losses names the loss metric in use", "[curves][views]") {
    auto s = importSweep(4, 3);
    for (const std::string chosen : {"", "train_loss"}) {
        std::string error;
        REQUIRE(analysis::setLossMetric(*s->project, chosen, &error));
        const QString expected = QString::fromStdString(analysis::lossMetric(*s->project).name);
        CHECK(expected == QString::fromStdString(chosen.empty() ? "val_loss" : chosen));
        ViewContext ctx;
        ctx.project = s->project.get();
        ctx.fitOnTheFly = false;
        for (const ViewInfo& info : viewCatalog()) {
            if (info.id == QLatin1String("density-over-time") ||
                info.id == QLatin1String("knowledge-bits"))
                continue;
            INFO(info.id.toStdString() << " with " << expected.toStdString());
            PlotView view;
            build(ctx, &view, info.id);
            QString all;
            for (int p = 0; p < view.panelCount(); ++p)
                all += view.panelTitle(p) + QLatin1Char('\n') + view.notes(p) + QLatin1Char('\n');
            INFO(all.toStdString());
            if (info.id == QLatin1String("curve-forecast")) {
                // One run's curve of the metric: its loss axis names it.
                CHECK(view.axisTitle(0, Qt::Vertical) == QStringLiteral("Loss (%1)").arg(expected));
                continue;
            }
            CHECK(all.contains(QStringLiteral("loss metric"), Qt::CaseInsensitive));
            CHECK(all.contains(expected));
        }
    }
}
