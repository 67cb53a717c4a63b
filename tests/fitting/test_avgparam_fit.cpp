// Average-parameter law fit on the Chinchilla engine (Jin et al. 2025; laws.md §C).
#include <cmath>

#include "fitting/avgparam.h"
#include "fitting/avgparam_fit.h"
#include "scalelens_catch.h"

using namespace scalelens::fit;

TEST_CASE("N-bar fit recovers the generating law, the final-N fit does worse", "[avgparam][fit]") {
    // Truth: L = 1.8 + 400/Nbar^0.34 + 2000/D^0.36 (Chinchilla-like). Dense and sparse runs
    // (geometric schedules, 25%/75% of compute) at three sizes and two token budgets.
    const ChinchillaParams truth{1.8, 400.0, 2000.0, 0.34, 0.36};
    std::vector<AvgParamRun> runs;
    for (double n : {5.8e7, 1.62e8, 4.68e8}) {
        for (double ratio : {20.0, 80.0}) {
            for (double s : {0.0, 0.2, 0.4, 0.6, 0.8}) {
                ComputeFractionSchedule c;
                c.finalSparsity = s;
                const double density =
                    s > 0 ? averageDensity(scheduleFromComputeFractions(c)) : 1.0;
                const double nBar = n * density, d = ratio * n;
                runs.push_back({"r", nBar, n * (1 - s), d, truth.loss(nBar, d)});
            }
        }
    }
    FitOptions opt;
    auto r = fitAverageParamLaw(runs, opt);
    REQUIRE(isUsable(r.status));
    CHECK(r.runs == 30);
    CHECK(r.sparseRuns == 24);
    CHECK(r.average.value("E") == Approx(1.8).epsilon(1e-3));
    CHECK(r.average.value("alpha") == Approx(0.34).epsilon(1e-3));
    CHECK(r.average.value("beta") == Approx(0.36).epsilon(1e-3));
    CHECK(r.average.goodness.rmseLog < 1e-5);
    // With the final N the sparse runs look too good for their size: worse fit.
    CHECK(r.final.goodness.rmseLog > 10 * r.average.goodness.rmseLog);
}

TEST_CASE("Average-parameter fit rejects inconsistent runs", "[avgparam][fit]") {
    auto r = fitAverageParamLaw({{"bad", 1e8, 2e8, 1e9, 3.0}}, FitOptions{});
    CHECK(r.status == FitStatus::Failed);
    CHECK(r.message == "run 0 (bad): nFinal exceeds nAverage; pruning only removes parameters");
    r = fitAverageParamLaw({{"", 0, 0, 1e9, 3.0}}, FitOptions{});
    CHECK(r.message == "run 0: nAverage, nFinal, tokens and loss must be finite and > 0");
}
