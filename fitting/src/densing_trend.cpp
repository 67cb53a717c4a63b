// Densing law trend: ln ρ_max = A·t + B over release dates (Xiao et al. 2024, §3.3).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "fitting/densing.h"
#include "fitting/diagnostics.h"

namespace scalelens::fit {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

struct Line {
    bool ok = false;
    double slope = 0, intercept = 0, r2 = 0;
};

Line fitLine(const std::vector<const DensityPoint*>& pts) {
    Line l;
    const double n = static_cast<double>(pts.size());
    if (pts.size() < 2)
        return l;
    double sx = 0, sy = 0;
    for (const auto* p : pts) {
        sx += p->days;
        sy += std::log(p->density);
    }
    const double mx = sx / n, my = sy / n;
    double sxx = 0, sxy = 0, syy = 0;
    for (const auto* p : pts) {
        const double dx = p->days - mx, dy = std::log(p->density) - my;
        sxx += dx * dx, sxy += dx * dy, syy += dy * dy;
    }
    if (!(sxx > 0))
        return l;
    l.ok = true;
    l.slope = sxy / sxx;
    l.intercept = my - l.slope * mx;
    l.r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
    return l;
}

std::vector<const DensityPoint*> selectPoints(const std::vector<const DensityPoint*>& pts,
                                              bool envelope, std::vector<int>* indices,
                                              const DensityPoint* base) {
    std::vector<int> order(pts.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<const DensityPoint*> out;
    if (!envelope) {
        for (int i : order) {
            out.push_back(pts[static_cast<std::size_t>(i)]);
            if (indices)
                indices->push_back(static_cast<int>(pts[static_cast<std::size_t>(i)] - base));
        }
        return out;
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const auto* pa = pts[static_cast<std::size_t>(a)];
        const auto* pb = pts[static_cast<std::size_t>(b)];
        if (pa->days != pb->days)
            return pa->days < pb->days;
        return pa->density > pb->density;
    });
    double runningMax = -HUGE_VAL;
    for (int i : order) {
        const auto* p = pts[static_cast<std::size_t>(i)];
        if (p->density > runningMax) {
            runningMax = p->density;
            out.push_back(p);
            if (indices)
                indices->push_back(static_cast<int>(p - base));
        }
    }
    return out;
}

}  // namespace

std::optional<double> daysSinceLlama1(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-')
        return std::nullopt;
    auto digits = [&](std::size_t from, std::size_t len, int* out) {
        int v = 0;
        for (std::size_t i = from; i < from + len; ++i) {
            if (iso[i] < '0' || iso[i] > '9')
                return false;
            v = v * 10 + (iso[i] - '0');
        }
        *out = v;
        return true;
    };
    int y = 0, m = 0, d = 0;
    if (!digits(0, 4, &y) || !digits(5, 2, &m) || !digits(8, 2, &d) || m < 1 || m > 12 || d < 1)
        return std::nullopt;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0))
        return std::nullopt;
    return static_cast<double>(
        daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) -
        daysFromCivil(2023, 2, 24));
}

std::vector<int> densityEnvelope(const std::vector<DensityPoint>& points) {
    std::vector<const DensityPoint*> pts;
    for (const auto& p : points)
        pts.push_back(&p);
    std::vector<int> idx;
    selectPoints(pts, true, &idx, points.data());
    return idx;
}

bool DensityTrendOptions::isValid(std::string* error) const {
    if (bootstrapSamples < 0) {
        if (error)
            *error = "bootstrapSamples must be >= 0";
        return false;
    }
    if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
        if (error)
            *error = "confidenceLevel must be in (0, 1)";
        return false;
    }
    return true;
}

DensityTrendFit fitDensityTrend(const std::vector<DensityPoint>& points,
                                const DensityTrendOptions& options) {
    DensityTrendFit r;
    std::string error;
    if (!options.isValid(&error)) {
        r.status = FitStatus::Failed;
        r.message = "invalid options: " + error;
        return r;
    }
    std::vector<const DensityPoint*> all;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!std::isfinite(points[i].days) || !std::isfinite(points[i].density) ||
            points[i].density <= 0) {
            r.status = FitStatus::Failed;
            r.message = "point " + std::to_string(i) + " (" + points[i].name +
                        "): days must be finite and density > 0";
            return r;
        }
        all.push_back(&points[i]);
    }
    const auto fitted = selectPoints(all, options.envelope, &r.fittedIndices, points.data());
    const Line line = fitLine(fitted);
    if (!line.ok) {
        r.status = FitStatus::Failed;
        r.message = "need >= 2 " + std::string(options.envelope ? "envelope " : "") +
                    "points at distinct dates (got " + std::to_string(fitted.size()) + ")";
        return r;
    }
    r.slopeA = line.slope;
    r.interceptB = line.intercept;
    r.r2 = line.r2;
    r.doublingDays = doublingTimeDays(line.slope);
    if (options.bootstrapSamples > 0) {
        std::mt19937_64 rng(options.seed);
        std::vector<double> slopes;
        std::vector<const DensityPoint*> sample(all.size());
        for (int s = 0; s < options.bootstrapSamples; ++s) {
            for (auto& p : sample)
                p = all[rng() % all.size()];
            const Line l = fitLine(selectPoints(sample, options.envelope, nullptr, points.data()));
            if (l.ok)
                slopes.push_back(l.slope);
        }
        r.bootstrapSamples = static_cast<int>(slopes.size());
        if (slopes.size() >= 2) {
            std::sort(slopes.begin(), slopes.end());
            auto q = [&](double f) {
                const double pos = f * static_cast<double>(slopes.size() - 1);
                const auto lo = static_cast<std::size_t>(pos);
                const std::size_t hi = std::min(lo + 1, slopes.size() - 1);
                return slopes[lo] + (pos - static_cast<double>(lo)) * (slopes[hi] - slopes[lo]);
            };
            const double tail = (1 - options.confidenceLevel) / 2;
            r.slopeCiLow = q(tail);
            r.slopeCiHigh = q(1 - tail);
            // A larger slope means a shorter doubling time.
            r.doublingCiLow = doublingTimeDays(r.slopeCiHigh);
            r.doublingCiHigh = doublingTimeDays(r.slopeCiLow);
        }
    }
    r.status = FitStatus::Converged;
    r.message = "ln(rho) = A*t + B on " + std::to_string(fitted.size()) +
                (options.envelope ? " envelope points" : " points");
    if (r.slopeA <= 0)
        r.message += "; A <= 0: density is not growing, no doubling time";
    ProblemFacts facts;
    std::vector<double> days;
    for (const int i : r.fittedIndices)
        days.push_back(points[static_cast<std::size_t>(i)].days);
    facts.regressors = {{"release date", countDistinct(days), 3}};
    if (options.bootstrapSamples > 0) {
        facts.bootstrapRequested = options.bootstrapSamples;
        facts.bootstrapUsed = r.bootstrapSamples;
    }
    applyDiagnostics(diagnose(facts), &r);
    return r;
}

}  // namespace scalelens::fit
