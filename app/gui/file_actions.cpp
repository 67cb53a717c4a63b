#include "file_actions.h"

#include <widgets/document/project_document.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_export.h>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

#include "app_settings.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "recent_files.h"

namespace scalelens::app {
namespace {

const char kProjectFilter[] = QT_TRANSLATE_NOOP("FileActions", "ScaleLens projects (*.scalelens)");

QString withSuffix(QString path, const QString& suffix) {
    if (!path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
        path += QLatin1Char('.') + suffix;
    return path;
}

}  // namespace

FileActions::FileActions(MainWindow* window)
    : QObject(window),
      m_window(window),
      m_recent(new RecentFiles(this)),
      m_new(new QAction(tr("&New Project…"), this)),
      m_open(new QAction(tr("&Open Project…"), this)),
      m_import(new QAction(tr("&Import Run Logs…"), this)),
      m_saveAs(new QAction(tr("Save &As…"), this)),
      m_exportPlot(new QAction(tr("&Export Plot…"), this)),
      m_exportAll(new QAction(tr("Export A&ll Plots…"), this)),
      m_quit(new QAction(tr("&Quit"), this)),
      m_recentMenu(new QMenu(tr("Open &Recent"), window)) {
    m_new->setShortcut(QKeySequence::New);
    m_new->setIcon(QIcon::fromTheme(QStringLiteral("document-new")));
    m_open->setShortcut(QKeySequence::Open);
    m_open->setIcon(QIcon::fromTheme(QStringLiteral("document-open")));
    m_import->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_import->setStatusTip(tr("Import CSV, TensorBoard, W&B or MLflow run logs"));
    m_saveAs->setShortcut(QKeySequence::SaveAs);
    m_saveAs->setStatusTip(tr("Write a copy of the project and continue in the copy"));
    m_exportPlot->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportPlot->setStatusTip(tr("Export the current plot as PDF, SVG or PNG"));
    m_exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_quit->setShortcut(QKeySequence::Quit);
    m_quit->setMenuRole(QAction::QuitRole);

    connect(m_new, &QAction::triggered, this, &FileActions::newProject);
    connect(m_open, &QAction::triggered, this, &FileActions::openProject);
    connect(m_import, &QAction::triggered, this, &FileActions::importFiles);
    connect(m_saveAs, &QAction::triggered, this, &FileActions::saveAs);
    connect(m_exportPlot, &QAction::triggered, this, &FileActions::exportCurrentPlot);
    connect(m_exportAll, &QAction::triggered, this, &FileActions::exportAllPlots);
    connect(m_quit, &QAction::triggered, window, &QWidget::close);
    // The list is read when the menu opens, so files deleted meanwhile never show.
    connect(m_recentMenu, &QMenu::aboutToShow, this,
            [this] { m_recent->populateMenu(m_recentMenu); });
    connect(m_recent, &RecentFiles::openRequested, this, [this](const QString& path) {
        QString error;
        if (!m_window->openProject(path, &error)) {
            m_recent->remove(path);
            QMessageBox::warning(m_window, tr("Open Project"), error);
        }
    });
    connect(window->document(), &ui::ProjectDocument::pathChanged, this,
            &FileActions::updateEnabled);
    m_recent->populateMenu(m_recentMenu);
    updateEnabled();
}

void FileActions::updateEnabled() {
    const bool open = m_window->document()->isOpen();
    m_saveAs->setEnabled(open);
    m_exportPlot->setEnabled(open);
    m_exportAll->setEnabled(open);
}

bool FileActions::newProjectAt(const QString& path, QString* error) {
    if (!m_window->document()->create(path, error))
        return false;
    m_recent->add(m_window->document()->path());
    settings::setLastDir(settings::kLastDir, path);
    return true;
}

void FileActions::newProject() {
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("New Project"),
        QDir(settings::lastDir(settings::kLastDir)).filePath(QStringLiteral("untitled.scalelens")),
        tr(kProjectFilter));
    if (path.isEmpty())
        return;
    QString error;
    if (!newProjectAt(withSuffix(path, QStringLiteral("scalelens")), &error))
        QMessageBox::warning(m_window, tr("New Project"), error);
}

void FileActions::openProject() {
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Project"), settings::lastDir(settings::kLastDir),
        tr(kProjectFilter) + QStringLiteral(";;") + tr("All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_window->openProject(path, &error))
        QMessageBox::warning(m_window, tr("Open Project"), error);
}

void FileActions::importFiles() {
    const QStringList paths = QFileDialog::getOpenFileNames(
        m_window, tr("Import Run Logs"), settings::lastDir(settings::kLastImportDir),
        tr("Run logs (*.csv *.tsv *.txt);;All files (*)"));
    if (!paths.isEmpty())
        m_window->showImportDialog(paths);
}

bool FileActions::saveAsPath(const QString& path, QString* error) {
    if (!m_window->document()->saveAs(path, error))
        return false;
    m_recent->add(m_window->document()->path());
    settings::setLastDir(settings::kLastDir, path);
    return true;
}

void FileActions::saveAs() {
    const QString current = m_window->document()->path();
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Save Project As"),
        QDir(settings::lastDir(settings::kLastDir)).filePath(QFileInfo(current).fileName()),
        tr(kProjectFilter));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveAsPath(withSuffix(path, QStringLiteral("scalelens")), &error))
        QMessageBox::warning(m_window, tr("Save Project As"), error);
    else
        m_window->statusBar()->showMessage(
            tr("Saved a copy as %1; you are now working in it.")
                .arg(QDir::toNativeSeparators(m_window->document()->path())),
            8000);
}

bool FileActions::exportCurrentPlotTo(const QString& path, int dpi, QString* error) {
    ui::PlotView* view = m_window->plotTabs()->currentPlotView();
    if (!view) {
        if (error)
            *error = tr("There is no plot to export.");
        return false;
    }
    m_window->plotTabs()->rebuildCurrentNow();
    ui::ExportOptions options;
    options.dpi = dpi;
    return ui::exportPlot(view, path, options, error);
}

void FileActions::exportCurrentPlot() {
    const QString id = m_window->plotTabs()->currentViewId();
    QString selected = tr("PDF (vector) (*.pdf)");
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Export Plot"),
        QDir(settings::lastDir(settings::kLastExportDir)).filePath(id + QStringLiteral(".pdf")),
        tr("PDF (vector) (*.pdf);;SVG (vector) (*.svg);;PNG image (*.png)"), &selected);
    if (path.isEmpty())
        return;
    QString target = path;
    if (!ui::exportFormatForPath(target)) {
        const QString suffix = selected.startsWith(QLatin1String("SVG"))   ? QStringLiteral("svg")
                               : selected.startsWith(QLatin1String("PNG")) ? QStringLiteral("png")
                                                                           : QStringLiteral("pdf");
        target = withSuffix(target, suffix);
    }
    int dpi = 150;
    if (ui::exportFormatForPath(target) == ui::ExportFormat::Png) {
        bool ok = false;
        dpi = QInputDialog::getInt(m_window, tr("Export Plot"), tr("Resolution (DPI):"), 300, 24,
                                   1200, 50, &ok);
        if (!ok)
            return;
    }
    settings::setLastDir(settings::kLastExportDir, target);
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool ok = exportCurrentPlotTo(target, dpi, &error);
    QApplication::restoreOverrideCursor();
    if (!ok)
        QMessageBox::warning(m_window, tr("Export Plot"), error);
    else
        m_window->statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(target)),
                                           8000);
}

bool FileActions::exportAllPlotsTo(const QString& folder, const QString& suffix,
                                   QStringList* written, QString* error) {
    const auto format = ui::exportFormatForPath(QStringLiteral("x.") + suffix);
    if (!format) {
        if (error)
            *error = tr("Unknown export format '%1' (pdf, svg or png).").arg(suffix);
        return false;
    }
    QDir().mkpath(folder);
    ui::ExportOptions options;
    options.dpi = 300;
    return ui::exportAllViews(m_window->plotTabs()->viewContext(), folder, *format, options,
                              written, error);
}

void FileActions::exportAllPlots() {
    const QString folder = QFileDialog::getExistingDirectory(
        m_window, tr("Export All Plots to Folder"), settings::lastDir(settings::kLastExportDir));
    if (folder.isEmpty())
        return;
    bool ok = false;
    const QString format = QInputDialog::getItem(
        m_window, tr("Export All Plots"), tr("Format:"),
        {QStringLiteral("pdf"), QStringLiteral("svg"), QStringLiteral("png")}, 0, false, &ok);
    if (!ok)
        return;
    settings::setLastDir(settings::kLastExportDir, folder);
    QStringList written;
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool allOk = exportAllPlotsTo(folder, format, &written, &error);
    QApplication::restoreOverrideCursor();
    if (!allOk)
        QMessageBox::warning(m_window, tr("Export All Plots"), error);
    m_window->statusBar()->showMessage(tr("Exported %n plot(s) to %1", nullptr, int(written.size()))
                                           .arg(QDir::toNativeSeparators(folder)),
                                       8000);
}

}  // namespace scalelens::app
