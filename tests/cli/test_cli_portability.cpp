// The CLI's set-up of Qt: arguments decoded by QCoreApplication (non-ASCII paths arrive
// intact) and no Qt warnings on stderr on a headless machine without XDG_RUNTIME_DIR.
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include "build_speed.h"
#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::runCli;

TEST_CASE("non-ASCII paths pass through the arguments intact", "[cli][portability]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString project = dir.filePath(QStringLiteral("проект-é-数据.scalelens"));
    auto r = runCli({"example", "--project", project});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(QFileInfo::exists(project));
    r = runCli({"runs", "--project", project, "--json"});
    CHECK(r.exitCode == 0);
    CHECK(r.err.isEmpty());
}

TEST_CASE("no Qt warnings without XDG_RUNTIME_DIR or a display", "[cli][portability]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString project = dir.filePath(QStringLiteral("p.scalelens"));
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"XDG_RUNTIME_DIR", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    const QList<QStringList> commands = {
        {"plot", "--list-views"},
        {"plot", "--project", project, "--view", "isoflop", "--out", dir.filePath("v.svg")},
        {"runs", "--project", project},
        {"runs", "--project", dir.filePath(QStringLiteral("missing.scalelens"))},
    };
    for (const QStringList& args : commands) {
        INFO(args.join(u' ').toStdString());
        QProcess proc;
        proc.setProcessEnvironment(env);
        proc.start(QStringLiteral(SCALELENS_BIN_DIR "/scalelens-cli"), args);
        REQUIRE(proc.waitForFinished(scalelens::test::processTimeoutMs(120000)));
        const QByteArray err = proc.readAllStandardError();
        INFO(err.toStdString());
        CHECK(!err.contains("QStandardPaths"));
        CHECK(!err.contains("qt.qpa"));
        CHECK(!err.contains("QApplication"));
    }
}
