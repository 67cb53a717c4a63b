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

double maxDeviation(const std::vector<LrPoint>& logged, const ScheduleDefinition& d) {
    double worst = 0;
    for (const LrPoint& p : logged) {
        if (p.step >= d.totalSteps)
            return HUGE_VAL;
        worst = std::max(worst, std::abs(d.lrAt(p.step) - p.lr));
    }
    return worst / d.peakLr;
}

// Least-squares final LR of a decay whose unit-interval weight c(s) of the peak is known:
// lr = c peak + (1 - c) final  (cosine, linear, WSD-linear).
double fitFinalLinear(const std::vector<LrPoint>& pts, const ScheduleDefinition& d) {
    double num = 0, den = 0;
    for (const LrPoint& p : pts) {
        ScheduleDefinition probe = d;
        probe.finalLr = 0;
        const double c = probe.lrAt(p.step) / d.peakLr;  // weight of the peak at this step
        num += (1 - c) * (p.lr - c * d.peakLr);
        den += (1 - c) * (1 - c);
    }
    return den > 0 ? std::clamp(num / den, 0.0, d.peakLr) : d.peakLr;
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
    Schedule check;
    check.logged = logged;
    std::vector<double> dummy;
    if (logged.size() < 2) {
        out.message = "need at least two logged LR points";
        return out;
    }
    if (!check.materialise(0, &dummy, &why)) {
        out.message = why;
        return out;
    }
    double peak = 0;
    std::size_t firstPeak = 0;
    for (std::size_t i = 0; i < logged.size(); ++i)
        if (logged[i].lr > peak * (1 + options.tolerance)) {
            peak = logged[i].lr;
            firstPeak = i;
        }
    if (peak <= 0) {
        out.message = "every logged LR is 0";
        return out;
    }
    std::string assumptions;
    // Warm-up: rising logged values give W from lr = peak s / (W - 1); else the first logged
    // step at peak is taken as the end of warm-up.
    long warmup = logged[firstPeak].step;
    bool warmupAssumed = false;
    if (firstPeak > 0 && logged[0].lr < peak) {
        const LrPoint& p = logged[firstPeak - 1];
        if (p.lr > 0)
            warmup = std::lround(peak * static_cast<double>(p.step) / p.lr) + 1;
    } else if (warmup > 0) {
        warmupAssumed = true;
        assumptions +=
            "warm-up assumed to end at the first logged step (" + std::to_string(warmup) + "); ";
    }
    const std::vector<LrPoint> post(logged.begin() + static_cast<long>(firstPeak), logged.end());
    const long lastStep = logged.back().step;
    const long interval = lastStep - logged[logged.size() - 2].step;
    long total = options.totalSteps;
    if (total <= 0) {
        total = roundestIn(lastStep, lastStep + interval);
        assumptions += "total steps assumed " + std::to_string(total) + "; ";
    }
    if (total <= lastStep || total <= warmup) {
        out.message = "totalSteps must be beyond the last logged step";
        return out;
    }
    // Where the LR first leaves the peak (decay start for WSD/two-stage).
    std::size_t firstBelow = post.size();
    for (std::size_t i = 0; i < post.size(); ++i)
        if (post[i].lr < peak * (1 - options.tolerance)) {
            firstBelow = i;
            break;
        }
    std::vector<ScheduleDefinition> candidates;
    ScheduleDefinition base;
    base.peakLr = peak;
    base.warmupSteps = warmup;
    base.totalSteps = total;
    base.finalLr = 0;
    const double tol = options.tolerance;
    {
        ScheduleDefinition d = base;
        d.shape = ScheduleShape::Constant;
        if (maxDeviation(logged, d) <= tol)
            candidates.push_back(d);
    }
    // Cosine and linear decays start at the end of warm-up, so an assumed warm-up end is
    // refined over the logging interval before the first logged step.
    std::vector<long> warmups = {warmup};
    if (warmupAssumed)
        for (long w = std::max(0L, warmup - interval + 1); w < warmup; ++w)
            warmups.push_back(w);
    for (ScheduleShape shape : {ScheduleShape::Cosine, ScheduleShape::Linear}) {
        if (firstBelow >= post.size())
            break;
        ScheduleDefinition best;
        double bestDev = HUGE_VAL;
        for (long w : warmups) {
            ScheduleDefinition d = base;
            d.shape = shape;
            d.warmupSteps = w;
            d.finalLr = fitFinalLinear(post, d);
            const double dev = maxDeviation(logged, d);
            if (dev < bestDev) {
                bestDev = dev;
                best = d;
            }
        }
        if (bestDev <= tol)
            candidates.push_back(best);
    }
    if (firstBelow < post.size() && firstBelow > 0) {
        const long decay = roundestIn(post[firstBelow - 1].step, post[firstBelow].step);
        ScheduleDefinition two = base;
        two.shape = ScheduleShape::TwoStage;
        two.decayStart = decay;
        two.finalLr = post.back().lr;
        if (maxDeviation(logged, two) <= tol)
            candidates.push_back(two);
        ScheduleDefinition lin = base;
        lin.shape = ScheduleShape::WsdLinear;
        lin.decayStart = decay;
        lin.finalLr = fitFinalLinear(post, lin);
        if (maxDeviation(logged, lin) <= tol)
            candidates.push_back(lin);
        // Geometric: log lr is linear in s after the decay start; least squares on log final.
        ScheduleDefinition geo = base;
        geo.shape = ScheduleShape::WsdGeometric;
        geo.decayStart = decay;
        double num = 0, den = 0;
        for (const LrPoint& p : post)
            if (p.step >= decay && p.lr > 0) {
                const double u =
                    static_cast<double>(p.step - decay) / static_cast<double>(total - decay);
                num += u * (std::log(p.lr) - (1 - u) * std::log(peak));
                den += u * u;
            }
        if (den > 0) {
            geo.finalLr = std::min(peak, std::exp(num / den));
            if (maxDeviation(logged, geo) <= tol)
                candidates.push_back(geo);
        }
        if (candidates.empty() == false && candidates.back().shape != ScheduleShape::TwoStage)
            assumptions += "decay start assumed at step " + std::to_string(decay) + "; ";
        else if (!candidates.empty())
            assumptions += "step down assumed at step " + std::to_string(decay) + "; ";
    }
    for (const ScheduleDefinition& d : candidates)
        out.fits.push_back(d.shape);
    if (candidates.size() == 1) {
        out.unambiguous = true;
        out.definition = candidates.front();
        out.message = candidates.front().describe();
        if (candidates.front().shape == ScheduleShape::Constant)
            assumptions += "a later decay cannot be excluded from the log; ";
    } else if (candidates.empty()) {
        out.message =
            "no schedule shape fits the logged LR within " + std::to_string(tol) + " of the peak";
    } else {
        out.definition = candidates.front();
        out.message = "several shapes fit the logged LR:";
        for (const ScheduleDefinition& d : candidates) {
            out.message += ' ';
            out.message.append(toString(d.shape));
        }
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
