// Private state of PlotView, shared by plot_view.cpp (API, data, decimation),
// plot_canvas.cpp (mouse and wheel interaction) and plot_items.cpp (heatmap and overlays).
#pragma once

#include <QGraphicsItem>
#include <QGraphicsView>
#include <QPalette>
#include <QPointer>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <vector>

#include "widgets/plot/plot_view.h"

#include <QGraphicsSimpleTextItem>

class QRubberBand;

namespace scalelens::ui {

enum class SeriesKind { Scatter, Line, Band };

struct SeriesData {
    SeriesKind kind = SeriesKind::Line;
    int panel = 0;
    QString name;
    std::vector<double> x;
    std::vector<double> y;      // line/scatter y, band lower
    std::vector<double> upper;  // band upper
    PointIds ids;
    SeriesStyle style;
    QColor color;
    QColor categorical;  // the colour it gets without an active colour scale
    bool visible = true;
    QXYSeries* xy = nullptr;           // scatter or line, owned by the chart
    QAreaSeries* area = nullptr;       // band, owned by the chart
    QLineSeries* bandLower = nullptr;  // owned by `area`
    QLineSeries* bandUpper = nullptr;  // owned by `area`
    std::vector<std::size_t> shown;    // indices currently handed to Qt Charts
    QList<QPointF> shownAxis;          // those points in axis units (log10 on log axes)
    bool xSorted = false;              // x non-decreasing and finite (checked once)
    MinMaxPyramid pyramid;             // long sorted lines: per-column min/max in O(log n)
    bool pyramidBuilt = false;

    qint64 runIdOf(std::size_t i) const;
    QString labelOf(std::size_t i) const;
};

class HeatmapItem;
class MinorTicksItem;
class ColorBarItem;

// Text over the data on a semi-opaque, theme-aware backing (plot background at 85% opacity
// with a faint border), so fit formulas, banners and contour labels stay readable over
// series and grid lines, and the data stays visible through them.
class BackedTextItem : public QGraphicsSimpleTextItem {
  public:
    explicit BackedTextItem(QGraphicsItem* parent, const QString& text = {});
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void setBacking(const QColor& fill, const QColor& border);
    static constexpr qreal kPad = 4.0;  // px around the text

  private:
    QColor m_fill;
    QColor m_border;
};

struct TextAnnotation {
    double x = 0.0;
    double y = 0.0;
    QString text;
    QColor color;
    BackedTextItem* item = nullptr;  // child of the chart
};

struct Panel {
    QChart* chart = nullptr;  // owned by the scene
    QString title;            // as given (the chart may show it wrapped)
    QAbstractAxis* xAxis = nullptr;
    QAbstractAxis* yAxis = nullptr;
    AxisScale xScale = AxisScale::Linear;
    AxisScale yScale = AxisScale::Linear;
    QString xTitle;
    QString yTitle;
    PlotRange range;
    bool userRange = false;  // false: follow the data range
    QStringList notes;
    QString noteText;  // every note line, unwrapped (PlotView::notes)
    std::size_t hiddenOnLog = 0;
    BackedTextItem* noteItem = nullptr;  // child of the chart; placed where it hides no data
    qreal noteWrap = 0.0;                // width the drawn note lines were wrapped to
    bool noteCollapsed = false;          // no free spot: a one-line summary, the rest on hover
    // The last placement, kept while its corner stays free (a zoom or pan does not search
    // again, and the note does not jump around).
    QString notePlacedFor;                 // the note text it was placed for
    QRectF notePlacedIn;                   // plot area it was placed in
    QRectF noteSpot;                       // chart coordinates; set only for a free corner
    HeatmapItem* heatmap = nullptr;        // child of the chart
    MinorTicksItem* minorTicks = nullptr;  // child of the chart
    ColorBarItem* colorBar = nullptr;      // child of the chart, with a colour scale
    ColorScale colorScale;
    bool hasColorScale = false;
    bool colorActive = false;  // series coloured by the scale (more than maxCategorical)
    double colorLo = 0.0;      // scale range, transformed (log10 when logScale)
    double colorHi = 1.0;
    // Twin axes (setSecondaryAxis): right-hand axis; a value v of it sits at left-axis
    // position t = y2Slope * tf(v, y2Scale) + y2Offset (t in left-axis units, log10 for Log).
    QAbstractAxis* y2Axis = nullptr;
    AxisScale y2Scale = AxisScale::Linear;
    QString y2Title;
    double y2Slope = 1.0;
    double y2Offset = 0.0;
    std::vector<TextAnnotation> texts;
    int nextColor = 0;
    bool batchDirty = false;      // series were added during a batch (PlotView::beginBatch)
    DecimationWindow lastWindow;  // window of the last decimation (skip when unchanged)
    // Extra left and right inset of the chart layout that lines stacked panels up
    // (PlotCanvas::alignStackedPlotAreas), px.
    qreal alignLeft = 0.0;
    qreal alignRight = 0.0;
    bool decimated = false;
};

// The graphics view that hosts the panels and turns mouse input into zoom/pan/select.
class PlotCanvas : public QGraphicsView {
  public:
    explicit PlotCanvas(PlotView* owner);
    void layoutPanels(const QSizeF& size);
    // Stacked panels: every plot area spans the same x pixels (no-op otherwise).
    void alignStackedPlotAreas();
    // Stacked panels beneath the first (an LR schedule under its loss curve) keep at least this
    // much plot height, px, when the figure is short; the first keeps at least kMinTopShare.
    static constexpr qreal kMinLowerPlot = 80.0;
    static constexpr qreal kMinTopShare = 0.4;

  protected:
    qreal lowerPanelHeight(qreal width, qreal below);
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    enum class Drag { None, Pan, Band };
    PlotView* m_owner;
    Drag m_drag = Drag::None;
    int m_dragPanel = -1;
    QPoint m_pressPos;
    PlotRange m_pressRange;
    QRubberBand* m_band = nullptr;
    bool m_aligning = false;
};

// Viridis-coloured cells drawn behind the series, plus a colour bar right of the plot area.
class HeatmapItem : public QGraphicsItem {
  public:
    HeatmapItem(PlotView::Impl* d, int panel, Heatmap map, QGraphicsItem* parent);
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void refresh();  // geometry changed
    const Heatmap& heatmap() const { return m_map; }

  private:
    PlotView::Impl* d;
    int m_panel;
    Heatmap m_map;
    double m_lo = 0.0;
    double m_hi = 1.0;
};

// Minor ticks between the decades of log axes (2..9 × 10ᵏ, and every decade the label thinning
// left out), with faint grid lines; Qt Charts' category axes draw only the labelled ticks.
class MinorTicksItem : public QGraphicsItem {
  public:
    MinorTicksItem(PlotView::Impl* d, int panel, QGraphicsItem* parent);
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void refresh();  // ticks or geometry changed

    std::vector<double> xTicks;  // data units
    std::vector<double> yTicks;
    QColor tickColor;
    QColor gridColor;

  private:
    PlotView::Impl* d;
    int m_panel;
};

// The colour bar of a panel's ColorScale, in the right margin PlotView reserves for it.
class ColorBarItem : public QGraphicsItem {
  public:
    ColorBarItem(PlotView::Impl* d, int panel, QGraphicsItem* parent);
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    void refresh();
    // Title lines as drawn, wrapped to the margin (for PlotView::drawnTexts).
    QStringList titleLines() const;
    QFont titleFont() const;
    static constexpr qreal kMargin = 96.0;  // right chart margin reserved for the bar, px

  private:
    PlotView::Impl* d;
    int m_panel;
};

// Viridis colour map at t in [0, 1] (matplotlib's, 9 anchor points, linear in between).
QColor viridis(double t);

struct PlotView::Impl {
    PlotView* q = nullptr;
    PlotCanvas* canvas = nullptr;
    QGraphicsScene* scene = nullptr;
    std::vector<Panel> panels;
    std::vector<SeriesData> series;
    int current = 0;
    QPalette palette;
    bool refreshing = false;
    int batch = 0;  // beginBatch depth: series added meanwhile are styled and drawn at the end
    // Inside a batch, restyling, redrawing and placing overlays only mark the panel
    // (batchDirty); endBatch does each once. True when deferred so.
    bool deferred(int panel);
    // Work counters (PlotView::workCounts), for tests that bound a view switch's work.
    mutable PlotView::WorkCounts work;
    // scaleColor's clipped viridis range, for the background it was found on.
    mutable bool scaleClipValid = false;
    mutable QRgb scaleClipBackground = 0;
    mutable double scaleClipLo = 0.0;
    mutable double scaleClipHi = 1.0;
    QSizeF figureSize;  // size of the current layout (export or on-screen)
    // setStackedPanels: panels top to bottom, the first taking topShare of the height, with
    // linked x ranges.
    bool stacked = false;
    double topShare = 0.7;

    void addPanel(const QString& title);
    void installAxis(int panel, Qt::Orientation orientation);
    void attachSeries(SeriesData& s);
    void styleSeries(SeriesData& s);
    void refresh(int panel, bool force = false);
    void refreshAll(bool force = false);
    void updateOverlays(int panel);
    // Puts the panel's note where it covers no drawn data, label or chart text: a corner of
    // the plot, outside the plot beside the legend or titles, or anywhere free inside it;
    // wrapped narrower or wider as the room needs. With no free spot for the whole note it
    // collapses to a one-line summary (PlotView::hoverTextAt shows the full text).
    void placeNote(int panel, const QStringList& lines);
    // True when nothing drawn (point, marker, line segment, label) lies in `rect` (chart
    // coordinates of the panel); heatmap panels are never free.
    bool spotFree(int panel, const QRectF& rect) const;
    void applyPaletteTo(int panel);
    // Wraps axis titles, the panel title and legend entries at word boundaries to the room
    // they get, and puts the legend below the plot when it fits in one row, else right of it.
    // True when something changed (the chart must be laid out again).
    bool fitLabels(int panel);
    // Recolours the panel's series by its ColorScale (or back to categorical colours).
    void applyColorScale(int panel);
    // Colour at t in [0, 1] of the panel's scale: viridis clipped to >= 3:1 contrast.
    QColor scaleColor(double t) const;
    // Whether the series shows a legend entry (not when its colour comes from the bar).
    bool inLegend(const SeriesData& s) const;
    PlotRange computeDataRange(int panel) const;
    DecimationWindow window(int panel) const;

    // Data <-> chart-item coordinates of a panel (log axes map linearly in log10).
    QPointF toChart(int panel, double x, double y) const;
    QPointF toData(int panel, QPointF chartPos) const;
    int panelAt(QPointF scenePos) const;
    bool inPlotArea(int panel, QPointF scenePos) const;

    // Nearest drawn point to a scene position within radius px: series index and point index.
    bool nearest(QPointF scenePos, qreal radius, int* series, std::size_t* index) const;
    QString hoverText(int series, std::size_t index) const;
};

}  // namespace scalelens::ui
