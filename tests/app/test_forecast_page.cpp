// The "Curve forecast" page at 1366x768 (issue 10, GUI): in the main window's default layout,
// light and dark, with the what-if table shown and hidden, the forecast note stays whole (not
// collapsed to one line), the central area leaves the Runs and Fit docks their default widths, no
// axis title or label is elided, the LR panel keeps its 80 px, the loss panel stays the larger, and
// the table's height is bounded (a few rows, then it scrolls). Switching the law recomputes in the
// view's data step, not on the GUI thread.
//
// SCALELENS_TEST_SHOTS=DIR saves each state's window as a PNG there (to look at the page).
#include <datasets/examples.h>
#include <widgets/base/theme.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/forecast_view.h>
#include <widgets/views/forecast_whatif_table.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>

#include "example_window.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

// The LR panel's least plot height (tests/app/test_plot_room.cpp, widgets/src/plot/).
constexpr double kMinLrPlotHeight = 79.5;
// The default widths of the Runs and Fit docks (MainWindow::createDocks) and the room a 1366 px
// window leaves between them (separators and margins): the central area's least width (the
// widest page's, the forecast bar's, on every page) must fit there, or the Runs dock is
// squeezed (at 78 px every run name read "...").
constexpr int kDockWidths = 270 + 300;
constexpr int kDockSeparators = 16;
// The loss panel's least plot height at 1366x768 with the what-if table shown (the table
// shrinks to two rows first; app::PlotTabs::kForecastPlotMinHeight).
constexpr double kMinLossPlotHeight = 100;

void checkPage(app::MainWindow& window, const QString& where) {
    app::PlotTabs* tabs = window.plotTabs();
    ui::PlotView* view = tabs->plotView(QStringLiteral("curve-forecast"));
    REQUIRE(view);
    REQUIRE(view->panelCount() == 2);
    const QString notes = view->notes(0);
    INFO(where.toStdString() << " notes: " << notes.toStdString());
    // The numbers the note must keep.
    CHECK(notes.contains(QStringLiteral("Multi-Power")));
    CHECK(notes.contains(QStringLiteral("band")));
    CHECK_FALSE(view->notesCollapsed(0));
    // The window keeps the size asked for (a bar or table wider than the room would grow it).
    CHECK(window.width() == 1366);
    CHECK(window.height() == 768);
    const int central = window.centralWidget()->minimumSizeHint().width();
    INFO("central area needs " << central << " px");
    CHECK(central <= 1366 - kDockWidths - kDockSeparators);
    const double loss = view->plotAreaInFigure(0).height();
    const double lr = view->plotAreaInFigure(1).height();
    INFO("loss plot " << loss << " px, LR plot " << lr << " px, view " << view->height() << " px");
    CHECK(lr >= kMinLrPlotHeight);
    CHECK(loss >= kMinLossPlotHeight);
    CHECK(loss > lr);
    for (const ui::PlotView::DrawnText& t : view->drawnTexts()) {
        INFO("panel " << t.panel << " '" << t.text.toStdString() << "' needs " << t.width
                      << " px, given " << t.available);
        CHECK_FALSE(t.elided);
    }
    ui::ForecastWhatIfTable* table = tabs->forecastWhatIfTable();
    REQUIRE(table);
    if (table->isVisible()) {
        const int rows = table->table()->verticalHeader()->defaultSectionSize();
        INFO("table " << table->height() << " px, rows " << rows << " px");
        WARN(where.toStdString() << ": loss plot " << loss << " px, LR plot " << lr << " px, table "
                                 << table->table()->height() << " px");
        CHECK(table->table()->height() <= ui::ForecastWhatIfTable::kVisibleRows * rows +
                                              table->table()->horizontalHeader()->height() +
                                              2 * table->table()->frameWidth() + 2);
        // At least two rows show; the rest scroll.
        CHECK(table->table()->viewport()->height() >= 2 * rows);
    }
    const QString shots = qEnvironmentVariable("SCALELENS_TEST_SHOTS");
    if (!shots.isEmpty())
        window.grab().save(QDir(shots).filePath(
            QString(where).replace(QLatin1Char(' '), QLatin1Char('-')) + QStringLiteral(".png")));
}

}  // namespace

TEST_CASE("the curve forecast page keeps its note, labels and plots at 1366x768",
          "[main_window][plot][layout][forecast]") {
    testing::ExampleWindow example;
    app::MainWindow& window = *example.window;
    window.resize(1366, 768);
    app::PlotTabs* tabs = window.plotTabs();
    QStringList built;
    QObject::connect(tabs, &app::PlotTabs::viewBuilt, [&](const QString& id) { built << id; });
    const QString id = QStringLiteral("curve-forecast");
    auto waitBuilt = [&](qsizetype before) {
        return testing::waitFor([&] { return built.count(id) > before; }, 600000);
    };
    REQUIRE(tabs->showView(id));
    REQUIRE(waitBuilt(0));
    ui::ForecastWhatIfTable* table = tabs->forecastWhatIfTable();
    REQUIRE(table);
    auto* whatIf = tabs->findChild<QPushButton*>(QStringLiteral("forecastWhatIf"));
    REQUIRE(whatIf);

    for (const bool withTable : {false, true}) {
        if (whatIf->isChecked() != withTable) {
            const auto before = built.count(id);
            whatIf->setChecked(withTable);
            REQUIRE(waitBuilt(before));
        }
        CHECK(table->isVisible() == withTable);
        if (withTable)
            CHECK(table->rowCount() >= 3);
        for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {
            window.setTheme(theme, false);
            QApplication::processEvents();
            testing::waitFor([] { return false; }, 1000);  // let the layout settle
            checkPage(window,
                      QStringLiteral("1366x768 %1 %2")
                          .arg(ui::themeName(theme),
                               withTable ? QStringLiteral("what-if") : QStringLiteral("no-table")));
        }
    }

    // Another law: recomputed in the data step (a new cache key), none of it on the GUI thread.
    const long long onGui = ui::forecastEvaluationsOnGuiThread();
    auto* law = tabs->findChild<QComboBox*>(QStringLiteral("forecastLaw"));
    REQUIRE(law);
    const auto before = built.count(id);
    law->setCurrentIndex(1);
    REQUIRE(waitBuilt(before));
    CHECK(tabs->lastBuildPrepared());
    CHECK(ui::forecastEvaluationsOnGuiThread() == onGui);
    ui::PlotView* view = tabs->plotView(id);
    bool lra = false;
    for (int i = 0; i < view->seriesCount(); ++i)
        lra = lra || view->seriesName(i).startsWith(QStringLiteral("LR-annealing law fit"));
    CHECK(lra);
    window.close();
}
