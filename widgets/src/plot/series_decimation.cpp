#include "widgets/plot/series_decimation.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace scalelens::ui {

namespace {

double transform(double v, AxisScale scale) {
    return scale == AxisScale::Log ? std::log10(v) : v;
}

// Maps data values to fractional pixel columns/rows of the window.
struct PixelMap {
    double tx0, sx, ty0, sy;
    AxisScale xs, ys;
    explicit PixelMap(const DecimationWindow& w)
        : tx0(transform(w.xMin, w.xScale)),
          sx(w.widthPx / (transform(w.xMax, w.xScale) - tx0)),
          ty0(transform(w.yMin, w.yScale)),
          sy(w.heightPx / (transform(w.yMax, w.yScale) - ty0)),
          xs(w.xScale),
          ys(w.yScale) {}
    double col(double x) const { return (transform(x, xs) - tx0) * sx; }
    double row(double y) const { return (transform(y, ys) - ty0) * sy; }
};

}  // namespace

bool isSortedFinite(const std::vector<double>& x) {
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i]) || (i > 0 && !(x[i - 1] <= x[i])))
            return false;
    }
    return true;
}

bool DecimationWindow::isValid(QString* error) const {
    auto fail = [error](const char* field, const char* why) {
        if (error)
            *error = QStringLiteral("DecimationWindow.%1 %2")
                         .arg(QLatin1String(field), QLatin1String(why));
        return false;
    };
    if (!(std::isfinite(xMin) && std::isfinite(xMax) && xMin < xMax))
        return fail("xMax", "must be finite and greater than xMin");
    if (!(std::isfinite(yMin) && std::isfinite(yMax) && yMin < yMax))
        return fail("yMax", "must be finite and greater than yMin");
    if (xScale == AxisScale::Log && xMin <= 0.0)
        return fail("xMin", "must be > 0 on a log axis");
    if (yScale == AxisScale::Log && yMin <= 0.0)
        return fail("yMin", "must be > 0 on a log axis");
    if (widthPx < 1)
        return fail("widthPx", "must be >= 1");
    if (heightPx < 1)
        return fail("heightPx", "must be >= 1");
    return true;
}

bool isDrawable(double x, double y, AxisScale xScale, AxisScale yScale) {
    if (!std::isfinite(x) || !std::isfinite(y))
        return false;
    if (xScale == AxisScale::Log && x <= 0.0)
        return false;
    if (yScale == AxisScale::Log && y <= 0.0)
        return false;
    return true;
}

std::size_t countHiddenOnLog(const std::vector<double>& x, const std::vector<double>& y,
                             AxisScale xScale, AxisScale yScale) {
    if (xScale == AxisScale::Linear && yScale == AxisScale::Linear)
        return 0;
    const std::size_t n = std::min(x.size(), y.size());
    std::size_t hidden = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            continue;  // missing values are not "hidden by the axis"
        if ((xScale == AxisScale::Log && x[i] <= 0.0) || (yScale == AxisScale::Log && y[i] <= 0.0))
            ++hidden;
    }
    return hidden;
}

QString hiddenOnLogNote(std::size_t hidden) {
    if (hidden == 0)
        return {};
    return hidden == 1 ? QStringLiteral("1 point ≤ 0 hidden on log axis")
                       : QStringLiteral("%1 points ≤ 0 hidden on log axis").arg(hidden);
}

MinMaxPyramid buildMinMaxPyramid(const std::vector<double>& y, AxisScale yScale) {
    MinMaxPyramid p;
    p.yScale = yScale;
    const std::size_t n = y.size();
    if (n > 0xffffffffULL)
        return p;
    for (double v : y)
        if (!std::isfinite(v) || (yScale == AxisScale::Log && v <= 0.0))
            return p;
    // Level 0: pairs of points; level k: pairs of level k-1 blocks.
    std::size_t blocks = n / 2;
    while (blocks >= 1) {
        std::vector<std::uint32_t> lo(blocks), hi(blocks);
        const bool first = p.lowest.empty();
        for (std::size_t j = 0; j < blocks; ++j) {
            std::uint32_t a0, a1, b0, b1;
            if (first) {
                a0 = b0 = static_cast<std::uint32_t>(2 * j);
                a1 = b1 = static_cast<std::uint32_t>(2 * j + 1);
            } else {
                a0 = p.lowest.back()[2 * j];
                a1 = p.lowest.back()[2 * j + 1];
                b0 = p.highest.back()[2 * j];
                b1 = p.highest.back()[2 * j + 1];
            }
            lo[j] = y[a1] < y[a0] ? a1 : a0;
            hi[j] = y[b1] > y[b0] ? b1 : b0;
        }
        p.lowest.push_back(std::move(lo));
        p.highest.push_back(std::move(hi));
        blocks /= 2;
    }
    p.usable = true;
    return p;
}

void MinMaxPyramid::query(std::size_t a, std::size_t b, const std::vector<double>& y,
                          std::size_t* lo, std::size_t* hi) const {
    *lo = *hi = a;
    std::size_t i = a;
    while (i < b) {
        // The largest aligned block starting at i that ends by b: size 2^(k+1) at level k, so
        // k + 1 <= trailing zeros of i (alignment) and 2^(k+1) <= b - i (length).
        const int byAlign = i == 0 ? 63 : std::countr_zero(i);
        const int byLength = static_cast<int>(std::bit_width(b - i)) - 1;
        const int level =
            std::min({byAlign, byLength, static_cast<int>(lowest.size())}) - 1;  // -1: point i
        std::size_t l = i, h = i, size = 1;
        if (level >= 0) {
            size = std::size_t{2} << level;
            l = lowest[static_cast<std::size_t>(level)][i / size];
            h = highest[static_cast<std::size_t>(level)][i / size];
        }
        if (y[l] < y[*lo])
            *lo = l;
        if (y[h] > y[*hi])
            *hi = h;
        i += size;
    }
}

std::vector<std::size_t> decimateLine(const std::vector<double>& x, const std::vector<double>& y,
                                      const DecimationWindow& window, std::size_t passThrough,
                                      const bool* xSorted, const MinMaxPyramid* pyramid) {
    std::vector<std::size_t> out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0 || !window.isValid())
        return out;

    // For x-sorted data (the usual curve) only the visible slice plus one neighbour on
    // each side matters; those neighbours carry the line to the plot edge.
    std::size_t lo = 0;
    std::size_t hi = n;
    const bool sorted = xSorted ? *xSorted : isSortedFinite(x);
    if (sorted) {
        const auto first = x.begin();
        const auto last = x.begin() + static_cast<std::ptrdiff_t>(n);
        lo = static_cast<std::size_t>(std::lower_bound(first, last, window.xMin) - first);
        hi = static_cast<std::size_t>(std::upper_bound(first, last, window.xMax) - first);
        lo = lo > 0 ? lo - 1 : 0;
        hi = std::min(n, hi + 1);
    }

    auto drawable = [&](std::size_t i) {
        return isDrawable(x[i], y[i], window.xScale, window.yScale);
    };
    if (hi - lo <= passThrough) {
        for (std::size_t i = lo; i < hi; ++i) {
            if (drawable(i))
                out.push_back(i);
        }
        return out;
    }

    const PixelMap map(window);
    out.reserve(static_cast<std::size_t>(window.widthPx) * 2 + 16);
    const bool yLog = window.yScale == AxisScale::Log;
    // Appends min/max (and first/last, see above) of the drawable points in [a, b) (ascending,
    // no repeats). In the sorted path every x in [a, b) is finite and inside a valid window, so
    // only y needs checking; the loop stays branch-light (about 1 ns a point).
    const bool usePyramid = pyramid && pyramid->usable && pyramid->yScale == window.yScale &&
                            !pyramid->lowest.empty() && pyramid->lowest.front().size() == n / 2;
    // Pixel columns of a sorted line (`column`) keep only their lowest and highest point, in
    // index order: the drawn envelope is the same (the step into the next column starts inside
    // this one's span), and Qt Charts strokes half as many points per frame. Columns at the
    // ends of the data and ranges outside the window keep first and last too.
    auto push = [&](std::size_t* idx, std::size_t count) {
        std::sort(idx, idx + count);
        for (std::size_t k = 0; k < count; ++k) {
            if (out.empty() || out.back() != idx[k])
                out.push_back(idx[k]);
        }
    };
    auto emitRange = [&](std::size_t a, std::size_t b, bool checkX, bool column = false) {
        if (usePyramid && !checkX && b - a > 8) {
            // Every y is drawable and x inside the window.
            std::size_t lo = a, hi = a;
            pyramid->query(a, b, y, &lo, &hi);
            std::size_t idx[4] = {lo, hi, a, b - 1};
            const bool ends = !column || a == 0 || b == n;
            push(idx, ends ? 4 : 2);
            return;
        }
        std::size_t first = b, last = b, lo = b, hi = b;
        double yLo = INFINITY, yHi = -INFINITY;
        const double* yp = y.data();
        for (std::size_t i = a; i < b; ++i) {
            const double v = yp[i];
            if (!(v > (yLog ? 0.0 : -INFINITY)) || !(v < INFINITY))  // also rejects NaN
                continue;
            if (checkX && !drawable(i))
                continue;
            if (first == b)
                first = i;
            last = i;
            if (v < yLo) {
                yLo = v;
                lo = i;
            }
            if (v > yHi) {
                yHi = v;
                hi = i;
            }
        }
        if (first == b)
            return;
        std::size_t idx[4] = {lo, hi, first, last};
        const bool ends = !column || first == 0 || last + 1 == n;
        push(idx, ends ? 4 : 2);
    };

    if (sorted) {
        // Column boundaries by binary search, then one tight min/max pass over y: the
        // per-point work is a comparison, so a million points cost about a millisecond.
        const auto xb = x.begin();
        std::size_t a = lo;
        const std::size_t inner = static_cast<std::size_t>(
            std::lower_bound(xb + static_cast<std::ptrdiff_t>(lo),
                             xb + static_cast<std::ptrdiff_t>(hi), window.xMin) -
            xb);
        emitRange(a, inner, true);  // the neighbour left of the window
        a = inner;
        const double t0 = transform(window.xMin, window.xScale);
        const double t1 = transform(window.xMax, window.xScale);
        for (int c = 1; c <= window.widthPx; ++c) {
            std::size_t b;
            if (c == window.widthPx) {
                b = static_cast<std::size_t>(std::upper_bound(xb + static_cast<std::ptrdiff_t>(a),
                                                              xb + static_cast<std::ptrdiff_t>(hi),
                                                              window.xMax) -
                                             xb);
            } else {
                const double t = t0 + (t1 - t0) * c / window.widthPx;
                const double edge = window.xScale == AxisScale::Log ? std::pow(10.0, t) : t;
                b = static_cast<std::size_t>(std::lower_bound(xb + static_cast<std::ptrdiff_t>(a),
                                                              xb + static_cast<std::ptrdiff_t>(hi),
                                                              edge) -
                                             xb);
            }
            emitRange(a, b, false, true);
            a = b;
        }
        emitRange(a, hi, true);  // the neighbour right of the window
        return out;
    }

    // Unsorted: runs of consecutive points in one pixel column collapse to first/min/max/last;
    // points beyond the edges share the columns -1 and widthPx so off-screen stretches stay
    // cheap.
    const double maxCol = static_cast<double>(window.widthPx);
    std::size_t runStart = lo;
    long runCol = std::numeric_limits<long>::min();
    for (std::size_t i = lo; i < hi; ++i) {
        if (!drawable(i))
            continue;
        const long col = static_cast<long>(std::clamp(std::floor(map.col(x[i])), -1.0, maxCol));
        if (col != runCol) {
            emitRange(runStart, i, true);
            runStart = i;
            runCol = col;
        }
    }
    emitRange(runStart, hi, true);
    return out;
}

std::vector<std::size_t> decimateScatter(const std::vector<double>& x, const std::vector<double>& y,
                                         const DecimationWindow& window, int cellPx,
                                         std::size_t passThrough) {
    std::vector<std::size_t> out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0 || !window.isValid())
        return out;
    cellPx = std::max(1, cellPx);
    const PixelMap map(window);
    // A point exactly on the far edge still counts as visible.
    auto inside = [&](double c, double r) {
        return c >= 0.0 && c <= window.widthPx && r >= 0.0 && r <= window.heightPx;
    };

    std::vector<std::size_t> visible;
    for (std::size_t i = 0; i < n; ++i) {
        if (!isDrawable(x[i], y[i], window.xScale, window.yScale))
            continue;
        if (inside(map.col(x[i]), map.row(y[i])))
            visible.push_back(i);
    }
    if (visible.size() <= passThrough)
        return visible;

    const std::size_t cols = static_cast<std::size_t>(window.widthPx / cellPx + 1);
    const std::size_t rows = static_cast<std::size_t>(window.heightPx / cellPx + 1);
    std::vector<bool> occupied(cols * rows, false);
    for (std::size_t i : visible) {
        const auto c = std::min(cols - 1, static_cast<std::size_t>(map.col(x[i]) / cellPx));
        const auto r = std::min(rows - 1, static_cast<std::size_t>(map.row(y[i]) / cellPx));
        const std::size_t cell = r * cols + c;
        if (!occupied[cell]) {
            occupied[cell] = true;
            out.push_back(i);
        }
    }
    return out;
}

std::vector<std::size_t> simplifyPolyline(const QList<QPointF>& pts, double pxPerX, double pxPerY,
                                          double tolerancePx) {
    const std::size_t n = static_cast<std::size_t>(pts.size());
    std::vector<std::size_t> out;
    if (n <= 2 || !(std::isfinite(pxPerX) && std::isfinite(pxPerY))) {
        out.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            out[i] = i;
        return out;
    }
    std::vector<char> keep(n, 0);
    keep.front() = keep.back() = 1;
    const double tol2 = tolerancePx * tolerancePx;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        if (b - a < 2)
            continue;
        // In pixels, relative to point a (no cancellation on large axis values).
        const QPointF& pa = pts[static_cast<qsizetype>(a)];
        const QPointF& pb = pts[static_cast<qsizetype>(b)];
        const double dx = (pb.x() - pa.x()) * pxPerX, dy = (pb.y() - pa.y()) * pxPerY;
        const double len2 = dx * dx + dy * dy;
        double worst = -1.0;
        std::size_t at = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const QPointF& pi = pts[static_cast<qsizetype>(i)];
            const double px = (pi.x() - pa.x()) * pxPerX, py = (pi.y() - pa.y()) * pxPerY;
            const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
            const double ex = px - t * dx, ey = py - t * dy;
            const double d2 = ex * ex + ey * ey;
            if (d2 > worst) {
                worst = d2;
                at = i;
            }
        }
        if (worst > tol2) {
            keep[at] = 1;
            stack.emplace_back(a, at);
            stack.emplace_back(at, b);
        }
    }
    for (std::size_t i = 0; i < n; ++i)
        if (keep[i])
            out.push_back(i);
    return out;
}

}  // namespace scalelens::ui
