#include "plot_tabs.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QTabBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <ctime>

#include <analysis/loss_metric.h>
#include <datasets/project.h>
#include <widgets/document/project_document.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/curve_zoom.h>
#include <widgets/views/forecast_view.h>
#include <widgets/views/forecast_whatif_table.h>
#include <widgets/views/schedule_dialog.h>

namespace scalelens::app {

namespace {
// CPU time of the calling thread (wall time where the system cannot tell).
double threadCpuMs() {
#if defined(__linux__)
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
#else
    static QElapsedTimer wall;
    if (!wall.isValid())
        wall.start();
    return static_cast<double>(wall.nsecsElapsed()) / 1e6;
#endif
}
}  // namespace

namespace {

// Tab titles for narrow windows (1366 px with the docks open): the catalogue's titles do not
// all fit there. Views without an entry keep their full title.
QString shortTitleOf(const QString& id, const QString& title) {
    static const std::pair<const char*, const char*> kShort[] = {
        {"loss-vs-compute", "L vs C"},      {"loss-vs-n-d", "L vs N, D"},
        {"iso-loss-contours", "Iso-loss"},  {"lr-batch-landscape", "LR×batch"},
        {"density-over-time", "Density"},   {"knowledge-bits", "Knowledge"},
        {"avg-param-collapse", "Collapse"}, {"training-curves", "Curves"},
        {"curve-forecast", "Forecast"},
    };
    for (const auto& [key, shortTitle] : kShort)
        if (id == QLatin1String(key))
            return QString::fromUtf8(shortTitle);
    return title;
}

// Half the style's horizontal padding in a tab: eleven views fit a 1366 px window's plot
// area with their short titles.
class CompactTabStyle : public QProxyStyle {
  public:
    using QProxyStyle::QProxyStyle;
    int pixelMetric(PixelMetric metric, const QStyleOption* option,
                    const QWidget* widget) const override {
        const int value = QProxyStyle::pixelMetric(metric, option, widget);
        return metric == PM_TabBarTabHSpace ? value / 2 : value;
    }
};

}  // namespace

PlotTabs::PlotTabs(ui::ProjectDocument* document, QWidget* parent)
    : QTabWidget(parent), m_document(document), m_rebuildTimer(new QTimer(this)) {
    setObjectName(QStringLiteral("PlotTabs"));
    setDocumentMode(true);
    // No scroll arrows: titles shorten to fit (fitTabTitles) and the views button lists all.
    setUsesScrollButtons(false);
    setElideMode(Qt::ElideRight);
    // The app always runs Fusion (ui::applyTheme); the proxy is owned here, not by the bar.
    auto* tabStyle = new CompactTabStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    tabStyle->setParent(this);
    tabBar()->setStyle(tabStyle);
    m_rebuildTimer->setSingleShot(true);
    m_rebuildTimer->setInterval(0);
    connect(m_rebuildTimer, &QTimer::timeout, this, &PlotTabs::rebuildCurrent);

    for (const ui::ViewInfo& info : ui::viewCatalog()) {
        auto* page = new QWidget(this);
        auto* layout = new QVBoxLayout(page);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        if (info.id == QLatin1String("training-curves")) {
            // The curve view's own options: x axis and EMA smoothing (TensorBoard-style).
            auto* bar = new QWidget(page);
            auto* row = new QHBoxLayout(bar);
            row->setContentsMargins(8, 4, 8, 4);
            m_curveAxis = new QComboBox(bar);
            m_curveAxis->setObjectName(QStringLiteral("curveAxis"));
            m_curveAxis->addItem(tr("Tokens"), int(ui::CurveAxis::Tokens));
            m_curveAxis->addItem(tr("Step"), int(ui::CurveAxis::Step));
            m_curveAxis->addItem(tr("FLOPs"), int(ui::CurveAxis::Flops));
            m_curveAxis->addItem(tr("Wall time"), int(ui::CurveAxis::WallTime));
            m_curveMetrics = new QToolButton(bar);
            m_curveMetrics->setObjectName(QStringLiteral("curveMetrics"));
            m_curveMetrics->setPopupMode(QToolButton::InstantPopup);
            m_curveMetrics->setMenu(new QMenu(m_curveMetrics));
            m_curveMetrics->setToolTip(
                tr("Metrics to draw; several at once share the x axis, "
                   "on a second y axis when their units differ"));
            m_smoothing = new QDoubleSpinBox(bar);
            m_smoothing->setObjectName(QStringLiteral("curveSmoothing"));
            m_smoothing->setRange(0.0, 0.999);
            m_smoothing->setSingleStep(0.05);
            m_smoothing->setDecimals(3);
            m_smoothing->setValue(0.6);
            m_smoothing->setToolTip(
                tr("Exponential moving average weight (as in TensorBoard); "
                   "0 shows the raw curve only"));
            m_curveColor = new QComboBox(bar);
            m_curveColor->setObjectName(QStringLiteral("curveColor"));
            for (const auto& [key, title] : ui::curveColorFields())
                m_curveColor->addItem(title, key);
            m_curveColor->setToolTip(
                tr("Run field that colours the curves when there are "
                   "more runs than distinct colours"));
            row->addWidget(new QLabel(tr("Metrics:"), bar));
            row->addWidget(m_curveMetrics);
            row->addSpacing(12);
            row->addWidget(new QLabel(tr("X axis:"), bar));
            row->addWidget(m_curveAxis);
            row->addSpacing(12);
            row->addWidget(new QLabel(tr("Smoothing:"), bar));
            row->addWidget(m_smoothing);
            row->addSpacing(12);
            row->addWidget(new QLabel(tr("Colour by:"), bar));
            row->addWidget(m_curveColor);
            row->addStretch(1);
            layout->addWidget(bar);
            const QString id = info.id;
            connect(m_curveAxis, &QComboBox::currentIndexChanged, this,
                    [this, id] { markStale(id); });
            connect(m_smoothing, &QDoubleSpinBox::valueChanged, this,
                    [this, id] { markStale(id); });
            connect(m_curveColor, &QComboBox::currentIndexChanged, this,
                    [this, id] { markStale(id); });
        }
        if (info.id == QLatin1String("curve-forecast")) {
            // Held-out fraction, Forecast/Cancel with progress, Schedule…, what-if, Store.
            m_forecast = new ui::ForecastControls(document, page);
            layout->addWidget(m_forecast);
            const QString id = info.id;
            connect(m_forecast, &ui::ForecastControls::changed, this,
                    [this, id] { markStale(id); });
            connect(m_forecast, &ui::ForecastControls::scheduleRequested, this,
                    [this](qint64 runId) { ui::ScheduleDialog::edit(m_document, runId, this); });
        }
        auto* view = new ui::PlotView(page);
        view->setObjectName(QStringLiteral("plot_%1").arg(info.id));
        layout->addWidget(view, 1);
        if (info.id == QLatin1String("curve-forecast")) {
            // Below the plot, its height bounded (a few rows, then it scrolls).
            m_whatIfTable = new ui::ForecastWhatIfTable(page);
            m_whatIfTable->setVisible(false);
            layout->addWidget(m_whatIfTable);
        }
        if (info.id == QLatin1String("training-curves"))
            m_curveZoom = new ui::CurveZoom(view, this);
        const int index = addTab(page, info.title);
        setTabToolTip(index, QStringLiteral("%1: %2").arg(info.title, info.description));
        m_tabs.push_back({info.id, view, true, info.title, shortTitleOf(info.id, info.title)});
        connect(view, &ui::PlotView::pointClicked, this, [this](qint64 runId) {
            if (runId > 0)
                m_document->setSelectedRuns({runId});
        });
    }

    // Every view by its full title, whatever the width.
    auto* views = new QToolButton(this);
    views->setObjectName(QStringLiteral("viewsButton"));
    views->setText(tr("Views"));
    views->setToolTip(tr("Every view of the project"));
    views->setAutoRaise(true);
    views->setPopupMode(QToolButton::InstantPopup);
    auto* viewsMenu = new QMenu(views);
    for (std::size_t i = 0; i < m_tabs.size(); ++i) {
        QAction* action = viewsMenu->addAction(m_tabs[i].title);
        action->setToolTip(tabToolTip(int(i)));
        connect(action, &QAction::triggered, this, [this, i] { setCurrentIndex(int(i)); });
    }
    views->setMenu(viewsMenu);
    setCornerWidget(views, Qt::TopLeftCorner);

    refreshCurveMetrics();
    connect(document, &ui::ProjectDocument::projectReplaced, this, &PlotTabs::refreshCurveMetrics);
    connect(document, &ui::ProjectDocument::metricsChanged, this, &PlotTabs::refreshCurveMetrics);
    connect(this, &QTabWidget::currentChanged, this, [this] { scheduleRebuild(); });
    connect(document, &ui::ProjectDocument::projectReplaced, this, &PlotTabs::markAllStale);
    connect(document, &ui::ProjectDocument::runsChanged, this, &PlotTabs::markAllStale);
    connect(document, &ui::ProjectDocument::metricsChanged, this, &PlotTabs::markAllStale);
    connect(document, &ui::ProjectDocument::fitsChanged, this, &PlotTabs::markAllStale);
    connect(document, &ui::ProjectDocument::selectionChanged, this, &PlotTabs::markAllStale);
}

void PlotTabs::resizeEvent(QResizeEvent* event) {
    QTabWidget::resizeEvent(event);
    fitTabTitles();
}

void PlotTabs::showEvent(QShowEvent* event) {
    QTabWidget::showEvent(event);
    fitTabTitles();
}

void PlotTabs::fitTabTitles() {
    // Widths from the font and the style's padding per tab (the bar's size hint is the
    // unsqueezed width of the visible tabs; the padding does not depend on the text).
    QTabBar* bar = tabBar();
    const QWidget* corner = cornerWidget(Qt::TopLeftCorner);
    const int room = width() - (corner ? corner->sizeHint().width() : 0) - 4;
    const QFontMetrics fm(bar->font());
    int visible = 0, texts = 0;
    for (int i = 0; i < count(); ++i)
        if (isTabVisible(i)) {
            ++visible;
            texts += fm.horizontalAdvance(tabText(i));
        }
    if (visible == 0)
        return;
    const int padding = (bar->sizeHint().width() - texts) / visible;
    auto need = [&](bool shortTitles) {
        int total = 0;
        for (const Tab& tab : m_tabs)
            total += fm.horizontalAdvance(shortTitles ? tab.shortTitle : tab.title) + padding;
        return total;
    };
    const bool wantShort = need(false) > room;
    m_shortTitles = wantShort;
    for (std::size_t i = 0; i < m_tabs.size(); ++i) {
        const QString& text = wantShort ? m_tabs[i].shortTitle : m_tabs[i].title;
        if (tabText(int(i)) != text)
            setTabText(int(i), text);
    }
    // Narrower still: the last tabs (never the current one) leave the bar rather than scroll
    // or elide; the views button reaches them.
    int total = need(wantShort);
    std::vector<bool> shown(m_tabs.size(), true);
    for (int i = count() - 1; i >= 0 && total > room; --i) {
        if (i == currentIndex())
            continue;
        shown[std::size_t(i)] = false;
        total -= fm.horizontalAdvance(tabText(i)) + padding;
    }
    for (int i = 0; i < count(); ++i)
        if (isTabVisible(i) != shown[std::size_t(i)])
            setTabVisible(i, shown[std::size_t(i)]);
}

PlotTabs::~PlotTabs() {
    if (m_prefetch) {
        m_prefetchCancel->store(true);
        m_prefetch->waitForFinished();
    }
}

ui::PlotView* PlotTabs::currentPlotView() const {
    const int index = currentIndex();
    return index >= 0 && index < int(m_tabs.size()) ? m_tabs[size_t(index)].view : nullptr;
}

ui::PlotView* PlotTabs::plotView(const QString& viewId) const {
    for (const Tab& tab : m_tabs) {
        if (tab.id == viewId)
            return tab.view;
    }
    return nullptr;
}

QString PlotTabs::currentViewId() const {
    const int index = currentIndex();
    return index >= 0 && index < int(m_tabs.size()) ? m_tabs[size_t(index)].id : QString();
}

bool PlotTabs::showView(const QString& viewId) {
    for (size_t i = 0; i < m_tabs.size(); ++i) {
        if (m_tabs[i].id == viewId) {
            setCurrentIndex(int(i));
            return true;
        }
    }
    return false;
}

ui::ViewContext PlotTabs::viewContext() const {
    ui::ViewContext ctx;
    ctx.project = m_document->project();
    ctx.useFitCache(m_document->viewFitCache());  // fits on the fly are kept per document
    const QList<qint64> selection = m_document->selectedRuns();
    ctx.selectedRunIds.assign(selection.begin(), selection.end());
    if (m_curveAxis)
        ctx.curveAxis = static_cast<ui::CurveAxis>(m_curveAxis->currentData().toInt());
    if (m_smoothing)
        ctx.smoothing = m_smoothing->value();
    if (m_curveColor)
        ctx.colorBy = m_curveColor->currentData().toString();
    ctx.metrics = m_checkedMetrics;
    if (m_forecast)
        m_forecast->applyTo(&ctx);
    return ctx;
}

void PlotTabs::refreshCurveMetrics() {
    if (!m_curveMetrics)
        return;
    QMenu* menu = m_curveMetrics->menu();
    menu->clear();
    const data::Project* project = m_document->isOpen() ? m_document->project() : nullptr;
    const QStringList metrics = project ? ui::trainingCurveMetrics(*project) : QStringList();
    QStringList kept;
    for (const QString& m : m_checkedMetrics)
        if (metrics.contains(m))
            kept << m;
    m_checkedMetrics = kept;
    const QString loss =
        project ? QString::fromStdString(analysis::lossMetric(*project).name) : QString();
    for (const QString& m : metrics) {
        QAction* action = menu->addAction(m);
        action->setCheckable(true);
        action->setChecked(m_checkedMetrics.isEmpty() ? m == loss : m_checkedMetrics.contains(m));
        connect(action, &QAction::toggled, this, [this, m](bool on) {
            if (m_checkedMetrics.isEmpty() && m_curveMetrics) {
                // First change: start from what is shown (the loss metric).
                for (QAction* a : m_curveMetrics->menu()->actions())
                    if (a->isChecked() && a->text() != m)
                        m_checkedMetrics << a->text();
            }
            m_checkedMetrics.removeAll(m);
            if (on)
                m_checkedMetrics << m;
            m_curveMetrics->setText(m_checkedMetrics.isEmpty()
                                        ? tr("(loss metric)")
                                        : m_checkedMetrics.join(QStringLiteral(", ")));
            markStale(QStringLiteral("training-curves"));
        });
    }
    m_curveMetrics->setText(m_checkedMetrics.isEmpty()
                                ? (loss.isEmpty() ? tr("(none)") : loss)
                                : m_checkedMetrics.join(QStringLiteral(", ")));
    m_curveMetrics->setEnabled(!metrics.isEmpty());
}

void PlotTabs::markAllStale() {
    for (Tab& tab : m_tabs) {
        tab.stale = true;
    }
    scheduleRebuild();
}

void PlotTabs::markStale(const QString& viewId) {
    for (Tab& tab : m_tabs) {
        if (tab.id == viewId)
            tab.stale = true;
    }
    scheduleRebuild();
}

void PlotTabs::scheduleRebuild() {
    if (!m_held)
        m_rebuildTimer->start();
}

void PlotTabs::setBuildsHeld(bool held) {
    if (held == m_held)
        return;
    m_held = held;
    if (held) {
        m_rebuildTimer->stop();
        if (ui::PlotView* view = currentPlotView()) {
            view->clear();
            view->addNote(tr("Drawing…"));
        }
        return;
    }
    scheduleRebuild();
}

void PlotTabs::rebuildCurrentNow() {
    m_rebuildTimer->stop();
    m_held = false;
    buildCurrent(false);
}

void PlotTabs::rebuildCurrent() {
    buildCurrent(true);
}

void PlotTabs::buildCurrent(bool prefetchFirst) {
    if (m_held)
        return;
    const int index = currentIndex();
    if (index < 0 || index >= int(m_tabs.size()))
        return;
    Tab& tab = m_tabs[size_t(index)];
    // The user moved on: the worker's result would not be drawn.
    if (m_prefetch && (m_prefetchedView != tab.id || !tab.stale)) {
        m_prefetchCancel->store(true);
        m_prefetchAgain = true;
    }
    if (!tab.stale)
        return;
    if (prefetchFirst && m_document->isOpen()) {
        if (m_prefetch) {
            // The data changed while it ran: stop it; prefetchFinished() starts another round.
            m_prefetchCancel->store(true);
            m_prefetchAgain = true;
            return;
        }
        if (m_prefetchedView != tab.id) {
            startPrefetch(tab.id);
            return;
        }
    }
    std::shared_ptr<ui::PreparedView> prepared;
    if (m_prefetchedView == tab.id)
        prepared = std::move(m_prepared);
    m_prepared.reset();
    m_prefetchedView.clear();
    tab.stale = false;
    ++m_buildCount;
    m_lastError.clear();
    if (!m_document->isOpen()) {
        if (m_curveZoom && tab.id == QLatin1String("training-curves"))
            m_curveZoom->setSources(nullptr, {});
        tab.view->clear();
        tab.view->addNote(tr("No project is open. Use File > New, Open or Import."));
        emit viewBuilt(tab.id);
        return;
    }
    ui::ViewContext ctx = viewContext();
    m_lastBuildPrepared = prepared != nullptr;
    ctx.prepared = std::move(prepared);
    QString error;
    if (m_whatIfTable && tab.id == QLatin1String("curve-forecast"))
        tab.view->setProperty(ui::kWhatIfTableShownProperty, ctx.forecast.whatIf);
    const double cpu0 = threadCpuMs();
    if (!ui::buildView(tab.id, ctx, tab.view, &error)) {
        m_lastError = error;
        tab.view->clear();
        tab.view->addNote(error);
    }
    m_lastBuildCpuMs = threadCpuMs() - cpu0;
    if (m_curveZoom && tab.id == QLatin1String("training-curves"))
        m_curveZoom->setSources(ui::zoomableCurves(ctx), m_document->path());
    if (m_forecast && tab.id == QLatin1String("curve-forecast")) {
        // From the data step's result: no curve read or forecast lookup here.
        const ui::ShownForecast shown = ui::shownForecast(ctx);
        m_forecast->setShownRun(shown.runId, shown.usable, shown.siblingNames);
        m_whatIfTable->setWhatIf(shown.whatIf);
        const bool table = shown.whatIf && !shown.whatIf->schedules.empty();
        m_whatIfTable->setVisible(table);
        // The plot keeps room for both panels (the LR panel's 80 px and a larger loss panel)
        // while the table is shown: the table shrinks first, to two rows, then scrolls.
        tab.view->setMinimumHeight(table ? kForecastPlotMinHeight : kPlotMinHeight);
    }
    emit viewBuilt(tab.id);
}

void PlotTabs::startPrefetch(const QString& viewId) {
    // The worker opens its own read-only connection: data::Project is single-threaded, and
    // SQLite's WAL lets it read the committed data while the GUI keeps its own connection.
    const std::string path = m_document->path().toStdString();
    ui::ViewContext ctx = viewContext();
    ctx.project = nullptr;
    if (ui::PlotView* view = plotView(viewId))
        view->addNote(ui::viewFitsOnTheFly(viewId) ? tr("Fitting the law in the background…")
                                                   : tr("Loading…"));
    m_prefetch = new QFutureWatcher<std::shared_ptr<ui::PreparedView>>(this);
    connect(m_prefetch, &QFutureWatcherBase::finished, this, &PlotTabs::prefetchFinished);
    m_prefetchedView = viewId;
    m_prepared.reset();
    m_prefetchCancel = std::make_shared<std::atomic<bool>>(false);
    m_prefetch->setFuture(
        QtConcurrent::run([path, viewId, ctx, cancel = m_prefetchCancel]() mutable {
            std::string error;
            const auto project = data::Project::open(path, &error, data::OpenMode::ReadOnly);
            if (!project)
                return std::shared_ptr<ui::PreparedView>();  // the GUI-thread build reports it
            ctx.project = project.get();
            try {
                auto prepared = ui::prepareView(viewId, ctx, cancel.get());
                ctx.project = nullptr;
                return prepared;
            } catch (const data::ProjectError&) {
                return std::shared_ptr<ui::PreparedView>();  // the GUI-thread build reports it
            }
        }));
}

void PlotTabs::prefetchFinished() {
    m_prepared = m_prefetch->result();
    m_prefetch->deleteLater();
    m_prefetch = nullptr;
    m_prefetchCancel.reset();
    if (m_prefetchAgain || m_prefetchedView.isEmpty()) {
        // The data or the tab changed meanwhile (or the view was drawn without waiting):
        // prepare again for what is current now.
        m_prefetchAgain = false;
        m_prefetchedView.clear();
        m_prepared.reset();
    }
    buildCurrent(true);
}

}  // namespace scalelens::app
