#include "widgets/runs/runs_panel.h"

#include <datasets/project.h>
#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "widgets/document/project_document.h"
#include "widgets/runs/run_name_delegate.h"
#include "widgets/runs/runs_model.h"
#include "widgets/views/schedule_dialog.h"

namespace scalelens::ui {
namespace {

// Matches a run when the text occurs in its name or group; a group row stays visible when any
// of its runs match (recursive filtering).
class RunsFilterProxy : public QSortFilterProxyModel {
  public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setText(const QString& text) {
        m_text = text;
        invalidateRowsFilter();
    }

  protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        if (m_text.isEmpty())
            return true;
        const QModelIndex index = sourceModel()->index(row, 0, parent);
        // A group row matches by its name (its label also counts its runs).
        const QString name =
            index.data(parent.isValid() ? int(Qt::DisplayRole) : int(RunGroupRole)).toString();
        const QString group = index.data(RunGroupRole).toString();
        return name.contains(m_text, Qt::CaseInsensitive) ||
               (parent.isValid() && group.contains(m_text, Qt::CaseInsensitive));
    }

  private:
    QString m_text;
};

}  // namespace

RunsPanel::RunsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_model(new RunsTreeModel(document, this)),
      m_proxy(new RunsFilterProxy(this)),
      m_filter(new QLineEdit(this)),
      m_tree(new QTreeView(this)),
      m_count(new QLabel(this)) {
    setObjectName(QStringLiteral("RunsPanel"));
    m_filter->setPlaceholderText(tr("Filter runs (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setObjectName(QStringLiteral("runsFilter"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true);
    m_proxy->setSortRole(SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_tree->setModel(m_proxy);
    m_tree->setObjectName(QStringLiteral("runsTree"));
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed);
    m_tree->setUniformRowHeights(true);
    // Elided at the end: a sweep's runs share a prefix and the middle ("A-s3-C…-bs128")
    // carries what tells them apart. The tooltip (RunsTreeModel) holds the full name.
    m_tree->setTextElideMode(Qt::ElideRight);
    // And a name too long for its cell drops the prefix its siblings share ("…C1e18-bs128").
    auto* names = new RunNameDelegate(m_tree);
    m_tree->setItemDelegateForColumn(RunsTreeModel::NameColumn, names);
    auto forget = [names] { names->clearCache(); };
    connect(m_proxy, &QAbstractItemModel::modelReset, names, forget);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, names, forget);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, names, forget);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, names, forget);
    connect(m_proxy, &QAbstractItemModel::dataChanged, names, forget);
    m_tree->setIndentation(14);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(-1, Qt::AscendingOrder);  // keep the store's order until asked
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(false);
    // Fit columns to the first rows only: measuring every row of a big project is slow.
    m_tree->header()->setResizeContentsPrecision(64);
    // The name takes the free width; numbers their content width (fitColumns hides those that
    // would squeeze the name).
    m_tree->header()->setSectionResizeMode(RunsTreeModel::NameColumn, QHeaderView::Stretch);
    for (int c = 1; c < RunsTreeModel::ColumnCount; ++c) {
        m_tree->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    }
    m_tree->viewport()->installEventFilter(this);
    // Filtering and sorting bring group rows back unspanned: fit again on the next pass.
    auto refit = [this] { QTimer::singleShot(0, this, &RunsPanel::fitColumns); };
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, refit);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, refit);

    m_count->setObjectName(QStringLiteral("runsCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_count);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        static_cast<RunsFilterProxy*>(m_proxy)->setText(text.trimmed());
        m_tree->expandAll();
        updateCountLabel();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_tree->expandAll();
        fitColumns();
        onDocumentSelectionChanged(m_document->selectedRuns());
        updateCountLabel();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunsPanel::updateCountLabel);
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPanel::onViewSelectionChanged);
    connect(m_document, &ProjectDocument::selectionChanged, this,
            &RunsPanel::onDocumentSelectionChanged);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &RunsPanel::showContextMenu);

    m_tree->expandAll();
    updateCountLabel();
}

bool RunsPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_tree->viewport() && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, &RunsPanel::fitColumns);  // after the header's own resize
    return QWidget::eventFilter(watched, event);
}

void RunsPanel::fitColumns() {
    // Group rows ("sweep · 74 runs") span the row: their label never widens a column.
    for (int g = 0; g < m_proxy->rowCount(); ++g)
        if (!m_tree->isFirstColumnSpanned(g, QModelIndex()))
            m_tree->setFirstColumnSpanned(g, QModelIndex(), true);
    QHeaderView* header = m_tree->header();
    const int width = m_tree->viewport()->width();
    if (width < 40)
        return;
    // What a name needs: the widest of the first rows (as ResizeToContents measures), with the
    // indentation and check box the name column draws before it.
    int nameNeed = 0;
    const int rows = std::min(m_proxy->rowCount(), 8);
    for (int g = 0; g < rows; ++g) {
        const QModelIndex group = m_proxy->index(g, 0);
        const int children = std::min(m_proxy->rowCount(group), 64);
        for (int r = 0; r < children; ++r)
            nameNeed =
                std::max(nameNeed, m_tree->sizeHintForIndex(m_proxy->index(r, 0, group)).width());
    }
    nameNeed += 2 * m_tree->indentation();
    // The name gets what it needs up to 60% of the width; numbers fill the rest in order of use.
    int free = width - std::min(nameNeed, width * 3 / 5);
    for (int c : {int(RunsTreeModel::LossColumn), int(RunsTreeModel::ParamsColumn),
                  int(RunsTreeModel::TokensColumn)}) {
        const int need = std::max(static_cast<QAbstractItemView*>(m_tree)->sizeHintForColumn(c),
                                  header->sectionSizeHint(c));
        const bool fits = need <= free;
        if (fits)
            free -= need;
        if (m_tree->isColumnHidden(c) == fits)
            m_tree->setColumnHidden(c, !fits);
    }
}

int RunsPanel::visibleRunCount() const {
    int count = 0;
    for (int g = 0; g < m_proxy->rowCount(); ++g) {
        count += m_proxy->rowCount(m_proxy->index(g, 0));
    }
    return count;
}

void RunsPanel::focusFilter() {
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void RunsPanel::updateCountLabel() {
    const int total = m_model->runCount();
    const int excluded = m_model->excludedCount();
    QString text = tr("%n run(s)", nullptr, total);
    if (excluded > 0)
        text += tr(", %1 excluded").arg(excluded);
    const int visible = visibleRunCount();
    if (visible != total)
        text += tr(", %1 shown").arg(visible);
    m_count->setText(text);
}

QList<qint64> RunsPanel::selectedRunIdsInView() const {
    QList<qint64> ids;
    for (const QModelIndex& index : m_tree->selectionModel()->selectedRows(0)) {
        const qint64 id = index.data(RunIdRole).toLongLong();
        if (id != 0) {
            if (!ids.contains(id))
                ids.append(id);
            continue;
        }
        // A selected group row stands for all its (visible) runs.
        for (int r = 0; r < m_proxy->rowCount(index); ++r) {
            const qint64 child = m_proxy->index(r, 0, index).data(RunIdRole).toLongLong();
            if (!ids.contains(child))
                ids.append(child);
        }
    }
    return ids;
}

void RunsPanel::onViewSelectionChanged() {
    if (m_syncing)
        return;
    m_syncing = true;
    m_document->setSelectedRuns(selectedRunIdsInView());
    m_syncing = false;
}

void RunsPanel::onDocumentSelectionChanged(const QList<qint64>& runIds) {
    if (m_syncing)
        return;
    m_syncing = true;
    QItemSelection selection;
    QModelIndex first;
    for (qint64 id : runIds) {
        const QModelIndex index = m_proxy->mapFromSource(m_model->indexOfRun(id));
        if (!index.isValid())
            continue;
        if (!first.isValid())
            first = index;
        selection.select(index, index.siblingAtColumn(RunsTreeModel::ColumnCount - 1));
    }
    m_tree->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (first.isValid()) {
        m_tree->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_tree->scrollTo(first);
    }
    m_syncing = false;
}

void RunsPanel::renameSelected() {
    const QModelIndex current = m_tree->currentIndex();
    if (current.isValid())
        m_tree->edit(current.siblingAtColumn(RunsTreeModel::NameColumn));
}

void RunsPanel::deleteSelected() {
    const QList<qint64> ids = selectedRunIdsInView();
    if (ids.isEmpty())
        return;
    // Undo brings them back, so no confirmation dialog; the undo text names what went.
    m_document->deleteRuns(ids);
}

void RunsPanel::setSelectedExcluded(bool excluded) {
    m_document->setRunsExcluded(selectedRunIdsInView(), excluded);
}

void RunsPanel::moveSelectedToGroup() {
    const QList<qint64> ids = selectedRunIdsInView();
    if (ids.isEmpty())
        return;
    const QString current = m_tree->currentIndex().data(RunGroupRole).toString();
    bool ok = false;
    const QString group = QInputDialog::getText(
        this, tr("Move to Group"), tr("Group (sweep) for %n run(s):", nullptr, int(ids.size())),
        QLineEdit::Normal, current, &ok);
    if (ok)
        m_document->setRunsGroup(ids, group.trimmed());
}

void RunsPanel::showContextMenu(const QPoint& pos) {
    const QList<qint64> ids = selectedRunIdsInView();
    QMenu menu(this);
    const bool single = m_tree->currentIndex().data(RunIdRole).toLongLong() != 0;
    QAction* rename = menu.addAction(tr("Rename…"), this, &RunsPanel::renameSelected);
    rename->setEnabled(single || m_tree->currentIndex().isValid());
    menu.addAction(tr("Move to Group…"), this, &RunsPanel::moveSelectedToGroup)
        ->setEnabled(!ids.isEmpty());
    menu.addSeparator();
    menu.addAction(tr("Include in Fits and Plots"), this, [this] { setSelectedExcluded(false); })
        ->setEnabled(!ids.isEmpty());
    menu.addAction(tr("Exclude from Fits and Plots"), this, [this] { setSelectedExcluded(true); })
        ->setEnabled(!ids.isEmpty());
    menu.addSeparator();
    // The planned LR schedule of one run, for the curve forecasts (undoable).
    menu.addAction(tr("Learning-Rate Schedule…"), this,
                   [this, ids] { ScheduleDialog::edit(m_document, ids.front(), this); })
        ->setEnabled(ids.size() == 1);
    menu.addSeparator();
    QAction* remove = menu.addAction(tr("Delete %n Run(s)", nullptr, int(ids.size())), this,
                                     &RunsPanel::deleteSelected);
    remove->setEnabled(!ids.isEmpty());
    menu.addSeparator();
    menu.addAction(tr("Expand All"), m_tree, &QTreeView::expandAll);
    menu.addAction(tr("Collapse All"), m_tree, &QTreeView::collapseAll);
    menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

}  // namespace scalelens::ui
