#include "widgets/plot/contour_lines.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <unordered_map>

namespace scalelens::ui {

namespace {

// A crossing point lies on one grid edge; edge ids let neighbouring cells' segments be
// joined exactly (no floating-point matching). Horizontal edge (i,j)-(i+1,j): 2*(j*nx+i);
// vertical edge (i,j)-(i,j+1): 2*(j*nx+i)+1.
struct Segment {
    long long a;
    long long b;
};

}  // namespace

std::vector<ContourPolyline> contourLines(const ContourGrid& grid, double level) {
    std::vector<ContourPolyline> result;
    const std::size_t nx = grid.x.size();
    const std::size_t ny = grid.y.size();
    if (nx < 2 || ny < 2 || grid.values.size() != nx * ny || !std::isfinite(level))
        return result;

    auto v = [&](std::size_t i, std::size_t j) { return grid.values[j * nx + i]; };
    auto hEdge = [&](std::size_t i, std::size_t j) {
        return 2LL * static_cast<long long>(j * nx + i);
    };
    auto vEdge = [&](std::size_t i, std::size_t j) {
        return 2LL * static_cast<long long>(j * nx + i) + 1;
    };

    std::vector<Segment> segments;
    for (std::size_t j = 0; j + 1 < ny; ++j) {
        for (std::size_t i = 0; i + 1 < nx; ++i) {
            const double v00 = v(i, j), v10 = v(i + 1, j), v11 = v(i + 1, j + 1), v01 = v(i, j + 1);
            if (!std::isfinite(v00) || !std::isfinite(v10) || !std::isfinite(v11) ||
                !std::isfinite(v01))
                continue;
            const int c = (v00 >= level ? 1 : 0) | (v10 >= level ? 2 : 0) | (v11 >= level ? 4 : 0) |
                          (v01 >= level ? 8 : 0);
            const long long e0 = hEdge(i, j);      // bottom: 00-10
            const long long e1 = vEdge(i + 1, j);  // right: 10-11
            const long long e2 = hEdge(i, j + 1);  // top: 01-11
            const long long e3 = vEdge(i, j);      // left: 00-01
            const bool centreHigh = (v00 + v10 + v11 + v01) / 4.0 >= level;
            switch (c) {
                case 0:
                case 15:
                    break;
                case 1:
                case 14:
                    segments.push_back({e3, e0});
                    break;
                case 2:
                case 13:
                    segments.push_back({e0, e1});
                    break;
                case 3:
                case 12:
                    segments.push_back({e3, e1});
                    break;
                case 4:
                case 11:
                    segments.push_back({e1, e2});
                    break;
                case 6:
                case 9:
                    segments.push_back({e0, e2});
                    break;
                case 7:
                case 8:
                    segments.push_back({e3, e2});
                    break;
                case 5:  // 00 and 11 high
                    if (centreHigh) {
                        segments.push_back({e0, e1});
                        segments.push_back({e2, e3});
                    } else {
                        segments.push_back({e3, e0});
                        segments.push_back({e1, e2});
                    }
                    break;
                case 10:  // 10 and 01 high
                    if (centreHigh) {
                        segments.push_back({e3, e0});
                        segments.push_back({e1, e2});
                    } else {
                        segments.push_back({e0, e1});
                        segments.push_back({e2, e3});
                    }
                    break;
                default:
                    break;
            }
        }
    }
    if (segments.empty())
        return result;

    auto edgePoint = [&](long long edge, double* px, double* py) {
        const auto cell = static_cast<std::size_t>(edge / 2);
        const std::size_t i = cell % nx, j = cell / nx;
        const bool vertical = (edge % 2) != 0;
        const std::size_t i2 = vertical ? i : i + 1, j2 = vertical ? j + 1 : j;
        const double a = v(i, j), b = v(i2, j2);
        const double t = (a == b) ? 0.5 : std::clamp((level - a) / (b - a), 0.0, 1.0);
        *px = grid.x[i] + t * (grid.x[i2] - grid.x[i]);
        *py = grid.y[j] + t * (grid.y[j2] - grid.y[j]);
    };

    // Each edge touches at most two segments (the two cells sharing it).
    std::unordered_map<long long, std::vector<std::size_t>> byEdge;
    byEdge.reserve(segments.size() * 2);
    for (std::size_t s = 0; s < segments.size(); ++s) {
        byEdge[segments[s].a].push_back(s);
        byEdge[segments[s].b].push_back(s);
    }
    std::vector<bool> used(segments.size(), false);
    auto nextSegment = [&](long long edge, std::size_t from) -> long long {
        for (std::size_t s : byEdge[edge]) {
            if (s != from && !used[s])
                return static_cast<long long>(s);
        }
        return -1;
    };
    auto walk = [&](std::size_t start, long long fromEdge, std::vector<long long>& chain) {
        // Follows segments starting at `start`, leaving it through the end that is not fromEdge.
        std::size_t s = start;
        long long edge = fromEdge;
        for (;;) {
            used[s] = true;
            const long long other = segments[s].a == edge ? segments[s].b : segments[s].a;
            chain.push_back(other);
            const long long next = nextSegment(other, s);
            if (next < 0)
                return;
            s = static_cast<std::size_t>(next);
            edge = other;
        }
    };

    // Start open chains at edges used by a single segment (the grid boundary or a NaN hole),
    // so each open line comes out whole; what is left afterwards are closed loops.
    auto emit = [&](const std::vector<long long>& chain) {
        ContourPolyline line;
        line.x.resize(chain.size());
        line.y.resize(chain.size());
        for (std::size_t k = 0; k < chain.size(); ++k)
            edgePoint(chain[k], &line.x[k], &line.y[k]);
        line.closed = chain.size() > 2 && chain.front() == chain.back();
        result.push_back(std::move(line));
    };
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t s = 0; s < segments.size(); ++s) {
            if (used[s])
                continue;
            long long startEdge = -1;
            if (pass == 0) {
                if (byEdge[segments[s].a].size() == 1)
                    startEdge = segments[s].a;
                else if (byEdge[segments[s].b].size() == 1)
                    startEdge = segments[s].b;
                else
                    continue;
            } else {
                startEdge = segments[s].a;
            }
            std::vector<long long> chain{startEdge};
            walk(s, startEdge, chain);
            emit(chain);
        }
    }
    return result;
}

std::vector<double> contourLevels(const ContourGrid& grid, int count, bool geometric) {
    std::vector<double> levels;
    double lo = INFINITY, hi = -INFINITY;
    for (double v : grid.values) {
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (count < 1 || !(lo < hi))
        return levels;
    const bool geo = geometric && lo > 0.0;
    for (int k = 1; k <= count; ++k) {
        const double t = static_cast<double>(k) / (count + 1);
        levels.push_back(geo ? lo * std::pow(hi / lo, t) : lo + t * (hi - lo));
    }
    return levels;
}

}  // namespace scalelens::ui
