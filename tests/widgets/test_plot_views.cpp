// Every catalogue view builds on the example project and draws what its law says.
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <cmath>
#include <memory>
#include <vector>

#include <datasets/examples.h>
#include <datasets/project.h>
#include <fitting/allocation.h>

#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_views.h"

using namespace scalelens;
using namespace scalelens::ui;

namespace {

// One example project for the whole file: creating it imports ~5,000 rows.
data::Project& exampleProject() {
    static QTemporaryDir dir;
    static std::unique_ptr<data::Project> project;
    if (!project) {
        const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
        std::string error;
        REQUIRE(data::createExampleProject(path, &error));
        project = data::Project::open(path, &error);
        REQUIRE(project);
    }
    return *project;
}

int findSeries(const PlotView& view, const QString& prefix) {
    for (int i = 0; i < view.seriesCount(); ++i)
        if (view.seriesName(i).startsWith(prefix))
            return i;
    return -1;
}

}  // namespace

TEST_CASE("the catalogue lists the eleven views in tab order", "[plot][views]") {
    const auto& views = viewCatalog();
    REQUIRE(views.size() == 11);
    CHECK(views.front().id == QStringLiteral("loss-vs-compute"));
    CHECK(views.back().id == QStringLiteral("curve-forecast"));
    for (const ViewInfo& v : views) {
        CHECK_FALSE(v.title.isEmpty());
        CHECK_FALSE(v.description.isEmpty());
        CHECK(findView(v.id) == &v);
    }
    CHECK(findView(QStringLiteral("nope")) == nullptr);
}

TEST_CASE("every view builds on the example project and draws data", "[plot][views][example]") {
    ViewContext ctx;
    ctx.project = &exampleProject();
    for (const ViewInfo& info : viewCatalog()) {
        INFO("view " << info.id.toStdString());
        PlotView view;
        view.resize(1200, 800);
        QString error;
        REQUIRE(buildView(info.id, ctx, &view, &error));
        CHECK(error.isEmpty());
        std::size_t shown = 0;
        for (int s = 0; s < view.seriesCount(); ++s)
            shown += view.displayedPointCount(s);
        CHECK(shown > 0);
        // No view lacks data: the examples hold every kind of measurement (knowledge bits too).
        for (int p = 0; p < view.panelCount(); ++p) {
            INFO("notes: " << view.notes(p).toStdString());
            for (const char* missing : {"in this project", "No fit available", "No power laws",
                                        "No back-test", "No reference family", "No fit:"})
                CHECK_FALSE(view.notes(p).contains(QLatin1String(missing)));
        }
    }
}

TEST_CASE("IsoFLOP view recovers the compute-optimal exponent of the example sweep",
          "[plot][views][isoflop]") {
    // The example sweep is generated from Besiroglu et al. 2024: a = beta/(alpha+beta) =
    // 0.3658/(0.3478+0.3658) = 0.5126. Approach 2 on nine noisy budgets lands within 0.05.
    ViewContext ctx;
    ctx.project = &exampleProject();
    PlotView view;
    QString error;
    REQUIRE(buildView(QStringLiteral("isoflop"), ctx, &view, &error));
    REQUIRE(view.panelCount() == 2);
    const int law = findSeries(view, QStringLiteral("N_opt ∝ C^"));
    REQUIRE(law >= 0);
    // The exponent is the slope of the drawn line in log-log space, read from its points.
    const std::vector<double>& c = view.seriesX(law);
    const std::vector<double>& n = view.seriesY(law);
    REQUIRE(c.size() >= 2);
    REQUIRE(c.size() == n.size());
    REQUIRE(c.front() > 0.0);
    REQUIRE(n.front() > 0.0);
    REQUIRE(c.back() > c.front());
    const double exponent = std::log(n.back() / n.front()) / std::log(c.back() / c.front());
    CHECK(exponent == Approx(0.5126).margin(0.05));
    CHECK(view.seriesPanel(law) == 1);
}

TEST_CASE("iso-loss contours lie on the fitted loss surface", "[plot][views][contour]") {
    ViewContext ctx;
    ctx.project = &exampleProject();
    PlotView view;
    QString error;
    REQUIRE(buildView(QStringLiteral("iso-loss-contours"), ctx, &view, &error));
    // The view prints the fitted law in its notes ("L = E + A/N^alpha + B/D^beta", rounded to
    // 3-4 digits); every contour vertex must have L(N, D) equal to its level. Rounding of the
    // printed coefficients and linear interpolation on the 90 x 90 grid stay below 0.5%.
    const QRegularExpression law(QStringLiteral(
        "L = ([0-9.]+) \\+ ([0-9.e+]+)/N\\^([0-9.]+) \\+ ([0-9.e+]+)/D\\^([0-9.]+)"));
    const auto m = law.match(view.notes(0));
    REQUIRE(m.hasMatch());
    fit::ChinchillaParams p{m.captured(1).toDouble(), m.captured(2).toDouble(),
                            m.captured(4).toDouble(), m.captured(3).toDouble(),
                            m.captured(5).toDouble()};
    int checked = 0;
    for (int s = 0; s < view.seriesCount(); ++s) {
        if (!view.seriesName(s).startsWith(QStringLiteral("L = ")))
            continue;
        const double level = view.seriesName(s).mid(4).toDouble();
        const auto& x = view.seriesX(s);
        const auto& y = view.seriesY(s);
        REQUIRE(x.size() >= 2);
        double worst = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            worst = std::max(worst, std::abs(p.loss(x[i], y[i]) / level - 1.0));
        CHECK(worst < 5e-3);
        ++checked;
    }
    CHECK(checked >= 5);
    const int frontier = findSeries(view, QStringLiteral("efficient frontier"));
    REQUIRE(frontier >= 0);
    // Along the frontier D/N grows slowly (a ~ b ~ 0.5): tokens per parameter stays within
    // a factor 10 over the whole range.
    const auto& fn = view.seriesX(frontier);
    const auto& fd = view.seriesY(frontier);
    const double r0 = fd.front() / fn.front(), r1 = fd.back() / fn.back();
    CHECK(std::max(r0, r1) / std::min(r0, r1) < 10.0);
}

TEST_CASE("views say what is missing on an empty project", "[plot][views][empty]") {
    QTemporaryDir dir;
    std::string error;
    auto project = data::Project::create(
        dir.filePath(QStringLiteral("empty.scalelens")).toStdString(), &error);
    REQUIRE(project);
    ViewContext ctx;
    ctx.project = project.get();
    for (const ViewInfo& info : viewCatalog()) {
        INFO("view " << info.id.toStdString());
        PlotView view;
        QString why;
        REQUIRE(buildView(info.id, ctx, &view, &why));
        CHECK_FALSE(view.notes(0).isEmpty());
    }
}

TEST_CASE("bad view requests are refused with a message", "[plot][views]") {
    PlotView view;
    QString error;
    ViewContext ctx;
    CHECK_FALSE(buildView(QStringLiteral("loss-vs-compute"), ctx, &view, &error));
    CHECK(error == QStringLiteral("ViewContext.project must be set"));
    ctx.project = &exampleProject();
    CHECK_FALSE(buildView(QStringLiteral("pie-chart"), ctx, &view, &error));
    CHECK(error == QStringLiteral("unknown view 'pie-chart' (see plot --list-views)"));
    ctx.smoothing = 1.0;
    CHECK_FALSE(buildView(QStringLiteral("training-curves"), ctx, &view, &error));
    CHECK(error == QStringLiteral("ViewContext.smoothing must be in [0, 1)"));
}

TEST_CASE("loss vs compute colours many runs by N with a colour bar, not a binned legend",
          "[plot][views][color]") {
    ViewContext ctx;
    ctx.project = &exampleProject();
    PlotView view;
    view.resize(1200, 800);
    QString error;
    REQUIRE(buildView(QStringLiteral("loss-vs-compute"), ctx, &view, &error));
    // The example project has far more runs than ten categorical colours tell apart.
    CHECK(view.colorScaleActive(0));
    // The final points are in the figure, but none of their N bins has a legend entry.
    int points = 0;
    QColor smallest, largest;
    double nSmall = INFINITY, nLarge = 0;
    auto* chart = view.chart(0);
    for (int s = 0; s < view.seriesCount(); ++s) {
        if (!view.seriesName(s).startsWith(QStringLiteral("N ")))
            continue;
        ++points;
        for (QLegendMarker* marker : chart->legend()->markers(chart->series().at(s)))
            CHECK_FALSE(marker->isVisible());
        // Bins in increasing N: the colour runs along the scale.
        const double n = static_cast<double>(s);
        if (n < nSmall) {
            nSmall = n;
            smallest = view.seriesColor(s);
        }
        if (n > nLarge) {
            nLarge = n;
            largest = view.seriesColor(s);
        }
    }
    CHECK(points > 6);  // finer bins than the six of the legend
    // The smallest and largest bins sit near the two ends of the bar.
    auto distance = [](QColor a, QColor b) {
        return std::abs(a.redF() - b.redF()) + std::abs(a.greenF() - b.greenF()) +
               std::abs(a.blueF() - b.blueF());
    };
    CHECK(distance(smallest, view.colorScaleColor(0, 0.0)) < 0.15);
    CHECK(distance(largest, view.colorScaleColor(0, 1.0)) < 0.15);
    CHECK(distance(smallest, largest) > 0.5);
}
