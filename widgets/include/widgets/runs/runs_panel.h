// The runs panel: the project's runs grouped by sweep, with a filter box, include/exclude
// check boxes and a context menu (rename, move to group, exclude/include, delete).
//
// Selection is shared through the ProjectDocument: selecting rows here calls
// document->setSelectedRuns(), and a selection made elsewhere (a click on a plot point) is
// shown here, scrolled into view. Every edit goes through the document's undo stack.
#pragma once

#include <QWidget>

class QLineEdit;
class QLabel;
class QSortFilterProxyModel;
class QTreeView;
class QMenu;

namespace scalelens::ui {

class ProjectDocument;
class RunsTreeModel;

class RunsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit RunsPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QLineEdit* filterEdit() const { return m_filter; }
    QTreeView* treeView() const { return m_tree; }
    RunsTreeModel* model() const { return m_model; }
    // Number of run rows passing the filter.
    int visibleRunCount() const;

    // Focuses and selects the filter text (Ctrl+F).
    void focusFilter();

    // Actions on the selected runs (also in the context menu), for the main window's Edit menu.
    void renameSelected();
    void deleteSelected();
    void setSelectedExcluded(bool excluded);
    void moveSelectedToGroup();

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    // Gives the name column the room a run name needs, up to 60% of the width, and shows the
    // number columns (final loss, N, D, in that order) only as far as they fit beside it at
    // their content width; the name's tooltip lists every value either way.
    void fitColumns();
    QList<qint64> selectedRunIdsInView() const;
    void onViewSelectionChanged();
    void onDocumentSelectionChanged(const QList<qint64>& runIds);
    void showContextMenu(const QPoint& pos);
    void updateCountLabel();

    ProjectDocument* m_document;
    RunsTreeModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filter;
    QTreeView* m_tree;
    QLabel* m_count;
    bool m_syncing = false;  // guards the view <-> document selection loop
};

}  // namespace scalelens::ui
