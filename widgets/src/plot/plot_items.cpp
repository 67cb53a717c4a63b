#include <QFontInfo>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "plot_view_impl.h"
#include "widgets/base/theme.h"
#include "widgets/plot/plot_axis_ticks.h"

namespace scalelens::ui {

QColor viridis(double t) {
    // matplotlib viridis sampled at t = 0, 1/8, ..., 1.
    static const int kAnchors[9][3] = {{68, 1, 84},    {71, 44, 122},  {59, 81, 139},
                                       {44, 113, 142}, {33, 144, 141}, {39, 173, 129},
                                       {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
    if (!std::isfinite(t))
        t = 0.0;
    t = std::clamp(t, 0.0, 1.0) * 8.0;
    const int i = std::min(7, static_cast<int>(t));
    const double f = t - i;
    auto mix = [&](int c) {
        return static_cast<int>(
            std::lround(kAnchors[i][c] + f * (kAnchors[i + 1][c] - kAnchors[i][c])));
    };
    return QColor(mix(0), mix(1), mix(2));
}

HeatmapItem::HeatmapItem(PlotView::Impl* impl, int panel, Heatmap map, QGraphicsItem* parent)
    : QGraphicsItem(parent), d(impl), m_panel(panel), m_map(std::move(map)) {
    // Above the chart background, below grid lines and series.
    setZValue(-0.5);
    double lo = INFINITY, hi = -INFINITY;
    for (double v : m_map.values) {
        if (!std::isfinite(v) || (m_map.logColor && v <= 0))
            continue;
        const double t = m_map.logColor ? std::log10(v) : v;
        lo = std::min(lo, t);
        hi = std::max(hi, t);
    }
    if (lo <= hi) {
        m_lo = lo;
        m_hi = hi > lo ? hi : lo + 1.0;
    }
}

QRectF HeatmapItem::boundingRect() const {
    const Panel& p = d->panels[static_cast<std::size_t>(m_panel)];
    return p.chart->rect();
}

void HeatmapItem::refresh() {
    prepareGeometryChange();
    update();
}

void HeatmapItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const Panel& p = d->panels[static_cast<std::size_t>(m_panel)];
    const QRectF area = p.chart->plotArea();
    const std::size_t nx = m_map.xEdges.size() > 0 ? m_map.xEdges.size() - 1 : 0;
    const std::size_t ny = m_map.yEdges.size() > 0 ? m_map.yEdges.size() - 1 : 0;
    if (nx == 0 || ny == 0 || m_map.values.size() != nx * ny)
        return;
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setRenderHint(QPainter::Antialiasing, false);
    for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t i = 0; i < nx; ++i) {
            const double v = m_map.values[j * nx + i];
            if (!std::isfinite(v) || (m_map.logColor && v <= 0))
                continue;
            const double t = ((m_map.logColor ? std::log10(v) : v) - m_lo) / (m_hi - m_lo);
            const QPointF a = d->toChart(m_panel, m_map.xEdges[i], m_map.yEdges[j]);
            const QPointF b = d->toChart(m_panel, m_map.xEdges[i + 1], m_map.yEdges[j + 1]);
            // Cells are clipped geometrically as well as by the clip path, because some paint
            // engines (QSvgGenerator in Qt 6.4) ignore clipping.
            const QRectF cell = QRectF(a, b).normalized().intersected(area);
            if (cell.isEmpty())
                continue;
            painter->setBrush(viridis(t));
            painter->drawRect(cell);
        }
    }
    // Colour bar right of the plot area.
    // In the right margin PlotView reserves for it, outside any right-hand legend.
    const QRectF chartRect = d->panels[static_cast<std::size_t>(m_panel)].chart->rect();
    const QRectF bar(chartRect.right() - 74, area.top() + 18, 14,
                     std::max(10.0, area.height() - 36));
    const int steps = 64;
    for (int k = 0; k < steps; ++k) {
        const double t0 = static_cast<double>(k) / steps;
        painter->setBrush(viridis(t0 + 0.5 / steps));
        const double h = bar.height() / steps;
        painter->drawRect(QRectF(bar.left(), bar.bottom() - (k + 1) * h, bar.width(), h + 0.5));
    }
    const QColor text = d->palette.color(QPalette::Text);
    painter->setPen(text);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(bar);
    auto label = [&](double t) {
        return QString::number(m_map.logColor ? std::pow(10.0, t) : t, 'g', 4);
    };
    QFont f = painter->font();
    f.setPointSizeF(std::max(6.0, f.pointSizeF() * 0.85));
    painter->setFont(f);
    painter->drawText(QPointF(bar.right() + 4, bar.top() + 8), label(m_hi));
    painter->drawText(QPointF(bar.right() + 4, bar.bottom()), label(m_lo));
    painter->drawText(QRectF(bar.left() - 6, area.top() - 4, 90, 18), Qt::AlignLeft,
                      m_map.valueTitle);
    painter->restore();
}

MinorTicksItem::MinorTicksItem(PlotView::Impl* impl, int panel, QGraphicsItem* parent)
    : QGraphicsItem(parent), d(impl), m_panel(panel) {
    setZValue(-0.4);  // over the heatmap, under grid lines and series
}

QRectF MinorTicksItem::boundingRect() const {
    return d->panels[static_cast<std::size_t>(m_panel)].chart->rect();
}

void MinorTicksItem::refresh() {
    prepareGeometryChange();
    update();
}

void MinorTicksItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const Panel& p = d->panels[static_cast<std::size_t>(m_panel)];
    const QRectF area = p.chart->plotArea();
    if (area.width() < 2 || area.height() < 2)
        return;
    auto isDecade = [](double v) {
        const double t = std::log10(v);
        return std::abs(t - std::round(t)) < 1e-9;
    };
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    const QPen grid(gridColor, 0);
    const QPen tick(tickColor, 1);
    for (double v : xTicks) {
        const double x = d->toChart(m_panel, v, p.range.yMin).x();
        if (x < area.left() - 0.5 || x > area.right() + 0.5)
            continue;
        painter->setPen(grid);
        painter->drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        painter->setPen(tick);
        painter->drawLine(QPointF(x, area.bottom()),
                          QPointF(x, area.bottom() + (isDecade(v) ? 6.0 : 3.0)));
    }
    for (double v : yTicks) {
        const double y = d->toChart(m_panel, p.range.xMin, v).y();
        if (y < area.top() - 0.5 || y > area.bottom() + 0.5)
            continue;
        painter->setPen(grid);
        painter->drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        painter->setPen(tick);
        painter->drawLine(QPointF(area.left() - (isDecade(v) ? 6.0 : 3.0), y),
                          QPointF(area.left(), y));
    }
    painter->restore();
}

BackedTextItem::BackedTextItem(QGraphicsItem* parent, const QString& text)
    : QGraphicsSimpleTextItem(text, parent) {}

QRectF BackedTextItem::boundingRect() const {
    return QGraphicsSimpleTextItem::boundingRect().adjusted(-kPad, -kPad / 2, kPad, kPad / 2);
}

QPainterPath BackedTextItem::shape() const {
    QPainterPath path;
    path.addRect(boundingRect());
    return path;
}

void BackedTextItem::setBacking(const QColor& fill, const QColor& border) {
    m_fill = fill;
    m_border = border;
    update();
}

void BackedTextItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option,
                           QWidget* widget) {
    if (!text().isEmpty() && m_fill.isValid()) {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        painter->setPen(m_border.isValid() ? QPen(m_border, 0.8) : QPen(Qt::NoPen));
        painter->setBrush(m_fill);
        painter->drawRoundedRect(boundingRect().adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        painter->restore();
    }
    QGraphicsSimpleTextItem::paint(painter, option, widget);
}

ColorBarItem::ColorBarItem(PlotView::Impl* impl, int panel, QGraphicsItem* parent)
    : QGraphicsItem(parent), d(impl), m_panel(panel) {
    setZValue(5);
}

QRectF ColorBarItem::boundingRect() const {
    return d->panels[static_cast<std::size_t>(m_panel)].chart->rect();
}

void ColorBarItem::refresh() {
    prepareGeometryChange();
    update();
}

QFont ColorBarItem::titleFont() const {
    // In pixels, as the widget shows it: an export paints at its own DPI, where a point size
    // would grow past the margin the title is wrapped to.
    QFont font = d->q->font();
    font.setPixelSize(std::max(8, QFontInfo(font).pixelSize()));
    return font;
}

QStringList ColorBarItem::titleLines() const {
    const Panel& p = d->panels[static_cast<std::size_t>(m_panel)];
    const QFontMetricsF fm(titleFont());
    QStringList lines;
    QString current;
    for (const QString& word : p.colorScale.title.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
        if (!current.isEmpty() && fm.horizontalAdvance(candidate) > kMargin - 12.0) {
            lines << current;
            current = word;
        } else {
            current = candidate;
        }
    }
    if (!current.isEmpty())
        lines << current;
    return lines;
}

void ColorBarItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const Panel& p = d->panels[static_cast<std::size_t>(m_panel)];
    if (!p.colorActive)
        return;
    const QRectF chartRect = p.chart->rect();
    const QRectF area = p.chart->plotArea();
    const QColor base = d->palette.color(QPalette::Base);
    const QColor text = d->palette.color(QPalette::Text);
    painter->save();
    const QFont font = titleFont();
    painter->setFont(font);
    const QFontMetricsF fm(font);
    const qreal x0 = chartRect.right() - kMargin + 8.0;
    qreal y = area.top();
    painter->setPen(text);
    for (const QString& line : titleLines()) {
        painter->drawText(QPointF(x0, y + fm.ascent()), line);
        y += fm.lineSpacing();
    }
    const QRectF bar(x0, y + 8.0, 14.0, std::max(20.0, area.bottom() - y - 8.0));
    painter->setPen(Qt::NoPen);
    const int steps = 64;
    for (int k = 0; k < steps; ++k) {
        const double t = (k + 0.5) / steps;
        painter->setBrush(withContrast(d->scaleColor(t), base));
        const double h = bar.height() / steps;
        painter->drawRect(QRectF(bar.left(), bar.bottom() - (k + 1) * h, bar.width(), h + 0.5));
    }
    painter->setPen(text);
    painter->setBrush(Qt::NoBrush);
    painter->drawRect(bar);
    // Ticks of the scale's range (decades or 1-2-5 steps, as on the axes), at most five
    // labels; the two ends when no tick falls inside. In the axes' label font, in pixels: an
    // export paints at its own DPI, where a point size would grow.
    QFont small = p.yAxis ? p.yAxis->labelsFont() : font;
    small.setPixelSize(std::max(8, QFontInfo(small).pixelSize()));
    painter->setFont(small);
    const QFontMetricsF sfm(small);
    const bool logScale = p.colorScale.logScale;
    const double lo = p.colorLo, hi = p.colorHi;  // transformed units
    auto value = [logScale](double t) { return logScale ? std::pow(10.0, t) : t; };
    const auto ticks =
        axisTicks(value(lo), value(hi), logScale ? AxisScale::Log : AxisScale::Linear,
                  std::clamp(static_cast<int>(bar.height() / 40), 2, 5));
    int labelled = 0;
    for (const AxisTick& t : ticks) {
        if (t.label.isEmpty() || !(hi > lo))
            continue;
        const double v = logScale ? std::log10(t.value) : t.value;
        const double ty = bar.bottom() - (v - lo) / (hi - lo) * bar.height();
        painter->drawLine(QPointF(bar.right(), ty), QPointF(bar.right() + 3, ty));
        painter->drawText(QPointF(bar.right() + 5, ty + sfm.ascent() / 2 - 1), t.label);
        ++labelled;
    }
    if (labelled < 2) {
        auto label = [&](double t) {
            const double v = value(t);
            return tickLabel(v, logScale ? v : (hi - lo) / 4.0);
        };
        painter->drawText(QPointF(bar.right() + 4, bar.top() + sfm.ascent()), label(hi));
        painter->drawText(QPointF(bar.right() + 4, bar.bottom()), label(lo));
    }
    painter->restore();
}

}  // namespace scalelens::ui
