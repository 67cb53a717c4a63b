// ProjectDocument: the open project, its undo history and its change signals.
//
// One ProjectDocument exists per main window. It owns the data::Project (the SQLite store from
// datasets/), the single QUndoStack on which EVERY user edit of the project is pushed
// (STYLE.md D.9, after Tiled's Document), the file path, and the run selection shared by the
// runs panel, the selected-runs table, the plots and the fit panel.
//
// Panels and views read through project() and refresh from the signals below, never from
// whoever made the edit:
//
//   connect(doc, &ProjectDocument::runsChanged, this, &MyView::reload);
//   doc->setRunsExcluded({runId}, true);    // pushes "Exclude run 'x'" on undoStack()
//   doc->undoStack()->undo();               // the run is included again, runsChanged emitted
//
// Writes that are not undoable user edits (an import, a saved fit) go straight to project()
// and are then announced with notifyImported() / notifyFitsChanged() so every view updates.
//
// Threading: the document and its Project live on the GUI thread. Background work (import,
// fits) opens its own data::Project on path() or works on copied data, then reports back.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QVariant>
#include <functional>
#include <memory>
#include <optional>

#include <datasets/project.h>

#include "widgets/document/view_fit_cache.h"

class QUndoStack;

namespace scalelens::data {
class Project;
}

namespace scalelens::ui {

class ProjectDocument : public QObject {
    Q_OBJECT
  public:
    explicit ProjectDocument(QObject* parent = nullptr);
    ~ProjectDocument() override;

    // --- file life cycle (each clears the undo stack and emits projectReplaced) -------------
    // Creates a new, empty project file at `path` (an existing file there is replaced).
    bool create(const QString& path, QString* error = nullptr);
    // Opens an existing project file. On failure the current project stays open.
    bool open(const QString& path, QString* error = nullptr);
    // Writes a crash-safe copy to `path` (SQLite backup API) and continues working on it.
    bool saveAs(const QString& path, QString* error = nullptr);
    // Closes the project (isOpen() becomes false).
    void close();

    bool isOpen() const { return m_project != nullptr; }
    // Absolute path of the open project file; empty when closed.
    QString path() const { return m_path; }
    // The store. nullptr when no project is open. Do not keep the pointer across
    // projectReplaced(). Write through the edit functions below so edits are undoable.
    data::Project* project() { return m_project.get(); }
    const data::Project* project() const { return m_project.get(); }
    // The stack every edit of the project is pushed on. Owned by the document.
    QUndoStack* undoStack() const { return m_undoStack; }

    // --- undoable edits (each pushes one QUndoCommand; see undo_commands.h) ----------------
    // Exclude (true) or include (false) runs in fits and plots. "Exclude 3 runs".
    void setRunsExcluded(const QList<qint64>& runIds, bool excluded);
    // "Rename run 'x' to 'y'". Empty or unchanged names are ignored.
    void renameRun(qint64 runId, const QString& newName);
    // Moves runs to another group / sweep ("Move 2 runs to group 'g'").
    void setRunsGroup(const QList<qint64>& runIds, const QString& group);
    // Sets one numeric field of a run (re-map or correct a value), by the field's key as
    // named in runFieldKeys(); an invalid QVariant clears the value.
    bool setRunField(qint64 runId, const QString& fieldKey, const QVariant& value,
                     QString* error = nullptr);
    // Sets the final value of `metric` for a run (final loss, say): stored as the run's
    // summary value, which views and fits read before the curve's last point; an invalid
    // QVariant removes it. "Set final val_loss of run 'x'".
    bool setRunFinalValue(qint64 runId, const QString& metric, const QVariant& value,
                          QString* error = nullptr);
    // Deletes runs with their metrics; undo restores them, metrics included.
    void deleteRuns(const QList<qint64>& runIds);
    // Stores (nullopt: removes) a run's planned LR schedule / its forecast final loss; undo
    // restores the previous one. False (nothing pushed) for a missing run or a record the store
    // refuses (invalid schedule, non-finite loss), with the reason.
    bool setRunSchedule(qint64 runId, const std::optional<data::RunSchedule>& schedule,
                        QString* error = nullptr);
    bool setRunForecast(qint64 runId, const std::optional<data::RunForecast>& forecast,
                        QString* error = nullptr);

    // Keys accepted by setRunField, with user-visible titles, in display order.
    struct RunFieldInfo {
        QString key;    // e.g. "params", "tokens", "flops", "lr", "batch_tokens", "seq_len"
        QString title;  // e.g. "Parameters (N)"
        QString unit;   // e.g. "tokens", "FLOP"; empty when unit-less
    };
    static const QList<RunFieldInfo>& runFieldKeys();

    // --- announcements of non-undoable writes ---------------------------------------------
    // After project()->applyImport(...) (or any bulk write of runs and metrics).
    void notifyImported();
    // After project()->saveFit(...) / deleteFit(...).
    void notifyFitsChanged();
    // After analysis::setLossMetric(...): every view, table and fit reads another metric.
    void notifyLossMetricChanged();

    // --- derived results ---------------------------------------------------------------
    // Fits the views computed on the fly for the current data (see view_fit_cache.h). Emptied
    // before any change signal is emitted, so a slot never sees a fit of the old data. Shared:
    // a worker prefetching a fit keeps it alive.
    std::shared_ptr<ViewFitCache> viewFitCache() const { return m_viewFitCache; }

    // --- run selection (shared by runs panel, table, plots, fit panel) --------------------
    QList<qint64> selectedRuns() const { return m_selection; }
    // Emits selectionChanged when the set differs.
    void setSelectedRuns(const QList<qint64>& runIds);

    // Runs `body` in one store transaction (all or nothing). A failure is reported through
    // errorOccurred and returns false. Used by the undo commands.
    bool transaction(const std::function<bool(QString* error)>& body);
    // Used by the undo commands: emit the change signals for an edit that just happened.
    void emitRunsEdited(bool metricsToo);
    // Used by the undo commands: reports a failed write (signal errorOccurred).
    void reportError(const QString& message);

  signals:
    // A different project is open (or none): reload everything.
    void projectReplaced();
    void pathChanged(const QString& path);
    // Runs were added, removed, renamed, excluded or had a field edited.
    void runsChanged();
    // Metric rows were added or removed.
    void metricsChanged();
    // Saved fits were added or removed.
    void fitsChanged();
    // Anything a fit depends on changed (follows runsChanged / metricsChanged); fits compare
    // data::Project::dataFingerprint() to decide whether they are stale.
    void dataChanged();
    void selectionChanged(const QList<qint64>& runIds);
    // A write failed; the message is for the user (status bar / message box).
    void errorOccurred(const QString& message);

  private:
    void replaceProject(std::unique_ptr<data::Project> project, const QString& path);

    std::unique_ptr<data::Project> m_project;
    QString m_path;
    QUndoStack* m_undoStack = nullptr;  // child QObject
    QList<qint64> m_selection;
    std::shared_ptr<ViewFitCache> m_viewFitCache = std::make_shared<ViewFitCache>();
};

}  // namespace scalelens::ui
