// Views select runs as the fits do (analysis/run_table.h): a run tagged stopped mid-schedule
// or excluded leaves the view exactly as it leaves `scalelens-cli fit`.
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QTemporaryDir>

#include <analysis/law_inputs.h>
#include <analysis/run_table.h>

#include "scalelens_catch.h"

using namespace scalelens;

namespace {

std::size_t pointsIn(const ui::PlotView& view, int panel, const QStringList& names) {
    std::size_t n = 0;
    for (int s = 0; s < view.seriesCount(); ++s)
        if (view.seriesPanel(s) == panel && names.contains(view.seriesName(s)))
            n += view.pointCount(s);
    return n;
}

std::size_t avgParamViewRuns(const data::Project& project) {
    ui::ViewContext ctx;
    ctx.project = &project;
    ui::PlotView view;
    QString error;
    REQUIRE(ui::buildView(QStringLiteral("avg-param-collapse"), ctx, &view, &error));
    return pointsIn(view, 0,
                    {QStringLiteral("dense runs"), QStringLiteral("sparse (pruned) runs")});
}

// Rows of the average-parameter fit of the sparse group (`fit --law average-param --group`).
std::size_t avgParamFitRuns(const data::Project& project) {
    analysis::Selection selection;
    selection.group = data::kSparseGroup;
    analysis::RunTable table;
    std::string error;
    REQUIRE(analysis::loadRunTable(project, selection, &table, &error));
    analysis::AvgParamInputs in;
    REQUIRE(analysis::avgParamInputs(table, analysis::kDefaultParamsMetric, &in, &error));
    return in.size();
}

}  // namespace

TEST_CASE("e2e views: the average-parameter view leaves out stopped runs as the fit does",
          "[e2e][views]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string error;
    REQUIRE(data::createExampleProject(path, &error));
    auto project = data::Project::open(path, &error);
    REQUIRE(project);
    const std::size_t before = avgParamViewRuns(*project);
    REQUIRE(before >= 6);
    CHECK(before == avgParamFitRuns(*project));

    // Tag one pruned run stopped mid-schedule (as an import that saw its LR end early would).
    data::Run stopped;
    for (const data::Run& r : project->runs())
        if (r.group == data::kSparseGroup && !r.sparsitySchedule.empty()) {
            stopped = r;
            break;
        }
    REQUIRE(stopped.id != 0);
    stopped.tags.push_back(data::kStoppedMidScheduleTag);
    REQUIRE(project->updateRun(stopped, &error));
    CHECK(avgParamViewRuns(*project) == before - 1);
    CHECK(avgParamFitRuns(*project) == before - 1);
}

TEST_CASE("e2e views: the knowledge view leaves out stopped runs as the fit does", "[e2e][views]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string error;
    REQUIRE(data::createExampleProject(path, &error));
    auto project = data::Project::open(path, &error);
    REQUIRE(project);
    auto measured = [&] {
        ui::ViewContext ctx;
        ctx.project = project.get();
        ui::PlotView view;
        QString why;
        REQUIRE(ui::buildView(QStringLiteral("knowledge-bits"), ctx, &view, &why));
        std::size_t n = 0;
        for (int s = 0; s < view.seriesCount(); ++s)
            if (view.seriesName(s).startsWith(QStringLiteral("measured (")))
                n += view.pointCount(s);
        return n;
    };
    auto fitted = [&] {
        analysis::RunTable table;
        std::string e;
        REQUIRE(analysis::loadRunTable(*project, {}, &table, &e));
        return analysis::knowledgeInputs(table).size();
    };
    const std::size_t before = measured();
    REQUIRE(before >= 3);
    CHECK(before == fitted());
    data::Run stopped;
    for (const data::Run& r : project->runs())
        if (r.group == data::kKnowledgeGroup) {
            stopped = r;
            break;
        }
    REQUIRE(stopped.id != 0);
    stopped.tags.push_back(data::kStoppedMidScheduleTag);
    REQUIRE(project->updateRun(stopped, &error));
    CHECK(measured() == before - 1);
    CHECK(fitted() == before - 1);
}
