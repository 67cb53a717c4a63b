// The curve forecast's what-if table (widgets/views/forecast_whatif_table.h): its cells are
// analysis::computeWhatIf's numbers (1e-12), the difference is "this schedule minus the run's
// own", it sorts by value, and Ctrl+C copies the selected rows as TSV under a header.
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QTableWidget>
#include <QtTest/QTest>
#include <cmath>
#include <map>

#include <analysis/curve_forecast_job.h>
#include <fitting/curve_law.h>
#include <fitting/lr_schedule.h>

#include "scalelens_catch.h"
#include "widgets/views/forecast_whatif_table.h"

using namespace scalelens;
using namespace scalelens::ui;

namespace {

// A run stopped half-way through a cosine plan, generated from the published 400M Multi-Power
// Law (laws.md G.1), fitted and compared under the what-if schedules: no project needed.
analysis::CurveWhatIf whatIf() {
    fit::ScheduleDefinition plan;
    plan.shape = fit::ScheduleShape::Cosine;
    plan.peakLr = 3e-4;
    plan.finalLr = 3e-5;
    plan.warmupSteps = 500;
    plan.totalSteps = 8000;
    analysis::CurveForecastJob job;
    job.plan = plan;
    job.target.lr = plan.materialise();
    for (long s = 599; s <= 3999; s += 100)
        job.target.steps.push_back(s);
    job.target.loss = fit::predictMpl(fit::MplParams::luo2025(fit::MplPublishedSize::M400),
                                      job.target.lr, job.target.steps);
    for (std::size_t i = 0; i < job.target.loss.size(); ++i)
        job.target.loss[i] *= 1 + 1e-3 * std::sin(1.7 * static_cast<double>(i));
    job.measuredSteps = job.target.steps;
    job.measuredLoss = job.target.loss;
    job.fittedPoints = job.target.steps.size();
    fit::ForecastOptions options = analysis::defaultCurveForecastOptions();
    options.fit.bootstrapResamples = 4;  // a band, quickly
    const analysis::CurveForecastOutcome out = analysis::runCurveForecast(job, options);
    REQUIRE(fit::isUsable(out.result.status));
    return analysis::computeWhatIf(out);
}

}  // namespace

TEST_CASE("the what-if table shows computeWhatIf's numbers, sorts, and copies TSV",
          "[forecast][whatif][views]") {
    const analysis::CurveWhatIf w = whatIf();
    REQUIRE(w.schedules.size() >= 3);  // plan, WSD 10%, WSD 20% (cosine is the plan)
    REQUIRE(w.names.front() == "plan");
    const double plan = w.schedules.front().finalLoss;
    std::map<QString, std::size_t> byName;
    for (std::size_t i = 0; i < w.names.size(); ++i)
        byName[QString::fromStdString(w.names[i])] = i;

    ForecastWhatIfTable table;
    table.resize(700, 200);
    table.setWhatIf(w);
    // One row per schedule, and the searched best WSD cooldown.
    REQUIRE(w.searched);
    const QString bestName = QStringLiteral("best WSD %1%").arg(std::lround(100 * w.bestFraction));
    REQUIRE(table.rowCount() == static_cast<int>(w.schedules.size()) + 1);
    // Every cell against the computation, whatever the row order.
    auto checkCells = [&] {
        bool someDifference = false;
        for (int r = 0; r < table.rowCount(); ++r) {
            const QString name = table.text(r, ForecastWhatIfTable::Name);
            if (name == bestName) {
                CHECK(std::abs(table.value(r, ForecastWhatIfTable::FinalLoss) - w.bestLoss) <=
                      1e-12);
                CHECK(std::isnan(table.value(r, ForecastWhatIfTable::BandLow)));
                CHECK(std::isnan(table.value(r, ForecastWhatIfTable::BandHigh)));
                CHECK(std::abs(table.value(r, ForecastWhatIfTable::VsPlan) - (w.bestLoss - plan)) <=
                      1e-12);
                continue;
            }
            REQUIRE(byName.count(name));
            const fit::ScheduleForecast& s = w.schedules[byName[name]];
            INFO("row " << r << " " << name.toStdString());
            CHECK(std::abs(table.value(r, ForecastWhatIfTable::FinalLoss) - s.finalLoss) <= 1e-12);
            CHECK(std::abs(table.value(r, ForecastWhatIfTable::BandLow) - s.finalBand.lower) <=
                  1e-12);
            CHECK(std::abs(table.value(r, ForecastWhatIfTable::BandHigh) - s.finalBand.upper) <=
                  1e-12);
            // The sign: this schedule's final loss minus the run's own (negative = better).
            const double diff = table.value(r, ForecastWhatIfTable::VsPlan);
            CHECK(std::abs(diff - (s.finalLoss - plan)) <= 1e-12);
            someDifference = someDifference || std::abs(s.finalLoss - plan) > 1e-6;
        }
        CHECK(someDifference);  // a flipped sign cannot pass as 0 == -0
    };
    checkCells();
    // The WSD cooldowns end lower than the cosine plan in this law (more LR area, then a
    // decay): their differences are negative.
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.text(r, ForecastWhatIfTable::Name).startsWith(QStringLiteral("WSD")))
            CHECK(table.value(r, ForecastWhatIfTable::VsPlan) < 0);

    // Sorted by the predicted final loss, descending: by value, cells kept with their rows.
    table.table()->sortItems(ForecastWhatIfTable::FinalLoss, Qt::DescendingOrder);
    for (int r = 1; r < table.rowCount(); ++r)
        CHECK(table.value(r - 1, ForecastWhatIfTable::FinalLoss) >=
              table.value(r, ForecastWhatIfTable::FinalLoss));
    checkCells();

    // TSV: a header, then the selected rows with the numbers read back exactly.
    table.table()->selectRow(1);
    const QString tsv = table.selectionAsTsv();
    const QStringList lines = tsv.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] ==
          QStringLiteral("Schedule\tPredicted final loss\tBand low\tBand high\tvs own schedule"));
    const QStringList cells = lines[1].split(QLatin1Char('\t'));
    REQUIRE(cells.size() == 5);
    CHECK(cells[0] == table.text(1, ForecastWhatIfTable::Name));
    for (int c = 1; c < 5; ++c) {
        INFO("column " << c << " '" << cells[c].toStdString() << "'");
        bool ok = false;
        CHECK(std::abs(cells[c].toDouble(&ok) - table.value(1, c)) <= 1e-12);
        CHECK(ok);
    }
    // Ctrl+C puts it on the clipboard.
    table.show();
    table.table()->setFocus();
    QTest::keySequence(table.table(), QKeySequence::Copy);
    QApplication::processEvents();
    CHECK(QApplication::clipboard()->text() == tsv);

    // At most five rows show; more scroll, so the plot above keeps its room.
    const int rowHeight = table.table()->verticalHeader()->defaultSectionSize();
    CHECK(table.table()->maximumHeight() <=
          ForecastWhatIfTable::kVisibleRows * rowHeight +
              table.table()->horizontalHeader()->sizeHint().height() +
              2 * table.table()->frameWidth() + 2);
    table.setWhatIf(std::nullopt);
    CHECK(table.rowCount() == 0);
}
