// scalelens-cli plot: view list, exit codes, and real files for each format.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "build_speed.h"
#include "scalelens_catch.h"
#include "sweep_logs.h"

namespace {

struct PlotRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

PlotRun runCli(const QStringList& args) {
    QProcess proc;
    proc.start(QStringLiteral(SCALELENS_BIN_DIR "/scalelens-cli"), args);
    PlotRun r;
    if (!proc.waitForFinished(scalelens::test::processTimeoutMs(120000)))
        return r;
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

// The example project, written once by `scalelens-cli example`.
QString exampleProject() {
    static QTemporaryDir dir;
    static QString path;
    if (path.isEmpty()) {
        path = dir.filePath(QStringLiteral("ex.scalelens"));
        const PlotRun r = runCli({QStringLiteral("example"), QStringLiteral("--project"), path});
        REQUIRE(r.exitCode == 0);
    }
    return path;
}

}  // namespace

TEST_CASE("plot --list-views prints one view name a line", "[cli][plot]") {
    const PlotRun r = runCli({QStringLiteral("plot"), QStringLiteral("--list-views")});
    REQUIRE(r.exitCode == 0);
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 11);
    CHECK(lines.front() == QStringLiteral("loss-vs-compute"));
    CHECK(lines.contains(QStringLiteral("iso-loss-contours")));
    CHECK(lines.back() == QStringLiteral("curve-forecast"));
}

TEST_CASE("plot exit codes", "[cli][plot]") {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("x.pdf"));
    // 2: unknown view, unknown suffix, missing option, bad size.
    PlotRun r =
        runCli({QStringLiteral("plot"), QStringLiteral("--project"), exampleProject(),
                QStringLiteral("--view"), QStringLiteral("pie"), QStringLiteral("--out"), out});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("unknown view 'pie'"));
    r = runCli({QStringLiteral("plot"), QStringLiteral("--project"), exampleProject(),
                QStringLiteral("--view"), QStringLiteral("isoflop"), QStringLiteral("--out"),
                dir.filePath(QStringLiteral("x.bmp"))});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("must end in .pdf, .svg or .png"));
    r = runCli({QStringLiteral("plot"), QStringLiteral("--view"), QStringLiteral("isoflop")});
    CHECK(r.exitCode == 2);
    r = runCli({QStringLiteral("plot"), QStringLiteral("--project"), exampleProject(),
                QStringLiteral("--view"), QStringLiteral("isoflop"), QStringLiteral("--out"), out,
                QStringLiteral("--dpi"), QStringLiteral("2")});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("dpi"));
    // 3: the project does not exist; nothing is written.
    r = runCli({QStringLiteral("plot"), QStringLiteral("--project"),
                dir.filePath(QStringLiteral("missing.scalelens")), QStringLiteral("--view"),
                QStringLiteral("isoflop"), QStringLiteral("--out"), out});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("does not exist"));
    CHECK_FALSE(QFile::exists(out));
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("missing.scalelens"))));
}

TEST_CASE("plot writes PDF, SVG and PNG files of a view", "[cli][plot]") {
    QTemporaryDir dir;
    for (const char* suffix : {"pdf", "svg", "png"}) {
        const QString out = dir.filePath(QStringLiteral("curves.") + QLatin1String(suffix));
        const PlotRun r =
            runCli({QStringLiteral("plot"), QStringLiteral("--project"), exampleProject(),
                    QStringLiteral("--view"), QStringLiteral("training-curves"),
                    QStringLiteral("--out"), out, QStringLiteral("--json"),
                    QStringLiteral("--width"), QStringLiteral("800"), QStringLiteral("--height"),
                    QStringLiteral("500"), QStringLiteral("--dpi"), QStringLiteral("192")});
        INFO(r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        CHECK(doc.value(QStringLiteral("written")).toArray().at(0).toString() == out);
        QFile f(out);
        REQUIRE(f.open(QIODevice::ReadOnly));
        const QByteArray head = f.read(8);
        if (QLatin1String(suffix) == QLatin1String("pdf"))
            CHECK(head.startsWith("%PDF-"));
        else if (QLatin1String(suffix) == QLatin1String("png"))
            CHECK(head.startsWith("\x89PNG"));
        else
            CHECK(head.startsWith("<?xml"));
    }
}

TEST_CASE("plot training-curves takes --metric (repeatable), --x, --smoothing, --color-by",
          "[cli][plot][curves]") {
    QTemporaryDir dir;
    const QString steps = dir.filePath(QStringLiteral("steps.csv"));
    scalelens::test::writeSweepSteps(steps.toStdString(), scalelens::test::makeSweep(4, 3));
    const QString project = dir.filePath(QStringLiteral("p.scalelens"));
    PlotRun r = runCli({QStringLiteral("import"), QStringLiteral("--project"), project, steps});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QString out = dir.filePath(QStringLiteral("curves.svg"));
    auto plot = [&](QStringList extra) {
        return runCli(QStringList{QStringLiteral("plot"), QStringLiteral("--project"), project,
                                  QStringLiteral("--view"), QStringLiteral("training-curves"),
                                  QStringLiteral("--out"), out} +
                      extra);
    };
    r = plot({QStringLiteral("--metric"), QStringLiteral("val_loss"), QStringLiteral("--metric"),
              QStringLiteral("lr"), QStringLiteral("--x"), QStringLiteral("wall-time"),
              QStringLiteral("--smoothing"), QStringLiteral("0.9"), QStringLiteral("--color-by"),
              QStringLiteral("lr")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    QFile f(out);
    REQUIRE(f.open(QIODevice::ReadOnly));
    const QByteArray svg = f.readAll();
    // Both axis titles of the twin axes and the wall-time x axis are drawn.
    CHECK(svg.contains("validation loss (nats/token)"));
    CHECK(svg.contains("learning rate"));
    CHECK(svg.contains("wall time (h)"));
    // Bad choices are usage errors (2) naming the option; an unknown metric is bad input (3).
    r = plot({QStringLiteral("--x"), QStringLiteral("epochs")});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--x"));
    r = plot({QStringLiteral("--color-by"), QStringLiteral("banana")});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--color-by"));
    r = plot({QStringLiteral("--metric"), QStringLiteral("nope")});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("no metric 'nope'"));
    CHECK(r.err.contains("val_loss"));
}
