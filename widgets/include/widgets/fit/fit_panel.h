// FitPanel: the fit dock. Pick a law, the data (all included runs, one sweep group or the runs
// selected in the main window) and the options, press Fit; the fit runs on a worker thread with
// a progress bar and Cancel, and the result table (value, standard error, 95% CI), goodness of fit
// and back-test error appear when it ends. Successful fits are saved in the project (fits table,
// JSON) and listed in the "Saved fits" box, so they come back when the project is reopened; when
// the project's data changes after a fit, the fit is marked stale.
//
//   auto* panel = new FitPanel(this);
//   panel->setDocument(document);                 // ProjectDocument from the explorer
//   connect(runsView, &RunsView::selectionChanged, panel, &FitPanel::setSelectedRuns);
//   connect(panel, &FitPanel::presetRequested, calculators, &CalculatorsPanel::addFittedPreset);
//
// Threading: the data are copied out of the project on the GUI thread; the worker only sees
// plain vectors and a progress callback (fit::ProgressCallback), which the Cancel button turns
// into FitStatus::Cancelled. The project is written on the GUI thread when the fit ends. The fit
// result never goes on the undo stack (it is derived from the data and the options).
#pragma once

#include <QList>
#include <QWidget>
#include <memory>

#include "widgets/fit/fit_engines.h"
#include "widgets/fit/fit_summary.h"

namespace scalelens::ui {

class ProjectDocument;

class FitPanel : public QWidget {
    Q_OBJECT
  public:
    explicit FitPanel(QWidget* parent = nullptr);
    // Cancels a running fit and waits for the worker to stop.
    ~FitPanel() override;

    // The document is not owned; nullptr detaches (and disables Fit).
    void setDocument(ProjectDocument* document);
    ProjectDocument* document() const;

    // True from startFit() until the worker has ended and the result is shown.
    bool isRunning() const;
    // What the results table shows (the last fit, or a saved fit chosen in the list).
    const FitSummary& currentSummary() const;

  public slots:
    // Runs selected in the main window (used when the data choice is "Selected runs").
    void setSelectedRuns(const QList<qint64>& runIds);
    // Starts a fit with the current law, data and options; does nothing while one runs.
    void startFit();
    // Runs a prepared job (law, options and points already chosen; used by tests and scripts).
    // The result is shown like any other but, without a data fingerprint, saved unmarked.
    void startJob(scalelens::ui::FitJob job);
    // Asks the running fit to stop; the panel returns to idle when the worker has stopped.
    void cancelFit();
    // Shows a saved fit from the project by id (also selects it in the saved-fits box).
    bool showFit(qint64 fitId);
    // Copies the results table to the clipboard as tab-separated text (fitTableTsv).
    void copyTable();
    // Writes the current fit's report; the format follows the suffix (.md, .csv, .json).
    bool exportReport(const QString& path, QString* error = nullptr);
    // Asks for a file name, then exportReport().
    void exportReportWithDialog();
    // Where that dialog starts: <last export folder>/<law>-fit.md, the export folder being
    // the one plots and reports were last exported to (QSettings "files/lastExportDir", the
    // key of the app's export dialogs; never the import folder), else Documents.
    QString exportStartPath() const;

  signals:
    void fitStarted();
    // The worker ended (any status). `fitId` is the saved fit's id, or -1 when nothing was
    // saved (failed or cancelled fits are shown but not saved).
    void fitFinished(qint64 fitId);
    // A fit was written to the project.
    void fitSaved(qint64 fitId);
    // "Use as preset": the user wants this fitted law in the calculators.
    void presetRequested(const scalelens::ui::FitSummary& summary);
    void runningChanged(bool running);

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

}  // namespace scalelens::ui
