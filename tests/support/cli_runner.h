// Runs the built scalelens-cli as a child process, for the command-line tests.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include "build_speed.h"
#include "scalelens_catch.h"

namespace scalelens::test {

struct CliRun {
    int exitCode = -1;  // -1 when the process did not finish in time
    QByteArray out;
    QByteArray err;
};

// Two minutes covers the slowest command (a 4,000-resample bootstrap on a loaded CI machine);
// sanitizer builds get kSlowdown times as long.
inline CliRun runCli(const QStringList& args, int timeoutMs = processTimeoutMs(120000)) {
    QProcess proc;
    proc.start(QStringLiteral(SCALELENS_BIN_DIR "/scalelens-cli"), args);
    CliRun r;
    if (!proc.waitForFinished(timeoutMs))
        return r;
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

// stdout as one JSON object; fails the test (showing both streams) when it is not.
inline QJsonObject parseJson(const CliRun& r) {
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out, &error);
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(error.error == QJsonParseError::NoError);
    REQUIRE(doc.isObject());
    return doc.object();
}

}  // namespace scalelens::test
