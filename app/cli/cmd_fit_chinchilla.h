// Run loading shared by `fit --law chinchilla|kaplan|isoflop` and `allocate --input`.
#pragma once

#include <string>
#include <vector>

#include <analysis/law_inputs.h>
#include <fitting/chinchilla_fit.h>

#include "command.h"

namespace scalelens::cli {

// Rewrites `--map N=a,D=b,L=c` into one `--map KEY=COL` per key (the importer's form) and maps
// L to the loss metric's name.
std::vector<std::string> normaliseMap(const std::vector<std::string>& args,
                                      const std::string& lossMetric);
// The value of --loss-metric, default "loss" (the metric --map L=COLUMN fills).
std::string lossMetricOf(const std::vector<std::string>& args);

// FitOptions from --loss, --delta, --bootstrap, --seed and --threads (the rest at their
// documented defaults). Throws UsageError naming the option when a value is not accepted.
fit::FitOptions fitOptionsFromArgs(const ArgParser& args);

// Loads runs from --input/--project (efficiency::loadRunTable) into the (N, D, L) table of
// analysis/law_inputs.h and drops the `drop` highest losses (analysis::dropHighestLoss; K at
// or above the number of points throws UsageError naming --drop-highest-loss). Returns an exit
// code; messages go to stderr.
int loadNdl(const ArgParser& args, long long drop, analysis::NdlInputs* out);

}  // namespace scalelens::cli
