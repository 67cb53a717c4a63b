// The selected-runs table: every field and final metric value of the runs selected in the
// document (all runs when nothing is selected). Numeric cells are editable (undoable through
// the document); Ctrl+C copies the selected cells (or the whole table) as tab-separated text.
#pragma once

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace scalelens::ui {

class ProjectDocument;
class RunsTableModel;

class RunsTable : public QWidget {
    Q_OBJECT
  public:
    explicit RunsTable(ProjectDocument* document, QWidget* parent = nullptr);

    QTableView* tableView() const { return m_view; }
    RunsTableModel* model() const { return m_model; }

    // The selected cells (whole rows/columns spanned by the selection), or the whole table
    // when nothing is selected, as TSV with a header line.
    QString selectionAsTsv() const;
    // Puts selectionAsTsv() on the clipboard.
    void copy();

  private:
    void onDocumentSelectionChanged(const QList<qint64>& runIds);

    ProjectDocument* m_document;
    RunsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLabel* m_caption;
};

}  // namespace scalelens::ui
