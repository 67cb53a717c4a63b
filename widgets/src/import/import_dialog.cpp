#include "widgets/import/import_dialog.h"

#include <datasets/project.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include "widgets/document/project_document.h"
#include "widgets/import/import_mapping.h"
#include "widgets/import/import_paths.h"

namespace scalelens::ui {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

struct FormatEntry {
    data::ImportFormat format;
    const char* title;
};
const FormatEntry kFormats[] = {
    {data::ImportFormat::Auto, QT_TRANSLATE_NOOP("ImportDialog", "Detect automatically")},
    {data::ImportFormat::Long,
     QT_TRANSLATE_NOOP("ImportDialog", "Tidy long CSV (run, step, metric, value)")},
    {data::ImportFormat::Wide, QT_TRANSLATE_NOOP("ImportDialog", "Wide CSV (one column per run)")},
    {data::ImportFormat::Summary,
     QT_TRANSLATE_NOOP("ImportDialog", "Summary CSV (one row per run)")},
    {data::ImportFormat::TensorBoard,
     QT_TRANSLATE_NOOP("ImportDialog", "TensorBoard event files or scalar export")},
    {data::ImportFormat::WandB,
     QT_TRANSLATE_NOOP("ImportDialog", "Weights & Biases history export")},
    {data::ImportFormat::MLflow, QT_TRANSLATE_NOOP("ImportDialog", "MLflow mlruns folder")},
};

QString formatTitle(data::ImportFormat format) {
    for (const auto& entry : kFormats) {
        if (entry.format == format)
            return QCoreApplication::translate("ImportDialog", entry.title);
    }
    return qs(data::toString(format));
}

QString delimiterName(char c) {
    switch (c) {
        case ',':
            return QCoreApplication::translate("ImportDialog", "comma");
        case ';':
            return QCoreApplication::translate("ImportDialog", "semicolon");
        case '\t':
            return QCoreApplication::translate("ImportDialog", "tab");
        default:
            return QString(QLatin1Char(c));
    }
}

const char kAutomatic[] = QT_TRANSLATE_NOOP("ImportDialog", "(automatic)");
// Item data of the "(none)" mapping choice (not a possible column name: has a NUL-free marker).
const char kNoColumn[] = "\x01none";

}  // namespace

ImportDialog::ImportDialog(ProjectDocument* document, const QStringList& paths, QWidget* parent)
    : QDialog(parent),
      m_document(document),
      m_paths(expandImportPaths(paths)),
      m_cancel(std::make_shared<std::atomic<bool>>(false)),
      m_progressPermille(std::make_shared<std::atomic<int>>(0)) {
    setWindowTitle(tr("Import Run Logs"));
    setObjectName(QStringLiteral("ImportDialog"));
    buildUi();
    connect(&m_watcher, &QFutureWatcher<ImportOutcome>::finished, this,
            &ImportDialog::onImportFinished);
    refreshPreview();
    resize(980, 700);
}

ImportDialog::~ImportDialog() {
    if (m_watcher.isRunning()) {
        m_cancel->store(true);
        m_watcher.waitForFinished();
    }
}

void ImportDialog::buildUi() {
    m_filesLabel = new QLabel(this);
    m_filesLabel->setWordWrap(true);
    m_filesLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detectedLabel = new QLabel(this);
    m_detectedLabel->setForegroundRole(QPalette::PlaceholderText);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    for (const auto& entry : kFormats) {
        m_format->addItem(tr(entry.title), int(entry.format));
    }
    m_delimiter = new QComboBox(this);
    m_delimiter->setObjectName(QStringLiteral("delimiterCombo"));
    m_delimiter->addItem(tr("Detect"), 0);
    m_delimiter->addItem(tr("Comma ( , )"), int(','));
    m_delimiter->addItem(tr("Semicolon ( ; )"), int(';'));
    m_delimiter->addItem(tr("Tab"), int('\t'));
    m_decimal = new QComboBox(this);
    m_decimal->setObjectName(QStringLiteral("decimalCombo"));
    m_decimal->addItem(tr("Detect"), 0);
    m_decimal->addItem(tr("Point ( 1.5 )"), int('.'));
    m_decimal->addItem(tr("Comma ( 1,5 )"), int(','));
    m_header = new QComboBox(this);
    m_header->addItem(tr("Detect"), -1);
    m_header->addItem(tr("First line is a header"), 1);
    m_header->addItem(tr("No header"), 0);
    m_group = new QLineEdit(this);
    m_group->setObjectName(QStringLiteral("groupEdit"));
    m_group->setPlaceholderText(tr("from the file, else none"));

    auto* options = new QFormLayout;
    options->addRow(tr("Format:"), m_format);
    options->addRow(tr("Delimiter:"), m_delimiter);
    options->addRow(tr("Decimal separator:"), m_decimal);
    options->addRow(tr("Header:"), m_header);
    options->addRow(tr("Group (sweep):"), m_group);
    m_onConflict = new QComboBox(this);
    m_onConflict->setObjectName(QStringLiteral("onConflictCombo"));
    m_onConflict->addItem(tr("keep the project's value"), int(data::OnConflict::Keep));
    m_onConflict->addItem(tr("take this file's value"), int(data::OnConflict::Replace));
    m_onConflict->setToolTip(
        tr("A run already in the project (matched by name) with a different value for a field"));
    options->addRow(tr("On conflict:"), m_onConflict);
    auto* optionsBox = new QGroupBox(tr("Parsing"), this);
    optionsBox->setLayout(options);

    m_mappingGrid = new QGridLayout;
    auto* mappingBox = new QGroupBox(tr("Column mapping"), this);
    auto* mappingLayout = new QVBoxLayout(mappingBox);
    auto* mappingHint = new QLabel(
        tr("Columns are matched by name; choose a column to override. Choices are remembered "
           "for each format."),
        mappingBox);
    mappingHint->setWordWrap(true);
    mappingHint->setForegroundRole(QPalette::PlaceholderText);
    mappingLayout->addWidget(mappingHint);
    mappingLayout->addLayout(m_mappingGrid);
    mappingLayout->addStretch(1);

    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("importError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xd0, 0x3b, 0x3b));
    m_error->setPalette(errorPalette);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("Importing… %p%"));
    m_progress->setVisible(false);
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(50);
    connect(m_progressTimer, &QTimer::timeout, this,
            [this] { m_progress->setValue(m_progressPermille->load()); });

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ImportDialog::startImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_watcher.isRunning())
            cancelImport();
        else
            reject();
    });

    auto* top = new QHBoxLayout;
    top->addWidget(optionsBox, 1);
    top->addWidget(mappingBox, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filesLabel);
    layout->addWidget(m_detectedLabel);
    layout->addLayout(top);
    layout->addWidget(new QLabel(tr("Preview (first 100 rows):"), this));
    layout->addWidget(m_table, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_progress);
    layout->addWidget(m_buttons);

    for (QComboBox* combo : {m_format, m_delimiter, m_decimal, m_header}) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            if (!m_refreshing)
                refreshPreview();
        });
    }

    QStringList names;
    for (const QString& path : m_paths) {
        names << QFileInfo(path).fileName();
    }
    if (m_paths.isEmpty())
        m_filesLabel->setText(
            tr("No importable files (.csv, .tsv, .txt, a TensorBoard or an MLflow folder)."));
    else if (m_paths.size() == 1)
        m_filesLabel->setText(tr("<b>%1</b>").arg(m_paths.front().toHtmlEscaped()));
    else
        m_filesLabel->setText(tr("<b>%n files:</b> %1 (preview of the first; the same settings "
                                 "apply to all)",
                                 nullptr, int(m_paths.size()))
                                  .arg(names.join(QStringLiteral(", ")).toHtmlEscaped()));
}

data::ImportConfig ImportDialog::config() const {
    data::ImportConfig config;
    config.format = static_cast<data::ImportFormat>(m_format->currentData().toInt());
    config.delimiter = char(m_delimiter->currentData().toInt());
    config.decimal = char(m_decimal->currentData().toInt());
    const int header = m_header->currentData().toInt();
    if (header >= 0)
        config.hasHeader = header == 1;
    config.group = m_group->text().trimmed().toStdString();
    config.onConflict = static_cast<data::OnConflict>(m_onConflict->currentData().toInt());
    // Only choices that differ from what the importer would pick on its own become overrides,
    // so a multi-file import still maps each file by its own column names.
    for (auto it = m_mappingCombos.cbegin(); it != m_mappingCombos.cend(); ++it) {
        const QString column = it.value()->currentData().toString();
        if (column.isEmpty())
            continue;
        if (column == QLatin1String(kNoColumn)) {
            // "(none)": no column takes this role, whatever its name suggests.
            if (m_preview.suggestedMapping.count(it.key().toStdString()))
                config.columnMap[it.key().toStdString()] = std::string();
            continue;
        }
        const auto suggested = m_preview.suggestedMapping.find(it.key().toStdString());
        if (suggested != m_preview.suggestedMapping.end() && qs(suggested->second) == column)
            continue;
        config.columnMap[it.key().toStdString()] = column.toStdString();
    }
    return config;
}

bool ImportDialog::setMapping(const QString& key, const QString& column) {
    QComboBox* combo = m_mappingCombos.value(key);
    if (!combo)
        return false;
    const int index = combo->findData(column);
    if (index < 0)
        return false;
    combo->setCurrentIndex(index);
    return true;
}

QString ImportDialog::mapping(const QString& key) const {
    QComboBox* combo = m_mappingCombos.value(key);
    return combo ? combo->currentData().toString() : QString();
}

void ImportDialog::setFormat(data::ImportFormat format) {
    const int index = m_format->findData(int(format));
    if (index >= 0)
        m_format->setCurrentIndex(index);
}

void ImportDialog::setGroup(const QString& group) {
    m_group->setText(group);
}

QString ImportDialog::errorText() const {
    // isHidden, not isVisible: the text counts even while the dialog itself is not shown.
    return m_error->isHidden() ? QString() : m_error->text();
}

void ImportDialog::refreshPreview() {
    showError(QString());
    if (m_paths.isEmpty()) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        return;
    }
    data::ImportConfig previewConfig;
    previewConfig.format = static_cast<data::ImportFormat>(m_format->currentData().toInt());
    previewConfig.delimiter = char(m_delimiter->currentData().toInt());
    previewConfig.decimal = char(m_decimal->currentData().toInt());
    const int header = m_header->currentData().toInt();
    if (header >= 0)
        previewConfig.hasHeader = header == 1;
    m_preview = data::previewImport(m_paths.front().toStdString(), previewConfig, 100);

    if (m_preview.ok) {
        m_detectedLabel->setText(
            tr("Detected: %1 · delimiter: %2 · decimal separator: '%3' · %4")
                .arg(formatTitle(m_preview.format), delimiterName(m_preview.delimiter),
                     QString(QLatin1Char(m_preview.decimal)),
                     m_preview.hasHeader ? tr("header line") : tr("no header")));
        // Which column took an ambiguous role, and which text column was not used as a number.
        if (!m_preview.notes.empty()) {
            QStringList notes;
            for (const auto& note : m_preview.notes)
                notes << qs(note).replace(
                    QRegularExpression(QStringLiteral("\\(use --map [^)]*\\)")),
                    tr("(change it in the mapping below)"));
            m_detectedLabel->setText(m_detectedLabel->text() + QLatin1Char('\n') +
                                     notes.join(QLatin1Char('\n')));
        }
    } else {
        m_detectedLabel->setText(tr("Could not read the file."));
        showError(qs(m_preview.error));
    }
    fillPreviewTable();
    rebuildMappingCombos();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_preview.ok);
}

void ImportDialog::fillPreviewTable() {
    m_table->clear();
    m_table->setColumnCount(int(m_preview.columns.size()));
    m_table->setRowCount(int(m_preview.rows.size()));
    QStringList headers;
    for (const auto& c : m_preview.columns) {
        headers << qs(c);
    }
    m_table->setHorizontalHeaderLabels(headers);
    for (int r = 0; r < int(m_preview.rows.size()); ++r) {
        const auto& row = m_preview.rows[size_t(r)];
        for (int c = 0; c < int(row.size()) && c < m_table->columnCount(); ++c) {
            m_table->setItem(r, c, new QTableWidgetItem(qs(row[size_t(c)])));
        }
    }
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_table->columnCount(); ++c) {
        m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 220));
    }
}

QMap<QString, QString> ImportDialog::rememberedMapping(data::ImportFormat format) const {
    QSettings settings;
    const QByteArray json =
        settings.value(QStringLiteral("import/mapping/%1").arg(qs(data::toString(format))))
            .toByteArray();
    QMap<QString, QString> mapping;
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        mapping.insert(it.key(), it.value().toString());
    }
    return mapping;
}

void ImportDialog::rememberMapping() const {
    QJsonObject object;
    const data::ImportConfig cfg = config();
    for (const auto& [key, column] : cfg.columnMap) {
        object.insert(qs(key), qs(column));
    }
    QSettings settings;
    settings.setValue(QStringLiteral("import/mapping/%1").arg(qs(data::toString(m_preview.format))),
                      QJsonDocument(object).toJson(QJsonDocument::Compact));
}

void ImportDialog::rebuildMappingCombos() {
    // Keep the user's current choices where the column still exists.
    QMap<QString, QString> previous;
    for (auto it = m_mappingCombos.cbegin(); it != m_mappingCombos.cend(); ++it) {
        previous.insert(it.key(), it.value()->currentData().toString());
    }
    const QMap<QString, QString> remembered = rememberedMapping(m_preview.format);
    while (QLayoutItem* item = m_mappingGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_mappingCombos.clear();

    const QStringList& keys = importMappingKeys();
    const int perColumn = (int(keys.size()) + 2) / 3;
    // Wide enough for the longest column name up to 12 characters (3 columns of drop-downs
    // beside the parsing options must fit a 1366-pixel screen).
    int minimumChars = 8;
    for (const auto& column : m_preview.columns)
        minimumChars = std::max(minimumChars, std::min(12, int(column.size())));
    for (int i = 0; i < keys.size(); ++i) {
        const QString& key = keys[i];
        auto* combo = new QComboBox(this);
        combo->setObjectName(QStringLiteral("map_%1").arg(key));
        combo->addItem(tr(kAutomatic), QString());
        combo->addItem(tr("(none)"), QString::fromLatin1(kNoColumn));
        for (const auto& column : m_preview.columns) {
            combo->addItem(qs(column), qs(column));
        }
        QString choice;
        const auto suggested = m_preview.suggestedMapping.find(key.toStdString());
        if (suggested != m_preview.suggestedMapping.end())
            choice = qs(suggested->second);
        if (remembered.contains(key) && combo->findData(remembered.value(key)) > 0)
            choice = remembered.value(key);
        if (!previous.value(key).isEmpty() && combo->findData(previous.value(key)) > 0)
            choice = previous.value(key);
        combo->setCurrentIndex(std::max(0, combo->findData(choice)));
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(minimumChars);
        // A long column name may still be cut ("params_non_e"): the tooltip shows it whole.
        combo->setToolTip(combo->currentText());
        connect(combo, &QComboBox::currentTextChanged, combo, &QComboBox::setToolTip);
        auto* label = new QLabel(importMappingTitle(key) + QLatin1Char(':'), this);
        label->setBuddy(combo);
        const int row = i % perColumn;
        const int col = (i / perColumn) * 2;
        m_mappingGrid->addWidget(label, row, col, Qt::AlignRight);
        m_mappingGrid->addWidget(combo, row, col + 1);
        m_mappingCombos.insert(key, combo);
    }
}

void ImportDialog::showError(const QString& message) {
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        highlightErrorCell(message);
}

void ImportDialog::highlightErrorCell(const QString& message) {
    // "file:line:column: ..." -> the preview cell of that line and column, when shown.
    static const QRegularExpression where(QStringLiteral(":(\\d+):(\\d+):"));
    const auto match = where.match(message);
    if (!match.hasMatch())
        return;
    const int line = match.captured(1).toInt();
    const int column = match.captured(2).toInt();
    const int row = line - (m_preview.hasHeader ? 2 : 1);
    if (row < 0 || row >= m_table->rowCount() || column < 1 || column > m_table->columnCount())
        return;
    QTableWidgetItem* item = m_table->item(row, column - 1);
    if (!item)
        return;
    item->setBackground(QColor(0xd0, 0x3b, 0x3b, 90));
    item->setToolTip(message);
    m_table->scrollToItem(item);
}

void ImportDialog::setBusy(bool busy) {
    for (QWidget* w : std::initializer_list<QWidget*>{m_format, m_delimiter, m_decimal, m_header,
                                                      m_group, m_table}) {
        w->setEnabled(!busy);
    }
    for (QComboBox* combo : m_mappingCombos) {
        combo->setEnabled(!busy);
    }
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_progress->setVisible(busy);
    if (busy) {
        m_progress->setValue(0);
        m_progressTimer->start();
    } else {
        m_progressTimer->stop();
    }
}

void ImportDialog::startImport() {
    if (m_watcher.isRunning() || m_paths.isEmpty())
        return;
    if (!m_document->isOpen()) {
        showError(tr("Open or create a project before importing."));
        return;
    }
    std::string invalid;
    const data::ImportConfig cfg = config();
    if (!cfg.isValid(&invalid)) {
        showError(qs(invalid));
        return;
    }
    rememberMapping();
    showError(QString());
    m_cancel->store(false);
    m_progressPermille->store(0);
    setBusy(true);
    auto cancel = m_cancel;
    auto permille = m_progressPermille;
    const QString projectPath = m_document->path();
    const QStringList paths = m_paths;
    m_watcher.setFuture(QtConcurrent::run([projectPath, paths, cfg, cancel, permille] {
        return runImport(projectPath, paths, cfg, [cancel, permille](double fraction) {
            permille->store(int(std::clamp(fraction, 0.0, 1.0) * 1000));
            return !cancel->load();
        });
    }));
}

void ImportDialog::cancelImport() {
    m_cancel->store(true);
}

void ImportDialog::onImportFinished() {
    m_outcome = m_watcher.result();
    setBusy(false);
    // Even a failed multi-file import may have written the files before the bad one.
    if (m_outcome.filesImported > 0)
        m_document->notifyImported();
    emit importFinished(m_outcome.ok);
    if (m_outcome.ok) {
        accept();
        return;
    }
    showError(m_outcome.message);
}

void ImportDialog::done(int result) {
    if (m_watcher.isRunning()) {
        // Closing the window cancels the import; wait so the worker's connection is closed.
        m_cancel->store(true);
        m_watcher.waitForFinished();
    }
    QDialog::done(result);
}

}  // namespace scalelens::ui
