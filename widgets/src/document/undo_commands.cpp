#include "widgets/document/undo_commands.h"

#include <datasets/project.h>
#include <QVariantMap>

namespace scalelens::ui {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString runName(ProjectDocument* document, qint64 runId) {
    const auto run = document->project() ? document->project()->run(runId) : std::nullopt;
    return run ? qs(run->name) : QString::number(runId);
}

// "run 'x'" for one run, "3 runs" for several.
QString runsPhrase(ProjectDocument* document, const QList<qint64>& runIds) {
    if (runIds.size() == 1)
        return undoText("run '%1'").arg(runName(document, runIds.front()));
    return undoText("%1 runs").arg(runIds.size());
}

std::optional<data::RunField> fieldFromKey(const QString& key) {
    for (int i = 0; i < static_cast<int>(data::RunField::Count); ++i) {
        const auto field = static_cast<data::RunField>(i);
        const auto name = data::fieldKey(field);
        if (key == QLatin1String(name.data(), qsizetype(name.size())))
            return field;
    }
    return std::nullopt;
}

QString fieldTitle(const QString& key) {
    for (const auto& info : ProjectDocument::runFieldKeys()) {
        if (info.key == key)
            return info.title;
    }
    return key;
}

// Loads a run or explains why not.
std::optional<data::Run> loadRun(ProjectDocument* document, qint64 runId, QString* error) {
    auto run = document->project() ? document->project()->run(runId) : std::nullopt;
    if (!run && error)
        *error = undoText("Run %1 no longer exists.").arg(runId);
    return run;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

SetRunsExcluded::SetRunsExcluded(ProjectDocument* document, const QList<qint64>& runIds,
                                 bool excluded)
    : ChangeValue<bool>(document, runIds, excluded) {
    setText((excluded ? undoText("Exclude %1") : undoText("Include %1"))
                .arg(runsPhrase(document, runIds)));
}

bool SetRunsExcluded::getValue(qint64 runId) const {
    const auto run = loadRun(document(), runId, nullptr);
    return run && run->excluded;
}

bool SetRunsExcluded::setValue(qint64 runId, const bool& value, QString* error) {
    std::string message;
    if (document()->project()->setExcluded(runId, value, &message))
        return true;
    *error = qs(message);
    return false;
}

// ---------------------------------------------------------------------------------------------

RenameRun::RenameRun(ProjectDocument* document, qint64 runId, const QString& newName)
    : ChangeValue<QString>(document, {runId}, newName) {
    setText(undoText("Rename run '%1' to '%2'").arg(runName(document, runId), newName));
}

bool RenameRun::mergeWith(const QUndoCommand* other) {
    // Renaming the same run twice in a row is one step: undo goes back to the first name.
    const auto* rename = dynamic_cast<const RenameRun*>(other);
    if (!rename || rename->runIds() != runIds())
        return false;
    // After our redo, values() holds the previous name; the other command's redo already
    // wrote its name and holds ours. Keeping our values() makes undo restore the original.
    const QString original = values().front();
    setText(undoText("Rename run '%1' to '%2'").arg(original, runName(document(), runIds()[0])));
    return true;
}

QString RenameRun::getValue(qint64 runId) const {
    const auto run = loadRun(document(), runId, nullptr);
    return run ? qs(run->name) : QString();
}

bool RenameRun::setValue(qint64 runId, const QString& value, QString* error) {
    std::string message;
    if (document()->project()->renameRun(runId, value.toStdString(), &message))
        return true;
    *error = qs(message);
    return false;
}

// ---------------------------------------------------------------------------------------------

SetRunsGroup::SetRunsGroup(ProjectDocument* document, const QList<qint64>& runIds,
                           const QString& group)
    : ChangeValue<QString>(document, runIds, group) {
    setText(undoText("Move %1 to group '%2'").arg(runsPhrase(document, runIds), group));
}

QString SetRunsGroup::getValue(qint64 runId) const {
    const auto run = loadRun(document(), runId, nullptr);
    return run ? qs(run->group) : QString();
}

bool SetRunsGroup::setValue(qint64 runId, const QString& value, QString* error) {
    auto run = loadRun(document(), runId, error);
    if (!run)
        return false;
    run->group = value.toStdString();
    std::string message;
    if (document()->project()->updateRun(*run, &message))
        return true;
    *error = qs(message);
    return false;
}

// ---------------------------------------------------------------------------------------------

SetRunField::SetRunField(ProjectDocument* document, qint64 runId, const QString& fieldKey,
                         const QVariant& value)
    : ChangeValue<QVariant>(document, {runId}, value), m_fieldKey(fieldKey) {
    setText(undoText("Set %1 of run '%2'").arg(fieldTitle(fieldKey), runName(document, runId)));
}

bool SetRunField::isKnownField(const QString& key) {
    return fieldFromKey(key).has_value();
}

bool SetRunField::mergeWith(const QUndoCommand* other) {
    const auto* edit = dynamic_cast<const SetRunField*>(other);
    // Our values() keeps the value from before the first edit, so undo restores it.
    return edit && edit->m_fieldKey == m_fieldKey && edit->runIds() == runIds();
}

// The value before an edit comes back with its derived bit (undo restores a derived D as
// derived): {"value": v, "derived": true}. A typed value is a plain number, never derived.
QVariant SetRunField::getValue(qint64 runId) const {
    const auto run = loadRun(document(), runId, nullptr);
    const auto field = fieldFromKey(m_fieldKey);
    if (!run || !field || !run->field(*field))
        return QVariant();
    if (run->isDerived(*field))
        return QVariantMap{{QStringLiteral("value"), *run->field(*field)},
                           {QStringLiteral("derived"), true}};
    return QVariant(*run->field(*field));
}

bool SetRunField::setValue(qint64 runId, const QVariant& value, QString* error) {
    auto run = loadRun(document(), runId, error);
    const auto field = fieldFromKey(m_fieldKey);
    if (!run || !field)
        return false;
    const bool derived = value.typeId() == QMetaType::QVariantMap;
    const QVariant number = derived ? value.toMap().value(QStringLiteral("value")) : value;
    if (number.isValid())
        run->field(*field) = number.toDouble();
    else
        run->field(*field).reset();
    // A value the user typed is given, not derived; undo restores a derived one as derived.
    run->setDerived(*field, derived);
    std::string message;
    if (document()->project()->updateRun(*run, &message))
        return true;
    *error = qs(message);
    return false;
}

// ---------------------------------------------------------------------------------------------

SetRunFinalValue::SetRunFinalValue(ProjectDocument* document, qint64 runId, const QString& metric,
                                   const QVariant& value)
    : ChangeValue<QVariant>(document, {runId}, value), m_metric(metric) {
    setText(undoText("Set final %1 of run '%2'").arg(metric, runName(document, runId)));
}

bool SetRunFinalValue::mergeWith(const QUndoCommand* other) {
    const auto* edit = dynamic_cast<const SetRunFinalValue*>(other);
    return edit && edit->m_metric == m_metric && edit->runIds() == runIds();
}

QVariant SetRunFinalValue::getValue(qint64 runId) const {
    const auto value = document()->project()->summaryValue(runId, m_metric.toStdString());
    return value ? QVariant(*value) : QVariant();
}

bool SetRunFinalValue::setValue(qint64 runId, const QVariant& value, QString* error) {
    std::string message;
    const std::optional<double> v =
        value.isValid() ? std::optional<double>(value.toDouble()) : std::nullopt;
    if (document()->project()->setSummaryValue(runId, m_metric.toStdString(), v, &message))
        return true;
    *error = qs(message);
    return false;
}

// ---------------------------------------------------------------------------------------------

DeleteRuns::DeleteRuns(ProjectDocument* document, const QList<qint64>& runIds)
    : m_document(document), m_runIds(runIds) {
    setText(undoText("Delete %1").arg(runsPhrase(document, runIds)));
}

DeleteRuns::~DeleteRuns() = default;

void DeleteRuns::redo() {
    std::vector<std::unique_ptr<data::RunSnapshot>> snapshots;
    const bool ok = m_document->transaction([&](QString* error) {
        for (qint64 id : m_runIds) {
            auto snapshot = std::make_unique<data::RunSnapshot>();
            std::string message;
            if (!m_document->project()->deleteRun(id, snapshot.get(), &message)) {
                *error = qs(message);
                return false;
            }
            snapshots.push_back(std::move(snapshot));
        }
        return true;
    });
    if (ok)
        m_snapshots = std::move(snapshots);
    else
        setObsolete(true);  // nothing was deleted: QUndoStack drops the command
    m_document->emitRunsEdited(true);
}

void DeleteRuns::undo() {
    const bool ok = m_document->transaction([&](QString* error) {
        for (const auto& snapshot : m_snapshots) {
            std::string message;
            if (!m_document->project()->restoreRun(*snapshot, &message)) {
                *error = qs(message);
                return false;
            }
        }
        return true;
    });
    if (ok)
        m_snapshots.clear();
    else
        setObsolete(true);
    m_document->emitRunsEdited(true);
}

// ---------------------------------------------------------------------------------------------

namespace {
std::optional<data::RunSchedule> readRecord(data::Project* p, qint64 runId,
                                            const data::RunSchedule*) {
    return p->runSchedule(runId);
}
std::optional<data::RunForecast> readRecord(data::Project* p, qint64 runId,
                                            const data::RunForecast*) {
    return p->runForecast(runId);
}
bool writeRecord(data::Project* p, qint64 runId, const std::optional<data::RunSchedule>& v,
                 std::string* error) {
    return v ? p->setRunSchedule(*v, error) : p->clearRunSchedule(runId, error);
}
bool writeRecord(data::Project* p, qint64 runId, const std::optional<data::RunForecast>& v,
                 std::string* error) {
    return v ? p->setRunForecast(*v, error) : p->clearRunForecast(runId, error);
}
}  // namespace

template <typename Record>
void SwapRunRecord<Record>::swap() {
    std::optional<Record> previous;
    const bool ok = m_document->transaction([&](QString* error) {
        data::Project* p = m_document->project();
        previous = readRecord(p, m_runId, static_cast<const Record*>(nullptr));
        std::string message;
        if (writeRecord(p, m_runId, m_value, &message))
            return true;
        *error = qs(message);
        return false;
    });
    if (ok)
        m_value = std::move(previous);
    else
        setObsolete(true);
    m_document->emitRunsEdited(false);
}

template class SwapRunRecord<data::RunSchedule>;
template class SwapRunRecord<data::RunForecast>;

SetRunSchedule::SetRunSchedule(ProjectDocument* document, qint64 runId,
                               std::optional<data::RunSchedule> schedule)
    : SwapRunRecord(document, runId, std::move(schedule)) {
    setText(undoText("Set schedule of run '%1'").arg(runName(document, runId)));
}

SetRunForecast::SetRunForecast(ProjectDocument* document, qint64 runId,
                               std::optional<data::RunForecast> forecast)
    : SwapRunRecord(document, runId, std::move(forecast)) {
    setText(undoText("Store forecast of run '%1'").arg(runName(document, runId)));
}

}  // namespace scalelens::ui
