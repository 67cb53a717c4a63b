#include "widgets/document/project_document.h"

#include <datasets/project.h>
#include <QFile>
#include <QFileInfo>
#include <QUndoStack>
#include <cmath>

#include "widgets/document/undo_commands.h"

namespace scalelens::ui {
namespace {
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
}  // namespace

ProjectDocument::ProjectDocument(QObject* parent)
    : QObject(parent), m_undoStack(new QUndoStack(this)) {}

ProjectDocument::~ProjectDocument() {
    // ~QUndoStack clears the stack and emits indexChanged/cleanChanged; by then this document is
    // half destroyed and so may be a receiver (a window closing). No one must hear it.
    m_undoStack->blockSignals(true);
}

bool ProjectDocument::create(const QString& path, QString* error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // "New" over an existing file replaces it, as every save dialog promises.
    if (QFileInfo::exists(absolute)) {
        if (m_project && m_path == absolute) {
            if (error)
                *error = tr("%1 is the open project; choose another file name.").arg(absolute);
            return false;
        }
        for (const char* suffix : {"", "-wal", "-shm"}) {
            QFile::remove(absolute + QLatin1String(suffix));
        }
    }
    std::string message;
    auto project = data::Project::create(absolute.toStdString(), &message);
    if (!project) {
        if (error)
            *error = qs(message);
        return false;
    }
    replaceProject(std::move(project), absolute);
    return true;
}

bool ProjectDocument::open(const QString& path, QString* error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!QFileInfo::exists(absolute)) {
        if (error)
            *error = tr("%1 does not exist.").arg(absolute);
        return false;
    }
    std::string message;
    auto project = data::Project::open(absolute.toStdString(), &message);
    if (!project) {
        if (error)
            *error = qs(message);
        return false;
    }
    replaceProject(std::move(project), absolute);
    return true;
}

bool ProjectDocument::saveAs(const QString& path, QString* error) {
    if (!m_project) {
        if (error)
            *error = tr("No project is open.");
        return false;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute == m_path)
        return true;  // every edit is already written: the file is saved
    std::string message;
    if (!m_project->saveAs(absolute.toStdString(), &message)) {
        if (error)
            *error = qs(message);
        return false;
    }
    auto copy = data::Project::open(absolute.toStdString(), &message);
    if (!copy) {
        if (error)
            *error = qs(message);
        return false;
    }
    // The copy holds the same data, so the undo history stays meaningful: keep it.
    m_project = std::move(copy);
    m_path = absolute;
    emit pathChanged(m_path);
    return true;
}

void ProjectDocument::close() {
    if (!m_project)
        return;
    replaceProject(nullptr, QString());
}

void ProjectDocument::replaceProject(std::unique_ptr<data::Project> project, const QString& path) {
    // Commands refer to run ids of the old project: they cannot outlive it.
    m_undoStack->clear();
    m_project = std::move(project);
    m_path = path;
    const bool hadSelection = !m_selection.isEmpty();
    m_selection.clear();
    m_viewFitCache->clear();
    emit pathChanged(m_path);
    emit projectReplaced();
    emit runsChanged();
    emit metricsChanged();
    emit fitsChanged();
    emit dataChanged();
    if (hadSelection)
        emit selectionChanged(m_selection);
}

void ProjectDocument::setRunsExcluded(const QList<qint64>& runIds, bool excluded) {
    if (!m_project || runIds.isEmpty())
        return;
    // Skip runs already in the requested state, so the undo text counts real changes.
    QList<qint64> changing;
    for (qint64 id : runIds) {
        const auto run = m_project->run(id);
        if (run && run->excluded != excluded)
            changing.append(id);
    }
    if (!changing.isEmpty())
        m_undoStack->push(new SetRunsExcluded(this, changing, excluded));
}

void ProjectDocument::renameRun(qint64 runId, const QString& newName) {
    if (!m_project)
        return;
    const QString name = newName.trimmed();
    const auto run = m_project->run(runId);
    if (!run || name.isEmpty() || qs(run->name) == name)
        return;
    m_undoStack->push(new RenameRun(this, runId, name));
}

void ProjectDocument::setRunsGroup(const QList<qint64>& runIds, const QString& group) {
    if (!m_project || runIds.isEmpty())
        return;
    QList<qint64> changing;
    for (qint64 id : runIds) {
        const auto run = m_project->run(id);
        if (run && qs(run->group) != group)
            changing.append(id);
    }
    if (!changing.isEmpty())
        m_undoStack->push(new SetRunsGroup(this, changing, group.trimmed()));
}

bool ProjectDocument::setRunField(qint64 runId, const QString& fieldKey, const QVariant& value,
                                  QString* error) {
    if (!m_project || !m_project->run(runId)) {
        if (error)
            *error = tr("No run with id %1.").arg(runId);
        return false;
    }
    if (!SetRunField::isKnownField(fieldKey)) {
        if (error)
            *error = tr("Unknown run field '%1'.").arg(fieldKey);
        return false;
    }
    if (value.isValid()) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number)) {
            if (error)
                *error = tr("'%1' is not a finite number.").arg(value.toString());
            return false;
        }
    }
    m_undoStack->push(new SetRunField(this, runId, fieldKey, value));
    return true;
}

bool ProjectDocument::setRunFinalValue(qint64 runId, const QString& metric, const QVariant& value,
                                       QString* error) {
    if (!m_project || !m_project->run(runId)) {
        if (error)
            *error = tr("No run with id %1.").arg(runId);
        return false;
    }
    if (metric.trimmed().isEmpty()) {
        if (error)
            *error = tr("No metric named for the final value.");
        return false;
    }
    if (value.isValid()) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number)) {
            if (error)
                *error = tr("'%1' is not a finite number.").arg(value.toString());
            return false;
        }
    }
    m_undoStack->push(new SetRunFinalValue(this, runId, metric, value));
    return true;
}

bool ProjectDocument::setRunSchedule(qint64 runId, const std::optional<data::RunSchedule>& schedule,
                                     QString* error) {
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_project || !m_project->run(runId))
        return fail(tr("Run %1 no longer exists.").arg(runId));
    std::string why;
    if (schedule && !schedule->definition.isValid(&why))
        return fail(tr("Invalid schedule: %1").arg(QString::fromStdString(why)));
    std::optional<data::RunSchedule> value = schedule;
    if (value)
        value->runId = runId;
    m_undoStack->push(new SetRunSchedule(this, runId, std::move(value)));
    return true;
}

bool ProjectDocument::setRunForecast(qint64 runId, const std::optional<data::RunForecast>& forecast,
                                     QString* error) {
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    if (!m_project || !m_project->run(runId))
        return fail(tr("Run %1 no longer exists.").arg(runId));
    if (forecast && !(std::isfinite(forecast->finalLoss) && forecast->finalLoss > 0 &&
                      std::isfinite(forecast->bandLower) && std::isfinite(forecast->bandUpper) &&
                      forecast->bandLower > 0 && forecast->bandLower <= forecast->bandUpper))
        return fail(tr("The forecast has no finite final loss and band to store."));
    std::optional<data::RunForecast> value = forecast;
    if (value)
        value->runId = runId;
    m_undoStack->push(new SetRunForecast(this, runId, std::move(value)));
    return true;
}

void ProjectDocument::deleteRuns(const QList<qint64>& runIds) {
    if (!m_project || runIds.isEmpty())
        return;
    QList<qint64> existing;
    for (qint64 id : runIds) {
        if (m_project->run(id))
            existing.append(id);
    }
    if (existing.isEmpty())
        return;
    // Deleted runs leave the selection first, so no view asks for them afterwards.
    QList<qint64> kept = m_selection;
    for (qint64 id : existing) {
        kept.removeAll(id);
    }
    setSelectedRuns(kept);
    m_undoStack->push(new DeleteRuns(this, existing));
}

const QList<ProjectDocument::RunFieldInfo>& ProjectDocument::runFieldKeys() {
    static const QList<RunFieldInfo> keys = [] {
        struct Title {
            data::RunField field;
            const char* title;
            const char* unit;
        };
        const Title titles[] = {
            {data::RunField::TotalParams, QT_TR_NOOP("Parameters (N)"), ""},
            {data::RunField::NonEmbeddingParams, QT_TR_NOOP("Non-embedding parameters"), ""},
            {data::RunField::ActiveParams, QT_TR_NOOP("Active parameters"), ""},
            {data::RunField::Tokens, QT_TR_NOOP("Tokens (D)"), "tokens"},
            {data::RunField::Flops, QT_TR_NOOP("Compute (C)"), "FLOP"},
            {data::RunField::PeakLr, QT_TR_NOOP("Peak learning rate"), ""},
            {data::RunField::BatchTokens, QT_TR_NOOP("Batch size"), "tokens"},
            {data::RunField::SeqLen, QT_TR_NOOP("Sequence length"), "tokens"},
        };
        QList<RunFieldInfo> list;
        for (const Title& t : titles) {
            const auto key = data::fieldKey(t.field);
            list.append({QString::fromUtf8(key.data(), qsizetype(key.size())), tr(t.title),
                         QString::fromUtf8(t.unit)});
        }
        return list;
    }();
    return keys;
}

void ProjectDocument::notifyImported() {
    m_viewFitCache->clear();
    emit runsChanged();
    emit metricsChanged();
    emit fitsChanged();  // staleness of saved fits may have changed
    emit dataChanged();
}

void ProjectDocument::notifyFitsChanged() {
    emit fitsChanged();
}

void ProjectDocument::notifyLossMetricChanged() {
    emit metricsChanged();  // views and the runs table re-read the final losses
    emit fitsChanged();     // saved fits of the other metric may now be stale
    emit dataChanged();
}

void ProjectDocument::setSelectedRuns(const QList<qint64>& runIds) {
    if (runIds == m_selection)
        return;
    m_selection = runIds;
    emit selectionChanged(m_selection);
}

bool ProjectDocument::transaction(const std::function<bool(QString* error)>& body) {
    if (!m_project) {
        reportError(tr("No project is open."));
        return false;
    }
    QString bodyError;
    std::string message;
    const bool ok = m_project->transaction(
        [&](std::string* error) {
            if (body(&bodyError))
                return true;
            if (error)
                *error = bodyError.toStdString();
            return false;
        },
        &message);
    if (!ok)
        reportError(bodyError.isEmpty() ? qs(message) : bodyError);
    return ok;
}

void ProjectDocument::emitRunsEdited(bool metricsToo) {
    m_viewFitCache->clear();
    emit runsChanged();
    if (metricsToo)
        emit metricsChanged();
    emit fitsChanged();
    emit dataChanged();
}

void ProjectDocument::reportError(const QString& message) {
    emit errorOccurred(message);
}

}  // namespace scalelens::ui
