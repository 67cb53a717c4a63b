// Views that fit a law on the fly get their fit on a worker thread: an edit never makes the
// GUI thread run a grid fit, and the view draws once the fit is ready.
#include <widgets/document/project_document.h>
#include <widgets/plot/plot_view.h>
#include <widgets/runs/runs_model.h>
#include <widgets/runs/runs_panel.h>
#include <QFile>
#include <QStandardPaths>

#include "app_settings.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

TEST_CASE("an edit refits loss-vs-compute in the background, then redraws", "[main_window]") {
    QStandardPaths::setTestModeEnabled(true);
    for (const char* suffix : {"", "-wal", "-shm"})
        QFile::remove(app::settings::exampleProjectPath() + QLatin1String(suffix));
    app::MainWindow window;
    window.restoreSettings(false);
    QString error;
    REQUIRE(window.openExampleProject(&error));
    window.show();
    app::PlotTabs* tabs = window.plotTabs();
    REQUIRE(tabs->showView(QStringLiteral("loss-vs-compute")));
    tabs->rebuildCurrentNow();  // the synchronous path still draws at once (tests, screenshots)
    REQUIRE(tabs->lastError().isEmpty());
    ui::PlotView* view = tabs->currentPlotView();
    REQUIRE(view != nullptr);
    CHECK(view->notes(0).contains(QStringLiteral("fitted now")));

    // Excluding a run empties the document's cache of on-the-fly fits: the fit runs again.
    const int builds = tabs->buildCount();
    const QModelIndex group = window.runsPanel()->model()->index(0, 0);
    const QModelIndex run = window.runsPanel()->model()->index(0, 0, group);
    REQUIRE(window.runsPanel()->model()->setData(run, Qt::Unchecked, Qt::CheckStateRole));
    // The rebuild timer fires on the next event-loop pass and starts the worker instead of
    // drawing: the build count stays put and the view says what is happening.
    REQUIRE(testing::waitFor([&] {
        return view->notes(0).contains(QStringLiteral("Fitting the law in the background"));
    }));
    CHECK(tabs->buildCount() == builds);
    REQUIRE(testing::waitFor([&] { return tabs->buildCount() > builds; }, 60000));
    CHECK(tabs->lastError().isEmpty());
    CHECK(view->notes(0).contains(QStringLiteral("fitted now to 73 runs")));
    CHECK_FALSE(view->notes(0).contains(QStringLiteral("Fitting the law in the background")));
    window.close();
}
