// The File menu's actions and their handlers (after Tiled's action handlers): New, Open,
// Import, Recent, Save As, Export plot / all plots, Quit. Kept out of MainWindow so the window
// class stays a layout, and so tests can call the handlers without menus.
#pragma once

#include <QObject>
#include <QStringList>

class QAction;
class QMenu;

namespace scalelens::app {

class MainWindow;
class RecentFiles;

class FileActions : public QObject {
    Q_OBJECT
  public:
    explicit FileActions(MainWindow* window);

    QAction* newAction() const { return m_new; }
    QAction* openAction() const { return m_open; }
    QAction* importAction() const { return m_import; }
    QAction* saveAsAction() const { return m_saveAs; }
    QAction* exportPlotAction() const { return m_exportPlot; }
    QAction* exportAllAction() const { return m_exportAll; }
    QAction* quitAction() const { return m_quit; }
    QMenu* recentMenu() const { return m_recentMenu; }
    RecentFiles* recentFiles() const { return m_recent; }

    // Dialog-driven handlers (what the actions do).
    void newProject();
    void openProject();
    void importFiles();
    void saveAs();
    void exportCurrentPlot();
    void exportAllPlots();

    // Non-interactive variants (tests, command line): false with *error on failure.
    bool newProjectAt(const QString& path, QString* error);
    bool saveAsPath(const QString& path, QString* error);
    bool exportCurrentPlotTo(const QString& path, int dpi, QString* error);
    // Writes every view to `folder` as <view-id>.<suffix>; returns the files written.
    bool exportAllPlotsTo(const QString& folder, const QString& suffix, QStringList* written,
                          QString* error);

  private:
    void updateEnabled();

    MainWindow* m_window;
    RecentFiles* m_recent;
    QAction* m_new;
    QAction* m_open;
    QAction* m_import;
    QAction* m_saveAs;
    QAction* m_exportPlot;
    QAction* m_exportAll;
    QAction* m_quit;
    QMenu* m_recentMenu;
};

}  // namespace scalelens::app
