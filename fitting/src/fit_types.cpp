// Small, non-numeric parts of chinchilla_fit.h: names, grids, validation, lookups.
#include <cmath>

#include "fitting/chinchilla_fit.h"

namespace scalelens::fit {

std::string_view toString(LossKind kind) {
    switch (kind) {
        case LossKind::Huber:
            return "huber";
        case LossKind::Ols:
            return "ols";
        case LossKind::Mle:
            return "mle";
    }
    return "huber";
}

std::optional<LossKind> lossKindFromString(std::string_view text) {
    if (text == "huber")
        return LossKind::Huber;
    if (text == "ols")
        return LossKind::Ols;
    if (text == "mle")
        return LossKind::Mle;
    return std::nullopt;
}

namespace {
std::vector<double> range(double from, double to, double step) {
    std::vector<double> v;
    for (int i = 0; from + i * step <= to + 1e-12; ++i)
        v.push_back(from + i * step);
    return v;
}

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

bool allFinite(const std::vector<double>& v) {
    for (const double x : v)
        if (!std::isfinite(x))
            return false;
    return true;
}
}  // namespace

StartGrid StartGrid::published() {
    StartGrid g;
    g.alpha = range(0.0, 2.0, 0.5);
    g.beta = range(0.0, 2.0, 0.5);
    g.e = range(-1.0, 1.0, 0.5);
    g.a = range(0.0, 25.0, 5.0);
    g.b = range(0.0, 25.0, 5.0);
    return g;
}

StartGrid StartGrid::withDensity(GridDensity density) {
    StartGrid g = published();
    auto every = [](const std::vector<double>& v, std::size_t step) {
        std::vector<double> out;
        for (std::size_t i = 0; i < v.size(); i += step)
            out.push_back(v[i]);
        return out;
    };
    auto refine = [](const std::vector<double>& v) {
        std::vector<double> out;
        for (std::size_t i = 0; i < v.size(); ++i) {
            out.push_back(v[i]);
            if (i + 1 < v.size())
                out.push_back(0.5 * (v[i] + v[i + 1]));
        }
        return out;
    };
    switch (density) {
        case GridDensity::Published:
            break;
        case GridDensity::Coarse:
            g.a = every(g.a, 2);
            g.b = every(g.b, 2);
            g.e = every(g.e, 2);
            g.alpha = every(g.alpha, 2);
            g.beta = every(g.beta, 2);
            break;
        case GridDensity::Fine:
            // Halve the step of the exponents and e only: the a and b axes are already dense
            // enough in the flat valley (laws.md §E), and halving all five costs 20x.
            g.e = refine(g.e);
            g.alpha = refine(g.alpha);
            g.beta = refine(g.beta);
            break;
    }
    return g;
}

StartGrid StartGrid::single(const ChinchillaParams& p) {
    StartGrid g;
    g.a = {std::log(p.A)};
    g.b = {std::log(p.B)};
    g.e = {std::log(p.E)};
    g.alpha = {p.alpha};
    g.beta = {p.beta};
    return g;
}

bool FitOptions::isValid(std::string* error) const {
    if (!std::isfinite(huberDelta) || huberDelta <= 0)
        return fail(error, "huberDelta must be finite and > 0");
    if (grid.size() == 0)
        return fail(error, "grid must have at least one value per parameter");
    if (!allFinite(grid.a) || !allFinite(grid.b) || !allFinite(grid.e) || !allFinite(grid.alpha) ||
        !allFinite(grid.beta))
        return fail(error, "grid values must be finite");
    if (maxIterationsPerStart < 1)
        return fail(error, "maxIterationsPerStart must be >= 1");
    if (!(coarseFunctionTolerance >= 0) || !std::isfinite(coarseFunctionTolerance))
        return fail(error, "coarseFunctionTolerance must be finite and >= 0");
    if (refineCandidates < 1)
        return fail(error, "refineCandidates must be >= 1");
    if (!(functionTolerance >= 0) || !std::isfinite(functionTolerance))
        return fail(error, "functionTolerance must be finite and >= 0");
    if (!(parameterTolerance >= 0) || !std::isfinite(parameterTolerance))
        return fail(error, "parameterTolerance must be finite and >= 0");
    if (threads < 0)
        return fail(error, "threads must be >= 0 (0 = all cores)");
    if (bootstrapResamples < 2)
        return fail(error, "bootstrapResamples must be >= 2");
    if (bootstrapStart == BootstrapStart::Given) {
        std::string why;
        if (!bootstrapStartValues.isValid(&why))
            return fail(error, "bootstrapStartValues: " + why);
    }
    for (const double c : allocationBudgets)
        if (!std::isfinite(c) || c <= 0)
            return fail(error, "allocationBudgets must be finite and > 0");
    return true;
}

const Estimate* FitResult::find(std::string_view name) const {
    for (const auto& e : params)
        if (e.name == name)
            return &e;
    for (const auto& e : derived)
        if (e.name == name)
            return &e;
    return nullptr;
}

double FitResult::value(std::string_view name) const {
    const Estimate* e = find(name);
    return e ? e->value : 0.0;
}

ChinchillaParams FitResult::chinchilla() const {
    return {value("E"), value("A"), value("B"), value("alpha"), value("beta")};
}

}  // namespace scalelens::fit
