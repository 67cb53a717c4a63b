#include "widgets/runs/runs_model.h"

#include <analysis/loss_metric.h>
#include <datasets/project.h>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <cmath>

#include "widgets/document/project_document.h"

namespace scalelens::ui {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

std::map<qint64, double> finalValuesOf(const data::Project* project, const QString& metric) {
    std::map<qint64, double> values;
    if (!project || metric.isEmpty())
        return values;
    for (const auto& v : project->finalValues(metric.toStdString())) {
        values[v.runId] = v.value;
    }
    return values;
}

bool isCountField(data::RunField field) {
    switch (field) {
        case data::RunField::TotalParams:
        case data::RunField::NonEmbeddingParams:
        case data::RunField::ActiveParams:
        case data::RunField::Tokens:
        case data::RunField::BatchTokens:
        case data::RunField::SeqLen:
            return true;
        default:
            return false;
    }
}

QString derivedTooltip(data::RunField field) {
    switch (field) {
        case data::RunField::Tokens:
            return QObject::tr("Derived: D = C / (6N) (Kaplan et al. 2020, Eq. 2.1)");
        case data::RunField::Flops:
            return QObject::tr("Derived: C = 6ND (Kaplan et al. 2020, Eq. 2.1)");
        default:
            return QObject::tr("Derived from other fields");
    }
}

}  // namespace

QString formatRunNumber(double value, bool count) {
    if (!std::isfinite(value))
        return QString();
    const double magnitude = std::fabs(value);
    if (count && magnitude >= 1e3 && magnitude < 1e15) {
        static const struct {
            double scale;
            const char* suffix;
        } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
        for (const auto& unit : units) {
            if (magnitude >= unit.scale) {
                const double scaled = value / unit.scale;
                const int decimals =
                    std::fabs(scaled) >= 100 ? 0 : (std::fabs(scaled) >= 10 ? 1 : 2);
                return QString::number(scaled, 'f', decimals) + QLatin1Char(' ') +
                       QLatin1String(unit.suffix);
            }
        }
    }
    if (count && magnitude < 1e3 && value == std::floor(value))
        return QString::number(value, 'f', 0);
    if (magnitude != 0.0 && (magnitude >= 1e5 || magnitude < 1e-2)) {
        // 3.00e21 rather than 3.00e+21, 9.17e-4 rather than 9.17e-04.
        QString text = QString::number(value, 'e', 2);
        const qsizetype e = text.indexOf(QLatin1Char('e'));
        QString exponent = text.mid(e + 1);
        const bool negative = exponent.startsWith(QLatin1Char('-'));
        if (negative || exponent.startsWith(QLatin1Char('+')))
            exponent.remove(0, 1);
        while (exponent.size() > 1 && exponent.startsWith(QLatin1Char('0'))) {
            exponent.remove(0, 1);
        }
        text = text.left(e + 1) + (negative ? QStringLiteral("-") : QString()) + exponent;
        return text;
    }
    return QString::number(value, 'g', 4);
}

// =============================================================================================
// RunsTreeModel

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
                if (index.column() == NameColumn)
                    return group.name.isEmpty() ? tr("(no group)") : group.name;
                if (index.column() == ParamsColumn)
                    return tr("%n run(s)", nullptr, int(group.runs.size()));
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
            return index.column() == NameColumn ? QVariant(qs(run.name)) : QVariant();
        case Qt::CheckStateRole:
            if (index.column() == NameColumn)
                return run.excluded ? Qt::Unchecked : Qt::Checked;
            return {};
        case Qt::ToolTipRole: {
            QString tip = qs(run.name);
            if (!run.group.empty())
                tip += QStringLiteral(" (%1)").arg(qs(run.group));
            if (run.excluded)
                tip += QLatin1Char('\n') + tr("Excluded from fits and plots");
            if (!run.notes.empty())
                tip += QLatin1Char('\n') + qs(run.notes);
            return tip;
        }
        case Qt::ForegroundRole:
            if (run.excluded)
                return QPalette().brush(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::FontRole:
            if (run.excluded) {
                QFont font;
                font.setStrikeOut(index.column() == NameColumn);
                font.setItalic(true);
                return font;
            }
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() != NameColumn)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case RunIdRole:
            return qint64(run.id);
        case RunGroupRole:
            return qs(run.group);
        case SortRole:
            if (index.column() == NameColumn)
                return qs(run.name);
            return value ? QVariant(*value) : QVariant(-1.0);
        default:
            return {};
    }
}

bool RunsTreeModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != NameColumn)
        return false;
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

// =============================================================================================
// RunsTableModel

RunsTableModel::RunsTableModel(ProjectDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document) {
    connect(document, &ProjectDocument::runsChanged, this, &RunsTableModel::reload);
    connect(document, &ProjectDocument::metricsChanged, this, &RunsTableModel::reload);
    reload();
}

void RunsTableModel::setRunIds(const QList<qint64>& runIds) {
    if (runIds == m_runIds)
        return;
    m_runIds = runIds;
    reload();
}

void RunsTableModel::reload() {
    beginResetModel();
    m_runs.clear();
    m_columns.clear();
    m_finalValues.clear();
    const data::Project* project = m_document->project();
    if (project) {
        if (m_runIds.isEmpty()) {
            m_runs = project->runs();
        } else {
            for (qint64 id : m_runIds) {
                if (auto run = project->run(id))
                    m_runs.push_back(std::move(*run));
            }
        }
        m_columns.push_back({Kind::Name, tr("Run"), data::RunField::Count, {}, {}});
        m_columns.push_back({Kind::Group, tr("Group"), data::RunField::Count, {}, {}});
        m_columns.push_back({Kind::Included, tr("Included"), data::RunField::Count, {}, {}});
        // Only fields that at least one shown run has, so the table stays narrow.
        const auto& infos = ProjectDocument::runFieldKeys();
        for (int f = 0; f < int(data::RunField::Count); ++f) {
            const auto field = static_cast<data::RunField>(f);
            bool any = false;
            for (const auto& run : m_runs) {
                any = any || run.field(field).has_value();
            }
            if (!any)
                continue;
            QString title = infos.value(f).title;
            if (!infos.value(f).unit.isEmpty())
                title += QStringLiteral(" [%1]").arg(infos.value(f).unit);
            m_columns.push_back({Kind::Field, title, field, QString(), infos.value(f).key});
        }
        for (const auto& name : project->metricNames()) {
            const QString metric = qs(name);
            auto values = finalValuesOf(project, metric);
            bool any = false;
            for (const auto& run : m_runs) {
                any = any || values.count(run.id) > 0;
            }
            if (!any)
                continue;
            m_finalValues[metric] = std::move(values);
            m_columns.push_back({Kind::Metric, tr("final %1").arg(metric), data::RunField::Count,
                                 metric, QString()});
        }
    }
    endResetModel();
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

qint64 RunsTableModel::runIdAt(int row) const {
    return row >= 0 && row < int(m_runs.size()) ? m_runs[size_t(row)].id : 0;
}

QVariant RunsTableModel::rawValue(int row, int column) const {
    const data::Run& run = m_runs[size_t(row)];
    const ColumnInfo& c = m_columns[size_t(column)];
    switch (c.kind) {
        case Kind::Name:
            return qs(run.name);
        case Kind::Group:
            return qs(run.group);
        case Kind::Included:
            return !run.excluded;
        case Kind::Field: {
            const auto& v = run.field(c.field);
            return v ? QVariant(*v) : QVariant();
        }
        case Kind::Metric: {
            const auto& values = m_finalValues.at(c.metric);
            auto it = values.find(run.id);
            return it != values.end() ? QVariant(it->second) : QVariant();
        }
    }
    return {};
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_runs.size()) ||
        index.column() >= int(m_columns.size()))
        return {};
    const data::Run& run = m_runs[size_t(index.row())];
    const ColumnInfo& c = m_columns[size_t(index.column())];
    const QVariant raw = rawValue(index.row(), index.column());
    const bool derived = c.kind == Kind::Field && run.isDerived(c.field);
    switch (role) {
        case Qt::DisplayRole:
            if (c.kind == Kind::Included)
                return raw.toBool() ? tr("yes") : tr("no");
            if (c.kind == Kind::Field && raw.isValid())
                return formatRunNumber(raw.toDouble(), isCountField(c.field));
            if (c.kind == Kind::Metric && raw.isValid())
                return formatRunNumber(raw.toDouble(), false);
            return raw;
        case Qt::EditRole:
            if (c.kind == Kind::Field)
                return raw.isValid() ? QString::number(raw.toDouble(), 'g', 17) : QString();
            return raw;
        case Qt::ToolTipRole:
            if (derived)
                return derivedTooltip(c.field);
            if (raw.userType() == QMetaType::Double)
                return QString::number(raw.toDouble(), 'g', 10);
            return {};
        case Qt::FontRole:
            if (derived) {
                QFont font;
                font.setItalic(true);
                return font;
            }
            return {};
        case Qt::ForegroundRole:
            if (run.excluded)
                return QPalette().brush(QPalette::Disabled, QPalette::Text);
            return {};
        case Qt::TextAlignmentRole:
            if (c.kind == Kind::Field || c.kind == Kind::Metric)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case RunIdRole:
            return qint64(run.id);
        case SortRole:
            return raw.isValid() ? raw : QVariant(-1.0);
        default:
            return {};
    }
}

bool RunsTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    const ColumnInfo& c = m_columns[size_t(index.column())];
    const qint64 runId = runIdAt(index.row());
    if (c.kind == Kind::Name) {
        m_document->renameRun(runId, value.toString());
        return true;
    }
    if (c.kind != Kind::Field)
        return false;
    const QString text = value.toString().trimmed();
    QVariant number;
    if (!text.isEmpty()) {
        // C locale: "1e21" and "0.5" parse the same everywhere.
        bool ok = false;
        const double parsed = QLocale::c().toDouble(text, &ok);
        if (!ok) {
            m_document->reportError(tr("'%1' is not a number.").arg(text));
            return false;
        }
        number = parsed;
    }
    QString error;
    if (!m_document->setRunField(runId, c.fieldKey, number, &error)) {
        m_document->reportError(error);
        return false;
    }
    return true;
}

Qt::ItemFlags RunsTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Kind kind = m_columns[size_t(index.column())].kind;
    if (kind == Kind::Field || kind == Kind::Name)
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
        section < int(m_columns.size()))
        return m_columns[size_t(section)].title;
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1;
    return {};
}

QString RunsTableModel::toTsv(const QList<int>& rows, const QList<int>& columns) const {
    auto clean = [](QString s) {
        s.replace(QLatin1Char('\t'), QLatin1Char(' '));
        s.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return s;
    };
    QStringList lines;
    QStringList header;
    for (int c : columns) {
        header << clean(m_columns[size_t(c)].title);
    }
    lines << header.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList cells;
        for (int c : columns) {
            const QVariant raw = rawValue(r, c);
            if (raw.userType() == QMetaType::Double)
                cells << QString::number(raw.toDouble(), 'g', 17);
            else if (raw.userType() == QMetaType::Bool)
                cells << (raw.toBool() ? QStringLiteral("1") : QStringLiteral("0"));
            else
                cells << clean(raw.toString());
        }
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

}  // namespace scalelens::ui
