// The curve forecast stays readable in both themes (issue 10, GUI): its band is visibly shaded
// (WCAG contrast of the blended fill against the plot background), the measured curve is drawn
// above the fitted law so its points show where the law runs through them, and held-out points
// have their own colour. Colours are read from the Qt Charts series and from a render.
#include <QApplication>
#include <QGraphicsView>
#include <QTemporaryDir>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <cmath>
#include <memory>

#include <datasets/examples.h>
#include <datasets/project.h>

#include "scalelens_catch.h"
#include "wcag_contrast.h"
#include "widgets/base/theme.h"
#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_views.h"

using namespace scalelens;
using namespace scalelens::ui;
using scalelens::testing::wcagContrast;

namespace {

// `fill` (with its alpha) painted over `background`, as QPainter blends in sRGB.
QColor blended(const QColor& fill, const QColor& background) {
    const double a = fill.alphaF();
    auto mix = [a](int f, int b) { return static_cast<int>(std::lround(a * f + (1 - a) * b)); };
    return QColor(mix(fill.red(), background.red()), mix(fill.green(), background.green()),
                  mix(fill.blue(), background.blue()));
}

int colorDistance(const QColor& a, const QColor& b) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
           std::abs(a.blue() - b.blue());
}

// Band fill contrast the view must reach; the previous alpha (0.055) gave 1.03 (dark) and 1.09
// (light), hard to see on a dark screen; 0.22 / 0.11 give 1.35 / 1.13.
constexpr double kMinBandContrastDark = 1.3;
constexpr double kMinBandContrastLight = 1.1;

struct Example {
    QTemporaryDir dir;
    std::unique_ptr<data::Project> project;
    Example() {
        const std::string path = dir.filePath(QStringLiteral("forecast.scalelens")).toStdString();
        std::string error;
        REQUIRE(data::createExampleProject(path, &error));
        project = data::Project::open(path, &error);
        REQUIRE(project);
    }
};

int seriesIndex(QChart* chart, const QString& prefix) {
    const auto list = chart->series();
    for (int i = 0; i < list.size(); ++i)
        if (list[i]->name().startsWith(prefix))
            return i;
    return -1;
}

}  // namespace

TEST_CASE(
    "the curve forecast's band, measured curve and held-out points stand out in both "
    "themes",
    "[plot][views][theme][contrast][forecast]") {
    Example ex;
    const auto cosine = ex.project->runByName(data::kCurveForecastGroup, "cosine-24k");
    REQUIRE(cosine);
    ViewContext ctx;
    ctx.project = ex.project.get();
    ctx.selectedRunIds = {cosine->id};
    ctx.forecast.holdout = 0.5;  // held-out points to tell apart
    ctx.useFitCache(std::make_shared<ViewFitCache>());
    const QPalette saved = QApplication::palette();
    for (const bool dark : {false, true}) {
        QApplication::setPalette(dark ? darkPalette() : lightPalette());
        INFO((dark ? "dark" : "light"));
        PlotView view;
        view.resize(1200, 800);
        QString error;
        REQUIRE(buildView(QStringLiteral("curve-forecast"), ctx, &view, &error));
        view.show();
        QApplication::processEvents();
        QChart* chart = view.chart(0);
        const QColor background = chart->backgroundBrush().color();

        // The band: its fill blended on the background contrasts by the bound.
        const int band = seriesIndex(chart, QStringLiteral("90% band"));
        REQUIRE(band >= 0);
        const QColor fill = static_cast<QAreaSeries*>(chart->series()[band])->brush().color();
        const double contrast = wcagContrast(blended(fill, background), background);
        WARN((dark ? "dark" : "light")
             << " band fill alpha " << fill.alphaF() << ", contrast " << contrast);
        CHECK(fill.alphaF() == Approx(dark ? 0.22 : 0.11).margin(0.005));
        CHECK(contrast >= (dark ? kMinBandContrastDark : kMinBandContrastLight));

        // Measured above the law: painted after it, and its points visible in a render.
        const int measured = seriesIndex(chart, QStringLiteral("measured (fitted)"));
        const int law = seriesIndex(chart, QStringLiteral("Multi-Power Law fit"));
        REQUIRE(measured >= 0);
        REQUIRE(law >= 0);
        CHECK(measured > law);
        auto* line = static_cast<QLineSeries*>(chart->series()[measured]);
        const QColor ink = line->pen().color();
        const QImage image = view.grab().toImage();
        auto* graphics = view.findChild<QGraphicsView*>();
        REQUIRE(graphics);
        int visible = 0, total = 0;
        for (const QPointF& pt : line->points()) {
            const QPoint at = graphics->viewport()->mapTo(
                &view, graphics->mapFromScene(chart->mapToScene(chart->mapToPosition(pt, line))));
            if (!view.rect().adjusted(2, 2, -2, -2).contains(at))
                continue;
            ++total;
            bool seen = false;
            for (int dx = -1; dx <= 1 && !seen; ++dx)
                for (int dy = -1; dy <= 1 && !seen; ++dy)
                    seen = colorDistance(image.pixelColor(at + QPoint(dx, dy)), ink) <= 60;
            visible += seen ? 1 : 0;
        }
        WARN((dark ? "dark" : "light")
             << ": " << visible << " of " << total << " measured points visible");
        REQUIRE(total >= 40);
        CHECK(visible >= 0.9 * total);

        // Held-out points: their own colour, far from the measured and the law's.
        const int held = seriesIndex(chart, QStringLiteral("held out"));
        REQUIRE(held >= 0);
        const QColor heldColor = static_cast<QScatterSeries*>(chart->series()[held])->color();
        const QColor lawColor = static_cast<QLineSeries*>(chart->series()[law])->pen().color();
        INFO("held out " << heldColor.name().toStdString() << ", measured "
                         << ink.name().toStdString() << ", law " << lawColor.name().toStdString());
        CHECK(colorDistance(heldColor, ink) >= 150);
        CHECK(colorDistance(heldColor, lawColor) >= 150);
        CHECK(wcagContrast(heldColor, background) >= 3.0);
    }
    QApplication::setPalette(saved);
}
