// MainWindow: the docks around the plots (runs, selected-runs table, fit, calculators).
#include <widgets/calculators/calculators_panel.h>
#include <widgets/document/project_document.h>
#include <widgets/fit/fit_panel.h>
#include <widgets/runs/runs_panel.h>
#include <widgets/runs/runs_table.h>
#include <QDockWidget>
#include <QScrollArea>
#include <QScrollBar>

#include "main_window.h"

namespace scalelens::app {

QDockWidget* MainWindow::addPanelDock(QWidget* panel, const QString& title,
                                      const QString& objectName, Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);  // saveState()/restoreState() key
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    m_docks.append(dock);
    return dock;
}

void MainWindow::createDocks() {
    setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_runsPanel = new ui::RunsPanel(m_document, this);
    QDockWidget* runs =
        addPanelDock(m_runsPanel, tr("Runs"), QStringLiteral("RunsDock"), Qt::LeftDockWidgetArea);

    m_runsTable = new ui::RunsTable(m_document, this);
    QDockWidget* table = addPanelDock(m_runsTable, tr("Selected Runs"),
                                      QStringLiteral("SelectedRunsDock"), Qt::BottomDockWidgetArea);

    m_fitPanel = new ui::FitPanel(this);
    m_fitPanel->setDocument(m_document);
    // The fit panel is tall; a scroll area keeps it usable on small screens.
    auto* fitScroll = new QScrollArea(this);
    fitScroll->setWidget(m_fitPanel);
    fitScroll->setWidgetResizable(true);
    fitScroll->setFrameShape(QFrame::NoFrame);
    // Scroll vertically only: the dock is at least as wide as the panel needs.
    fitScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    fitScroll->setMinimumWidth(m_fitPanel->minimumSizeHint().width() +
                               fitScroll->verticalScrollBar()->sizeHint().width());
    QDockWidget* fit =
        addPanelDock(fitScroll, tr("Fit"), QStringLiteral("FitDock"), Qt::RightDockWidgetArea);

    m_calculatorsPanel = new ui::CalculatorsPanel(this);
    m_calculatorsPanel->setDocument(m_document);
    QDockWidget* calculators =
        addPanelDock(m_calculatorsPanel, tr("Calculators"), QStringLiteral("CalculatorsDock"),
                     Qt::RightDockWidgetArea);
    tabifyDockWidget(fit, calculators);
    fit->raise();

    connect(m_document, &ui::ProjectDocument::selectionChanged, m_fitPanel,
            &ui::FitPanel::setSelectedRuns);
    connect(m_fitPanel, &ui::FitPanel::presetRequested, this,
            [this, calculators](const ui::FitSummary& summary) {
                if (m_calculatorsPanel->addFittedPreset(summary)) {
                    calculators->show();
                    calculators->raise();
                }
            });

    // First-start proportions: the plot gets most of the window (about 60% of 1366 px, 70%
    // of 1920 px: a window resize goes to the plot); every dock can be closed from View and
    // the layout is remembered (saveState).
    resizeDocks({runs, fit}, {270, 300}, Qt::Horizontal);
    resizeDocks({table}, {150}, Qt::Vertical);
}

}  // namespace scalelens::app
