// Undo commands for every edit of a project (STYLE.md D.9).
//
// ChangeValue<Value> is the one generic "change a value on some runs" command, after Tiled's
// changevalue.h: it holds the run ids and one value per run; redo() and undo() are the same
// operation, a swap of the stored values with the ones in the project, so the command needs no
// separate "old value" bookkeeping and works however many times it is undone and redone.
// Concrete commands (SetRunsExcluded, RenameRun, ...) only give the undo text and implement
// getValue()/setValue() against data::Project.
//
// Every setValue() is followed by ProjectDocument::emitRunsEdited(), so views refresh from the
// document's signals, not from whoever pushed the command.
//
// Merge ids live in UndoCommandId, so a sequence of edits of the same field of the same run
// (e.g. typing in a cell) collapses into one undo step.
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QUndoCommand>
#include <QVariant>
#include <memory>
#include <utility>
#include <vector>

#include "widgets/document/project_document.h"

#include <datasets/project.h>

namespace scalelens::data {
struct RunSnapshot;
}

namespace scalelens::ui {

class ProjectDocument;

// Merge ids of all commands, in one place (Tiled: undocommands.h). -1 means "never merge".
enum class UndoCommandId : int {
    SetRunsExcluded = 1,
    RenameRun,
    SetRunsGroup,
    SetRunField,
    DeleteRuns,
    SetRunFinalValue,
};

// Translation context of all undo texts.
inline QString undoText(const char* text) {
    return QCoreApplication::translate("Undo Commands", text);
}

template <typename Value>
class ChangeValue : public QUndoCommand {
  public:
    // One value per run id: `values[i]` is written to run `runIds[i]` on the first redo().
    ChangeValue(ProjectDocument* document, QList<qint64> runIds, std::vector<Value> values,
                QUndoCommand* parent = nullptr)
        : QUndoCommand(parent),
          m_document(document),
          m_runIds(std::move(runIds)),
          m_values(std::move(values)) {}
    // The same value for every run.
    ChangeValue(ProjectDocument* document, QList<qint64> runIds, const Value& value,
                QUndoCommand* parent = nullptr)
        : ChangeValue(document, runIds, std::vector<Value>(runIds.size(), value), parent) {}

    void undo() override { swap(); }
    void redo() override { swap(); }

    const QList<qint64>& runIds() const { return m_runIds; }

  protected:
    virtual Value getValue(qint64 runId) const = 0;
    // Writes one value; false (with the reason in *error) when the store refused.
    virtual bool setValue(qint64 runId, const Value& value, QString* error) = 0;
    // Whether the edit touched metric rows as well as run fields.
    virtual bool touchesMetrics() const { return false; }

    ProjectDocument* document() const { return m_document; }

    // For mergeWith(): replace the values to be written by a later command's, keeping the
    // earliest old values (so one undo goes back to before the first edit).
    std::vector<Value>& values() { return m_values; }

  private:
    void swap();

    ProjectDocument* m_document;
    QList<qint64> m_runIds;
    std::vector<Value> m_values;
};

template <typename Value>
void ChangeValue<Value>::swap() {
    // All runs change in one transaction: either every value is swapped or none is.
    std::vector<Value> previous;
    previous.reserve(m_values.size());
    const bool ok = m_document->transaction([&](QString* error) {
        for (qsizetype i = 0; i < m_runIds.size(); ++i) {
            previous.push_back(getValue(m_runIds[i]));
            if (!setValue(m_runIds[i], m_values[size_t(i)], error))
                return false;
        }
        return true;
    });
    if (ok)
        m_values = std::move(previous);
    else
        setObsolete(true);  // the store refused: QUndoStack drops the command, nothing changed
    m_document->emitRunsEdited(touchesMetrics());
}

// "Exclude 3 runs" / "Include run 'x'".
class SetRunsExcluded : public ChangeValue<bool> {
  public:
    SetRunsExcluded(ProjectDocument* document, const QList<qint64>& runIds, bool excluded);
    int id() const override { return -1; }

  protected:
    bool getValue(qint64 runId) const override;
    bool setValue(qint64 runId, const bool& value, QString* error) override;
};

// "Rename run 'x' to 'y'".
class RenameRun : public ChangeValue<QString> {
  public:
    RenameRun(ProjectDocument* document, qint64 runId, const QString& newName);
    int id() const override { return static_cast<int>(UndoCommandId::RenameRun); }
    bool mergeWith(const QUndoCommand* other) override;

  protected:
    QString getValue(qint64 runId) const override;
    bool setValue(qint64 runId, const QString& value, QString* error) override;
};

// "Move 2 runs to group 'g'".
class SetRunsGroup : public ChangeValue<QString> {
  public:
    SetRunsGroup(ProjectDocument* document, const QList<qint64>& runIds, const QString& group);

  protected:
    QString getValue(qint64 runId) const override;
    bool setValue(qint64 runId, const QString& value, QString* error) override;
};

// "Set tokens of run 'x'": one numeric field by key (see ProjectDocument::runFieldKeys());
// an invalid QVariant means "no value". Consecutive edits of the same field of the same run
// merge into one step.
class SetRunField : public ChangeValue<QVariant> {
  public:
    SetRunField(ProjectDocument* document, qint64 runId, const QString& fieldKey,
                const QVariant& value);
    int id() const override { return static_cast<int>(UndoCommandId::SetRunField); }
    bool mergeWith(const QUndoCommand* other) override;

    // Whether `key` names a field SetRunField can edit.
    static bool isKnownField(const QString& key);

  protected:
    QVariant getValue(qint64 runId) const override;
    bool setValue(qint64 runId, const QVariant& value, QString* error) override;

  private:
    QString m_fieldKey;
};

// "Set final val_loss of run 'x'": the run's summary value of a metric (the value the views
// and fits read as its final value; data::Project::setSummaryValue). An invalid QVariant
// removes it, so the final value falls back to the curve's last point. Consecutive edits of
// the same metric of the same run merge into one step.
class SetRunFinalValue : public ChangeValue<QVariant> {
  public:
    SetRunFinalValue(ProjectDocument* document, qint64 runId, const QString& metric,
                     const QVariant& value);
    int id() const override { return static_cast<int>(UndoCommandId::SetRunFinalValue); }
    bool mergeWith(const QUndoCommand* other) override;

  protected:
    QVariant getValue(qint64 runId) const override;
    bool setValue(qint64 runId, const QVariant& value, QString* error) override;
    bool touchesMetrics() const override { return true; }

  private:
    QString m_metric;
};

// "Delete 3 runs": removes runs with all their metrics; undo restores them from snapshots
// taken at deletion time (same ids, same metric rows).
class DeleteRuns : public QUndoCommand {
  public:
    DeleteRuns(ProjectDocument* document, const QList<qint64>& runIds);
    ~DeleteRuns() override;
    void undo() override;
    void redo() override;

  private:
    ProjectDocument* m_document;
    QList<qint64> m_runIds;
    std::vector<std::unique_ptr<data::RunSnapshot>> m_snapshots;
};

// "Set schedule of run 'x'" / "Store forecast of run 'x'": a run's stored schedule or forecast
// (data::RunSchedule / data::RunForecast), or none. redo() and undo() swap the value held with
// the one in the project, as ChangeValue does, so undo restores the previous one exactly.
template <typename Record>
class SwapRunRecord : public QUndoCommand {
  public:
    SwapRunRecord(ProjectDocument* document, qint64 runId, std::optional<Record> value)
        : m_document(document), m_runId(runId), m_value(std::move(value)) {}
    void undo() override { swap(); }
    void redo() override { swap(); }

  private:
    void swap();
    ProjectDocument* m_document;
    qint64 m_runId;
    std::optional<Record> m_value;
};

class SetRunSchedule : public SwapRunRecord<data::RunSchedule> {
  public:
    SetRunSchedule(ProjectDocument* document, qint64 runId,
                   std::optional<data::RunSchedule> schedule);
};

class SetRunForecast : public SwapRunRecord<data::RunForecast> {
  public:
    SetRunForecast(ProjectDocument* document, qint64 runId,
                   std::optional<data::RunForecast> forecast);
};

}  // namespace scalelens::ui
