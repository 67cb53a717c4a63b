// Export a PlotView (or every view of a project) to PDF, SVG or PNG.
//
//   ExportOptions opt;                       // 1200 x 800 figure, light theme
//   opt.dpi = 300;                           // PNG only
//   QString error;
//   if (!exportPlot(&view, "fig.pdf", opt, &error)) ...
//
// PDF: QPdfWriter, the chart scene painted with QPainter, so lines, markers, heatmap cells and
// text stay vector (no raster images) and fonts are embedded (subset) by Qt.
// SVG: QSvgGenerator; series are clipped to the plot area with a clip path (QSvgGenerator
// does not clip on its own), written as <clipPath> in the file.
// PNG: the figure at options.dpi (the figure size is in pixels at 96 DPI, so 1200 x 800 at
// 300 DPI is 3750 x 2500 pixels).
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>
#include <string>

#include "widgets/views/plot_views.h"

namespace scalelens::ui {

class PlotView;

enum class ExportFormat { Pdf, Svg, Png };

struct ExportOptions {
    QSize size{1200, 800};   // figure size in pixels at 96 DPI (1/96 inch); PDF page size too
    int dpi = 150;           // PNG resolution; 96 gives `size` pixels exactly (range 24..1200)
    bool lightTheme = true;  // papers want white figures even when the app is dark
    bool isValid(std::string* error = nullptr) const;
};

// Format from the file suffix (.pdf, .svg, .png, case-insensitive), or nullopt.
std::optional<ExportFormat> exportFormatForPath(const QString& path);
QString exportSuffix(ExportFormat format);

// Writes `view` to `path` in the format its suffix names. False with a message on an unknown
// suffix, invalid options or a write failure (nothing is left behind on failure).
bool exportPlot(PlotView* view, const QString& path, const ExportOptions& options, QString* error);
bool exportPlot(PlotView* view, const QString& path, ExportFormat format,
                const ExportOptions& options, QString* error);

// Builds every catalogue view for ctx offscreen and writes <folder>/<view-id>.<suffix>.
// `written` receives the paths written; returns false if any view failed (the others are
// still written) with the failures in `error`, one per line.
bool exportAllViews(const ViewContext& ctx, const QString& folder, ExportFormat format,
                    const ExportOptions& options, QStringList* written, QString* error);

}  // namespace scalelens::ui
