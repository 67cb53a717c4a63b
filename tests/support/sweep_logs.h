// A realistic small LLM sweep, written as the files a real sweep leaves behind (issue 8):
// a wide per-step CSV (run, step, tokens, flops, wall_time_s, lr, train_loss, val_loss with
// val_loss only at evaluation steps), a one-row-per-run summary CSV with a status column, and
// (sweep_tensorboard.h, needs protobuf) a TensorBoard directory with train/loss, train/lr and
// val/loss per run.
//
// Runs are an IsoFLOP grid: nSizes model sizes x nBudgets compute budgets (D = C / 6N), with
// batch size and peak LR varied across runs, a linear warm-up + cosine LR schedule, and losses
// from the Chinchilla law L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 (Hoffmann et al. 2022) along
// the curve. One run (index `stoppedIndex`) stops at 60% of its schedule: its summary says
// status "stopped" and its curves end there.
//
//   const auto runs = test::makeSweep(4, 3);            // 12 runs
//   test::writeSweepSteps(dir / "steps.csv", runs);
//   test::writeSweepSummary(dir / "summary.csv", runs);
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

namespace scalelens::test {

struct SweepRun {
    std::string name;  // "gpt-25M-c3e17"
    std::string size;  // "s1" (not numeric: must never be guessed as N)
    double params = 0;
    double paramsNonEmbedding = 0;
    double budget = 0;       // planned FLOPs
    double batchTokens = 0;  // tokens per step
    double peakLr = 0;
    long steps = 0;     // schedule length
    long lastStep = 0;  // steps for a finished run, less for the stopped one
    long logEvery = 1;  // a row every logEvery steps
    bool stopped = false;
    // Added to the held-out and training loss at every step: the LR x batch sub-grid's bowl
    // (makeLrBatchGrid). 0 for the IsoFLOP grid.
    double lossOffset = 0;
    std::string sweep;  // the summary's `sweep` column when non-empty (writeSweepSummary)
};

inline std::vector<SweepRun> makeSweep(int nSizes, int nBudgets, int stoppedIndex = 5) {
    std::vector<SweepRun> out;
    const double batches[] = {32768, 65536, 131072};
    const double lrs[] = {6e-4, 1.2e-3, 2.4e-3};
    for (int b = 0; b < nBudgets; ++b) {
        const double budget = 3e17 * std::pow(10.0, 0.5 * b);  // 3e17, ~9.5e17, 3e18, ...
        for (int s = 0; s < nSizes; ++s) {
            SweepRun r;
            r.params = 25e6 * std::pow(2.0, s);
            r.paramsNonEmbedding = 0.8 * r.params;
            r.budget = budget;
            const int k = static_cast<int>(out.size());
            r.batchTokens = batches[k % 3];
            r.peakLr = lrs[(k / 3 + k) % 3];
            const double tokens = budget / (6.0 * r.params);
            r.steps = std::max(100L, std::lround(tokens / r.batchTokens));
            r.logEvery = std::max(1L, r.steps / 100);
            r.stopped = k == stoppedIndex;
            r.lastStep = r.stopped ? r.steps * 6 / 10 : r.steps;
            char name[64];
            std::snprintf(name, sizeof name, "gpt-%.0fM-c%.0e", r.params / 1e6, budget);
            r.name = name;
            char size[16];
            std::snprintf(size, sizeof size, "s%d", s + 1);
            r.size = size;
            out.push_back(r);
        }
    }
    return out;
}

// The LR x batch sub-grid a sweep adds at one model size and budget (Li et al. 2025 style): every
// peak LR x batch size pair, with a final loss that is the Chinchilla law's plus a bowl that is
// quadratic in (ln lr, ln batch) with its minimum at (lrOpt, batchOpt), plus a small
// deterministic noise. The bowl's minimum lies between the grid's points.
struct LrBatchTruth {
    static constexpr double params = 50e6;
    static constexpr double budget = 9.486832980505138e17;  // 3e17 * sqrt(10): the middle budget
    static constexpr double lrOpt = 1.3e-3;
    static constexpr double batchOpt = 1.0e5;  // tokens
    static constexpr double kLr = 0.02;        // loss per (ln lr - ln lrOpt)^2
    static constexpr double kBatch = 0.015;    // loss per (ln batch - ln batchOpt)^2
    static constexpr double noise = 4e-4;      // amplitude of the deterministic noise
    static double bowl(double lr, double batch, int k) {
        const double u = std::log(lr / lrOpt), v = std::log(batch / batchOpt);
        return kLr * u * u + kBatch * v * v + noise * std::sin(1.7 * k + 0.3);
    }
};
inline std::vector<SweepRun> makeLrBatchGrid(const std::string& sweep) {
    std::vector<SweepRun> out;
    const double lrs[] = {4e-4, 8e-4, 1.6e-3, 3.2e-3, 6.4e-3};
    const double batches[] = {32768, 65536, 131072, 262144};
    for (double batch : batches) {
        for (double lr : lrs) {
            SweepRun r;
            r.params = LrBatchTruth::params;
            r.paramsNonEmbedding = 0.8 * r.params;
            r.budget = LrBatchTruth::budget;
            r.batchTokens = batch;
            r.peakLr = lr;
            r.steps = std::max(100L, std::lround(r.budget / (6.0 * r.params) / batch));
            r.logEvery = std::max(1L, r.steps / 100);
            r.lastStep = r.steps;
            r.lossOffset = LrBatchTruth::bowl(lr, batch, static_cast<int>(out.size()));
            r.sweep = sweep;
            char name[64];
            std::snprintf(name, sizeof name, "gpt-50M-lr%.1e-b%.0f", lr, batch);
            r.name = name;
            r.size = "s2";
            out.push_back(r);
        }
    }
    return out;
}

inline double sweepTokens(const SweepRun& r, long step) {
    return static_cast<double>(step) * r.batchTokens;
}

// Linear warm-up over 5% of the schedule, then cosine decay to 10% of the peak.
inline double sweepLr(const SweepRun& r, long step) {
    const double warm = 0.05 * r.steps;
    if (step < warm)
        return r.peakLr * (step + 1) / warm;
    const double u = (step - warm) / (r.steps - warm);
    return r.peakLr * (0.1 + 0.45 * (1.0 + std::cos(std::numbers::pi * std::min(1.0, u))));
}

// Held-out loss after `step` steps (Chinchilla law at the tokens seen so far).
inline double sweepValLoss(const SweepRun& r, long step) {
    const double d = sweepTokens(r, step) + r.batchTokens;
    // Capped at ln(50257), the loss of a uniform guess over GPT-2's vocabulary (step 0).
    return std::min(std::log(50257.0), 1.69 + 406.4 / std::pow(r.params, 0.34) +
                                           410.7 / std::pow(d, 0.28) + r.lossOffset);
}

// Training loss: slightly below held-out, with a deterministic wiggle.
inline double sweepTrainLoss(const SweepRun& r, long step) {
    return sweepValLoss(r, step) - 0.02 + 0.015 * std::sin(0.37 * static_cast<double>(step));
}

inline double sweepWallSeconds(const SweepRun& r, long step) {
    return static_cast<double>(step) * 0.02 * (r.params / 25e6) * (r.batchTokens / 65536);
}

// Logged steps: 0, logEvery, ..., lastStep; val_loss on every fourth and the last.
inline std::vector<long> sweepSteps(const SweepRun& r) {
    std::vector<long> steps;
    for (long s = 0; s < r.lastStep; s += r.logEvery)
        steps.push_back(s);
    steps.push_back(r.lastStep);
    return steps;
}
inline bool sweepEvalRow(std::size_t i, std::size_t count) {
    return i % 4 == 0 || i + 1 == count;
}

inline void writeSweepSteps(const std::filesystem::path& path, const std::vector<SweepRun>& runs) {
    std::ofstream f(path);
    f << "run,step,tokens,flops,wall_time_s,lr,train_loss,val_loss\n";
    f.precision(9);
    for (const SweepRun& r : runs) {
        const auto steps = sweepSteps(r);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const long s = steps[i];
            const double tokens = sweepTokens(r, s);
            f << r.name << ',' << s << ',' << tokens << ',' << 6.0 * r.params * tokens << ','
              << sweepWallSeconds(r, s) << ',' << sweepLr(r, s) << ',' << sweepTrainLoss(r, s)
              << ',';
            if (sweepEvalRow(i, steps.size()))
                f << sweepValLoss(r, s);
            f << '\n';
        }
    }
}

inline void writeSweepSummary(const std::filesystem::path& path,
                              const std::vector<SweepRun>& runs) {
    // Runs that name their sweep add two columns: `sweep` and the schedule's `total_steps`.
    const bool sweeps =
        std::any_of(runs.begin(), runs.end(), [](const SweepRun& r) { return !r.sweep.empty(); });
    std::ofstream f(path);
    f << "name,size,params_total,params_non_embedding,budget_flops,batch,peak_lr,"
         "final_train_loss,final_val_loss,status"
      << (sweeps ? ",sweep,total_steps\n" : "\n");
    f.precision(9);
    for (const SweepRun& r : runs) {
        f << r.name << ',' << r.size << ',' << r.params << ',' << r.paramsNonEmbedding << ','
          << r.budget << ',' << r.batchTokens << ',' << r.peakLr << ','
          << sweepTrainLoss(r, r.lastStep) << ',' << sweepValLoss(r, r.lastStep) << ','
          << (r.stopped ? "stopped" : "finished");
        if (sweeps)
            f << ',' << r.sweep << ',' << r.steps;
        f << '\n';
    }
}

}  // namespace scalelens::test
