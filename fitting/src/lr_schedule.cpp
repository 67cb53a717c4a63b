#include "fitting/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

constexpr double kPi = 3.14159265358979323846;

}  // namespace

std::string_view toString(ScheduleShape shape) {
    switch (shape) {
        case ScheduleShape::Constant:
            return "constant";
        case ScheduleShape::Cosine:
            return "cosine";
        case ScheduleShape::Linear:
            return "linear";
        case ScheduleShape::WsdGeometric:
            return "wsd";
        case ScheduleShape::WsdLinear:
            return "wsd-linear";
        case ScheduleShape::TwoStage:
            return "two-stage";
    }
    return "constant";
}

std::optional<ScheduleShape> scheduleShapeFromString(std::string_view text) {
    for (ScheduleShape s :
         {ScheduleShape::Constant, ScheduleShape::Cosine, ScheduleShape::Linear,
          ScheduleShape::WsdGeometric, ScheduleShape::WsdLinear, ScheduleShape::TwoStage})
        if (toString(s) == text)
            return s;
    return std::nullopt;
}

bool ScheduleDefinition::isValid(std::string* error) const {
    if (!std::isfinite(peakLr) || peakLr <= 0)
        return fail(error, "peakLr must be finite and > 0");
    if (shape != ScheduleShape::Constant && (!std::isfinite(finalLr) || finalLr < 0))
        return fail(error, "finalLr must be finite and >= 0");
    if (shape != ScheduleShape::Constant && finalLr > peakLr)
        return fail(error, "finalLr must be <= peakLr");
    if (shape == ScheduleShape::WsdGeometric && finalLr <= 0)
        return fail(error, "finalLr must be > 0 for a geometric (WSD) decay");
    if (warmupSteps < 0)
        return fail(error, "warmupSteps must be >= 0");
    if (totalSteps <= warmupSteps)
        return fail(error, "totalSteps must be > warmupSteps");
    const bool usesDecayStart = shape == ScheduleShape::WsdGeometric ||
                                shape == ScheduleShape::WsdLinear ||
                                shape == ScheduleShape::TwoStage;
    if (usesDecayStart && (decayStart < warmupSteps || decayStart >= totalSteps))
        return fail(error, "decayStart must be in [warmupSteps, totalSteps)");
    return true;
}

double ScheduleDefinition::lrAt(long s) const {
    const long W = warmupSteps, T = totalSteps, D = decayStart;
    if (s < W)
        return W > 1 ? peakLr * static_cast<double>(s) / static_cast<double>(W - 1) : 0.0;
    switch (shape) {
        case ScheduleShape::Constant:
            return peakLr;
        case ScheduleShape::Cosine:
            return finalLr + 0.5 * (peakLr - finalLr) *
                                 (1.0 + std::cos(kPi * static_cast<double>(s - W) /
                                                 static_cast<double>(T - W)));
        case ScheduleShape::Linear:
            return peakLr +
                   (finalLr - peakLr) * static_cast<double>(s - W) / static_cast<double>(T - W);
        case ScheduleShape::WsdGeometric: {
            if (s < D)
                return peakLr;
            const double u = static_cast<double>(s - D) / static_cast<double>(T - D);
            return std::pow(peakLr, 1.0 - u) * std::pow(finalLr, u);
        }
        case ScheduleShape::WsdLinear: {
            if (s < D)
                return peakLr;
            const double u = static_cast<double>(s - D) / static_cast<double>(T - D);
            return peakLr * (1.0 - u) + finalLr * u;
        }
        case ScheduleShape::TwoStage:
            return s < D ? peakLr : finalLr;
    }
    return peakLr;
}

std::vector<double> ScheduleDefinition::materialise() const {
    if (!isValid())
        return {};
    std::vector<double> lr(static_cast<std::size_t>(totalSteps));
    for (long s = 0; s < totalSteps; ++s)
        lr[static_cast<std::size_t>(s)] = lrAt(s);
    return lr;
}

std::string ScheduleDefinition::describe() const {
    char buf[256];
    switch (shape) {
        case ScheduleShape::Constant:
            std::snprintf(buf, sizeof buf, "constant %.3g, warm-up %ld, %ld steps", peakLr,
                          warmupSteps, totalSteps);
            break;
        case ScheduleShape::Cosine:
        case ScheduleShape::Linear:
            std::snprintf(buf, sizeof buf, "%s %.3g -> %.3g, warm-up %ld, %ld steps",
                          std::string(toString(shape)).c_str(), peakLr, finalLr, warmupSteps,
                          totalSteps);
            break;
        case ScheduleShape::WsdGeometric:
        case ScheduleShape::WsdLinear:
        case ScheduleShape::TwoStage:
            std::snprintf(buf, sizeof buf, "%s %.3g -> %.3g from step %ld, warm-up %ld, %ld steps",
                          std::string(toString(shape)).c_str(), peakLr, finalLr, decayStart,
                          warmupSteps, totalSteps);
            break;
    }
    return buf;
}

bool Schedule::materialise(long totalSteps, std::vector<double>* lr, std::string* error) const {
    if (planned) {
        std::string why;
        if (!planned->isValid(&why))
            return fail(error, "planned schedule: " + why);
    }
    for (std::size_t i = 0; i < logged.size(); ++i) {
        const LrPoint& p = logged[i];
        const std::string where =
            "logged LR point " + std::to_string(i + 1) + " (step " + std::to_string(p.step) + "): ";
        if (p.step < 0)
            return fail(error, where + "step must be >= 0");
        if (!std::isfinite(p.lr) || p.lr < 0)
            return fail(error, where + "LR must be finite and >= 0");
        if (i > 0 && p.step <= logged[i - 1].step)
            return fail(error, where + "steps must be strictly increasing");
    }
    if (logged.empty() && !planned)
        return fail(error, "the schedule has neither a logged LR curve nor a definition");
    long total = totalSteps;
    if (total <= 0)
        total = planned ? planned->totalSteps : logged.back().step + 1;
    if (!logged.empty() && logged.back().step >= total)
        return fail(error, "totalSteps (" + std::to_string(total) +
                               ") must be beyond the last logged step (" +
                               std::to_string(logged.back().step) + ")");
    lr->assign(static_cast<std::size_t>(total), 0.0);
    if (planned) {
        bool agrees = true;
        for (const LrPoint& p : logged)
            if (p.step >= planned->totalSteps ||
                std::abs(planned->lrAt(p.step) - p.lr) > 1e-3 * planned->peakLr) {
                agrees = false;
                break;
            }
        if (agrees) {
            for (long s = 0; s < total; ++s)
                (*lr)[static_cast<std::size_t>(s)] = s < planned->totalSteps
                                                         ? planned->lrAt(s)
                                                         : planned->lrAt(planned->totalSteps - 1);
            return true;
        }
    }
    // Logged part, interpolated; a ramp from 0 before the first logged step.
    const long first = logged.front().step, last = logged.back().step;
    for (long s = 0; s < first; ++s)
        (*lr)[static_cast<std::size_t>(s)] =
            logged.front().lr * static_cast<double>(s) / static_cast<double>(first);
    for (std::size_t i = 0; i + 1 < logged.size(); ++i) {
        const LrPoint& a = logged[i];
        const LrPoint& b = logged[i + 1];
        for (long s = a.step; s < b.step; ++s)
            (*lr)[static_cast<std::size_t>(s)] = a.lr + (b.lr - a.lr) *
                                                            static_cast<double>(s - a.step) /
                                                            static_cast<double>(b.step - a.step);
    }
    for (long s = last; s < total; ++s) {
        double v = logged.back().lr;
        if (s > last && planned)
            v = planned->lrAt(std::min(s, planned->totalSteps - 1));
        (*lr)[static_cast<std::size_t>(s)] = v;
    }
    return true;
}

bool ScheduleInferenceOptions::isValid(std::string* error) const {
    if (!std::isfinite(tolerance) || tolerance <= 0)
        return fail(error, "tolerance must be finite and > 0");
    if (totalSteps < 0)
        return fail(error, "totalSteps must be >= 0");
    return true;
}

namespace {

// The step in (lo, hi] with the most trailing decimal zeros (the smallest such on ties).
long roundestIn(long lo, long hi) {
    if (hi <= lo)
        return hi;
    for (long p = 1000000000L; p >= 1; p /= 10) {
        const long c = ((lo / p) + 1) * p;
        if (c <= hi)
            return c;
    }
    return hi;
}

// Largest |definition - logged| over the logged points, relative to the definition's peak.
double maxDeviation(const std::vector<LrPoint>& logged, const ScheduleDefinition& d) {
    if (!d.isValid())
        return HUGE_VAL;
    double worst = 0;
    for (const LrPoint& p : logged) {
        if (p.step >= d.totalSteps)
            return HUGE_VAL;
        worst = std::max(worst, std::abs(d.lrAt(p.step) - p.lr));
    }
    return worst / d.peakLr;
}

// Cosine, linear and WSD-linear are linear in (peak, final) for a fixed warm-up, total and
// decay start: lr(s) = a(s) peak + b(s) final. Least squares over every logged point (warm-up
// points included: they pin the peak through their slope). Final is clamped to [0, peak].
void fitPeakFinal(const std::vector<LrPoint>& pts, ScheduleDefinition* d) {
    double saa = 0, sab = 0, sbb = 0, say = 0, sby = 0;
    for (const LrPoint& p : pts) {
        ScheduleDefinition unitPeak = *d, unitFinal = *d;
        unitPeak.peakLr = 1;
        unitPeak.finalLr = 0;
        const double a = unitPeak.lrAt(p.step);
        // b(s) = lr with peak 0, final 1; computed as lr(peak 1, final 1) - a(s) (linear forms).
        unitFinal.peakLr = 1;
        unitFinal.finalLr = 1;
        const double b = unitFinal.lrAt(p.step) - a;
        saa += a * a;
        sab += a * b;
        sbb += b * b;
        say += a * p.lr;
        sby += b * p.lr;
    }
    const double det = saa * sbb - sab * sab;
    if (det > 1e-12 * saa * sbb && det > 0) {
        d->peakLr = (say * sbb - sby * sab) / det;
        d->finalLr = (saa * sby - sab * say) / det;
    } else if (saa > 0) {
        d->peakLr = say / saa;
    }
    d->finalLr = std::clamp(d->finalLr, 0.0, std::max(d->peakLr, 0.0));
}

// Geometric WSD decay: log lr linear in u = (s - D)/(T - D) between log peak and log final.
void fitGeometricFinal(const std::vector<LrPoint>& pts, ScheduleDefinition* d) {
    double num = 0, den = 0;
    for (const LrPoint& p : pts)
        if (p.step >= d->decayStart && p.step < d->totalSteps && p.lr > 0) {
            const double u = static_cast<double>(p.step - d->decayStart) /
                             static_cast<double>(d->totalSteps - d->decayStart);
            num += u * (std::log(p.lr) - (1 - u) * std::log(d->peakLr));
            den += u * u;
        }
    d->finalLr = den > 0 ? std::min(d->peakLr, std::exp(num / den)) : d->peakLr;
}

// Integer candidates in [lo, hi], at most about `cap` of them (evenly spaced beyond that),
// with the roundest value first so that it wins ties.
std::vector<long> integerCandidates(long lo, long hi, long cap = 2000) {
    std::vector<long> out;
    if (hi < lo)
        return out;
    out.push_back(roundestIn(lo - 1, hi));
    const long stride = std::max(1L, (hi - lo + 1) / cap);
    for (long v = lo; v <= hi; v += stride)
        if (v != out.front())
            out.push_back(v);
    return out;
}

// The best of a one-integer family: the candidate of least deviation, except that the
// roundest candidate is preferred whenever it also fits within the tolerance (people plan
// round numbers; between two logged steps every value may fit).
template <typename Make>
std::pair<ScheduleDefinition, double> bestOver(const std::vector<long>& values,
                                               const std::vector<LrPoint>& logged, double tol,
                                               Make make) {
    ScheduleDefinition best;
    double bestDev = HUGE_VAL;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const ScheduleDefinition d = make(values[i]);
        const double dev = maxDeviation(logged, d);
        if (i == 0 && dev <= tol)
            return {d, dev};
        if (dev < bestDev) {
            bestDev = dev;
            best = d;
        }
    }
    return {best, bestDev};
}

}  // namespace

ScheduleInference inferSchedule(const std::vector<LrPoint>& logged,
                                const ScheduleInferenceOptions& options) {
    ScheduleInference out;
    std::string why;
    if (!options.isValid(&why)) {
        out.message = "invalid options: " + why;
        return out;
    }
    if (logged.size() < 2) {
        out.message = "need at least two logged LR points";
        return out;
    }
    {
        Schedule check;
        check.logged = logged;
        std::vector<double> dummy;
        if (!check.materialise(0, &dummy, &why)) {
            out.message = why;
            return out;
        }
    }
    const double tol = options.tolerance;
    double peak = 0;
    std::size_t firstPeak = 0;
    for (std::size_t i = 0; i < logged.size(); ++i)
        if (logged[i].lr > peak * (1 + tol)) {
            peak = logged[i].lr;
            firstPeak = i;
        }
    if (peak <= 0) {
        out.message = "every logged LR is 0";
        return out;
    }
    std::string assumptions;
    const long lastStep = logged.back().step;
    const long interval = lastStep - logged[logged.size() - 2].step;
    const bool totalKnown = options.totalSteps > 0;
    long total = options.totalSteps;
    if (!totalKnown) {
        total = roundestIn(lastStep, lastStep + interval);
        assumptions += "total steps assumed " + std::to_string(total) +
                       ": the log is taken to be the whole run; ";
    }
    if (total <= lastStep) {
        out.message = "totalSteps (" + std::to_string(total) +
                      ") must be beyond the last logged step (" + std::to_string(lastStep) + ")";
        return out;
    }
    // The log stops more than one logging interval before the run's end.
    out.partial = totalKnown && lastStep + interval < total - 1;

    // Warm-up: rising logged values before the peak give the slope peak / (W - 1) (least
    // squares through the origin); else the first logged step at the peak is taken as the end
    // of warm-up, refined over the logging interval before it.
    std::vector<long> warmups;
    const long peakStep = logged[firstPeak].step;
    if (firstPeak > 0 && logged[0].lr < peak * (1 - tol)) {
        double sxy = 0, sxx = 0;
        long lastRising = 0;
        for (std::size_t i = 0; i < firstPeak; ++i)
            if (logged[i].step > 0) {
                sxy += static_cast<double>(logged[i].step) * logged[i].lr;
                sxx += static_cast<double>(logged[i].step) * static_cast<double>(logged[i].step);
                lastRising = logged[i].step;
            }
        const long w0 = std::clamp(sxy > 0 ? std::lround(peak * sxx / sxy) + 1 : peakStep,
                                   lastRising + 1, std::max(lastRising + 1, peakStep));
        // The slope's estimate first (preferred when it fits), then its neighbours.
        warmups = {w0};
        for (long w = std::max(lastRising + 1, w0 - 2); w <= std::min(peakStep, w0 + 2); ++w)
            if (w != w0)
                warmups.push_back(w);
    } else {
        // Not observed: the first logged step at the peak (preferred when it fits), then the
        // steps before it down to the previous logged step.
        const long before =
            firstPeak > 0 ? logged[firstPeak - 1].step + 1 : std::max(0L, peakStep - interval + 1);
        warmups = {peakStep};
        const std::vector<long> rest = integerCandidates(before, peakStep - 1);
        warmups.insert(warmups.end(), rest.begin(), rest.end());
        if (peakStep > 0)
            assumptions += "warm-up ends by the first logged step at the peak (" +
                           std::to_string(peakStep) + "); ";
    }
    // Where the LR first leaves the peak after it (decay start of WSD and two-stage).
    std::size_t firstBelow = logged.size();
    for (std::size_t i = firstPeak; i < logged.size(); ++i)
        if (logged[i].lr < peak * (1 - tol)) {
            firstBelow = i;
            break;
        }
    const bool decays = firstBelow < logged.size();

    ScheduleDefinition base;
    base.peakLr = peak;
    base.totalSteps = total;
    base.finalLr = 0;
    std::vector<ScheduleDefinition> candidates;
    auto consider = [&](const std::pair<ScheduleDefinition, double>& best) {
        if (best.second <= tol)
            candidates.push_back(best.first);
    };
    consider(bestOver(warmups, logged, tol, [&](long w) {
        ScheduleDefinition d = base;
        d.shape = ScheduleShape::Constant;
        d.warmupSteps = w;
        return d;
    }));
    if (decays) {
        for (ScheduleShape shape : {ScheduleShape::Cosine, ScheduleShape::Linear})
            consider(bestOver(warmups, logged, tol, [&](long w) {
                ScheduleDefinition d = base;
                d.shape = shape;
                d.warmupSteps = w;
                fitPeakFinal(logged, &d);
                return d;
            }));
    }
    if (decays && firstBelow > firstPeak) {
        // WSD: the LR is still the peak at D, so D is in [last at peak, first below).
        // Two-stage: the LR is already final at D, so D is in (last at peak, first below].
        const long lo = logged[firstBelow - 1].step, hi = logged[firstBelow].step;
        // The warm-up of the stable phase is pinned by the points before the decay.
        std::vector<LrPoint> head(logged.begin(),
                                  logged.begin() + static_cast<std::ptrdiff_t>(firstBelow));
        ScheduleDefinition warm = base;
        warm.shape = ScheduleShape::Constant;
        warm.warmupSteps = bestOver(warmups, head, tol, [&](long w) {
                               ScheduleDefinition d = base;
                               d.shape = ScheduleShape::Constant;
                               d.warmupSteps = w;
                               return d;
                           }).first.warmupSteps;
        const std::vector<long> wsdStarts = integerCandidates(lo, hi - 1);
        const std::vector<long> stepStarts = integerCandidates(lo + 1, hi);
        consider(bestOver(stepStarts, logged, tol, [&](long D) {
            ScheduleDefinition d = warm;
            d.shape = ScheduleShape::TwoStage;
            d.decayStart = D;
            d.finalLr = logged[firstBelow].lr;
            return d;
        }));
        consider(bestOver(wsdStarts, logged, tol, [&](long D) {
            ScheduleDefinition d = warm;
            d.shape = ScheduleShape::WsdLinear;
            d.decayStart = D;
            fitPeakFinal(logged, &d);
            return d;
        }));
        consider(bestOver(wsdStarts, logged, tol, [&](long D) {
            ScheduleDefinition d = warm;
            d.shape = ScheduleShape::WsdGeometric;
            d.decayStart = D;
            fitGeometricFinal(logged, &d);
            return d;
        }));
    }
    // A WSD-linear decay from the end of warm-up is the linear schedule itself.
    const bool linearFits =
        std::any_of(candidates.begin(), candidates.end(),
                    [](const ScheduleDefinition& d) { return d.shape == ScheduleShape::Linear; });
    std::erase_if(candidates, [&](const ScheduleDefinition& d) {
        return linearFits && d.shape == ScheduleShape::WsdLinear && d.decayStart <= d.warmupSteps;
    });
    for (const ScheduleDefinition& d : candidates)
        out.fits.push_back(d.shape);
    if (candidates.size() == 1) {
        out.definition = candidates.front();
        out.message = candidates.front().describe();
        out.unambiguous = true;
        if (candidates.front().shape == ScheduleShape::Constant && out.partial) {
            // A stable phase so far: constant, or a WSD/two-stage decay after the log.
            out.unambiguous = false;
            out.message = "the log ends at step " + std::to_string(lastStep) + " of " +
                          std::to_string(total) +
                          " at a constant LR: a later decay (WSD, two-stage) cannot be "
                          "excluded; set the schedule";
        } else if (candidates.front().shape == ScheduleShape::Constant) {
            assumptions += "a later decay cannot be excluded from the log; ";
        } else if (out.partial) {
            assumptions += "partial log (to step " + std::to_string(lastStep) + " of " +
                           std::to_string(total) + "): the rest follows the definition; ";
        }
    } else if (candidates.empty()) {
        out.message =
            "no schedule shape fits the logged LR within " + std::to_string(tol) + " of the peak";
        if (!totalKnown)
            out.message += "; if the run has not finished, give its total steps";
    } else {
        out.definition = candidates.front();
        out.message = "several shapes fit the logged LR:";
        for (const ScheduleDefinition& d : candidates) {
            out.message += ' ';
            out.message.append(toString(d.shape));
        }
        out.message += "; set the schedule";
    }
    if (!assumptions.empty()) {
        assumptions.resize(assumptions.size() - 2);  // the trailing "; "
        out.message += " (";
        out.message += assumptions;
        out.message += ")";
    }
    return out;
}

}  // namespace scalelens::fit
