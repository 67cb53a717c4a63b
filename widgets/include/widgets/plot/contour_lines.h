// Contour lines of a sampled 2-D field by marching squares, as joined polylines.
//
// Used by the iso-loss view (Chinchilla Figure 4 style): sample L(N, D) on a grid in
// (log10 N, log10 D), then draw each level's polylines as line series.
//
//   ContourGrid g{xs, ys, values};                 // values[j * xs.size() + i] = f(xs[i], ys[j])
//   for (const ContourPolyline& p : contourLines(g, 2.5)) plot(p.x, p.y);
//
// Pure function: no Qt, no state. Each cell's crossing points are interpolated linearly along
// the cell edges; saddle cells are resolved with the mean of the four corners (the usual
// "asymptotic decider" simplification). Cells with a NaN corner produce no segment, so holes
// in the data stay holes instead of drawing spurious lines.
#pragma once

#include <vector>

namespace scalelens::ui {

struct ContourGrid {
    std::vector<double> x;       // nx strictly increasing column coordinates
    std::vector<double> y;       // ny strictly increasing row coordinates
    std::vector<double> values;  // ny * nx samples, row-major: values[j * nx + i] at (x[i], y[j])
};

struct ContourPolyline {
    std::vector<double> x;  // vertex coordinates, in the units of ContourGrid::x
    std::vector<double> y;  // vertex coordinates, in the units of ContourGrid::y
    bool closed = false;    // true when the line returns to its first vertex (last == first)
};

// The polylines where the field crosses `level`. Empty when the grid is malformed
// (sizes disagree, fewer than 2x2 samples) or the level is never crossed.
std::vector<ContourPolyline> contourLines(const ContourGrid& grid, double level);

// `count` levels spread between the finite minimum and maximum of the grid; geometric
// spacing when `geometric` and the minimum is positive (loss surfaces), linear otherwise.
std::vector<double> contourLevels(const ContourGrid& grid, int count, bool geometric);

}  // namespace scalelens::ui
