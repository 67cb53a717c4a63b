// The ScaleLens main window.
//
//   +--------------------------------------------------------------------------+
//   | File  Edit  View  Plot  Fit  Help                                        |
//   +-----------+--------------------------------------------+-----------------+
//   | Runs      | [Loss vs compute][IsoFLOP][Loss vs N, D]...| Fit             |
//   | (filter)  |                                            |  law, options,  |
//   | [x] sweep |              PlotView                      |  results        |
//   |   [x] run |                                            +-----------------+
//   |   [ ] run |                                            | Calculators     |
//   |           +--------------------------------------------+                 |
//   |           | Selected runs (table, Ctrl+C copies TSV)   |                 |
//   +-----------+--------------------------------------------+-----------------+
//   | /path/project.scalelens              312 runs · 24,310 metric rows · 2 fits |
//
// The window owns one ui::ProjectDocument; every panel reads it and updates from its signals.
// File actions live in FileActions (file_actions.h), menus and docks are set up in
// main_window_menus.cpp / main_window_docks.cpp so this class stays small. Window geometry,
// dock layout and theme persist in QSettings.
#pragma once

#include <QMainWindow>
#include <QStringList>

#include <widgets/base/theme.h>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;

namespace scalelens::ui {
class CalculatorsPanel;
class FitPanel;
class ImportDialog;
class ProjectDocument;
class RunsPanel;
class RunsTable;
}  // namespace scalelens::ui

namespace scalelens::app {

class FileActions;
class PlotTabs;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ui::ProjectDocument* document() const { return m_document; }
    FileActions* fileActions() const { return m_fileActions; }
    PlotTabs* plotTabs() const { return m_plotTabs; }
    ui::RunsPanel* runsPanel() const { return m_runsPanel; }
    ui::RunsTable* runsTable() const { return m_runsTable; }
    ui::FitPanel* fitPanel() const { return m_fitPanel; }
    ui::CalculatorsPanel* calculatorsPanel() const { return m_calculatorsPanel; }

    // Opens a project file (and adds it to File > Recent). On failure the current project
    // stays open and *error says why.
    bool openProject(const QString& path, QString* error = nullptr);
    // Opens <app data>/example.scalelens, creating it from the bundled examples when missing.
    bool openExampleProject(QString* error = nullptr);
    // What to open when started without a file: the most recent project, else the example.
    bool openStartupProject(QString* error = nullptr);

    // Opens the import dialog (window-modal, non-blocking) for files or folders. Returns it so
    // callers (tests, drag-and-drop) can drive it; nullptr when nothing importable was given.
    ui::ImportDialog* showImportDialog(const QStringList& paths);

    // Restores geometry, dock layout and theme from QSettings (useSaved=false: defaults).
    void restoreSettings(bool useSaved);
    void saveSettings() const;
    // Puts every dock back where a fresh install has it.
    void resetLayout();
    void setTheme(ui::Theme theme, bool remember = true);

    // The status bar texts: project path, and "N runs · M metric rows · K fits".
    QString statusPathText() const;
    QString statusCountsText() const;
    // Recomputes the counts now (normally coalesced after document changes).
    void updateCounts();
    // Project > Check Integrity: `scalelens-cli check` on a worker thread (its own read-only
    // connection); the result goes to the status bar, a message box and integrityChecked().
    void checkProjectIntegrity();

  signals:
    void integrityChecked(bool ok, const QStringList& problems);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    // main_window_docks.cpp
    void createDocks();
    QDockWidget* addPanelDock(QWidget* panel, const QString& title, const QString& objectName,
                              Qt::DockWidgetArea area);
    // main_window_menus.cpp
    void createMenus();
    void showAbout();
    void showShortcuts();

    void refreshCounts(bool countMetricRowsNow);
    void updateTitle();
    void showStatusMessage(const QString& message, int timeoutMs = 6000);
    void showError(const QString& title, const QString& message);

    ui::ProjectDocument* m_document;
    FileActions* m_fileActions;
    PlotTabs* m_plotTabs = nullptr;
    ui::RunsPanel* m_runsPanel = nullptr;
    ui::RunsTable* m_runsTable = nullptr;
    ui::FitPanel* m_fitPanel = nullptr;
    ui::CalculatorsPanel* m_calculatorsPanel = nullptr;
    QList<QDockWidget*> m_docks;
    QMenu* m_viewMenu = nullptr;
    QAction* m_checkAction = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QLabel* m_pathLabel = nullptr;
    QLabel* m_countsLabel = nullptr;
    QTimer* m_countsTimer = nullptr;
    QTimer* m_metricRowsTimer = nullptr;
    qint64 m_metricRows = -1;   // cached; -1 = recount on the next updateCounts()
    QByteArray m_defaultState;  // dock layout before restoring settings (Reset Layout)
};

}  // namespace scalelens::app
