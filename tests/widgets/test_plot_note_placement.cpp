// Note placement (issue 12): a panel's note goes where it covers no drawn point, line or text
// label, inside the plot area or outside it beside the legend; with no free spot for the whole
// note it collapses to a one-line summary whose hover shows the full text.
#include <QApplication>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QtCharts/QChart>
#include <QtCharts/QXYSeries>
#include <cmath>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"

using namespace scalelens::ui;

namespace {

void settle() {
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

// Drawn points of every line and scatter series, in scene coordinates (mapped by Qt Charts).
std::vector<QPointF> drawnPoints(const PlotView& view, int panel) {
    std::vector<QPointF> out;
    QChart* chart = view.chart(panel);
    for (QAbstractSeries* series : chart->series())
        if (auto* xy = qobject_cast<QXYSeries*>(series); xy && xy->isVisible())
            for (const QPointF& value : xy->points())
                out.push_back(chart->mapToScene(chart->mapToPosition(value, xy)));
    return out;
}

int pointsUnder(const PlotView& view, const QRectF& rect) {
    int n = 0;
    for (int panel = 0; panel < view.panelCount(); ++panel)
        for (const QPointF& p : drawnPoints(view, panel))
            n += rect.contains(p) ? 1 : 0;
    return n;
}

QPoint widgetPos(const PlotView& view, QPointF scenePos) {
    auto* canvas = view.findChild<QGraphicsView*>();
    return canvas->viewport()->mapTo(&view, canvas->mapFromScene(scenePos));
}

const QString kLongNote = QStringLiteral(
    "Fit: fitted now to 74 runs of 'chinchilla-sweep', loss metric 'loss' (no bootstrap)\n"
    "L = 1.870 + 1219/N^0.403 + 1334/D^0.346\n"
    "No 95% bands: this fit has no bootstrap samples (fit with bootstrap in the fit panel).");

}  // namespace

TEST_CASE("a note covers no point or line when every corner of the plot holds data",
          "[plot][labels][notes]") {
    // Every corner holds data (the old placement covered the corner with the fewest points);
    // the middle of the top edge is free, and so is the room beside the legend below the plot.
    PlotView view;
    view.resize(900, 600);
    view.show();
    std::vector<double> x, y;
    for (int i = 0; i <= 30; ++i) {
        const double t = i / 30.0;
        x.push_back(t);
        y.push_back(4.0 * (t - 0.5) * (t - 0.5));  // a valley: high at both sides
    }
    view.addLine(QStringLiteral("valley"), x, y);
    view.addScatter(QStringLiteral("floor"), {0.02, 0.98}, {0.02, 0.02});
    view.addNote(QStringLiteral("L = 1.87 + 1219/N^0.403"));
    settle();
    const QRectF note = view.notesRect(0);
    const QRectF plot = view.plotAreaInFigure(0);
    REQUIRE(!note.isEmpty());
    CHECK_FALSE(view.notesCollapsed(0));
    CHECK(pointsUnder(view, note) == 0);
    // No segment of the valley crosses it either: sample the drawn line densely.
    for (int i = 0; i < 3000; ++i) {
        const double t = i / 2999.0;
        const QPointF pos = view.chart(0)->mapToScene(view.chart(0)->mapToPosition(
            QPointF(t, 4.0 * (t - 0.5) * (t - 0.5)), view.chart(0)->series().front()));
        CHECK_FALSE(note.contains(pos));
    }
    // In a free part of the plot area or outside it (beside the legend), never across its edge.
    CHECK((plot.contains(note) || !note.intersects(plot)));
}

TEST_CASE("a note keeps clear of text labels", "[plot][labels][notes]") {
    // Data along the bottom; a label sits in the free top-left corner where the note would go.
    PlotView view;
    view.resize(800, 500);
    view.show();
    std::vector<double> x, y;
    for (int i = 0; i <= 40; ++i) {
        x.push_back(i / 40.0);
        y.push_back(0.05 * std::sin(i));
    }
    view.addScatter(QStringLiteral("runs"), x, y);
    view.addScatter(QStringLiteral("top"), {0.5}, {1.0});
    view.addText(0.02, 0.9, QStringLiteral("forecast 2.736 [2.65, 2.751]"));
    view.addNote(QStringLiteral("Multi-Power Law fitted to 56 points up to step 11999"));
    settle();
    const QRectF note = view.notesRect(0);
    REQUIRE(!note.isEmpty());
    CHECK(pointsUnder(view, note) == 0);
    int labels = 0;
    for (QGraphicsItem* item : view.scene()->items()) {
        auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item);
        if (!text || !text->isVisible() || !text->text().startsWith(QStringLiteral("forecast")))
            continue;
        ++labels;
        INFO("label at " << text->sceneBoundingRect().x() << ", " << text->sceneBoundingRect().y()
                         << "; note at " << note.x() << ", " << note.y());
        CHECK_FALSE(text->sceneBoundingRect().intersects(note));
    }
    CHECK(labels == 1);
}

TEST_CASE("a note with no free spot inside goes beside the legend or collapses to one line",
          "[plot][labels][notes]") {
    // A dense cloud fills the whole plot area: no corner or hole inside is free.
    PlotView view;
    view.resize(700, 450);
    view.show();
    std::vector<double> x, y;
    for (int i = 0; i <= 60; ++i)
        for (int j = 0; j <= 60; ++j) {
            x.push_back(i / 60.0);
            y.push_back(j / 60.0);
        }
    view.addScatter(QStringLiteral("grid"), x, y);
    view.addNote(kLongNote);
    settle();
    const QRectF note = view.notesRect(0);
    const QRectF plot = view.plotAreaInFigure(0);
    REQUIRE(!note.isEmpty());
    CHECK(pointsUnder(view, note) == 0);
    // One legend entry below the plot: no room outside for three long lines, so one line
    // beside the legend entry or above the plot, and the full note on hover.
    CHECK(view.notesCollapsed(0));
    CHECK_FALSE(note.intersects(plot));
    CHECK(note.height() < 30);
    CHECK(view.hoverTextAt(widgetPos(view, note.center()), 0.5) == view.notes(0));
    CHECK(view.notes(0) == kLongNote);
    // Nothing of it counts as cut: the summary is meant to be short.
    for (const PlotView::DrawnText& t : view.drawnTexts())
        CHECK_FALSE(t.elided);

    // With a legend column right of the plot (long entries), the whole note fits below the
    // entries, outside the data.
    PlotView wide;
    wide.resize(1000, 600);
    wide.show();
    wide.addScatter(QStringLiteral("grid"), x, y);
    for (int k = 0; k < 3; ++k)
        wide.addLine(QStringLiteral("a fitted law with a rather long legend entry %1").arg(k),
                     {0.0, 1.0}, {0.1 * k, 0.1 * k + 0.5});
    wide.addNote(kLongNote);
    settle();
    const QRectF n2 = wide.notesRect(0);
    const QRectF p2 = wide.plotAreaInFigure(0);
    REQUIRE(!n2.isEmpty());
    INFO("note " << n2.x() << ", " << n2.y() << " " << n2.width() << "x" << n2.height() << "; plot "
                 << p2.x() << ", " << p2.y() << " " << p2.width() << "x" << p2.height());
    CHECK_FALSE(wide.notesCollapsed(0));
    CHECK(n2.left() > p2.right());
    CHECK(pointsUnder(wide, n2) == 0);
}
