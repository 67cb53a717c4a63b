// The multi-start loop every law except Chinchilla's two-stage screen uses (internal header):
// solve from each start in order and keep the first start that reaches the lowest cost.
#pragma once

#include <cmath>
#include <functional>
#include <vector>

namespace scalelens::fit::detail {

// What one local solve reports. `usable` false (non-finite parameters, solver failure) takes
// the start out of the competition.
struct LocalSolve {
    double cost = HUGE_VAL;
    bool usable = false;
    bool converged = false;
    int iterations = 0;
};

template <class Params>
struct MultiStartBest {
    Params params{};         // end point of the best start (meaningless when !found())
    double cost = HUGE_VAL;  // its cost
    bool converged = false;  // whether that start met a tolerance
    int iterations = 0;      // its iterations
    int total = 0;           // starts run
    int convergedCount = 0;  // starts that met a tolerance
    bool cancelled = false;  // `keepGoing` returned false
    bool found() const { return std::isfinite(cost); }
};

// `solve(Params& x)` refines x in place and returns a LocalSolve. Ties keep the earlier start,
// so the result does not depend on anything but the order of `starts`. `keepGoing(done,
// total)`, when set, is called after each start; returning false stops the loop.
template <class Params, class Solve>
MultiStartBest<Params> bestOfStarts(const std::vector<Params>& starts, Solve&& solve,
                                    const std::function<bool(int, int)>& keepGoing = {}) {
    MultiStartBest<Params> best;
    const int total = static_cast<int>(starts.size());
    for (int i = 0; i < total; ++i) {
        Params x = starts[i];
        const LocalSolve s = solve(x);
        ++best.total;
        best.convergedCount += s.converged ? 1 : 0;
        if (s.usable && s.cost < best.cost) {
            best.cost = s.cost;
            best.params = x;
            best.converged = s.converged;
            best.iterations = s.iterations;
        }
        if (keepGoing && !keepGoing(i + 1, total)) {
            best.cancelled = true;
            break;
        }
    }
    return best;
}

}  // namespace scalelens::fit::detail
