// Run loading shared by `fit --law chinchilla|kaplan|isoflop` and `allocate --input`.
#pragma once

#include <string>
#include <vector>

#include <fitting/chinchilla_fit.h>

#include "command.h"

namespace scalelens::cli {

struct Point {
    double N = 0;  // parameters
    double D = 0;  // tokens (C/(6N) when only C is given)
    double C = 0;  // FLOPs (6ND when only D is given)
    double L = 0;  // final loss
};

// Rewrites `--map N=a,D=b,L=c` into one `--map KEY=COL` per key (the importer's form) and maps
// L to the loss metric's name.
std::vector<std::string> normaliseMap(const std::vector<std::string>& args,
                                      const std::string& lossMetric);
// The value of --loss-metric, default "loss".
std::string lossMetricOf(const std::vector<std::string>& args);

// FitOptions from --loss, --delta, --bootstrap, --seed and --threads (the rest at their
// documented defaults). Throws UsageError naming the option when a value is not accepted.
fit::FitOptions fitOptionsFromArgs(const ArgParser& args);

// Loads runs from --input/--project (efficiency::loadRunTable), keeps those with N, D (or C)
// and the loss, and drops the `drop` highest losses (loss strictly below the drop-th largest,
// as Besiroglu et al. 2024). Returns an exit code; messages go to stderr.
int loadPoints(const ArgParser& args, const std::string& lossMetric, long long drop,
               std::vector<Point>* out);

}  // namespace scalelens::cli
