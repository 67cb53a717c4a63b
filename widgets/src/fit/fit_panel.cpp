#include "widgets/fit/fit_panel.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <cmath>

#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"
#include "widgets/document/project_document.h"
#include "widgets/fit/diagnostics_banner.h"
#include "widgets/fit/fit_engines.h"
#include "widgets/fit/fit_store.h"
#include "widgets/fit/report_writer.h"

#include <analysis/grouping.h>
#include <analysis/law_inputs.h>
#include <analysis/loss_metric.h>
#include <datasets/project.h>
#include <QJsonObject>
#include <QPointer>

namespace scalelens::ui {

namespace {

// Shared between the GUI thread and the worker: the worker writes progress and reads cancel.
struct WorkerState {
    std::atomic<bool> cancel{false};
    std::atomic<double> progress{0.0};
};

QTableWidgetItem* readOnlyItem(const QString& text, const QString& toolTip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (!toolTip.isEmpty())
        item->setToolTip(toolTip);
    return item;
}

QString ciText(const FitParameterRow& r) {
    if (!std::isfinite(r.ciLow) || !std::isfinite(r.ciHigh))
        return QStringLiteral("\u2013");
    return QStringLiteral("[%1, %2]").arg(formatPlain(r.ciLow, 5), formatPlain(r.ciHigh, 5));
}

QString statusText(fit::FitStatus status) {
    switch (status) {
        case fit::FitStatus::NotRun:
            return FitPanel::tr("Not run");
        case fit::FitStatus::Converged:
            return FitPanel::tr("Converged");
        case fit::FitStatus::NoConvergence:
            return FitPanel::tr("Not converged (best parameters shown)");
        case fit::FitStatus::Failed:
            return FitPanel::tr("Failed");
        case fit::FitStatus::Cancelled:
            return FitPanel::tr("Cancelled");
        case fit::FitStatus::Unreliable:
            return FitPanel::tr("Unreliable (see the diagnostics)");
    }
    return {};
}

}  // namespace

struct FitPanel::Private {
    FitPanel* q = nullptr;
    QPointer<ProjectDocument> document;
    QList<qint64> selectedRuns;
    QString fingerprintAtStart;  // digest of the running fit's inputs (analysis/digest.h)
    QJsonObject optionsAtStart;  // options of the running fit, saved with it
    FitSummary summary;

    // Law and data.
    QComboBox* lawCombo = nullptr;
    QLabel* lawInfo = nullptr;
    QComboBox* dataCombo = nullptr;
    QComboBox* metricCombo = nullptr;
    QCheckBox* forecastsCheck = nullptr;  // Selection::includeForecasts (Chinchilla family)
    QLabel* dataHint = nullptr;
    // Options.
    QComboBox* lossCombo = nullptr;
    NumberField* deltaField = nullptr;
    QComboBox* gridCombo = nullptr;
    QSpinBox* bootstrapSpin = nullptr;
    QSpinBox* seedSpin = nullptr;
    QSpinBox* dropSpin = nullptr;
    QDoubleSpinBox* toleranceSpin = nullptr;
    NumberField* backtestField = nullptr;
    // Run.
    QPushButton* fitButton = nullptr;
    QPushButton* cancelButton = nullptr;
    QProgressBar* progressBar = nullptr;
    QLabel* statusLabel = nullptr;
    QLabel* staleLabel = nullptr;
    QLabel* diagnosticsBanner = nullptr;  // diagnostics_banner.h: worst severity's colour
    // Results.
    QComboBox* savedFits = nullptr;
    QTableWidget* resultsTable = nullptr;
    QTableWidget* goodnessTable = nullptr;
    QPushButton* copyButton = nullptr;
    QPushButton* exportButton = nullptr;
    QPushButton* presetButton = nullptr;

    // Worker.
    std::shared_ptr<WorkerState> worker;
    QFutureWatcher<FitSummary>* watcher = nullptr;
    QTimer* progressTimer = nullptr;

    // buildUi() builds the panel top to bottom from these pieces, then connects them.
    void buildUi();
    void buildLawBox(QVBoxLayout* layout);
    void buildOptionsBox(QVBoxLayout* layout);
    void buildRunControls(QVBoxLayout* layout);
    void buildResults(QVBoxLayout* layout);
    void buildActions(QVBoxLayout* layout);
    void connectSignals();
    void showParameters(const FitSummary& s);
    void updateLawInfo();
    void updateEnabled();
    bool readOptions(FitJobOptions* options, QString* error) const;
    void startJob(FitJob job);
    void finishJob();
    void showSummary(const FitSummary& s);
    // Model -> UI: refresh the choices and the saved fits from the document.
    void reloadDataChoices();
    void reloadMetrics();
    void updateDataHint();
    void reloadSavedFits(qint64 select = -1);
    void updateStale();
    qint64 saveResult(FitSummary* result);
};

void FitPanel::Private::buildUi() {
    auto* layout = new QVBoxLayout(q);
    buildLawBox(layout);
    buildOptionsBox(layout);
    buildRunControls(layout);
    buildResults(layout);
    buildActions(layout);
    connectSignals();
    updateLawInfo();
    updateEnabled();
}

// Law, data selection and loss metric.
void FitPanel::Private::buildLawBox(QVBoxLayout* layout) {
    auto* lawBox = new QGroupBox(tr("Law and data"), q);
    auto* lawForm = new QFormLayout(lawBox);
    lawCombo = new QComboBox(lawBox);
    lawCombo->setObjectName(QStringLiteral("lawCombo"));
    for (const FitLawInfo& law : fitLaws())
        lawCombo->addItem(law.title, law.id);
    lawForm->addRow(tr("&Law:"), lawCombo);
    lawInfo = new QLabel(lawBox);
    lawInfo->setObjectName(QStringLiteral("lawInfo"));
    lawInfo->setWordWrap(true);
    lawInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    lawForm->addRow(lawInfo);
    dataCombo = new QComboBox(lawBox);
    dataCombo->setObjectName(QStringLiteral("dataCombo"));
    dataCombo->addItem(tr("All included runs"), QStringLiteral("all"));
    dataCombo->addItem(tr("Selected runs"), QStringLiteral("selected"));
    lawForm->addRow(tr("&Data:"), dataCombo);
    dataHint = new QLabel(lawBox);
    dataHint->setObjectName(QStringLiteral("dataHint"));
    dataHint->setWordWrap(true);
    dataHint->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; }"));
    dataHint->hide();
    lawForm->addRow(dataHint);
    metricCombo = new QComboBox(lawBox);
    metricCombo->setObjectName(QStringLiteral("metricCombo"));
    metricCombo->setToolTip(tr("The metric whose final value per run is the loss to fit"));
    lawForm->addRow(tr("Loss &metric:"), metricCombo);
    forecastsCheck = new QCheckBox(tr("Include &forecasts"), lawBox);
    forecastsCheck->setObjectName(QStringLiteral("includeForecasts"));
    forecastsCheck->setToolTip(
        tr("Use stored loss-curve forecasts (Curve forecast view, Store forecast) as the final "
           "loss of runs stopped before the end of their schedule; marked as forecasts in the "
           "plots and counted in the diagnostics"));
    lawForm->addRow(forecastsCheck);
    // The choice is the project's loss metric (analysis/loss_metric.h): remembered in the
    // project and used by every view, not only by this panel's fits.
    QObject::connect(metricCombo, &QComboBox::currentTextChanged, q, [this](const QString& name) {
        if (!document || !document->project() || name.isEmpty() ||
            analysis::lossMetric(*document->project()).name == name.toStdString())
            return;
        std::string error;
        if (analysis::setLossMetric(*document->project(), name.toStdString(), &error))
            document->notifyLossMetricChanged();
        else
            statusLabel->setText(QString::fromStdString(error));
    });
    lawForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    for (QComboBox* combo : {lawCombo, dataCombo, metricCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
    }
    layout->addWidget(lawBox);
}

// Loss, Huber delta, start grid, bootstrap, seed, outliers, grouping, back-test.
void FitPanel::Private::buildOptionsBox(QVBoxLayout* layout) {
    auto* optionsBox = new QGroupBox(tr("Options"), q);
    auto* optionsForm = new QFormLayout(optionsBox);
    lossCombo = new QComboBox(optionsBox);
    lossCombo->setObjectName(QStringLiteral("lossCombo"));
    lossCombo->addItem(tr("Huber on log loss (Hoffmann 2022)"), int(FitLoss::Huber));
    lossCombo->addItem(tr("Least squares on log loss"), int(FitLoss::Ols));
    lossCombo->addItem(tr("Huber likelihood, MLE (Besiroglu 2024)"), int(FitLoss::Mle));
    optionsForm->addRow(tr("L&oss:"), lossCombo);
    deltaField = new NumberField(QStringLiteral("1e-3"), optionsBox);
    deltaField->setObjectName(QStringLiteral("deltaField"));
    deltaField->setRange(1e-8, 10.0, tr("a Huber \u03b4 between 1e-8 and 10 (published: 1e-3)"));
    deltaField->setHelp(tr("Huber threshold on log-loss residuals; Hoffmann et al. use 1e-3."));
    optionsForm->addRow(tr("Huber &\u03b4:"), deltaField);
    gridCombo = new QComboBox(optionsBox);
    gridCombo->setObjectName(QStringLiteral("gridCombo"));
    gridCombo->addItem(tr("Published (4,500 starts)"), int(StartGrid::Published));
    gridCombo->addItem(tr("Coarse (faster)"), int(StartGrid::Coarse));
    gridCombo->addItem(tr("Fine (slower)"), int(StartGrid::Fine));
    optionsForm->addRow(tr("Start &grid:"), gridCombo);
    bootstrapSpin = new QSpinBox(optionsBox);
    bootstrapSpin->setObjectName(QStringLiteral("bootstrapSpin"));
    bootstrapSpin->setRange(0, 100000);
    bootstrapSpin->setSingleStep(500);
    bootstrapSpin->setSpecialValueText(tr("none"));
    bootstrapSpin->setToolTip(tr("Resamples for standard errors and 95% CIs (published: 4,000)"));
    optionsForm->addRow(tr("&Bootstrap:"), bootstrapSpin);
    seedSpin = new QSpinBox(optionsBox);
    seedSpin->setObjectName(QStringLiteral("seedSpin"));
    seedSpin->setRange(0, 1 << 30);
    seedSpin->setValue(42);
    optionsForm->addRow(tr("S&eed:"), seedSpin);
    dropSpin = new QSpinBox(optionsBox);
    dropSpin->setObjectName(QStringLiteral("dropSpin"));
    dropSpin->setRange(0, 1000);
    dropSpin->setSpecialValueText(tr("keep all"));
    dropSpin->setSuffix(tr(" highest-loss points dropped"));
    dropSpin->setToolTip(tr("Outlier rule: Besiroglu et al. 2024 drop the 5 highest-loss points"));
    optionsForm->addRow(tr("O&utliers:"), dropSpin);
    toleranceSpin = new QDoubleSpinBox(optionsBox);
    toleranceSpin->setObjectName(QStringLiteral("toleranceSpin"));
    toleranceSpin->setRange(0.0, 50.0);
    toleranceSpin->setDecimals(1);
    toleranceSpin->setValue(analysis::Grouping{}.tolerance * 100.0);
    toleranceSpin->setSuffix(QStringLiteral(" %"));
    toleranceSpin->setToolTip(
        tr("IsoFLOP budgets and LR \u00d7 batch (N, D) values within this much of the previous "
           "one are one group (default 5 %; 0 = exact)"));
    optionsForm->addRow(tr("G&rouping tolerance:"), toleranceSpin);
    backtestField = new NumberField(QStringLiteral("0"), optionsBox);
    backtestField->setObjectName(QStringLiteral("backtestField"));
    backtestField->setRange(0.0, 1e35, tr("0 (no back-test) or a FLOP cutoff such as 1e20"));
    backtestField->setHelp(
        tr("Fit on the runs below this compute, report the prediction "
           "error on the runs above. 0 turns the back-test off."));
    optionsForm->addRow(tr("Back-test &cutoff (FLOP):"), backtestField);
    layout->addWidget(optionsBox);
    // A narrow dock leaves the plot most of the window: fields go under their labels when a
    // row does not fit, and long combo entries are elided in the closed combo only (the list
    // shows them in full).
    optionsForm->setRowWrapPolicy(QFormLayout::WrapLongRows);
    for (QComboBox* combo : {lossCombo, gridCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(14);
    }
}

// Fit / Cancel, progress, status, the stale mark and the diagnostics banner.
void FitPanel::Private::buildRunControls(QVBoxLayout* layout) {
    auto* runRow = new QHBoxLayout;
    fitButton = new QPushButton(tr("&Fit"), q);
    fitButton->setObjectName(QStringLiteral("fitButton"));
    fitButton->setDefault(true);
    cancelButton = new QPushButton(tr("Cancel"), q);
    cancelButton->setObjectName(QStringLiteral("cancelButton"));
    progressBar = new QProgressBar(q);
    progressBar->setObjectName(QStringLiteral("progressBar"));
    progressBar->setRange(0, 1000);
    progressBar->setTextVisible(false);
    runRow->addWidget(fitButton);
    runRow->addWidget(cancelButton);
    runRow->addWidget(progressBar, 1);
    layout->addLayout(runRow);
    statusLabel = new QLabel(tr("No fit yet."), q);
    statusLabel->setObjectName(QStringLiteral("statusLabel"));
    statusLabel->setWordWrap(true);
    layout->addWidget(statusLabel);
    staleLabel = new QLabel(
        tr("\u26a0 Stale: the project's data changed after this fit. Fit again to update."), q);
    staleLabel->setObjectName(QStringLiteral("staleLabel"));
    staleLabel->setWordWrap(true);
    staleLabel->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; font-weight: bold; }"));
    staleLabel->hide();
    layout->addWidget(staleLabel);
    diagnosticsBanner = new QLabel(q);
    diagnosticsBanner->setObjectName(QStringLiteral("diagnosticsBanner"));
    diagnosticsBanner->setWordWrap(true);
    diagnosticsBanner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    diagnosticsBanner->hide();
    layout->addWidget(diagnosticsBanner);
}

// Saved fits, the parameter table and the goodness-of-fit table.
void FitPanel::Private::buildResults(QVBoxLayout* layout) {
    auto* savedRow = new QHBoxLayout;
    savedFits = new QComboBox(q);
    savedFits->setObjectName(QStringLiteral("savedFits"));
    savedFits->setPlaceholderText(tr("No saved fits"));
    savedRow->addWidget(new QLabel(tr("Saved fits:"), q));
    savedRow->addWidget(savedFits, 1);
    layout->addLayout(savedRow);

    resultsTable = new QTableWidget(0, 4, q);
    resultsTable->setObjectName(QStringLiteral("resultsTable"));
    resultsTable->setHorizontalHeaderLabels(
        {tr("Parameter"), tr("Value"), tr("Std. error"), tr("95% CI")});
    resultsTable->horizontalHeader()->setStretchLastSection(true);
    resultsTable->verticalHeader()->hide();
    resultsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(resultsTable, 2);
    goodnessTable = new QTableWidget(0, 2, q);
    goodnessTable->setObjectName(QStringLiteral("goodnessTable"));
    goodnessTable->setHorizontalHeaderLabels({tr("Measure"), tr("Value")});
    goodnessTable->horizontalHeader()->setStretchLastSection(true);
    goodnessTable->verticalHeader()->hide();
    layout->addWidget(goodnessTable, 1);
}

// Copy, export and "Use as preset".
void FitPanel::Private::buildActions(QVBoxLayout* layout) {
    // Two rows, so the buttons keep their full text in a narrow dock.
    auto* actions = new QGridLayout;
    copyButton = new QPushButton(tr("Copy"), q);
    copyButton->setObjectName(QStringLiteral("copyButton"));
    copyButton->setToolTip(tr("Copy the results as tab-separated text"));
    exportButton = new QPushButton(tr("Export report\u2026"), q);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    presetButton = new QPushButton(tr("Use as preset"), q);
    presetButton->setObjectName(QStringLiteral("presetButton"));
    presetButton->setToolTip(tr("Offer this fitted law in the calculators"));
    actions->addWidget(copyButton, 0, 0);
    actions->addWidget(exportButton, 0, 1);
    actions->addWidget(presetButton, 1, 0, 1, 2);
    actions->setColumnStretch(2, 1);
    layout->addLayout(actions);
}

void FitPanel::Private::connectSignals() {
    watcher = new QFutureWatcher<FitSummary>(q);
    progressTimer = new QTimer(q);
    progressTimer->setInterval(50);

    connect(lawCombo, &QComboBox::currentIndexChanged, q, [this] {
        updateLawInfo();
        updateEnabled();
    });
    connect(dataCombo, &QComboBox::currentIndexChanged, q, [this] { updateDataHint(); });
    connect(fitButton, &QPushButton::clicked, q, &FitPanel::startFit);
    connect(cancelButton, &QPushButton::clicked, q, &FitPanel::cancelFit);
    connect(copyButton, &QPushButton::clicked, q, &FitPanel::copyTable);
    connect(exportButton, &QPushButton::clicked, q, &FitPanel::exportReportWithDialog);
    connect(presetButton, &QPushButton::clicked, q, [this] {
        if (summary.usable())
            emit q->presetRequested(summary);
    });
    connect(deltaField, &NumberField::edited, q, [this] { updateEnabled(); });
    connect(backtestField, &NumberField::edited, q, [this] { updateEnabled(); });
    connect(progressTimer, &QTimer::timeout, q, [this] {
        if (worker)
            progressBar->setValue(int(std::lround(1000.0 * worker->progress.load())));
    });
    connect(watcher, &QFutureWatcher<FitSummary>::finished, q, [this] { finishJob(); });
    connect(savedFits, &QComboBox::activated, q,
            [this](int index) { q->showFit(savedFits->itemData(index).toLongLong()); });
}

void FitPanel::Private::updateLawInfo() {
    const FitLawInfo* law = findFitLaw(lawCombo->currentData().toString());
    if (!law) {
        lawInfo->setText(tr("No fitting engine is available in this build."));
        return;
    }
    lawInfo->setText(QStringLiteral("<b>%1</b><br>%2<br><i>%3</i>")
                         .arg(law->formula.toHtmlEscaped(), law->citation.toHtmlEscaped(),
                              tr("Each run needs: %1").arg(law->dataHint).toHtmlEscaped()));
    lossCombo->setEnabled(law->usesLoss);
    // The outlier rule applies to the loss-law fits (Besiroglu et al. 2024 drop 5 points).
    dropSpin->setEnabled(law->usesLoss);
    deltaField->setEnabled(law->usesDelta);
    gridCombo->setEnabled(law->usesGrid);
    bootstrapSpin->setEnabled(law->usesBootstrap);
    seedSpin->setEnabled(law->usesBootstrap);
    backtestField->setEnabled(law->usesBacktest);
    forecastsCheck->setEnabled(law->id == QStringLiteral("chinchilla") ||
                               law->id == QStringLiteral("kaplan") ||
                               law->id == QStringLiteral("isoflop"));
    toleranceSpin->setEnabled(law->id == QStringLiteral("isoflop") ||
                              law->id == QStringLiteral("lr-bs"));
}

void FitPanel::Private::updateEnabled() {
    const bool running = q->isRunning();
    const bool haveLaw = findFitLaw(lawCombo->currentData().toString()) != nullptr;
    const bool optionsOk = deltaField->isValidInput() && backtestField->isValidInput();
    fitButton->setEnabled(!running && haveLaw && optionsOk && document != nullptr);
    cancelButton->setEnabled(running);
    for (QWidget* w : std::initializer_list<QWidget*>{lawCombo, dataCombo})
        w->setEnabled(!running);
    const bool haveResult = summary.status != fit::FitStatus::NotRun;
    copyButton->setEnabled(haveResult && !running);
    exportButton->setEnabled(haveResult && !running);
    presetButton->setEnabled(summary.usable() && !running);
    if (!running)
        progressBar->setValue(0);
}

bool FitPanel::Private::readOptions(FitJobOptions* options, QString* error) const {
    options->loss = FitLoss(lossCombo->currentData().toInt());
    if (const auto delta = deltaField->value())
        options->delta = *delta;
    options->grid = StartGrid(gridCombo->currentData().toInt());
    options->bootstrap = bootstrapSpin->value();
    options->seed = std::uint64_t(seedSpin->value());
    options->dropHighestLoss = dropSpin->isEnabled() ? dropSpin->value() : 0;
    options->grouping.tolerance = toleranceSpin->value() / 100.0;
    if (const auto cutoff = backtestField->value())
        options->backtestCutoff = *cutoff;
    if (!deltaField->isValidInput()) {
        *error = tr("Huber \u03b4: %1").arg(deltaField->errorText());
        return false;
    }
    if (!backtestField->isValidInput()) {
        *error = tr("Back-test cutoff: %1").arg(backtestField->errorText());
        return false;
    }
    return options->isValid(error);
}

void FitPanel::Private::startJob(FitJob job) {
    worker = std::make_shared<WorkerState>();
    std::shared_ptr<WorkerState> state = worker;
    const std::size_t points = job.lawId == QStringLiteral("isoflop")         ? job.isoflop.size()
                               : job.lawId == QStringLiteral("average-param") ? job.avgParam.size()
                               : job.lawId == QStringLiteral("lr-bs")         ? job.lrBs.size()
                                                                              : job.ndl.size();
    statusLabel->setText(tr("Fitting %1 on %2 points\u2026").arg(job.lawId).arg(points));
    progressBar->setValue(0);
    progressTimer->start();
    // The lambda owns copies of the job and the shared state: nothing on the worker thread
    // touches a widget or the project.
    watcher->setFuture(QtConcurrent::run([job = std::move(job), state]() {
        return runFitJob(job, [state](double fraction) {
            state->progress.store(fraction);
            return !state->cancel.load();
        });
    }));
    updateEnabled();
    emit q->runningChanged(true);
    emit q->fitStarted();
}

void FitPanel::Private::finishJob() {
    progressTimer->stop();
    FitSummary result = watcher->result();
    const bool cancelled = worker && worker->cancel.load();
    worker.reset();
    if (cancelled && result.status != fit::FitStatus::Cancelled && !result.usable()) {
        result.status = fit::FitStatus::Cancelled;
        result.message = tr("Cancelled by the user.");
    }
    if (!result.created.isValid())
        result.created = QDateTime::currentDateTimeUtc();
    result.dataFingerprint = fingerprintAtStart;
    const qint64 savedId = result.usable() ? saveResult(&result) : -1;
    showSummary(result);
    updateStale();
    updateEnabled();
    emit q->runningChanged(false);
    emit q->fitFinished(savedId);
    if (savedId > 0)
        emit q->fitSaved(savedId);
}

qint64 FitPanel::Private::saveResult(FitSummary* result) {
    if (!document || !document->project())
        return -1;
    std::string error;
    const qint64 id = document->project()->saveFit(
        fitRecordFromSummary(*result, result->engineJson, optionsAtStart), &error);
    if (id <= 0) {
        document->reportError(
            tr("The fit could not be saved: %1").arg(QString::fromStdString(error)));
        return -1;
    }
    result->fitId = id;
    document->notifyFitsChanged();  // reloads the saved-fits list (and the calculators)
    reloadSavedFits(id);
    return id;
}

void FitPanel::Private::reloadDataChoices() {
    const QString current = dataCombo->currentData().toString();
    // No groups listed yet means a project was just opened: the user has not chosen anything.
    const bool userChose = dataCombo->count() > 2;
    const QSignalBlocker blocker(dataCombo);
    dataCombo->clear();
    dataCombo->addItem(tr("All included runs"), QStringLiteral("all"));
    if (document && document->project()) {
        QStringList groups;
        for (const data::Run& run : document->project()->runs()) {
            const QString g = QString::fromStdString(run.group);
            if (!g.isEmpty() && !groups.contains(g))
                groups << g;
        }
        for (const QString& g : groups)
            dataCombo->addItem(tr("Group: %1").arg(g), QStringLiteral("group:") + g);
    }
    dataCombo->addItem(tr("Selected runs (%1)").arg(selectedRuns.size()),
                       QStringLiteral("selected"));
    // Default, when there are several sweeps, to the project's scaling sweep (the group the
    // Chinchilla views draw and `scalelens-cli fit --law chinchilla` fits without --group,
    // analysis::defaultScalingSweep), else the first: one law fitted across unrelated sweeps
    // (an LR sweep, a model table) is never what a user means.
    const int groupCount = dataCombo->count() - 2;
    int index = userChose ? dataCombo->findData(current) : -1;
    if (index < 0 && groupCount > 1) {
        const analysis::ScalingSweep sweep = analysis::defaultScalingSweep(*document->project());
        if (sweep.group && !sweep.group->empty())
            index = dataCombo->findData(QStringLiteral("group:") +
                                        QString::fromStdString(*sweep.group));
    }
    if (index < 0)
        index = groupCount > 1 ? 1 : 0;
    dataCombo->setCurrentIndex(index);
    updateDataHint();
}

void FitPanel::Private::updateDataHint() {
    // Fitting one law across unrelated sweeps gives a number that means nothing; say so.
    const int groups = dataCombo->count() - 2;  // minus "all" and "selected"
    const bool all = dataCombo->currentData().toString() == QStringLiteral("all");
    dataHint->setText(
        tr("All included runs span %1 groups; choose one group to fit one sweep.").arg(groups));
    dataHint->setVisible(all && groups > 1);
}

void FitPanel::Private::reloadMetrics() {
    const QString current = metricCombo->currentText();
    const QSignalBlocker blocker(metricCombo);
    metricCombo->clear();
    if (!document || !document->project())
        return;
    for (const std::string& name : document->project()->metricNames())
        metricCombo->addItem(QString::fromStdString(name));
    // The project's loss metric (the user's stored choice, else the documented default order;
    // analysis/loss_metric.h), so the panel, the views and the CLI agree.
    const QString chosen = QString::fromStdString(analysis::lossMetric(*document->project()).name);
    int index = metricCombo->findText(chosen.isEmpty() ? current : chosen);
    if (index < 0)
        index = metricCombo->findText(current);
    metricCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void FitPanel::Private::reloadSavedFits(qint64 select) {
    const qint64 current = select > 0 ? select : summary.fitId;
    const QSignalBlocker blocker(savedFits);
    savedFits->clear();
    if (!document || !document->project())
        return;
    for (const FitSummary& s : savedFitSummaries(*document->project()))
        savedFits->addItem(fitDisplayName(s), s.fitId);
    savedFits->setCurrentIndex(savedFits->findData(current));
}

void FitPanel::Private::updateStale() {
    bool stale = false;
    if (document && document->project() && summary.status != fit::FitStatus::NotRun &&
        !summary.dataFingerprint.isEmpty()) {
        if (summary.fitId > 0) {
            if (const auto record = document->project()->fit(summary.fitId))
                stale = analysis::fitIsStale(*document->project(), *record);
        } else if (!summary.dataFingerprint.startsWith(QLatin1String("sha256:"))) {
            stale = QString::fromStdString(document->project()->dataFingerprint()) !=
                    summary.dataFingerprint;
        }
    }
    summary.stale = stale;
    staleLabel->setVisible(stale);
}

// The parameter and derived rows; a flagged row (at its bound, not identified, SE from an
// ill-conditioned covariance) gets a warning icon and the reason in its tooltips.
void FitPanel::Private::showParameters(const FitSummary& s) {
    resultsTable->setRowCount(0);
    if (!s.usable() && s.status != fit::FitStatus::Cancelled)
        return;
    for (const auto* rows : {&s.parameters, &s.derived}) {
        for (const FitParameterRow& r : *rows) {
            const int row = resultsTable->rowCount();
            resultsTable->insertRow(row);
            const QString label =
                r.unit.isEmpty() ? r.label : QStringLiteral("%1 [%2]").arg(r.label, r.unit);
            const QString flags = flagToolTip(r.flags);
            QString tip = r.description;
            if (!flags.isEmpty())
                tip = tip.isEmpty() ? flags : tip + QStringLiteral("\n\n") + flags;
            auto* name = readOnlyItem(label, tip);
            name->setData(Qt::UserRole, r.flags);
            auto* value = readOnlyItem(formatPlain(r.value, 6), flags);
            auto* error = readOnlyItem(formatPlain(r.standardError, 4), flags);
            if (r.flags != 0) {
                name->setIcon(flagIcon());
                const QString marks = analysis::flagText(r.flags);
                value->setText(value->text() + QStringLiteral("  (%1)").arg(marks));
            }
            resultsTable->setItem(row, 0, name);
            resultsTable->setItem(row, 1, value);
            resultsTable->setItem(row, 2, error);
            resultsTable->setItem(row, 3, readOnlyItem(ciText(r)));
        }
    }
}

void FitPanel::Private::showSummary(const FitSummary& s) {
    summary = s;
    QString status = statusText(s.status);
    if (!s.message.isEmpty() && s.message.compare(status, Qt::CaseInsensitive) != 0)
        status += QStringLiteral(": ") + s.message;
    if (std::isfinite(s.seconds))
        status += tr(" (%1 s)").arg(QString::number(s.seconds, 'g', 3));
    statusLabel->setText(status);
    staleLabel->setVisible(s.stale);

    showDiagnostics(diagnosticsBanner, s);
    showParameters(s);
    goodnessTable->setRowCount(0);
    for (const auto* rows : {&s.goodness, &s.backtest, &s.allocation}) {
        for (const FitMetricRow& r : *rows) {
            const int row = goodnessTable->rowCount();
            goodnessTable->insertRow(row);
            goodnessTable->setItem(row, 0, readOnlyItem(r.label, r.note));
            const QString value =
                r.unit.isEmpty() ? formatPlain(r.value, 5)
                                 : QStringLiteral("%1 %2").arg(formatPlain(r.value, 5), r.unit);
            goodnessTable->setItem(row, 1, readOnlyItem(value));
        }
    }
    resultsTable->resizeColumnsToContents();
    goodnessTable->resizeColumnsToContents();
}

FitPanel::FitPanel(QWidget* parent) : QWidget(parent), d(new Private) {
    d->q = this;
    d->buildUi();
}

FitPanel::~FitPanel() {
    if (d->worker)
        d->worker->cancel.store(true);
    d->watcher->waitForFinished();
}

void FitPanel::setDocument(ProjectDocument* document) {
    if (d->document)
        disconnect(d->document, nullptr, this, nullptr);
    d->document = document;
    if (document) {
        connect(document, &ProjectDocument::projectReplaced, this, [this] {
            d->summary = FitSummary();
            d->showSummary(d->summary);
            d->statusLabel->setText(tr("No fit yet."));
            d->reloadDataChoices();
            d->reloadMetrics();
            d->reloadSavedFits();
            d->updateEnabled();
        });
        connect(document, &ProjectDocument::runsChanged, this, [this] { d->reloadDataChoices(); });
        connect(document, &ProjectDocument::metricsChanged, this, [this] { d->reloadMetrics(); });
        connect(document, &ProjectDocument::fitsChanged, this, [this] { d->reloadSavedFits(); });
        connect(document, &ProjectDocument::dataChanged, this, [this] {
            d->updateStale();
            d->reloadSavedFits();
        });
        connect(document, &ProjectDocument::selectionChanged, this, &FitPanel::setSelectedRuns);
        d->selectedRuns = document->selectedRuns();
    }
    d->reloadDataChoices();
    d->reloadMetrics();
    d->reloadSavedFits();
    d->updateStale();
    d->updateEnabled();
}

ProjectDocument* FitPanel::document() const {
    return d->document;
}

bool FitPanel::isRunning() const {
    return d->worker != nullptr;
}

const FitSummary& FitPanel::currentSummary() const {
    return d->summary;
}

void FitPanel::setSelectedRuns(const QList<qint64>& runIds) {
    d->selectedRuns = runIds;
    const int index = d->dataCombo->findData(QStringLiteral("selected"));
    if (index < 0)
        return;
    if (index >= 0)
        d->dataCombo->setItemText(index, tr("Selected runs (%1)").arg(runIds.size()));
}

void FitPanel::startFit() {
    if (isRunning())
        return;
    FitJob job;
    job.lawId = d->lawCombo->currentData().toString();
    QString error;
    if (!findFitLaw(job.lawId)) {
        d->statusLabel->setText(tr("Choose a law first."));
        return;
    }
    if (!d->readOptions(&job.options, &error)) {
        d->statusLabel->setText(error);
        return;
    }
    if (!d->document || !d->document->project()) {
        d->statusLabel->setText(tr("Open a project with runs to fit."));
        return;
    }
    analysis::Selection selection;
    const QString choice = d->dataCombo->currentData().toString();
    if (choice.startsWith(QStringLiteral("group:"))) {
        selection.group = choice.mid(6).toStdString();
    } else if (choice == QStringLiteral("selected")) {
        selection.runIds.assign(d->selectedRuns.begin(), d->selectedRuns.end());
        selection.selectedOnly = true;
    }
    if (d->metricCombo->currentText().isEmpty()) {
        d->statusLabel->setText(tr("The project has no metric to use as the loss."));
        return;
    }
    selection.lossMetric = d->metricCombo->currentText().toStdString();
    selection.includeForecasts = d->forecastsCheck->isEnabled() && d->forecastsCheck->isChecked();
    // The metric chosen here is the project's loss metric from now on (views use it too).
    if (analysis::lossMetric(*d->document->project()).name != selection.lossMetric) {
        std::string ignored;
        analysis::setLossMetric(*d->document->project(), selection.lossMetric, &ignored);
    }
    const FitJobOptions options = job.options;
    if (!prepareFitJob(*d->document->project(), job.lawId, selection, options, &job, &error)) {
        d->statusLabel->setText(error);
        return;
    }
    d->fingerprintAtStart = QString::fromStdString(job.inputDigest);
    d->optionsAtStart = job.request();
    d->optionsAtStart[QStringLiteral("selection")] = choice;
    d->startJob(std::move(job));
}

void FitPanel::startJob(FitJob job) {
    if (isRunning())
        return;
    d->fingerprintAtStart = QString::fromStdString(job.inputDigest);
    d->optionsAtStart = job.request();
    d->startJob(std::move(job));
}

void FitPanel::cancelFit() {
    if (!d->worker)
        return;
    d->worker->cancel.store(true);
    d->statusLabel->setText(tr("Cancelling\u2026"));
    d->cancelButton->setEnabled(false);
}

bool FitPanel::showFit(qint64 fitId) {
    if (isRunning() || !d->document || !d->document->project())
        return false;
    const auto record = d->document->project()->fit(fitId);
    if (!record)
        return false;
    FitSummary s;
    QString error;
    if (!fitSummaryFromRecord(*record, &s, &error)) {
        d->statusLabel->setText(error);
        return false;
    }
    d->showSummary(s);
    d->updateStale();
    d->savedFits->setCurrentIndex(d->savedFits->findData(fitId));
    d->updateEnabled();
    return true;
}

void FitPanel::copyTable() {
    if (d->summary.status == fit::FitStatus::NotRun)
        return;
    QApplication::clipboard()->setText(fitTableTsv(d->summary));
}

bool FitPanel::exportReport(const QString& path, QString* error) {
    if (d->summary.status == fit::FitStatus::NotRun) {
        if (error)
            *error = tr("There is no fit to export yet.");
        return false;
    }
    return saveFitReport(d->summary, path, error);
}

namespace {
// Shared with the app's plot export (app/gui/app_settings.h, settings::kLastExportDir).
constexpr char kLastExportDirKey[] = "files/lastExportDir";
}  // namespace

QString FitPanel::exportStartPath() const {
    QString dir = QSettings().value(QLatin1String(kLastExportDirKey)).toString();
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(dir).filePath(d->summary.lawId + QStringLiteral("-fit.md"));
}

void FitPanel::exportReportWithDialog() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export fit report"), exportStartPath(),
                                     tr("Markdown (*.md);;CSV (*.csv);;JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportReport(path, &error)) {
        d->statusLabel->setText(error);
        return;
    }
    QSettings().setValue(QLatin1String(kLastExportDirKey), QFileInfo(path).absolutePath());
}

}  // namespace scalelens::ui
