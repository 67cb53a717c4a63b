#include "note_placement.h"

#include <algorithm>
#include <cmath>

namespace scalelens::ui {

OccupancyGrid::OccupancyGrid(const QRectF& bounds, qreal cell)
    : m_bounds(bounds), m_cell(std::max<qreal>(1.0, cell)) {
    const bool finite = std::isfinite(bounds.width()) && std::isfinite(bounds.height()) &&
                        std::isfinite(bounds.left()) && std::isfinite(bounds.top());
    if (!finite || bounds.width() <= 0 || bounds.height() <= 0) {
        m_bounds = QRectF();
        return;  // empty: every sum is 0, nothing is added
    }
    // Coarser cells for a huge rectangle (a chart not laid out yet): at most 1024 a side.
    m_cell = std::max({m_cell, bounds.width() / 1024.0, bounds.height() / 1024.0});
    m_nx = std::max(1, static_cast<int>(std::ceil(bounds.width() / m_cell)));
    m_ny = std::max(1, static_cast<int>(std::ceil(bounds.height() / m_cell)));
    m_counts.assign(static_cast<std::size_t>(m_nx) * static_cast<std::size_t>(m_ny), 0);
}

bool OccupancyGrid::cellRange(const QRectF& r, int* x0, int* y0, int* x1, int* y1) const {
    if (m_counts.empty() || !(r.right() >= m_bounds.left() && r.left() <= m_bounds.right() &&
                              r.bottom() >= m_bounds.top() && r.top() <= m_bounds.bottom()))
        return false;
    auto cellOf = [this](qreal v, qreal origin, int n) {
        const double c = std::floor((v - origin) / m_cell);
        return static_cast<int>(std::clamp(c, 0.0, static_cast<double>(n - 1)));
    };
    *x0 = cellOf(r.left(), m_bounds.left(), m_nx);
    *x1 = cellOf(r.right(), m_bounds.left(), m_nx);
    *y0 = cellOf(r.top(), m_bounds.top(), m_ny);
    *y1 = cellOf(r.bottom(), m_bounds.top(), m_ny);
    return true;
}

void OccupancyGrid::addPoint(QPointF p, std::int64_t weight) {
    if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || !m_bounds.contains(p))
        return;
    addRect(QRectF(p, QSizeF(0, 0)), weight);
}

void OccupancyGrid::addRect(const QRectF& r, std::int64_t weight) {
    const QRectF n = r.normalized();
    if (!std::isfinite(n.left()) || !std::isfinite(n.top()) || !std::isfinite(n.right()) ||
        !std::isfinite(n.bottom()))
        return;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!cellRange(n, &x0, &y0, &x1, &y1))
        return;
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x)
            m_counts[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_nx) +
                     static_cast<std::size_t>(x)] += weight;
}

void OccupancyGrid::addSegment(QPointF a, QPointF b, std::int64_t weight) {
    if (!std::isfinite(a.x()) || !std::isfinite(a.y()) || !std::isfinite(b.x()) ||
        !std::isfinite(b.y()))
        return;
    // Clip to the bounds first (Liang-Barsky): a fitted curve may run far outside the plot.
    double t0 = 0.0, t1 = 1.0;
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    auto clip = [&](double p, double q) {
        if (p == 0.0)
            return q >= 0.0;
        const double t = q / p;
        if (p < 0.0) {
            if (t > t1)
                return false;
            t0 = std::max(t0, t);
        } else {
            if (t < t0)
                return false;
            t1 = std::min(t1, t);
        }
        return true;
    };
    if (!clip(-dx, a.x() - m_bounds.left()) || !clip(dx, m_bounds.right() - a.x()) ||
        !clip(-dy, a.y() - m_bounds.top()) || !clip(dy, m_bounds.bottom() - a.y()))
        return;
    const QPointF p0 = a + t0 * QPointF(dx, dy);
    const QPointF p1 = a + t1 * QPointF(dx, dy);
    const double length = std::hypot(p1.x() - p0.x(), p1.y() - p0.y());
    const int steps = std::max(1, static_cast<int>(std::ceil(length / (0.5 * m_cell))));
    int lastX = -1, lastY = -1;
    for (int i = 0; i <= steps; ++i) {
        const QPointF p = p0 + (static_cast<double>(i) / steps) * (p1 - p0);
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        if (!cellRange(QRectF(p, QSizeF(0, 0)), &x0, &y0, &x1, &y1))
            continue;
        if (x0 == lastX && y0 == lastY)
            continue;  // one count per cell a segment crosses
        lastX = x0;
        lastY = y0;
        m_counts[static_cast<std::size_t>(y0) * static_cast<std::size_t>(m_nx) +
                 static_cast<std::size_t>(x0)] += weight;
    }
}

void OccupancyGrid::finish() {
    const std::size_t w = static_cast<std::size_t>(m_nx) + 1;
    m_table.assign(w * (static_cast<std::size_t>(m_ny) + 1), 0);
    for (int y = 0; y < m_ny; ++y) {
        std::int64_t row = 0;
        for (int x = 0; x < m_nx; ++x) {
            row += m_counts[static_cast<std::size_t>(y) * static_cast<std::size_t>(m_nx) +
                            static_cast<std::size_t>(x)];
            m_table[(static_cast<std::size_t>(y) + 1) * w + static_cast<std::size_t>(x) + 1] =
                m_table[static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x) + 1] + row;
        }
    }
}

std::int64_t OccupancyGrid::sum(const QRectF& r) const {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (m_table.empty() || !cellRange(r.normalized(), &x0, &y0, &x1, &y1))
        return 0;
    const std::size_t w = static_cast<std::size_t>(m_nx) + 1;
    auto at = [&](int x, int y) {
        return m_table[static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x)];
    };
    return at(x1 + 1, y1 + 1) - at(x0, y1 + 1) - at(x1 + 1, y0) + at(x0, y0);
}

bool betterSpot(const NoteSpot& a, const NoteSpot& b) {
    if (!a.valid())
        return false;
    if (!b.valid())
        return true;
    if (a.cost != b.cost)
        return a.cost < b.cost;
    if (a.rank != b.rank)
        return a.rank < b.rank;
    return a.distance < b.distance;
}

NoteSpot findNoteSpot(const OccupancyGrid& data, const OccupancyGrid& furniture, const QRectF& plot,
                      const QRectF& frame, const QSizeF& box, qreal inset, qreal gap) {
    NoteSpot best;
    auto consider = [&best](const NoteSpot& s) {
        if (betterSpot(s, best))
            best = s;
    };
    const qreal step = std::max<qreal>(2.0, data.cell());
    // Inside the plot area: the corners (in reading order), then every cell-aligned position.
    const qreal left = plot.left() + inset, top = plot.top() + inset;
    const qreal right = plot.right() - inset - box.width();
    const qreal bottom = plot.bottom() - inset - box.height();
    if (right >= left && bottom >= top) {
        const QPointF corners[] = {{left, top}, {right, top}, {left, bottom}, {right, bottom}};
        for (int c = 0; c < 4; ++c) {
            const QRectF r(corners[c], box);
            consider({r, data.sum(r), 0, static_cast<qreal>(c)});
        }
        if (best.cost == 0)
            return best;  // a free corner: nothing ranks higher
        for (qreal y = top; y <= bottom; y += step) {
            for (qreal x = left; x <= right; x += step) {
                const QRectF r(QPointF(x, y), box);
                // Nearest a corner first: notes hug the edges, readers look there.
                const qreal dx = std::min(x - left, right - x);
                const qreal dy = std::min(y - top, bottom - y);
                consider({r, data.sum(r), 2, std::hypot(dx, dy)});
            }
        }
    }
    // Outside the plot area, in the room the chart's titles, labels and legend leave.
    const QRectF keepOut = plot.adjusted(-gap, -gap, gap, gap);
    for (qreal y = frame.top(); y + box.height() <= frame.bottom(); y += step) {
        for (qreal x = frame.left(); x + box.width() <= frame.right(); x += step) {
            const QRectF r(QPointF(x, y), box);
            if (r.intersects(keepOut) || furniture.sum(r) > 0)
                continue;
            // Nearest the plot first (beside the legend, just above or below the plot).
            const qreal dx = std::max({0.0, plot.left() - r.right(), r.left() - plot.right()});
            const qreal dy = std::max({0.0, plot.top() - r.bottom(), r.top() - plot.bottom()});
            consider({r, 0, 1, dx + dy});
        }
    }
    return best;
}

}  // namespace scalelens::ui
