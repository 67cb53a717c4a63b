#include "fitting/densing_direct.h"

#include "fitting/diagnostics.h"

#include <cmath>

namespace scalelens::fit {

DirectDensityResult analyseDensityDirect(const std::vector<DensityModel>& models,
                                         const SizeCurveFitOptions& curveOptions,
                                         const DensityTrendOptions& trendOptions) {
    DirectDensityResult r;
    std::vector<SizeScorePoint> reference;
    for (std::size_t i = 0; i < models.size(); ++i) {
        const auto& m = models[i];
        if (!std::isfinite(m.n) || m.n <= 0 || !std::isfinite(m.score) || !std::isfinite(m.days)) {
            r.status = FitStatus::Failed;
            r.message = "model " + std::to_string(i) + " (" + m.name +
                        "): n must be > 0, score and days finite";
            return r;
        }
        if (m.reference)
            reference.push_back({m.n, m.score});
    }
    if (reference.empty()) {
        r.status = FitStatus::Failed;
        r.message = "no reference models: mark the family the size curve is fitted to";
        return r;
    }
    r.curve = fitSizeScoreCurve(reference, curveOptions);
    if (!isUsable(r.curve.status)) {
        r.status = r.curve.status;
        r.message = "size curve: " + r.curve.message;
        return r;
    }
    std::vector<DensityPoint> points;
    for (const auto& m : models) {
        DensityModelResult out;
        out.name = m.name;
        out.days = m.days;
        const DensingInverse inv = invertSizeCurve(r.curve.curve, m.score);
        if (inv.ok) {
            out.ok = true;
            out.nEff = inv.nEff;
            out.density = inv.nEff / m.n;
            points.push_back({m.days, out.density, m.name});
        } else {
            out.message = inv.message;
            ++r.skipped;
        }
        r.models.push_back(out);
    }
    r.trend = fitDensityTrend(points, trendOptions);
    r.status = r.trend.status;
    std::vector<Diagnostic> found = r.curve.diagnostics;
    found.insert(found.end(), r.trend.diagnostics.begin(), r.trend.diagnostics.end());
    applyDiagnostics(std::move(found), &r);
    r.message = std::to_string(points.size()) + " models with a density (" +
                std::to_string(r.skipped) + " skipped); trend: " + r.trend.message;
    return r;
}

}  // namespace scalelens::fit
