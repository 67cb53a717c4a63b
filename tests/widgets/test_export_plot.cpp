// Export writes what papers need: vector PDF with real text, clipped SVG, PNG at a DPI.
#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cmath>

#include "build_speed.h"
#include "scalelens_catch.h"
#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_export.h"

using namespace scalelens::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A figure whose curve leaves the plot area once zoomed, with a heatmap and a band.
void buildFigure(PlotView& view) {
    view.resize(900, 600);
    view.setPanelTitle(QStringLiteral("Export check"));
    view.setAxis(Qt::Horizontal, QStringLiteral("Compute C (FLOPs)"), AxisScale::Log);
    view.setAxis(Qt::Vertical, QStringLiteral("Final loss L"), AxisScale::Log);
    std::vector<double> c, l, lo, hi;
    for (int i = 0; i <= 100; ++i) {
        c.push_back(std::pow(10.0, 18 + 0.04 * i));
        l.push_back(1.8 + 400 * std::pow(c.back(), -0.15));
        lo.push_back(l.back() * 0.97);
        hi.push_back(l.back() * 1.03);
    }
    view.addBand(QStringLiteral("95% band"), c, lo, hi);
    view.addLine(QStringLiteral("fitted law"), c, l);
    view.addScatter(QStringLiteral("runs"), {1e19, 1e20, 1e21}, {3.4, 2.9, 2.5});
    view.addNote(QStringLiteral("demo note"));
    // Zoom so the line runs past the plot area on both sides.
    view.setRange(0, PlotRange{1e19, 1e21, 2.0, 4.0});
}

}  // namespace

TEST_CASE("PDF export is vector and keeps the axis titles as text", "[plot][export][pdf]") {
    QTemporaryDir dir;
    PlotView view;
    buildFigure(view);
    const QString path = dir.filePath(QStringLiteral("fig.pdf"));
    QString error;
    REQUIRE(exportPlot(&view, path, ExportOptions{}, &error));
    const QByteArray pdf = readAll(path);
    if (qEnvironmentVariableIsSet("SCALELENS_KEEP_EXPORT"))
        QFile::copy(path, "/tmp/plots_fig.pdf");
    REQUIRE(pdf.startsWith("%PDF-"));
    // No raster image XObjects (Qt always lists /ImageB /ImageC in /ProcSet, so look for the
    // XObject subtype itself).
    CHECK_FALSE(pdf.contains("/Subtype /Image"));
    CHECK(pdf.contains("/FontFile"));  // fonts are embedded

    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    // The text check is part of the test, not optional: packaging/dev.sh installs poppler-utils.
    if (pdftotext.isEmpty())
        FAIL(
            "pdftotext not found on PATH: install poppler-utils (packaging/dev.sh does) to "
            "check that the PDF's text is real text");
    QProcess p;
    p.start(pdftotext, {path, QStringLiteral("-")});
    REQUIRE(p.waitForFinished(scalelens::test::processTimeoutMs(20000)));
    const QString text = QString::fromUtf8(p.readAllStandardOutput());
    CHECK(text.contains(QStringLiteral("Compute C (FLOPs)")));
    CHECK(text.contains(QStringLiteral("Final loss L")));
    CHECK(text.contains(QStringLiteral("Export check")));
}

TEST_CASE("SVG export clips curves to the plot area", "[plot][export][svg]") {
    QTemporaryDir dir;
    PlotView view;
    buildFigure(view);
    const QString path = dir.filePath(QStringLiteral("fig.svg"));
    QString error;
    REQUIRE(exportPlot(&view, path, ExportOptions{}, &error));
    const QByteArray svg = readAll(path);
    if (qEnvironmentVariableIsSet("SCALELENS_KEEP_EXPORT"))
        QFile::copy(path, "/tmp/plots_fig.svg");
    CHECK(svg.contains("<svg"));
    CHECK(svg.contains("<clipPath"));
    CHECK(svg.contains("clip-path="));
    CHECK(svg.contains("Final loss L"));
    // The clip rectangle is the plot area, well inside the 1200 x 800 figure.
    const qsizetype rect = svg.indexOf("<clipPath");
    CHECK(svg.mid(rect, 200).contains("<rect x="));
}

TEST_CASE("PNG export has the pixel size of the requested DPI", "[plot][export][png]") {
    QTemporaryDir dir;
    PlotView view;
    buildFigure(view);
    ExportOptions o;
    o.size = QSize(600, 400);
    o.dpi = 288;  // 3x
    const QString path = dir.filePath(QStringLiteral("fig.png"));
    QString error;
    REQUIRE(exportPlot(&view, path, o, &error));
    QImage image(path);
    CHECK(image.size() == QSize(1800, 1200));
    CHECK(std::lround(image.dotsPerMeterX() * 0.0254) == 288);
    // Not blank: the plot draws something dark on the white page.
    int dark = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4)
            dark += qGray(image.pixel(x, y)) < 128;
    CHECK(dark > 100);
}

TEST_CASE("export rejects bad paths and options with a message", "[plot][export]") {
    QTemporaryDir dir;
    PlotView view;
    QString error;
    CHECK_FALSE(
        exportPlot(&view, dir.filePath(QStringLiteral("fig.bmp")), ExportOptions{}, &error));
    CHECK(error.endsWith(QStringLiteral("fig.bmp: unknown file type (use .pdf, .svg or .png)")));
    ExportOptions o;
    o.dpi = 5;
    CHECK_FALSE(exportPlot(&view, dir.filePath(QStringLiteral("fig.png")), o, &error));
    CHECK(error == QStringLiteral("ExportOptions.dpi must be between 24 and 1200"));
    CHECK_FALSE(
        exportPlot(&view, QStringLiteral("/nonexistent-dir/x/fig.pdf"), ExportOptions{}, &error));
    CHECK(error.startsWith(QStringLiteral("cannot write /nonexistent-dir/x/fig.pdf")));
    CHECK(exportFormatForPath(QStringLiteral("A.PDF")) == ExportFormat::Pdf);
}
