// Diagnostics carried by analysis::FitSummary (issue 9): the fitting layer's findings, plus the
// selection's own (runs stopped mid-schedule left out, runs of several sweeps mixed), kept
// through the summary's JSON and fit_store.
#include <analysis/fit_jobs.h>
#include <analysis/fit_summary.h>
#include <analysis/law_inputs.h>
#include <analysis/selection_diagnostics.h>
#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

const fit::Diagnostic* find(const std::vector<fit::Diagnostic>& list, const std::string& code) {
    for (const fit::Diagnostic& d : list)
        if (d.code == code)
            return &d;
    return nullptr;
}

double chinchilla(double N, double D) {
    return 1.69 + 406.4 / std::pow(N, 0.34) + 410.7 / std::pow(D, 0.28);
}

// A real-looking small sweep: 5 sizes x 4 token counts of the Chinchilla law with +-0.3%
// deterministic noise; the runs in `stopped` were killed early (status column), so their last
// logged loss is 8% above where their schedule would have ended.
std::string sweepCsv(const std::vector<int>& stopped, const std::string& group = {},
                     const std::string& prefix = "r", bool header = true) {
    std::ostringstream csv;
    csv.precision(17);
    if (header)
        csv << "name,N,D,loss,status" << (group.empty() ? "" : ",group") << "\n";
    const double sizes[] = {1e7, 3e7, 1e8, 3e8, 1e9};
    const double tokens[] = {1e9, 3e9, 1e10, 3e10};
    int i = 0;
    for (double N : sizes) {
        for (double D : tokens) {
            const bool stop = std::find(stopped.begin(), stopped.end(), i) != stopped.end();
            const double noise = 1 + 0.003 * ((i * 7) % 5 - 2) / 2.0;
            csv << prefix << i << "," << N << "," << D << ","
                << chinchilla(N, D) * noise * (stop ? 1.08 : 1.0) << ","
                << (stop ? "stopped" : "finished") << (group.empty() ? "" : "," + group) << "\n";
            ++i;
        }
    }
    return csv.str();
}

}  // namespace

TEST_CASE("Runs stopped mid-schedule are left out and counted in the diagnostics",
          "[analysis][diagnostics]") {
    test::TempDir tmp;
    auto project = test::projectFromCsv(tmp, sweepCsv({3, 9, 14}), "sweep");
    analysis::Selection selection;
    selection.group = "sweep";
    analysis::FitJobOptions options;
    options.grid = analysis::StartGrid::Coarse;
    analysis::FitJob job;
    QString error;
    REQUIRE(analysis::prepareFitJob(*project, QStringLiteral("chinchilla"), selection, options,
                                    &job, &error));
    const fit::Diagnostic* stopped = find(job.selectionDiagnostics, "stopped_excluded");
    REQUIRE(stopped);
    CHECK(stopped->severity == fit::Severity::Warning);
    CHECK(stopped->message.find("3 runs stopped mid-schedule") != std::string::npos);
    CHECK(job.ndl.obs.size() == 17);

    const analysis::FitSummary s = analysis::runFitJob(job);
    INFO(s.message.toStdString() << " | " << analysis::diagnosticLines(s).join("; ").toStdString());
    // The stopped runs are out, so the remaining 17 clean points give the law back.
    CHECK(s.status == fit::FitStatus::Converged);
    CHECK(s.nPoints == 17);
    REQUIRE(s.parameter(QStringLiteral("alpha")));
    CHECK(s.parameter(QStringLiteral("alpha"))->value == Approx(0.34).margin(0.03));
    CHECK(s.parameter(QStringLiteral("beta"))->value == Approx(0.28).margin(0.03));
    CHECK(s.worstSeverity() == fit::Severity::Warning);
    CHECK(find(s.diagnostics, "stopped_excluded"));
    CHECK(analysis::diagnosticLines(s, fit::Severity::Warning)
              .join(QLatin1Char('\n'))
              .contains(QStringLiteral("[warning] stopped_excluded: 3 runs")));

    // Asking for the stopped runs puts them in, with a warning of its own.
    selection.excludeStoppedMidSchedule = false;
    analysis::FitJob all;
    REQUIRE(analysis::prepareFitJob(*project, QStringLiteral("chinchilla"), selection, options,
                                    &all, &error));
    CHECK(all.ndl.obs.size() == 20);
    CHECK_FALSE(find(all.selectionDiagnostics, "stopped_excluded"));
    const fit::Diagnostic* included = find(all.selectionDiagnostics, "stopped_included");
    REQUIRE(included);
    CHECK(included->message.find("3 runs") == 0);
}

TEST_CASE("A clean synthetic sweep reports no warning", "[analysis][diagnostics]") {
    test::TempDir tmp;
    auto project = test::projectFromCsv(tmp, sweepCsv({}), "sweep");
    analysis::Selection selection;
    selection.group = "sweep";
    analysis::FitJobOptions options;
    options.grid = analysis::StartGrid::Coarse;
    analysis::FitJob job;
    QString error;
    REQUIRE(analysis::prepareFitJob(*project, QStringLiteral("chinchilla"), selection, options,
                                    &job, &error));
    CHECK(job.selectionDiagnostics.empty());
    const analysis::FitSummary s = analysis::runFitJob(job);
    INFO(analysis::diagnosticLines(s).join("; ").toStdString());
    CHECK(s.status == fit::FitStatus::Converged);
    CHECK_FALSE(s.hasWarnings());
    CHECK(s.parameter(QStringLiteral("E"))->value == Approx(1.69).margin(0.05));
}

TEST_CASE("Runs of several sweeps under one loss metric are flagged", "[analysis][diagnostics]") {
    test::TempDir tmp;
    // Two groups in one file: the group column wins over the import's group.
    const std::string csv = sweepCsv({}, "sweep-a") + sweepCsv({}, "sweep-b", "b", false);
    auto project = test::projectFromCsv(tmp, csv, "imported");
    analysis::RunTable table;
    std::string why;
    REQUIRE(analysis::loadRunTable(*project, analysis::Selection{}, &table, &why));
    const analysis::NdlInputs in = analysis::ndlInputs(table);
    REQUIRE(in.size() == 40);
    const auto found = analysis::selectionDiagnostics(table, in);
    const fit::Diagnostic* mixed = find(found, "mixed_sweeps");
    REQUIRE(mixed);
    CHECK(mixed->severity == fit::Severity::Warning);
    CHECK(mixed->message.find("2 sweeps ('sweep-a', 'sweep-b')") != std::string::npos);

    // One group: nothing to say.
    analysis::Selection one;
    one.group = "sweep-a";
    REQUIRE(analysis::loadRunTable(*project, one, &table, &why));
    CHECK(analysis::selectionDiagnostics(table, analysis::ndlInputs(table)).empty());
}

TEST_CASE("FitSummary keeps diagnostics and parameter flags through its JSON",
          "[analysis][diagnostics]") {
    analysis::FitSummary s;
    s.lawId = QStringLiteral("chinchilla");
    s.status = fit::FitStatus::Converged;
    s.message = QStringLiteral("converged");
    analysis::FitParameterRow e;
    e.name = QStringLiteral("E");
    e.value = 1e-9;
    e.flags = fit::kEstimateAtBound | fit::kEstimateIllConditioned;
    s.parameters.push_back(e);
    analysis::addDiagnostics({{"few_points", fit::Severity::Warning, "7 points for 5"}}, &s);
    CHECK(s.status == fit::FitStatus::Converged);  // a warning keeps the status
    analysis::addDiagnostics({{"param_at_bound", fit::Severity::Unreliable, "E at 0"}}, &s);
    CHECK(s.status == fit::FitStatus::Unreliable);
    CHECK(s.message == QStringLiteral("unreliable: E at 0"));
    CHECK(analysis::diagnosticLines(s).first() ==
          QStringLiteral("[unreliable] param_at_bound: E at 0"));
    CHECK(analysis::flagText(e.flags) == QStringLiteral("at bound, ill-conditioned"));

    const QJsonObject json = analysis::toJson(s);
    CHECK(json[QStringLiteral("diagnostics")].toArray().size() == 2);
    analysis::FitSummary back;
    QString error;
    REQUIRE(analysis::fromJson(json, &back, &error));
    REQUIRE(back.diagnostics.size() == 2);
    CHECK(back.diagnostics[1].code == "param_at_bound");
    CHECK(back.diagnostics[1].severity == fit::Severity::Unreliable);
    CHECK(back.status == fit::FitStatus::Unreliable);
    REQUIRE(back.parameters.size() == 1);
    CHECK(back.parameters[0].flags == e.flags);

    QJsonObject broken = json;
    broken[QStringLiteral("diagnostics")] = QJsonArray{QJsonObject{{"code", "x"}}};
    CHECK_FALSE(analysis::fromJson(broken, &back, &error));
    CHECK(error.contains(QStringLiteral("diagnostics")));
}
