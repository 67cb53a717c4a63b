// Fit reports (Markdown, CSV, JSON) and the tab-separated copy of the results table
// (issue 5, items 4 and 6). The summary is built by hand here so every printed number is known;
// the fit-panel tests check that real engine results reach the same writers.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "test_fit_support.h"
#include "widgets/fit/fit_summary.h"
#include "widgets/fit/report_writer.h"

using namespace scalelens::ui;
namespace fit = scalelens::fit;

namespace {
FitSummary sampleSummary() {
    FitSummary s;
    s.lawId = QStringLiteral("chinchilla");
    s.lawTitle = QStringLiteral("Chinchilla parametric loss");
    s.formula = QStringLiteral("L = E + A/N^\u03b1 + B/D^\u03b2");
    s.citation = QStringLiteral("Hoffmann et al. 2022, Eq. 2");
    s.status = fit::FitStatus::Converged;
    s.message = QStringLiteral("4500 of 4500 starts converged");
    s.nPoints = 240;
    s.objective = 1.0182740178e-3;
    s.seconds = 0.25;
    s.created = QDateTime(QDate(2026, 11, 26), QTime(6, 0), Qt::UTC);
    s.data = {
        {QStringLiteral("selection"), QStringLiteral("Data"), QStringLiteral("All included runs")}};
    s.options = {
        {QStringLiteral("loss"), QStringLiteral("Loss"), QStringLiteral("huber")},
        {QStringLiteral("delta"), QStringLiteral("Huber \u03b4"), QStringLiteral("0.001")}};
    s.parameters = {
        {QStringLiteral("E"), QStringLiteral("E"), QStringLiteral("nats/token"),
         QStringLiteral("irreducible loss"), 1.817218, 0.0257, 1.77, 1.87},
        {QStringLiteral("alpha"), QStringLiteral("\u03b1"), {}, {}, 0.34731, 0.0154, 0.32, 0.38},
        {QStringLiteral("A"), QStringLiteral("A"), {}, {}, 477.83, kMissing, kMissing, kMissing}};
    s.derived = {{QStringLiteral("a"),
                  QStringLiteral("a = \u03b2/(\u03b1+\u03b2)"),
                  {},
                  {},
                  0.5139,
                  0.02,
                  0.47,
                  0.55}};
    s.goodness = {{QStringLiteral("rmse_log"),
                   QStringLiteral("RMSE (log loss)"),
                   0.0123,
                   {},
                   QStringLiteral("sqrt(mean(r^2))")}};
    s.backtest = {{QStringLiteral("backtest_mape"),
                   QStringLiteral("Back-test MAPE"),
                   1.5,
                   QStringLiteral("%"),
                   {}}};
    s.allocation = {{QStringLiteral("N_opt@1e21"),
                     QStringLiteral("N_opt at 1e21 FLOP"),
                     2.778e9,
                     QStringLiteral("params"),
                     {}}};
    return s;
}
}  // namespace

TEST_CASE("fit table copies as tab-separated text with exact numbers", "[report][tsv]") {
    const QString tsv = fitTableTsv(sampleSummary());
    const QStringList lines = tsv.split(QLatin1Char('\n'));
    REQUIRE(lines.size() >= 8);
    CHECK(lines[0] ==
          QStringLiteral("parameter\tvalue\tstandard error\t95% CI low\t95% CI high\tunit"));
    CHECK(lines[1] == QStringLiteral("E\t1.817218\t0.0257\t1.77\t1.87\tnats/token"));
    CHECK(lines[2] == QStringLiteral("alpha\t0.34731\t0.0154\t0.32\t0.38\t"));
    // Missing standard error and CI stay empty cells, never "nan".
    CHECK(lines[3] == QStringLiteral("A\t477.83\t\t\t\t"));
    CHECK(lines[4] == QStringLiteral("a\t0.5139\t0.02\t0.47\t0.55\t"));
    CHECK(lines[5].isEmpty());
    CHECK(lines[6] == QStringLiteral("measure\tvalue\tunit"));
    CHECK(lines[7] == QStringLiteral("rmse_log\t0.0123\t"));
    CHECK(lines[8] == QStringLiteral("backtest_mape\t1.5\t%"));
    CHECK_FALSE(tsv.contains(QStringLiteral("nan"), Qt::CaseInsensitive));
}

TEST_CASE("Markdown report holds law, data, options, parameters and citation",
          "[report][markdown]") {
    const QString md = fitReportMarkdown(sampleSummary());
    CHECK(md.startsWith(QStringLiteral("# Fit report: Chinchilla parametric loss\n")));
    CHECK(md.contains(QStringLiteral("Law: `L = E + A/N^\u03b1 + B/D^\u03b2`")));
    CHECK(md.contains(QStringLiteral("- Status: converged (4500 of 4500 starts converged)")));
    CHECK(md.contains(QStringLiteral("- Points used: 240")));
    CHECK(md.contains(QStringLiteral("- Objective: 0.001018274018")));
    CHECK(md.contains(QStringLiteral("- Data: All included runs")));
    CHECK(md.contains(QStringLiteral("- Huber \u03b4: 0.001")));
    CHECK(md.contains(QStringLiteral("| E | 1.8172 | 0.0257 | [1.77, 1.87] | nats/token |")));
    CHECK(md.contains(QStringLiteral("| A | 477.83 | \u2013 | \u2013 |  |")));
    CHECK(md.contains(QStringLiteral("## Derived quantities")));
    CHECK(md.contains(QStringLiteral("| N_opt at 1e21 FLOP | 2.778e9 | params |")));
    CHECK(md.contains(QStringLiteral("## Citation\n\nHoffmann et al. 2022, Eq. 2")));
    CHECK_FALSE(md.contains(QStringLiteral("Stale")));
    FitSummary stale = sampleSummary();
    stale.stale = true;
    CHECK(fitReportMarkdown(stale).contains(QStringLiteral("**Stale**")));
}

TEST_CASE("CSV report has one row per quantity", "[report][csv]") {
    const QString csv = fitReportCsv(sampleSummary());
    const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    CHECK(lines[0] == QStringLiteral("section,name,value,stderr,ci95_low,ci95_high,unit"));
    CHECK(lines.contains(QStringLiteral("law,id,chinchilla,,,,")));
    CHECK(lines.contains(QStringLiteral("law,citation,\"Hoffmann et al. 2022, Eq. 2\",,,,")));
    CHECK(lines.contains(QStringLiteral("parameter,E,1.817218,0.0257,1.77,1.87,nats/token")));
    CHECK(lines.contains(QStringLiteral("parameter,A,477.83,,,,")));
    CHECK(lines.contains(QStringLiteral("derived,a,0.5139,0.02,0.47,0.55,")));
    CHECK(lines.contains(QStringLiteral("option,delta,0.001,,,,")));
    CHECK(lines.contains(QStringLiteral("goodness,rmse_log,0.0123,,,,")));
    CHECK(lines.contains(QStringLiteral("backtest,backtest_mape,1.5,,,,%")));
    CHECK(lines.contains(QStringLiteral("allocation,N_opt@1e21,2778000000,,,,params")));
}

TEST_CASE("JSON report round-trips the summary", "[report][json]") {
    const FitSummary original = sampleSummary();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(fitReportJson(original), &parseError);
    REQUIRE(parseError.error == QJsonParseError::NoError);
    const QJsonObject o = doc.object();
    CHECK(o.value(QStringLiteral("law")).toString() == QStringLiteral("chinchilla"));
    CHECK(o.value(QStringLiteral("status")).toString() == QStringLiteral("converged"));
    // A missing standard error is null in JSON, not NaN (which JSON cannot hold).
    CHECK(o.value(QStringLiteral("params"))
              .toArray()
              .at(2)
              .toObject()
              .value(QStringLiteral("stderr"))
              .isNull());

    FitSummary back;
    QString error;
    REQUIRE(fromJson(o, &back, &error));
    CHECK(back.lawTitle == original.lawTitle);
    CHECK(back.status == fit::FitStatus::Converged);
    CHECK(back.nPoints == 240);
    CHECK(back.objective == original.objective);
    CHECK(back.created == original.created);
    REQUIRE(back.parameters.size() == 3);
    CHECK(back.parameters[0].ciHigh == 1.87);
    CHECK(std::isnan(back.parameters[2].standardError));
    CHECK(back.parameter(QStringLiteral("a"))->value == 0.5139);
    CHECK(back.allocation[0].value == 2.778e9);

    QJsonObject bad = o;
    bad[QStringLiteral("status")] = QStringLiteral("great");
    CHECK_FALSE(fromJson(bad, &back, &error));
    CHECK(error == QStringLiteral("'status' has the unknown value 'great'"));
}

TEST_CASE("saveFitReport picks the format from the suffix", "[report][file]") {
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const FitSummary s = sampleSummary();
    QString error;
    for (const char* name : {"fit.md", "fit.csv", "fit.json"}) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        REQUIRE(saveFitReport(s, path, &error));
        QFile f(path);
        REQUIRE(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        CHECK(bytes.contains("1.817218") ==
              (QString::fromLatin1(name) != QStringLiteral("fit.md")));
        CHECK(bytes.contains("chinchilla"));
    }
    CHECK_FALSE(saveFitReport(s, dir.filePath(QStringLiteral("fit.docx")), &error));
    CHECK(error == QStringLiteral("fit.docx: unknown report format (use .md, .csv or .json)"));
    CHECK_FALSE(saveFitReport(s, dir.filePath(QStringLiteral("missing/fit.md")), &error));
    CHECK(error.startsWith(dir.filePath(QStringLiteral("missing/fit.md"))));
}
