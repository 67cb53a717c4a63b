// Notes keep off the data (issue 12): in the main window's default layout, at 1366x768 and
// 1920x1080, light and dark, no view of the example project draws its note box (fit formula,
// diagnostics, banners) over a data point of any series or over a text label (the curve
// forecast's "forecast 2.736 [...]"). The points are mapped to the scene by Qt Charts itself
// (QChart::mapToPosition of the points it was handed), not by PlotView's own transform.
#include <datasets/examples.h>
#include <widgets/base/theme.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtCharts/QChart>
#include <QtCharts/QXYSeries>

#include "example_window.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

// Every drawn point of the panel's line and scatter series, in scene coordinates.
std::vector<std::pair<QString, QPointF>> drawnPoints(const ui::PlotView& view, int panel) {
    std::vector<std::pair<QString, QPointF>> out;
    QChart* chart = view.chart(panel);
    for (QAbstractSeries* series : chart->series()) {
        auto* xy = qobject_cast<QXYSeries*>(series);
        if (!xy || !xy->isVisible())
            continue;
        const QRectF plot = chart->plotArea();
        for (const QPointF& value : xy->points()) {
            const QPointF pos = chart->mapToPosition(value, xy);
            if (plot.contains(pos))  // clipped away otherwise
                out.emplace_back(xy->name(), chart->mapToScene(pos));
        }
    }
    return out;
}

// The visible text labels drawn over the data (PlotView::addText), other than the note.
std::vector<std::pair<QString, QRectF>> labels(const ui::PlotView& view, const QRectF& note) {
    std::vector<std::pair<QString, QRectF>> out;
    for (QGraphicsItem* item : view.scene()->items()) {
        auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item);
        if (!text || !text->isVisible() || text->text().isEmpty())
            continue;
        const QRectF r = text->sceneBoundingRect();
        if (std::abs(r.left() - note.left()) < 0.5 && std::abs(r.top() - note.top()) < 0.5)
            continue;  // the note itself
        out.emplace_back(text->text(), r);
    }
    return out;
}

void checkNotes(const ui::PlotView& view, const std::string& where) {
    int notes = 0;
    for (int panel = 0; panel < view.panelCount(); ++panel) {
        const QRectF note = view.notesRect(panel);
        if (note.isEmpty())
            continue;
        ++notes;
        INFO(where << " panel " << panel << " note at (" << note.x() << ", " << note.y() << ") "
                   << note.width() << "x" << note.height()
                   << (view.notesCollapsed(panel) ? " collapsed" : "") << ": "
                   << view.notes(panel).toStdString());
        // Inside the figure, whole.
        CHECK(view.scene()->sceneRect().contains(note));
        for (int other = 0; other < view.panelCount(); ++other) {
            for (const auto& [name, point] : drawnPoints(view, other)) {
                INFO("series '" << name.toStdString() << "' point at (" << point.x() << ", "
                                << point.y() << ")");
                CHECK_FALSE(note.contains(point));
            }
        }
        for (const auto& [text, rect] : labels(view, note)) {
            INFO("label '" << text.toStdString() << "'");
            CHECK_FALSE(note.intersects(rect));
        }
        if (view.notesCollapsed(panel)) {
            // The summary shows the full note on hover.
            auto* canvas = view.findChild<QGraphicsView*>();
            REQUIRE(canvas != nullptr);
            const QPoint at = canvas->viewport()->mapTo(&view, canvas->mapFromScene(note.center()));
            CHECK(view.hoverTextAt(at, 0.5) == view.notes(panel));
        }
    }
    (void)notes;
}

}  // namespace

TEST_CASE("no view's note covers a data point or a label at 1366x768 and 1920x1080",
          "[main_window][plot][layout][notes]") {
    testing::ExampleWindow example;
    app::MainWindow& window = *example.window;

    int withNotes = 0;
    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
        for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {
            window.setTheme(theme, false);
            window.resize(size);
            QApplication::processEvents();
            for (const ui::ViewInfo& info : ui::viewCatalog()) {
                REQUIRE(window.plotTabs()->showView(info.id));
                window.plotTabs()->rebuildCurrentNow();
                QApplication::processEvents();
                ui::PlotView* view = window.plotTabs()->currentPlotView();
                REQUIRE(view != nullptr);
                const std::string where = QStringLiteral("%1x%2 %3 view %4")
                                              .arg(size.width())
                                              .arg(size.height())
                                              .arg(ui::themeName(theme), info.id)
                                              .toStdString();
                for (int panel = 0; panel < view->panelCount(); ++panel)
                    withNotes += view->notesRect(panel).isEmpty() ? 0 : 1;
                checkNotes(*view, where);
            }
        }
    }
    // The check ran on real notes: most views carry one (fit formula, loss metric).
    CHECK(withNotes >= 4 * 8);
    window.close();
}
