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
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <cmath>
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
    // Tick marks: short vertical strokes of axis ink just below the line (the axis line may be
    // two rows thick after antialiasing, so look 3 rows down).
    const int y = axis.row + 3;
    int start = -1;
    for (int x = axis.left - 3; x <= axis.right + 4 && y < image.height(); ++x) {
        const bool ink = x >= 0 && x < image.width() && isAxisInk(image.pixel(x, y)) &&
                         isAxisInk(image.pixel(x, y + 1));
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
    CHECK(std::abs(loss.left - lr.left) <= 1);
    CHECK(std::abs(loss.right - lr.right) <= 1);
    // The same ticks (step 0 among them) at the same x.
    REQUIRE(loss.ticks.size() >= 2);
    REQUIRE(loss.ticks.size() == lr.ticks.size());
    for (std::size_t i = 0; i < loss.ticks.size(); ++i)
        CHECK(std::abs(loss.ticks[i] - lr.ticks[i]) <= 1);
}

}  // namespace

TEST_CASE("curve-forecast panels line up in PDF, SVG and PNG exports", "[plot][export][forecast]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string err;
    REQUIRE(scalelens::data::createExampleProject(path, &err));
    auto project = scalelens::data::Project::open(path, &err);
    REQUIRE(project);
    ViewContext ctx;
    ctx.project = project.get();
    PlotView view;
    view.resize(1200, 800);
    QString error;
    REQUIRE(buildView(QStringLiteral("curve-forecast"), ctx, &view, &error));
    REQUIRE(view.panelCount() == 2);
    REQUIRE(view.stackedPanels());
    // Where the panels meet: the top of the LR panel's chart.
    ExportOptions options;
    options.dpi = 96;  // PNG pixels = figure pixels
    view.layoutFigure(QSizeF(options.size));
    const double split = (view.plotAreaInFigure(0).bottom() + view.plotAreaInFigure(1).top()) /
                         2.0 / options.size.height();
    view.restoreLayout();

    SECTION("PNG") {
        const QString png = dir.filePath(QStringLiteral("forecast.png"));
        REQUIRE(exportPlot(&view, png, options, &error));
        checkAligned(QImage(png), split, "PNG");
    }
    SECTION("SVG") {
        const QString svg = dir.filePath(QStringLiteral("forecast.svg"));
        REQUIRE(exportPlot(&view, svg, options, &error));
        QSvgRenderer renderer(svg);
        REQUIRE(renderer.isValid());
        QImage image(options.size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(options.size)));
        painter.end();
        checkAligned(image, split, "SVG");
    }
    SECTION("PDF") {
        const QString pdf = dir.filePath(QStringLiteral("forecast.pdf"));
        REQUIRE(exportPlot(&view, pdf, options, &error));
        const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
        // Part of the test, not optional: packaging/dev.sh installs poppler-utils.
        if (pdftoppm.isEmpty())
            FAIL("pdftoppm not found on PATH: install poppler-utils (packaging/dev.sh does)");
        // 72 points = 96 figure pixels: -r 96 gives the figure's pixels.
        QProcess p;
        p.start(pdftoppm,
                {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("96"),
                 QStringLiteral("-singlefile"), pdf, dir.filePath(QStringLiteral("page"))});
        REQUIRE(p.waitForFinished(scalelens::test::processTimeoutMs(30000)));
        REQUIRE(p.exitCode() == 0);
        checkAligned(QImage(dir.filePath(QStringLiteral("page.png"))), split, "PDF");
    }
}
