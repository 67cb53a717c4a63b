#include "widgets/plot/plot_view.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QPainter>
#include <QTextDocument>
#include <QVBoxLayout>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <algorithm>
#include <cmath>
#include <string_view>
#include <typeinfo>

#include "note_placement.h"
#include "plot_view_impl.h"
#include "widgets/base/theme.h"
#include "widgets/plot/plot_axis_ticks.h"

namespace scalelens::ui {

namespace {

// matplotlib "tab10": familiar to the researchers who read these plots, distinct in print.
const QColor kSeriesColors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

// Lines with more points than this are decimated to their pixel columns.
constexpr std::size_t kPassThrough = 4096;

// PlotView::setFastDrawing (off only to compare with the previous way in benchmarks).
bool gFastDrawing = true;

// A line's decimated points are handed to Qt Charts simplified to this many pixels of the
// full polyline (simplifyPolyline): Qt Charts strokes every segment of every series on each
// layout (for its hit shape) and paint, so a sweep's smooth curves cost a few dozen segments
// each instead of two per pixel column, with the same look.
constexpr double kSimplifyPx = 0.2;
constexpr qsizetype kSimplifyFrom = 64;  // points; shorter lines are handed as they are

// Width notes are wrapped to on a plot area `plotWidth` wide (see updateOverlays).
qreal noteWrapWidth(qreal plotWidth) {
    const qreal full = std::max<qreal>(80.0, plotWidth - 16.0);
    return std::max(0.6 * full, std::min<qreal>(full, 260.0));
}

double tf(double v, AxisScale s) {
    return s == AxisScale::Log ? std::log10(v) : v;
}
double itf(double t, AxisScale s) {
    return s == AxisScale::Log ? std::pow(10.0, t) : t;
}

// Ticks that Qt Charts can label in full along `lengthPx` of axis. It gives every tick
// (labelled or not) an equal share of the axis, length / count minus padding, and elides a
// label wider than that ("2×1..."); so start from `target` ticks and thin out until the
// widest label (horizontal) or the label height (vertical) fits its share. Unlabelled
// decade ticks go first: the minor-tick overlay still marks every decade.
std::vector<AxisTick> fittingTicks(double lo, double hi, AxisScale scale, int target,
                                   const QFont& font, qreal lengthPx, bool horizontal) {
    const QFontMetricsF fm(font);
    auto fits = [&](const std::vector<AxisTick>& ticks) {
        if (ticks.empty() || lengthPx <= 10)
            return true;
        qreal need = 0.0;
        for (const AxisTick& t : ticks)
            need = std::max(need, horizontal ? fm.horizontalAdvance(t.label) : fm.height());
        // Text-item margins (2 x 4 px) and label padding (2 x 5 px) plus a little air.
        return static_cast<qreal>(ticks.size()) * (need + 22.0) <= lengthPx;
    };
    std::vector<AxisTick> ticks;
    for (int t = target; t >= 2; --t) {
        ticks = axisTicks(lo, hi, scale, t);
        if (fits(ticks))
            return ticks;
    }
    std::erase_if(ticks, [](const AxisTick& t) { return t.label.isEmpty(); });
    while (!fits(ticks) && ticks.size() > 2) {
        std::vector<AxisTick> every2;
        for (std::size_t i = 0; i < ticks.size(); i += 2)
            every2.push_back(ticks[i]);
        ticks = std::move(every2);
    }
    return ticks;
}

// Sets the axis range (log axes in log10 units) and the tick labels.
void setAxisRange(QAbstractAxis* axis, double lo, double hi, AxisScale scale,
                  const std::vector<AxisTick>& ticks) {
    auto* a = static_cast<QCategoryAxis*>(axis);
    // QCategoryAxis needs distinct labels: an unlabelled tick gets its own run of spaces.
    QStringList labels;
    std::vector<double> ends;
    int blanks = 0;
    for (const AxisTick& t : ticks) {
        labels << (t.label.isEmpty() ? QString(++blanks, QLatin1Char(' ')) : t.label);
        ends.push_back(tf(t.value, scale));
    }
    // Every remove/append re-lays the axis out: keep the categories when they did not change
    // (a redraw at the same zoom, or a pan within the same ticks).
    const QStringList have = a->categoriesLabels();
    bool same = have == labels;
    for (qsizetype i = 0; same && i < have.size(); ++i)
        same = a->endValue(have[i]) == ends[static_cast<std::size_t>(i)];
    if (!same) {
        for (const QString& label : have)
            a->remove(label);
    }
    a->setRange(tf(lo, scale), tf(hi, scale));
    a->setStartValue(tf(lo, scale));
    if (!same) {
        for (qsizetype i = 0; i < labels.size(); ++i)
            a->append(labels[i], ends[static_cast<std::size_t>(i)]);
    }
}

// The right-hand axis of twin axes follows the left axis: same span in left-axis units, with
// ticks chosen in its own units and placed through the panel's map.
void setSecondaryRange(const Panel& p, int target) {
    auto* a = static_cast<QCategoryAxis*>(p.y2Axis);
    for (const QString& label : a->categoriesLabels())
        a->remove(label);
    const double t0 = tf(p.range.yMin, p.yScale), t1 = tf(p.range.yMax, p.yScale);
    a->setRange(t0, t1);
    a->setStartValue(t0);
    auto inverse = [&](double t) { return itf((t - p.y2Offset) / p.y2Slope, p.y2Scale); };
    double lo = inverse(t0), hi = inverse(t1);
    if (lo > hi)
        std::swap(lo, hi);
    if (!(std::isfinite(lo) && std::isfinite(hi) && hi > lo))
        return;
    int blanks = 0;
    for (const AxisTick& t : axisTicks(lo, hi, p.y2Scale, target))
        a->append(t.label.isEmpty() ? QString(++blanks, QLatin1Char(' ')) : t.label,
                  p.y2Slope * tf(t.value, p.y2Scale) + p.y2Offset);
}
// How far model curves may extend the y range beyond the measured data, as a fraction of the
// data's y span (log units on a log axis).
constexpr double kModelMargin = 0.25;

QString formatValue(double v) {
    return QString::number(v, 'g', 5);
}

// Words of `text` in lines no wider than `maxWidth`; a word wider than that gets a line of its
// own (never cut). Empty text gives one empty line.
QStringList wrapWords(const QString& text, const QFontMetricsF& fm, qreal maxWidth) {
    QStringList lines;
    QString current;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
        if (!current.isEmpty() && fm.horizontalAdvance(candidate) > maxWidth) {
            lines << current;
            current = word;
        } else {
            current = candidate;
        }
    }
    lines << current;
    return lines;
}

// Qt Charts draws titles and legend labels as HTML: escape, and break lines with <br>.
QString wrappedHtml(const QString& text, const QFont& font, qreal maxWidth) {
    const QFontMetricsF fm(font);
    if (fm.horizontalAdvance(text) <= maxWidth)
        return text.toHtmlEscaped();
    QStringList lines = wrapWords(text, fm, maxWidth);
    for (QString& line : lines)
        line = line.toHtmlEscaped();
    return lines.join(QStringLiteral("<br>"));
}

}  // namespace

qint64 SeriesData::runIdOf(std::size_t i) const {
    if (ids.runIds.size() == 1)
        return ids.runIds.front();
    return i < ids.runIds.size() ? ids.runIds[i] : -1;
}

QString SeriesData::labelOf(std::size_t i) const {
    if (ids.labels.size() == 1)
        return ids.labels.front();
    return i < ids.labels.size() ? ids.labels[i] : QString();
}

// ---------------------------------------------------------------------------------------
// Impl

void PlotView::Impl::addPanel(const QString& title) {
    Panel p;
    p.chart = new QChart();
    p.title = title;
    p.chart->setTitle(title.toHtmlEscaped());
    p.chart->setAnimationOptions(QChart::NoAnimation);  // animations fight interactive zoom
    p.chart->setBackgroundRoundness(0);
    p.chart->setDropShadowEnabled(false);
    p.chart->legend()->setAlignment(Qt::AlignBottom);
    p.chart->setMargins(QMargins(6, 6, 6, 6));
    scene->addItem(p.chart);
    p.noteItem = new BackedTextItem(p.chart);
    p.noteItem->setZValue(1000);
    const int index = static_cast<int>(panels.size());
    p.minorTicks = new MinorTicksItem(this, index, p.chart);
    panels.push_back(p);
    installAxis(index, Qt::Horizontal);
    installAxis(index, Qt::Vertical);
    QObject::connect(p.chart, &QChart::plotAreaChanged, q, [this, index](const QRectF&) {
        if (!refreshing)
            refresh(index);
    });
    applyPaletteTo(index);
    canvas->layoutPanels(canvas->viewport()->size());
}

void PlotView::Impl::installAxis(int panel, Qt::Orientation orientation) {
    Panel& p = panels[static_cast<std::size_t>(panel)];
    const bool horizontal = orientation == Qt::Horizontal;
    QAbstractAxis*& slot = horizontal ? p.xAxis : p.yAxis;
    if (slot) {
        p.chart->removeAxis(slot);
        delete slot;
        slot = nullptr;
    }
    // Every axis is a linear QCategoryAxis carrying our own tick labels (plot_axis_ticks.h);
    // log axes run over log10 values. QLogValueAxis labels only powers of ten, which leaves
    // a 2-4 loss axis blank, and QValueAxis prints 1e+20 where papers write 10²⁰.
    auto* categories = new QCategoryAxis();
    categories->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    QAbstractAxis* axis = categories;
    axis->setTitleText((horizontal ? p.xTitle : p.yTitle).toHtmlEscaped());
    p.chart->addAxis(axis, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    slot = axis;
    for (SeriesData& s : series) {
        if (s.panel != panel)
            continue;
        QAbstractSeries* as = s.area ? static_cast<QAbstractSeries*>(s.area) : s.xy;
        as->attachAxis(axis);
    }
    p.decimated = false;
}

void PlotView::Impl::attachSeries(SeriesData& s) {
    Panel& p = panels[static_cast<std::size_t>(s.panel)];
    QAbstractSeries* as = nullptr;
    if (s.kind == SeriesKind::Band) {
        s.area = new QAreaSeries();
        s.bandLower = new QLineSeries(s.area);
        s.bandUpper = new QLineSeries(s.area);
        s.area->setLowerSeries(s.bandLower);
        s.area->setUpperSeries(s.bandUpper);
        as = s.area;
    } else if (s.kind == SeriesKind::Scatter) {
        s.xy = new QScatterSeries();
        as = s.xy;
    } else {
        s.xy = new QLineSeries();
        as = s.xy;
    }
    as->setName(s.name);
    p.chart->addSeries(as);
    as->attachAxis(p.xAxis);
    as->attachAxis(p.yAxis);
    styleSeries(s);

    const int id = static_cast<int>(&s - series.data());
    for (QLegendMarker* marker : p.chart->legend()->markers(as)) {
        marker->setVisible(inLegend(s));
        QObject::connect(marker, &QLegendMarker::clicked, q, [this, id]() {
            q->setSeriesVisible(id, !series[static_cast<std::size_t>(id)].visible);
        });
    }
    // Legend placement and label wrapping: fitLabels(), on every layout.
}

bool PlotView::Impl::fitLabels(int panel) {
    Panel& p = panels[static_cast<std::size_t>(panel)];
    const QRectF chartRect = p.chart->rect();
    if (chartRect.width() < 50 || chartRect.height() < 50)
        return false;
    bool changed = false;
    auto setIfChanged = [&changed](const QString& now, const QString& want, auto&& set) {
        if (now != want) {
            set(want);
            changed = true;
        }
    };

    // Legend: one row below the plot when every entry fits at full length (Qt Charts elides a
    // row that does not fit: "C = 6..."), else a column right of the plot (outside the data)
    // whose long entries wrap at word boundaries.
    // (Counted from the styles: marker visibility reads false until the chart is shown.)
    QLegend* legend = p.chart->legend();
    const QFontMetricsF lfm(legend->font());
    std::vector<SeriesData*> entries;
    for (SeriesData& s : series)
        if (s.panel == panel && inLegend(s))
            entries.push_back(&s);
    qreal rowWidth = 0.0;
    for (SeriesData* s : entries)
        rowWidth += lfm.horizontalAdvance(s->name) + lfm.height() + 24.0;
    const bool bottom = rowWidth <= chartRect.width() - 24.0;
    const Qt::Alignment want = bottom ? Qt::AlignBottom : Qt::AlignRight;
    if (legend->alignment() != want) {
        legend->setAlignment(want);
        changed = true;
    }
    const qreal columnWidth = std::clamp(0.26 * chartRect.width(), 110.0, 280.0);
    qreal widest = 0.0;
    for (SeriesData* s : entries) {
        QAbstractSeries* as = s->area ? static_cast<QAbstractSeries*>(s->area) : s->xy;
        const QString label =
            bottom ? s->name.toHtmlEscaped() : wrappedHtml(s->name, legend->font(), columnWidth);
        for (const QString& line : wrapWords(s->name, lfm, columnWidth))
            widest = std::max(widest, lfm.horizontalAdvance(line));
        for (QLegendMarker* marker : legend->markers(as))
            setIfChanged(marker->label(), label,
                         [marker](const QString& v) { marker->setLabel(v); });
    }
    // A column as wide as its widest line: Qt Charts sizes it from the markers it deems
    // visible, none of them before the chart is first shown, and cut every entry of a hidden
    // view's export to "Multi-Power La...".
    const qreal minWidth = bottom ? -1.0 : std::ceil(widest + lfm.height() + 32.0);
    if (legend->minimumWidth() != minWidth) {
        legend->setMinimumWidth(minWidth);
        changed = true;
    }

    // Titles: wrapped to the length Qt Charts gives them (it would elide them otherwise).
    const QRectF area = p.chart->plotArea();
    if (area.width() > 20 && area.height() > 20) {
        const QString x = wrappedHtml(p.xTitle, p.xAxis->titleFont(), area.width() - 16.0);
        setIfChanged(p.xAxis->titleText(), x, [&p](const QString& v) { p.xAxis->setTitleText(v); });
        const QString y = wrappedHtml(p.yTitle, p.yAxis->titleFont(), area.height() - 16.0);
        setIfChanged(p.yAxis->titleText(), y, [&p](const QString& v) { p.yAxis->setTitleText(v); });
    }
    const QString title = wrappedHtml(p.title, p.chart->titleFont(), chartRect.width() - 24.0);
    setIfChanged(p.chart->title(), title, [&p](const QString& v) { p.chart->setTitle(v); });
    return changed;
}

void PlotView::Impl::styleSeries(SeriesData& s) {
    // One place keeps every series visible in either theme: a colour too close to the plot
    // background (black "ink" on the dark theme) is lightened or darkened just enough.
    const QColor c = withContrast(s.color, palette.color(QPalette::Base));
    // A translucent fill reads stronger on white than on a dark background: a series may ask
    // for less opacity in a light theme (SeriesStyle::lightOpacity).
    const qreal opacity = s.style.lightOpacity >= 0 && !isDarkPalette(palette)
                              ? s.style.lightOpacity
                              : s.style.opacity;
    if (s.kind == SeriesKind::Band) {
        QColor fill = c;
        fill.setAlphaF(0.22f * static_cast<float>(opacity));
        s.area->setBrush(fill);
        QColor edge = c;
        edge.setAlphaF(0.5f * static_cast<float>(opacity));
        s.area->setPen(QPen(edge, 0.8));
    } else if (s.kind == SeriesKind::Scatter) {
        auto* sc = static_cast<QScatterSeries*>(s.xy);
        sc->setMarkerSize(s.style.markerSize);
        sc->setMarkerShape(s.style.squareMarker ? QScatterSeries::MarkerShapeRectangle
                                                : QScatterSeries::MarkerShapeCircle);
        QColor fill = c;
        fill.setAlphaF(s.style.hollowMarker ? 0.0f : static_cast<float>(0.85 * opacity));
        sc->setColor(fill);
        sc->setBorderColor(s.style.hollowMarker ? c : c.darker(130));
        sc->setPen(QPen(s.style.hollowMarker ? c : c.darker(130), s.style.hollowMarker ? 2 : 0.8));
    } else {
        QColor lc = c;
        lc.setAlphaF(static_cast<float>(opacity));
        // Qt Charts strokes a solid line segment by segment, each with its own caps: round
        // caps cost two arcs a segment, a third of a zoom frame on a decimated million-point
        // series. Square caps close the bends as well at these densities, without arcs.
        const bool dense = s.x.size() > kPassThrough;
        QPen pen(lc, s.style.width, s.style.penStyle, dense ? Qt::SquareCap : Qt::RoundCap,
                 dense ? Qt::BevelJoin : Qt::RoundJoin);
        s.xy->setPen(pen);
        s.xy->setPointsVisible(false);
    }
}

DecimationWindow PlotView::Impl::window(int panel) const {
    const Panel& p = panels[static_cast<std::size_t>(panel)];
    DecimationWindow w;
    w.xMin = p.range.xMin;
    w.xMax = p.range.xMax;
    w.yMin = p.range.yMin;
    w.yMax = p.range.yMax;
    w.xScale = p.xScale;
    w.yScale = p.yScale;
    const QRectF area = p.chart->plotArea();
    w.widthPx = std::max(1, static_cast<int>(std::lround(area.width())));
    w.heightPx = std::max(1, static_cast<int>(std::lround(area.height())));
    if (area.width() < 2 || area.height() < 2) {
        w.widthPx = 800;
        w.heightPx = 600;
    }
    return w;
}

PlotRange PlotView::Impl::computeDataRange(int panel) const {
    const Panel& p = panels[static_cast<std::size_t>(panel)];
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    auto take = [&](double x, double y) {
        if (!isDrawable(x, y, p.xScale, p.yScale))
            return;
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    };
    // Measured data (scatters, and lines that carry a run identity such as training curves)
    // set the y range; model curves and bands (fits, laws, CIs) may widen it only by
    // kModelMargin of the data's span, so a fitted curve that explodes outside the data
    // (700 nats/token at small N) cannot squash the data flat. Without data, models decide.
    auto isData = [](const SeriesData& s) {
        return s.kind == SeriesKind::Scatter ||
               (s.kind == SeriesKind::Line && (!s.ids.runIds.empty() || !s.ids.labels.empty()));
    };
    for (const SeriesData& s : series) {
        if (s.panel != panel || !s.visible || !isData(s))
            continue;
        const std::size_t n = std::min(s.x.size(), s.y.size());
        for (std::size_t i = 0; i < n; ++i)
            take(s.x[i], s.y[i]);
    }
    const bool haveData = y0 <= y1;
    double yAllowLo = -INFINITY, yAllowHi = INFINITY;  // transformed units
    if (haveData) {
        const double a = tf(y0, p.yScale), b = tf(y1, p.yScale);
        const double margin = kModelMargin * std::max(b - a, 1e-12 * std::max(1.0, std::abs(a)));
        yAllowLo = a - margin;
        yAllowHi = b + margin;
    }
    auto takeModel = [&](double x, double y) {
        if (!isDrawable(x, y, p.xScale, p.yScale))
            return;
        const double ty = tf(y, p.yScale);
        if (ty < yAllowLo || ty > yAllowHi)
            return;  // outside the data's range plus the margin: drawn, clipped, not ranged
        take(x, y);
    };
    for (const SeriesData& s : series) {
        if (s.panel != panel || !s.visible || isData(s))
            continue;
        const std::size_t n = std::min(s.x.size(), s.y.size());
        for (std::size_t i = 0; i < n; ++i) {
            takeModel(s.x[i], s.y[i]);
            if (s.kind == SeriesKind::Band && i < s.upper.size())
                takeModel(s.x[i], s.upper[i]);
        }
    }
    if (p.heatmap) {
        const Heatmap& h = p.heatmap->heatmap();
        if (!h.xEdges.empty() && !h.yEdges.empty()) {
            take(h.xEdges.front(), h.yEdges.front());
            take(h.xEdges.back(), h.yEdges.back());
        }
    }
    auto finish = [](double lo, double hi, AxisScale s, double* outLo, double* outHi) {
        if (!(lo <= hi)) {  // no data
            *outLo = s == AxisScale::Log ? 1.0 : 0.0;
            *outHi = s == AxisScale::Log ? 10.0 : 1.0;
            return;
        }
        double a = tf(lo, s), b = tf(hi, s);
        if (b - a < 1e-12 * std::max(1.0, std::abs(a))) {
            const double pad = s == AxisScale::Log ? 0.5 : std::max(0.5, std::abs(a) * 0.1);
            a -= pad;
            b += pad;
        } else {
            const double pad = 0.04 * (b - a);
            a -= pad;
            b += pad;
        }
        *outLo = itf(a, s);
        *outHi = itf(b, s);
    };
    PlotRange r;
    finish(x0, x1, p.xScale, &r.xMin, &r.xMax);
    finish(y0, y1, p.yScale, &r.yMin, &r.yMax);
    return r;
}

bool PlotView::Impl::deferred(int panel) {
    if (batch == 0)
        return false;
    panels[static_cast<std::size_t>(panel)].batchDirty = true;
    return true;
}

void PlotView::Impl::refresh(int panel, bool force) {
    if (refreshing || deferred(panel))
        return;
    refreshing = true;
    ++work.refreshes;
    Panel& p = panels[static_cast<std::size_t>(panel)];
    // Wrapping a title or moving the legend changes the plot area, which can change what
    // else needs wrapping; a few passes settle it (wrapping only ever shrinks the area).
    for (int pass = 0; pass < 3 && fitLabels(panel); ++pass) {
        if (p.chart->layout())
            p.chart->layout()->activate();
    }
    if (!p.userRange) {
        p.range = computeDataRange(panel);
        if (stacked) {  // one x axis for every panel: the union of their data
            for (std::size_t i = 0; i < panels.size(); ++i) {
                if (static_cast<int>(i) == panel || panels[i].xScale != p.xScale)
                    continue;
                const PlotRange o = computeDataRange(static_cast<int>(i));
                p.range.xMin = std::min(p.range.xMin, o.xMin);
                p.range.xMax = std::max(p.range.xMax, o.xMax);
            }
        }
    }
    // As many ticks as fit: about one per 110 px across (labels like "2×10²⁰") and one per
    // 55 px up.
    const QRectF area = p.chart->plotArea();
    const int xTicks =
        area.width() > 10 ? std::clamp(static_cast<int>(area.width() / 110), 3, 8) : 6;
    const int yTicks =
        area.height() > 10 ? std::clamp(static_cast<int>(area.height() / 55), 3, 10) : 6;
    setAxisRange(p.xAxis, p.range.xMin, p.range.xMax, p.xScale,
                 fittingTicks(p.range.xMin, p.range.xMax, p.xScale, xTicks, p.xAxis->labelsFont(),
                              area.width(), true));
    setAxisRange(p.yAxis, p.range.yMin, p.range.yMax, p.yScale,
                 fittingTicks(p.range.yMin, p.range.yMax, p.yScale, yTicks, p.yAxis->labelsFont(),
                              area.height(), false));

    p.minorTicks->xTicks = p.xScale == AxisScale::Log
                               ? minorLogTicks(p.range.xMin, p.range.xMax, area.width())
                               : std::vector<double>{};
    p.minorTicks->yTicks = p.yScale == AxisScale::Log
                               ? minorLogTicks(p.range.yMin, p.range.yMax, area.height())
                               : std::vector<double>{};
    p.minorTicks->refresh();
    if (p.y2Axis)
        setSecondaryRange(p, yTicks);

    const DecimationWindow w = window(panel);
    const bool same = p.decimated && w.xMin == p.lastWindow.xMin && w.xMax == p.lastWindow.xMax &&
                      w.yMin == p.lastWindow.yMin && w.yMax == p.lastWindow.yMax &&
                      w.widthPx == p.lastWindow.widthPx && w.heightPx == p.lastWindow.heightPx &&
                      w.xScale == p.lastWindow.xScale && w.yScale == p.lastWindow.yScale;
    if (!same || force) {
        p.hiddenOnLog = 0;
        for (SeriesData& s : series) {
            if (s.panel != panel)
                continue;
            p.hiddenOnLog += countHiddenOnLog(s.x, s.y, p.xScale, p.yScale);
            if (s.kind == SeriesKind::Band) {
                QList<QPointF> lo, hi;
                const std::size_t n = std::min({s.x.size(), s.y.size(), s.upper.size()});
                for (std::size_t i = 0; i < n; ++i) {
                    if (isDrawable(s.x[i], s.y[i], p.xScale, p.yScale) &&
                        isDrawable(s.x[i], s.upper[i], p.xScale, p.yScale)) {
                        lo.append(QPointF(tf(s.x[i], p.xScale), tf(s.y[i], p.yScale)));
                        hi.append(QPointF(tf(s.x[i], p.xScale), tf(s.upper[i], p.yScale)));
                    }
                }
                s.shown.clear();
                s.shownAxis.clear();
                work.pointsHanded += lo.size() + hi.size();
                work.seriesHanded += 2;
                s.bandLower->replace(lo);
                s.bandUpper->replace(hi);
                continue;
            }
            if (s.kind == SeriesKind::Scatter) {
                const int cell = std::max(1, static_cast<int>(s.style.markerSize / 3.0));
                s.shown = decimateScatter(s.x, s.y, w, cell);
            } else {
                // Built on first need (and again after a y-scale change): then every zoom or
                // pan re-decimates in O(pixels log n) instead of scanning every point.
                if (s.xSorted && s.x.size() > kPassThrough &&
                    (!s.pyramidBuilt || s.pyramid.yScale != p.yScale)) {
                    s.pyramid = buildMinMaxPyramid(s.y, p.yScale);
                    s.pyramidBuilt = true;
                }
                s.shown = decimateLine(s.x, s.y, w, kPassThrough, &s.xSorted,
                                       s.pyramidBuilt ? &s.pyramid : nullptr);
            }
            QList<QPointF> pts;
            pts.reserve(static_cast<qsizetype>(s.shown.size()));
            for (std::size_t i : s.shown)
                pts.append(QPointF(tf(s.x[i], p.xScale), tf(s.y[i], p.yScale)));
            s.shownAxis = pts;  // shared, not copied
            if (gFastDrawing && s.kind == SeriesKind::Line && pts.size() > kSimplifyFrom) {
                const double pxPerX = w.widthPx / (tf(w.xMax, w.xScale) - tf(w.xMin, w.xScale));
                const double pxPerY = w.heightPx / (tf(w.yMax, w.yScale) - tf(w.yMin, w.yScale));
                const std::vector<std::size_t> keep =
                    simplifyPolyline(pts, pxPerX, pxPerY, kSimplifyPx);
                if (keep.size() < static_cast<std::size_t>(pts.size())) {
                    QList<QPointF> fewer;
                    fewer.reserve(static_cast<qsizetype>(keep.size()));
                    for (std::size_t k : keep)
                        fewer.append(pts[static_cast<qsizetype>(k)]);
                    pts = std::move(fewer);
                }
            }
            work.pointsHanded += pts.size();
            ++work.seriesHanded;
            s.xy->replace(pts);
        }
        p.lastWindow = w;
        p.decimated = true;
    }
    updateOverlays(panel);
    refreshing = false;
    if (canvas)
        canvas->alignStackedPlotAreas();  // this panel's area may have moved
}

void PlotView::Impl::refreshAll(bool force) {
    for (int i = 0; i < static_cast<int>(panels.size()); ++i)
        refresh(i, force);
}

void PlotView::Impl::updateOverlays(int panel) {
    Panel& p = panels[static_cast<std::size_t>(panel)];
    QStringList lines;
    const QString hidden = hiddenOnLogNote(p.hiddenOnLog);
    if (!hidden.isEmpty())
        lines << hidden;
    lines << p.notes;
    p.noteText = lines.join(QLatin1Char('\n'));
    // Labels first: the note keeps clear of them.
    const QRectF area = p.chart->plotArea();
    for (TextAnnotation& t : p.texts) {
        const QPointF pos = toChart(panel, t.x, t.y);
        const bool inside =
            isDrawable(t.x, t.y, p.xScale, p.yScale) && area.adjusted(-1, -1, 1, 1).contains(pos);
        t.item->setVisible(inside);
        if (inside)
            t.item->setPos(pos + QPointF(4, -t.item->boundingRect().height() - 2));
    }
    placeNote(panel, lines);
    if (p.heatmap)
        p.heatmap->refresh();
    if (p.colorBar)
        p.colorBar->refresh();
}

void PlotView::Impl::placeNote(int panel, const QStringList& lines) {
    Panel& p = panels[static_cast<std::size_t>(panel)];
    p.noteItem->setVisible(!lines.isEmpty());
    const QRectF plot = p.chart->plotArea();
    const qreal defaultWrap = noteWrapWidth(plot.width());
    if (lines.isEmpty()) {
        p.noteCollapsed = false;
        p.noteSpot = QRectF();
        return;
    }
    const QFontMetricsF fm(p.noteItem->font());
    // Wraps at word boundaries (the item does not wrap); a word wider than `width` keeps its
    // own line.
    auto wrap = [&fm, &lines](qreal width) {
        QStringList wrapped;
        for (const QString& line : lines) {
            QString current;
            for (const QString& word : line.split(QLatin1Char(' '))) {
                const QString candidate =
                    current.isEmpty() ? word : current + QLatin1Char(' ') + word;
                if (!current.isEmpty() && fm.horizontalAdvance(candidate) > width) {
                    wrapped << current;
                    current = word;
                } else {
                    current = candidate;
                }
            }
            wrapped << current;
        }
        return wrapped.join(QLatin1Char('\n'));
    };
    const QRectF chartRect = p.chart->rect();
    if (plot.width() < 20 || plot.height() < 20 || chartRect.width() > 1e5 ||
        chartRect.height() > 1e5) {  // not laid out yet
        p.noteCollapsed = false;
        p.noteSpot = QRectF();
        p.noteWrap = defaultWrap;
        p.noteItem->setText(wrap(p.noteWrap));
        p.noteItem->setPos(plot.topLeft() - p.noteItem->boundingRect().topLeft());
        return;
    }

    // Still room where it was: keep it there (a zoom frame costs no search).
    const QString key = lines.join(QLatin1Char('\n'));
    if (!p.noteSpot.isEmpty() && p.notePlacedFor == key && p.notePlacedIn == plot &&
        spotFree(panel, p.noteSpot))
        return;
    p.noteSpot = QRectF();
    p.notePlacedFor = key;
    p.notePlacedIn = plot;
    p.noteCollapsed = false;
    p.noteWrap = defaultWrap;

    // What the note must not hide: drawn points (with their markers), line segments, heatmap
    // cells, and, a thousand times heavier, text labels.
    OccupancyGrid data(chartRect, 8.0);
    // Drawn points from their axis units (kept by refresh): no log10 per point.
    const double ax0 = tf(p.range.xMin, p.xScale), ax1 = tf(p.range.xMax, p.xScale);
    const double ay0 = tf(p.range.yMin, p.yScale), ay1 = tf(p.range.yMax, p.yScale);
    const double kx = plot.width() / (ax1 - ax0), ky = plot.height() / (ay1 - ay0);
    for (const SeriesData& s : series) {
        if (s.panel != panel || !s.visible || s.kind == SeriesKind::Band)
            continue;
        const qreal r = s.kind == SeriesKind::Scatter ? 0.5 * s.style.markerSize + 1.0 : 0.0;
        bool havePrev = false;
        QPointF prev;
        const bool axisKept = gFastDrawing && s.shownAxis.size() == qsizetype(s.shown.size());
        for (std::size_t k = 0; k < s.shown.size(); ++k) {
            const std::size_t i = s.shown[k];
            const QPointF& u = axisKept ? s.shownAxis[qsizetype(k)] : QPointF();
            const QPointF c = axisKept ? QPointF(plot.left() + (u.x() - ax0) * kx,
                                                 plot.bottom() - (u.y() - ay0) * ky)
                                       : toChart(panel, s.x[i], s.y[i]);
            if (s.kind == SeriesKind::Scatter) {
                if (plot.adjusted(-r, -r, r, r).contains(c))
                    data.addRect(QRectF(c - QPointF(r, r), c + QPointF(r, r)));
                continue;
            }
            if (havePrev)
                data.addSegment(prev, c);
            else if (s.shown.size() == 1)
                data.addPoint(c);
            prev = c;
            havePrev = true;
        }
    }
    if (p.heatmap) {
        const Heatmap& h = p.heatmap->heatmap();
        const std::size_t nx = h.xEdges.empty() ? 0 : h.xEdges.size() - 1;
        const std::size_t ny = h.yEdges.empty() ? 0 : h.yEdges.size() - 1;
        for (std::size_t j = 0; j < ny && h.values.size() == nx * ny; ++j)
            for (std::size_t i = 0; i < nx; ++i)
                if (std::isfinite(h.values[j * nx + i]))
                    data.addRect(QRectF(toChart(panel, h.xEdges[i], h.yEdges[j]),
                                        toChart(panel, h.xEdges[i + 1], h.yEdges[j + 1]))
                                     .normalized()
                                     .intersected(plot));
    }
    // The chart's own texts (titles, tick labels, legend entries) and the colour bar: the
    // room outside the plot area is what they leave.
    OccupancyGrid furniture(chartRect, 8.0);
    constexpr std::int64_t kLabel = 1000;
    for (const TextAnnotation& t : p.texts) {
        if (!t.item->isVisible())
            continue;
        const QRectF r = t.item->mapRectToParent(t.item->boundingRect());
        data.addRect(r, kLabel);
        furniture.addRect(r);
    }
    const QGraphicsItem* legend = p.chart->legend();
    const QList<QGraphicsItem*> top = p.chart->childItems();
    std::vector<QGraphicsItem*> stack(top.begin(), top.end());
    while (!stack.empty()) {
        QGraphicsItem* item = stack.back();
        stack.pop_back();
        if (!item->isVisible() || item == p.noteItem || item == p.minorTicks || item == p.heatmap ||
            item == p.colorBar)
            continue;
        for (QGraphicsItem* child : item->childItems())
            stack.push_back(child);
        const bool text = qgraphicsitem_cast<QGraphicsTextItem*>(item) ||
                          dynamic_cast<QGraphicsSimpleTextItem*>(item);
        const bool inLegendBox = legend->isAncestorOf(item) && item->childItems().isEmpty();
        if (text || inLegendBox)
            furniture.addRect(item->mapRectToItem(p.chart, item->boundingRect()));
    }
    // The tick labels and titles left of and below the plot, also while Qt Charts has yet to
    // lay out labels for a new range (their items are stale until its next layout pass).
    const qreal labelRow = QFontMetricsF(p.xAxis->labelsFont()).height() + 12.0;
    furniture.addRect(QRectF(chartRect.topLeft(), QPointF(plot.left() - 1.0, chartRect.bottom())));
    furniture.addRect(QRectF(QPointF(chartRect.left(), plot.bottom()),
                             QPointF(chartRect.right(), plot.bottom() + labelRow)));
    // Colour bars (and their titles) live in the right margin the panel reserves for them.
    if ((p.colorBar && p.colorBar->isVisible()) || p.heatmap)
        furniture.addRect(
            QRectF(QPointF(chartRect.right() - p.chart->margins().right() - 8.0, chartRect.top()),
                   chartRect.bottomRight()));
    data.finish();
    furniture.finish();
    const QMargins m = p.chart->margins();
    const QRectF frame = chartRect.adjusted(m.left(), m.top(), -m.right(), -m.bottom());

    // The whole note at a few widths (narrow columns fit beside a legend, wide short boxes
    // above falling curves), best spot first; then collapsed to one line.
    auto shapeAt = [&](const QString& text) {
        p.noteItem->setText(text);
        return p.noteItem->boundingRect().size();
    };
    struct Choice {
        NoteSpot spot;
        QString text;
        qreal wrap = 0.0;
        bool collapsed = false;
    };
    Choice best;
    auto tryShape = [&](const QString& text, qreal width, bool collapsed) {
        const NoteSpot spot = findNoteSpot(data, furniture, plot, frame, shapeAt(text));
        if (betterSpot(spot, best.spot))
            best = {spot, text, width, collapsed};
    };
    std::vector<qreal> widths = {p.noteWrap, plot.width() - 16.0, 360, 280, 220, 170, 130};
    for (std::size_t k = 0; k < widths.size() && (best.spot.cost != 0 || best.spot.rank > 0); ++k)
        if (widths[k] >= 100.0 && (k < 2 || widths[k] < p.noteWrap))
            tryShape(wrap(widths[k]), widths[k], false);
    if (best.spot.cost != 0) {
        // One line: as much of the first note line as finds a free spot, the full text on
        // hover; at the least an information mark.
        const QString mark =
            fm.inFontUcs4(0x2139) ? QStringLiteral("\u2139") : QStringLiteral("(i)");
        Choice full = best;
        best = {};
        const qreal widest = std::min<qreal>(240.0, plot.width() - 16.0);
        for (const qreal room : {widest, 0.7 * widest, 0.45 * widest}) {
            QString summary;
            for (const QString& word : lines.front().split(QLatin1Char(' '))) {
                const QString candidate =
                    summary.isEmpty() ? word : summary + QLatin1Char(' ') + word;
                if (fm.horizontalAdvance(mark + QLatin1Char(' ') + candidate +
                                         QStringLiteral(" …")) > room)
                    break;
                summary = candidate;
            }
            const bool whole = lines.size() == 1 && summary == lines.front();
            if (!summary.isEmpty() && best.spot.cost != 0)
                tryShape(
                    mark + QLatin1Char(' ') + summary + (whole ? QString() : QStringLiteral(" …")),
                    room, true);
        }
        if (best.spot.cost != 0)
            tryShape(mark + QLatin1Char(' ') + QObject::tr("notes"), widest, true);
        if (best.spot.cost != 0)
            tryShape(mark, widest, true);
        if (!best.spot.valid())
            best = full;
    }
    if (!best.spot.valid()) {  // no room anywhere (a tiny figure): top left, as before
        best.text = wrap(p.noteWrap);
        best.wrap = p.noteWrap;
        best.spot.rect = QRectF(plot.topLeft() + QPointF(6, 6), shapeAt(best.text));
    }
    p.noteItem->setText(best.text);
    p.noteWrap = best.wrap;
    p.noteCollapsed = best.collapsed;
    // boundingRect() includes the backing's padding left of and above the text.
    p.noteItem->setPos(best.spot.rect.topLeft() - p.noteItem->boundingRect().topLeft());
    if (best.spot.valid() && best.spot.cost == 0 && best.spot.rank == 0 && !best.collapsed)
        p.noteSpot = best.spot.rect;
}

bool PlotView::Impl::spotFree(int panel, const QRectF& rect) const {
    const Panel& p = panels[static_cast<std::size_t>(panel)];
    if (p.heatmap)
        return false;
    for (const TextAnnotation& t : p.texts)
        if (t.item->isVisible() && t.item->mapRectToParent(t.item->boundingRect()).intersects(rect))
            return false;
    for (const SeriesData& s : series) {
        if (s.panel != panel || !s.visible || s.kind == SeriesKind::Band)
            continue;
        if (s.kind == SeriesKind::Scatter) {
            const qreal r = 0.5 * s.style.markerSize + 1.0;
            const QRectF grown = rect.adjusted(-r, -r, r, r);
            for (std::size_t i : s.shown)
                if (grown.contains(toChart(panel, s.x[i], s.y[i])))
                    return false;
            continue;
        }
        bool havePrev = false;
        QPointF prev;
        for (std::size_t i : s.shown) {
            const QPointF c = toChart(panel, s.x[i], s.y[i]);
            if (havePrev ? segmentHitsRect(prev, c, rect) : rect.contains(c))
                return false;
            prev = c;
            havePrev = true;
        }
    }
    return true;
}

bool PlotView::Impl::inLegend(const SeriesData& s) const {
    const Panel& p = panels[static_cast<std::size_t>(s.panel)];
    return s.style.inLegend && !(p.colorActive && std::isfinite(s.style.colorValue));
}

QColor PlotView::Impl::scaleColor(double t) const {
    // Only the part of viridis that keeps 3:1 contrast against the plot background: its dark
    // purples vanish on the dark theme, its yellows on a white page.
    // The clipped range depends on the background only: found once per theme, not once per
    // series (a sweep of a thousand runs recolours every series on each one added).
    const QColor background = palette.color(QPalette::Base);
    if (!scaleClipValid || scaleClipBackground != background.rgba()) {
        double lo = 1.0, hi = 0.0;
        const int steps = 100;
        for (int i = 0; i <= steps; ++i) {
            const double u = static_cast<double>(i) / steps;
            if (contrastRatio(viridis(u), background) >= kMinPlotContrast + 0.05) {
                lo = std::min(lo, u);
                hi = std::max(hi, u);
            }
        }
        if (!(lo < hi)) {
            lo = 0.0;
            hi = 1.0;
        }
        scaleClipLo = lo;
        scaleClipHi = hi;
        scaleClipBackground = background.rgba();
        scaleClipValid = true;
    }
    return viridis(scaleClipLo +
                   (scaleClipHi - scaleClipLo) * std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0));
}

void PlotView::Impl::applyColorScale(int panel) {
    Panel& p = panels[static_cast<std::size_t>(panel)];
    if (!p.hasColorScale)
        return;
    const bool logScale = p.colorScale.logScale;
    auto value = [logScale](const SeriesData& s, double* t) {
        const double v = s.style.colorValue;
        if (!std::isfinite(v) || (logScale && v <= 0.0))
            return false;
        *t = logScale ? std::log10(v) : v;
        return true;
    };
    int count = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (const SeriesData& s : series) {
        double t = 0.0;
        if (s.panel != panel || !value(s, &t))
            continue;
        lo = std::min(lo, t);
        hi = std::max(hi, t);
        count += s.style.inLegend ? 1 : 0;
    }
    p.colorActive = lo <= hi && count > p.colorScale.maxCategorical;
    p.colorLo = lo <= hi ? lo : 0.0;
    p.colorHi = lo < hi ? hi : p.colorLo + 1.0;
    for (SeriesData& s : series) {
        double t = 0.0;
        if (s.panel != panel || !value(s, &t))
            continue;
        s.color =
            p.colorActive ? scaleColor((t - p.colorLo) / (p.colorHi - p.colorLo)) : s.categorical;
        QAbstractSeries* as = s.area ? static_cast<QAbstractSeries*>(s.area) : s.xy;
        for (QLegendMarker* marker : p.chart->legend()->markers(as))
            marker->setVisible(inLegend(s));
    }
    const int right = p.colorActive ? static_cast<int>(ColorBarItem::kMargin) : p.heatmap ? 86 : 6;
    if (p.chart->margins().right() != right)
        p.chart->setMargins(QMargins(6, 6, right, 6));
    if (!p.colorBar)
        p.colorBar = new ColorBarItem(this, panel, p.chart);
    p.colorBar->setVisible(p.colorActive);
    p.colorBar->refresh();
}

void PlotView::Impl::applyPaletteTo(int panel) {
    if (deferred(panel))
        return;
    Panel& p = panels[static_cast<std::size_t>(panel)];
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    QColor grid = dark ? QColor(255, 255, 255, 40) : QColor(0, 0, 0, 30);
    QColor minor = dark ? QColor(255, 255, 255, 18) : QColor(0, 0, 0, 12);
    p.chart->setBackgroundBrush(base);
    p.chart->setBackgroundPen(Qt::NoPen);
    p.chart->setPlotAreaBackgroundVisible(false);
    p.chart->setTitleBrush(text);
    QFont titleFont = p.chart->titleFont();
    titleFont.setBold(true);
    p.chart->setTitleFont(titleFont);
    p.chart->legend()->setLabelColor(text);
    p.chart->legend()->setBrush(Qt::NoBrush);
    p.chart->legend()->setPen(Qt::NoPen);
    for (QAbstractAxis* axis : {p.xAxis, p.yAxis, p.y2Axis}) {
        if (!axis)
            continue;
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(minor);
        axis->setLinePenColor(text);
        axis->setShadesVisible(false);
    }
    p.noteItem->setBrush(dark ? QColor(0xff, 0xb0, 0x60) : QColor(0xa0, 0x40, 0x00));
    QColor backing = base;
    backing.setAlphaF(0.85f);
    QColor border = text;
    border.setAlphaF(0.25f);
    p.noteItem->setBacking(backing, border);
    for (TextAnnotation& t : p.texts)
        t.item->setBacking(backing, QColor());
    applyColorScale(panel);
    p.minorTicks->gridColor = minor;
    p.minorTicks->tickColor = text;
    p.minorTicks->update();
    for (SeriesData& s : series)
        if (s.panel == panel)
            styleSeries(s);
    for (TextAnnotation& t : p.texts)
        t.item->setBrush(t.color.isValid() ? withContrast(t.color, base) : text);
    for (QLegendMarker* marker : p.chart->legend()->markers()) {
        const bool visible = marker->series() && marker->series()->isVisible();
        QColor c = text;
        if (!visible)
            c.setAlphaF(0.35f);
        marker->setLabelBrush(c);
    }
}

QPointF PlotView::Impl::toChart(int panel, double x, double y) const {
    const Panel& p = panels[static_cast<std::size_t>(panel)];
    const QRectF a = p.chart->plotArea();
    const double fx = (tf(x, p.xScale) - tf(p.range.xMin, p.xScale)) /
                      (tf(p.range.xMax, p.xScale) - tf(p.range.xMin, p.xScale));
    const double fy = (tf(y, p.yScale) - tf(p.range.yMin, p.yScale)) /
                      (tf(p.range.yMax, p.yScale) - tf(p.range.yMin, p.yScale));
    return {a.left() + fx * a.width(), a.bottom() - fy * a.height()};
}

QPointF PlotView::Impl::toData(int panel, QPointF c) const {
    const Panel& p = panels[static_cast<std::size_t>(panel)];
    const QRectF a = p.chart->plotArea();
    const double fx = (c.x() - a.left()) / a.width();
    const double fy = (a.bottom() - c.y()) / a.height();
    const double tx0 = tf(p.range.xMin, p.xScale), tx1 = tf(p.range.xMax, p.xScale);
    const double ty0 = tf(p.range.yMin, p.yScale), ty1 = tf(p.range.yMax, p.yScale);
    return {itf(tx0 + fx * (tx1 - tx0), p.xScale), itf(ty0 + fy * (ty1 - ty0), p.yScale)};
}

int PlotView::Impl::panelAt(QPointF scenePos) const {
    for (std::size_t i = 0; i < panels.size(); ++i) {
        if (panels[i].chart->geometry().contains(scenePos))
            return static_cast<int>(i);
    }
    return -1;
}

bool PlotView::Impl::inPlotArea(int panel, QPointF scenePos) const {
    if (panel < 0)
        return false;
    const QChart* c = panels[static_cast<std::size_t>(panel)].chart;
    return c->plotArea().contains(c->mapFromScene(scenePos));
}

bool PlotView::Impl::nearest(QPointF scenePos, qreal radius, int* seriesOut,
                             std::size_t* indexOut) const {
    const int panel = panelAt(scenePos);
    if (!inPlotArea(panel, scenePos))
        return false;
    const QPointF c = panels[static_cast<std::size_t>(panel)].chart->mapFromScene(scenePos);
    double best = radius * radius;
    bool found = false;
    for (std::size_t si = 0; si < series.size(); ++si) {
        const SeriesData& s = series[si];
        if (s.panel != panel || !s.visible || s.kind == SeriesKind::Band)
            continue;
        // Lines are only hit-tested when they carry an identity (training curves).
        if (s.kind == SeriesKind::Line && s.ids.runIds.empty() && s.ids.labels.empty())
            continue;
        for (std::size_t i : s.shown) {
            const QPointF pt = toChart(panel, s.x[i], s.y[i]);
            const double dx = pt.x() - c.x(), dy = pt.y() - c.y();
            const double d2 = dx * dx + dy * dy;
            // Scatters win ties against lines: a marker is what the user aims at.
            if (d2 < best || (d2 <= best && s.kind == SeriesKind::Scatter)) {
                best = d2;
                *seriesOut = static_cast<int>(si);
                *indexOut = i;
                found = true;
            }
        }
    }
    return found;
}

QString PlotView::Impl::hoverText(int si, std::size_t i) const {
    const SeriesData& s = series[static_cast<std::size_t>(si)];
    const Panel& p = panels[static_cast<std::size_t>(s.panel)];
    QString label = s.labelOf(i);
    QStringList lines;
    lines << (label.isEmpty() ? s.name : label);
    if (!label.isEmpty() && label != s.name && !s.name.isEmpty())
        lines << s.name;
    lines << QStringLiteral("%1: %2").arg(p.xTitle.isEmpty() ? QStringLiteral("x") : p.xTitle,
                                          formatValue(s.x[i]));
    if (s.style.secondaryY && p.y2Axis)
        lines << QStringLiteral("%1: %2").arg(
            p.y2Title,
            formatValue(itf((tf(s.y[i], p.yScale) - p.y2Offset) / p.y2Slope, p.y2Scale)));
    else
        lines << QStringLiteral("%1: %2").arg(p.yTitle.isEmpty() ? QStringLiteral("y") : p.yTitle,
                                              formatValue(s.y[i]));
    return lines.join(QLatin1Char('\n'));
}

// ---------------------------------------------------------------------------------------
// PlotView

void PlotView::setFastDrawing(bool on) {
    gFastDrawing = on;
}

bool PlotView::fastDrawing() {
    return gFastDrawing;
}

PlotView::PlotView(QWidget* parent) : QWidget(parent), d(std::make_unique<Impl>()) {
    d->q = this;
    d->palette = palette();
    d->canvas = new PlotCanvas(this);
    d->scene = d->canvas->scene();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->canvas);
    d->addPanel({});
    setMinimumSize(240, 180);
}

PlotView::~PlotView() = default;

void PlotView::clear() {
    for (Panel& p : d->panels) {
        d->scene->removeItem(p.chart);
        delete p.chart;  // owns its series, axes and overlay items
    }
    d->panels.clear();
    d->series.clear();
    d->current = 0;
    d->stacked = false;
    d->addPanel({});
}

int PlotView::addPanel(const QString& title) {
    d->addPanel(title);
    d->current = static_cast<int>(d->panels.size()) - 1;
    return d->current;
}

int PlotView::panelCount() const {
    return static_cast<int>(d->panels.size());
}

void PlotView::setCurrentPanel(int panel) {
    if (panel >= 0 && panel < panelCount())
        d->current = panel;
}

int PlotView::currentPanel() const {
    return d->current;
}

void PlotView::setPanelTitle(const QString& title) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    p.title = title;
    p.chart->setTitle(title.toHtmlEscaped());
    d->refresh(d->current);
}

QString PlotView::panelTitle(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    return d->panels[static_cast<std::size_t>(panel)].title;
}

void PlotView::setAxis(Qt::Orientation orientation, const QString& title, AxisScale scale) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    const bool horizontal = orientation == Qt::Horizontal;
    (horizontal ? p.xTitle : p.yTitle) = title;
    AxisScale& slot = horizontal ? p.xScale : p.yScale;
    if (slot != scale) {
        slot = scale;
        p.userRange = false;
        // Axes are linear over transformed values, so a scale change keeps the axis object.
        p.decimated = false;
    }
    (horizontal ? p.xAxis : p.yAxis)->setTitleText(title.toHtmlEscaped());
    d->refresh(d->current, true);
}

QString PlotView::axisTitle(int panel, Qt::Orientation orientation) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    const Panel& p = d->panels[static_cast<std::size_t>(panel)];
    return orientation == Qt::Horizontal ? p.xTitle : p.yTitle;
}

AxisScale PlotView::axisScale(int panel, Qt::Orientation orientation) const {
    if (panel < 0 || panel >= panelCount())
        return AxisScale::Linear;
    const Panel& p = d->panels[static_cast<std::size_t>(panel)];
    return orientation == Qt::Horizontal ? p.xScale : p.yScale;
}

namespace {
SeriesData makeSeries(SeriesKind kind, int panel, const QString& name, std::vector<double> x,
                      std::vector<double> y, SeriesStyle style, PointIds ids) {
    SeriesData s;
    s.kind = kind;
    s.panel = panel;
    s.name = name;
    const std::size_t n = std::min(x.size(), y.size());
    x.resize(n);
    y.resize(n);
    s.x = std::move(x);
    s.y = std::move(y);
    s.style = style;
    s.ids = std::move(ids);
    return s;
}
}  // namespace

int PlotView::addScatter(const QString& name, std::vector<double> x, std::vector<double> y,
                         PointIds ids, SeriesStyle style) {
    return addSeriesInternal(makeSeries(SeriesKind::Scatter, d->current, name, std::move(x),
                                        std::move(y), style, std::move(ids)));
}

int PlotView::addLine(const QString& name, std::vector<double> x, std::vector<double> y,
                      SeriesStyle style, PointIds ids) {
    return addSeriesInternal(makeSeries(SeriesKind::Line, d->current, name, std::move(x),
                                        std::move(y), style, std::move(ids)));
}

int PlotView::addBand(const QString& name, std::vector<double> x, std::vector<double> lower,
                      std::vector<double> upper, SeriesStyle style) {
    const std::size_t n = std::min({x.size(), lower.size(), upper.size()});
    upper.resize(n);
    SeriesData s =
        makeSeries(SeriesKind::Band, d->current, name, std::move(x), std::move(lower), style, {});
    s.upper = std::move(upper);
    return addSeriesInternal(std::move(s));
}

int PlotView::addSeriesInternal(SeriesData&& data) {
    if (data.style.secondaryY) {
        // Into left-axis units through the twin-axes map (values the right axis cannot show,
        // <= 0 on a log scale, become NaN and are left out).
        const Panel& tp = d->panels[static_cast<std::size_t>(data.panel)];
        if (tp.y2Axis) {
            for (double& v : data.y) {
                const bool ok = std::isfinite(v) && (tp.y2Scale != AxisScale::Log || v > 0);
                v = ok ? itf(tp.y2Slope * tf(v, tp.y2Scale) + tp.y2Offset, tp.yScale) : NAN;
            }
        }
    }
    Panel& p = d->panels[static_cast<std::size_t>(data.panel)];
    data.color = data.style.color.isValid()
                     ? data.style.color
                     : kSeriesColors[p.nextColor++ % static_cast<int>(std::size(kSeriesColors))];
    data.categorical = data.color;
    data.xSorted = isSortedFinite(data.x);
    // The vector may reallocate: legend-marker lambdas capture indices, never pointers.
    d->series.push_back(std::move(data));
    d->attachSeries(d->series.back());
    const int panel = d->series.back().panel;
    d->applyPaletteTo(panel);  // inside a batch: styled and drawn once, when it ends
    d->refresh(panel, true);
    return static_cast<int>(d->series.size()) - 1;
}

void PlotView::beginBatch() {
    ++d->batch;
}

void PlotView::endBatch() {
    if (d->batch == 0 || --d->batch > 0)
        return;
    for (int i = 0; i < panelCount(); ++i) {
        Panel& p = d->panels[static_cast<std::size_t>(i)];
        if (!p.batchDirty)
            continue;
        p.batchDirty = false;
        d->applyPaletteTo(i);
        d->refresh(i, true);
    }
}

PlotView::WorkCounts PlotView::workCounts() const {
    return d->work;
}

void PlotView::resetWorkCounts() {
    d->work = {};
}

void PlotView::setHeatmap(Heatmap heatmap) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    delete p.heatmap;
    p.heatmap = new HeatmapItem(d.get(), d->current, std::move(heatmap), p.chart);
    // Room for the colour bar right of the plot area.
    p.chart->setMargins(QMargins(6, 6, 86, 6));
    d->refresh(d->current, true);
}

void PlotView::setSecondaryAxis(const QString& title, AxisScale scale, double lo, double hi) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    if (!p.y2Axis) {
        auto* axis = new QCategoryAxis();
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        axis->setGridLineVisible(false);
        p.chart->addAxis(axis, Qt::AlignRight);
        p.y2Axis = axis;
    }
    p.y2Axis->setTitleText(title);
    p.y2Title = title;
    p.y2Scale = scale;
    if (scale == AxisScale::Log && !(lo > 0 && hi > 0)) {
        lo = 1.0;
        hi = 10.0;
    }
    double s0 = tf(lo, scale), s1 = tf(hi, scale);
    if (!(s1 > s0)) {  // one value: a span around it
        s0 -= 0.5;
        s1 += 0.5;
    }
    // Onto the left axis' data range (of the series added so far), else [0, 1].
    const PlotRange r = d->computeDataRange(d->current);
    double t0 = tf(r.yMin, p.yScale), t1 = tf(r.yMax, p.yScale);
    if (!(std::isfinite(t0) && std::isfinite(t1) && t1 > t0)) {
        t0 = 0.0;
        t1 = 1.0;
    }
    p.y2Slope = (t1 - t0) / (s1 - s0);
    p.y2Offset = t0 - p.y2Slope * s0;
    d->applyPaletteTo(d->current);
    d->refresh(d->current, true);
}

bool PlotView::hasSecondaryAxis(int panel) const {
    return d->panels[static_cast<std::size_t>(panel)].y2Axis != nullptr;
}

QString PlotView::secondaryAxisTitle(int panel) const {
    return d->panels[static_cast<std::size_t>(panel)].y2Title;
}

void PlotView::setColorScale(ColorScale scale) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    p.colorScale = std::move(scale);
    p.hasColorScale = true;
    d->applyPaletteTo(d->current);  // recolours through applyColorScale
    d->refresh(d->current, true);
}

bool PlotView::colorScaleActive(int panel) const {
    return panel >= 0 && panel < panelCount() &&
           d->panels[static_cast<std::size_t>(panel)].colorActive;
}

QColor PlotView::colorScaleColor(int panel, double t) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    return withContrast(d->scaleColor(t), d->palette.color(QPalette::Base));
}

void PlotView::addText(double x, double y, const QString& text, QColor color) {
    Panel& p = d->panels[static_cast<std::size_t>(d->current)];
    TextAnnotation t{x, y, text, color, new BackedTextItem(p.chart, text)};
    t.item->setZValue(1000);
    p.texts.push_back(t);
    d->applyPaletteTo(d->current);
    if (!d->deferred(d->current))
        d->updateOverlays(d->current);
}

void PlotView::addNote(const QString& note) {
    d->panels[static_cast<std::size_t>(d->current)].notes << note;
    if (!d->deferred(d->current))
        d->updateOverlays(d->current);
}

int PlotView::seriesCount() const {
    return static_cast<int>(d->series.size());
}

QString PlotView::seriesName(int series) const {
    return series >= 0 && series < seriesCount() ? d->series[static_cast<std::size_t>(series)].name
                                                 : QString();
}

QColor PlotView::seriesColor(int series) const {
    return series >= 0 && series < seriesCount() ? d->series[static_cast<std::size_t>(series)].color
                                                 : QColor();
}

int PlotView::seriesPanel(int series) const {
    return series >= 0 && series < seriesCount() ? d->series[static_cast<std::size_t>(series)].panel
                                                 : -1;
}

void PlotView::setSeriesVisible(int series, bool visible) {
    if (series < 0 || series >= seriesCount())
        return;
    SeriesData& s = d->series[static_cast<std::size_t>(series)];
    s.visible = visible;
    QAbstractSeries* as = s.area ? static_cast<QAbstractSeries*>(s.area) : s.xy;
    as->setVisible(visible);
    // Qt hides the legend marker with its series; keep it so the user can click it back.
    for (QLegendMarker* m :
         d->panels[static_cast<std::size_t>(s.panel)].chart->legend()->markers(as))
        m->setVisible(d->inLegend(s));
    d->applyPaletteTo(s.panel);
    d->refresh(s.panel, true);
}

void PlotView::replaceSeriesData(int series, std::vector<double> x, std::vector<double> y) {
    if (series < 0 || series >= seriesCount())
        return;
    SeriesData& s = d->series[static_cast<std::size_t>(series)];
    if (s.kind == SeriesKind::Band)
        return;  // a band's edges are not one y
    const std::size_t n = std::min(x.size(), y.size());
    x.resize(n);
    y.resize(n);
    const Panel& p = d->panels[static_cast<std::size_t>(s.panel)];
    if (s.style.secondaryY && p.y2Axis)  // as addSeriesInternal: into left-axis units
        for (double& v : y) {
            const bool ok = std::isfinite(v) && (p.y2Scale != AxisScale::Log || v > 0);
            v = ok ? itf(p.y2Slope * tf(v, p.y2Scale) + p.y2Offset, p.yScale) : NAN;
        }
    s.x = std::move(x);
    s.y = std::move(y);
    s.xSorted = isSortedFinite(s.x);
    s.pyramid = {};
    s.pyramidBuilt = false;
    d->refresh(s.panel, true);  // the range stays as the user zoomed it
}

bool PlotView::isSeriesVisible(int series) const {
    return series >= 0 && series < seriesCount() &&
           d->series[static_cast<std::size_t>(series)].visible;
}

std::size_t PlotView::displayedPointCount(int series) const {
    if (series < 0 || series >= seriesCount())
        return 0;
    const SeriesData& s = d->series[static_cast<std::size_t>(series)];
    if (s.kind == SeriesKind::Band)
        return static_cast<std::size_t>(s.bandLower->count());
    return static_cast<std::size_t>(s.shownAxis.size());
}

std::size_t PlotView::pointCount(int series) const {
    return series >= 0 && series < seriesCount()
               ? d->series[static_cast<std::size_t>(series)].x.size()
               : 0;
}

const std::vector<double>& PlotView::seriesX(int series) const {
    static const std::vector<double> kEmpty;
    return series >= 0 && series < seriesCount() ? d->series[static_cast<std::size_t>(series)].x
                                                 : kEmpty;
}

const std::vector<double>& PlotView::seriesY(int series) const {
    static const std::vector<double> kEmpty;
    return series >= 0 && series < seriesCount() ? d->series[static_cast<std::size_t>(series)].y
                                                 : kEmpty;
}

QString PlotView::notes(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    // From the notes added so far, not the drawn text: inside a batch (buildView) the drawn
    // text waits for endBatch, and a builder that asks what the notes say already (the loss
    // metric note) must get the same answer as without a batch.
    const Panel& p = d->panels[static_cast<std::size_t>(panel)];
    QStringList lines;
    const QString hidden = hiddenOnLogNote(p.hiddenOnLog);
    if (!hidden.isEmpty())
        lines << hidden;
    lines << p.notes;
    return lines.join(QLatin1Char('\n'));
}

std::size_t PlotView::hiddenOnLogCount(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return 0;
    return d->panels[static_cast<std::size_t>(panel)].hiddenOnLog;
}

PlotRange PlotView::range(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    return d->panels[static_cast<std::size_t>(panel)].range;
}

void PlotView::setRange(int panel, const PlotRange& r) {
    if (panel < 0 || panel >= panelCount())
        return;
    Panel& p = d->panels[static_cast<std::size_t>(panel)];
    PlotRange nr = r;
    if (!(nr.xMin < nr.xMax) || !(nr.yMin < nr.yMax))
        return;
    if ((p.xScale == AxisScale::Log && nr.xMin <= 0) ||
        (p.yScale == AxisScale::Log && nr.yMin <= 0))
        return;
    p.range = nr;
    p.userRange = true;
    d->refresh(panel);
    emit rangeChanged(panel);
    if (d->stacked) {  // stacked panels share the x range
        for (int i = 0; i < panelCount(); ++i) {
            Panel& o = d->panels[static_cast<std::size_t>(i)];
            if (i == panel || o.xScale != p.xScale ||
                (o.range.xMin == nr.xMin && o.range.xMax == nr.xMax))
                continue;
            o.range.xMin = nr.xMin;
            o.range.xMax = nr.xMax;
            o.userRange = true;
            d->refresh(i);
            emit rangeChanged(i);
        }
    }
}

void PlotView::setStackedPanels(double topShare) {
    d->stacked = true;
    d->topShare = std::clamp(topShare, 0.1, 0.9);
    d->canvas->layoutPanels(d->canvas->viewport()->size());
}

bool PlotView::stackedPanels() const {
    return d->stacked;
}

PlotRange PlotView::dataRange(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    return d->computeDataRange(panel);
}

void PlotView::resetZoom() {
    for (int i = 0; i < panelCount(); ++i) {
        d->panels[static_cast<std::size_t>(i)].userRange = false;
        d->refresh(i);
        emit rangeChanged(i);
    }
}

void PlotView::zoomAt(int panel, QPointF widgetPos, double factor, bool zoomX, bool zoomY) {
    if (panel < 0 || panel >= panelCount() || !(factor > 0))
        return;
    const Panel& p = d->panels[static_cast<std::size_t>(panel)];
    const QPointF scenePos =
        d->canvas->mapToScene(d->canvas->viewport()->mapFrom(this, widgetPos.toPoint()));
    const QPointF anchor = d->toData(panel, p.chart->mapFromScene(scenePos));
    auto zoom1 = [factor](double lo, double hi, double a, AxisScale s, double* outLo,
                          double* outHi) {
        const double tl = tf(lo, s), th = tf(hi, s), ta = tf(a, s);
        *outLo = itf(ta - (ta - tl) / factor, s);
        *outHi = itf(ta + (th - ta) / factor, s);
    };
    PlotRange r = p.range;
    if (zoomX)
        zoom1(p.range.xMin, p.range.xMax, anchor.x(), p.xScale, &r.xMin, &r.xMax);
    if (zoomY)
        zoom1(p.range.yMin, p.range.yMax, anchor.y(), p.yScale, &r.yMin, &r.yMax);
    setRange(panel, r);
}

qint64 PlotView::runIdAt(QPointF widgetPos, qreal radiusPx) const {
    const QPointF scenePos =
        d->canvas->mapToScene(d->canvas->viewport()->mapFrom(this, widgetPos.toPoint()));
    int s = -1;
    std::size_t i = 0;
    if (!d->nearest(scenePos, radiusPx, &s, &i))
        return -1;
    return d->series[static_cast<std::size_t>(s)].runIdOf(i);
}

QString PlotView::hoverTextAt(QPointF widgetPos, qreal radiusPx) const {
    const QPointF scenePos =
        d->canvas->mapToScene(d->canvas->viewport()->mapFrom(this, widgetPos.toPoint()));
    int s = -1;
    std::size_t i = 0;
    if (d->nearest(scenePos, radiusPx, &s, &i))
        return d->hoverText(s, i);
    // A note collapsed to one line shows its full text on hover.
    for (const Panel& p : d->panels)
        if (p.noteCollapsed && p.noteItem->isVisible() &&
            p.noteItem->sceneBoundingRect().contains(scenePos))
            return p.noteText;
    return {};
}

void PlotView::renderFigure(QPainter* painter, const QRectF& target, const QSizeF& size) {
    layoutFigure(size);
    paintFigure(painter, target);
    restoreLayout();
}

void PlotView::layoutFigure(const QSizeF& size) {
    d->canvas->layoutPanels(size);
}

namespace {
// Qt Charts draws each series with one private *ChartItem (LineChartItem, ScatterChartItem,
// AreaChartItem, ...) that is a direct child of the chart; recognise them by type name.
bool isSeriesItem(QGraphicsItem* item) {
    return std::string_view(typeid(*item).name()).find("ChartItem") != std::string_view::npos;
}
}  // namespace

void PlotView::paintFigure(QPainter* painter, const QRectF& target, FigureLayer layer, int panel) {
    const QRectF source(QPointF(0, 0), d->figureSize);
    if (layer == FigureLayer::All) {
        d->scene->render(painter, target, source, Qt::IgnoreAspectRatio);
        return;
    }
    // Hide what this layer leaves out, remembering the previous state exactly.
    std::vector<std::pair<QGraphicsItem*, bool>> saved;
    auto hide = [&saved](QGraphicsItem* item) {
        saved.emplace_back(item, item->isVisible());
        item->setVisible(false);
    };
    const QBrush background = d->scene->backgroundBrush();
    for (int i = 0; i < panelCount(); ++i) {
        QChart* chart = d->panels[static_cast<std::size_t>(i)].chart;
        if (layer == FigureLayer::SeriesOnly && i != panel) {
            hide(chart);
            continue;
        }
        for (QGraphicsItem* child : chart->childItems()) {
            const bool series = isSeriesItem(child);
            if ((layer == FigureLayer::WithoutSeries) == series)
                hide(child);
        }
    }
    if (layer == FigureLayer::SeriesOnly)
        d->scene->setBackgroundBrush(Qt::NoBrush);
    d->scene->render(painter, target, source, Qt::IgnoreAspectRatio);
    d->scene->setBackgroundBrush(background);
    for (auto it = saved.rbegin(); it != saved.rend(); ++it)
        it->first->setVisible(it->second);
}

std::vector<PlotView::DrawnText> PlotView::drawnTexts() const {
    std::vector<DrawnText> out;
    for (int i = 0; i < panelCount(); ++i) {
        const Panel& p = d->panels[static_cast<std::size_t>(i)];
        // Qt Charts shortens what does not fit to "text..." (ChartPresenter::truncatedText).
        const QList<QGraphicsItem*> children = p.chart->childItems();
        std::vector<QGraphicsItem*> stack(children.begin(), children.end());
        while (!stack.empty()) {
            QGraphicsItem* item = stack.back();
            stack.pop_back();
            if (!item->isVisible())
                continue;
            for (QGraphicsItem* child : item->childItems())
                stack.push_back(child);
            if (auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item)) {
                const QString plain = text->toPlainText();
                if (plain.trimmed().isEmpty())
                    continue;
                const qreal width = text->document()->idealWidth();
                out.push_back({i, plain, width, width, plain.endsWith(QLatin1String("..."))});
            }
        }
        if (p.colorBar && p.colorBar->isVisible()) {
            const QFontMetricsF fm(p.colorBar->titleFont());
            const qreal available = ColorBarItem::kMargin - 12.0;
            for (const QString& line : p.colorBar->titleLines()) {
                const qreal width = fm.horizontalAdvance(line);
                out.push_back({i, line, width, available,
                               width > available + 0.5 && line.contains(QLatin1Char(' '))});
            }
        }
        // Notes are wrapped by PlotView to the width their spot allows: check each drawn line.
        // A collapsed note is a summary by design (its full text shows on hover).
        if (p.noteItem->isVisible()) {
            const QFontMetricsF fm(p.noteItem->font());
            for (const QString& line : p.noteItem->text().split(QLatin1Char('\n'))) {
                const qreal width = fm.horizontalAdvance(line);
                const qreal available = p.noteCollapsed ? width : p.noteWrap;
                const bool oneWord = !line.contains(QLatin1Char(' '));
                out.push_back({i, line, width, available, width > available + 0.5 && !oneWord});
            }
        }
    }
    return out;
}

QRectF PlotView::notesRect(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    const Panel& p = d->panels[static_cast<std::size_t>(panel)];
    if (!p.noteItem->isVisible())
        return {};
    return p.noteItem->mapRectToScene(p.noteItem->boundingRect());
}

bool PlotView::notesCollapsed(int panel) const {
    return panel >= 0 && panel < panelCount() &&
           d->panels[static_cast<std::size_t>(panel)].noteCollapsed;
}

QRectF PlotView::plotAreaInFigure(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    const QChart* chart = d->panels[static_cast<std::size_t>(panel)].chart;
    return chart->mapRectToScene(chart->plotArea());
}

void PlotView::restoreLayout() {
    // A hidden view is laid out again when it is shown (resizeEvent); doing it now would only
    // decimate every series a second time for a viewport that is not on screen.
    if (!isVisible())
        return;
    d->canvas->layoutPanels(d->canvas->viewport()->size());
}

void PlotView::applyPalette(const QPalette& palette) {
    d->palette = palette;
    d->scene->setBackgroundBrush(palette.color(QPalette::Base));
    for (int i = 0; i < panelCount(); ++i)
        d->applyPaletteTo(i);
}

std::vector<double> PlotView::minorTicks(int panel, Qt::Orientation orientation) const {
    if (panel < 0 || panel >= panelCount())
        return {};
    const MinorTicksItem* item = d->panels[static_cast<std::size_t>(panel)].minorTicks;
    return orientation == Qt::Horizontal ? item->xTicks : item->yTicks;
}

QGraphicsScene* PlotView::scene() const {
    return d->scene;
}

QChart* PlotView::chart(int panel) const {
    if (panel < 0 || panel >= panelCount())
        return nullptr;
    return d->panels[static_cast<std::size_t>(panel)].chart;
}

void PlotView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange)
        applyPalette(palette());
    QWidget::changeEvent(event);
}

}  // namespace scalelens::ui
