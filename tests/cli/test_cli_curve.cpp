// scalelens-cli fit --law mpl|lr-annealing and forecast, on the MPL authors' curves
// (../shared/datasets/mpl, skipped with a message when missing) and on bad input.
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>

#include "cli_runner.h"
#include "scalelens_catch.h"

namespace {

using scalelens::test::parseJson;
using scalelens::test::runCli;

QString mplCsv(const char* size, const char* name) {
    return QStringLiteral(SCALELENS_SHARED_DIR "/datasets/mpl/csv_%1/%2.csv")
        .arg(QLatin1String(size), QLatin1String(name));
}

bool haveMplData() {
    return QFile::exists(mplCsv("400", "cosine_24000"));
}

double param(const QJsonObject& o, const char* name) {
    for (const auto& p : o["params"].toArray())
        if (p.toObject()["name"].toString() == QLatin1String(name))
            return p.toObject()["value"].toDouble();
    return -1;
}

}  // namespace

TEST_CASE("fit --law mpl reproduces the published 400M parameters", "[cli][curve][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: ../shared/datasets/mpl is missing (the authors' MPL curves)");
        return;
    }
    const auto r = runCli({"fit", "--law", "mpl", "--input", mplCsv("400", "cosine_24000"),
                           "--input", mplCsv("400", "constant_24000"), "--input",
                           mplCsv("400", "wsdcon_9"), "--threads", "2", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject o = parseJson(r);
    CHECK(o["law"].toString() == "mpl");
    CHECK(o["status"].toString() == "converged");
    // laws.md G.1 400M: L0 2.37474466, B 523.42464371 (the official procedure).
    CHECK(param(o, "L0") == Approx(2.37474466).epsilon(1e-3));
    CHECK(param(o, "B") == Approx(523.42464371).epsilon(1e-2));
    const QJsonArray curves = o["curves"].toArray();
    REQUIRE(curves.size() == 3);
    CHECK(curves[0].toObject()["schedule"].toString().startsWith("inferred: cosine"));
    CHECK(curves[2].toObject()["schedule"].toString().startsWith("inferred: two-stage"));
}

TEST_CASE("forecast predicts the end of a half-logged run with a band", "[cli][curve][mpl_data]") {
    if (!haveMplData()) {
        WARN("skipped: ../shared/datasets/mpl is missing (the authors' MPL curves)");
        return;
    }
    // The first half of 400M wsd_20000_24000 (no decay logged yet), the plan given on the
    // command line, the three training curves as siblings.
    QTemporaryDir dir;
    QFile in(mplCsv("400", "wsd_20000_24000"));
    REQUIRE(in.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(in.readAll()).split(u'\n', Qt::SkipEmptyParts);
    const QString half = dir.filePath(QStringLiteral("wsd_half.csv"));
    QFile out(half);
    REQUIRE(out.open(QIODevice::WriteOnly | QIODevice::Text));
    for (int i = 0; i <= lines.size() / 2; ++i)
        out.write((lines[i] + u'\n').toUtf8());
    out.close();
    const double truth = lines.back().section(u',', 2, 2).toDouble();
    const auto r = runCli({"forecast",
                           "--input",
                           half,
                           "--sibling",
                           mplCsv("400", "cosine_24000"),
                           "--sibling",
                           mplCsv("400", "constant_24000"),
                           "--sibling",
                           mplCsv("400", "wsdcon_9"),
                           "--schedule",
                           "wsd",
                           "--peak-lr",
                           "3e-4",
                           "--final-lr",
                           "3e-5",
                           "--warmup",
                           "2160",
                           "--decay-start",
                           "20000",
                           "--total-steps",
                           "23937",
                           "--bootstrap",
                           "0",
                           "--threads",
                           "2",
                           "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject o = parseJson(r);
    CHECK(o["final_step"].toInt() == 23936);
    CHECK(o["final_loss"].toDouble() == Approx(truth).margin(0.03));
    CHECK(o["schedule"].toString().startsWith("wsd"));
    const QJsonArray band = o["band"].toArray();
    REQUIRE(band.size() == 2);
    CHECK(band[0].toDouble() <= o["final_loss"].toDouble());
}

TEST_CASE("forecast of the example's stopped run: the band covers its finished twin",
          "[cli][curve][forecast]") {
    // cosine-24k-stopped is logged to step 11,999 of a 24,000-step cosine; cosine-24k is the
    // same run finished (final loss 2.7564). The logged half decays the LR only to 62% of
    // the peak, so the rest of the decay is extrapolated, and the result says so.
    QTemporaryDir dir;
    const QString project = dir.filePath(QStringLiteral("example.scalelens"));
    REQUIRE(runCli({"example", "--project", project}).exitCode == 0);
    const auto r = runCli({"forecast", "--project", project, "--run", "cosine-24k-stopped",
                           "--threads", "2", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject o = parseJson(r);
    const QJsonArray band = o["band"].toArray();
    REQUIRE(band.size() == 2);
    INFO("forecast " << o["final_loss"].toDouble() << " band [" << band[0].toDouble() << ", "
                     << band[1].toDouble() << "]");
    CHECK(band[0].toDouble() <= 2.7564);
    CHECK(2.7564 <= band[1].toDouble());
    CHECK(band[1].toDouble() - band[0].toDouble() < 0.25);
    CHECK(o["annealing_extrapolated"].toBool());
    CHECK(o["message"].toString().contains("the annealing term is extrapolated"));
    CHECK(o["band_assumes"].toString().contains("assumes the law holds to the end"));
}

TEST_CASE("fit --law lr-annealing and forecast: bad input exits 3 naming file and line",
          "[cli][curve]") {
    QTemporaryDir dir;
    const QString bad = dir.filePath(QStringLiteral("bad.csv"));
    QFile f(bad);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write("step,lr,loss\n100,1e-3,3.0\n200,1e-3,abc\n");
    f.close();
    auto r = runCli({"fit", "--law", "lr-annealing", "--input", bad});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("bad.csv:3:3: loss 'abc' is not a finite number"));
    CHECK(r.out.isEmpty());
    r = runCli(
        {"forecast", "--input", dir.filePath(QStringLiteral("none.csv")), "--total-steps", "1000"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("none.csv: cannot open the file"));
    r = runCli({"forecast", "--input", bad, "--total-steps", "1000", "--schedule", "cosine",
                "--peak-lr", "1e-3"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--schedule cosine requires --final-lr"));
}
