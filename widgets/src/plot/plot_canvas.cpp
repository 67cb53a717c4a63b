#include <QGraphicsLayout>
#include <QMouseEvent>
#include <QRubberBand>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <limits>

#include "plot_view_impl.h"

namespace scalelens::ui {

namespace {
double tf(double v, AxisScale s) {
    return s == AxisScale::Log ? std::log10(v) : v;
}
double itf(double t, AxisScale s) {
    return s == AxisScale::Log ? std::pow(10.0, t) : t;
}
}  // namespace

PlotCanvas::PlotCanvas(PlotView* owner) : QGraphicsView(owner), m_owner(owner) {
    setScene(new QGraphicsScene(this));
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    setMouseTracking(true);
    // Decimated series are small, so a full repaint is cheap and avoids stale strips.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setAlignment(Qt::AlignLeft | Qt::AlignTop);
}

namespace {
// Takes back the inset alignStackedPlotAreas gave a panel. The layout's own margins are the
// style's (9 px in Fusion) until set, so the inset is undone rather than the margins zeroed.
void unalign(Panel& p) {
    if (p.alignLeft == 0 && p.alignRight == 0)
        return;
    qreal l = 0, t = 0, r = 0, b = 0;
    p.chart->layout()->getContentsMargins(&l, &t, &r, &b);
    p.chart->layout()->setContentsMargins(l - p.alignLeft, t, r - p.alignRight, b);
    p.alignLeft = p.alignRight = 0;
}
}  // namespace

void PlotCanvas::layoutPanels(const QSizeF& size) {
    PlotView::Impl* d = m_owner->d.get();
    if (!d || d->panels.empty())
        return;
    const qreal w = std::max<qreal>(size.width(), 10.0);
    const qreal h = std::max<qreal>(size.height(), 10.0);
    scene()->setSceneRect(0, 0, w, h);
    d->figureSize = QSizeF(w, h);
    const std::size_t n = d->panels.size();
    const qreal pw = w / static_cast<qreal>(n);
    qreal top = n > 1 ? h * d->topShare : h;
    qreal below = n > 1 ? (h - top) / static_cast<qreal>(n - 1) : 0;
    auto place = [&] {
        for (std::size_t i = 0; i < n; ++i) {
            QChart* chart = d->panels[i].chart;
            if (d->stacked)
                chart->setGeometry(QRectF(0, i == 0 ? 0 : top + below * static_cast<qreal>(i - 1),
                                          w, i == 0 ? top : below));
            else
                chart->setGeometry(QRectF(pw * static_cast<qreal>(i), 0, pw, h));
            // Lay out now (not on the next event loop pass) so export sees the final plot area.
            if (QGraphicsLayout* layout = chart->layout()) {
                unalign(d->panels[i]);  // automatic, then aligned below
                layout->activate();
            }
        }
    };
    place();
    if (d->stacked && n > 1) {
        const qreal need = lowerPanelHeight(w, below);
        if (below < need) {  // a short figure: the panels beneath keep what they need
            top = std::max(h - need * static_cast<qreal>(n - 1), h * kMinTopShare);
            below = (h - top) / static_cast<qreal>(n - 1);
            place();
        }
    }
    d->refreshAll();
    alignStackedPlotAreas();
}

// The chart height each panel beneath the first needs for kMinLowerPlot px of plot area with
// its title, axes and legend in full, or 0 when `below` gives every one of them that already.
// Qt Charts squeezes axes that want more than 40% of a chart and cuts their titles and tick
// labels to "...", so the overhead is measured on a tall chart, where nothing is squeezed.
qreal PlotCanvas::lowerPanelHeight(qreal width, qreal below) {
    PlotView::Impl* d = m_owner->d.get();
    bool enough = true;
    for (std::size_t i = 1; i < d->panels.size(); ++i)
        enough = enough && d->panels[i].chart->plotArea().height() >= kMinLowerPlot;
    if (enough)
        return 0.0;
    const qreal tall = std::max<qreal>(below, 800.0);
    qreal need = 0.0;
    const bool wasRefreshing = d->refreshing;
    d->refreshing = true;  // a measurement: no redraw for the passing plot area
    for (std::size_t i = 1; i < d->panels.size(); ++i) {
        QChart* chart = d->panels[i].chart;
        if (!chart->layout())
            continue;
        const QRectF geometry = chart->geometry();
        chart->setGeometry(QRectF(geometry.topLeft(), QSizeF(width, tall)));
        chart->layout()->activate();
        need = std::max(need, tall - chart->plotArea().height() + kMinLowerPlot);
        chart->setGeometry(geometry);
        chart->layout()->activate();
    }
    d->refreshing = wasRefreshing;
    return need;
}

// One x axis: every stacked panel's plot area spans the same pixels, the narrowest common
// extent. Each panel is inset by its chart layout's contents margins, so that Qt Charts lays
// out its axes, grid and series for that area. (QChart::setPlotArea moves only the series
// while the plot-area background is hidden: the axes, legend and titles stayed where the
// panel's own labels put them, the loss panel's x axis 25 px left of its data and of the LR
// panel's axis in an export.) Run after every layout and every panel refresh, since a refresh
// can move a legend or rewrap a title and so change a panel's own plot area.
void PlotCanvas::alignStackedPlotAreas() {
    PlotView::Impl* d = m_owner->d.get();
    if (!d || !d->stacked || d->panels.size() < 2 || m_aligning)
        return;
    m_aligning = true;
    // A panel's own extent is its plot area without the inset; a moved panel is redrawn,
    // which can rewrap a title and so change its tick labels: a few passes settle it.
    for (int pass = 0; pass < 3; ++pass) {
        qreal left = -std::numeric_limits<qreal>::infinity();
        qreal right = std::numeric_limits<qreal>::infinity();
        for (const ui::Panel& p : d->panels) {
            const QRectF a = p.chart->plotArea();
            left = std::max(left, a.left() - p.alignLeft);
            right = std::min(right, a.right() + p.alignRight);
        }
        if (!(right - left >= 20))
            break;  // not laid out yet, or too narrow to share: leave each panel its own area
        bool moved = false;
        for (int i = 0; i < static_cast<int>(d->panels.size()); ++i) {
            ui::Panel& p = d->panels[static_cast<std::size_t>(i)];
            QGraphicsLayout* layout = p.chart->layout();
            const QRectF a = p.chart->plotArea();
            if (!layout || (std::abs(a.left() - left) < 0.01 && std::abs(a.right() - right) < 0.01))
                continue;
            const qreal wantLeft = left - (a.left() - p.alignLeft);
            const qreal wantRight = (a.right() + p.alignRight) - right;
            qreal l = 0, t = 0, r = 0, b = 0;
            layout->getContentsMargins(&l, &t, &r, &b);
            layout->setContentsMargins(l + wantLeft - p.alignLeft, t, r + wantRight - p.alignRight,
                                       b);
            p.alignLeft = wantLeft;
            p.alignRight = wantRight;
            // One redraw for the new area, not a second one from plotAreaChanged.
            const bool wasRefreshing = d->refreshing;
            d->refreshing = true;
            layout->activate();
            d->refreshing = wasRefreshing;
            d->refresh(i);
            moved = true;
        }
        if (!moved)
            break;
    }
    m_aligning = false;
}

void PlotCanvas::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    layoutPanels(viewport()->size());
}

void PlotCanvas::wheelEvent(QWheelEvent* event) {
    PlotView::Impl* d = m_owner->d.get();
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const int panel = d->panelAt(scenePos);
    if (!d->inPlotArea(panel, scenePos)) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    const double factor = std::pow(1.25, steps);
    const bool onlyX = event->modifiers() & Qt::ControlModifier;
    const bool onlyY = event->modifiers() & Qt::ShiftModifier;
    m_owner->zoomAt(panel, viewport()->mapTo(m_owner, event->position().toPoint()), factor, !onlyY,
                    !onlyX);
    event->accept();
}

void PlotCanvas::mousePressEvent(QMouseEvent* event) {
    PlotView::Impl* d = m_owner->d.get();
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const int panel = d->panelAt(scenePos);
    if (!d->inPlotArea(panel, scenePos)) {
        QGraphicsView::mousePressEvent(event);  // legend markers and the like
        return;
    }
    m_dragPanel = panel;
    m_pressPos = event->position().toPoint();
    m_pressRange = d->panels[static_cast<std::size_t>(panel)].range;
    const bool band =
        event->button() == Qt::RightButton ||
        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (band) {
        m_drag = Drag::Band;
        if (!m_band)
            m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
        m_band->setGeometry(QRect(m_pressPos, QSize()));
        m_band->show();
    } else if (event->button() == Qt::LeftButton) {
        m_drag = Drag::Pan;
        viewport()->setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void PlotCanvas::mouseMoveEvent(QMouseEvent* event) {
    PlotView::Impl* d = m_owner->d.get();
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::Pan && m_dragPanel >= 0) {
        const ui::Panel& p = d->panels[static_cast<std::size_t>(m_dragPanel)];
        const QRectF area = p.chart->plotArea();
        const double fx = (pos.x() - m_pressPos.x()) / area.width();
        const double fy = (pos.y() - m_pressPos.y()) / area.height();
        auto shift = [](double lo, double hi, double f, AxisScale s, double* a, double* b) {
            const double tl = tf(lo, s), th = tf(hi, s), dt = f * (th - tl);
            *a = itf(tl - dt, s);
            *b = itf(th - dt, s);
        };
        PlotRange r;
        shift(m_pressRange.xMin, m_pressRange.xMax, fx, p.xScale, &r.xMin, &r.xMax);
        shift(m_pressRange.yMin, m_pressRange.yMax, -fy, p.yScale, &r.yMin, &r.yMax);
        m_owner->setRange(m_dragPanel, r);
        event->accept();
        return;
    }
    if (m_drag == Drag::Band && m_band) {
        m_band->setGeometry(QRect(m_pressPos, pos).normalized());
        event->accept();
        return;
    }
    const QString tip = m_owner->hoverTextAt(viewport()->mapTo(m_owner, pos));
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
    QGraphicsView::mouseMoveEvent(event);
}

void PlotCanvas::mouseReleaseEvent(QMouseEvent* event) {
    PlotView::Impl* d = m_owner->d.get();
    const QPoint pos = event->position().toPoint();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    viewport()->unsetCursor();
    if (drag == Drag::None) {
        QGraphicsView::mouseReleaseEvent(event);
        return;
    }
    const bool isClick = (pos - m_pressPos).manhattanLength() < 4;
    if (drag == Drag::Band && m_band) {
        m_band->hide();
        const QRect rect = QRect(m_pressPos, pos).normalized();
        if (!isClick && rect.width() > 3 && rect.height() > 3 && m_dragPanel >= 0) {
            const QChart* chart = d->panels[static_cast<std::size_t>(m_dragPanel)].chart;
            const QPointF a =
                d->toData(m_dragPanel, chart->mapFromScene(mapToScene(rect.bottomLeft())));
            const QPointF b =
                d->toData(m_dragPanel, chart->mapFromScene(mapToScene(rect.topRight())));
            m_owner->setRange(m_dragPanel, PlotRange{a.x(), b.x(), a.y(), b.y()});
        }
    } else if (drag == Drag::Pan && isClick) {
        if (m_dragPanel >= 0)
            m_owner->setRange(m_dragPanel, m_pressRange);  // undo the sub-pixel wiggle
        const qint64 runId = m_owner->runIdAt(viewport()->mapTo(m_owner, pos));
        if (runId >= 0)
            emit m_owner->pointClicked(runId);
    }
    m_dragPanel = -1;
    event->accept();
}

void PlotCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
    PlotView::Impl* d = m_owner->d.get();
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const int panel = d->panelAt(scenePos);
    if (d->inPlotArea(panel, scenePos)) {
        m_owner->resetZoom();
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void PlotCanvas::leaveEvent(QEvent* event) {
    QToolTip::hideText();
    QGraphicsView::leaveEvent(event);
}

}  // namespace scalelens::ui
