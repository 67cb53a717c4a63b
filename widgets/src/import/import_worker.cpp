#include "widgets/import/import_worker.h"

#include <datasets/project.h>
#include <QCoreApplication>
#include <QFileInfo>
#include <algorithm>

namespace scalelens::ui {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace

ImportOutcome runImport(const QString& projectPath, const QStringList& paths,
                        const data::ImportConfig& config, const fit::ProgressCallback& progress) {
    ImportOutcome outcome;
    std::string error;
    auto project = data::Project::open(projectPath.toStdString(), &error);
    if (!project) {
        outcome.message = qs(error);
        return outcome;
    }
    const int n = int(paths.size());
    bool cancelled = false;
    int imported = 0;
    for (int i = 0; i < n; ++i) {
        const QString& path = paths[i];
        auto perFile = [&](double fraction) {
            const bool go = !progress || progress((i + fraction) / std::max(1, n));
            cancelled = cancelled || !go;
            return go;
        };
        data::ImportReport report;
        error.clear();
        if (!project->importFile(path.toStdString(), config, &report, &error, perFile)) {
            outcome.cancelled = cancelled;
            QString message = cancelled
                                  ? QCoreApplication::translate("ImportDialog",
                                                                "Import cancelled; %1 was not "
                                                                "imported.")
                                        .arg(QFileInfo(path).fileName())
                                  : qs(error);
            if (imported > 0)
                message = QCoreApplication::translate("ImportDialog",
                                                      "%1 of %2 files imported before the error. "
                                                      "%3")
                              .arg(imported)
                              .arg(n)
                              .arg(message);
            outcome.message = message;
            return outcome;
        }
        ++imported;
        outcome.filesImported = imported;
        if (report.duplicateOfImport != 0)
            outcome.duplicates << QFileInfo(path).fileName();
        outcome.runsAdded += report.runsAdded;
        outcome.runsUpdated += report.runsUpdated;
        outcome.runsConflicted += report.runsConflicted;
        outcome.metricRows += report.metricRows;
        for (const auto& w : report.warnings) {
            outcome.warnings << qs(w.message);
        }
        for (const auto& c : report.conflicts)
            outcome.warnings << qs(c);
        for (const auto& line : report.stoppedRuns)
            outcome.warnings << qs(line);
    }
    outcome.ok = true;
    QString summary =
        QCoreApplication::translate("ImportDialog",
                                    "Imported %1 file(s): %2 runs added, %3 updated, %4 "
                                    "conflicted, %5 metric rows.")
            .arg(n)
            .arg(outcome.runsAdded)
            .arg(outcome.runsUpdated)
            .arg(outcome.runsConflicted)
            .arg(outcome.metricRows);
    if (!outcome.duplicates.isEmpty())
        summary += QLatin1Char(' ') +
                   QCoreApplication::translate("ImportDialog", "Skipped (already imported): %1.")
                       .arg(outcome.duplicates.join(QStringLiteral(", ")));
    if (!outcome.warnings.isEmpty())
        summary += QLatin1Char(' ') + QCoreApplication::translate("ImportDialog", "%1 warning(s).")
                                          .arg(outcome.warnings.size());
    outcome.message = summary;
    return outcome;
}

}  // namespace scalelens::ui
