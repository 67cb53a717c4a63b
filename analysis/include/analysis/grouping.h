// Grouping values that are "the same" in a real sweep: compute budgets for IsoFLOP profiles and
// (N, D) pairs for an LR x batch sweep. Logged budgets are rarely equal to the last digit (6ND
// with the real token count, a run stopped a few steps early), so values are matched with a
// tolerance.
//
// Default (documented in the CLI help and the README): values within 5 % of each other are one
// group. Sorted ascending, a value joins the group of the value before it when it is at most
// (1 + tolerance) times that value (so a budget logged 3 % above and 3 % below its plan is one
// group); the group's value is the geometric mean of its members (a group of equal values keeps
// that value exactly). With
// binsPerDecade > 0 values are put into log bins instead: bin k holds values v with
// round(B log10 v) = k.
//
//   analysis::Grouping g;                        // 5 %
//   analysis::Groups budgets = analysis::groupValues(computes, g);
//   budgets.index[i]    // group of value i;   budgets.centre[k]   // value of group k
#pragma once

#include <string>
#include <vector>

namespace scalelens::analysis {

struct Grouping {
    double tolerance = 0.05;   // relative; values within 5 % are one group
    double binsPerDecade = 0;  // > 0: log bins per decade instead of the tolerance
    // False naming the option (--budget-tolerance / --bin-per-decade) when out of range.
    bool isValid(std::string* error) const;
    // "within 5%" / "4 bins per decade", for reports.
    std::string describe() const;
};

struct Groups {
    std::vector<int> index;      // per value: its group (-1 for a value that is not > 0)
    std::vector<double> centre;  // per group: geometric mean of its members, ascending
    std::vector<int> size;       // per group: number of members
};

Groups groupValues(const std::vector<double>& values, const Grouping& grouping);

}  // namespace scalelens::analysis
