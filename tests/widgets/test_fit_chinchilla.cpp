// Fit panel on the Chinchilla engine (issue 5, item 7): a fit on a small synthetic data set
// fills the table with exactly what fitChinchilla returns, a bootstrap fit can be cancelled,
// and the fitted law becomes a compute-optimal preset.
#include <fitting/allocation.h>
#include <fitting/chinchilla_fit.h>
#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <cmath>

#include "test_fit_support.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"
#include "widgets/calculators/calculators_panel.h"
#include "widgets/fit/fit_engines.h"
#include "widgets/fit/fit_panel.h"
#include "widgets/fit/fit_store.h"

using namespace scalelens::ui;
namespace fit = scalelens::fit;
using scalelens::test::waitUntil;

namespace {
// 5 x 5 grid of (N, D) from the Besiroglu et al. 2024 law with a deterministic +-1% wiggle,
// so the fit is well posed but not exact.
FitJob syntheticJob(int bootstrap) {
    const fit::ChinchillaParams truth = fit::ChinchillaParams::besiroglu2024();
    scalelens::analysis::RunTable table;
    table.lossMetric = "loss";
    auto& loss = table.metrics["loss"];
    int k = 0;
    for (double n : {1e8, 3e8, 1e9, 3e9, 1e10}) {
        for (double d : {2e9, 6e9, 2e10, 6e10, 2e11}) {
            ++k;
            scalelens::data::Run run;
            run.id = k;
            run.name = "run-" + std::to_string(k);
            run.totalParams = n;
            run.tokens = d;
            run.flops = 6 * n * d;
            table.runs.push_back(run);
            loss.push_back(truth.loss(n, d) * (1.0 + 0.01 * std::sin(1.7 * k)));
        }
    }
    FitJobOptions options;
    options.bootstrap = bootstrap;
    options.grid = StartGrid::Coarse;
    FitJob job;
    QString error;
    REQUIRE(prepareFitJob(table, QStringLiteral("chinchilla"), options, &job, &error));
    return job;
}

std::vector<fit::Observation> observations(const FitJob& job) {
    std::vector<fit::Observation> obs;
    for (const fit::Observation& o : job.ndl.obs)
        obs.push_back({o.x1, o.x2, o.loss, 1.0, {}});
    return obs;
}
}  // namespace

TEST_CASE("a Chinchilla fit in the panel shows exactly the engine's result", "[fit][chinchilla]") {
    REQUIRE(findFitLaw(QStringLiteral("chinchilla")) != nullptr);
    FitPanel panel;
    const FitJob job = syntheticJob(0);
    panel.startJob(job);
    REQUIRE(waitUntil([&] { return !panel.isRunning(); }, 60000));
    const FitSummary& s = panel.currentSummary();
    INFO(s.message.toStdString());
    REQUIRE(s.status == fit::FitStatus::Converged);

    fit::FitOptions options;
    options.grid = fit::StartGrid::published();
    options.grid.a = {0, 10, 20};
    options.grid.b = {0, 10, 20};
    options.grid.e = {-1, 0, 1};
    options.grid.alpha = {0, 1, 2};
    options.grid.beta = {0, 1, 2};
    const fit::FitResult direct = fit::fitChinchilla(observations(job), options);
    REQUIRE(fit::isUsable(direct.status));
    CHECK(s.nPoints == 25);
    CHECK(s.objective == Approx(direct.objective).epsilon(1e-9));
    for (const char* name : {"E", "A", "B", "alpha", "beta"}) {
        const FitParameterRow* row = s.parameter(QString::fromLatin1(name));
        REQUIRE(row != nullptr);
        CHECK(row->value == Approx(direct.value(name)).epsilon(1e-6));
    }
    // Goodness of fit from the engine's diagnostics.
    bool sawRmse = false;
    for (const FitMetricRow& m : s.goodness) {
        if (m.name == QStringLiteral("rmse_log")) {
            CHECK(m.value == Approx(direct.goodness.rmseLog).epsilon(1e-9));
            sawRmse = true;
        }
    }
    CHECK(sawRmse);
    // The table's first row is E with the engine's value.
    auto* table = panel.findChild<QTableWidget*>(QStringLiteral("resultsTable"));
    REQUIRE(table->rowCount() >= 5);
    CHECK(table->item(0, 0)->text().startsWith(QStringLiteral("E")));
    CHECK(parseNumber(table->item(0, 1)->text()).value() ==
          Approx(direct.value("E")).epsilon(1e-5));

    // The allocation at 1e21 in the summary equals fit::computeAllocation on the fitted law.
    const auto params = chinchillaParams(s);
    REQUIRE(params.has_value());
    const fit::Allocation a = fit::computeAllocation(*params, 1e21);
    bool sawNopt = false;
    for (const FitMetricRow& m : s.allocation) {
        if (m.name == QStringLiteral("N_opt@1e21")) {
            CHECK(m.value == Approx(a.nOpt).epsilon(1e-12));
            sawNopt = true;
        }
    }
    CHECK(sawNopt);

    // "Use as preset" puts the fit into the compute-optimal calculator and selects it.
    CalculatorsPanel calculators;
    REQUIRE(calculators.addFittedPreset(s));
    auto* source = calculators.findChild<QComboBox*>(QStringLiteral("computeSource"));
    CHECK(source->currentText().startsWith(QStringLiteral("Fit: chinchilla")));
    auto* nOpt = calculators.findChild<QLabel*>(QStringLiteral("nOptLabel"));
    CHECK(nOpt->text() == formatCount(a.nOpt, QStringLiteral("params")));
}

TEST_CASE("cancelling a Chinchilla bootstrap returns the panel to idle", "[fit][chinchilla]") {
    FitPanel panel;
    FitJob job = syntheticJob(100000);
    panel.startJob(job);
    REQUIRE(panel.isRunning());
    // Let the bootstrap start, then cancel.
    waitUntil(
        [&] { return panel.findChild<QProgressBar*>(QStringLiteral("progressBar"))->value() > 0; },
        5000);
    panel.cancelFit();
    REQUIRE(waitUntil([&] { return !panel.isRunning(); }, 30000));
    CHECK(panel.currentSummary().status == fit::FitStatus::Cancelled);
    CHECK(panel.findChild<QPushButton*>(QStringLiteral("fitButton")) != nullptr);
    CHECK_FALSE(panel.findChild<QPushButton*>(QStringLiteral("cancelButton"))->isEnabled());
}
