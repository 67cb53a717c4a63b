// Learning-rate schedules as data, for the loss-curve laws (curve_law.h).
//
// A run's schedule is its logged LR curve, a definition (shape, peak, final LR, warm-up, total
// steps, decay start), or both: the logged part plus the planned rest. The laws need the LR at
// every optimiser step 0 .. total-1; materialise() produces that array.
//
//   ScheduleDefinition def;                    // cosine 3e-4 -> 3e-5, 2,160 warm-up, 24,000 steps
//   def.shape = ScheduleShape::Cosine;
//   def.peakLr = 3e-4; def.finalLr = 3e-5; def.warmupSteps = 2160; def.totalSteps = 24000;
//   std::vector<double> lr = def.materialise();   // lr[s] for s = 0 .. 23999
//
// Conventions follow the Multi-Power Law repository (thu-yao-01-luo/MultiPowerLaw,
// src/lr_schedules.py), so its published fits reproduce:
//   warm-up   lr[s] = peak * s / (W - 1) for s < W (numpy linspace(0, peak, W): lr[W-1] = peak);
//   constant  lr[s] = peak;
//   cosine    lr[s] = final + (peak - final) (1 + cos(pi (s - W) / (T - W))) / 2;
//   linear    lr[s] = peak + (final - peak) (s - W) / (T - W);
//   WSD       peak until the decay start D, then geometric peak^((T-s)/(T-D)) final^((s-D)/(T-D))
//             or linear peak + (final - peak) (s - D) / (T - D);
//   two-stage peak until D, then final (e.g. the paper's "wsdcon" runs).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalelens::fit {

enum class ScheduleShape {
    Constant,      // peak after warm-up
    Cosine,        // cosine from peak to final over the steps after warm-up
    Linear,        // linear from peak to final over the steps after warm-up
    WsdGeometric,  // warm-up, stable at peak, geometric decay to final from decayStart
    WsdLinear,     // warm-up, stable at peak, linear decay to final from decayStart
    TwoStage,      // peak until decayStart, then final (a step down)
};

// Stable lower-case names ("constant", "cosine", "linear", "wsd", "wsd-linear", "two-stage"),
// used by the CLI and the project file.
std::string_view toString(ScheduleShape shape);
std::optional<ScheduleShape> scheduleShapeFromString(std::string_view text);

struct ScheduleDefinition {
    ScheduleShape shape = ScheduleShape::Cosine;
    double peakLr = 3e-4;  // LR at the end of warm-up; > 0
    // Cosine/linear/WSD: the LR the decay reaches at step totalSteps (not itself run);
    // two-stage: the LR of the second stage. >= 0 and <= peakLr. Unused for Constant.
    double finalLr = 3e-5;
    long warmupSteps = 0;  // linear warm-up from 0 over steps 0 .. warmupSteps-1; >= 0
    long totalSteps = 0;   // the run's steps 0 .. totalSteps-1; > warmupSteps
    // WSD: first step of the decay; two-stage: first step at finalLr. In [warmupSteps,
    // totalSteps). Unused for the other shapes.
    long decayStart = 0;

    // Names the first bad field, e.g. "totalSteps must be > warmupSteps".
    bool isValid(std::string* error = nullptr) const;
    // LR at one step (0 <= step < totalSteps); the formulas in the file comment.
    double lrAt(long step) const;
    // lr[s] for s = 0 .. totalSteps-1. Empty when the definition is invalid.
    std::vector<double> materialise() const;
    // One-line human description, e.g. "cosine 3e-04 -> 3e-05, warm-up 2160, 24000 steps".
    std::string describe() const;
};

// An LR value logged at one step.
struct LrPoint {
    long step = 0;
    double lr = 0;
};

// A run's schedule: the logged LR curve, the planned definition, or both.
struct Schedule {
    std::vector<LrPoint> logged;                // strictly increasing steps, lr >= 0
    std::optional<ScheduleDefinition> planned;  // the whole run's plan, if known

    // LR at every step 0 .. totalSteps-1 (totalSteps <= 0: the plan's totalSteps, or the last
    // logged step + 1 without a plan). Rules:
    // - a plan that agrees with every logged point (relative difference <= 1e-3 of the peak)
    //   is used for all steps (it is exact at every step, the log only every few steps);
    // - otherwise logged values are interpolated linearly between logged steps, steps before
    //   the first logged step ramp linearly from 0 at step 0 (a warm-up), and the plan (or,
    //   without one, the last logged value) continues after the last logged step.
    // Returns false with a message naming the problem (unsorted steps, negative LR, no data,
    // invalid plan, totalSteps shorter than the log).
    bool materialise(long totalSteps, std::vector<double>* lr, std::string* error = nullptr) const;
};

// Inference of a definition from a logged LR curve.
struct ScheduleInference {
    // Exactly one shape fits the log and the log pins it: a log that is constant after its
    // warm-up and ends before a known total is NOT unambiguous (a decay may follow).
    bool unambiguous = false;
    // totalSteps was given and the log ends more than one logging interval before it: the
    // rest of the run is the definition's extrapolation (stated in the message).
    bool partial = false;
    ScheduleDefinition definition;    // the fitted definition (valid when unambiguous)
    std::vector<ScheduleShape> fits;  // every shape that fits within the tolerance
    std::string message;              // why it is ambiguous, or what was assumed
};

struct ScheduleInferenceOptions {
    // A shape fits when every logged LR is within this fraction of the peak LR of the
    // definition's value. Logged LRs are usually exact doubles or float32 (1e-7 relative);
    // 1e-4 tolerates float32 and printing to 5 significant digits.
    double tolerance = 1e-4;
    // Total steps of the run when known (the log may end before it); 0 = unknown: decays are
    // then assumed to end one step after the last logged step unless the shape pins it.
    long totalSteps = 0;

    bool isValid(std::string* error = nullptr) const;
};

// Infers the shape and its parameters from logged (step, lr) points, when one shape explains
// them. Peak and final LR of cosine, linear and WSD-linear decays are least-squares fits over
// every logged point (warm-up points pin the peak through their slope); a geometric decay's
// final LR is a least-squares fit of log LR. Warm-up: from the slope of logged rising values
// when present (searched over the nearby steps), else it ends at the first logged step at the
// peak (searched below it when that does not fit). The decay start is searched between the
// logged steps: the "roundest" step (most trailing zeros) when it fits, else the best. Without
// options.totalSteps the log is taken to be the whole run (stated in the message); a partial
// log of a linear or geometric decay cannot tell its final LR from its length, so give the
// total for runs in progress.
ScheduleInference inferSchedule(const std::vector<LrPoint>& logged,
                                const ScheduleInferenceOptions& options = {});

}  // namespace scalelens::fit
