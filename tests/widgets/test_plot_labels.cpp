// Labels are never cut (issue 12): long axis titles and legend entries wrap at word
// boundaries, the legend leaves the plot when one row cannot hold it, tick labels thin out
// rather than elide, and PlotView::drawnTexts() reports what Qt Charts did elide.
#include <QApplication>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <cmath>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"

using namespace scalelens::ui;

namespace {

void settle() {
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
}

std::vector<PlotView::DrawnText> elided(const PlotView& view) {
    std::vector<PlotView::DrawnText> out;
    for (const PlotView::DrawnText& t : view.drawnTexts())
        if (t.elided)
            out.push_back(t);
    return out;
}

}  // namespace

TEST_CASE("long titles and legend entries wrap instead of being elided", "[plot][labels]") {
    PlotView view;
    view.resize(420, 300);
    view.show();
    view.setAxis(Qt::Horizontal, QStringLiteral("Training compute C (FLOPs) of the whole sweep"),
                 AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("Final validation loss L (nats per token)"),
                 AxisScale::Linear);
    for (int i = 0; i < 8; ++i)
        view.addLine(QStringLiteral("parabola C = %1×10¹⁹ with a long description").arg(i + 1),
                     {1e18, 1e20, 1e22}, {3.0 - 0.1 * i, 2.5, 2.8});
    settle();
    const auto texts = view.drawnTexts();
    CHECK(texts.size() >= 10);
    for (const auto& t : elided(view))
        FAIL_CHECK("elided: " << t.text.toStdString());
    // Eight long entries cannot share one row: the legend is a column right of the plot.
    CHECK(view.chart(0)->legend()->alignment() == Qt::AlignRight);
    // The API still returns the titles as given.
    CHECK(view.axisTitle(0, Qt::Horizontal) ==
          QStringLiteral("Training compute C (FLOPs) of the whole sweep"));
}

TEST_CASE("a short legend stays in one row below the plot", "[plot][labels]") {
    PlotView view;
    view.resize(900, 500);
    view.show();
    view.addLine(QStringLiteral("fit"), {1, 2, 3}, {1, 2, 3});
    view.addScatter(QStringLiteral("runs"), {1, 2, 3}, {1, 2, 3});
    settle();
    CHECK(view.chart(0)->legend()->alignment() == Qt::AlignBottom);
    CHECK(elided(view).empty());
}

TEST_CASE("drawnTexts reports a label Qt Charts had to elide", "[plot][labels]") {
    // One word cannot wrap: in a narrow panel Qt Charts shortens it to "...", and the hook
    // must say so (otherwise the layout test above could never fail).
    PlotView view;
    view.resize(260, 240);
    view.show();
    view.setAxis(Qt::Horizontal,
                 QStringLiteral("Averylongsinglewordaxistitlethatcannotwrapanywhereatall"),
                 AxisScale::Linear);
    view.addLine(QStringLiteral("a"), {1, 2}, {1, 2});
    settle();
    const auto cut = elided(view);
    REQUIRE(cut.size() == 1);
    CHECK(cut.front().text.endsWith(QStringLiteral("...")));
}

TEST_CASE("tick labels thin out instead of being elided on a narrow axis", "[plot][labels]") {
    PlotView view;
    view.resize(250, 200);
    view.show();
    view.setAxis(Qt::Horizontal, QStringLiteral("C"), AxisScale::Log);
    view.addLine(QStringLiteral("a"), {1.234e17, 9.87e23}, {1, 2});
    settle();
    CHECK(elided(view).empty());
}

TEST_CASE("notes sit on a backing in the corner with the fewest data points", "[plot][labels]") {
    PlotView view;
    view.resize(800, 500);
    view.show();
    // Data crowd the top-left quarter; one point sets the range to [0, 1] x [0, 1].
    std::vector<double> x, y;
    for (int i = 0; i <= 20; ++i)
        for (int j = 0; j <= 20; ++j) {
            x.push_back(0.5 * i / 20.0);
            y.push_back(0.5 + 0.5 * j / 20.0);
        }
    x.push_back(1.0);
    y.push_back(0.0);
    view.addScatter(QStringLiteral("runs"), x, y);
    view.addNote(QStringLiteral("L = 1.87 + 1219/N^0.403 + 1334/D^0.346"));
    settle();
    const QRectF note = view.notesRect(0);
    const QRectF plot = view.plotAreaInFigure(0);
    REQUIRE(!note.isEmpty());
    CHECK(plot.contains(note));
    // Not the default top-left corner, which the data cover.
    const bool topLeft =
        note.center().x() < plot.center().x() && note.center().y() < plot.center().y();
    CHECK_FALSE(topLeft);
    // Without data in the way it stays top left.
    PlotView empty;
    empty.resize(800, 500);
    empty.show();
    empty.addScatter(QStringLiteral("runs"), {0.0, 1.0}, {0.0, 0.0});
    empty.addNote(QStringLiteral("No fit available"));
    settle();
    const QRectF n2 = empty.notesRect(0);
    const QRectF p2 = empty.plotAreaInFigure(0);
    CHECK(n2.center().x() < p2.center().x());
    CHECK(n2.center().y() < p2.center().y());
}

TEST_CASE("a long note is wrapped narrower than the plot, so it can leave the data",
          "[plot][labels]") {
    // Issue 12: a fit note wrapped to the full plot width covered data in every corner (the
    // collapse view at 1920x1080 hid a point under it while the top-right corner was empty).
    PlotView view;
    view.resize(1000, 600);
    view.show();
    // A diagonal from top left to bottom right: the top-right corner is free.
    std::vector<double> x, y;
    for (int i = 0; i <= 40; ++i) {
        x.push_back(i / 40.0);
        y.push_back(1.0 - i / 40.0);
    }
    view.addScatter(QStringLiteral("runs"), x, y);
    view.addNote(
        QStringLiteral("Sparse runs collapse onto the dense curve when plotted against "
                       "the average parameter count (Jin et al. 2025); fit objective "
                       "0.00019 against the average, 0.000321 against the final count"));
    settle();
    const QRectF note = view.notesRect(0);
    const QRectF plot = view.plotAreaInFigure(0);
    REQUIRE(!note.isEmpty());
    CHECK(note.width() <= 0.65 * plot.width());
    CHECK(note.center().x() > plot.center().x());  // top right, off the diagonal
    CHECK(note.center().y() < plot.center().y());
    CHECK(elided(view).empty());
}

TEST_CASE("a log loss axis from 2.3 to 13 is labelled below 4 on screen and in export",
          "[plot][labels][axis]") {
    PlotView view;
    view.resize(1366, 768);
    view.show();
    view.setAxis(Qt::Horizontal, QStringLiteral("step"), AxisScale::Linear);
    view.setAxis(Qt::Vertical, QStringLiteral("train loss (nats/token)"), AxisScale::Log);
    std::vector<double> x, y;
    for (int i = 0; i <= 200; ++i) {
        x.push_back(i);
        y.push_back(2.3 + 10.7 * std::exp(-i / 20.0));  // 13 .. 2.3
    }
    view.addLine(QStringLiteral("run"), x, y, {}, {{1}, {QStringLiteral("run")}});
    settle();
    auto check = [&view](const char* where) {
        INFO(where);
        auto* axis = qobject_cast<QCategoryAxis*>(view.chart(0)->axes(Qt::Vertical).front());
        REQUIRE(axis);
        int labelled = 0;
        bool low = false;
        for (const QString& label : axis->categoriesLabels()) {
            if (label.trimmed().isEmpty())
                continue;
            ++labelled;
            const double v = std::pow(10.0, axis->endValue(label));
            low = low || v <= 3.0 + 1e-9;
        }
        CHECK(labelled >= 4);
        CHECK(low);
        CHECK(elided(view).empty());
    };
    check("on screen at 1366x768");
    // The PDF export lays the figure out in points at a smaller size.
    view.layoutFigure(QSizeF(480, 320));
    check("laid out at 480x320");
    view.restoreLayout();
}
