// Screen-space decimation for PlotView: keep the full data in std::vector and hand Qt Charts
// only what can be seen at the current zoom and pixel size.
//
// Qt Charts redraws every point of every series on each frame; at 1,000,000 points that is
// hundreds of milliseconds. PlotView therefore calls these pure functions on each zoom or
// resize and feeds the series the returned indices only, which keeps a series at a few
// thousand points whatever the data size:
//
//   DecimationWindow w{xMin, xMax, yMin, yMax, AxisScale::Log, AxisScale::Linear, 1600, 1000};
//   std::vector<std::size_t> keep = decimateLine(x, y, w);   // <= 2 points per pixel column
//
// Lines with x sorted keep, for each pixel column, its lowest and highest point (plus the
// first and last point of the data): the drawn min/max envelope is exactly that of the full
// data. Unsorted lines keep the first, lowest, highest and last point of each run of
// consecutive points in one pixel column. Scatters keep one point per occupied pixel cell inside
// the window. Points that cannot be drawn (NaN, or <= 0 on a log axis) are never returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <QList>
#include <QPointF>
#include <QString>

namespace scalelens::ui {

enum class AxisScale {
    Linear,  // QValueAxis
    Log,     // QLogValueAxis, base 10; values <= 0 cannot be shown
};

// The visible data rectangle and the pixel size of the plot area it is drawn into.
struct DecimationWindow {
    double xMin = 0.0;                     // left edge, data units (> 0 on a log axis)
    double xMax = 1.0;                     // right edge, data units
    double yMin = 0.0;                     // bottom edge, data units (> 0 on a log axis)
    double yMax = 1.0;                     // top edge, data units
    AxisScale xScale = AxisScale::Linear;  // how x maps to pixels
    AxisScale yScale = AxisScale::Linear;  // how y maps to pixels
    int widthPx = 800;                     // plot-area width in device pixels (>= 1)
    int heightPx = 600;                    // plot-area height in device pixels (>= 1)

    bool isValid(QString* error = nullptr) const;
};

// True when (x, y) can be drawn on these scales (finite, and > 0 on a log axis).
bool isDrawable(double x, double y, AxisScale xScale, AxisScale yScale);

// Number of finite points that a log axis hides because x <= 0 (log x) or y <= 0 (log y).
std::size_t countHiddenOnLog(const std::vector<double>& x, const std::vector<double>& y,
                             AxisScale xScale, AxisScale yScale);

// The note PlotView shows for hidden points, e.g. "12 points ≤ 0 hidden on log axis".
QString hiddenOnLogNote(std::size_t hidden);

// Min/max pyramid of a series' y for decimateLine: level k holds, for each block of 2^(k+1)
// consecutive points, the indices of its lowest and highest y. Built once per series (O(n),
// 8 bytes a point), it turns the per-column min/max of a zoom or pan from a scan of every
// visible point into O(log n) block look-ups, so a redraw costs O(pixels), not O(points).
struct MinMaxPyramid {
    std::vector<std::vector<std::uint32_t>> lowest;   // lowest[k][j]: index of min y
    std::vector<std::vector<std::uint32_t>> highest;  // highest[k][j]: index of max y
    AxisScale yScale = AxisScale::Linear;             // the scale it was built for
    bool usable = false;  // every y drawable on yScale (else decimateLine scans)

    // Index of the lowest and highest y in [a, b) (a < b <= size).
    void query(std::size_t a, std::size_t b, const std::vector<double>& y, std::size_t* lo,
               std::size_t* hi) const;
};

// Builds the pyramid; not usable when some y is NaN/infinite (or <= 0 on a log scale) or the
// series has more than 2^32 points.
MinMaxPyramid buildMinMaxPyramid(const std::vector<double>& y, AxisScale yScale);

// Indices (ascending) of the points to draw for a polyline. Points outside the window are
// kept only as the neighbours that carry the line to the edge. When the visible part has at
// most `passThrough` points nothing is dropped.
// `xSorted`: pass whether x is non-decreasing when known (PlotView checks once per series)
// to skip the O(n) check; nullptr checks here.
// `pyramid`: optional, from buildMinMaxPyramid(y, window.yScale); used on x-sorted data.
std::vector<std::size_t> decimateLine(const std::vector<double>& x, const std::vector<double>& y,
                                      const DecimationWindow& window,
                                      std::size_t passThrough = 4096, const bool* xSorted = nullptr,
                                      const MinMaxPyramid* pyramid = nullptr);

// True when x is non-decreasing and free of NaN (binary search on it is valid).
bool isSortedFinite(const std::vector<double>& x);

// Indices (ascending) of the scatter points to draw: inside the window, at most one per
// cellPx x cellPx pixel cell (the first one met), so overplotted points cost nothing.
std::vector<std::size_t> decimateScatter(const std::vector<double>& x, const std::vector<double>& y,
                                         const DecimationWindow& window, int cellPx = 1,
                                         std::size_t passThrough = 4096);

// Indices (ascending) of the vertices of `pts` (axis units: log10 on a log axis) that a
// polyline needs to stay within `tolerancePx` pixels of the polyline through all of them, at
// `pxPerX` and `pxPerY` pixels per axis unit (Douglas-Peucker: a point is left out when it lies
// that close to the segment between the kept points around it). The first and last points are
// always kept. A smooth curve decimated to its pixel columns keeps a few dozen points: what
// Qt Charts strokes and lays out, at the same look.
std::vector<std::size_t> simplifyPolyline(const QList<QPointF>& pts, double pxPerX, double pxPerY,
                                          double tolerancePx);

}  // namespace scalelens::ui
