// Main window: opens the example project, shows its counts and views, imports dropped files,
// undoes edits made in the runs panel.
#include <datasets/examples.h>
#include <widgets/base/theme.h>
#include <widgets/document/project_document.h>
#include <widgets/import/import_dialog.h>
#include <widgets/plot/plot_view.h>
#include <widgets/runs/runs_model.h>
#include <widgets/runs/runs_panel.h>
#include <widgets/runs/runs_table.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTreeView>
#include <QUndoStack>
#include <QUrl>
#include <cmath>

#include "app_settings.h"
#include "file_actions.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "recent_files.h"
#include "scalelens_catch.h"
#include "startup_options.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

QString fixture(const char* name) {
    return QDir(QStringLiteral(SCALELENS_SOURCE_DIR "/tests/widgets/data"))
        .filePath(QString::fromLatin1(name));
}

// Keeps the test's settings and example project out of the user's real folders.
void useTestPaths() {
    QStandardPaths::setTestModeEnabled(true);
}

}  // namespace

TEST_CASE("main window opens the example project and shows its runs", "[main_window]") {
    useTestPaths();
    // Always from the bundled files of this build, never a copy left by an older one.
    for (const char* suffix : {"", "-wal", "-shm"}) {
        QFile::remove(app::settings::exampleProjectPath() + QLatin1String(suffix));
    }
    app::MainWindow window;
    window.restoreSettings(false);
    QString error;
    REQUIRE(window.openExampleProject(&error));
    const data::Project* project = window.document()->project();
    REQUIRE(project != nullptr);
    CHECK(window.document()->path() == app::settings::exampleProjectPath());

    const qint64 runs = qint64(project->runs().size());
    REQUIRE(runs > 50);  // the example has five sweeps
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
        groups << window.runsPanel()->model()->index(g, 0).data(ui::RunGroupRole).toString();
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
    // The counts follow the import (metric rows are counted shortly after).
    REQUIRE(testing::waitFor([&] {
        return window.statusCountsText() == QStringLiteral("2 runs · 4 metric rows · 0 fits");
    }));
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

TEST_CASE("save as continues in the copy, new project starts empty", "[main_window]") {
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

TEST_CASE("themes: dark and light palettes, names round-trip", "[main_window]") {
    ui::captureSystemPalette();
    for (ui::Theme theme : {ui::Theme::System, ui::Theme::Light, ui::Theme::Dark}) {
        CHECK(ui::themeFromName(ui::themeName(theme)) == theme);
    }
    CHECK(ui::themeFromName(QStringLiteral("purple")) == ui::Theme::System);
    ui::applyTheme(ui::Theme::Dark);
    CHECK(ui::currentTheme() == ui::Theme::Dark);
    CHECK(ui::isDarkPalette(QApplication::palette()));
    CHECK(QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive) ==
          0);
    ui::applyTheme(ui::Theme::Light);
    CHECK_FALSE(ui::isDarkPalette(QApplication::palette()));
    // System follows the palette captured at start-up.
    ui::applyTheme(ui::Theme::System);
    CHECK(ui::isDarkPalette(QApplication::palette()) == ui::systemPrefersDark());
    // Text stays readable in both: strong contrast between text and base.
    for (const QPalette& p : {ui::lightPalette(), ui::darkPalette()}) {
        const double contrast =
            std::abs(p.color(QPalette::Text).lightnessF() - p.color(QPalette::Base).lightnessF());
        CHECK(contrast > 0.6);
    }
}

TEST_CASE("recent files: most recent first, no duplicates, at most ten", "[main_window]") {
    useTestPaths();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    app::RecentFiles recent;
    recent.clear();
    QStringList paths;
    for (int i = 0; i < 12; ++i) {
        const QString path = dir.filePath(QStringLiteral("p%1.scalelens").arg(i));
        QFile file(path);
        REQUIRE(file.open(QIODevice::WriteOnly));
        paths << path;
        recent.add(path);
    }
    QStringList list = recent.files();
    REQUIRE(list.size() == app::RecentFiles::kMaxRecent);
    CHECK(list.front() == paths[11]);
    CHECK(list.back() == paths[2]);
    recent.add(paths[5]);
    list = recent.files();
    CHECK(list.front() == paths[5]);
    CHECK(list.count(paths[5]) == 1);
    // Files that disappeared are not offered.
    QFile::remove(paths[11]);
    CHECK_FALSE(recent.files().contains(paths[11]));
    recent.clear();
    CHECK(recent.files().isEmpty());
}

TEST_CASE("startup options: example, file, screenshot, bad arguments", "[main_window]") {
    app::StartupOptions options;
    int exitCode = -1;
    REQUIRE(app::parseStartupOptions(
        {QStringLiteral("scalelens"), QStringLiteral("--example"), QStringLiteral("--screenshot"),
         QStringLiteral("out.png"), QStringLiteral("--size"), QStringLiteral("1600x1000"),
         QStringLiteral("--view"), QStringLiteral("isoflop")},
        &options, &exitCode));
    CHECK(options.example);
    CHECK(options.screenshot == QStringLiteral("out.png"));
    CHECK(options.size == QSize(1600, 1000));
    CHECK(options.view == QStringLiteral("isoflop"));
    CHECK(options.file.isEmpty());

    app::StartupOptions withFile;
    REQUIRE(app::parseStartupOptions(
        {QStringLiteral("scalelens"), QStringLiteral("/tmp/x.scalelens")}, &withFile, &exitCode));
    CHECK(withFile.file == QStringLiteral("/tmp/x.scalelens"));
    CHECK_FALSE(withFile.example);

    app::StartupOptions bad;
    CHECK_FALSE(app::parseStartupOptions(
        {QStringLiteral("scalelens"), QStringLiteral("--size"), QStringLiteral("huge")}, &bad,
        &exitCode));
    CHECK(exitCode == 2);
    exitCode = -1;
    CHECK_FALSE(app::parseStartupOptions(
        {QStringLiteral("scalelens"), QStringLiteral("--no-such-option")}, &bad, &exitCode));
    CHECK(exitCode == 2);
}

TEST_CASE("clicking a plot point selects its run everywhere", "[main_window]") {
    useTestPaths();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    std::string message;
    const std::string path = testing::makeTwoSweepsProject(dir, &message, "click.scalelens");
    REQUIRE(!path.empty());
    app::MainWindow window;
    REQUIRE(window.openProject(QString::fromStdString(path)));
    const qint64 a3 = testing::runIdByName(*window.document()->project(), "a3");
    ui::PlotView* view = window.plotTabs()->currentPlotView();
    REQUIRE(view != nullptr);
    emit view->pointClicked(a3);
    CHECK(window.document()->selectedRuns() == QList<qint64>{a3});
    const QModelIndexList rows = window.runsPanel()->treeView()->selectionModel()->selectedRows();
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().data().toString() == QStringLiteral("a3"));
    CHECK(window.runsTable()->model()->rowCount() == 1);
    CHECK(window.runsTable()->model()->runIdAt(0) == a3);
    // Points without a run (fitted curves) change nothing.
    emit view->pointClicked(-1);
    CHECK(window.document()->selectedRuns() == QList<qint64>{a3});
}

TEST_CASE("window layout persists and Reset Layout restores the docks", "[main_window]") {
    useTestPaths();
    QSettings().clear();
    {
        app::MainWindow window;
        window.restoreSettings(false);
        window.show();
        auto* runsDock = window.findChild<QDockWidget*>(QStringLiteral("RunsDock"));
        REQUIRE(runsDock != nullptr);
        runsDock->hide();
        window.plotTabs()->showView(QStringLiteral("isoflop"));
        window.saveSettings();
    }
    app::MainWindow restored;
    restored.restoreSettings(true);
    restored.show();
    auto* runsDock = restored.findChild<QDockWidget*>(QStringLiteral("RunsDock"));
    REQUIRE(runsDock != nullptr);
    CHECK(runsDock->isHidden());
    CHECK(restored.plotTabs()->currentViewId() == QStringLiteral("isoflop"));
    restored.resetLayout();
    CHECK_FALSE(runsDock->isHidden());
    QSettings().clear();
}

TEST_CASE("export writes the current plot as PDF or SVG or PNG", "[main_window]") {
    useTestPaths();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    std::string message;
    const std::string path = testing::makeTwoSweepsProject(dir, &message, "export.scalelens");
    REQUIRE(!path.empty());
    app::MainWindow window;
    REQUIRE(window.openProject(QString::fromStdString(path)));
    QString error;
    for (const char* name : {"plot.pdf", "plot.svg", "plot.png"}) {
        const QString file = dir.filePath(QString::fromLatin1(name));
        INFO(name << ": " << error.toStdString());
        REQUIRE(window.fileActions()->exportCurrentPlotTo(file, 96, &error));
        QFile written(file);
        REQUIRE(written.open(QIODevice::ReadOnly));
        const QByteArray head = written.read(8);
        if (file.endsWith(QLatin1String(".pdf")))
            CHECK(head.startsWith("%PDF"));
        else if (file.endsWith(QLatin1String(".png")))
            CHECK(head.startsWith("\x89PNG"));
        else
            CHECK(written.size() > 100);
    }
    CHECK_FALSE(window.fileActions()->exportCurrentPlotTo(dir.filePath(QStringLiteral("plot.bmp")),
                                                          96, &error));
    CHECK_FALSE(error.isEmpty());
}
