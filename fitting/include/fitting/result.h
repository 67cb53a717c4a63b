// The result vocabulary every fitter in fitting/ shares: one Estimate for "a value with its
// uncertainty", one Diagnostic for "why this result may not be trusted", and one base
// (status, message, diagnostics, timing) that every result struct derives from.
//
// Modelled on ceres::Solver::Summary (a result starts as NotRun with a message saying so) and
// on PlotJuggler's CsvParseWarning list (typed warnings gathered in the result, shown by the
// layers above).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fitting/status.h"

namespace scalelens::fit {

struct Interval {
    double lower = 0;
    double upper = 0;
};

// Facts about one estimate that a reader must see beside its number.
enum EstimateFlag : unsigned {
    kEstimateAtBound = 1u << 0,         // at (or within a hair of) a bound of the fit
    kEstimateNotIdentified = 1u << 1,   // lies on a direction the data do not determine
    kEstimateIllConditioned = 1u << 2,  // its covariance SE comes from an ill-conditioned Hessian
};

// One reported quantity (a parameter, a regression coefficient or a derived value).
struct Estimate {
    std::string name;                   // "E", "A", "alpha", "a", "G", "N_opt@1e+21", "coefN"
    double value = 0;                   // point estimate (never NaN in a usable result)
    std::optional<double> stdError;     // bootstrap standard deviation (sample SD, n-1)
    std::optional<Interval> ci95;       // bootstrap percentile interval (or t interval)
    std::optional<double> covStdError;  // from the covariance at the optimum (delta method)
    unsigned flags = 0;                 // EstimateFlag bits

    bool has(EstimateFlag flag) const { return (flags & flag) != 0; }
    // For tables that print 0 for "not computed" (the regression-coefficient outputs): the
    // bootstrap SD and interval bounds, 0 when absent. Test has_value() where 0 could mislead.
    double sd() const { return stdError.value_or(0.0); }
    double ciLow() const { return ci95 ? ci95->lower : 0.0; }
    double ciHigh() const { return ci95 ? ci95->upper : 0.0; }
};

// How much a diagnostic undermines the result.
enum class Severity {
    Info,        // worth knowing; the result stands
    Warning,     // the result is usable but a number is shaky (see the message)
    Unreliable,  // the result must not be used as is; the status becomes Unreliable
};

// Stable lower-case names used in JSON: "info", "warning", "unreliable".
std::string_view toString(Severity severity);
std::optional<Severity> severityFromString(std::string_view text);

// One finding about a fit, computed in fitting/diagnostics.cpp.
struct Diagnostic {
    std::string code;  // stable key, e.g. "param_at_bound", "few_points" (see diagnostics.h)
    Severity severity = Severity::Info;
    std::string message;  // one sentence naming the parameter, the numbers and the consequence
};

// Shared head of every result struct.
struct FitResultBase {
    FitStatus status = FitStatus::NotRun;
    std::string message = "the fit was not run";
    std::vector<Diagnostic> diagnostics;  // in the order found; empty for a clean fit
    double seconds = 0;                   // wall time of the whole call

    // Info when there are no diagnostics.
    Severity worstSeverity() const;
    const Diagnostic* findDiagnostic(std::string_view code) const;
};

}  // namespace scalelens::fit
