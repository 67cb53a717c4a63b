// The background part of an import: every file into the project through a connection of its
// own, one transaction per file, with progress and cancellation.
//
//   ImportOutcome out = runImport(projectPath, files, config, [&](double f) { return !cancel; });
//
// The import dialog runs this on a worker thread (QtConcurrent); WAL lets the GUI keep reading
// the project meanwhile. A file that fails or is cancelled writes nothing; files before it stay.
#pragma once

#include <datasets/import.h>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace scalelens::ui {

// Outcome of one background import (one entry per file).
struct ImportOutcome {
    bool ok = false;         // every file imported (or skipped as an exact duplicate)
    bool cancelled = false;  // the user pressed Cancel; the current file wrote nothing
    QString message;         // error ("file:line:col: ...") or a summary for the status bar
    int filesImported = 0;   // files written (or skipped as duplicates) before any error
    qint64 runsAdded = 0;
    qint64 runsUpdated = 0;
    qint64 runsConflicted = 0;  // updated runs with a field that differed (see warnings)
    qint64 metricRows = 0;
    QStringList duplicates;  // files skipped because the same bytes were imported before
    QStringList warnings;    // importer warnings, "file:line:col: ..."
};

// Imports `paths` into the project file at `projectPath` on the calling thread, through a
// connection of its own. `progress` gets the overall fraction; returning false cancels.
ImportOutcome runImport(const QString& projectPath, const QStringList& paths,
                        const data::ImportConfig& config, const fit::ProgressCallback& progress);

}  // namespace scalelens::ui
