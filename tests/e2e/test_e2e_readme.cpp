// The README's "Your own training logs" commands, run as written on the files of a generated
// sweep (e2e_sweep.h): every `$cli ...` line of the section's first code block must exit 0, and
// the output its comments quote must appear.
#include <QFile>
#include <QRegularExpression>
#include <QStringList>

#include "cli_runner.h"
#include "e2e_sweep.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

// The lines of the first ```sh block after the heading.
QStringList readmeBlock(const QString& heading) {
    QFile file(QStringLiteral(SCALELENS_SOURCE_DIR "/README.md"));
    REQUIRE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString text = QString::fromUtf8(file.readAll());
    const qsizetype at = text.indexOf(heading);
    REQUIRE(at >= 0);
    const qsizetype open = text.indexOf(QStringLiteral("```sh\n"), at);
    REQUIRE(open >= 0);
    const qsizetype close = text.indexOf(QStringLiteral("```"), open + 6);
    REQUIRE(close > open);
    return text.mid(open + 6, close - open - 6).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

}  // namespace

TEST_CASE("e2e readme: the 'Your own training logs' commands work as written", "[e2e][readme]") {
    const auto f = test::writeSweepFiles(false);
    auto substitute = [&](QString s) {
        s.replace(QStringLiteral("steps.csv"), f->steps);
        s.replace(QStringLiteral("summary.csv"), f->summary);
        s.replace(QStringLiteral("logs/"), f->tb + QLatin1Char('/'));
        s.replace(QStringLiteral("sweep.scalelens"), f->project);
        s.replace(QStringLiteral("isoflop.pdf"), f->dir.filePath(QStringLiteral("isoflop.pdf")));
        return s;
    };
    const QStringList lines = readmeBlock(QStringLiteral("## Your own training logs"));
    int commands = 0;
    test::CliRun last;
    QString lastCommand;
    for (const QString& raw : lines) {
        const QString line = raw.trimmed();
        INFO(line.toStdString());
        if (line.startsWith(QLatin1Char('#'))) {
            // "#   file: format, N runs added, ...": the previous command printed it.
            QString expected = substitute(line.mid(1).trimmed());
            expected.remove(QRegularExpression(QStringLiteral(",?\\s*\\.\\.\\.$")));
            INFO(lastCommand.toStdString() << "\n" << last.out.toStdString());
            CHECK(QString::fromUtf8(last.out).contains(expected));
            continue;
        }
        if (!line.startsWith(QStringLiteral("$cli ")))
            continue;
        const qsizetype hash = line.indexOf(QStringLiteral("  #"));
        const QString command = hash > 0 ? line.left(hash).trimmed() : line;
        lastCommand = command;
        QStringList args = substitute(command.mid(5)).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        last = test::runCli(args);
        INFO(last.err.toStdString());
        CHECK(last.exitCode == 0);
        ++commands;
        // An inline comment quoting output: "# "12 runs; ..."" must be printed.
        if (hash > 0) {
            const QRegularExpressionMatch quoted =
                QRegularExpression(QStringLiteral("#\\s*\"([^\"]+)\"")).match(line.mid(hash));
            if (quoted.hasMatch())
                CHECK(QString::fromUtf8(last.out).contains(quoted.captured(1)));
        }
    }
    CHECK(commands == 6);  // import, runs, three fits, plot
    CHECK(QFile(f->dir.filePath(QStringLiteral("isoflop.pdf"))).size() > 1000);
}
