// Every law's fit works on the bundled example project with no flags beyond --law and --group,
// and uses the project's loss metric.
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_runner.h"
#include "scalelens_catch.h"

using scalelens::test::CliRun;
using scalelens::test::parseJson;
using scalelens::test::runCli;

TEST_CASE("fit --law X --group G works for every law on the example project",
          "[cli][fit][example]") {
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("x.scalelens"));
    REQUIRE(runCli({QStringLiteral("example"), QStringLiteral("--project"), project}).exitCode ==
            0);
    const std::pair<const char*, const char*> cases[] = {
        {"chinchilla", "chinchilla-sweep"}, {"kaplan", "chinchilla-sweep"},
        {"isoflop", "chinchilla-sweep"},    {"average-param", "sparse"},
        {"densing", "model-zoo"},           {"knowledge", "knowledge"},
        {"lr-bs", "lr-batch-sweep"}};
    for (const auto& [law, group] : cases) {
        INFO(law);
        const CliRun r =
            runCli({QStringLiteral("fit"), QStringLiteral("--law"), QString::fromLatin1(law),
                    QStringLiteral("--project"), project, QStringLiteral("--group"),
                    QString::fromLatin1(group), QStringLiteral("--json")},
                   300000);
        INFO(r.err.toStdString());
        CHECK(r.exitCode == 0);
        if (r.exitCode != 0)
            continue;
        const QJsonObject o = parseJson(r);
        CHECK(o.value(QStringLiteral("status")).toString() == QStringLiteral("converged"));
        // A clean fit of its own sweep: no diagnostic beyond information.
        for (const QJsonValue d : o.value(QStringLiteral("diagnostics")).toArray()) {
            INFO(d.toObject().value(QStringLiteral("message")).toString().toStdString());
            CHECK(d.toObject().value(QStringLiteral("severity")).toString() ==
                  QStringLiteral("info"));
        }
        // The text output says the same and exits the same way.
        const CliRun text = runCli({QStringLiteral("fit"), QStringLiteral("--law"),
                                    QString::fromLatin1(law), QStringLiteral("--project"), project,
                                    QStringLiteral("--group"), QString::fromLatin1(group)},
                                   300000);
        CHECK(text.exitCode == 0);
        CHECK_FALSE(text.out.contains("[warning]"));
        CHECK_FALSE(text.out.contains("[unreliable]"));
        if (QByteArray(law) == "knowledge") {
            // knowledge_bits = 2 P exp(Normal(0, 0.04)) (datasets/examples/README.md).
            CHECK(o.value(QStringLiteral("bits_per_param")).toDouble() ==
                  Approx(2.0).epsilon(0.04));
            CHECK(o.value(QStringLiteral("models")).toArray().size() == 10);
        }
    }
}

TEST_CASE("fit --drop-highest-loss K >= the number of points names the option",
          "[cli][fit][drop]") {
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("x.scalelens"));
    REQUIRE(runCli({QStringLiteral("example"), QStringLiteral("--project"), project}).exitCode ==
            0);
    const CliRun r = runCli({QStringLiteral("fit"), QStringLiteral("--law"),
                             QStringLiteral("chinchilla"), QStringLiteral("--project"), project,
                             QStringLiteral("--group"), QStringLiteral("chinchilla-sweep"),
                             QStringLiteral("--drop-highest-loss"), QStringLiteral("1000")});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 2);  // an option value that cannot work: usage error
    CHECK(r.err.contains("--drop-highest-loss"));
    CHECK(r.err.contains("74 points"));
}
