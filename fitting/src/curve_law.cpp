#include "fitting/curve_law.h"

#include <algorithm>
#include <cassert>

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const char* text) {
    if (error)
        *error = text;
    return false;
}

bool finiteNonNegative(double v) {
    return std::isfinite(v) && v >= 0;
}

// Bounds are the fitter's defaults (curve_fit.h): every parameter >= 0 as in the official
// stage-1 L-BFGS-B, exponents capped where the law stops making sense.
constexpr std::array<ParamInfo, kMplCount> kMplParams = {{
    {"L0", "L₀", "nats/token", "loss limit of an infinitely long constant-LR run", 0.0, 20.0},
    {"A", "A", "nats/token", "coefficient of the LR-area power law", 0.0, 100.0},
    {"alpha", "α", "", "exponent of the LR-area power law", 0.0, 5.0},
    {"B", "B", "nats/token per LR", "scale of the loss drop from LR decay", 0.0, 1e6},
    {"C", "C", "", "time scale of the loss drop", 0.0, 1e4},
    {"beta", "β", "", "exponent of the loss-drop saturation", 0.0, 5.0},
    {"gamma", "γ", "", "LR exponent of the loss-drop time scale", 0.0, 5.0},
}};

constexpr std::array<ParamInfo, kLraCount> kLraParams = {{
    {"L0", "L₀", "nats/token", "loss limit", 0.0, 20.0},
    {"A", "A", "nats/token", "coefficient of the forward-area power law", 0.0, 100.0},
    {"alpha", "α", "", "exponent of the forward-area power law", 0.0, 5.0},
    {"C", "C", "nats/token per LR", "loss drop per unit of annealing area", 0.0, 1e6},
}};

const CurveLawInfo kMplInfo{
    CurveLawId::MultiPower,
    "mpl",
    "Multi-Power Law (Luo et al. 2025)",
    "L(s) = L0 + A S1(s)^-alpha + B sum_k (lr_k - lr_k-1) (1 - (1 + C lr_k^-gamma (S1(s) - "
    "S1(k-1)))^-beta)",
    "K. Luo, H. Wen, S. Hu et al., A Multi-Power Law for Loss Curve Prediction Across Learning "
    "Rate Schedules, arXiv:2503.12811 (2025)",
    kMplParams,
};

const CurveLawInfo kLraInfo{
    CurveLawId::LrAnnealing,
    "lr-annealing",
    "LR-annealing law (Tissue et al. 2024)",
    "L(s) = L0 + A S1(s)^-alpha - C S2(s)",
    "H. Tissue, V. Wang, L. Wang, Scaling Law with Learning Rate Annealing, arXiv:2408.11029 "
    "(2024)",
    kLraParams,
};

double safeLog(double lr) {
    return std::log(std::max(lr, 1e-10));
}

}  // namespace

MplParams MplParams::fromArray(const double* p) {
    return {p[kMplL0], p[kMplA], p[kMplAlpha], p[kMplB], p[kMplC], p[kMplBeta], p[kMplGamma]};
}

bool MplParams::isValid(std::string* error) const {
    if (!std::isfinite(L0))
        return fail(error, "L0 must be finite");
    if (!finiteNonNegative(A))
        return fail(error, "A must be finite and >= 0");
    if (!finiteNonNegative(alpha))
        return fail(error, "alpha must be finite and >= 0");
    if (!finiteNonNegative(B))
        return fail(error, "B must be finite and >= 0");
    if (!finiteNonNegative(C))
        return fail(error, "C must be finite and >= 0");
    if (!finiteNonNegative(beta))
        return fail(error, "beta must be finite and >= 0");
    if (!finiteNonNegative(gamma))
        return fail(error, "gamma must be finite and >= 0");
    return true;
}

MplParams MplParams::luo2025(MplPublishedSize size) {
    switch (size) {
        case MplPublishedSize::M25:
            return {3.04045406, 0.52468604, 0.50786857, 363.78751622,
                    2.06560812, 0.58279013, 0.64142257};
        case MplPublishedSize::M100:
            return {2.6514477,  0.60115152, 0.45295811, 437.9464276,
                    2.13245612, 0.59785199, 0.65523644};
        case MplPublishedSize::M400:
            break;
    }
    return {2.37474466, 0.65421216, 0.42878731, 523.42464371, 2.02462735, 0.59350493, 0.63472457};
}

LraParams LraParams::fromArray(const double* p) {
    return {p[kLraL0], p[kLraA], p[kLraAlpha], p[kLraC]};
}

bool LraParams::isValid(std::string* error) const {
    if (!std::isfinite(L0))
        return fail(error, "L0 must be finite");
    if (!finiteNonNegative(A))
        return fail(error, "A must be finite and >= 0");
    if (!finiteNonNegative(alpha))
        return fail(error, "alpha must be finite and >= 0");
    if (!finiteNonNegative(C))
        return fail(error, "C must be finite and >= 0");
    return true;
}

const CurveLawInfo& curveLawInfo(CurveLawId id) {
    return id == CurveLawId::LrAnnealing ? kLraInfo : kMplInfo;
}

const CurveLawInfo* findCurveLaw(std::string_view key) {
    if (key == kMplInfo.key)
        return &kMplInfo;
    if (key == kLraInfo.key)
        return &kLraInfo;
    return nullptr;
}

std::vector<double> cumulativeLr(std::span<const double> lr) {
    std::vector<double> cs(lr.size());
    double sum = 0;
    for (std::size_t i = 0; i < lr.size(); ++i) {
        sum += lr[i];
        cs[i] = sum;
    }
    return cs;
}

MplTermTable buildMplTerms(std::span<const double> lr, std::span<const long> steps,
                           double tolerance) {
    MplTermTable table;
    const std::vector<double> cs = cumulativeLr(lr);
    // Steps whose LR changed: the only non-zero summands.
    std::vector<long> active;
    for (std::size_t k = 1; k < lr.size(); ++k)
        if (lr[k] != lr[k - 1])
            active.push_back(static_cast<long>(k));
    table.ranges.reserve(steps.size());
    table.s1.reserve(steps.size());
    auto termOf = [&](long k) {
        const auto u = static_cast<std::size_t>(k);
        return MplTerm{lr[u] - lr[u - 1], safeLog(lr[u]), cs[u - 1]};
    };
    if (tolerance <= 0) {
        for (long k : active)
            table.terms.push_back(termOf(k));
        std::size_t n = 0;
        for (long s : steps) {
            assert(s >= 0 && static_cast<std::size_t>(s) < lr.size());
            while (n < active.size() && active[n] <= s)
                ++n;
            table.ranges.push_back({0, static_cast<int>(n)});
            table.s1.push_back(cs[static_cast<std::size_t>(s)]);
        }
        return table;
    }
    const double logTolerance = 2 * tolerance;
    std::size_t n = 0;
    for (long s : steps) {
        while (n < active.size() && active[n] <= s)
            ++n;
        const double s1 = cs[static_cast<std::size_t>(s)];
        const int begin = static_cast<int>(table.terms.size());
        // Walk from the nearest change backwards, merging while the group stays narrow
        // relative to its distance from s.
        std::size_t j = n;
        while (j > 0) {
            const MplTerm first = termOf(active[j - 1]);
            --j;
            const double nearCs = first.cumBefore;
            const double distance = s1 - nearCs;
            double gap = first.gap, wSum = std::abs(first.gap);
            double logSum = wSum * first.logLr, csSum = wSum * first.cumBefore;
            double logMin = first.logLr, logMax = first.logLr;
            while (j > 0) {
                const MplTerm t = termOf(active[j - 1]);
                if ((t.gap > 0) != (first.gap > 0))
                    break;
                if (nearCs - t.cumBefore > tolerance * distance)
                    break;
                const double lo = std::min(logMin, t.logLr), hi = std::max(logMax, t.logLr);
                if (hi - lo > logTolerance)
                    break;
                logMin = lo;
                logMax = hi;
                const double w = std::abs(t.gap);
                gap += t.gap;
                wSum += w;
                logSum += w * t.logLr;
                csSum += w * t.cumBefore;
                --j;
            }
            table.terms.push_back(MplTerm{gap, logSum / wSum, csSum / wSum});
        }
        table.ranges.push_back({begin, static_cast<int>(table.terms.size())});
        table.s1.push_back(s1);
    }
    return table;
}

LraAreas lraAreas(std::span<const double> lr, std::span<const long> steps, double lambda) {
    LraAreas out;
    if (lr.empty())
        return out;
    const auto peakIt = std::max_element(lr.begin(), lr.end());
    const auto peakIndex = static_cast<std::size_t>(peakIt - lr.begin());
    const double peak = *peakIt;
    double s1 = 0, s2 = 0, m = 0, prev = 0;
    std::size_t next = 0;
    for (std::size_t i = 0; i < lr.size() && next < steps.size(); ++i) {
        const double eta = i < peakIndex ? peak : lr[i];
        if (i > 0)
            m = lambda * m + (prev - eta);
        s1 += eta;
        s2 += m;
        prev = eta;
        while (next < steps.size() && static_cast<std::size_t>(steps[next]) == i) {
            out.s1.push_back(s1);
            out.s2.push_back(s2);
            ++next;
        }
    }
    return out;
}

std::vector<double> predictMpl(const MplParams& p, std::span<const double> lr,
                               std::span<const long> steps, double tolerance) {
    const MplTermTable table = buildMplTerms(lr, steps, tolerance);
    const std::array<double, kMplCount> a = p.array();
    std::vector<double> out(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i)
        out[i] = mplLoss(table.s1[i], table.at(i), a.data());
    return out;
}

std::vector<double> predictLra(const LraParams& p, std::span<const double> lr,
                               std::span<const long> steps, double lambda) {
    const LraAreas areas = lraAreas(lr, steps, lambda);
    const std::array<double, kLraCount> a = p.array();
    std::vector<double> out(areas.s1.size());
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = lraLoss(areas.s1[i], areas.s2[i], a.data());
    return out;
}

CurveMetrics curveMetrics(std::span<const double> observed, std::span<const double> predicted) {
    CurveMetrics m;
    const std::size_t n = std::min(observed.size(), predicted.size());
    if (n == 0)
        return m;
    m.n = static_cast<int>(n);
    double mean = 0;
    for (std::size_t i = 0; i < n; ++i)
        mean += observed[i];
    mean /= static_cast<double>(n);
    double ssRes = 0, ssTot = 0, absSum = 0, relSum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = observed[i] - predicted[i];
        ssRes += e * e;
        ssTot += (observed[i] - mean) * (observed[i] - mean);
        absSum += std::abs(e);
        relSum += std::abs(e) / observed[i];
        m.worstE = std::max(m.worstE, std::abs(e) / observed[i]);
    }
    m.r2 = ssTot > 0 ? 1 - ssRes / ssTot : 0;
    m.mae = absSum / static_cast<double>(n);
    m.rmse = std::sqrt(ssRes / static_cast<double>(n));
    m.predE = relSum / static_cast<double>(n);
    return m;
}

CurveMetrics averageMetrics(std::span<const CurveMetrics> perCurve) {
    CurveMetrics avg;
    if (perCurve.empty())
        return avg;
    for (const CurveMetrics& m : perCurve) {
        avg.n += m.n;
        avg.r2 += m.r2;
        avg.mae += m.mae;
        avg.rmse += m.rmse;
        avg.predE += m.predE;
        avg.worstE += m.worstE;
    }
    const auto k = static_cast<double>(perCurve.size());
    avg.r2 /= k;
    avg.mae /= k;
    avg.rmse /= k;
    avg.predE /= k;
    avg.worstE /= k;
    return avg;
}

}  // namespace scalelens::fit
