// RunsTableModel: a flat, editable table of runs and final metric values (see runs_model.h).
#include <analysis/loss_metric.h>
#include <datasets/project.h>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <cmath>

#include "runs_model_internal.h"
#include "widgets/document/project_document.h"
#include "widgets/runs/runs_model.h"

namespace scalelens::ui {

using namespace runs_detail;

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
            if (c.kind == Kind::Field || c.kind == Kind::Metric)
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
    if (c.kind != Kind::Field && c.kind != Kind::Metric)
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
    // A final metric value (final loss, say) is stored as the run's summary value.
    const bool ok = c.kind == Kind::Metric
                        ? m_document->setRunFinalValue(runId, c.metric, number, &error)
                        : m_document->setRunField(runId, c.fieldKey, number, &error);
    if (!ok) {
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
    if (kind == Kind::Field || kind == Kind::Name || kind == Kind::Metric)
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
