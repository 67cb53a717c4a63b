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
// The import runs on a worker thread (runImport in import_worker.h) with its own data::Project
// connection on the document's file (WAL lets the GUI keep reading); each file is one
// transaction, so a bad file writes nothing. After the import the document is told
// (notifyImported()). Dropped folders are expanded by expandImportPaths (import_paths.h); the
// mapping keys come from the importer (import_mapping.h).
#pragma once

#include <datasets/import.h>
#include <QDialog>
#include <QFutureWatcher>
#include <QMap>
#include <QStringList>
#include <atomic>
#include <memory>

#include "widgets/import/import_worker.h"

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
    QComboBox* m_onConflict = nullptr;
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
