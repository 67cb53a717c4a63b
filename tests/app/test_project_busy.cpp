// The GUI's "project busy" message (issue 14, item 5): when another process holds the project's
// write lock, an edit fails with a message that names that process (pid and program), shown in
// the status bar (and a message box on screen), and the edit is not applied.
#include <datasets/project.h>
#include <sqlite3.h>
#include <widgets/document/project_document.h>
#include <QStatusBar>
#include <QTemporaryDir>
#include <fstream>

#include "main_window.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace scalelens;

#if defined(__unix__) || defined(__APPLE__)
TEST_CASE("an edit of a project another process is writing names that process",
          "[main_window][locks]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("p.scalelens")).toStdString();
    {
        const std::string csv = dir.filePath(QStringLiteral("a.csv")).toStdString();
        std::ofstream(csv) << "run,step,metric,value\na,1,loss,3.5\na,2,loss,3.25\n";
        std::string error;
        auto p = data::Project::create(path, &error);
        REQUIRE(p);
        REQUIRE(p->importFile(csv, {}, nullptr, &error));
    }
    // The other process, forked before the window starts any thread: it takes the write lock
    // when told to and keeps it until told to stop.
    int go[2], ready[2], done[2];
    REQUIRE(pipe(go) == 0);
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(done) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        char c = 0;
        (void)!read(go[0], &c, 1);
        sqlite3* db = nullptr;
        sqlite3_open(path.c_str(), &db);
        const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        c = rc == SQLITE_OK ? 'y' : 'n';
        (void)!write(ready[1], &c, 1);
        (void)!read(done[0], &c, 1);
        _exit(0);
    }
    app::MainWindow window;
    QString error;
    REQUIRE(window.openProject(QString::fromStdString(path), &error));
    ui::ProjectDocument* document = window.document();
    const qint64 run = document->project()->runs().at(0).id;
    (void)!write(go[1], "x", 1);
    char c = 0;
    REQUIRE(read(ready[0], &c, 1) == 1);
    REQUIRE(c == 'y');

    document->project()->setBusyTimeoutMs(100);
    document->renameRun(run, QStringLiteral("renamed"));
    const QString shown = window.statusBar()->currentMessage();
    (void)!write(done[1], "x", 1);
    int status = 0;
    waitpid(child, &status, 0);
    INFO(shown.toStdString());
    CHECK(shown.contains(QStringLiteral("is busy: another process is writing to it (held by pid "
                                        "%1, test_app); retry when it has finished")
                             .arg(child)));
    CHECK(document->project()->runs().at(0).name == "a");  // not renamed
}
#endif
