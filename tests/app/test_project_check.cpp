// Project > Check Integrity: the CLI's `check` on a worker thread, the result in the status bar
// and integrityChecked(); a damaged project is reported, a sound one is not.
#include <datasets/project.h>
#include <sqlite3.h>
#include <widgets/document/project_document.h>
#include <QAction>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <fstream>

#include "main_window.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

void sql(const std::string& path, const char* text) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, text, nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

// Waits for integrityChecked and returns its arguments.
std::pair<bool, QStringList> runCheck(app::MainWindow& window) {
    QSignalSpy spy(&window, &app::MainWindow::integrityChecked);
    auto* action = window.findChild<QAction*>(QStringLiteral("checkIntegrityAction"));
    REQUIRE(action);
    REQUIRE(action->isEnabled());
    action->trigger();
    CHECK_FALSE(action->isEnabled());  // one check at a time
    REQUIRE(spy.wait(20000));
    CHECK(action->isEnabled());
    return {spy.at(0).at(0).toBool(), spy.at(0).at(1).toStringList()};
}

}  // namespace

TEST_CASE(
    "Check Integrity reports a sound project and one whose rows were changed behind its "
    "back",
    "[main_window][integrity]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("p.scalelens")).toStdString();
    const std::string csv = dir.filePath(QStringLiteral("c.csv")).toStdString();
    {
        std::ofstream(csv) << "run,step,metric,value\na,1,loss,3.5\na,2,loss,3.25\n";
        std::string error;
        auto p = data::Project::create(path, &error);
        REQUIRE(p);
        REQUIRE(p->importFile(csv, {}, nullptr, &error));
    }
    app::MainWindow window;
    auto* action = window.findChild<QAction*>(QStringLiteral("checkIntegrityAction"));
    REQUIRE(action);
    CHECK_FALSE(action->isEnabled());  // no project yet
    QString error;
    REQUIRE(window.openProject(QString::fromStdString(path), &error));

    const auto [ok, problems] = runCheck(window);
    CHECK(ok);
    CHECK(problems.isEmpty());
    CHECK(window.statusBar()->currentMessage() == QStringLiteral("p.scalelens: no problems found"));

    // Another program rewrites a value: the kept final value no longer matches the rows.
    sql(path, "UPDATE metrics SET value = 9.0 WHERE step = 2");
    const auto [ok2, problems2] = runCheck(window);
    CHECK_FALSE(ok2);
    REQUIRE(problems2.size() == 1);
    CHECK(problems2[0] ==
          QStringLiteral("1 curves whose statistics (curve_stats) do not match their metric rows"));
    CHECK(window.statusBar()->currentMessage() ==
          QStringLiteral("p.scalelens: 1 problem(s) found"));
}
