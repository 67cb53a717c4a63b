#include "widgets/views/plot_export.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <cmath>

#include "widgets/plot/plot_view.h"

namespace scalelens::ui {

namespace {

QPalette lightPalette() {
    QPalette p;
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Window, Qt::white);
    p.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    return p;
}

// Switches to the export palette for the lifetime of the object.
class PaletteScope {
  public:
    PaletteScope(PlotView* view, bool light) : m_view(view), m_active(light) {
        if (m_active)
            m_view->applyPalette(lightPalette());
    }
    ~PaletteScope() {
        if (m_active)
            m_view->applyPalette(m_view->palette());
    }

  private:
    PlotView* m_view;
    bool m_active;
};

// Paints the figure with every series clipped to its panel's plot area. The clip is set on
// the painter for each panel's series layer, which QSvgGenerator writes as <clipPath>; axes,
// titles and legends are painted unclipped in a first pass.
void paintFigure(PlotView* view, QPainter* painter, const QSizeF& size) {
    view->renderFigure(painter, QRectF(QPointF(0, 0), size), size);
}

bool writePdf(PlotView* view, const QString& path, const ExportOptions& o, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    {
        QPdfWriter pdf(&file);
        pdf.setCreator(QStringLiteral("ScaleLens"));
        pdf.setTitle(QFileInfo(path).completeBaseName());
        // 1 figure pixel = 1/96 inch = 0.75 pt.
        const QSizeF points(o.size.width() * 0.75, o.size.height() * 0.75);
        pdf.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(96);
        QPainter painter;
        if (!painter.begin(&pdf)) {
            *error = QStringLiteral("cannot start a PDF painter for %1").arg(path);
            return false;
        }
        paintFigure(view, &painter, QSizeF(o.size));
        painter.end();
    }
    if (!file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// One QSvgGenerator document of the figure (or of one layer of it), as text.
QByteArray svgLayer(PlotView* view, const ExportOptions& o, const QString& title,
                    PlotView::FigureLayer layer, int panel) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(o.size);
    svg.setViewBox(QRect(QPoint(0, 0), o.size));
    svg.setResolution(96);
    svg.setTitle(title);
    svg.setDescription(QStringLiteral("ScaleLens plot"));
    QPainter painter;
    if (!painter.begin(&svg))
        return {};
    view->paintFigure(&painter, QRectF(QPointF(0, 0), QSizeF(o.size)), layer, panel);
    painter.end();
    return buffer.data();
}

// QSvgGenerator (Qt 6.4) drops the painter's clip, so series drawn past the plot area would
// spill over the axes. The figure is therefore written in layers: everything but the series,
// then each panel's series wrapped in <g clip-path="url(#...)"> with the plot area as
// <clipPath>. The generator's documents share one coordinate system, so bodies can be joined.
bool writeSvg(PlotView* view, const QString& path, const ExportOptions& o, QString* error) {
    const QString title = QFileInfo(path).completeBaseName();
    view->layoutFigure(QSizeF(o.size));
    QByteArray doc = svgLayer(view, o, title, PlotView::FigureLayer::WithoutSeries, -1);
    QByteArray layers;
    for (int panel = 0; panel < view->panelCount() && !doc.isEmpty(); ++panel) {
        const QByteArray part = svgLayer(view, o, title, PlotView::FigureLayer::SeriesOnly, panel);
        const qsizetype bodyStart = part.indexOf("</defs>");
        const qsizetype bodyEnd = part.lastIndexOf("</svg>");
        if (bodyStart < 0 || bodyEnd < bodyStart) {
            doc.clear();
            break;
        }
        const QRectF area = view->plotAreaInFigure(panel);
        const QByteArray id = "scalelens-plot-area-" + QByteArray::number(panel);
        layers += "<defs><clipPath id=\"" + id + "\"><rect x=\"" +
                  QByteArray::number(area.x(), 'f', 2) + "\" y=\"" +
                  QByteArray::number(area.y(), 'f', 2) + "\" width=\"" +
                  QByteArray::number(area.width(), 'f', 2) + "\" height=\"" +
                  QByteArray::number(area.height(), 'f', 2) + "\"/></clipPath></defs>\n";
        layers += "<g clip-path=\"url(#" + id + ")\">\n";
        layers += part.mid(bodyStart + 7, bodyEnd - bodyStart - 7);
        layers += "</g>\n";
    }
    view->restoreLayout();
    const qsizetype end = doc.lastIndexOf("</svg>");
    if (doc.isEmpty() || end < 0) {
        *error = QStringLiteral("cannot render the SVG for %1").arg(path);
        return false;
    }
    doc = doc.left(end) + layers + "</svg>\n";
    // clipPath is not part of SVG Tiny 1.2, which QSvgGenerator declares; SVG 1.1 has it.
    doc.replace("version=\"1.2\" baseProfile=\"tiny\"", "version=\"1.1\"");

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(doc) != doc.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool writePng(PlotView* view, const QString& path, const ExportOptions& o, QString* error) {
    const double scale = o.dpi / 96.0;
    const QSize pixels(static_cast<int>(std::lround(o.size.width() * scale)),
                       static_cast<int>(std::lround(o.size.height() * scale)));
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(view->palette().color(QPalette::Base));
    if (o.lightTheme)
        image.fill(Qt::white);
    // dots per metre, so viewers show the figure at its physical size
    const int dpm = static_cast<int>(std::lround(o.dpi / 0.0254));
    image.setDotsPerMeterX(dpm);
    image.setDotsPerMeterY(dpm);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        // Lay out at the 96-DPI size and scale up, so text keeps its size relative to the plot.
        view->renderFigure(&painter, QRectF(QPointF(0, 0), QSizeF(pixels)), QSizeF(o.size));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

bool ExportOptions::isValid(std::string* error) const {
    if (size.width() < 50 || size.height() < 50 || size.width() > 20000 || size.height() > 20000) {
        if (error)
            *error = "ExportOptions.size must be between 50 and 20000 pixels on each side";
        return false;
    }
    if (dpi < 24 || dpi > 1200) {
        if (error)
            *error = "ExportOptions.dpi must be between 24 and 1200";
        return false;
    }
    return true;
}

std::optional<ExportFormat> exportFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    if (suffix == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (suffix == QLatin1String("png"))
        return ExportFormat::Png;
    return std::nullopt;
}

QString exportSuffix(ExportFormat format) {
    switch (format) {
        case ExportFormat::Pdf:
            return QStringLiteral("pdf");
        case ExportFormat::Svg:
            return QStringLiteral("svg");
        case ExportFormat::Png:
            return QStringLiteral("png");
    }
    return {};
}

bool exportPlot(PlotView* view, const QString& path, const ExportOptions& options, QString* error) {
    const auto format = exportFormatForPath(path);
    if (!format) {
        if (error)
            *error = QStringLiteral("%1: unknown file type (use .pdf, .svg or .png)").arg(path);
        return false;
    }
    return exportPlot(view, path, *format, options, error);
}

bool exportPlot(PlotView* view, const QString& path, ExportFormat format,
                const ExportOptions& options, QString* error) {
    QString local;
    QString* err = error ? error : &local;
    std::string why;
    if (!view) {
        *err = QStringLiteral("no plot to export");
        return false;
    }
    if (!options.isValid(&why)) {
        *err = QString::fromStdString(why);
        return false;
    }
    PaletteScope theme(view, options.lightTheme);
    switch (format) {
        case ExportFormat::Pdf:
            return writePdf(view, path, options, err);
        case ExportFormat::Svg:
            return writeSvg(view, path, options, err);
        case ExportFormat::Png:
            return writePng(view, path, options, err);
    }
    return false;
}

bool exportAllViews(const ViewContext& context, const QString& folder, ExportFormat format,
                    const ExportOptions& options, QStringList* written, QString* error) {
    // Several views draw the same on-the-fly fit: fit once for the whole export.
    ViewContext ctx = context;
    if (!ctx.fitCache)
        ctx.useFitCache(std::make_shared<ViewFitCache>());
    QStringList failures;
    if (!QDir().mkpath(folder)) {
        if (error)
            *error = QStringLiteral("cannot create folder %1").arg(folder);
        return false;
    }
    for (const ViewInfo& info : viewCatalog()) {
        PlotView view;
        view.resize(options.size);
        QString why;
        if (!buildView(info.id, ctx, &view, &why)) {
            failures << QStringLiteral("%1: %2").arg(info.id, why);
            continue;
        }
        const QString path =
            QDir(folder).filePath(info.id + QLatin1Char('.') + exportSuffix(format));
        if (!exportPlot(&view, path, format, options, &why)) {
            failures << QStringLiteral("%1: %2").arg(info.id, why);
            continue;
        }
        if (written)
            *written << path;
    }
    if (!failures.isEmpty()) {
        if (error)
            *error = failures.join(QLatin1Char('\n'));
        return false;
    }
    return true;
}

}  // namespace scalelens::ui
