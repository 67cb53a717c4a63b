#include "analysis/grouping.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

namespace scalelens::analysis {

bool Grouping::isValid(std::string* error) const {
    if (!(tolerance >= 0.0 && tolerance < 1.0)) {
        if (error)
            *error =
                "option --budget-tolerance: must be at least 0 and below 1 (a fraction, "
                "0.05 = 5%)";
        return false;
    }
    if (!(binsPerDecade >= 0.0) || !std::isfinite(binsPerDecade)) {
        if (error)
            *error = "option --bin-per-decade: must be a positive number";
        return false;
    }
    return true;
}

std::string Grouping::describe() const {
    char text[64];
    if (binsPerDecade > 0)
        std::snprintf(text, sizeof text, "%g bins per decade", binsPerDecade);
    else
        std::snprintf(text, sizeof text, "within %g%%", tolerance * 100.0);
    return text;
}

Groups groupValues(const std::vector<double>& values, const Grouping& g) {
    Groups out;
    out.index.assign(values.size(), -1);
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] > 0 && std::isfinite(values[i]))
            order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<std::vector<std::size_t>> members;
    if (g.binsPerDecade > 0) {
        std::map<long long, std::vector<std::size_t>> bins;
        for (std::size_t i : order)
            bins[std::llround(g.binsPerDecade * std::log10(values[i]))].push_back(i);
        for (auto& [bin, m] : bins)
            members.push_back(std::move(m));
    } else {
        for (std::size_t i : order) {
            if (members.empty() || values[i] > values[members.back().back()] * (1.0 + g.tolerance))
                members.emplace_back();
            members.back().push_back(i);
        }
    }
    for (const auto& m : members) {
        double logSum = 0.0;
        bool allEqual = true;
        for (std::size_t i : m) {
            out.index[i] = static_cast<int>(out.centre.size());
            logSum += std::log(values[i]);
            allEqual = allEqual && values[i] == values[m.front()];
        }
        // Equal members keep their exact value (no rounding through log/exp).
        out.centre.push_back(allEqual ? values[m.front()]
                                      : std::exp(logSum / static_cast<double>(m.size())));
        out.size.push_back(static_cast<int>(m.size()));
    }
    return out;
}

}  // namespace scalelens::analysis
