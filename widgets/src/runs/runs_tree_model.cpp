// RunsTreeModel: runs grouped by sweep, for the runs panel (see runs_model.h).
#include <analysis/loss_metric.h>
#include <analysis/stopped_runs.h>
#include <datasets/project.h>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <cmath>
#include <optional>

#include "runs_model_internal.h"
#include "widgets/document/project_document.h"
#include "widgets/runs/runs_model.h"

namespace scalelens::ui {

using namespace runs_detail;

namespace {
// The run field a tree column shows, if any.
std::optional<data::RunField> fieldOfColumn(int column) {
    switch (column) {
        case RunsTreeModel::ParamsColumn:
            return data::RunField::TotalParams;
        case RunsTreeModel::TokensColumn:
            return data::RunField::Tokens;
        default:
            return std::nullopt;
    }
}
}  // namespace

RunsTreeModel::RunsTreeModel(ProjectDocument* document, QObject* parent)
    : QAbstractItemModel(parent), m_document(document) {
    connect(document, &ProjectDocument::runsChanged, this, &RunsTreeModel::reload);
    connect(document, &ProjectDocument::metricsChanged, this, &RunsTreeModel::reload);
    reload();
}

void RunsTreeModel::reload() {
    const data::Project* project = m_document->project();
    std::vector<data::Run> runs = project ? project->runs() : std::vector<data::Run>{};
    std::vector<Group> groups;
    std::vector<int> groupOfRun(runs.size());
    for (size_t i = 0; i < runs.size(); ++i) {
        const QString name = qs(runs[i].group);
        if (groups.empty() || groups.back().name != name)
            groups.push_back({name, {}});
        groups.back().runs.push_back(int(i));
        groupOfRun[i] = int(groups.size() - 1);
    }
    // The project's loss metric, as in every view and fit (analysis/loss_metric.h).
    const QString lossMetric =
        project ? QString::fromStdString(analysis::lossMetric(*project).name) : QString();
    auto finalLoss = finalValuesOf(project, lossMetric);
    // Runs stopped mid-schedule (tagged by the importers): italic, with how far they got.
    std::map<qint64, QString> stopped;
    if (project)
        for (const data::Run& run : runs)
            if (const auto info = analysis::stoppedRunInfo(*project, run, lossMetric.toStdString()))
                stopped[run.id] = QString::fromStdString(analysis::describeStoppedRun(*info));

    // Same rows as before (only values changed)? Then keep the rows and announce new data, so
    // views keep their expansion, selection and scroll position across undo/redo.
    bool sameShape = groups.size() == m_groups.size() && runs.size() == m_runs.size();
    for (size_t g = 0; sameShape && g < groups.size(); ++g) {
        sameShape =
            groups[g].name == m_groups[g].name && groups[g].runs.size() == m_groups[g].runs.size();
    }
    for (size_t i = 0; sameShape && i < runs.size(); ++i) {
        sameShape = runs[i].id == m_runs[i].id;
    }
    if (!sameShape)
        beginResetModel();
    m_runs = std::move(runs);
    m_groups = std::move(groups);
    m_groupOfRun = std::move(groupOfRun);
    m_finalLoss = std::move(finalLoss);
    m_stopped = std::move(stopped);
    const bool headerChanged = lossMetric != m_lossMetric;
    m_lossMetric = lossMetric;
    if (!sameShape) {
        endResetModel();
        return;
    }
    for (int g = 0; g < int(m_groups.size()); ++g) {
        const QModelIndex groupIndex = index(g, 0);
        emit dataChanged(groupIndex, index(g, ColumnCount - 1));
        const int n = int(m_groups[size_t(g)].runs.size());
        if (n > 0)
            emit dataChanged(index(0, 0, groupIndex), index(n - 1, ColumnCount - 1, groupIndex));
    }
    if (headerChanged)
        emit headerDataChanged(Qt::Horizontal, LossColumn, LossColumn);
}

int RunsTreeModel::excludedCount() const {
    int excluded = 0;
    for (const auto& run : m_runs) {
        excluded += run.excluded ? 1 : 0;
    }
    return excluded;
}

QModelIndex RunsTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid()) {
        if (row >= int(m_groups.size()))
            return {};
        return createIndex(row, column, quintptr(0));
    }
    if (!isGroup(parent) || parent.row() >= int(m_groups.size()))
        return {};
    const Group& group = m_groups[size_t(parent.row())];
    if (row >= int(group.runs.size()))
        return {};
    return createIndex(row, column, quintptr(group.runs[size_t(row)] + 1));
}

QModelIndex RunsTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || isGroup(child))
        return {};
    const int runIndex = int(child.internalId() - 1);
    return createIndex(m_groupOfRun[size_t(runIndex)], 0, quintptr(0));
}

int RunsTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0 || !isGroup(parent))
        return 0;
    return int(m_groups[size_t(parent.row())].runs.size());
}

int RunsTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

Qt::CheckState RunsTreeModel::groupCheckState(const Group& group) const {
    int included = 0;
    for (int i : group.runs) {
        included += m_runs[size_t(i)].excluded ? 0 : 1;
    }
    if (included == 0)
        return Qt::Unchecked;
    return included == int(group.runs.size()) ? Qt::Checked : Qt::PartiallyChecked;
}

QVariant RunsTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    if (isGroup(index)) {
        const Group& group = m_groups[size_t(index.row())];
        switch (role) {
            case Qt::DisplayRole:
                // The count beside the name: the panel spans group rows over every column,
                // so a group never widens the number columns.
                if (index.column() == NameColumn) {
                    const QString name = group.name.isEmpty() ? tr("(no group)") : group.name;
                    QString text = group.runs.size() == 1
                                       ? tr("%1 · 1 run").arg(name)
                                       : tr("%1 · %2 runs").arg(name).arg(group.runs.size());
                    int stopped = 0;
                    for (int i : group.runs)
                        stopped += m_stopped.count(m_runs[size_t(i)].id) ? 1 : 0;
                    if (stopped > 0)
                        text += tr(" · %1 stopped").arg(stopped);
                    return text;
                }
                return {};
            case Qt::CheckStateRole:
                return index.column() == NameColumn ? QVariant(groupCheckState(group)) : QVariant();
            case Qt::FontRole: {
                QFont font;
                font.setBold(true);
                return font;
            }
            case RunIdRole:
                return qint64(0);
            case RunGroupRole:
                return group.name;
            case SortRole:
                return group.name;
            default:
                return {};
        }
    }
    const data::Run& run = runAt(index);
    auto number = [&](const std::optional<double>& v) -> std::optional<double> { return v; };
    std::optional<double> value;
    bool count = true;
    switch (index.column()) {
        case ParamsColumn:
            value = number(run.totalParams);
            break;
        case TokensColumn:
            value = number(run.tokens);
            break;
        case LossColumn: {
            auto it = m_finalLoss.find(run.id);
            if (it != m_finalLoss.end())
                value = it->second;
            count = false;
            break;
        }
        default:
            break;
    }
    switch (role) {
        case Qt::DisplayRole:
            if (index.column() == NameColumn)
                return qs(run.name);
            return value ? formatRunNumber(*value, count) : QString();
        case Qt::EditRole:
            if (index.column() == NameColumn)
                return qs(run.name);
            // Full precision, C locale: what setData() parses back.
            return value ? QString::number(*value, 'g', 17) : QString();
        case Qt::CheckStateRole:
            if (index.column() == NameColumn)
                return run.excluded ? Qt::Unchecked : Qt::Checked;
            return {};
        case Qt::ToolTipRole: {
            if (const auto field = fieldOfColumn(index.column()); field && run.isDerived(*field))
                return derivedTooltip(*field);
            QString tip = qs(run.name);
            if (!run.group.empty())
                tip += QStringLiteral(" (%1)").arg(qs(run.group));
            if (run.excluded)
                tip += QLatin1Char('\n') + tr("Excluded from fits and plots");
            if (const auto stopped = m_stopped.find(run.id); stopped != m_stopped.end())
                tip += QLatin1Char('\n') + stopped->second;
            if (index.column() == NameColumn) {
                // Every value of the row: the panel hides number columns a narrow dock
                // cannot hold beside the name.
                QStringList values;
                if (run.totalParams)
                    values << tr("N %1").arg(formatRunNumber(*run.totalParams, true));
                if (run.tokens)
                    values << tr("D %1").arg(formatRunNumber(*run.tokens, true));
                if (auto it = m_finalLoss.find(run.id); it != m_finalLoss.end())
                    values << QStringLiteral("%1 %2").arg(
                        m_lossMetric.isEmpty() ? tr("loss") : m_lossMetric,
                        formatRunNumber(it->second, false));
                if (!values.isEmpty())
                    tip += QLatin1Char('\n') + values.join(QStringLiteral(" · "));
            }
            if (!run.notes.empty())
                tip += QLatin1Char('\n') + qs(run.notes);
            return tip;
        }
        case Qt::ForegroundRole:
            if (run.excluded)
                return QPalette().brush(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::FontRole: {
            // Italic: excluded runs, the name of a run stopped mid-schedule, and values derived
            // rather than given (D = C / 6N, ...).
            const auto field = fieldOfColumn(index.column());
            const bool stopped = index.column() == NameColumn && m_stopped.count(run.id);
            if (run.excluded || stopped || (field && run.isDerived(*field))) {
                QFont font;
                font.setStrikeOut(run.excluded && index.column() == NameColumn);
                font.setItalic(true);
                return font;
            }
            return {};
        }
        case Qt::TextAlignmentRole:
            if (index.column() != NameColumn)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case RunIdRole:
            return qint64(run.id);
        case RunGroupRole:
            return qs(run.group);
        case StoppedRole: {
            const auto stopped = m_stopped.find(run.id);
            return stopped != m_stopped.end() ? QVariant(stopped->second) : QVariant();
        }
        case SortRole:
            if (index.column() == NameColumn)
                return qs(run.name);
            return value ? QVariant(*value) : QVariant(-1.0);
        default:
            return {};
    }
}

bool RunsTreeModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid())
        return false;
    if (index.column() != NameColumn) {
        // N, D and the final loss: undoable edits through the document; a typed value is
        // given, not derived (the command clears the derived bit).
        if (role != Qt::EditRole || isGroup(index))
            return false;
        const qint64 runId = runAt(index).id;
        const QString text = value.toString().trimmed();
        QVariant number;
        if (!text.isEmpty()) {
            bool ok = false;
            const double parsed = QLocale::c().toDouble(text, &ok);
            if (!ok) {
                m_document->reportError(tr("'%1' is not a number.").arg(text));
                return false;
            }
            number = parsed;
        }
        QString error;
        bool ok = false;
        if (const auto field = fieldOfColumn(index.column()))
            ok = m_document->setRunField(runId, qs(std::string(data::fieldKey(*field))), number,
                                         &error);
        else if (index.column() == LossColumn)
            ok = m_document->setRunFinalValue(runId, m_lossMetric, number, &error);
        if (!ok && !error.isEmpty())
            m_document->reportError(error);
        return ok;
    }
    if (role == Qt::CheckStateRole) {
        const bool include = value.toInt() != Qt::Unchecked;
        QList<qint64> ids;
        if (isGroup(index)) {
            for (int i : m_groups[size_t(index.row())].runs) {
                ids.append(m_runs[size_t(i)].id);
            }
        } else {
            ids.append(runAt(index).id);
        }
        // The document pushes the command; the model refreshes from runsChanged.
        m_document->setRunsExcluded(ids, !include);
        return true;
    }
    if (role == Qt::EditRole && !isGroup(index)) {
        m_document->renameRun(runAt(index).id, value.toString());
        return true;
    }
    if (role == Qt::EditRole && isGroup(index)) {
        const Group& group = m_groups[size_t(index.row())];
        QList<qint64> ids;
        for (int i : group.runs) {
            ids.append(m_runs[size_t(i)].id);
        }
        m_document->setRunsGroup(ids, value.toString());
        return true;
    }
    return false;
}

Qt::ItemFlags RunsTreeModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == NameColumn) {
        f |= Qt::ItemIsUserCheckable | Qt::ItemIsEditable;
        if (isGroup(index))
            f |= Qt::ItemIsAutoTristate;
    } else if (!isGroup(index) && (index.column() != LossColumn || !m_lossMetric.isEmpty())) {
        f |= Qt::ItemIsEditable;  // N, D, final loss
    }
    return f;
}

QVariant RunsTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case NameColumn:
                return tr("Run");
            case ParamsColumn:
                return tr("N");
            case TokensColumn:
                return tr("D");
            case LossColumn:
                return m_lossMetric.isEmpty() ? tr("Loss") : m_lossMetric;
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case NameColumn:
                return tr("Run name; the check box includes the run in fits and plots");
            case ParamsColumn:
                return tr("Parameters (N)");
            case TokensColumn:
                return tr("Training tokens (D)");
            case LossColumn:
                return tr("Final value of '%1'").arg(m_lossMetric);
            default:
                return {};
        }
    }
    return {};
}

QModelIndex RunsTreeModel::indexOfRun(qint64 runId) const {
    for (size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i].id != runId)
            continue;
        const Group& group = m_groups[size_t(m_groupOfRun[i])];
        for (size_t row = 0; row < group.runs.size(); ++row) {
            if (group.runs[row] == int(i))
                return createIndex(int(row), 0, quintptr(i + 1));
        }
    }
    return {};
}

}  // namespace scalelens::ui
