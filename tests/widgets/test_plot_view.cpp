// PlotView behaviour that users rely on: decimated big series, log-axis notes, legend
// toggles, hover text, click-to-select and zoom.
#include <QApplication>
#include <QGraphicsView>
#include <QMouseEvent>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <cmath>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"

using namespace scalelens::ui;

namespace {

// Widget position of a data point of panel `panel`, through Qt Charts' own mapping.
QPoint widgetPosOf(PlotView& view, int panel, QPointF value) {
    QChart* chart = view.chart(panel);
    auto* series = chart->series().front();
    // Log axes carry log10 values (see plot_axis_ticks.h).
    if (view.axisScale(panel, Qt::Horizontal) == AxisScale::Log)
        value.setX(std::log10(value.x()));
    if (view.axisScale(panel, Qt::Vertical) == AxisScale::Log)
        value.setY(std::log10(value.y()));
    const QPointF chartPos = chart->mapToPosition(value, series);
    auto* canvas = view.findChild<QGraphicsView*>();
    const QPoint vp = canvas->mapFromScene(chart->mapToScene(chartPos));
    return canvas->viewport()->mapTo(&view, vp);
}

void settle() {
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

}  // namespace

TEST_CASE("a million-point line is handed to Qt Charts decimated", "[plot][view]") {
    PlotView view;
    view.resize(1600, 1000);
    view.show();
    settle();
    std::vector<double> x(1000000), y(1000000);
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = static_cast<double>(i);
        y[i] = std::sin(i * 1e-3) + 1e-3 * static_cast<double>(i % 13);
    }
    const int s = view.addLine(QStringLiteral("big"), x, y);
    CHECK(view.pointCount(s) == 1000000);
    const std::size_t shown = view.displayedPointCount(s);
    CHECK(shown > 1000);
    CHECK(shown <= 4 * 1700);  // four per pixel column at most

    // Zooming into 100 points hands over exactly those (plus the edge neighbours).
    view.setRange(0, PlotRange{500000.5, 500100.5, -2.0, 2.0});
    CHECK(view.displayedPointCount(s) == 102);
    view.resetZoom();
    CHECK(view.range(0).xMin < 0.0);
    CHECK(view.range(0).xMax > 999999.0);
}

TEST_CASE("non-positive values on a log axis are hidden with a visible note", "[plot][view][log]") {
    PlotView view;
    view.resize(800, 600);
    view.setAxis(Qt::Horizontal, QStringLiteral("N"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("loss"), AxisScale::Linear);
    std::vector<double> x = {-5, -1, 0, 1e6, 1e7, 1e8, 1e9};
    std::vector<double> y = {3, 3, 3, 3.0, 2.8, 2.6, 2.4};
    const int s = view.addScatter(QStringLiteral("runs"), x, y);
    CHECK(view.hiddenOnLogCount(0) == 3);
    CHECK(view.notes(0).contains(QStringLiteral("3 points ≤ 0 hidden on log axis")));
    CHECK(view.displayedPointCount(s) == 4);
    CHECK(view.range(0).xMin > 0.0);

    // All points hidden: the series stays (legend entry) and the note says why.
    const int all = view.addLine(QStringLiteral("all negative"), {-1, -2}, {1, 2});
    CHECK(view.displayedPointCount(all) == 0);
    CHECK(view.notes(0).contains(QStringLiteral("5 points ≤ 0 hidden on log axis")));
    CHECK(view.chart(0)->legend()->markers().size() == 2);

    // Back to linear: everything shows and the note goes away.
    view.setAxis(Qt::Horizontal, QStringLiteral("N"), AxisScale::Linear);
    CHECK(view.hiddenOnLogCount(0) == 0);
    CHECK(view.displayedPointCount(s) == 7);
    CHECK_FALSE(view.notes(0).contains(QStringLiteral("hidden")));

    view.addNote(QStringLiteral("No fit available"));
    CHECK(view.notes(0) == QStringLiteral("No fit available"));
}

TEST_CASE("legend markers toggle their series", "[plot][view][legend]") {
    PlotView view;
    view.resize(800, 600);
    const int a = view.addLine(QStringLiteral("a"), {1, 2, 3}, {1, 2, 3});
    const int b = view.addScatter(QStringLiteral("b"), {1, 2, 3}, {3, 2, 1});
    view.show();
    settle();
    QLegend* legend = view.chart(0)->legend();
    REQUIRE(legend->markers().size() == 2);
    CHECK(legend->markers().at(1)->isVisible());
    emit legend->markers().at(1)->clicked();
    CHECK(view.isSeriesVisible(a));
    CHECK_FALSE(view.isSeriesVisible(b));
    CHECK(legend->markers().at(1)->isVisible());  // still clickable to bring it back
    emit legend->markers().at(1)->clicked();
    CHECK(view.isSeriesVisible(b));
}

TEST_CASE("hover names the run and clicking a point emits its run id", "[plot][view][select]") {
    PlotView view;
    view.resize(800, 600);
    view.show();
    settle();
    view.setAxis(Qt::Horizontal, QStringLiteral("Parameters N"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("Loss"), AxisScale::Linear);
    PointIds ids;
    ids.runIds = {11, 22, 33};
    ids.labels = {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("big")};
    view.addScatter(QStringLiteral("runs"), {1e7, 1e8, 1e9}, {3.2, 2.9, 2.5}, ids);
    settle();

    const QPoint p = widgetPosOf(view, 0, QPointF(1e8, 2.9));
    CHECK(view.runIdAt(p) == 22);
    const QString tip = view.hoverTextAt(p + QPoint(3, -2));
    CHECK(tip.startsWith(QStringLiteral("small")));
    CHECK(tip.contains(QStringLiteral("Parameters N: 1e+08")));
    CHECK(tip.contains(QStringLiteral("Loss: 2.9")));
    CHECK(view.runIdAt(p + QPoint(40, 40)) == -1);

    qint64 clicked = -1;
    QObject::connect(&view, &PlotView::pointClicked, [&](qint64 id) { clicked = id; });
    auto* canvas = view.findChild<QGraphicsView*>();
    const QPoint vp = canvas->viewport()->mapFrom(&view, widgetPosOf(view, 0, QPointF(1e9, 2.5)));
    QMouseEvent press(QEvent::MouseButtonPress, vp, canvas->viewport()->mapToGlobal(vp),
                      Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, vp, canvas->viewport()->mapToGlobal(vp),
                        Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas->viewport(), &press);
    QApplication::sendEvent(canvas->viewport(), &release);
    CHECK(clicked == 33);
}

TEST_CASE("wheel zoom and drag pan work in log space", "[plot][view][zoom]") {
    PlotView view;
    view.resize(800, 600);
    view.show();
    settle();
    view.setAxis(Qt::Horizontal, QStringLiteral("C"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("L"), AxisScale::Log);
    view.addLine(QStringLiteral("l"), {1e18, 1e22}, {3.0, 2.0});
    settle();
    const PlotRange before = view.range(0);
    const QPoint centre = widgetPosOf(view, 0, QPointF(1e20, 2.5));
    view.zoomAt(0, centre, 2.0);
    const PlotRange after = view.range(0);
    // Zooming by 2 halves the decades shown, around the cursor.
    const double decadesBefore = std::log10(before.xMax / before.xMin);
    const double decadesAfter = std::log10(after.xMax / after.xMin);
    CHECK(decadesAfter == Approx(decadesBefore / 2).epsilon(1e-9));
    CHECK(after.xMin < 1e20);
    CHECK(after.xMax > 1e20);

    // Drag 100 px to the right: the view moves left by 100 px worth of decades.
    auto* canvas = view.findChild<QGraphicsView*>();
    const QPoint a = canvas->viewport()->mapFrom(&view, centre);
    const QPoint b = a + QPoint(100, 0);
    QMouseEvent press(QEvent::MouseButtonPress, a, canvas->viewport()->mapToGlobal(a),
                      Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent move(QEvent::MouseMove, b, canvas->viewport()->mapToGlobal(b), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, b, canvas->viewport()->mapToGlobal(b),
                        Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas->viewport(), &press);
    QApplication::sendEvent(canvas->viewport(), &move);
    QApplication::sendEvent(canvas->viewport(), &release);
    const PlotRange panned = view.range(0);
    CHECK(panned.xMin < after.xMin);
    CHECK(std::log10(panned.xMax / panned.xMin) == Approx(decadesAfter).epsilon(1e-9));

    // Double-click resets to the data range.
    QMouseEvent dbl(QEvent::MouseButtonDblClick, a, canvas->viewport()->mapToGlobal(a),
                    Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas->viewport(), &dbl);
    CHECK(view.range(0).xMin == Approx(before.xMin));
}

TEST_CASE("panels sit side by side and keep their own axes", "[plot][view]") {
    PlotView view;
    view.resize(1200, 500);
    view.setPanelTitle(QStringLiteral("vs N"));
    view.setAxis(Qt::Horizontal, QStringLiteral("N"), AxisScale::Log);
    view.addScatter(QStringLiteral("dense"), {1e8, 1e9}, {3, 2.5});
    const int second = view.addPanel(QStringLiteral("vs N̄"));
    CHECK(second == 1);
    view.setAxis(Qt::Horizontal, QStringLiteral("N̄"), AxisScale::Linear);
    view.addScatter(QStringLiteral("sparse"), {1, 2}, {3, 2.5});
    CHECK(view.panelCount() == 2);
    CHECK(view.axisScale(0, Qt::Horizontal) == AxisScale::Log);
    CHECK(view.axisScale(1, Qt::Horizontal) == AxisScale::Linear);
    CHECK(view.axisTitle(1, Qt::Horizontal) == QStringLiteral("N̄"));
    CHECK(view.seriesPanel(1) == 1);
    view.clear();
    CHECK(view.panelCount() == 1);
    CHECK(view.seriesCount() == 0);
}

TEST_CASE("series added in a batch draw as if added one by one", "[plot][view][batch]") {
    // A sweep's curves are added in a batch (styled and decimated once at the end); the result
    // must match adding them one at a time: same points handed to Qt Charts, same colours,
    // same range, same legend.
    auto fill = [](PlotView& view) {
        view.setAxis(Qt::Horizontal, QStringLiteral("step"), AxisScale::Linear);
        view.setAxis(Qt::Vertical, QStringLiteral("loss"), AxisScale::Log);
        view.setColorScale({QStringLiteral("N (parameters)"), true, 10});
        for (int r = 0; r < 30; ++r) {
            std::vector<double> x, y;
            for (int i = 0; i < 6000; ++i) {
                x.push_back(i);
                y.push_back(2.0 + 10.0 * std::exp(-i / (300.0 + 20.0 * r)));
            }
            SeriesStyle st;
            st.colorValue = 1e8 * std::pow(10.0, r / 10.0);
            view.addLine(QStringLiteral("run %1").arg(r), std::move(x), std::move(y), st,
                         {{r + 1}, {QStringLiteral("run %1").arg(r)}});
        }
    };
    PlotView single;
    single.resize(900, 600);
    fill(single);
    PlotView batched;
    batched.resize(900, 600);
    {
        PlotView::BatchGuard batch(&batched);
        fill(batched);
    }
    // Laid out as on screen (a legend or margin change settles on the next event-loop pass).
    for (PlotView* view : {&single, &batched})
        view->layoutFigure(QSizeF(900, 600));
    REQUIRE(batched.seriesCount() == single.seriesCount());
    CHECK(batched.colorScaleActive(0));
    const PlotRange a = single.range(0), b = batched.range(0);
    CHECK(a.xMin == b.xMin);
    CHECK(a.xMax == b.xMax);
    CHECK(a.yMin == b.yMin);
    CHECK(a.yMax == b.yMax);
    for (int s = 0; s < single.seriesCount(); ++s) {
        INFO("series " << s);
        CHECK(batched.displayedPointCount(s) == single.displayedPointCount(s));
        CHECK(batched.displayedPointCount(s) < batched.pointCount(s));  // decimated
        CHECK(batched.seriesColor(s) == single.seriesColor(s));
    }
    CHECK(batched.seriesColor(0) != batched.seriesColor(29));
}
