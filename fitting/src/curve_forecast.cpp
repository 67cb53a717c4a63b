#include "fitting/curve_forecast.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "bootstrap_stats.h"

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

// Steps of a forecast curve: the first step, `points` evenly spaced steps, the last.
std::vector<long> curveSteps(long first, long last, int points) {
    std::vector<long> steps;
    if (last < first)
        return steps;
    for (int i = 0; i < points; ++i) {
        const long s = first + static_cast<long>(std::llround(static_cast<double>(last - first) *
                                                              i / std::max(1, points - 1)));
        if (steps.empty() || s > steps.back())
            steps.push_back(s);
    }
    if (steps.back() != last)
        steps.push_back(last);
    return steps;
}

// Prediction along `lr` at `steps` for one parameter vector; MPL with compressed sums when
// tolerance > 0 (band curves), exact otherwise.
std::vector<double> predictAt(const CurveFitResult& fit, std::span<const double> params,
                              std::span<const double> lr, std::span<const long> steps,
                              double tolerance) {
    if (fit.law == CurveLawId::MultiPower)
        return predictMpl(MplParams::fromArray(params.data()), lr, steps, tolerance);
    return predictLra(LraParams::fromArray(params.data()), lr, steps, fit.lraLambda);
}

}  // namespace

bool ForecastOptions::isValid(std::string* error) const {
    std::string why;
    if (!fit.isValid(&why))
        return fail(error, "fit: " + why);
    if (!(bandLevel > 0 && bandLevel < 1))
        return fail(error, "bandLevel must be in (0, 1)");
    if (curvePoints < 2)
        return fail(error, "curvePoints must be >= 2");
    if (!(unseenDecayShare >= 0 && unseenDecayShare <= 1))
        return fail(error, "unseenDecayShare must be in [0, 1]");
    if (!(unseenDecayPriorGain >= 0 && unseenDecayPriorGain < 1))
        return fail(error, "unseenDecayPriorGain must be in [0, 1)");
    return true;
}

ScheduleForecast forecastSchedule(const CurveFitResult& fit, std::span<const double> lr,
                                  long firstStep, double bandLevel, int curvePoints,
                                  std::span<const double> residuals, BandMethod method) {
    ScheduleForecast out;
    if (lr.empty() || !isUsable(fit.status))
        return out;
    out.finalStep = static_cast<long>(lr.size()) - 1;
    out.steps = curveSteps(std::clamp(firstStep, 1L, out.finalStep), out.finalStep,
                           std::max(2, curvePoints));
    const std::vector<double> values = fit.values();
    out.loss = predictAt(fit, values, lr, out.steps, 0);
    out.finalLoss = out.loss.back();
    out.lower = out.loss;
    out.upper = out.loss;
    out.finalBand = {out.finalLoss, out.finalLoss};
    if (fit.bootstrapSamples.size() < 2)
        return out;
    // Percentiles over bootstrap curves (times a drawn residual for a prediction band).
    const std::size_t n = out.steps.size();
    std::vector<std::vector<double>> atStep(n);
    std::vector<double> finals;
    const std::vector<long> last = {out.finalStep};
    // Residual noise, centred: a systematic misfit of the prefix is not noise and must not
    // shift the band (it is in the point forecast already).
    std::vector<double> noise(residuals.begin(), residuals.end());
    double mean = 0;
    for (double r : noise)
        mean += r;
    if (!noise.empty())
        mean /= static_cast<double>(noise.size());
    for (double& r : noise)
        r -= mean;
    std::mt19937_64 rng(12345);
    for (const std::vector<double>& p : fit.bootstrapSamples) {
        std::vector<double> curve = predictAt(fit, p, lr, out.steps, 0.05);
        double fin = predictAt(fit, p, lr, last, 0)[0];
        double factor = 1;
        if (!noise.empty()) {
            std::uniform_int_distribution<std::size_t> pick(0, noise.size() - 1);
            factor = std::exp(noise[pick(rng)]);
        }
        for (std::size_t i = 0; i < n; ++i)
            if (std::isfinite(curve[i]))
                atStep[i].push_back(curve[i] * factor);
        if (std::isfinite(fin))
            finals.push_back(fin * factor);
    }
    const double qLo = (1 - bandLevel) / 2, qHi = (1 + bandLevel) / 2;
    auto band = [&](std::vector<double>& samples, double point) {
        std::sort(samples.begin(), samples.end());
        const double lo = detail::quantileSorted(samples, qLo);
        const double hi = detail::quantileSorted(samples, qHi);
        Interval b = method == BandMethod::Basic ? Interval{2 * point - hi, 2 * point - lo}
                                                 : Interval{lo, hi};
        b.lower = std::min(b.lower, point);
        b.upper = std::max(b.upper, point);
        return b;
    };
    for (std::size_t i = 0; i < n; ++i) {
        if (atStep[i].size() < 2)
            continue;
        const Interval b = band(atStep[i], out.loss[i]);
        out.lower[i] = b.lower;
        out.upper[i] = b.upper;
    }
    if (finals.size() >= 2)
        out.finalBand = band(finals, out.finalLoss);
    return out;
}

ForecastResult forecastCurve(CurveLawId law, const LossCurve& target,
                             const std::vector<LossCurve>& siblings, const ForecastOptions& options,
                             const ProgressCallback& progress) {
    ForecastResult result;
    std::string why;
    if (!options.isValid(&why)) {
        result.status = FitStatus::Failed;
        result.message = "invalid options: " + why;
        return result;
    }
    if (!validateLossCurve(target, &why)) {
        result.status = FitStatus::Failed;
        result.message = why;
        return result;
    }
    std::vector<LossCurve> curves = {target};
    curves.insert(curves.end(), siblings.begin(), siblings.end());
    result.fit = fitCurveLaw(law, curves, options.fit, progress);
    if (!isUsable(result.fit.status)) {
        result.status = result.fit.status;
        result.message = result.fit.message;
        return result;
    }
    result.lastLoggedStep = target.steps.back();
    const std::vector<double> values = result.fit.values();
    const std::vector<double> fitted =
        predictCurveLaw(law, values, target.lr, target.steps, options.fit.lraLambda);
    for (std::size_t i = 0; i < fitted.size(); ++i)
        result.residuals.push_back(std::log(target.loss[i]) - std::log(fitted[i]));
    result.forecast = forecastSchedule(
        result.fit, target.lr, target.steps.front(), options.bandLevel, options.curvePoints,
        options.includeNoise ? std::span<const double>(result.residuals)
                             : std::span<const double>(),
        options.bandMethod);
    result.forecast.label = target.name;
    result.status = result.fit.status;
    result.message = result.fit.message;
    result.diagnostics = result.fit.diagnostics;
    // The LR levels the fitted points saw, relative to each curve's peak (after it).
    double seen = 1;
    for (const LossCurve& c : curves) {
        const auto peakAt = std::max_element(c.lr.begin(), c.lr.end());
        const double peak = *peakAt;
        const long peakStep = static_cast<long>(peakAt - c.lr.begin());
        if (!(peak > 0))
            continue;
        for (long s : c.steps)
            if (s >= peakStep)
                seen = std::min(seen, c.lr[static_cast<std::size_t>(s)] / peak);
    }
    result.seenLrFraction = seen;
    result.targetPeakLr = *std::max_element(target.lr.begin(), target.lr.end());
    const bool noDecaySeen = seen > 1 - 1e-9;
    result.unseenDecayShare =
        noDecaySeen && options.unseenDecayShare > 0 ? 1.0 : options.unseenDecayShare;
    result.unseenDecayPriorGain = options.unseenDecayPriorGain;
    result.unseenDecayGain =
        widenForUnseenDecay(result, target.lr, result.lastLoggedStep, &result.forecast,
                            &result.unseenDecayPriorWidening);
    result.unseenDecayWidening = result.unseenDecayShare * result.unseenDecayGain;
    // What the band stands for.
    char buf[400];
    const int block = result.fit.blockLengths.empty() ? 0 : result.fit.blockLengths.front();
    if (result.fit.bootstrapResamples > 1)
        std::snprintf(
            buf, sizeof buf,
            "the %.0f%% band assumes the law holds to the end; it spans %d refits on "
            "resampled %s (blocks of %d point%s%s)%s",
            100 * options.bandLevel, result.fit.bootstrapResamples,
            options.fit.bootstrapKind == BootstrapKind::Residuals ? "residuals" : "points", block,
            block == 1 ? "" : "s",
            options.fit.bootstrapBlockLength == 0 ? ", from their autocorrelation" : "",
            options.includeNoise ? " and the logged noise" : "");
    else
        std::snprintf(buf, sizeof buf, "no bootstrap: the band is the point forecast");
    result.bandAssumes = buf;
    if (result.unseenDecayGain > 0 || result.unseenDecayPriorWidening > 0) {
        const double lastLr = target.lr[static_cast<std::size_t>(result.lastLoggedStep)];
        const double endLr = target.lr.back();
        std::snprintf(
            buf, sizeof buf,
            "; %s, so the annealing term is extrapolated: %.4f of the predicted drop comes "
            "from LR levels never fitted, and the band is widened by +-%.4f (%.0f%% of it)",
            noDecaySeen ? "the logged part has no LR decay"
                        : (endLr < lastLr ? "the plan decays the LR below any fitted point"
                                          : "the schedule goes below any fitted LR"),
            result.unseenDecayGain, result.unseenDecayWidening, 100 * result.unseenDecayShare);
        result.bandAssumes += buf;
        if (result.unseenDecayPriorWidening > 0) {
            std::snprintf(buf, sizeof buf,
                          ", its lower edge by %.4f more (a full decay may lower the loss by up "
                          "to %.0f%%)",
                          result.unseenDecayPriorWidening, 100 * result.unseenDecayPriorGain);
            result.bandAssumes += buf;
        }
    }
    if (result.fit.bootstrapResamples > 1 || result.unseenDecayGain > 0 ||
        result.unseenDecayPriorWidening > 0)
        result.message += "; " + result.bandAssumes;
    if (noDecaySeen &&
        target.lr.back() < target.lr[static_cast<std::size_t>(result.lastLoggedStep)])
        result.message += "; add a finished sibling run that decays to identify the annealing term";
    return result;
}

double widenForUnseenDecay(const ForecastResult& result, std::span<const double> lr, long fromStep,
                           ScheduleForecast* f, double* priorWidening) {
    if (priorWidening)
        *priorWidening = 0;
    if (!f || f->steps.empty() || lr.empty() || !isUsable(result.fit.status))
        return 0;
    const double floor = result.seenLrFraction * result.targetPeakLr;
    std::vector<double> clamped(lr.begin(), lr.end());
    bool below = false;
    for (std::size_t s = static_cast<std::size_t>(std::max(0L, fromStep + 1)); s < clamped.size();
         ++s)
        if (clamped[s] < floor * (1 - 1e-9)) {
            clamped[s] = floor;
            below = true;
        }
    if (!below)
        return 0;
    // Gains below kNegligibleGain (loss units) are rounding of a schedule that ends a few
    // steps short of its final LR; they neither widen the band nor earn a warning.
    constexpr double kNegligibleGain = 1e-4;
    const std::vector<double> values = result.fit.values();
    const std::vector<double> held = predictAt(result.fit, values, clamped, f->steps, 0);
    // Unseen depth up to each curve step: the deepest the schedule went below the floor.
    std::vector<double> depth(f->steps.size(), 0.0);
    {
        double deepest = 0;
        std::size_t s = static_cast<std::size_t>(std::max(0L, fromStep + 1));
        for (std::size_t i = 0; i < f->steps.size(); ++i) {
            for (; s < lr.size() && static_cast<long>(s) <= f->steps[i]; ++s)
                deepest = std::max(deepest, (floor - lr[s]) / result.targetPeakLr);
            depth[i] = deepest;
        }
    }
    double gainAtEnd = 0, priorAtEnd = 0;
    for (std::size_t i = 0; i < f->steps.size(); ++i) {
        if (f->steps[i] <= fromStep || !std::isfinite(held[i]))
            continue;
        double gain = std::max(0.0, held[i] - f->loss[i]);
        if (gain < kNegligibleGain)
            gain = 0;
        const double widen = result.unseenDecayShare * gain;
        const double prior = result.unseenDecayPriorGain * depth[i] * f->loss[i];
        const double extra =
            gain > 0 || prior > kNegligibleGain ? std::max(0.0, prior - gain - widen) : 0.0;
        f->lower[i] -= widen + extra;
        f->upper[i] += widen;
        if (f->steps[i] == f->finalStep) {
            gainAtEnd = gain;
            priorAtEnd = extra;
        }
    }
    f->finalBand.lower -= result.unseenDecayShare * gainAtEnd + priorAtEnd;
    f->finalBand.upper += result.unseenDecayShare * gainAtEnd;
    if (priorWidening)
        *priorWidening = priorAtEnd;
    return gainAtEnd;
}

FamilySearchResult searchWsdCooldown(const CurveFitResult& fit, const ScheduleDefinition& wsd,
                                     const std::vector<double>& fractions) {
    FamilySearchResult out;
    out.fractions = fractions;
    if (!isUsable(fit.status)) {
        out.status = FitStatus::Failed;
        out.message = "the fit is not usable";
        return out;
    }
    if (wsd.shape != ScheduleShape::WsdGeometric && wsd.shape != ScheduleShape::WsdLinear) {
        out.status = FitStatus::Failed;
        out.message = "the family template must be a WSD schedule";
        return out;
    }
    const std::vector<double> values = fit.values();
    bool any = false;
    for (double f : fractions) {
        ScheduleDefinition d = wsd;
        const long cooldown =
            static_cast<long>(std::llround(f * static_cast<double>(wsd.totalSteps)));
        d.decayStart = wsd.totalSteps - cooldown;
        std::string why;
        if (!(f > 0 && f <= 1) || !d.isValid(&why)) {
            out.status = FitStatus::Failed;
            out.message = "cooldown fraction " + std::to_string(f) +
                          " gives an invalid schedule: " + (why.empty() ? "not in (0, 1]" : why);
            return out;
        }
        const std::vector<double> lr = d.materialise();
        const std::vector<long> last = {d.totalSteps - 1};
        const double L = predictAt(fit, values, lr, last, 0)[0];
        out.finalLoss.push_back(L);
        if (std::isfinite(L) && (!any || L < out.bestFinalLoss)) {
            any = true;
            out.bestFinalLoss = L;
            out.bestFraction = f;
            out.best = d;
        }
    }
    out.status = any ? FitStatus::Converged : FitStatus::Failed;
    out.message = any ? "best cooldown fraction " + std::to_string(out.bestFraction)
                      : "no fraction gave a finite prediction";
    return out;
}

}  // namespace scalelens::fit
