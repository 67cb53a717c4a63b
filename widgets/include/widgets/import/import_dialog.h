// The import dialog: preview a run-log file, check or correct what was detected, map columns,
// then import in the background with progress and Cancel.
//
//   ImportDialog dialog(document, {"/data/sweep.csv"}, window);
//   dialog.exec();                    // on success the document emits runsChanged etc.
//
// What the user sees: the detected format, delimiter, decimal separator and header (all
// editable, the preview refreshes), the first 100 rows, one drop-down per mapping key
// (run, step, tokens, loss, N, D, C, lr, batch, ...) pre-set from the importer's suggestion and
// remembered per format (QSettings "import/mapping/<format>"), and errors inline with file,
// line and column (the offending preview cell is highlighted when it is among the shown rows).
//
// The import runs on a worker thread (QtConcurrent) with its own data::Project connection on
// the document's file (WAL lets the GUI keep reading); each file is one transaction, so a bad
// file writes nothing. After the import the document is told (notifyImported()).
#pragma once

#include <datasets/import.h>
#include <QDialog>
#include <QFutureWatcher>
#include <QMap>
#include <QStringList>
#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableWidget;
class QTimer;

namespace scalelens::ui {

class ProjectDocument;

// Turns dropped/chosen paths into importable sources: files stay as they are; an MLflow
// folder (`mlruns`, an experiment or a run folder: it has meta.yaml or metrics/) stays a folder;
// any other folder is replaced by the .csv/.tsv/.txt files below it, sorted.
QStringList expandImportPaths(const QStringList& paths);

// Mapping keys offered in the dialog, in display order (see data::ImportConfig::columnMap).
const QStringList& importMappingKeys();
// A short label for a mapping key ("tokens" -> "tokens (D)").
QString importMappingTitle(const QString& key);

// Outcome of one background import (one entry per file).
struct ImportOutcome {
    bool ok = false;         // every file imported (or skipped as an exact duplicate)
    bool cancelled = false;  // the user pressed Cancel; the current file wrote nothing
    QString message;         // error ("file:line:col: ...") or a summary for the status bar
    int filesImported = 0;   // files written (or skipped as duplicates) before any error
    qint64 runsAdded = 0;
    qint64 runsUpdated = 0;
    qint64 metricRows = 0;
    QStringList duplicates;  // files skipped because the same bytes were imported before
    QStringList warnings;    // importer warnings, "file:line:col: ..."
};

// Imports `paths` into the project file at `projectPath` on the calling thread, through a
// connection of its own. `progress` gets the overall fraction; returning false cancels.
ImportOutcome runImport(const QString& projectPath, const QStringList& paths,
                        const data::ImportConfig& config, const fit::ProgressCallback& progress);

class ImportDialog : public QDialog {
    Q_OBJECT
  public:
    ImportDialog(ProjectDocument* document, const QStringList& paths, QWidget* parent = nullptr);
    ~ImportDialog() override;

    // The configuration the Import button would use (format, delimiter, decimal, header,
    // group, mapping).
    data::ImportConfig config() const;
    // Sets the column for a mapping key ("" = automatic). Returns false for an unknown key or a
    // column not in the preview.
    bool setMapping(const QString& key, const QString& column);
    QString mapping(const QString& key) const;
    void setFormat(data::ImportFormat format);
    void setGroup(const QString& group);

    // The current preview (first 100 rows) of the first file.
    const data::ImportPreview& preview() const { return m_preview; }
    QStringList paths() const { return m_paths; }
    QString errorText() const;
    bool isRunning() const { return m_watcher.isRunning(); }
    // Result of the last import (valid after importFinished).
    const ImportOutcome& outcome() const { return m_outcome; }

    // Starts the background import (what the Import button does).
    void startImport();
    // Requests cancellation of a running import.
    void cancelImport();

  signals:
    void importFinished(bool ok);

  protected:
    void done(int result) override;

  private:
    void buildUi();
    void refreshPreview();
    void fillPreviewTable();
    void rebuildMappingCombos();
    void showError(const QString& message);
    void highlightErrorCell(const QString& message);
    void onImportFinished();
    void rememberMapping() const;
    QMap<QString, QString> rememberedMapping(data::ImportFormat format) const;
    void setBusy(bool busy);

    ProjectDocument* m_document;
    QStringList m_paths;
    data::ImportPreview m_preview;
    bool m_refreshing = false;

    QLabel* m_filesLabel = nullptr;
    QLabel* m_detectedLabel = nullptr;
    QComboBox* m_format = nullptr;
    QComboBox* m_delimiter = nullptr;
    QComboBox* m_decimal = nullptr;
    QComboBox* m_header = nullptr;
    QLineEdit* m_group = nullptr;
    QTableWidget* m_table = nullptr;
    QGridLayout* m_mappingGrid = nullptr;
    QMap<QString, QComboBox*> m_mappingCombos;
    QLabel* m_error = nullptr;
    QProgressBar* m_progress = nullptr;
    QDialogButtonBox* m_buttons = nullptr;

    QFutureWatcher<ImportOutcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_progressPermille;
    QTimer* m_progressTimer = nullptr;
    ImportOutcome m_outcome;
};

}  // namespace scalelens::ui
