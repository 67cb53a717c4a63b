// Run loading shared by `fit --law chinchilla|kaplan|isoflop` and `allocate --input`.
#pragma once

#include <string>
#include <vector>

#include <analysis/law_inputs.h>
#include <analysis/run_table.h>
#include <fitting/chinchilla_fit.h>

#include "command.h"

namespace scalelens::cli {

// Options of the Chinchilla-family fits (`fit --law chinchilla|kaplan|isoflop` and
// `allocate --input|--project`): where the runs come from, the engine, the loss metric.
struct ChinchillaFitArgs {
    TableOptions table;
    EngineArgs engine;
    std::string lossMetric;  // "": the project's choice (analysis/loss_metric.h)
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

// Loads runs from --input/--project (efficiency::loadRunTable, --map normalised as above) into
// the (N, D, L) table of analysis/law_inputs.h and drops the `drop` highest losses
// (analysis::dropHighestLoss; K at or above the number of points throws UsageError naming
// --drop-highest-loss). Returns an exit code; messages go to stderr.
// `selection`, when given, receives analysis::selectionDiagnostics of the rows used.
int loadNdl(const TableOptions& table, const std::string& lossMetric, long long drop,
            analysis::NdlInputs* out, std::vector<fit::Diagnostic>* selection = nullptr);
// The same table as loaded by loadNdl, for laws that build their own inputs.
int loadTable(const TableOptions& table, const std::string& lossMetric, analysis::RunTable* out);

}  // namespace scalelens::cli
