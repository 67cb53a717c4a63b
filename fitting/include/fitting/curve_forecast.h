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

// What a forecast band accounts for (each part can be switched off to see its share):
// 1. Refits on resampled curves: a moving-block bootstrap of the fitted curves' log-residuals
//    (BootstrapKind::Residuals), blocks as long as the residuals' autocorrelation time, each
//    MPL refit started from one of several (C, beta, gamma): the spread of the parameters the
//    logged part cannot pin down.
// 2. Noise: each bootstrap curve times exp(r), r a centred logged residual (includeNoise).
// 3. LR levels no fitted point has seen: where the plan goes below the lowest LR of the fitted
//    points (relative to each curve's peak), the law's gain from that unseen part of the decay
//    is an extrapolation of its functional form. The band is widened by unseenDecayShare
//    times that gain either way (the whole gain when no fitted point shows any decay), and its
//    lower edge reaches at least the gain a decay of that depth can bring by
//    unseenDecayPriorGain (the fitted gain may be a guess from the start values).
// It assumes the law's form holds to the end and the run goes on as planned.
struct ForecastOptions {
    // The fit (law objective, procedure, bootstrap). bootstrapResamples > 0 gives bands; 16
    // keeps a forecast to seconds on two cores (each resample re-runs the fit).
    CurveFitOptions fit = [] {
        CurveFitOptions o;
        o.bootstrapResamples = 16;
        o.bootstrapKind = BootstrapKind::Residuals;
        o.bootstrapBlockLength = 0;  // from the autocorrelation
        o.bootstrapStarts = {{1.0, 0.5, 0.5}, {2.0, 0.6, 0.6}, {0.5, 0.4, 0.7}, {1.5, 0.7, 0.4}};
        return o;
    }();
    // Share of the predicted gain from never-seen LR levels that the band allows either way
    // (part 3 above), in [0, 1]; 0 = no widening.
    double unseenDecayShare = 0.5;
    // Largest loss drop, as a fraction of the loss, that a decay of the LR by the whole peak
    // can bring (scaled by the unseen depth: the seen floor minus the schedule's lowest LR, as
    // fractions of the peak). The authors' 27 curves drop by 2.1% (25M), 2.8% (100M) and 3.4%
    // (400M) from constant to WSD at 24,000 steps (depth 0.9); 4% leaves some room. 0 = none.
    double unseenDecayPriorGain = 0.04;
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

// status, message and diagnostics are those of the fit on the prefix (FitResultBase); the
// message also says what the band assumes.
struct ForecastResult : FitResultBase {
    CurveFitResult fit;             // the fit on the prefix (+ siblings)
    long lastLoggedStep = 0;        // last step of the target that was fitted
    ScheduleForecast forecast;      // along the target's planned schedule (target.lr)
    std::vector<double> residuals;  // log-residuals of the target's fitted points
    // The lowest LR any fitted point saw after its curve's peak, as a fraction of that peak
    // (1 = no decay seen), and the target's peak LR: where a schedule goes below
    // seenLrFraction * targetPeakLr, the law is extrapolated (widenForUnseenDecay).
    double seenLrFraction = 1;
    double targetPeakLr = 0;
    double unseenDecayShare = 0.5;
    // Largest loss drop, as a fraction of the loss, that a decay of the LR by the whole peak
    // can bring (scaled by the unseen depth: the seen floor minus the schedule's lowest LR, as
    // fractions of the peak). The authors' 27 curves drop by 2.1% (25M), 2.8% (100M) and 3.4%
    // (400M) from constant to WSD at 24,000 steps (depth 0.9); 4% leaves some room. 0 = none.
    double unseenDecayPriorGain = 0.04;  // as in the options (1 when no decay was seen at all)
    // The forecast's gain from unseen LR levels at the final step (0 = none) and the widening
    // applied there (unseenDecayShare times it).
    double unseenDecayGain = 0;
    double unseenDecayWidening = 0;
    double unseenDecayPriorWidening = 0;  // extra lower widening at the end from the prior
    std::string bandAssumes;  // a sentence for the user: what the band does and doesn't cover
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

// Widens f's band beyond `fromStep` by +- result.unseenDecayShare times the gain g the law
// predicts from LR levels below result.seenLrFraction * result.targetPeakLr along `lr` (the
// schedule f was computed for): g = L(lr clamped up to that level) - L(lr); the lower edge by
// at least P - g, P = unseenDecayPriorGain * depth * L (depth: how far below that level the
// schedule goes, as a fraction of the peak). Returns g at f.finalStep; *priorWidening (if
// given) receives the lower edge's extra widening there beyond the share of g (gains below 1e-4
// count as 0). forecastCurve applies it to its own forecast; what-if callers apply it to theirs.
double widenForUnseenDecay(const ForecastResult& result, std::span<const double> lr, long fromStep,
                           ScheduleForecast* f, double* priorWidening = nullptr);

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
