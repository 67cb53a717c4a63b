// Stacked panels on one step axis (the curve-forecast view: loss above, LR schedule beneath)
// line up in every export: the x axis of each panel starts and ends at the same x and its
// ticks (step 0, step 20,000, ...) sit at the same x, measured on the pixels of the exported
// PDF (rendered by pdftoppm), SVG (rendered by QSvgRenderer) and PNG. The panels' y tick labels
// differ in width ("4" against "2×10⁻⁴"), which once left the loss panel's axes 33 px left of
// its own data and of the LR panel's axes.
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_export.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <cmath>
#include <memory>
#include <sstream>

#include "build_speed.h"
#include "scalelens_catch.h"

using namespace scalelens::ui;

namespace {

// The axis pen is the text colour (0x20 grey in the light export theme; a 1 px line between
// two pixel rows comes out as two rows of mid grey): dark and grey, where data series are
// coloured and the grid is light.
bool isAxisInk(QRgb c) {
    const int hi = std::max({qRed(c), qGreen(c), qBlue(c)});
    const int lo = std::min({qRed(c), qGreen(c), qBlue(c)});
    return qAlpha(c) > 128 && hi < 170 && hi - lo < 24;
}

// One panel's x axis as drawn: the longest horizontal run of axis ink in rows [top, bottom),
// and the tick marks hanging below it.
struct DrawnAxis {
    int row = -1;
    int left = -1;
    int right = -1;
    std::vector<int> ticks;  // x of each tick mark's centre
};

DrawnAxis findXAxis(const QImage& image, int top, int bottom) {
    DrawnAxis axis;
    int best = 0;
    for (int y = top; y < bottom; ++y) {
        int start = -1;
        for (int x = 0; x <= image.width(); ++x) {
            const bool ink = x < image.width() && isAxisInk(image.pixel(x, y));
            if (ink && start < 0)
                start = x;
            if (!ink && start >= 0) {
                if (x - start > best) {
                    best = x - start;
                    axis = {y, start, x - 1, {}};
                }
                start = -1;
            }
        }
    }
    if (axis.row < 0)
        return axis;
    // Tick marks: short vertical strokes of axis ink hanging below the line, the first at the
    // left end of the axis (the start of the x range). The line is two pixel rows of grey
    // when it falls between rows, so the marks are looked for 2 and 3 rows down.
    int start = -1;
    for (int x = axis.left - 3; x <= axis.right + 4; ++x) {
        bool ink = false;
        for (int y = axis.row + 2; y <= axis.row + 3; ++y)
            ink = ink || (x >= 0 && x < image.width() && y < image.height() &&
                          isAxisInk(image.pixel(x, y)));
        if (ink && start < 0)
            start = x;
        if (!ink && start >= 0) {
            axis.ticks.push_back((start + x - 1) / 2);
            start = -1;
        }
    }
    return axis;
}

std::string describe(const DrawnAxis& a) {
    std::ostringstream out;
    out << "axis row " << a.row << " x " << a.left << ".." << a.right << " ticks";
    for (const int t : a.ticks)
        out << " " << t;
    return out.str();
}

// Both panels' x axes in an image of the whole figure, the loss panel in the top `split` share.
void checkAligned(const QImage& image, double split, const std::string& format) {
    REQUIRE_FALSE(image.isNull());
    const int cut = static_cast<int>(split * image.height());
    const DrawnAxis loss = findXAxis(image, 0, cut);
    const DrawnAxis lr = findXAxis(image, cut, image.height());
    INFO(format << " " << image.width() << "x" << image.height() << ": loss panel "
                << describe(loss) << "; LR panel " << describe(lr));
    WARN(format << ": loss panel " << describe(loss) << "; LR panel " << describe(lr));
    REQUIRE(loss.row >= 0);
    REQUIRE(lr.row > loss.row);
    CHECK(loss.right - loss.left > image.width() / 2);
    // The right ends of the axes. (Their left ends run on into the y axis' lowest tick mark,
    // which may fall on the x axis' row or not; the first x tick marks the left end instead.)
    CHECK(std::abs(loss.right - lr.right) <= 1);
    // The same ticks (the start of the range and step 0 among them) at the same x.
    REQUIRE(loss.ticks.size() >= 2);
    REQUIRE(loss.ticks.size() == lr.ticks.size());
    for (std::size_t i = 0; i < loss.ticks.size(); ++i)
        CHECK(std::abs(loss.ticks[i] - lr.ticks[i]) <= 1);
}

// The example project's curve-forecast view (a stopped cosine run: loss above, LR beneath).
struct ForecastFigure {
    QTemporaryDir dir;
    std::unique_ptr<scalelens::data::Project> project;
    PlotView view;

    explicit ForecastFigure(QSize size) {
        const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
        std::string err;
        REQUIRE(scalelens::data::createExampleProject(path, &err));
        project = scalelens::data::Project::open(path, &err);
        REQUIRE(project);
        ViewContext ctx;
        ctx.project = project.get();
        view.resize(size);
        QString error;
        REQUIRE(buildView(QStringLiteral("curve-forecast"), ctx, &view, &error));
        REQUIRE(view.panelCount() == 2);
        REQUIRE(view.stackedPanels());
    }
    // Where the panels meet, as a share of the figure's height.
    double split() const {
        return (view.plotAreaInFigure(0).bottom() + view.plotAreaInFigure(1).top()) / 2.0 /
               view.height();
    }
};

}  // namespace

TEST_CASE("curve-forecast panels line up in PDF, SVG and PNG exports", "[plot][export][forecast]") {
    ExportOptions options;
    options.dpi = 96;  // PNG pixels = figure pixels
    ForecastFigure f(options.size);
    QTemporaryDir& dir = f.dir;
    PlotView& view = f.view;
    view.layoutFigure(QSizeF(options.size));
    const double split = f.split();
    view.restoreLayout();
    QString error;

    // PNG
    const QString png = dir.filePath(QStringLiteral("forecast.png"));
    REQUIRE(exportPlot(&view, png, options, &error));
    checkAligned(QImage(png), split, "PNG");

    // SVG, drawn by Qt's SVG renderer
    const QString svg = dir.filePath(QStringLiteral("forecast.svg"));
    REQUIRE(exportPlot(&view, svg, options, &error));
    QSvgRenderer renderer(svg);
    REQUIRE(renderer.isValid());
    QImage drawn(options.size, QImage::Format_ARGB32);
    drawn.fill(Qt::white);
    QPainter painter(&drawn);
    renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(options.size)));
    painter.end();
    checkAligned(drawn, split, "SVG");

    // PDF, drawn by poppler
    const QString pdf = dir.filePath(QStringLiteral("forecast.pdf"));
    REQUIRE(exportPlot(&view, pdf, options, &error));
    const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    // Part of the test, not optional: packaging/dev.sh installs poppler-utils.
    if (pdftoppm.isEmpty())
        FAIL("pdftoppm not found on PATH: install poppler-utils (packaging/dev.sh does)");
    // 72 points = 96 figure pixels: -r 96 gives the figure's pixels.
    QProcess p;
    p.start(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("96"),
                       QStringLiteral("-singlefile"), pdf, dir.filePath(QStringLiteral("page"))});
    REQUIRE(p.waitForFinished(scalelens::test::processTimeoutMs(30000)));
    REQUIRE(p.exitCode() == 0);
    checkAligned(QImage(dir.filePath(QStringLiteral("page.png"))), split, "PDF");
}

// On screen in a short plot (the forecast page at 1366x768 with a table beneath): the LR panel
// keeps room for its axis titles and tick labels (Qt Charts cuts axes that want more than 40%
// of a chart to "..."), and the panels still line up when the loss panel's legend moves to a
// column right of its plot.
TEST_CASE("curve-forecast LR panel keeps its axis titles in a short plot, aligned on screen",
          "[plot][layout][forecast]") {
    ForecastFigure f(QSize(780, 400));
    PlotView& view = f.view;
    view.show();
    QApplication::processEvents();
    REQUIRE(view.height() == 400);
    const QRectF loss = view.plotAreaInFigure(0);
    const QRectF lr = view.plotAreaInFigure(1);
    INFO("loss plot " << loss.height() << " px high, LR plot " << lr.height() << " px high");
    CHECK(lr.height() >= 79.5);
    CHECK(loss.height() > lr.height());
    for (const PlotView::DrawnText& t : view.drawnTexts()) {
        INFO("panel " << t.panel << " '" << t.text.toStdString() << "' needs " << t.width
                      << " px, given " << t.available);
        if (t.panel == 1)
            CHECK_FALSE(t.elided);
    }
    const QImage shown = view.grab().toImage();
    checkAligned(shown.scaled(view.size()), f.split(), "on screen");
}

// A narrow export of a view never shown (the CLI's, `plot --width 780`): the loss panel's
// legend moves to a column right of the plot and keeps its entries whole. Qt Charts sized the
// column from the markers it deems visible, none before a chart is shown, and cut every long
// entry to "Multi-Power La...".
TEST_CASE("a narrow export of a hidden view keeps whole legend entries in a column",
          "[plot][export][layout][forecast]") {
    ForecastFigure f(QSize(780, 500));
    f.view.layoutFigure(QSizeF(780, 500));
    bool legendEntry = false;
    for (const PlotView::DrawnText& t : f.view.drawnTexts()) {
        INFO("panel " << t.panel << " '" << t.text.toStdString() << "' needs " << t.width
                      << " px, given " << t.available);
        CHECK_FALSE(t.elided);
        legendEntry = legendEntry || t.text == QStringLiteral("Multi-Power Law fit (logged part)");
    }
    f.view.restoreLayout();
    CHECK(legendEntry);
}
