#include "widgets/runs/runs_table.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

#include "widgets/document/project_document.h"
#include "widgets/runs/runs_model.h"

namespace scalelens::ui {

RunsTable::RunsTable(ProjectDocument* document, QWidget* parent)
    : QWidget(parent),
      m_document(document),
      m_model(new RunsTableModel(document, this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_caption(new QLabel(this)) {
    setObjectName(QStringLiteral("RunsTable"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_view->setModel(m_proxy);
    m_view->setObjectName(QStringLiteral("runsTableView"));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setResizeContentsPrecision(64);

    auto* copyAction = new QAction(tr("Copy as Tab-Separated Text"), this);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyAction, &QAction::triggered, this, &RunsTable::copy);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_caption->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_caption);
    layout->addWidget(m_view, 1);

    connect(m_document, &ProjectDocument::selectionChanged, this,
            &RunsTable::onDocumentSelectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        const int n = m_model->rowCount();
        m_caption->setText(m_model->runIds().isEmpty()
                               ? tr("All %n run(s); select runs to narrow the table", nullptr, n)
                               : tr("%n selected run(s)", nullptr, n));
    });
    onDocumentSelectionChanged(m_document->selectedRuns());
    m_model->reload();
}

void RunsTable::onDocumentSelectionChanged(const QList<qint64>& runIds) {
    m_model->setRunIds(runIds);
}

QString RunsTable::selectionAsTsv() const {
    std::set<int> rows, columns;
    for (const QModelIndex& index : m_view->selectionModel()->selectedIndexes()) {
        const QModelIndex source = m_proxy->mapToSource(index);
        rows.insert(source.row());
        columns.insert(source.column());
    }
    QList<int> rowList, columnList;
    if (rows.empty()) {
        for (int r = 0; r < m_proxy->rowCount(); ++r) {
            rowList << m_proxy->mapToSource(m_proxy->index(r, 0)).row();
        }
        for (int c = 0; c < m_model->columnCount(); ++c) {
            columnList << c;
        }
    } else {
        // Rows in the order shown (the view may be sorted).
        for (int r = 0; r < m_proxy->rowCount(); ++r) {
            const int source = m_proxy->mapToSource(m_proxy->index(r, 0)).row();
            if (rows.count(source))
                rowList << source;
        }
        columnList = QList<int>(columns.begin(), columns.end());
    }
    return m_model->toTsv(rowList, columnList);
}

void RunsTable::copy() {
    QApplication::clipboard()->setText(selectionAsTsv());
}

}  // namespace scalelens::ui
