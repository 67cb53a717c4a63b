// Main window: opens the example project, shows its counts and views, imports dropped files,
// undoes edits made in the runs panel.
#include <datasets/examples.h>
#include <widgets/import_dialog.h>
#include <widgets/plot_views.h>
#include <widgets/project_document.h>
#include <widgets/runs_model.h>
#include <widgets/runs_panel.h>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>
#include <QUrl>

#include "app_settings.h"
#include "file_actions.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

QString fixture(const char* name) {
    return QDir(QStringLiteral(SCALELENS_TEST_DATA_DIR)).filePath(QString::fromLatin1(name));
}

// Keeps the test's settings and example project out of the user's real folders.
void useTestPaths() {
    QStandardPaths::setTestModeEnabled(true);
}

}  // namespace

TEST_CASE("main window opens the example project and shows its runs", "[main_window]") {
    useTestPaths();
    app::MainWindow window;
    window.restoreSettings(false);
    QString error;
    REQUIRE(window.openExampleProject(&error));
    const data::Project* project = window.document()->project();
    REQUIRE(project != nullptr);
    CHECK(window.document()->path() == app::settings::exampleProjectPath());

    const qint64 runs = qint64(project->runs().size());
    REQUIRE(runs > 50);  // the example has four sweeps
    window.updateCounts();
    const QString counts = window.statusCountsText();
    INFO(counts.toStdString());
    CHECK(counts.startsWith(QLocale().toString(runs) + QStringLiteral(" runs")));
    CHECK(counts.contains(QStringLiteral("metric rows")));
    CHECK(window.runsPanel()->model()->runCount() == runs);
    // The path is shown (elided in the middle when long, so the file name stays visible).
    CHECK(window.statusPathText().endsWith(QStringLiteral("example.scalelens")));

    // The four example sweeps are the groups of the runs panel.
    QStringList groups;
    for (int g = 0; g < window.runsPanel()->model()->rowCount(); ++g) {
        groups << window.runsPanel()->model()->index(g, 0).data().toString();
    }
    CHECK(groups.contains(QString::fromLatin1(data::kChinchillaGroup)));
    CHECK(groups.contains(QString::fromLatin1(data::kLrBatchGroup)));

    // One tab per catalogue view; the visible one draws without error.
    REQUIRE(window.plotTabs()->count() == int(ui::viewCatalog().size()));
    window.show();
    window.plotTabs()->rebuildCurrentNow();
    INFO(window.plotTabs()->lastError().toStdString());
    CHECK(window.plotTabs()->lastError().isEmpty());
    CHECK(window.plotTabs()->buildCount() >= 1);

    // An exclusion from the runs panel redraws the plot and can be undone from the window.
    const int builds = window.plotTabs()->buildCount();
    const QModelIndex group = window.runsPanel()->model()->index(0, 0);
    const QModelIndex firstRun = window.runsPanel()->model()->index(0, 0, group);
    REQUIRE(window.runsPanel()->model()->setData(firstRun, Qt::Unchecked, Qt::CheckStateRole));
    const qint64 runId = firstRun.data(ui::RunIdRole).toLongLong();
    CHECK(project->run(runId)->excluded);
    REQUIRE(testing::waitFor([&] { return window.plotTabs()->buildCount() > builds; }));
    window.updateCounts();
    CHECK(window.statusCountsText().contains(QStringLiteral("(1 excluded)")));
    window.document()->undoStack()->undo();
    CHECK_FALSE(project->run(runId)->excluded);
    window.close();
}

TEST_CASE("dropping files on the main window imports them", "[main_window]") {
    useTestPaths();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    app::MainWindow window;
    QString error;
    REQUIRE(window.fileActions() != nullptr);
    REQUIRE(window.document()->create(dir.filePath(QStringLiteral("drop.scalelens")), &error));
    window.show();

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture("import_folder"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    CHECK(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);

    auto* dialog = window.findChild<ui::ImportDialog*>();
    REQUIRE(dialog != nullptr);
    CHECK(dialog->paths().size() == 2);
    bool finished = false;
    QObject::connect(dialog, &ui::ImportDialog::importFinished, [&] { finished = true; });
    dialog->startImport();
    REQUIRE(testing::waitFor([&] { return finished; }));
    CHECK(window.document()->project()->runs().size() == 2);
    REQUIRE(testing::waitFor(
        [&] { return window.statusCountsText().startsWith(QStringLiteral("2 runs")); }));
    CHECK(window.statusCountsText().contains(QStringLiteral("4 metric rows")));
    CHECK(window.runsPanel()->visibleRunCount() == 2);

    // Dropping a project file opens it instead of importing.
    std::string message;
    const std::string other = testing::makeTwoSweepsProject(dir, &message, "other.scalelens");
    REQUIRE(!other.empty());
    QMimeData projectMime;
    projectMime.setUrls({QUrl::fromLocalFile(QString::fromStdString(other))});
    QDragEnterEvent openEnter(QPoint(10, 10), Qt::CopyAction, &projectMime, Qt::LeftButton,
                              Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &openEnter);
    QDropEvent openDrop(QPointF(10, 10), Qt::CopyAction, &projectMime, Qt::LeftButton,
                        Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &openDrop);
    INFO(window.statusBar()->currentMessage().toStdString());
    CHECK(window.document()->path() == QString::fromStdString(other));
    CHECK(window.runsPanel()->model()->runCount() == 4);
    window.close();
}

TEST_CASE("save as continues in the copy; new project starts empty", "[main_window]") {
    useTestPaths();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    std::string message;
    const std::string path = testing::makeTwoSweepsProject(dir, &message, "orig.scalelens");
    REQUIRE(!path.empty());
    app::MainWindow window;
    QString error;
    REQUIRE(window.openProject(QString::fromStdString(path), &error));
    window.document()->setRunsExcluded({testing::runIdByName(*window.document()->project(), "a1")},
                                       true);
    const QString copy = dir.filePath(QStringLiteral("copy.scalelens"));
    REQUIRE(window.fileActions()->saveAsPath(copy, &error));
    CHECK(window.document()->path() == copy);
    CHECK(window.windowTitle().startsWith(QStringLiteral("copy.scalelens")));
    const auto a1 = testing::runIdByName(*window.document()->project(), "a1");
    CHECK(window.document()->project()->run(a1)->excluded);
    // The undo history still applies to the copy.
    window.document()->undoStack()->undo();
    CHECK_FALSE(window.document()->project()->run(a1)->excluded);

    REQUIRE(
        window.fileActions()->newProjectAt(dir.filePath(QStringLiteral("new.scalelens")), &error));
    CHECK(window.document()->project()->runs().empty());
    window.updateCounts();
    CHECK(window.statusCountsText().startsWith(QStringLiteral("0 runs")));
}
