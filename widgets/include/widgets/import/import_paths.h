// Turns dropped or chosen paths into importable sources for the import dialog.
//
//   const QStringList sources = expandImportPaths({"/data/sweep.csv", "/data/mlruns",
//   "/data/logs"});
//
// Files stay as they are; an MLflow folder (`mlruns`, an experiment or a run folder: it has
// meta.yaml or metrics/) and a TensorBoard log folder (event files below it) stay folders; any
// other folder is replaced by the .csv/.tsv/.txt files below it, sorted. Paths that do not exist
// are dropped; duplicates are removed.
#pragma once

#include <QStringList>

namespace scalelens::ui {

QStringList expandImportPaths(const QStringList& paths);

}  // namespace scalelens::ui
