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

// Options of the Chinchilla-family fits (`fit --law chinchilla|kaplan|isoflop` and
// `allocate --input|--project`): where the runs come from, the engine, the loss metric.
struct ChinchillaFitArgs {
    TableOptions table;
    EngineArgs engine;
    std::string lossMetric = "loss";
    std::optional<long long> dropHighestLoss;
};
// Declares the options above (the engine's only `withEngine`: IsoFLOP profiles use none);
// returns them, for allocate, where they apply only with --input or --project.
std::vector<CLI::Option*> addChinchillaFitOptions(CLI::App& app, ChinchillaFitArgs& args,
                                                  bool withEngine);

// Rewrites `--map N=a,D=b,L=c` into one KEY=COLUMN per key (the importer's form) and maps
// L to the loss metric's name.
std::vector<std::string> normaliseMap(const std::vector<std::string>& maps,
                                      const std::string& lossMetric);

// FitOptions from --loss, --delta, --bootstrap, --seed and --threads (the rest at their
// documented defaults). Throws UsageError naming the option when a value is not accepted.
fit::FitOptions fitOptionsFromArgs(const EngineArgs& args);

// Loads runs from --input/--project (efficiency::loadRunTable, --map normalised as above),
// keeps those with N, D (or C) and the loss, and drops the `drop` highest losses (loss
// strictly below the drop-th largest, as Besiroglu et al. 2024). Returns an exit code;
// messages go to stderr.
int loadPoints(const TableOptions& table, const std::string& lossMetric, long long drop,
               std::vector<Point>* out);

}  // namespace scalelens::cli
