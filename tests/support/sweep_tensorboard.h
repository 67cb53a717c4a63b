// The TensorBoard directory of the sweep of sweep_logs.h: one folder per run (the run name is
// the folder's), each with an events file holding train/loss and train/lr at every logged step
// and val/loss at evaluation steps, written with the protobuf messages the importer reads.
// Needs the test's own event writer (tests/datasets/tensorboard_writer.h) and protobuf.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sweep_logs.h"

namespace scalelens::test {

template <class EventWriter>
void writeSweepTensorBoard(const std::filesystem::path& dir, const std::vector<SweepRun>& runs) {
    for (const SweepRun& r : runs) {
        EventWriter w;
        const auto steps = sweepSteps(r);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            const long s = steps[i];
            const double wall = 1700000000.0 + sweepWallSeconds(r, s);
            w.scalar("train/loss", s, static_cast<float>(sweepTrainLoss(r, s)), wall);
            w.scalar("train/lr", s, static_cast<float>(sweepLr(r, s)), wall);
            if (sweepEvalRow(i, steps.size()))
                w.scalar("val/loss", s, static_cast<float>(sweepValLoss(r, s)), wall);
        }
        w.save(dir / r.name / "events.out.tfevents.1700000000.host.1.0");
    }
}

}  // namespace scalelens::test
