// Diagnostics in `scalelens-cli fit --json` (issue 9): the example project's sweep is a clean
// fit (no warning), and a degenerate input is reported as unreliable with its reason.
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>

#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::parseJson;
using scalelens::test::runCli;

namespace {

QStringList severities(const QJsonObject& fit) {
    QStringList out;
    for (const QJsonValue d : fit["diagnostics"].toArray())
        out << d.toObject()["code"].toString() + ":" + d.toObject()["severity"].toString();
    return out;
}

}  // namespace

TEST_CASE("fit on the example project's sweep is clean", "[cli][diagnostics]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString project = dir.filePath("demo.scalelens");
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);
    const auto r = runCli({"fit", "--law", "chinchilla", "--project", project, "--group",
                           "chinchilla-sweep", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject fit = parseJson(r);
    INFO(severities(fit).join(", ").toStdString());
    CHECK(fit["status"].toString() == "converged");
    REQUIRE(fit["diagnostics"].isArray());
    for (const QJsonValue d : fit["diagnostics"].toArray())
        CHECK(d.toObject()["severity"].toString() == "info");
}

TEST_CASE("fit reports E at its bound as unreliable in the JSON", "[cli][diagnostics]") {
    // L = A/N^alpha + B/D^beta: no irreducible term, so E goes to its bound of 0.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QFile f(dir.filePath("noe.csv"));
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write("name,N,D,loss\n");
    for (int i = 0; i < 11; ++i) {
        const double N = std::pow(10.0, 7.0 + 0.5 * (i % 4));
        const double D = std::pow(10.0, 9.0 + 0.23 * i);
        const double L = 406.4 / std::pow(N, 0.34) + 410.7 / std::pow(D, 0.28);
        f.write(QString("r%1,%2,%3,%4\n")
                    .arg(i)
                    .arg(N, 0, 'g', 17)
                    .arg(D, 0, 'g', 17)
                    .arg(L, 0, 'g', 17)
                    .toUtf8());
    }
    f.close();
    const auto r = runCli({"fit", "--law", "chinchilla", "--input", f.fileName(), "--json"});
    const QJsonObject fit = parseJson(r);
    INFO(r.err.toStdString() << " | " << severities(fit).join(", ").toStdString());
    CHECK(r.exitCode == 5);
    CHECK(r.err.contains("--allow-unreliable"));
    CHECK(fit["status"].toString() == "unreliable");
    CHECK(severities(fit).contains("param_at_bound:unreliable"));
    CHECK(fit["param_flags"].toObject()["E"].toArray().contains(QJsonValue("at_bound")));
}

TEST_CASE("fit prints diagnostics in text, --allow-unreliable exits 0", "[cli][diagnostics]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QFile f(dir.filePath("two_n.csv"));
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write("name,N,D,loss\n");
    for (int i = 0; i < 12; ++i) {
        const double N = i % 2 ? 1e8 : 1e9;  // two distinct N only
        const double D = std::pow(10.0, 9.0 + 0.2 * i);
        const double L = 1.69 + 406.4 / std::pow(N, 0.34) + 410.7 / std::pow(D, 0.28);
        f.write(QString("r%1,%2,%3,%4\n")
                    .arg(i)
                    .arg(N, 0, 'g', 17)
                    .arg(D, 0, 'g', 17)
                    .arg(L * (1 + 0.003 * ((i * 7) % 5 - 2)), 0, 'g', 17)
                    .toUtf8());
    }
    f.close();
    auto r = runCli({"fit", "--law", "chinchilla", "--input", f.fileName()});
    INFO(r.out.toStdString() << r.err.toStdString());
    CHECK(r.exitCode == 5);
    CHECK(r.out.contains("[unreliable] few_distinct: only 2 distinct values of N"));
    r = runCli({"fit", "--law", "chinchilla", "--input", f.fileName(), "--allow-unreliable"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("few_distinct"));
}
