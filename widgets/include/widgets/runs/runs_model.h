// Item models over the runs of a ProjectDocument.
//
// RunsTreeModel: runs grouped by sweep (Run::group), for the runs panel. Column 0 carries a
// check box (checked = included in fits and plots); a group's box is tri-state and toggles all
// its runs at once. Like Tiled's LayerModel, the model never writes the project itself:
// setData() pushes undo commands through the document (exclude/include, rename, N, D and the
// final loss), and the model refreshes from the document's runsChanged signal. Derived N and D
// are shown in italics with a tooltip saying how they were derived.
//
// RunsTableModel: a flat table of runs with every numeric field and the final value of each
// metric, for the selected-runs table. Cells of numeric fields (SetRunField) and final metric
// values (SetRunFinalValue: the run's summary value) are editable; a typed value is given, so
// the edit clears the derived bit; derived values (e.g. D = C / 6N) are shown in italics with a
// tooltip.
//
// Implementation: runs_tree_model.cpp, runs_table_model.cpp, shared helpers in runs_model.cpp.
#pragma once

#include <datasets/run.h>
#include <QAbstractItemModel>
#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <map>
#include <vector>

namespace scalelens::ui {

class ProjectDocument;

// Compact, unit-aware number text: 1.82e9 -> "1.82 B", 3e21 -> "3.00e21", 3e-4 -> "3.00e-4".
// Counts (params, tokens) use K/M/B/T; anything else uses 4 significant digits.
QString formatRunNumber(double value, bool count);

// Role giving the run id (qint64) of a run row; 0 on group rows.
inline constexpr int RunIdRole = Qt::UserRole + 1;
// Role giving the group name of a row (run rows: their group).
inline constexpr int RunGroupRole = Qt::UserRole + 2;
// Role giving a sortable raw value (double or QString) for a cell.
inline constexpr int SortRole = Qt::UserRole + 3;
// Role giving, for a run stopped mid-schedule (tag stopped-mid-schedule), how far it got:
// "stopped at step S of T (mid-schedule; excluded from fits by default)"
// (analysis/stopped_runs.h); invalid for other rows. Such a run's name is italic and its
// tooltip carries the same line; its group row counts it ("sweep · 12 runs · 1 stopped").
inline constexpr int StoppedRole = Qt::UserRole + 4;

class RunsTreeModel : public QAbstractItemModel {
    Q_OBJECT
  public:
    enum Column { NameColumn, ParamsColumn, TokensColumn, LossColumn, ColumnCount };

    explicit RunsTreeModel(ProjectDocument* document, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Index of a run's row (column 0), invalid when absent.
    QModelIndex indexOfRun(qint64 runId) const;
    int runCount() const { return int(m_runs.size()); }
    int excludedCount() const;

    // Re-reads the runs; keeps rows (and therefore view state) when only values changed.
    void reload();

  private:
    struct Group {
        QString name;
        std::vector<int> runs;  // indices into m_runs
    };
    // Internal id of a group row: 0; of a run row: 1 + index into m_runs.
    bool isGroup(const QModelIndex& index) const { return index.internalId() == 0; }
    const data::Run& runAt(const QModelIndex& index) const {
        return m_runs[size_t(index.internalId() - 1)];
    }
    Qt::CheckState groupCheckState(const Group& group) const;

    ProjectDocument* m_document;
    std::vector<data::Run> m_runs;
    std::vector<Group> m_groups;
    std::vector<int> m_groupOfRun;         // m_runs index -> m_groups index
    std::map<qint64, double> m_finalLoss;  // run id -> final value of the loss metric
    QString m_lossMetric;                  // the metric shown in LossColumn
    std::map<qint64, QString> m_stopped;   // run id -> "stopped at step S of T (...)"
};

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    explicit RunsTableModel(ProjectDocument* document, QObject* parent = nullptr);

    // Which runs to show: empty = every run of the project.
    void setRunIds(const QList<qint64>& runIds);
    const QList<qint64>& runIds() const { return m_runIds; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    qint64 runIdAt(int row) const;
    // The rows and columns given, as tab-separated text with a header line; numbers in full
    // precision (C locale) so the text pastes into a spreadsheet or pandas unchanged.
    QString toTsv(const QList<int>& rows, const QList<int>& columns) const;

    void reload();

  private:
    enum class Kind { Name, Group, Included, Field, Metric };
    struct ColumnInfo {
        Kind kind;
        QString title;
        data::RunField field = data::RunField::Count;  // Kind::Field
        QString metric;                                // Kind::Metric
        QString fieldKey;                              // Kind::Field
    };
    QVariant rawValue(int row, int column) const;

    ProjectDocument* m_document;
    QList<qint64> m_runIds;
    std::vector<data::Run> m_runs;
    std::vector<ColumnInfo> m_columns;
    std::map<QString, std::map<qint64, double>> m_finalValues;  // metric -> run -> value
};

}  // namespace scalelens::ui
