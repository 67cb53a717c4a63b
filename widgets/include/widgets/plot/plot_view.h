// PlotView: the interactive scientific plot every ScaleLens view draws into.
//
// A QWidget over a QGraphicsView holding one or more Qt Charts panels side by side (e.g.
// "loss vs N" and "loss vs N̄"). Data stays in std::vector inside PlotView; on every zoom,
// pan or resize each series is re-fed with only its visible, pixel-decimated points
// (series_decimation.h), so 1,000,000 points redraw in milliseconds.
//
//   PlotView view;
//   view.setAxis(Qt::Horizontal, "Compute C (FLOPs)", AxisScale::Log);
//   view.setAxis(Qt::Vertical, "Final loss", AxisScale::Log);
//   view.addScatter("runs", flops, loss, {.runIds = ids, .labels = names});
//   view.addLine("fitted frontier", c, l);
//   connect(&view, &PlotView::pointClicked, table, &RunsTable::selectRun);
//
// Interaction: wheel zooms around the cursor (Ctrl: x only, Shift: y only); left drag pans;
// Shift + left drag or right drag draws a rubber band and zooms into it; double-click
// resets to the data range; clicking a legend entry hides/shows its series; hovering a
// point shows its run name and values; clicking a point emits pointClicked(runId).
//
// On a log axis values <= 0 are left out and the panel shows a note such as
// "12 points ≤ 0 hidden on log axis" (the series stays in the legend). Colours follow the
// widget palette (light or dark) and are re-applied on QEvent::PaletteChange.
//
// WARNING: never call QChartView::setUseOpenGL on these charts: in Qt 6.4 it crashes on the
// offscreen platform and the OpenGL layer is missing from PDF/SVG export.
#pragma once

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include "widgets/plot/series_decimation.h"

class QChart;
class QGraphicsScene;
class QPainter;

namespace scalelens::ui {

// How one series is drawn.
struct SeriesStyle {
    QColor color;                           // invalid: the panel's next palette colour
    qreal width = 2.0;                      // line width (lines, band outline), px
    Qt::PenStyle penStyle = Qt::SolidLine;  // e.g. Qt::DashLine for reference laws
    qreal markerSize = 8.0;                 // scatter marker diameter, px
    qreal opacity = 1.0;                    // 0..1; 0.3 for a raw curve under its smoothing
    bool inLegend = true;                   // false: no legend entry (e.g. extra contour pieces)
    bool squareMarker = false;              // scatter: squares instead of circles
    bool hollowMarker = false;              // scatter: outline only (e.g. forecast losses)
    // The opacity in a light theme, when >= 0 (a band's fill reads stronger on white than on
    // a dark background); < 0: `opacity` in both themes.
    qreal lightOpacity = -1.0;
    // Line/scatter on the panel's right-hand axis (setSecondaryAxis): y is given in that axis'
    // units and stored mapped onto the left axis (seriesY returns the mapped values).
    bool secondaryY = false;
    // The quantity this series is coloured by when its panel has a colour scale with more
    // such series than a categorical palette can tell apart (setColorScale); NaN: none.
    double colorValue = std::numeric_limits<double>::quiet_NaN();
};

// Colour by a quantity (N, C, learning rate, batch size) instead of by category: series with a
// finite SeriesStyle::colorValue get a sequential map (viridis, clipped to the part that keeps
// 3:1 contrast against the theme's plot background) and a colour bar right of the plot, titled
// with the quantity and its unit. Only when they outnumber `maxCategorical`: a few series keep
// distinct categorical colours and their legend entries.
struct ColorScale {
    QString title;            // e.g. "N (parameters)"
    bool logScale = true;     // colour by log10(value) (values must be > 0)
    int maxCategorical = 10;  // the categorical palette's size
};

// Optional per-point identity for scatters (and whole-series identity for lines).
struct PointIds {
    std::vector<qint64> runIds;   // one per point (or one for the whole series), -1 = none
    std::vector<QString> labels;  // run name shown on hover; one per point or one per series
};

// A coloured grid drawn behind the series of a panel (LR x batch landscape). Cell (i, j)
// spans [xEdges[i], xEdges[i+1]] x [yEdges[j], yEdges[j+1]] in data units and is coloured
// by values[j * nx + i] on a viridis scale; NaN cells stay empty. Drawn as vector rectangles,
// so it exports to PDF and SVG as vector.
struct Heatmap {
    std::vector<double> xEdges;  // nx + 1 increasing cell edges, data units
    std::vector<double> yEdges;  // ny + 1 increasing cell edges, data units
    std::vector<double> values;  // ny * nx values, row-major
    QString valueTitle;          // colour-bar title, e.g. "final loss"
    bool logColor = false;       // colour by log10(value) (values must be > 0)
};

// The visible data rectangle of a panel, in data units.
struct PlotRange {
    double xMin = 0.0;
    double xMax = 1.0;
    double yMin = 0.0;
    double yMax = 1.0;
};

class PlotCanvas;
class HeatmapItem;
struct SeriesData;

class PlotView : public QWidget {
    Q_OBJECT
  public:
    explicit PlotView(QWidget* parent = nullptr);
    ~PlotView() override;

    // Removes every panel, series and note and leaves one empty panel (current = 0).
    void clear();

    // Panels sit side by side in one figure and export together. A new PlotView has one.
    int addPanel(const QString& title = {});
    int panelCount() const;
    void setCurrentPanel(int panel);  // target of the add*/set* calls below
    int currentPanel() const;
    void setPanelTitle(const QString& title);
    QString panelTitle(int panel) const;
    // Panels top to bottom instead of side by side, the first taking `topShare` of the height
    // and the others sharing the rest, on one x axis: each follows the union of their data's x
    // range, and zooming or panning one moves every panel's x (a schedule under its loss
    // curve). Undone by clear().
    void setStackedPanels(double topShare = 0.7);
    bool stackedPanels() const;

    // Axis title and scale of the current panel. Changing the scale keeps the data.
    void setAxis(Qt::Orientation orientation, const QString& title, AxisScale scale);
    QString axisTitle(int panel, Qt::Orientation orientation) const;
    AxisScale axisScale(int panel, Qt::Orientation orientation) const;

    // Add a series to the current panel; x and y are copied in full. Return the series id
    // (unique in this view). Mismatched x/y lengths are truncated to the shorter.
    int addScatter(const QString& name, std::vector<double> x, std::vector<double> y,
                   PointIds ids = {}, SeriesStyle style = {});
    int addLine(const QString& name, std::vector<double> x, std::vector<double> y,
                SeriesStyle style = {}, PointIds ids = {});
    // A filled band between lower(x) and upper(x) (confidence interval), drawn translucent.
    int addBand(const QString& name, std::vector<double> x, std::vector<double> lower,
                std::vector<double> upper, SeriesStyle style = {});
    void setHeatmap(Heatmap heatmap);
    // Adding many series (a sweep's training curves): between beginBatch and endBatch, add*
    // calls only store and attach their series, and endBatch styles and draws each touched
    // panel once, instead of restyling and re-decimating the whole panel on every add (which
    // is quadratic in the number of series). Nests; BatchGuard pairs them.
    void beginBatch();
    void endBatch();
    class BatchGuard {
      public:
        explicit BatchGuard(PlotView* view) : m_view(view) { m_view->beginBatch(); }
        ~BatchGuard() { m_view->endBatch(); }
        BatchGuard(const BatchGuard&) = delete;
        BatchGuard& operator=(const BatchGuard&) = delete;

      private:
        PlotView* m_view;
    };

    // Twin axes: a second y axis on the right of the current panel, for series in other units
    // (loss on the left, learning rate on the right). [lo, hi] (> 0 for Log) is mapped onto
    // the left axis' current data range, so call it after adding the left-axis series; series
    // added with SeriesStyle::secondaryY then follow that map, and zooming moves both axes.
    void setSecondaryAxis(const QString& title, AxisScale scale, double lo, double hi);
    bool hasSecondaryAxis(int panel) const;
    QString secondaryAxisTitle(int panel) const;
    // Colour the current panel's series by SeriesStyle::colorValue (see ColorScale).
    void setColorScale(ColorScale scale);
    // True when panel's series are coloured by the scale and its colour bar is drawn.
    bool colorScaleActive(int panel) const;
    // The colour drawn at fraction t in [0, 1] of the panel's colour bar (low to high value),
    // as painted in the current theme.
    QColor colorScaleColor(int panel, double t) const;
    // Text at a data position of the current panel (e.g. "optimum", contour level labels).
    void addText(double x, double y, const QString& text, QColor color = {});
    // A line of text in the top-left corner of the current panel ("No fit available: ...").
    void addNote(const QString& note);

    int seriesCount() const;
    QString seriesName(int series) const;
    QColor seriesColor(int series) const;  // the colour it was drawn with
    int seriesPanel(int series) const;
    // Swaps a line's or scatter's points (not a band's) for x, y, keeping its style, legend
    // entry, id and the panel's zoom: a zoom re-reads a long curve at full resolution. y in
    // the series' own axis units (secondaryY: the right axis). Redraws its panel once.
    void replaceSeriesData(int series, std::vector<double> x, std::vector<double> y);
    void setSeriesVisible(int series, bool visible);
    bool isSeriesVisible(int series) const;
    // Points of the series currently drawn (after clipping and decimation to pixel columns;
    // a line's are handed to Qt Charts simplified to within 0.2 px of them).
    std::size_t displayedPointCount(int series) const;
    std::size_t pointCount(int series) const;
    // The full data of a series as added (band: x with the lower edge as y).
    const std::vector<double>& seriesX(int series) const;
    const std::vector<double>& seriesY(int series) const;

    // Every note line of a panel, including the hidden-on-log note, joined by '\n'.
    QString notes(int panel) const;
    // Finite points of the panel's series left out because of a log axis.
    std::size_t hiddenOnLogCount(int panel) const;

    // Zoom state of a panel; setRange clamps nothing (except log axes to > 0).
    PlotRange range(int panel) const;
    void setRange(int panel, const PlotRange& range);
    PlotRange dataRange(int panel) const;  // the range resetZoom returns to
    void resetZoom();                      // every panel back to its data range
    // Zoom by `factor` (> 1 zooms in) around a point given in widget pixels.
    void zoomAt(int panel, QPointF widgetPos, double factor, bool zoomX = true, bool zoomY = true);

    // The run id of the point drawn nearest to `widgetPos` within `radiusPx`, or -1.
    qint64 runIdAt(QPointF widgetPos, qreal radiusPx = 8.0) const;
    // Tooltip text for the point nearest to `widgetPos`, empty when none is close.
    QString hoverTextAt(QPointF widgetPos, qreal radiusPx = 8.0) const;

    // Lay the figure out at `size` (pixels or points) without touching the widget, and paint
    // it into `target` on `painter` (vector when the painter's device is a PDF/SVG). Used by
    // export and the redraw benchmark; the on-screen layout is restored afterwards.
    void renderFigure(QPainter* painter, const QRectF& target, const QSizeF& size);

    // The same in steps, for exporters that paint layers separately (SVG clipping):
    // layoutFigure(size), then any number of paintFigure calls, then restoreLayout().
    enum class FigureLayer {
        All,            // everything
        WithoutSeries,  // axes, grid, legend, titles, notes, heatmap: not the data series
        SeriesOnly,     // only the data series of `panel` (no background)
    };
    void layoutFigure(const QSizeF& size);
    void paintFigure(QPainter* painter, const QRectF& target, FigureLayer layer = FigureLayer::All,
                     int panel = -1);
    // Where the panel's notes are drawn (figure coordinates, backing included; empty when the
    // panel has none): where they cover no data point, line or label (a corner of the plot
    // area, beside the legend or titles outside it, or a free place inside it).
    QRectF notesRect(int panel) const;
    // True when no such place holds the whole note: it is drawn as a one-line summary and
    // hoverTextAt over it returns the full text (notes()).
    bool notesCollapsed(int panel) const;
    // Plot area of a panel in figure coordinates of the current layout.
    QRectF plotAreaInFigure(int panel) const;
    void restoreLayout();

    // Every text the figure currently draws (panel and axis titles, legend entries, tick
    // labels, note lines) and whether it was shortened: Qt Charts elides what does not fit
    // to "text...", and a note line may not be wider than the plot area it is wrapped to.
    // Lets tests check that nothing is cut at a given size.
    struct DrawnText {
        int panel = 0;
        QString text;           // as drawn (plain text, one line of a wrapped note)
        qreal width = 0.0;      // px the text needs
        qreal available = 0.0;  // px it was given
        bool elided = false;
    };
    std::vector<DrawnText> drawnTexts() const;

    // Minor tick positions (data units) drawn on a log axis of a panel: 2..9 × 10ᵏ and the
    // decades; empty on a linear axis or a range under one decade.
    std::vector<double> minorTicks(int panel, Qt::Orientation orientation) const;

    // What the view did so far, counted (not timed) so that tests can bound the GUI thread's
    // work of a view switch on any machine: panel redraws (ticks, decimation, points handed
    // to Qt Charts), and the points handed over.
    struct WorkCounts {
        long long refreshes = 0;     // Impl::refresh passes that redrew a panel
        long long pointsHanded = 0;  // points given to Qt Charts series (replace)
        long long seriesHanded = 0;  // Qt Charts series given points
    };
    WorkCounts workCounts() const;
    void resetWorkCounts();

    // The view-switch savings (on by default): buildView draws each panel once, lines are
    // handed to Qt Charts simplified to 0.2 px, note placement maps points without log10, long
    // training curves smoothed at a weight other than the default reach the drawing step as
    // overview rows (plot_views.h: CurveDetail::SmoothedAtWeight).
    // Off: the previous way, only so that benchmarks can compare in the same run.
    static void setFastDrawing(bool on);
    static bool fastDrawing();

    // Colours from a palette (called automatically with the widget palette).
    void applyPalette(const QPalette& palette);

    QGraphicsScene* scene() const;
    QChart* chart(int panel) const;

  signals:
    void pointClicked(qint64 runId);
    void rangeChanged(int panel);

  protected:
    void changeEvent(QEvent* event) override;

  private:
    friend class PlotCanvas;
    friend class HeatmapItem;
    friend class MinorTicksItem;
    friend class ColorBarItem;
    struct Impl;
    int addSeriesInternal(SeriesData&& data);
    std::unique_ptr<Impl> d;
};

}  // namespace scalelens::ui
