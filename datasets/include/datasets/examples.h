// Bundled example data (datasets/examples/, installed to <prefix>/share/scalelens/examples):
// a synthetic Chinchilla-style sweep, a synthetic LR x batch sweep following Step Law, the
// cited open-weight base-model table, and a small sparse-training sweep. See
// datasets/examples/README.md for what each file holds and how it was generated.
//
//   std::string error;
//   if (!data::createExampleProject("/tmp/example.scalelens", &error)) show(error);
#pragma once

#include <string>

namespace scalelens::data {

// Group (sweep) names the example project uses.
inline constexpr const char* kChinchillaGroup = "chinchilla-sweep";
inline constexpr const char* kLrBatchGroup = "lr-batch-sweep";
inline constexpr const char* kModelZooGroup = "model-zoo";
inline constexpr const char* kSparseGroup = "sparse";
inline constexpr const char* kKnowledgeGroup = "knowledge";
// Loss curves with their LR schedules (Multi-Power Law), one run stopped mid-schedule.
inline constexpr const char* kCurveForecastGroup = "curve-forecast";

// Folder holding the example files: <dir of the running binary>/../share/scalelens/examples
// when installed, else the source folder (SCALELENS_EXAMPLES_SOURCE_DIR). Empty if neither
// exists.
std::string examplesDir();

// Creates a new project at `path` (which must not exist) from every example file, runs grouped
// by kChinchillaGroup, kLrBatchGroup, kModelZooGroup, kSparseGroup, kKnowledgeGroup and
// kCurveForecastGroup. On failure no file is left behind and `error` says why.
bool createExampleProject(const std::string& path, std::string* error);

}  // namespace scalelens::data
