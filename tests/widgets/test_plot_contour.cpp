// Marching squares against analytic fields whose level sets are known exactly.
#include <cmath>

#include "scalelens_catch.h"
#include "widgets/plot/contour_lines.h"

using scalelens::ui::ContourGrid;
using scalelens::ui::contourLevels;
using scalelens::ui::contourLines;

namespace {
ContourGrid sampled(int n, double lo, double hi, double (*f)(double, double)) {
    ContourGrid g;
    for (int i = 0; i < n; ++i) {
        const double t = lo + (hi - lo) * i / (n - 1);
        g.x.push_back(t);
        g.y.push_back(t);
    }
    for (double y : g.y)
        for (double x : g.x)
            g.values.push_back(f(x, y));
    return g;
}
double radius2(double x, double y) {
    return x * x + y * y;
}
}  // namespace

TEST_CASE("marching squares traces a circle at the right radius", "[plot][contour]") {
    // f = x^2 + y^2 on [-2, 2]^2 with h = 0.05: the level r^2 is the circle of radius r.
    // Linear interpolation of a quadratic along an edge is off by at most h^2/(8r) ~ 3e-4
    // radially; 2e-3 leaves room without hiding a wrong edge (which is off by ~h).
    const ContourGrid g = sampled(81, -2.0, 2.0, radius2);
    for (double r : {0.5, 1.0, 1.7}) {
        const auto lines = contourLines(g, r * r);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0].closed);
        CHECK(lines[0].x.size() > 40);
        double worst = 0.0;
        for (std::size_t k = 0; k < lines[0].x.size(); ++k)
            worst = std::max(worst, std::abs(std::hypot(lines[0].x[k], lines[0].y[k]) - r));
        CHECK(worst < 2e-3);
    }
}

TEST_CASE("marching squares: open lines end on the grid boundary", "[plot][contour]") {
    // f = x + y: the level 0 is the anti-diagonal, one open line from corner to corner.
    const ContourGrid g = sampled(21, -1.0, 1.0, [](double x, double y) { return x + y; });
    const auto lines = contourLines(g, 0.1);
    REQUIRE(lines.size() == 1);
    CHECK_FALSE(lines[0].closed);
    for (std::size_t k = 0; k < lines[0].x.size(); ++k)
        CHECK(lines[0].x[k] + lines[0].y[k] == Approx(0.1).margin(1e-12));
    // Both ends on the boundary.
    auto onEdge = [](double x, double y) {
        return std::abs(std::abs(x) - 1.0) < 1e-12 || std::abs(std::abs(y) - 1.0) < 1e-12;
    };
    CHECK(onEdge(lines[0].x.front(), lines[0].y.front()));
    CHECK(onEdge(lines[0].x.back(), lines[0].y.back()));
}

TEST_CASE("marching squares: two separate circles, NaN holes and bad grids", "[plot][contour]") {
    auto twoWells = [](double x, double y) {
        return std::min(std::hypot(x - 1.0, y), std::hypot(x + 1.0, y));
    };
    const ContourGrid g = sampled(121, -3.0, 3.0, twoWells);
    CHECK(contourLines(g, 0.5).size() == 2);  // two loops of radius 0.5
    CHECK(contourLines(g, 1.5).size() == 1);  // one merged loop

    ContourGrid holes = sampled(41, -2.0, 2.0, radius2);
    holes.values[20 * 41 + 30] = NAN;  // on the r = 1 circle at (1, 0)
    const auto broken = contourLines(holes, 1.0);
    REQUIRE(broken.size() == 1);
    CHECK_FALSE(broken[0].closed);  // the hole opens the loop, nothing is drawn across it

    ContourGrid bad = g;
    bad.values.pop_back();
    CHECK(contourLines(bad, 1.0).empty());
    CHECK(contourLines(g, 100.0).empty());  // level never crossed
}

TEST_CASE("contour levels are spread inside the data range", "[plot][contour]") {
    const ContourGrid g = sampled(11, 1.0, 2.0, [](double x, double) { return x; });
    const auto geo = contourLevels(g, 3, true);
    REQUIRE(geo.size() == 3);
    CHECK(geo[1] == Approx(std::sqrt(2.0)));  // geometric midpoint of 1 and 2
    const auto lin = contourLevels(g, 3, false);
    CHECK(lin[1] == Approx(1.5));
    CHECK(contourLevels(g, 0, false).empty());
}
