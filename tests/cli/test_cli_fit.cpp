// scalelens-cli fit --law chinchilla|kaplan|isoflop and allocate: JSON keys, values, exit codes.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <cmath>
#include <random>

#include "cli_runner.h"
#include "scalelens_catch.h"
#include "shared_data.h"

namespace {

using scalelens::test::CliRun;
using scalelens::test::parseJson;
using scalelens::test::runCli;

const QString kEpoch =
    QStringLiteral(SCALELENS_SHARED_DIR "/datasets/chinchilla/svg_extracted_data.csv");

// Writes a summary CSV (name,N,D,loss) from L = E + A/N^alpha + B/D^beta.
QString writeSynthetic(const QTemporaryDir& dir, const QString& name, bool isoflop) {
    const double E = 1.7, A = 400, B = 1200, alpha = 0.34, beta = 0.30;
    QFile f(dir.filePath(name));
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Text));
    f.write("name,N,C,loss\n");
    int k = 0;
    for (const double C : {1e18, 1e19, 1e20, 1e21}) {
        for (int i = 0; i < 9; ++i) {
            const double N = std::pow(10.0, 7.0 + 0.25 * i + 0.5 * std::log10(C / 1e18));
            const double D = C / (6 * N);
            const double L = E + A / std::pow(N, alpha) + B / std::pow(D, beta);
            f.write(QString("run%1,%2,%3,%4\n")
                        .arg(k++)
                        .arg(N, 0, 'g', 17)
                        .arg(isoflop ? C : C, 0, 'g', 17)
                        .arg(L, 0, 'g', 17)
                        .toUtf8());
        }
    }
    return f.fileName();
}

}  // namespace

TEST_CASE("fit --law chinchilla --json reproduces the Epoch grid fit", "[cli][chinchilla]") {
    SCALELENS_REQUIRE_SHARED("chinchilla/svg_extracted_data.csv");
    const auto r = runCli({"fit", "--law", "chinchilla", "--input", kEpoch, "--map",
                           "N=Model Size,C=Training FLOP,L=loss", "--drop-highest-loss", "5",
                           "--bootstrap", "200", "--seed", "7", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject o = parseJson(r);
    CHECK(o["law"].toString() == "chinchilla");
    CHECK(o["status"].toString() == "converged");
    CHECK(o["n_points"].toInt() == 240);
    CHECK(o["objective"].toDouble() <= 1.01827402e-3);
    CHECK(o["seconds"].toDouble() > 0);
    const QJsonObject p = o["params"].toObject();
    CHECK(p["A"].toDouble() == Approx(477.83).epsilon(1e-3));
    CHECK(p["B"].toDouble() == Approx(2143.42).epsilon(1e-3));
    CHECK(p["E"].toDouble() == Approx(1.817218).epsilon(1e-3));
    CHECK(p["alpha"].toDouble() == Approx(0.347310).epsilon(1e-3));
    CHECK(p["beta"].toDouble() == Approx(0.367172).epsilon(1e-3));
    for (const char* key : {"E", "A", "B", "alpha", "beta"}) {
        INFO(key);
        CHECK(o["stderr"].toObject()[key].toDouble() > 0);
        CHECK(o["ci95"].toObject()[key].toArray().size() == 2);
    }
    const QJsonObject a = o["allocation"].toObject();
    // a = beta/(alpha+beta) from the fitted exponents.
    CHECK(a["a"].toDouble() == Approx(0.367172 / (0.347310 + 0.367172)).epsilon(2e-3));
    CHECK(a["a"].toDouble() + a["b"].toDouble() == Approx(1.0).epsilon(1e-12));
    CHECK(a["G"].toDouble() > 0);
}

TEST_CASE("fit needs a known --law, bad options exit 2", "[cli][chinchilla]") {
    auto r = runCli({"fit", "--input", kEpoch});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--law is required"));
    r = runCli({"fit", "--law", "nope"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("unknown law 'nope'"));
    r = runCli({"fit", "--law", "chinchilla", "--input", kEpoch, "--loss", "l1"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("is not huber, ols or mle"));
    r = runCli({"fit", "--help"});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("chinchilla"));
    CHECK(r.out.contains("isoflop"));
}

TEST_CASE("fit with too few points fails with exit 3 and a message", "[cli][chinchilla]") {
    QTemporaryDir dir;
    QFile f(dir.filePath("few.csv"));
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write("name,N,D,loss\na,1e8,1e9,3.1\nb,2e8,2e9,2.9\nc,4e8,4e9,2.7\n");
    f.close();
    const auto r = runCli({"fit", "--law", "chinchilla", "--input", f.fileName(), "--json"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("need at least 5 points to fit 5 parameters, got 3"));
    const QJsonObject o = parseJson(r);
    CHECK(o["status"].toString() == "failed");
}

TEST_CASE("fit --law isoflop recovers a = beta/(alpha+beta) on synthetic IsoFLOP data",
          "[cli][isoflop]") {
    QTemporaryDir dir;
    const QString path = writeSynthetic(dir, "iso.csv", true);
    const auto r = runCli({"fit", "--law", "isoflop", "--input", path, "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject o = parseJson(r);
    CHECK(o["status"].toString() == "converged");
    CHECK(o["budgets"].toArray().size() == 4);
    // Exact data: IsoFLOP minima follow N_opt ~ C^(beta/(alpha+beta)) = C^0.46875 up to the
    // parabola approximation (tolerance 2%).
    CHECK(o["allocation"].toObject()["a"].toDouble() == Approx(0.30 / 0.64).epsilon(0.02));
}

TEST_CASE("fit --law kaplan fits synthetic Kaplan data", "[cli][kaplan]") {
    QTemporaryDir dir;
    QFile f(dir.filePath("kaplan.csv"));
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write("name,N,D,loss\n");
    int k = 0;
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
            const double N = std::pow(10.0, 7 + 0.5 * i), D = std::pow(10.0, 9 + 0.5 * j);
            const double L = std::pow(std::pow(6.4e13 / N, 0.076 / 0.103) + 1.8e13 / D, 0.103);
            f.write(QString("r%1,%2,%3,%4\n").arg(k++).arg(N).arg(D).arg(L, 0, 'g', 17).toUtf8());
        }
    f.close();
    const auto r =
        runCli({"fit", "--law", "kaplan", "--input", f.fileName(), "--loss", "ols", "--json"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QJsonObject p = parseJson(r)["params"].toObject();
    CHECK(p["alphaN"].toDouble() == Approx(0.076).epsilon(1e-4));
    CHECK(p["alphaD"].toDouble() == Approx(0.103).epsilon(1e-4));
    CHECK(p["Nc"].toDouble() == Approx(6.4e13).epsilon(1e-3));
    CHECK(p["Dc"].toDouble() == Approx(1.8e13).epsilon(1e-3));
}

TEST_CASE("allocate gives laws.md §E vectors from presets and params", "[cli][allocate]") {
    auto r = runCli({"allocate", "--compute", "1e21", "--preset", "hoffmann2022", "--json"});
    REQUIRE(r.exitCode == 0);
    QJsonObject o = parseJson(r);
    CHECK(o["N_opt"].toDouble() == Approx(1.824e9).epsilon(1e-3));
    CHECK(o["D_opt"].toDouble() == Approx(9.136e10).epsilon(1e-3));
    CHECK(o["tokens_per_param"].toDouble() == Approx(50.1).epsilon(2e-3));
    CHECK(o["loss"].toDouble() == Approx(2.3289).epsilon(5e-5));
    r = runCli({"allocate", "--compute", "5.76e23", "--params",
                "1.8172,482.01,2085.43,0.3478,0.3658", "--json"});
    REQUIRE(r.exitCode == 0);
    o = parseJson(r);
    CHECK(o["N_opt"].toDouble() == Approx(7.225e10).epsilon(1e-3));
    CHECK(o["D_opt"].toDouble() == Approx(1.329e12).epsilon(1e-3));
    CHECK(o["tokens_per_param"].toDouble() == Approx(18.4).epsilon(3e-3));
}

TEST_CASE("allocate rejects bad arguments with exit 2", "[cli][allocate]") {
    auto r = runCli({"allocate", "--preset", "hoffmann2022"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("--compute is required"));
    r = runCli({"allocate", "--compute", "1e21", "--params", "1,2,3"});
    CHECK(r.exitCode == 2);
    CHECK(r.err.contains("needs 5 values"));
    r = runCli({"allocate", "--compute", "1e21", "--preset", "x"});
    CHECK(r.exitCode == 2);
    r = runCli({"allocate", "--compute", "1e21", "--params", "1.69,-406,410,0.34,0.28"});
    CHECK(r.exitCode == 3);
    CHECK(r.err.contains("A must be finite and > 0"));
}
