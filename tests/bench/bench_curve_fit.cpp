// Loss-curve laws (issue 10): the official MPL procedure on the authors' 400M training set
// (three curves, 451 points; 135-start surrogate grid, then 200 AdamW steps), and a forecast
// of the 400M cosine_72000 run from its first half plus the three training curves (as
// tests/fitting/test_curve_forecast.cpp), without and with a 16-resample bootstrap band.
// Compare with tests/bench/scipy_curve_reference.py run on the same machine at the same time
// (tests/bench/README.md). Wall-clock time: the multi-start runs on worker threads.
#include <benchmark/benchmark.h>

#include "../fitting/mpl_data.h"
#include "fitting/curve_forecast.h"

namespace {

using namespace scalelens::fit;

std::vector<LossCurve> trainingSet() {
    std::vector<LossCurve> curves;
    for (const std::string& n : testdata::mplTrainNames())
        if (auto c = testdata::mplCurve("400", n))
            curves.push_back(*c);
    return curves;
}

void BM_FitMpl400M(benchmark::State& state) {
    const std::vector<LossCurve> curves = trainingSet();
    if (curves.size() != 3) {
        state.SkipWithError("../shared/datasets/mpl is missing");
        return;
    }
    CurveFitOptions o;
    o.threads = static_cast<int>(state.range(0));
    double objective = 0;
    for (auto _ : state) {
        const CurveFitResult r = fitCurveLaw(CurveLawId::MultiPower, curves, o);
        if (!isUsable(r.status)) {
            state.SkipWithError(r.message.c_str());
            return;
        }
        objective = r.objective;
        benchmark::DoNotOptimize(objective);
    }
}
BENCHMARK(BM_FitMpl400M)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ForecastMpl400M(benchmark::State& state) {
    auto full = testdata::mplCurve("400", "cosine_72000");
    std::vector<LossCurve> siblings = trainingSet();
    if (!full || siblings.size() != 3) {
        state.SkipWithError("../shared/datasets/mpl is missing");
        return;
    }
    LossCurve prefix = *full;
    prefix.lr.resize(static_cast<std::size_t>(full->steps.back()) + 1);
    prefix.steps.resize(full->steps.size() / 2);
    prefix.loss.resize(full->steps.size() / 2);
    ForecastOptions o;
    o.fit.bootstrapResamples = static_cast<int>(state.range(0));
    o.fit.threads = static_cast<int>(state.range(1));
    double final = 0;
    for (auto _ : state) {
        const ForecastResult f = forecastCurve(CurveLawId::MultiPower, prefix, siblings, o);
        if (!isUsable(f.status)) {
            state.SkipWithError(f.message.c_str());
            return;
        }
        final = f.forecast.finalLoss;
        benchmark::DoNotOptimize(final);
    }
}
// Args: bootstrap resamples, threads (0 = all cores). With one thread the CPU column is the
// whole work, comparable with the reference's CPU time on a shared machine.
BENCHMARK(BM_ForecastMpl400M)
    ->Args({0, 1})
    ->Args({0, 0})
    ->Args({16, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
