// Zoom re-read at full resolution (curve_zoom.h).
#include "widgets/views/curve_zoom.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QThread>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

#include <datasets/project.h>

#include "view_common.h"

namespace scalelens::ui {

namespace {
std::atomic<long long> gGuiThreadReads{0};

bool onGuiThread() {
    const QCoreApplication* app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread();
}
}  // namespace

namespace views {

void curveAxisPoints(const data::MetricSeries& s, CurveAxis axis, std::optional<double> totalParams,
                     double wallOrigin, AxisScale xScale, std::vector<double>* x,
                     std::vector<double>* y, std::vector<double>* order) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        double xv = NAN;
        switch (axis) {
            case CurveAxis::Step:
                xv = s.step[i];
                break;
            case CurveAxis::Tokens:
                xv = s.tokens[i];
                break;
            case CurveAxis::Flops:
                xv = s.flops[i];
                if (!std::isfinite(xv) && std::isfinite(s.tokens[i]) && totalParams)
                    xv = 6.0 * *totalParams * s.tokens[i];  // C = 6ND
                break;
            case CurveAxis::WallTime:
                xv = (s.wallTime[i] - wallOrigin) / 3600.0;
                break;
        }
        // Step 0 has no tokens or FLOPs yet: nothing to place on a log axis.
        if (std::isfinite(xv) && (xScale != AxisScale::Log || xv > 0)) {
            x->push_back(xv);
            y->push_back(s.value[i]);
            if (order)
                order->push_back(data::curveOrder(s, i));
        }
    }
}

}  // namespace views

std::int64_t zoomWarmupRows(double weight) {
    if (!(weight > 0))
        return 0;
    return static_cast<std::int64_t>(
        std::ceil(std::log(kZoomEmaTolerance) / std::log(std::min(weight, 0.9999))));
}

bool zoomNeedsRows(const CurveZoomSource& source, double xMin, double xMax, int widthPx) {
    if (source.x.size() < 2 || !(xMin < xMax))
        return false;
    if (source.x.front() > xMax || source.x.back() < xMin)
        return false;  // nothing of it in view
    std::size_t inRange = 0;
    for (const double v : source.x)
        inRange += v >= xMin && v <= xMax;
    return inRange < 4 * static_cast<std::size_t>(std::max(widthPx, 1));
}

namespace {

// The source's overview points outside [from, to] (ordering values) around `rows` drawn with
// `values`.
CurveZoomRead::Series merged(const CurveZoomSource& source, std::size_t lo, std::size_t hi,
                             const data::MetricSeries& rows, const std::vector<double>& values) {
    CurveZoomRead::Series out;
    out.series = source.series;
    out.fullResolution = true;
    out.x.assign(source.x.begin(), source.x.begin() + static_cast<std::ptrdiff_t>(lo));
    out.y.assign(source.y.begin(), source.y.begin() + static_cast<std::ptrdiff_t>(lo));
    data::MetricSeries drawn = rows;
    drawn.value = values;
    views::curveAxisPoints(drawn, source.axis, source.totalParams, source.wallOrigin, source.xScale,
                           &out.x, &out.y, nullptr);
    out.x.insert(out.x.end(), source.x.begin() + static_cast<std::ptrdiff_t>(hi) + 1,
                 source.x.end());
    out.y.insert(out.y.end(), source.y.begin() + static_cast<std::ptrdiff_t>(hi) + 1,
                 source.y.end());
    return out;
}

// The EMA (TensorBoard-style, as data::emaSmooth) of `range` at `weight`, restarted ahead of it:
// over the warm-up rows read before it, from the smoothed overview's value at the row before
// them, or from the curve's start when the warm-up reaches it.
std::vector<double> restartedEma(const data::Project& project, const CurveZoomSource& source,
                                 double from, const data::MetricSeries& range,
                                 std::int64_t* rowsRead) {
    const std::int64_t want = zoomWarmupRows(source.weight);
    const data::MetricSeries warm = project.metricsBefore(source.runId, source.metric, from, want);
    *rowsRead += static_cast<std::int64_t>(warm.size());
    double last = 0, debias = 1;  // the state at the curve's start
    if (static_cast<std::int64_t>(warm.size()) == want && warm.size() > 0) {
        // Not at the start: the smoothed overview's last value before the warm-up is close to
        // the average there (the settled average: no debiasing left).
        const bool own = source.restartOrder.empty();  // the series is the smoothed overview
        const std::vector<double>& order = own ? source.order : source.restartOrder;
        const std::vector<double>& value = own ? source.y : source.restartValue;
        const double first = data::curveOrder(warm, 0);
        const auto it = std::lower_bound(order.begin(), order.end(), first);
        if (it != order.begin()) {
            last = value[static_cast<std::size_t>(it - order.begin()) - 1];
            debias = 0;
        }
    }
    const double w = source.weight;
    auto step = [&](double v) {
        if (!std::isfinite(v))
            return v;
        last = last * w + (1.0 - w) * v;
        debias *= w;
        return last / (1.0 - debias);
    };
    for (const double v : warm.value)
        step(v);
    std::vector<double> out;
    out.reserve(range.size());
    for (const double v : range.value)
        out.push_back(step(v));
    return out;
}

}  // namespace

std::shared_ptr<const CurveZoomRead> readZoomedCurves(const data::Project& project,
                                                      const CurveZoomSources& sources, double xMin,
                                                      double xMax, int widthPx,
                                                      const std::vector<int>& refined,
                                                      const std::atomic<bool>* cancel) {
    if (onGuiThread())
        ++gGuiThreadReads;
    auto read = std::make_shared<CurveZoomRead>();
    for (const CurveZoomSource& source : sources.curves) {
        if (cancel && cancel->load())
            return nullptr;
        const std::size_t n = std::min({source.x.size(), source.y.size(), source.order.size()});
        if (n < 2)
            continue;
        if (!zoomNeedsRows(source, xMin, xMax, widthPx)) {
            if (std::find(refined.begin(), refined.end(), source.series) != refined.end())
                read->series.push_back({source.series, source.x, source.y, false, 0});
            continue;
        }
        // The overview points in view and one either side: the rows between them are read.
        std::size_t lo = n, hi = 0;
        for (std::size_t i = 0; i < n; ++i)
            if (source.x[i] >= xMin && source.x[i] <= xMax) {
                lo = std::min(lo, i);
                hi = i;
            }
        if (lo == n) {  // between two kept rows
            lo = hi = 0;
            for (std::size_t i = 0; i < n; ++i) {
                if (source.x[i] < xMin)
                    lo = i;
                if (source.x[i] > xMax) {
                    hi = i;
                    break;
                }
            }
        } else {
            lo = lo > 0 ? lo - 1 : 0;
            hi = std::min(hi + 1, n - 1);
        }
        const double from = source.order[lo], to = source.order[hi];
        const data::MetricSeries rows =
            project.metricsInRange(source.runId, source.metric, from, to);
        std::int64_t rowsRead = static_cast<std::int64_t>(rows.size());
        const std::vector<double> values =
            source.weight > 0 ? restartedEma(project, source, from, rows, &rowsRead) : rows.value;
        CurveZoomRead::Series s = merged(source, lo, hi, rows, values);
        s.rowsRead = rowsRead;
        read->series.push_back(std::move(s));
    }
    return read;
}

long long zoomReadsOnGuiThread() {
    return gGuiThreadReads.load();
}

// ---------------------------------------------------------------------------------------------

CurveZoom::CurveZoom(PlotView* view, QObject* parent)
    : QObject(parent), m_view(view), m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    m_timer->setInterval(150);  // the zoom has rested
    connect(m_timer, &QTimer::timeout, this, &CurveZoom::startRead);
    connect(view, &PlotView::rangeChanged, this, &CurveZoom::rangeChanged);
}

CurveZoom::~CurveZoom() {
    if (m_watcher) {
        m_cancel->store(true);
        m_watcher->waitForFinished();
    }
}

void CurveZoom::setDelayMs(int ms) {
    m_timer->setInterval(ms);
}

void CurveZoom::setSources(std::shared_ptr<const CurveZoomSources> sources,
                           const QString& projectPath) {
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_timer->stop();
    m_refined.clear();  // the view was rebuilt: its series hold what the build drew
    m_sources = std::move(sources);
    m_path = projectPath;
}

void CurveZoom::rangeChanged(int panel) {
    if (!m_sources || panel != m_sources->panel)
        return;
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);  // its result would be stale
    m_timer->start();
}

void CurveZoom::startRead() {
    if (!m_sources || m_path.isEmpty())
        return;
    if (m_watcher) {  // one read at a time: the next starts when this one is done
        m_again = true;
        return;
    }
    const int panel = m_sources->panel;
    const PlotRange range = m_view->range(panel);
    const QRectF area = m_view->plotAreaInFigure(panel);
    const int widthPx = area.width() > 10 ? static_cast<int>(std::lround(area.width())) : 800;
    m_readGeneration = m_generation;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_watcher = new QFutureWatcher<std::shared_ptr<const CurveZoomRead>>(this);
    connect(m_watcher, &QFutureWatcherBase::finished, this, &CurveZoom::readFinished);
    m_watcher->setFuture(QtConcurrent::run(
        [path = m_path.toStdString(), sources = m_sources, range, widthPx, refined = m_refined,
         cancel = m_cancel]() -> std::shared_ptr<const CurveZoomRead> {
            std::string error;
            try {
                // Its own read-only connection: data::Project is single-threaded.
                const auto project = data::Project::open(path, &error, data::OpenMode::ReadOnly);
                if (!project)
                    return nullptr;  // the overview stays
                return readZoomedCurves(*project, *sources, range.xMin, range.xMax, widthPx,
                                        refined, cancel.get());
            } catch (const data::ProjectError&) {
                return nullptr;
            }
        }));
}

void CurveZoom::readFinished() {
    const std::shared_ptr<const CurveZoomRead> read = m_watcher->result();
    m_watcher->deleteLater();
    m_watcher = nullptr;
    if (m_again) {
        m_again = false;
        startRead();
        return;
    }
    if (!read || m_readGeneration != m_generation)
        return;  // the range or the view changed since: a newer read is due
    PlotView::BatchGuard batch(m_view);
    m_lastRowsRead = 0;
    for (const CurveZoomRead::Series& s : read->series) {
        m_lastRowsRead += s.rowsRead;
        m_view->replaceSeriesData(s.series, s.x, s.y);
        const auto it = std::find(m_refined.begin(), m_refined.end(), s.series);
        if (s.fullResolution && it == m_refined.end())
            m_refined.push_back(s.series);
        else if (!s.fullResolution && it != m_refined.end())
            m_refined.erase(it);
    }
    ++m_applied;
    emit applied();
}

}  // namespace scalelens::ui
