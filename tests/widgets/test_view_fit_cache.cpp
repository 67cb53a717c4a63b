// The project document's cache of fits the views compute on the fly: typed entries, emptied
// before the document announces a data change, results of older data never stored.
#include <widgets/document/project_document.h>
#include <widgets/document/view_fit_cache.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QTemporaryDir>
#include <QUndoStack>
#include <memory>

#include <datasets/examples.h>
#include <datasets/project.h>

#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;
using namespace scalelens::ui;

namespace {

fit::FitResult fitWithObjective(double e) {
    fit::FitResult r;
    r.objective = e;
    return r;
}

}  // namespace

TEST_CASE("view fit cache: typed entries by key, cleared data is never stored again",
          "[views][cache]") {
    ViewFitCache cache;
    const ViewFitKey sweepA{"loss", "sweep-a", 0.0};
    const ViewFitKey sweepB{"loss", "sweep-b", 0.0};
    const ViewFitKey otherMetric{"val_loss", "sweep-a", 0.0};

    const ViewFitCache::Generation g0 = cache.generation();
    cache.store<fit::FitResult>(g0, sweepA, fitWithObjective(1.69));
    REQUIRE(cache.find<fit::FitResult>(sweepA));
    CHECK(cache.find<fit::FitResult>(sweepA)->objective == 1.69);
    CHECK_FALSE(cache.find<fit::FitResult>(sweepB));
    CHECK_FALSE(cache.find<fit::FitResult>(otherMetric));
    // Each result type has its own entries.
    CHECK_FALSE(cache.find<fit::BacktestResult>(sweepA));
    CHECK(cache.size<fit::BacktestResult>() == 0);

    cache.clear();
    CHECK(cache.generation() != g0);
    CHECK_FALSE(cache.find<fit::FitResult>(sweepA));
    // A worker that read the data before the clear finishes after it: its result is dropped.
    cache.store<fit::FitResult>(g0, sweepA, fitWithObjective(1.0));
    CHECK_FALSE(cache.find<fit::FitResult>(sweepA));
    cache.store<fit::FitResult>(cache.generation(), sweepA, fitWithObjective(1.8));
    REQUIRE(cache.find<fit::FitResult>(sweepA));
    CHECK(cache.find<fit::FitResult>(sweepA)->objective == 1.8);
}

TEST_CASE("view fit cache: the document empties it before announcing an edit or an import",
          "[views][cache]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    std::string error;
    const std::string path = testing::makeTwoSweepsProject(dir, &error);
    INFO(error);
    REQUIRE(!path.empty());
    ProjectDocument doc;
    QString message;
    REQUIRE(doc.open(QString::fromStdString(path), &message));
    const std::shared_ptr<ViewFitCache> cache = doc.viewFitCache();
    REQUIRE(cache);

    const ViewFitKey key{"loss", "sweep-a", 0.0};
    auto fill = [&] {
        cache->store<fit::FitResult>(cache->generation(), key, fitWithObjective(2.0));
    };
    // Every slot of every change signal sees an empty cache (it may redraw at once).
    int checked = 0;
    auto expectEmpty = [&] {
        CHECK(cache->size<fit::FitResult>() == 0);
        ++checked;
    };
    QObject::connect(&doc, &ProjectDocument::runsChanged, expectEmpty);
    QObject::connect(&doc, &ProjectDocument::metricsChanged, expectEmpty);
    QObject::connect(&doc, &ProjectDocument::dataChanged, expectEmpty);

    fill();
    doc.setRunsExcluded({testing::runIdByName(*doc.project(), "a1")}, true);
    CHECK(checked >= 2);

    fill();
    checked = 0;
    doc.undoStack()->undo();
    CHECK(checked >= 2);

    fill();
    checked = 0;
    doc.notifyImported();
    CHECK(checked >= 3);

    // Another project: the same cache object, emptied.
    fill();
    checked = 0;
    REQUIRE(doc.open(QString::fromStdString(path), &message));
    CHECK(checked >= 3);
    CHECK(doc.viewFitCache() == cache);
}

TEST_CASE("views keep on-the-fly fits in the context's cache and reuse them", "[views][cache]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string error;
    REQUIRE(data::createExampleProject(path, &error));
    auto project = data::Project::open(path, &error);
    REQUIRE(project);

    auto cache = std::make_shared<ViewFitCache>();
    ViewContext ctx;
    ctx.project = project.get();
    ctx.useFitCache(cache);
    QString why;
    PlotView first;
    REQUIRE(buildView(QStringLiteral("loss-vs-compute"), ctx, &first, &why));
    CHECK(first.notes(0).contains(QStringLiteral("fitted now")));
    REQUIRE(cache->size<fit::FitResult>() == 1);

    // A second view of the same sweep draws the same fit without fitting again.
    PlotView second;
    REQUIRE(buildView(QStringLiteral("loss-vs-n-d"), ctx, &second, &why));
    CHECK(cache->size<fit::FitResult>() == 1);
    // The residual view adds its back-test, a result of another type.
    PlotView residuals;
    REQUIRE(buildView(QStringLiteral("residuals"), ctx, &residuals, &why));
    CHECK(cache->size<fit::FitResult>() == 1);
    CHECK(cache->size<fit::BacktestResult>() == 1);

    // Without a cache the view still draws (the command line renders once).
    ViewContext bare;
    bare.project = project.get();
    PlotView uncached;
    REQUIRE(buildView(QStringLiteral("loss-vs-compute"), bare, &uncached, &why));
    CHECK(uncached.notes(0).contains(QStringLiteral("fitted now")));
    CHECK(cache->size<fit::FitResult>() == 1);
}
