// Every series of every view stays visible in both themes (issue 12): WCAG contrast >= 3:1
// between each series' colour, as set on the Qt Charts series, and the plot background.
#include <QApplication>
#include <QTemporaryDir>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
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
using scalelens::testing::wcagLuminance;

namespace {

data::Project& exampleProject() {
    static QTemporaryDir dir;
    static std::unique_ptr<data::Project> project;
    if (!project) {
        const std::string path = dir.filePath(QStringLiteral("contrast.scalelens")).toStdString();
        std::string error;
        REQUIRE(data::createExampleProject(path, &error));
        project = data::Project::open(path, &error);
        REQUIRE(project);
    }
    return *project;
}

}  // namespace

TEST_CASE("the WCAG contrast helper matches published values and rejects black on dark",
          "[plot][theme][contrast]") {
    // Published: black on white is 21:1; #777777 on white is 4.48:1 (WebAIM).
    CHECK(wcagContrast(Qt::black, Qt::white) == Approx(21.0).epsilon(1e-6));
    CHECK(wcagContrast(QColor(0x77, 0x77, 0x77), Qt::white) == Approx(4.48).epsilon(0.005));
    const QColor darkBase = darkPalette().color(QPalette::Base);
    CHECK(wcagContrast(Qt::black, darkBase) < 3.0);
    CHECK(wcagContrast(QColor(0x20, 0x20, 0x20), darkBase) < 3.0);
    // The theme's own implementation agrees, and its fix reaches 3:1 with little change.
    CHECK(contrastRatio(QColor(0x44, 0x01, 0x54), darkBase) ==
          Approx(wcagContrast(QColor(0x44, 0x01, 0x54), darkBase)).epsilon(1e-6));
    const QColor fixed = withContrast(QColor(0x20, 0x20, 0x20), darkBase);
    CHECK(wcagContrast(fixed, darkBase) >= 3.0);
    CHECK(wcagContrast(fixed, darkBase) < 3.6);
    CHECK(withContrast(Qt::white, darkBase) == QColor(Qt::white));
}

TEST_CASE("every series of every view contrasts with the plot background in light and dark",
          "[plot][views][theme][contrast]") {
    const QPalette saved = QApplication::palette();
    ViewContext ctx;
    ctx.project = &exampleProject();
    for (const bool dark : {false, true}) {
        QApplication::setPalette(dark ? darkPalette() : lightPalette());
        for (const ViewInfo& info : viewCatalog()) {
            INFO((dark ? "dark" : "light") << " view " << info.id.toStdString());
            PlotView view;
            view.resize(1200, 800);
            QString error;
            REQUIRE(buildView(info.id, ctx, &view, &error));
            int checked = 0;
            for (int p = 0; p < view.panelCount(); ++p) {
                QChart* chart = view.chart(p);
                const QColor background = chart->backgroundBrush().color();
                CHECK((wcagLuminance(background) < 0.5) == dark);
                for (QAbstractSeries* series : chart->series()) {
                    QColor color;
                    if (auto* sc = qobject_cast<QScatterSeries*>(series))
                        color = sc->color();
                    else if (auto* line = qobject_cast<QLineSeries*>(series))
                        color = line->pen().color();
                    else
                        continue;  // bands are translucent shading around a drawn line
                    INFO("series " << series->name().toStdString() << " colour "
                                   << color.name().toStdString());
                    CHECK(wcagContrast(color, background) >= 3.0);
                    ++checked;
                }
            }
            CHECK(checked > 0);
            // A view coloured by a quantity: its colour bar's map contrasts as well.
            for (int p = 0; p < view.panelCount(); ++p) {
                if (!view.colorScaleActive(p))
                    continue;
                const QColor background = view.chart(p)->backgroundBrush().color();
                for (int k = 0; k <= 50; ++k) {
                    const QColor c = view.colorScaleColor(p, k / 50.0);
                    INFO("colour bar at " << k / 50.0 << ": " << c.name().toStdString());
                    CHECK(wcagContrast(c, background) >= 3.0);
                }
            }
        }
    }
    QApplication::setPalette(saved);
}

TEST_CASE("many runs are coloured by a quantity with a colour bar, a few keep categories",
          "[plot][theme][contrast][colorscale]") {
    const QPalette saved = QApplication::palette();
    for (const bool dark : {false, true}) {
        QApplication::setPalette(dark ? darkPalette() : lightPalette());
        INFO((dark ? "dark" : "light"));
        for (const int runs : {4, 16}) {
            PlotView view;
            view.resize(900, 600);
            view.setColorScale({QStringLiteral("N (parameters)"), true});
            for (int i = 0; i < runs; ++i) {
                SeriesStyle st;
                st.colorValue = 1e8 * std::pow(10.0, 2.0 * i / (runs - 1));  // 1e8 .. 1e10
                view.addLine(QStringLiteral("run %1").arg(i), {1.0, 2.0}, {3.0 - 0.1 * i, 2.0}, st);
            }
            view.show();  // legend markers report visibility only once shown
            QApplication::processEvents();
            const QColor background = view.chart(0)->backgroundBrush().color();
            const bool active = runs > 10;
            CHECK(view.colorScaleActive(0) == active);
            int legendEntries = 0;
            for (QLegendMarker* m : view.chart(0)->legend()->markers())
                legendEntries += m->isVisible() ? 1 : 0;
            // Colour-bar runs leave the legend; categorical ones stay in it.
            CHECK(legendEntries == (active ? 0 : runs));
            // The map covers the whole bar with >= 3:1 contrast, from the smallest N to the
            // largest, and the series take their colours from it.
            for (int k = 0; k <= 50; ++k)
                CHECK(wcagContrast(view.colorScaleColor(0, k / 50.0), background) >= 3.0);
            if (active) {
                CHECK(view.seriesColor(0).rgb() == view.colorScaleColor(0, 0.0).rgb());
                CHECK(view.seriesColor(runs - 1).rgb() == view.colorScaleColor(0, 1.0).rgb());
                CHECK(view.seriesColor(0) != view.seriesColor(runs - 1));
            } else {
                // Distinct categorical colours.
                for (int i = 1; i < runs; ++i)
                    CHECK(view.seriesColor(i) != view.seriesColor(0));
            }
            for (int i = 0; i < runs; ++i)
                CHECK(wcagContrast(
                          static_cast<QLineSeries*>(view.chart(0)->series()[i])->pen().color(),
                          background) >= 3.0);
        }
    }
    QApplication::setPalette(saved);
}
