#include "main_window.h"

#include <analysis/fit_store.h>
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/document/project_document.h>
#include <widgets/import/import_dialog.h>
#include <widgets/import/import_paths.h>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileInfo>
#include <QFrame>
#include <QGuiApplication>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include "app_settings.h"
#include "file_actions.h"
#include "plot_tabs.h"
#include "recent_files.h"

namespace scalelens::app {
namespace {

// The store keeps a row count per curve (schema 3): milliseconds even on 10M-row projects.
qint64 countMetricRows(const data::Project& project) {
    return qint64(project.metricRowCount());
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_document(new ui::ProjectDocument(this)),
      m_fileActions(new FileActions(this)),
      m_countsTimer(new QTimer(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setDocumentMode(true);
    resize(1440, 900);

    m_plotTabs = new PlotTabs(m_document, this);
    setCentralWidget(m_plotTabs);
    createDocks();
    createMenus();

    m_pathLabel = new QLabel(this);
    m_pathLabel->setObjectName(QStringLiteral("statusPath"));
    m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("statusCounts"));
    // Both permanent (right-aligned), so temporary messages on the left never cover them.
    m_pathLabel->setMaximumWidth(560);
    statusBar()->addPermanentWidget(m_pathLabel);
    auto* separator = new QFrame(this);
    separator->setFrameShape(QFrame::VLine);
    separator->setFrameShadow(QFrame::Sunken);
    statusBar()->addPermanentWidget(separator);
    statusBar()->addPermanentWidget(m_countsLabel);

    // Counting metric rows reads the whole store: do it once per burst of changes.
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(0);
    connect(m_countsTimer, &QTimer::timeout, this, [this] { refreshCounts(false); });
    // Counting metric rows reads every curve: after a project opens it waits until the window
    // has painted, so it never delays the first frame.
    m_metricRowsTimer = new QTimer(this);
    m_metricRowsTimer->setSingleShot(true);
    m_metricRowsTimer->setInterval(200);
    connect(m_metricRowsTimer, &QTimer::timeout, this, [this] { refreshCounts(true); });
    for (auto signal : {&ui::ProjectDocument::runsChanged, &ui::ProjectDocument::metricsChanged,
                        &ui::ProjectDocument::fitsChanged}) {
        connect(m_document, signal, m_countsTimer, qOverload<>(&QTimer::start));
    }
    connect(m_document, &ui::ProjectDocument::metricsChanged, this, [this] { m_metricRows = -1; });
    connect(m_document, &ui::ProjectDocument::pathChanged, this, &MainWindow::updateTitle);
    connect(m_document->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ui::ProjectDocument::errorOccurred, this,
            [this](const QString& message) { showError(tr("Edit failed"), message); });
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, [this] {
        // Edits are written at once; the status bar says what the last step did.
        const QUndoStack* stack = m_document->undoStack();
        if (stack->index() > 0)
            showStatusMessage(stack->text(stack->index() - 1), 3000);
    });
    updateTitle();
    refreshCounts(false);
    // Recorded before any saved layout is restored: "Reset Layout" goes back to this.
    m_defaultState = saveState(settings::kWindowStateVersion);
}

MainWindow::~MainWindow() {
    // The document is our child and outlives this body: its signals must not reach the lambdas
    // above once MainWindow's own members are gone (UBSan: member access on a QWidget).
    m_document->undoStack()->disconnect(this);
    m_document->disconnect(this);
}

bool MainWindow::openProject(const QString& path, QString* error) {
    QString message;
    if (!m_document->open(path, &message)) {
        if (error)
            *error = message;
        return false;
    }
    m_fileActions->recentFiles()->add(m_document->path());
    settings::setLastDir(settings::kLastDir, m_document->path());
    showStatusMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_document->path())));
    return true;
}

bool MainWindow::openExampleProject(QString* error) {
    const QString path = settings::exampleProjectPath();
    if (!QFileInfo::exists(path)) {
        std::string message;
        if (!data::createExampleProject(path.toStdString(), &message)) {
            if (error)
                *error = tr("Could not create the example project: %1")
                             .arg(QString::fromStdString(message));
            return false;
        }
    }
    QString message;
    if (!m_document->open(path, &message)) {
        if (error)
            *error = message;
        return false;
    }
    showStatusMessage(tr("Opened the example project"));
    return true;
}

bool MainWindow::openStartupProject(QString* error) {
    const QStringList recent = m_fileActions->recentFiles()->files();
    for (const QString& path : recent) {
        if (openProject(path, nullptr))
            return true;
    }
    return openExampleProject(error);
}

ui::ImportDialog* MainWindow::showImportDialog(const QStringList& paths) {
    const QStringList sources = ui::expandImportPaths(paths);
    if (sources.isEmpty()) {
        showStatusMessage(
            tr("Nothing to import: drop .csv/.tsv/.txt files, folders of them, "
               "a TensorBoard log folder or an MLflow mlruns folder."));
        return nullptr;
    }
    QString created;  // the project this import started, removed again if nothing lands in it
    if (!m_document->isOpen()) {
        // An import needs a project file to go into: start a new one next to the data.
        const QString folder = QFileInfo(sources.front()).absolutePath();
        QString path = QDir(folder).filePath(QStringLiteral("untitled.scalelens"));
        for (int n = 2; QFileInfo::exists(path); ++n) {
            path = QDir(folder).filePath(QStringLiteral("untitled-%1.scalelens").arg(n));
        }
        QString message;
        if (!m_fileActions->newProjectAt(path, &message)) {
            showError(tr("Import"), message);
            return nullptr;
        }
        created = m_document->path();
    }
    auto* dialog = new ui::ImportDialog(m_document, sources, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ui::ImportDialog::importFinished, this, [this, dialog](bool ok) {
        showStatusMessage(dialog->outcome().message, ok ? 8000 : 0);
    });
    if (!created.isEmpty()) {
        connect(dialog, &QDialog::finished, this, [this, created](int) {
            const data::Project* project = m_document->project();
            if (m_document->path() != created || !project || !project->imports().empty() ||
                !project->runs().empty())
                return;
            // Failed or cancelled: no empty project file is left behind.
            m_document->close();
            for (const QString& suffix :
                 {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(created + suffix);
            m_fileActions->recentFiles()->remove(created);
            showStatusMessage(
                tr("Nothing was imported; %1 was not kept").arg(QFileInfo(created).fileName()));
        });
    }
    settings::setLastDir(settings::kLastImportDir, sources.front());
    dialog->open();
    return dialog;
}

void MainWindow::restoreSettings(bool useSaved) {
    QSettings s;
    if (useSaved) {
        restoreGeometry(s.value(QLatin1String(settings::kGeometry)).toByteArray());
        restoreState(s.value(QLatin1String(settings::kWindowState)).toByteArray(),
                     settings::kWindowStateVersion);
        const QString view = s.value(QLatin1String(settings::kCurrentView)).toString();
        if (!view.isEmpty())
            m_plotTabs->showView(view);
    }
    const ui::Theme theme =
        useSaved ? ui::themeFromName(s.value(QLatin1String(settings::kTheme)).toString())
                 : ui::Theme::System;
    setTheme(theme, false);
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QLatin1String(settings::kGeometry), saveGeometry());
    s.setValue(QLatin1String(settings::kWindowState), saveState(settings::kWindowStateVersion));
    s.setValue(QLatin1String(settings::kCurrentView), m_plotTabs->currentViewId());
}

void MainWindow::resetLayout() {
    restoreState(m_defaultState, settings::kWindowStateVersion);
    for (QDockWidget* dock : m_docks) {
        dock->show();
    }
}

void MainWindow::setTheme(ui::Theme theme, bool remember) {
    ui::applyTheme(theme);
    if (remember)
        QSettings().setValue(QLatin1String(settings::kTheme), ui::themeName(theme));
    if (m_themeGroup) {
        for (QAction* action : m_themeGroup->actions()) {
            action->setChecked(action->data().toString() == ui::themeName(theme));
        }
    }
}

QString MainWindow::statusPathText() const {
    return m_pathLabel->text();
}
QString MainWindow::statusCountsText() const {
    return m_countsLabel->text();
}

void MainWindow::updateCounts() {
    refreshCounts(true);
}

void MainWindow::refreshCounts(bool countMetricRowsNow) {
    m_countsTimer->stop();
    const data::Project* project = m_document->project();
    if (!project) {
        m_countsLabel->setText(tr("No project"));
        return;
    }
    const auto runs = project->runs();
    qint64 excluded = 0;
    for (const auto& run : runs) {
        excluded += run.excluded ? 1 : 0;
    }
    if (m_metricRows < 0 && countMetricRowsNow) {
        m_metricRowsTimer->stop();
        m_metricRows = countMetricRows(*project);
    } else if (m_metricRows < 0) {
        m_metricRowsTimer->start();
    }
    const qint64 rows = m_metricRows;
    const auto fits = project->fits();
    qint64 stale = 0;
    for (const auto& fit : fits) {
        stale += analysis::fitIsStale(*project, fit) ? 1 : 0;  // input digest (analysis/)
    }
    const QLocale locale;
    QString text = tr("%1 runs").arg(locale.toString(qint64(runs.size())));
    if (excluded > 0)
        text += tr(" (%1 excluded)").arg(locale.toString(excluded));
    text += tr(" · %1 metric rows · %2 fits")
                .arg(rows >= 0 ? locale.toString(rows) : QStringLiteral("…"),
                     locale.toString(qint64(fits.size())));
    if (stale > 0)
        text += tr(" (%1 stale)").arg(locale.toString(stale));
    m_countsLabel->setText(text);
}

void MainWindow::updateTitle() {
    const QString path = m_document->path();
    if (path.isEmpty()) {
        setWindowTitle(tr("ScaleLens"));
        setWindowFilePath(QString());
        m_pathLabel->setText(tr("No project open"));
        return;
    }
    setWindowFilePath(path);
    setWindowTitle(tr("%1 — ScaleLens").arg(QFileInfo(path).fileName()));
    const QString native = QDir::toNativeSeparators(path);
    m_pathLabel->setText(m_pathLabel->fontMetrics().elidedText(native, Qt::ElideMiddle,
                                                               m_pathLabel->maximumWidth()));
    m_pathLabel->setToolTip(
        tr("Every edit is written to this file at once; Edit > Undo takes "
           "it back."));
}

void MainWindow::showStatusMessage(const QString& message, int timeoutMs) {
    statusBar()->showMessage(message, timeoutMs);
}

void MainWindow::showError(const QString& title, const QString& message) {
    showStatusMessage(message, 10000);
    // Offscreen (tests, screenshots) nobody can close a message box.
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        return;
    QMessageBox::warning(this, title, message);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!event->mimeData()->hasUrls())
        return;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    QStringList projects;
    for (const QUrl& url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (path.endsWith(QLatin1String(".scalelens"), Qt::CaseInsensitive))
            projects << path;
        else
            paths << path;
    }
    event->acceptProposedAction();
    // A dropped project file opens; anything else is imported into the open project.
    if (!projects.isEmpty() && paths.isEmpty()) {
        QString error;
        if (!openProject(projects.front(), &error))
            showError(tr("Open Project"), error);
        return;
    }
    if (!paths.isEmpty())
        showImportDialog(paths);
}

}  // namespace scalelens::app
