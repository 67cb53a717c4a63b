// The central plot area: one tab per view of the catalogue (widgets/plot_views.h), each a
// PlotView drawn by buildView() from the open project.
//
// Views are built lazily: a document change marks every tab stale and rebuilds only the tab
// on screen (coalesced on the next event-loop turn, so an undo that emits four signals draws
// once); other tabs rebuild when they are shown. This keeps start-up and edits fast however
// many views there are. Clicking a point selects its run in the document.
//
// Every view stays reachable without scroll arrows: tab titles shorten when the full ones do
// not fit ("Loss vs compute" -> "L vs C", the full title in the tooltip), and a views button
// left of the tabs lists every view by its full title.
#pragma once

#include <QTabWidget>
#include <atomic>
#include <memory>
#include <vector>

#include <widgets/views/plot_views.h>

class QComboBox;
class QDoubleSpinBox;
class QToolButton;
class QTimer;
template <typename T>
class QFutureWatcher;

namespace scalelens::ui {
class CurveZoom;
class ForecastControls;
class ForecastWhatIfTable;
class PlotView;
class ProjectDocument;
}  // namespace scalelens::ui

namespace scalelens::app {

class PlotTabs : public QTabWidget {
    Q_OBJECT
  public:
    explicit PlotTabs(ui::ProjectDocument* document, QWidget* parent = nullptr);
    // Stops a running data step and waits for it: its connection is closed with the window.
    ~PlotTabs() override;

    // The PlotView of the current tab (nullptr when there are no tabs).
    ui::PlotView* currentPlotView() const;
    ui::PlotView* plotView(const QString& viewId) const;
    QString currentViewId() const;
    // Shows the tab of `viewId`; false if unknown.
    bool showView(const QString& viewId);
    // Context the views are drawn with (project, selection, curve options).
    ui::ViewContext viewContext() const;
    // Builds the current tab now if it is stale (tests and screenshots call this).
    void rebuildCurrentNow();
    // While held, views are not built (they stay stale) and the current tab says "Drawing…".
    // main() holds builds until the window's first paint, so a view that fits a law on the
    // fly never delays the first frame. Releasing schedules the pending build.
    void setBuildsHeld(bool held);
    bool buildsHeld() const { return m_held; }
    // Number of buildView() calls so far (lets tests check that edits redraw).
    int buildCount() const { return m_buildCount; }
    // The last build: whether it drew from what a worker's data step read (prepareView), and
    // the GUI thread's CPU time in buildView() (the drawing step; painting comes after).
    bool lastBuildPrepared() const { return m_lastBuildPrepared; }
    double lastBuildCpuMs() const { return m_lastBuildCpuMs; }
    // Last error of buildView() for the current tab (empty when it drew).
    QString lastError() const { return m_lastError; }

    // The curve-forecast view's least height while its what-if table is shown (its loss plot
    // then keeps >= 100 px at 1366x768), and every view's otherwise (PlotView's own).
    static constexpr int kForecastPlotMinHeight = 450;
    static constexpr int kPlotMinHeight = 180;
    // The what-if table of the curve-forecast view (tests); nullptr without that view.
    ui::ForecastWhatIfTable* forecastWhatIfTable() const { return m_whatIfTable; }

    // Whether the tabs show their short titles (the full ones did not fit the width).
    bool shortTitles() const { return m_shortTitles; }

  signals:
    // A view was (re)built; `viewId` names it.
    void viewBuilt(const QString& viewId);

  protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

  private:
    struct Tab {
        QString id;
        ui::PlotView* view = nullptr;
        bool stale = true;
        QString title;       // full title (catalogue)
        QString shortTitle;  // when the full titles do not fit
    };
    // Full titles when every tab fits the bar's width with them, else the short ones.
    void fitTabTitles();
    bool m_shortTitles = false;
    void markAllStale();
    void markStale(const QString& viewId);
    void scheduleRebuild();
    // Timer path: a view's data step (prepareView: its curve reads and fits on the fly) runs
    // on a worker thread with its own read-only connection, so the window never waits for a
    // read of long curves or a grid fit; then the view draws from what the worker read.
    void rebuildCurrent();
    void buildCurrent(bool prefetchFirst);
    void startPrefetch(const QString& viewId);
    void prefetchFinished();

    ui::ProjectDocument* m_document;
    std::vector<Tab> m_tabs;
    QTimer* m_rebuildTimer;
    QComboBox* m_curveAxis = nullptr;
    QDoubleSpinBox* m_smoothing = nullptr;
    QToolButton* m_curveMetrics = nullptr;       // menu of checkable metrics (several at once)
    QComboBox* m_curveColor = nullptr;           // run field colouring many curves
    QStringList m_checkedMetrics;                // empty: the project's loss metric
    ui::ForecastControls* m_forecast = nullptr;  // bar of the curve-forecast view
    // The what-if schedules under the curve-forecast plot; hidden unless what-if is on.
    ui::ForecastWhatIfTable* m_whatIfTable = nullptr;
    // Re-reads the training curves' visible range at full resolution when zoomed in.
    ui::CurveZoom* m_curveZoom = nullptr;
    // Refills the metric menu from the open project, keeping checked metrics it still has.
    void refreshCurveMetrics();
    int m_buildCount = 0;
    bool m_held = false;
    QString m_lastError;
    bool m_lastBuildPrepared = false;
    double m_lastBuildCpuMs = 0;
    QFutureWatcher<std::shared_ptr<ui::PreparedView>>* m_prefetch = nullptr;  // running worker
    std::shared_ptr<std::atomic<bool>> m_prefetchCancel;  // set to stop the running worker
    QString m_prefetchedView;                      // view whose data the last worker prepared
    std::shared_ptr<ui::PreparedView> m_prepared;  // what it read, for that view's build
    bool m_prefetchAgain = false;                  // data or tab changed while it ran
};

}  // namespace scalelens::app
