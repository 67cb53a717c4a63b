#include "fitting/diagnostics.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace scalelens::fit {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

void add(std::vector<Diagnostic>* out, std::string code, Severity severity, std::string message) {
    out->push_back({std::move(code), severity, std::move(message)});
}

}  // namespace

int countDistinct(std::vector<double> values) {
    return static_cast<int>(std::set<double>(values.begin(), values.end()).size());
}

bool atBound(const ParamCheck& c) {
    if (!std::isfinite(c.value))
        return false;
    return c.value <= c.lower + c.hair || c.value >= c.upper - c.hair;
}

std::vector<Diagnostic> diagnose(const ProblemFacts& f) {
    std::vector<Diagnostic> out;

    for (const ParamCheck& c : f.params) {
        if (!std::isfinite(c.value)) {
            add(&out, "nonfinite_derived", Severity::Unreliable,
                "parameter " + c.name + " is not finite");
            continue;
        }
        if (!atBound(c))
            continue;
        const bool low = c.value <= c.lower + c.hair;
        const double bound = low ? c.lower : c.upper;
        const bool beyond = low ? c.value < c.lower : c.value > c.upper;
        add(&out, "param_at_bound", Severity::Unreliable,
            c.name + " = " + num(c.value) + (beyond ? " is beyond its " : " is at its ") +
                (low ? "lower" : "upper") + " bound " + num(bound) +
                ": the optimum is on the edge of the allowed range, so the law's form does not "
                "fit these data and the standard errors do not apply");
    }

    for (const auto& [name, value] : f.derived) {
        if (!std::isfinite(value))
            add(&out, "nonfinite_derived", Severity::Unreliable,
                "derived quantity " + name +
                    " is not finite (the fitted parameters do not "
                    "define it)");
    }

    if (f.nParams > 0) {
        const int dof = f.nPoints - f.nParams;
        if (f.nPoints < f.nParams + 3)
            add(&out, "few_points", Severity::Unreliable,
                std::to_string(f.nPoints) + " points for " + std::to_string(f.nParams) +
                    " parameters (" + std::to_string(dof) +
                    " residual degrees of freedom, fewer than 3): the fit can pass through "
                    "the noise");
        else if (f.nPoints < 2 * f.nParams)
            add(&out, "few_points", Severity::Warning,
                std::to_string(f.nPoints) + " points for " + std::to_string(f.nParams) +
                    " parameters (fewer than 2 per parameter): estimates are loosely "
                    "determined");
    }

    for (const RegressorCheck& r : f.regressors) {
        if (r.distinct < r.required)
            add(&out, "few_distinct", Severity::Unreliable,
                "only " + std::to_string(r.distinct) + " distinct value" +
                    (r.distinct == 1 ? "" : "s") + " of " + r.name + " (need at least " +
                    std::to_string(r.required) + "): the " + r.name +
                    " dependence is not identified");
    }

    if (f.conditionNumber > 0 || std::isinf(f.conditionNumber)) {
        const double c = f.conditionNumber;
        std::string directions;
        for (const std::string& d : f.weakDirections)
            directions += (directions.empty() ? "" : "; ") + d;
        const std::string tail =
            directions.empty() ? "" : "; poorly identified direction(s): " + directions;
        if (!(c <= 1e10))
            add(&out, "ill_conditioned", Severity::Unreliable,
                "the problem is (near) singular: condition number " + num(c) + tail +
                    ". The data do not determine the parameters separately");
        else if (c > 1e6)
            add(&out, "ill_conditioned", Severity::Warning,
                "ill-conditioned: condition number " + num(c) + tail +
                    ". Covariance standard errors are large and only indicative");
        else if (c > f.conditionLimit)
            add(&out, "ill_conditioned", Severity::Info,
                "condition number " + num(c) + " exceeds " + num(f.conditionLimit) + tail +
                    ". Covariance standard errors are approximate (flagged)");
    }

    if (f.bootstrapRequested > 0) {
        const int failed = f.bootstrapRequested - f.bootstrapUsed;
        const double share = static_cast<double>(failed) / f.bootstrapRequested;
        if (failed > 0) {
            const Severity s = share > 0.5   ? Severity::Unreliable
                               : share > 0.1 ? Severity::Warning
                                             : Severity::Info;
            add(&out, "bootstrap_failed", s,
                std::to_string(failed) + " of " + std::to_string(f.bootstrapRequested) +
                    " bootstrap resamples failed to refit (" + num(100 * share) +
                    "%); the intervals use the rest");
        }
        for (const auto& [e, lower] : f.bootstrapped) {
            if (!e.ci95)
                continue;
            const double lo = e.ci95->lower, hi = e.ci95->upper;
            const double scale = std::max(std::abs(e.value), 1e-300);
            if (hi - lo <= 1e-12 * scale) {
                add(&out, "bootstrap_degenerate", Severity::Warning,
                    "the bootstrap interval of " + e.name + " has zero width [" + num(lo) + ", " +
                        num(hi) +
                        "]: every resample gives the same value, which means it is stuck (at a "
                        "bound), not that it is exact");
            } else if (lower == 0 && e.value > 0 && (lo <= 0 || hi / lo > 100)) {
                add(&out, "bootstrap_exploding", Severity::Warning,
                    "the bootstrap interval of " + e.name + " [" + num(lo) + ", " + num(hi) +
                        "] spans more than two orders of magnitude: " + e.name +
                        " is barely determined by the data");
            }
        }
    }

    if (!f.converged)
        add(&out, "not_converged", Severity::Unreliable,
            "the optimiser stopped at its iteration limit before meeting its tolerances; the "
            "parameters are the best seen, not an optimum");
    return out;
}

void applyDiagnostics(std::vector<Diagnostic> found, FitResultBase* result) {
    for (Diagnostic& d : found)
        result->diagnostics.push_back(std::move(d));
    const bool produced =
        result->status == FitStatus::Converged || result->status == FitStatus::NoConvergence;
    if (produced && result->worstSeverity() == Severity::Unreliable) {
        result->status = FitStatus::Unreliable;
        std::string why;
        for (const Diagnostic& d : result->diagnostics)
            if (d.severity == Severity::Unreliable) {
                why = d.message;
                break;
            }
        result->message = "unreliable: " + why;
    }
}

}  // namespace scalelens::fit
