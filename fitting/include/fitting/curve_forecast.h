// Forecasting a run's loss curve from its logged prefix and its planned LR schedule, what-if
// predictions under other schedules, and the best schedule of a family (curve_law.h laws).
//
//   LossCurve run;                       // logged (step, loss) so far; run.lr = the PLANNED LR
//   run.lr = plan.materialise();         // at every step of the whole run (Schedule/definition)
//   ForecastOptions opt;                 // official MPL procedure, 16 bootstrap resamples
//   ForecastResult f = forecastCurve(CurveLawId::MultiPower, run, siblings, opt);
//   // f.finalLoss at f.finalStep, band f.finalBand, curve f.steps/f.loss/f.lower/f.upper
//
//   // What if the same run had used WSD with a 20% cooldown?
//   ScheduleForecast w = forecastSchedule(f.fit, wsd20, opt.bandLevel);
//   // Best WSD cooldown fraction for this fitted law:
//   FamilySearchResult best = searchWsdCooldown(f.fit, wsdTemplate, {0.05, 0.1, ..., 0.5});
//
// A constant-LR prefix alone cannot identify the decay terms (laws.md G.3): pass finished
// sibling runs of the same set-up that decay, or the forecast of a decay is a guess (the
// result's message says so).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fitting/curve_fit.h"
#include "fitting/lr_schedule.h"

namespace scalelens::fit {

// How bootstrap predictions become a band (Davison & Hinkley 1997, §5.2-5.3).
enum class BandMethod {
    // Basic bootstrap: [2 L^ - q_hi, 2 L^ - q_lo]. Corrects for the fitting procedure's own
    // shift: the official MPL procedure stops early, so refits on resamples land on one side
    // of the point forecast and percentile bands then sit beside it rather than around it.
    Basic,
    Percentile,  // [q_lo, q_hi] of the bootstrap predictions
};

struct ForecastOptions {
    // The fit (law objective, procedure, bootstrap). bootstrapResamples > 0 gives bands; 16
    // keeps a forecast to seconds on two cores (each resample re-runs the fit).
    CurveFitOptions fit = [] {
        CurveFitOptions o;
        o.bootstrapResamples = 16;
        return o;
    }();
    // Central probability of the band (percentiles (1-level)/2 and (1+level)/2), in (0, 1).
    double bandLevel = 0.9;
    // The band is a prediction band for a logged loss: each bootstrap curve is multiplied by
    // exp(r) with r drawn from the target's fitted log-residuals, centred on their mean.
    // false = parameter band only.
    bool includeNoise = true;
    BandMethod bandMethod = BandMethod::Basic;
    // Points of the forecast curve between the first logged step and the end (the end and the
    // logged steps are always included); >= 2.
    int curvePoints = 200;

    bool isValid(std::string* error = nullptr) const;
};

// The law evaluated along one schedule, with a band.
struct ScheduleForecast {
    std::string label;          // e.g. the schedule's describe()
    long finalStep = 0;         // last step of the schedule (totalSteps - 1)
    double finalLoss = 0;       // exact point forecast at finalStep
    Interval finalBand;         // band at finalStep (equal to finalLoss without bootstrap)
    std::vector<long> steps;    // curve for plots
    std::vector<double> loss;   // exact
    std::vector<double> lower;  // band (compressed sums, < 2e-5 off)
    std::vector<double> upper;
};

// status, message and diagnostics are those of the fit on the prefix (FitResultBase).
struct ForecastResult : FitResultBase {
    CurveFitResult fit;             // the fit on the prefix (+ siblings)
    long lastLoggedStep = 0;        // last step of the target that was fitted
    ScheduleForecast forecast;      // along the target's planned schedule (target.lr)
    std::vector<double> residuals;  // log-residuals of the target's fitted points
};

// Fits `law` to the target's logged points plus `siblings` (finished curves of the same
// set-up, may be empty), then evaluates it along target.lr to its last step. Never throws.
ForecastResult forecastCurve(CurveLawId law, const LossCurve& target,
                             const std::vector<LossCurve>& siblings, const ForecastOptions& options,
                             const ProgressCallback& progress = {});

// The fitted law along another schedule (what-if); the band comes from fit.bootstrapSamples.
// `residuals` (log space) widen the band as in ForecastOptions::includeNoise when non-empty.
ScheduleForecast forecastSchedule(const CurveFitResult& fit, std::span<const double> lr,
                                  long firstStep, double bandLevel, int curvePoints = 200,
                                  std::span<const double> residuals = {},
                                  BandMethod method = BandMethod::Basic);

// Best of a family: WSD (wsd.shape WsdGeometric or WsdLinear; peak, final, warm-up, total
// taken from it) with the cooldown fraction f, i.e. decay start = total - round(f total).
struct FamilySearchResult : FitResultBase {
    std::vector<double> fractions;  // as given
    std::vector<double> finalLoss;  // predicted final loss per fraction
    double bestFraction = 0;
    double bestFinalLoss = 0;
    ScheduleDefinition best;
};
FamilySearchResult searchWsdCooldown(const CurveFitResult& fit, const ScheduleDefinition& wsd,
                                     const std::vector<double>& fractions);

}  // namespace scalelens::fit
