#include "fitting/avgparam_fit.h"

#include <cmath>

namespace scalelens::fit {

AvgParamFitResult fitAverageParamLaw(const std::vector<AvgParamRun>& runs,
                                     const FitOptions& options, const ProgressCallback& progress) {
    AvgParamFitResult r;
    std::vector<Observation> avg, fin;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const AvgParamRun& run = runs[i];
        const double vals[] = {run.nAverage, run.nFinal, run.tokens, run.loss};
        for (double v : vals) {
            if (!std::isfinite(v) || v <= 0) {
                r.status = FitStatus::Failed;
                r.message = "run " + std::to_string(i) +
                            (run.runId.empty() ? "" : " (" + run.runId + ")") +
                            ": nAverage, nFinal, tokens and loss must be finite and > 0";
                return r;
            }
        }
        if (run.nFinal > run.nAverage * (1 + 1e-9)) {
            r.status = FitStatus::Failed;
            r.message = "run " + std::to_string(i) +
                        (run.runId.empty() ? "" : " (" + run.runId + ")") +
                        ": nFinal exceeds nAverage; pruning only removes parameters";
            return r;
        }
        avg.push_back({run.nAverage, run.tokens, run.loss, 1.0, run.runId});
        fin.push_back({run.nFinal, run.tokens, run.loss, 1.0, run.runId});
        r.sparseRuns += run.nFinal < run.nAverage * (1 - 1e-9) ? 1 : 0;
    }
    r.runs = static_cast<int>(runs.size());
    auto half = [&](double offset) -> ProgressCallback {
        if (!progress)
            return {};
        return [&progress, offset](double f) { return progress(offset + 0.5 * f); };
    };
    r.average = fitChinchilla(avg, options, half(0.0));
    r.status = r.average.status;
    r.diagnostics = r.average.diagnostics;
    if (r.status == FitStatus::Cancelled || r.status == FitStatus::Failed) {
        r.message = "average-parameter fit: " + r.average.message;
        return r;
    }
    r.final = fitChinchilla(fin, options, half(0.5));
    r.message = "fitted " + std::to_string(r.runs) + " runs (" + std::to_string(r.sparseRuns) +
                " sparse) with N-bar and with final N";
    if (!isUsable(r.final.status))
        r.message += "; final-N fit: " + r.final.message;
    return r;
}

}  // namespace scalelens::fit
