// Where a panel's note box goes (issue 12): somewhere it covers no data and no label.
//
// PlotView rasterises what a note must not hide (drawn points and markers, line segments,
// heatmap cells, text labels) into a coarse grid over the chart, and the chart's furniture
// (axis labels, titles, legend entries, colour bar) into a second one; a summed-area table
// answers "how much lies under this rectangle" in O(1), so every cell-aligned position of
// every candidate note shape can be tried on each redraw.
#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <cstdint>
#include <vector>

namespace scalelens::ui {

class OccupancyGrid {
  public:
    OccupancyGrid() = default;
    OccupancyGrid(const QRectF& bounds, qreal cell);

    // Adds `weight` to every cell the point, rectangle or segment touches (segments are
    // sampled at half-cell steps). Outside the bounds: ignored.
    void addPoint(QPointF p, std::int64_t weight = 1);
    void addRect(const QRectF& r, std::int64_t weight = 1);
    void addSegment(QPointF a, QPointF b, std::int64_t weight = 1);
    // Builds the summed-area table; call once after the last add.
    void finish();
    // Total weight of the cells `r` touches (any overlap counts), after finish().
    std::int64_t sum(const QRectF& r) const;

    const QRectF& bounds() const { return m_bounds; }
    qreal cell() const { return m_cell; }

  private:
    bool cellRange(const QRectF& r, int* x0, int* y0, int* x1, int* y1) const;
    QRectF m_bounds;
    qreal m_cell = 8.0;
    int m_nx = 0;
    int m_ny = 0;
    std::vector<std::int64_t> m_counts;  // m_ny rows of m_nx
    std::vector<std::int64_t> m_table;   // (m_ny + 1) x (m_nx + 1) summed-area table
};

// A placement of one note box.
struct NoteSpot {
    QRectF rect;             // chart coordinates, backing included
    std::int64_t cost = -1;  // data and labels under it (0: covers nothing); -1: no spot
    int rank = 0;            // 0 a corner of the plot, 1 outside the plot, 2 elsewhere inside
    qreal distance = 0.0;    // tie-break within a rank (nearer the preferred place first)
    bool valid() const { return cost >= 0; }
};

// The best spot for a box of `box` size: the least-covering position among the plot area's
// corners (top left, top right, bottom left, bottom right), every cell-aligned position inside
// the plot area, and every position in the chart outside the plot area (`frame`, keeping
// `gap` px from the plot) that `furniture` leaves free. Among spots covering nothing: corners,
// then outside, then inside. Outside spots count as covering nothing; none: invalid.
NoteSpot findNoteSpot(const OccupancyGrid& data, const OccupancyGrid& furniture, const QRectF& plot,
                      const QRectF& frame, const QSizeF& box, qreal inset = 6.0, qreal gap = 8.0);

// True when `a` is a better spot than `b` (fewer covered, then lower rank, then distance).
bool betterSpot(const NoteSpot& a, const NoteSpot& b);

}  // namespace scalelens::ui
