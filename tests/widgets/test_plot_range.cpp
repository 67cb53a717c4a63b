// The y range starts from the data (issue 12): a fitted curve that explodes outside the data
// widens the range by at most the model margin (25% of the data's span), while it is still
// drawn (clipped by the plot area); log axes show minor ticks between the decades.
#include <QApplication>
#include <algorithm>
#include <cmath>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"

using namespace scalelens::ui;

TEST_CASE("an exploding fitted curve does not widen the y range beyond the margin",
          "[plot][range]") {
    PlotView view;
    view.resize(800, 500);
    view.setAxis(Qt::Horizontal, QStringLiteral("N"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("L"), AxisScale::Linear);
    // Measured losses between 2.0 and 3.0 over N = 1e8 .. 1e10.
    view.addScatter(QStringLiteral("runs"), {1e8, 1e9, 1e10}, {3.0, 2.4, 2.0});
    // A fit that shoots to 700 nats/token at small N and dives below zero at large N.
    std::vector<double> n, l;
    for (double e = 6.0; e <= 12.0; e += 0.05) {
        n.push_back(std::pow(10.0, e));
        l.push_back(2.0 + 700.0 * std::exp(-(e - 6.0) * 3.0) - (e > 10.5 ? 50.0 * (e - 10.5) : 0));
    }
    const int fit = view.addLine(QStringLiteral("fit"), n, l);
    const PlotRange r = view.dataRange(0);
    // Data span 1.0, margin 0.25 each side, plus the 4% display padding of the final range.
    const double span = 1.0 + 2 * 0.25;
    CHECK(r.yMax <= 3.0 + 0.25 + 0.04 * span + 1e-9);
    CHECK(r.yMin >= 2.0 - 0.25 - 0.04 * span - 1e-9);
    // Not squashed to the data alone either: the margin is used where the curve runs.
    CHECK(r.yMax > 3.1);
    // The curve itself is kept, clipped by the plot area.
    CHECK(view.pointCount(fit) == n.size());
    // Hiding the data lets the model decide the range again.
    view.setSeriesVisible(0, false);
    CHECK(view.dataRange(0).yMax > 600.0);
}

TEST_CASE("a plot of models only ranges over the models", "[plot][range]") {
    PlotView view;
    view.addLine(QStringLiteral("law"), {1, 2, 3}, {10, 20, 300});
    CHECK(view.dataRange(0).yMax >= 300.0);
}

TEST_CASE("log axes of a PlotView carry minor ticks between decades", "[plot][range][ticks]") {
    PlotView view;
    view.resize(900, 600);
    view.show();
    view.setAxis(Qt::Horizontal, QStringLiteral("C"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("L"), AxisScale::Linear);
    view.addScatter(QStringLiteral("runs"), {1e18, 1e20, 1e22}, {3, 2.5, 2});
    QApplication::processEvents();
    const std::vector<double> minor = view.minorTicks(0, Qt::Horizontal);
    REQUIRE(minor.size() > 20);
    // 2e19 lies between the decades 1e19 and 1e20.
    CHECK(std::any_of(minor.begin(), minor.end(),
                      [](double v) { return std::abs(v / 2e19 - 1.0) < 1e-9; }));
    CHECK(view.minorTicks(0, Qt::Vertical).empty());  // linear axis
}
