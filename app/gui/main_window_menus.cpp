// MainWindow: menus, shortcuts and the About box.
#include <widgets/document/project_document.h>
#include <widgets/fit/fit_panel.h>
#include <widgets/plot/plot_view.h>
#include <widgets/runs/runs_panel.h>
#include <widgets/runs/runs_table.h>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGuiApplication>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTreeView>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include "file_actions.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "project_check.h"

namespace scalelens::app {

void MainWindow::createMenus() {
    // ---- File ---------------------------------------------------------------------------
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_fileActions->newAction());
    file->addAction(m_fileActions->openAction());
    file->addMenu(m_fileActions->recentMenu());
    file->addSeparator();
    file->addAction(m_fileActions->importAction());
    file->addSeparator();
    file->addAction(m_fileActions->saveAsAction());
    file->addSeparator();
    file->addAction(m_fileActions->exportPlotAction());
    file->addAction(m_fileActions->exportAllAction());
    file->addSeparator();
    file->addAction(m_fileActions->quitAction());

    // ---- Edit ---------------------------------------------------------------------------
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* copy =
        edit->addAction(tr("&Copy Selected Runs as Text"), m_runsTable, &ui::RunsTable::copy);
    copy->setStatusTip(tr("Copy the selected-runs table as tab-separated text"));
    edit->addSeparator();
    QAction* find = edit->addAction(tr("&Filter Runs…"), m_runsPanel, &ui::RunsPanel::focusFilter);
    find->setShortcut(QKeySequence::Find);
    QAction* rename =
        edit->addAction(tr("Re&name Run"), m_runsPanel, &ui::RunsPanel::renameSelected);
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    rename->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_runsPanel->addAction(rename);
    edit->addAction(tr("&Move Runs to Group…"), m_runsPanel, &ui::RunsPanel::moveSelectedToGroup);
    edit->addAction(tr("&Include Selected Runs"), m_runsPanel,
                    [this] { m_runsPanel->setSelectedExcluded(false); });
    edit->addAction(tr("E&xclude Selected Runs"), m_runsPanel,
                    [this] { m_runsPanel->setSelectedExcluded(true); });
    QAction* remove =
        edit->addAction(tr("&Delete Selected Runs"), m_runsPanel, &ui::RunsPanel::deleteSelected);
    remove->setShortcut(QKeySequence::Delete);
    // Delete only acts in the runs panel, never while typing elsewhere.
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_runsPanel->addAction(remove);
    edit->addAction(tr("Select &All Runs"), m_runsPanel->treeView(), &QTreeView::selectAll);

    // ---- View ---------------------------------------------------------------------------
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* dock : m_docks) {
        m_viewMenu->addAction(dock->toggleViewAction());
    }
    m_viewMenu->addSeparator();
    QMenu* theme = m_viewMenu->addMenu(tr("&Theme"));
    m_themeGroup = new QActionGroup(this);
    const struct {
        ui::Theme theme;
        QString title;
    } themes[] = {{ui::Theme::System, tr("Follow &System")},
                  {ui::Theme::Light, tr("&Light")},
                  {ui::Theme::Dark, tr("&Dark")}};
    for (const auto& t : themes) {
        QAction* action = theme->addAction(t.title);
        action->setCheckable(true);
        action->setData(ui::themeName(t.theme));
        m_themeGroup->addAction(action);
        const ui::Theme value = t.theme;
        connect(action, &QAction::triggered, this, [this, value] { setTheme(value); });
    }
    m_viewMenu->addSeparator();
    QAction* resetZoom = m_viewMenu->addAction(tr("Reset &Zoom"), this, [this] {
        if (auto* view = m_plotTabs->currentPlotView())
            view->resetZoom();
    });
    resetZoom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QAction* nextTab = m_viewMenu->addAction(tr("&Next Plot"), this, [this] {
        m_plotTabs->setCurrentIndex((m_plotTabs->currentIndex() + 1) % m_plotTabs->count());
    });
    nextTab->setShortcut(QKeySequence::NextChild);
    QAction* previousTab = m_viewMenu->addAction(tr("&Previous Plot"), this, [this] {
        m_plotTabs->setCurrentIndex((m_plotTabs->currentIndex() + m_plotTabs->count() - 1) %
                                    m_plotTabs->count());
    });
    previousTab->setShortcut(QKeySequence::PreviousChild);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(tr("Reset &Layout"), this, &MainWindow::resetLayout);
    QAction* fullScreen = m_viewMenu->addAction(
        tr("&Full Screen"), this, [this] { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    fullScreen->setShortcut(QKeySequence::FullScreen);

    // ---- Fit ----------------------------------------------------------------------------
    QMenu* project = menuBar()->addMenu(tr("&Project"));
    m_checkAction =
        project->addAction(tr("Check &Integrity"), this, &MainWindow::checkProjectIntegrity);
    m_checkAction->setObjectName(QStringLiteral("checkIntegrityAction"));
    m_checkAction->setStatusTip(
        tr("Check the project file for damage (SQLite's integrity check and the project's own "
           "rules), as scalelens-cli check does"));
    auto enableCheck = [this] { m_checkAction->setEnabled(m_document->isOpen()); };
    connect(m_document, &ui::ProjectDocument::pathChanged, this, enableCheck);
    enableCheck();

    QMenu* fit = menuBar()->addMenu(tr("F&it"));
    QAction* runFit = fit->addAction(tr("&Fit"), this, [this] {
        for (QDockWidget* dock : m_docks) {
            if (dock->objectName() == QLatin1String("FitDock")) {
                dock->show();
                dock->raise();
            }
        }
        m_fitPanel->startFit();
    });
    runFit->setShortcut(QKeySequence(Qt::Key_F5));
    QAction* cancelFit = fit->addAction(tr("&Cancel Fit"), m_fitPanel, &ui::FitPanel::cancelFit);
    cancelFit->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    cancelFit->setEnabled(false);
    connect(m_fitPanel, &ui::FitPanel::runningChanged, cancelFit, &QAction::setEnabled);
    connect(m_fitPanel, &ui::FitPanel::runningChanged, runFit,
            [runFit](bool running) { runFit->setEnabled(!running); });
    fit->addSeparator();
    fit->addAction(tr("Copy Fit &Results"), m_fitPanel, &ui::FitPanel::copyTable);
    fit->addAction(tr("Export Fit &Report…"), m_fitPanel, &ui::FitPanel::exportReportWithDialog);

    // ---- Help ---------------------------------------------------------------------------
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    help->addSeparator();
    QAction* about = help->addAction(tr("&About ScaleLens"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::showShortcuts() {
    const QString text = tr(
        "<table cellspacing='6'>"
        "<tr><td><b>Ctrl+N</b></td><td>New project</td></tr>"
        "<tr><td><b>Ctrl+O</b></td><td>Open project</td></tr>"
        "<tr><td><b>Ctrl+I</b></td><td>Import run logs (or drop files on the window)</td></tr>"
        "<tr><td><b>Ctrl+Shift+S</b></td><td>Save a copy as…</td></tr>"
        "<tr><td><b>Ctrl+E</b></td><td>Export the current plot (PDF, SVG, PNG)</td></tr>"
        "<tr><td><b>Ctrl+Shift+E</b></td><td>Export all plots</td></tr>"
        "<tr><td><b>Ctrl+Z / Ctrl+Shift+Z</b></td><td>Undo / redo</td></tr>"
        "<tr><td><b>Ctrl+F</b></td><td>Filter runs</td></tr>"
        "<tr><td><b>F2</b></td><td>Rename run</td></tr>"
        "<tr><td><b>Delete</b></td><td>Delete selected runs (undoable)</td></tr>"
        "<tr><td><b>Ctrl+C</b></td><td>Copy table as tab-separated text</td></tr>"
        "<tr><td><b>F5 / Shift+F5</b></td><td>Fit / cancel the fit</td></tr>"
        "<tr><td><b>Ctrl+Tab</b></td><td>Next plot</td></tr>"
        "<tr><td><b>Ctrl+0</b></td><td>Reset zoom (or double-click the plot)</td></tr>"
        "<tr><td><b>Wheel / drag / Shift+drag</b></td><td>Zoom / pan / zoom to rectangle</td></tr>"
        "</table>");
    QMessageBox box(QMessageBox::NoIcon, tr("Keyboard Shortcuts"), text, QMessageBox::Close, this);
    box.setTextFormat(Qt::RichText);
    box.exec();
}

void MainWindow::showAbout() {
    const QString text =
        tr("<h3>ScaleLens %1</h3>"
           "<p>Fit, plot and plan scaling laws for language-model training.</p>"
           "<p>Free software under the GNU General Public License, version 3 or later. Built with "
           "Qt %2 (LGPLv3), Ceres Solver "
           "(BSD), Eigen (MPL2), Boost.Math (BSL) and SQLite (public domain).</p>"
           "<p><b>The laws and procedures implemented here come from:</b></p>"
           "<ul>"
           "<li>Hoffmann et al. 2022, <i>Training Compute-Optimal Large Language Models</i> "
           "(Chinchilla), arXiv:2203.15556</li>"
           "<li>Besiroglu et al. 2024, <i>Chinchilla Scaling: A replication attempt</i>, "
           "arXiv:2404.10102</li>"
           "<li>Kaplan et al. 2020, <i>Scaling Laws for Neural Language Models</i>, "
           "arXiv:2001.08361</li>"
           "<li>Jin et al. 2025, <i>The Journey Matters: Average Parameter Count over "
           "Pre-training Unifies Sparse and Dense Scaling Laws</i></li>"
           "<li>Xiao et al. 2024, <i>Densing Law of LLMs</i>, arXiv:2412.04315</li>"
           "<li>Allen-Zhu &amp; Li 2024, <i>Physics of Language Models: Part 3.3, Knowledge "
           "Capacity Scaling Laws</i>, arXiv:2404.05405</li>"
           "<li>Li et al. 2025, <i>Predictable Scale: Part I — Optimal Hyperparameter Scaling "
           "Law in Large Language Model Pretraining</i> (Step Law), arXiv:2503.04715</li>"
           "<li>DeepSeek-AI 2024 (DeepSeek LLM), Porian et al. 2024, Hu et al. 2024 (MiniCPM) "
           "for the hyperparameter presets</li>"
           "</ul>"
           "<p>Please cite the original papers when you publish results obtained with them.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()));
    QMessageBox box(QMessageBox::NoIcon, tr("About ScaleLens"), text, QMessageBox::Close, this);
    box.setTextFormat(Qt::RichText);
    box.setIconPixmap(windowIcon().pixmap(64, 64));
    box.exec();
}

void MainWindow::checkProjectIntegrity() {
    const QString path = m_document->path();
    if (!m_document->isOpen() || path.isEmpty() || !m_checkAction->isEnabled())
        return;
    m_checkAction->setEnabled(false);
    const QString name = QFileInfo(path).fileName();
    showStatusMessage(tr("Checking %1…").arg(name), 0);
    auto* watcher = new QFutureWatcher<ProjectCheckResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, name] {
        const ProjectCheckResult result = watcher->result();
        watcher->deleteLater();
        m_checkAction->setEnabled(m_document->isOpen());
        const QString summary =
            result.ok
                ? tr("%1: no problems found").arg(name)
                : tr("%1: %n problem(s) found", nullptr, int(result.problems.size())).arg(name);
        showStatusMessage(summary, 10000);
        emit integrityChecked(result.ok, result.problems);
        // Offscreen (tests, screenshots) nobody can close a message box.
        if (QGuiApplication::platformName() == QLatin1String("offscreen"))
            return;
        if (result.ok)
            QMessageBox::information(this, tr("Check Integrity"), summary);
        else
            QMessageBox::warning(
                this, tr("Check Integrity"),
                summary + QStringLiteral("\n\n") + result.problems.join(QLatin1Char('\n')));
    });
    watcher->setFuture(QtConcurrent::run([path] { return checkProjectFile(path); }));
}

}  // namespace scalelens::app
