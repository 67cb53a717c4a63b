// scalelens-cli import / runs / example: exit codes, JSON output, bad input changes nothing.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "cli_runner.h"
#include "scalelens_catch.h"

namespace {

using CliResult = scalelens::test::CliRun;

CliResult cli(const QStringList& args) {
    return scalelens::test::runCli(args);
}

QString fixture(const char* name) {
    return QStringLiteral(SCALELENS_SOURCE_DIR "/tests/datasets/data/") + QString::fromUtf8(name);
}

QJsonArray runsJson(const QString& project) {
    const auto r = cli({"runs", "--project", project, "--json"});
    REQUIRE(r.exitCode == 0);
    const auto doc = QJsonDocument::fromJson(r.out);
    REQUIRE(doc.isArray());
    return doc.array();
}

}  // namespace

TEST_CASE("import creates the project and reports per file in JSON", "[cli][import]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("p.scalelens");
    const auto r = cli({"import", fixture("long_quirks.csv"), fixture("summary_derived.csv"),
                        "--project", project, "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const auto doc = QJsonDocument::fromJson(r.out).object();
    CHECK(doc["ok"].toBool());
    const auto imports = doc["imports"].toArray();
    REQUIRE(imports.size() == 2);
    CHECK(imports[0].toObject()["format"].toString() == "long");
    CHECK(imports[0].toObject()["runs_added"].toInt() == 2);
    CHECK(imports[0].toObject()["warnings"].toArray().size() == 2);
    CHECK(imports[1].toObject()["format"].toString() == "summary");
    CHECK(r.err.contains("long_quirks.csv:6:6: 'NaN' in column 'value'"));

    const auto runs = runsJson(project);
    REQUIRE(runs.size() == 3);
    QJsonObject derived;
    for (const auto& v : runs)
        if (v.toObject()["name"].toString() == "derived-d")
            derived = v.toObject();
    CHECK(derived["tokens"].toDouble() == Approx(1e10).epsilon(1e-12));
    CHECK(derived["derived"].toArray() == QJsonArray{"tokens"});
    // The final loss is the project's loss metric's, as in `fit`: val_loss (run 'big' logs it),
    // which derived-d lacks; its summary's loss column is its final 'loss'.
    CHECK(derived["loss_metric"].toString() == "val_loss");
    CHECK(derived["final_loss"].isNull());
    CHECK(derived["final_values"].toObject()["loss"].toDouble() == 2.9);

    // Same file again: skipped, exit 0.
    const auto again = cli({"import", fixture("long_quirks.csv"), "--project", project});
    CHECK(again.exitCode == 0);
    CHECK(again.out.contains("already imported"));
    CHECK(runsJson(project).size() == 3);
}

TEST_CASE("bad input exits 3 with file:line:column and writes nothing", "[cli][import]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("p.scalelens");
    REQUIRE(cli({"import", fixture("summary_derived.csv"), "--project", project}).exitCode == 0);
    const auto r = cli({"import", fixture("bad_number.csv"), "--project", project});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("bad_number.csv:4:6: expected a number in column 'value', got 'abc'"));
    CHECK(runsJson(project).size() == 1);
}

TEST_CASE("bad arguments exit 2", "[cli][import]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("p.scalelens");
    CHECK(cli({"import", fixture("long_quirks.csv")}).exitCode == 2);  // no --project
    CHECK(cli({"import", "--project", project}).exitCode == 2);        // no files
    const auto format =
        cli({"import", fixture("long_quirks.csv"), "--project", project, "--format", "excel"});
    CHECK(format.exitCode == 2);
    CHECK(format.err.contains("unknown format 'excel'"));
    const auto map =
        cli({"import", fixture("long_quirks.csv"), "--project", project, "--map", "novalue"});
    CHECK(map.exitCode == 2);
    CHECK(map.err.contains("expected key=column, got 'novalue'"));
    CHECK(cli({"runs", "--project", project, "--bogus"}).exitCode == 2);
    CHECK_FALSE(QFile::exists(project));
}

TEST_CASE("import passes --map and --format to the importer", "[cli][import]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("p.scalelens");
    const auto r = cli({"import", fixture("wandb_history.csv"), "--project", project, "--format",
                        "wandb", "--run", "my-run", "--group", "g", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const auto runs = runsJson(project);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].toObject()["name"].toString() == "my-run");
    CHECK(runs[0].toObject()["group"].toString() == "g");
    const auto missing =
        cli({"import", fixture("summary_derived.csv"), "--project", project, "--map", "N=nope"});
    CHECK(missing.exitCode == 3);
    CHECK(missing.err.contains("summary_derived.csv: --map N=nope: no column named 'nope'"));
}

TEST_CASE("runs on a missing or broken project exits 3, --help exits 0", "[cli][runs]") {
    QTemporaryDir tmp;
    const auto r = cli({"runs", "--project", tmp.filePath("none.scalelens")});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("no such file"));
    CHECK(cli({"runs", "--help"}).exitCode == 0);
    const auto help = cli({"import", "--help"});
    CHECK(help.exitCode == 0);
    CHECK(help.out.contains("Exit codes"));
}

TEST_CASE("example writes the example project once", "[cli][example]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("ex.scalelens");
    const auto r = cli({"example", "--project", project, "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(QJsonDocument::fromJson(r.out).object()["ok"].toBool());
    CHECK(runsJson(project).size() > 400);
    const auto again = cli({"example", "--project", project});
    CHECK(again.exitCode == 3);
    CHECK(again.err.contains("already exists"));
}

TEST_CASE("killing an import midway leaves a valid project without a partial import",
          "[cli][import][crash]") {
    QTemporaryDir tmp;
    const QString csv = tmp.filePath("big.csv");
    {
        QFile f(csv);
        REQUIRE(f.open(QIODevice::WriteOnly));
        QByteArray text = "run,step,metric,value\n";
        for (int r = 0; r < 40; ++r)
            for (int s = 0; s < 20000; ++s)
                text += "run-" + QByteArray::number(r) + "," + QByteArray::number(s) + ",loss," +
                        QByteArray::number(3.0 + 1.0 / (s + 1)) + "\n";
        f.write(text);
    }
    const QString project = tmp.filePath("p.scalelens");
    REQUIRE(cli({"import", fixture("summary_derived.csv"), "--project", project}).exitCode == 0);
    QProcess proc;
    proc.start(QStringLiteral(SCALELENS_BIN_DIR "/scalelens-cli"),
               {"import", csv, "--project", project});
    REQUIRE(proc.waitForStarted());
    proc.waitForFinished(150);  // let it get into the write transaction
    proc.kill();
    proc.waitForFinished();
    // Either the kill landed mid-import (nothing of it visible) or the import had finished
    // (all 40 runs): never a partial import, never a broken file.
    const auto runs = runsJson(project);
    CHECK((runs.size() == 1 || runs.size() == 41));
}

TEST_CASE("real sweep files: runs matched by name, conflicts and --on-conflict, stopped runs",
          "[cli][import]") {
    QTemporaryDir tmp;
    const QString project = tmp.filePath("sweep.scalelens");
    const auto steps = cli({"import", fixture("reallogs/sweep_steps.csv"), "--project", project});
    INFO(steps.err.toStdString());
    REQUIRE(steps.exitCode == 0);
    CHECK(steps.out.contains("5 runs added, 0 updated, 0 conflicted"));
    CHECK(steps.err.contains("stopped: run 'gpt-s4': its LR ends at 40% of its peak"));
    const auto summary =
        cli({"import", fixture("reallogs/sweep_summary.csv"), "--project", project, "--json"});
    REQUIRE(summary.exitCode == 0);
    const auto report =
        QJsonDocument::fromJson(summary.out).object()["imports"].toArray()[0].toObject();
    CHECK(report["runs_added"].toInt() == 0);
    CHECK(report["runs_updated"].toInt() == 5);
    CHECK(report["runs_conflicted"].toInt() == 0);
    CHECK(runsJson(project).size() == 5);

    const QString fix = tmp.filePath("fix.csv");
    QFile file(fix);
    REQUIRE(file.open(QIODevice::WriteOnly));
    file.write("name,peak_lr\ngpt-s2,0.002\n");
    file.close();
    const auto kept = cli({"import", fix, "--project", project});
    CHECK(kept.out.contains("0 runs added, 1 updated, 1 conflicted"));
    CHECK(
        kept.err.contains("conflict: run 'gpt-s2': peak_lr is 0.0009 in the project, 0.002 in "
                          "this file; kept 0.0009"));
    const auto bad = cli({"import", fix, "--project", project, "--on-conflict", "newest"});
    CHECK(bad.exitCode == 2);
    // The same bytes again would be skipped as a duplicate: a copy with another name is not.
    const QString fix2 = tmp.filePath("fix2.csv");
    REQUIRE(QFile::copy(fix, fix2));
    QFile append(fix2);
    REQUIRE(append.open(QIODevice::Append));
    append.write("\n");
    append.close();
    const auto replaced = cli({"import", fix2, "--project", project, "--on-conflict", "replace"});
    CHECK(replaced.exitCode == 0);
    CHECK(replaced.err.contains("took 0.002"));
    for (const auto& run : runsJson(project))
        if (run.toObject()["name"].toString() == QLatin1String("gpt-s2"))
            CHECK(run.toObject()["peak_lr"].toDouble() == 0.002);
}
