// Writes curve_forecast.csv (long format) to stdout: three synthetic 400M-model runs of 24,000
// steps whose loss follows the Multi-Power Law with the published 400M parameters
// (fit::MplParams::luo2025, laws.md G.1) along their LR schedule, times exp(Normal(0, 0.003)),
// logged with the LR every 200 steps from step 999 (after the steepest part of the warm-up) to
// the last step, 23,999; the run cosine-24k-stopped stops at step 11,999, half-way. Seeded, so it
// rewrites the file byte for byte:
//
//   c++ -std=c++20 -O2 -Ifitting/include datasets/examples/generate_curve_forecast.cpp \
//       build/lib/libscalelens_fitting.a -o /tmp/gen && /tmp/gen >
//       datasets/examples/curve_forecast.csv
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fitting/curve_law.h>
#include <fitting/lr_schedule.h>

using namespace scalelens::fit;

int main() {
    const MplParams p = MplParams::luo2025(MplPublishedSize::M400);
    const double tokensPerStep = 524288;  // 0.5M-token batches
    const double params = 4e8;
    struct Run {
        const char* name;
        ScheduleShape shape;
        long decayStart;
        long lastStep;  // logged up to here (a run stopped mid-schedule ends early)
    };
    const Run runs[] = {
        {"cosine-24k", ScheduleShape::Cosine, 0, 23999},
        {"wsd-24k-cooldown-20", ScheduleShape::WsdGeometric, 19200, 23999},
        {"cosine-24k-stopped", ScheduleShape::Cosine, 0, 11999},
    };
    std::mt19937_64 rng(20251201);
    std::normal_distribution<double> noise(0.0, 0.003);
    std::printf("run,step,tokens,flops,metric,value\n");
    for (const Run& r : runs) {
        ScheduleDefinition d;
        d.shape = r.shape;
        d.peakLr = 3e-4;
        d.finalLr = 3e-5;
        d.warmupSteps = 2160;
        d.totalSteps = 24000;  // steps 0 .. 23999
        d.decayStart = r.decayStart;
        const std::vector<double> lr = d.materialise();
        std::vector<long> steps;
        for (long s = 999; s <= r.lastStep; s += 200)
            steps.push_back(s);
        const std::vector<double> loss = predictMpl(p, lr, steps);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const double tokens = tokensPerStep * static_cast<double>(steps[i]);
            const double flops = 6 * params * tokens;
            const double l = loss[i] * std::exp(noise(rng));
            std::printf("%s,%ld,%.6g,%.6g,loss,%.6f\n", r.name, steps[i], tokens, flops, l);
            std::printf("%s,%ld,%.6g,%.6g,lr,%.6g\n", r.name, steps[i], tokens, flops,
                        lr[static_cast<std::size_t>(steps[i])]);
        }
    }
    return 0;
}
