// Every law's `scalelens-cli fit` exits 5 when its result is unreliable and 0 with
// --allow-unreliable (issue 9); the selection's own diagnostics (runs stopped mid-schedule left
// out) reach the CLI; text output shows what the JSON has (allocations, back-test, CIs).
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>

#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::CliRun;
using scalelens::test::parseJson;
using scalelens::test::runCli;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text) {
    QFile f(dir.filePath(name));
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write(text);
    return f.fileName();
}

QStringList codes(const QJsonObject& o) {
    QStringList out;
    for (const QJsonValue d : o[QStringLiteral("diagnostics")].toArray())
        out << d.toObject()["code"].toString() + ":" + d.toObject()["severity"].toString();
    return out;
}

double chinchilla(double N, double D) {
    return 1.69 + 406.4 / std::pow(N, 0.34) + 410.7 / std::pow(D, 0.28);
}

// A small real-looking sweep, 5 sizes x 4 token counts; runs 3, 9 and 14 were stopped early
// (status column) and their last loss is 8% high.
QByteArray sweepWithStoppedRuns() {
    QByteArray csv = "name,N,D,loss,status\n";
    const double sizes[] = {1e7, 3e7, 1e8, 3e8, 1e9};
    const double tokens[] = {1e9, 3e9, 1e10, 3e10};
    int i = 0;
    for (double N : sizes) {
        for (double D : tokens) {
            const bool stop = i == 3 || i == 9 || i == 14;
            const double noise = 1 + 0.0015 * ((i * 7) % 5 - 2);
            csv += QString("r%1,%2,%3,%4,%5\n")
                       .arg(i)
                       .arg(N, 0, 'g', 17)
                       .arg(D, 0, 'g', 17)
                       .arg(chinchilla(N, D) * noise * (stop ? 1.08 : 1.0), 0, 'g', 17)
                       .arg(stop ? "killed" : "finished")
                       .toUtf8();
            ++i;
        }
    }
    return csv;
}

}  // namespace

TEST_CASE("knowledge: three models are too few, exit 5 unless --allow-unreliable",
          "[cli][diagnostics][unreliable]") {
    QTemporaryDir dir;
    const QString csv =
        writeFile(dir, "k.csv", "run,params,bits\nk1,1e6,2.1e6\nk2,2e6,3.9e6\nk3,4e6,8.2e6\n");
    CliRun r = runCli({"fit", "--law", "knowledge", "--input", csv, "--json"});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 5);
    const QJsonObject o = parseJson(r);
    CHECK(o["status"].toString() == "unreliable");
    CHECK(codes(o).contains("few_points:unreliable"));
    r = runCli({"fit", "--law", "knowledge", "--input", csv, "--allow-unreliable"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("[unreliable] few_points: 3 points for 1 parameters"));
    CHECK(r.out.contains("95% CI"));  // the text shows the CI the JSON has
}

TEST_CASE("average-param and kaplan: too few points exit 5", "[cli][diagnostics][unreliable]") {
    QTemporaryDir dir;
    QByteArray text = "name,params,tokens,loss\n";
    for (int i = 0; i < 5; ++i) {
        const double N = std::pow(10.0, 7 + 0.5 * i), D = std::pow(10.0, 9 + 0.3 * i);
        text += QString("r%1,%2,%3,%4\n")
                    .arg(i)
                    .arg(N, 0, 'g', 17)
                    .arg(D, 0, 'g', 17)
                    .arg(chinchilla(N, D), 0, 'g', 17)
                    .toUtf8();
    }
    const QString csv = writeFile(dir, "five.csv", text);
    for (const char* law : {"average-param", "kaplan"}) {
        INFO(law);
        CliRun r = runCli({"fit", "--law", law, "--input", csv, "--json"});
        INFO(r.err.toStdString());
        CHECK(r.exitCode == 5);
        CHECK(codes(parseJson(r)).join(",").contains("few_points:unreliable"));
        r = runCli({"fit", "--law", law, "--input", csv, "--allow-unreliable"});
        CHECK(r.exitCode == 0);
        CHECK(r.out.contains("few_points"));
    }
}

TEST_CASE("fit counts the runs stopped mid-schedule it left out", "[cli][diagnostics][stopped]") {
    QTemporaryDir dir;
    const QString csv = writeFile(dir, "sweep.csv", sweepWithStoppedRuns());
    const QString project = dir.filePath("p.scalelens");
    CliRun r = runCli({"import", csv, "--project", project, "--group", "sweep"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group", "sweep", "--json"});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 0);  // a warning: the fit of the 17 finished runs stands
    const QJsonObject o = parseJson(r);
    CHECK(o["status"].toString() == "converged");
    CHECK(o["n_points"].toInt() == 17);
    CHECK(codes(o).contains("stopped_excluded:warning"));
    bool counted = false;
    for (const QJsonValue d : o["diagnostics"].toArray())
        counted |= d.toObject()["message"].toString().startsWith("3 runs stopped mid-schedule");
    CHECK(counted);
    r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group", "sweep"});
    CHECK(r.out.contains("[warning] stopped_excluded: 3 runs"));
}

TEST_CASE("fit text output shows the per-budget allocation and the back-test", "[cli][fit][text]") {
    QTemporaryDir dir;
    const QString project = dir.filePath("x.scalelens");
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);
    CliRun r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group",
                       "chinchilla-sweep", "--budget", "1e22", "--backtest-cutoff", "1e20"});
    INFO(r.out.toStdString() << r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("N_opt@1e+22"));
    CHECK(r.out.contains("tokens_per_param@1e+22"));
    CHECK(r.out.contains("back-test (fit on C < 1e+20"));
    r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group", "chinchilla-sweep",
                "--backtest-cutoff", "1e20", "--json"});
    const QJsonObject bt = parseJson(r)["backtest"].toObject();
    CHECK(bt["status"].toString() == "converged");
    CHECK(bt["n_train"].toInt() > 0);
    CHECK(bt["n_test"].toInt() > 0);
    // A cutoff above every run leaves nothing to predict: the option is named, exit 3.
    r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group", "chinchilla-sweep",
                "--backtest-cutoff", "1e40"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("--backtest-cutoff"));
}

TEST_CASE("fit --law isoflop --approach 1 fits the training-curve envelope", "[cli][fit]") {
    QTemporaryDir dir;
    const QString project = dir.filePath("x.scalelens");
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);
    CliRun r = runCli({"fit", "--law", "isoflop", "--approach", "1", "--project", project,
                       "--group", "chinchilla-sweep", "--json"});
    INFO(r.err.toStdString());
    CHECK((r.exitCode == 0 || r.exitCode == 3 || r.exitCode == 5));
    if (r.exitCode != 3) {
        const QJsonObject o = parseJson(r);
        CHECK(o["approach"].toInt() == 1);
        CHECK(o["N_opt_law"].toObject()["exponent"].toDouble() > 0);
    }
    r = runCli({"fit", "--law", "isoflop", "--approach", "3", "--project", project});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--approach"));
}

TEST_CASE("allocate never uses an unreliable fit silently", "[cli][allocate][unreliable]") {
    QTemporaryDir dir;
    QByteArray text = "name,N,D,loss\n";
    for (int i = 0; i < 11; ++i) {
        const double N = std::pow(10.0, 7.0 + 0.5 * (i % 4));
        const double D = std::pow(10.0, 9.0 + 0.23 * i);
        text += QString("r%1,%2,%3,%4\n")
                    .arg(i)
                    .arg(N, 0, 'g', 17)
                    .arg(D, 0, 'g', 17)
                    .arg(406.4 / std::pow(N, 0.34) + 410.7 / std::pow(D, 0.28), 0, 'g', 17)
                    .toUtf8();
    }
    const QString csv = writeFile(dir, "noe.csv", text);
    CliRun r = runCli({"allocate", "--compute", "1e21", "--input", csv});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 5);
    CHECK(r.err.contains("param_at_bound"));
    r = runCli({"allocate", "--compute", "1e21", "--input", csv, "--allow-unreliable"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("warning: the fit is unreliable"));
}

TEST_CASE("allocate --bootstrap prints the CIs in text", "[cli][allocate][text]") {
    QTemporaryDir dir;
    const QString project = dir.filePath("x.scalelens");
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);
    const CliRun r = runCli({"allocate", "--compute", "1e21", "--project", project, "--group",
                             "chinchilla-sweep", "--bootstrap", "40", "--seed", "3"},
                            300000);
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("N_opt             95% CI ["));
    CHECK(r.out.contains("tokens_per_param  95% CI ["));
}
