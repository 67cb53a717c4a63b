// Zoom re-read at full resolution (issue 14, item 7). A long training curve is drawn from its
// overview (datasets/curve_overview.h: four rows per bucket of x), which shows everything a
// plot of the whole curve can; zoomed in further than a bucket per pixel column, it would show
// straight lines between the kept rows. CurveZoom re-reads the visible range of each such
// series on a worker thread, at full resolution, once the zoom rests, and swaps the series'
// points (PlotView::replaceSeriesData) without rebuilding the view:
//
//   CurveZoom zoom(plotView);                   // follows plotView's rangeChanged
//   buildView(id, ctx, plotView, &error);       // ctx.prepared set: the sources are recorded
//   zoom.setSources(zoomableCurves(ctx), path); // after each build; path: the project file
//
// The read (readZoomedCurves) is bounded by the rows in range: Project::metricsInRange between
// the overview rows either side of it and, for a smoothed series of any weight, a warm-up of
// zoomWarmupRows(weight) rows before it (Project::metricsBefore), the average restarted from
// the smoothed overview's value at the row before the warm-up instead of from the curve's
// start. The restart's error (at most the curve's spread: both averages lie within its values)
// decays by weight^rows over the warm-up, so values are within kZoomEmaTolerance x spread of
// the full curve's EMA (exact when the warm-up reaches the curve's start).
#pragma once

#include <QObject>
#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "widgets/plot/plot_view.h"
#include "widgets/views/plot_views.h"

class QTimer;
template <typename T>
class QFutureWatcher;

namespace scalelens::data {
class Project;
struct MetricSeries;
}  // namespace scalelens::data

namespace scalelens::ui {

// A series drawn from a curve's overview.
struct CurveZoomSource {
    int series = -1;  // PlotView series id
    std::int64_t runId = 0;
    std::string metric;
    CurveAxis axis = CurveAxis::Step;
    AxisScale xScale = AxisScale::Linear;
    std::optional<double> totalParams;  // FLOPs axis: 6 N tokens where a row has no FLOPs
    double wallOrigin = 0;              // wall-time axis: hours count from this time (s)
    double weight = 0;                  // EMA weight of the drawn values; 0: raw values
    // The overview as drawn (x in axis units) with each point's ordering value
    // (data::curveOrder), ascending.
    std::vector<double> x, y, order;
    // A smoothed series: where its average restarts, the smoothed overview (EMA at
    // data::kOverviewEmaWeight of the full curve): ordering values and values. Empty: the
    // series is that overview (order, y).
    std::vector<double> restartOrder, restartValue;
};
struct CurveZoomSources {
    int panel = 0;
    std::vector<CurveZoomSource> curves;
};

// The sources the drawing step of ctx recorded in ctx.prepared; null when none (no curve was
// drawn from an overview, or ctx.prepared is null).
std::shared_ptr<const CurveZoomSources> zoomableCurves(const ViewContext& ctx);

// The smoothed values of a re-read match the full curve's EMA to within this, relative to the
// change of the curve between the restart row and the range.
inline constexpr double kZoomEmaTolerance = 1e-6;
// Rows of warm-up read ahead of a range for an EMA of `weight`: weight^rows <= tolerance.
std::int64_t zoomWarmupRows(double weight);

// New points for some series.
struct CurveZoomRead {
    struct Series {
        int series = -1;
        std::vector<double> x, y;
        bool fullResolution = false;  // false: the overview again (zoomed out)
        std::int64_t rowsRead = 0;    // rows read, warm-up included
    };
    std::vector<Series> series;
};

// True when the visible x range [xMin, xMax] of a plot `widthPx` wide shows `source`'s overview
// coarser than its rows (fewer than four overview points per pixel column in range).
bool zoomNeedsRows(const CurveZoomSource& source, double xMin, double xMax, int widthPx);

// The worker step: for each source, its rows in [xMin, xMax] at full resolution merged with the
// overview outside (when zoomNeedsRows), else the overview as drawn when `refined` holds its
// series (restoring it). `project` is the calling thread's own connection. Stops early (null)
// when `cancel` is set.
std::shared_ptr<const CurveZoomRead> readZoomedCurves(const data::Project& project,
                                                      const CurveZoomSources& sources, double xMin,
                                                      double xMax, int widthPx,
                                                      const std::vector<int>& refined,
                                                      const std::atomic<bool>* cancel = nullptr);

// Reads made on the application's GUI thread so far (a zoom in the window makes none).
long long zoomReadsOnGuiThread();

// Follows a PlotView's zoom and re-reads its overview series (see the top of this file).
class CurveZoom : public QObject {
    Q_OBJECT
  public:
    explicit CurveZoom(PlotView* view, QObject* parent = nullptr);
    ~CurveZoom() override;
    // The series the view now draws from overviews (zoomableCurves), and the project file the
    // worker opens read-only. Null sources: nothing to follow. Drops a read in flight.
    void setSources(std::shared_ptr<const CurveZoomSources> sources, const QString& projectPath);
    // Quiet time after the last range change before reading.
    void setDelayMs(int ms);
    int readsApplied() const { return m_applied; }
    // Rows the last drawn read took from the project (warm-ups included).
    std::int64_t lastRowsRead() const { return m_lastRowsRead; }

  signals:
    // A worker's read was drawn.
    void applied();

  private:
    void rangeChanged(int panel);
    void startRead();
    void readFinished();

    PlotView* m_view;
    QTimer* m_timer;
    std::shared_ptr<const CurveZoomSources> m_sources;
    QString m_path;
    QFutureWatcher<std::shared_ptr<const CurveZoomRead>>* m_watcher = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    unsigned m_generation = 0;  // bumped by each range change and new sources
    unsigned m_readGeneration = 0;
    bool m_again = false;        // the range changed during a read: read again after it
    std::vector<int> m_refined;  // series holding full-resolution rows
    int m_applied = 0;
    std::int64_t m_lastRowsRead = 0;
};

}  // namespace scalelens::ui
