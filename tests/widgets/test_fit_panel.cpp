// Fit panel (issue 5, items 4 and 7): a background fit fills the table with the engine's
// numbers, is saved in the project and comes back on reopen, goes stale when the data change,
// can be cancelled, copies as TSV, exports a report and becomes a calculator preset.
#include <analysis/loss_metric.h>
#include <datasets/examples.h>
#include <datasets/project.h>
#include <fitting/hparams.h>
#include <fitting/hparams_fit.h>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>

#include "test_fit_support.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"
#include "widgets/calculators/calculators_panel.h"
#include "widgets/document/project_document.h"
#include "widgets/fit/fit_engines.h"
#include "widgets/fit/fit_panel.h"
#include "widgets/fit/fit_store.h"
#include "widgets/fit/report_writer.h"

using namespace scalelens::ui;
namespace data = scalelens::data;
namespace fit = scalelens::fit;
using scalelens::test::waitUntil;

namespace {
template <typename T>
T* child(QWidget& parent, const char* name) {
    T* w = parent.findChild<T*>(QString::fromLatin1(name));
    REQUIRE(w != nullptr);
    return w;
}

struct ExampleProject {
    QTemporaryDir dir;
    QString path;
    ExampleProject() {
        REQUIRE(dir.isValid());
        path = dir.filePath(QStringLiteral("example.scalelens"));
        std::string error;
        REQUIRE(data::createExampleProject(path.toStdString(), &error));
    }
};

void choose(QComboBox* combo, const QString& data) {
    const int index = combo->findData(data);
    REQUIRE(index >= 0);
    combo->setCurrentIndex(index);
}

void runAndWait(FitPanel& panel) {
    panel.startFit();
    REQUIRE(panel.isRunning());
    REQUIRE(waitUntil([&] { return !panel.isRunning(); }, 30000));
}

// The table cell of a parameter row, by its JSON name (tooltips hold the description, so
// look the row up through the summary's order).
int rowOf(const FitSummary& s, const QString& name) {
    int row = 0;
    for (const auto* rows : {&s.parameters, &s.derived}) {
        for (const FitParameterRow& r : *rows) {
            if (r.name == name)
                return row;
            ++row;
        }
    }
    return -1;
}
}  // namespace

TEST_CASE("an LR/batch fit runs in the background and shows the engine's numbers", "[fit][panel]") {
    ExampleProject example;
    ProjectDocument doc;
    QString error;
    REQUIRE(doc.open(example.path, &error));
    FitPanel panel;
    panel.setDocument(&doc);
    auto* law = child<QComboBox>(panel, "lawCombo");
    auto* dataCombo = child<QComboBox>(panel, "dataCombo");
    auto* bootstrap = child<QSpinBox>(panel, "bootstrapSpin");
    auto* table = child<QTableWidget>(panel, "resultsTable");
    auto* fitButton = child<QPushButton>(panel, "fitButton");
    auto* cancelButton = child<QPushButton>(panel, "cancelButton");
    auto* hint = child<QLabel>(panel, "dataHint");
    // The example project has six sweeps: the panel starts on the first one, and fitting them
    // all at once is flagged.
    CHECK(dataCombo->currentData().toString() ==
          QStringLiteral("group:") + QString::fromLatin1(data::kChinchillaGroup));
    CHECK(hint->isHidden());
    choose(dataCombo, QStringLiteral("all"));
    CHECK_FALSE(hint->isHidden());
    CHECK(hint->text() ==
          QStringLiteral("All included runs span 6 groups; choose one group to fit one sweep."));
    choose(law, QStringLiteral("lr-bs"));
    choose(dataCombo, QStringLiteral("group:") + QString::fromLatin1(data::kLrBatchGroup));
    bootstrap->setValue(200);
    CHECK(hint->isHidden());
    CHECK(fitButton->isEnabled());
    CHECK_FALSE(cancelButton->isEnabled());

    int finished = 0;
    qint64 savedId = -1;
    QObject::connect(&panel, &FitPanel::fitFinished, [&](qint64) { ++finished; });
    QObject::connect(&panel, &FitPanel::fitSaved, [&](qint64 id) { savedId = id; });
    panel.startFit();
    CHECK(panel.isRunning());
    CHECK_FALSE(fitButton->isEnabled());
    CHECK(cancelButton->isEnabled());
    REQUIRE(waitUntil([&] { return !panel.isRunning(); }, 30000));
    CHECK(finished == 1);
    CHECK(fitButton->isEnabled());
    CHECK_FALSE(cancelButton->isEnabled());

    const FitSummary& s = panel.currentSummary();
    INFO(s.message.toStdString());
    REQUIRE(s.status == fit::FitStatus::Converged);
    CHECK(s.lawId == QStringLiteral("lr-bs"));

    // The same engine called directly on the same runs gives the same coefficients.
    scalelens::analysis::Selection selection;
    selection.group = data::kLrBatchGroup;
    FitJob job;
    REQUIRE(prepareFitJob(*doc.project(), QStringLiteral("lr-bs"), selection, FitJobOptions{}, &job,
                          &error));
    const std::vector<fit::LrBsRun> runs = job.lrBs.runs;
    fit::LrBsFitOptions options;
    options.bootstrapSamples = 200;
    options.seed = 42;
    const fit::LrBsFitResult direct = fit::fitLrBsSweep(runs, options);
    REQUIRE(fit::isUsable(direct.status));
    CHECK(s.nPoints == direct.runsUsed);
    const std::pair<const char*, const fit::Estimate*> expected[] = {
        {"lr_intercept", &direct.lr.intercept},
        {"lr_coefN", &direct.lr.coefN},
        {"lr_coefD", &direct.lr.coefD},
        {"bs_intercept", &direct.batch.intercept},
        {"bs_coefD", &direct.batch.coefD}};
    for (const auto& [name, c] : expected) {
        const FitParameterRow* row = s.parameter(QString::fromLatin1(name));
        REQUIRE(row != nullptr);
        CHECK(row->value == Approx(c->value).epsilon(1e-12));
        CHECK(row->standardError == Approx(c->sd()).epsilon(1e-12));
        CHECK(row->ciLow == Approx(c->ciLow()).epsilon(1e-12));
        CHECK(row->ciHigh == Approx(c->ciHigh()).epsilon(1e-12));
        // The table shows the same value (6 significant digits).
        const int r = rowOf(s, QString::fromLatin1(name));
        REQUIRE(r >= 0);
        CHECK(parseNumber(table->item(r, 1)->text()).value() ==
              Approx(c->value).epsilon(1e-5).margin(1e-9));
    }

    // Saved in the project and listed.
    CHECK(savedId > 0);
    CHECK(s.fitId == savedId);
    auto* saved = child<QComboBox>(panel, "savedFits");
    CHECK(saved->count() == 1);
    CHECK(saved->currentData().toLongLong() == savedId);
    const auto record = doc.project()->fit(savedId);
    REQUIRE(record.has_value());
    CHECK(record->law == "lr-bs");
}

TEST_CASE("a saved fit comes back on reopen and goes stale when the data change",
          "[fit][panel][stale]") {
    ExampleProject example;
    qint64 savedId = -1;
    double lrCoefN = 0;
    {
        ProjectDocument doc;
        REQUIRE(doc.open(example.path));
        FitPanel panel;
        panel.setDocument(&doc);
        choose(child<QComboBox>(panel, "lawCombo"), QStringLiteral("lr-bs"));
        choose(child<QComboBox>(panel, "dataCombo"),
               QStringLiteral("group:") + QString::fromLatin1(data::kLrBatchGroup));
        runAndWait(panel);
        savedId = panel.currentSummary().fitId;
        lrCoefN = panel.currentSummary().parameter(QStringLiteral("lr_coefN"))->value;
        REQUIRE(savedId > 0);
    }
    ProjectDocument doc;
    REQUIRE(doc.open(example.path));
    FitPanel panel;
    panel.setDocument(&doc);
    auto* saved = child<QComboBox>(panel, "savedFits");
    auto* staleLabel = child<QLabel>(panel, "staleLabel");
    REQUIRE(saved->count() == 1);
    REQUIRE(panel.showFit(savedId));
    CHECK(panel.currentSummary().parameter(QStringLiteral("lr_coefN"))->value == lrCoefN);
    CHECK(child<QTableWidget>(panel, "resultsTable")->rowCount() > 0);
    CHECK_FALSE(panel.currentSummary().stale);
    CHECK(staleLabel->isHidden());

    // Excluding a run of another sweep leaves the fit fresh: it did not use that run.
    const data::Run other = doc.project()->runs().front();
    REQUIRE(other.group == data::kChinchillaGroup);
    doc.setRunsExcluded({other.id}, true);
    CHECK_FALSE(panel.currentSummary().stale);
    CHECK(staleLabel->isHidden());
    doc.undoStack()->undo();
    // Excluding a run the fit used changes the digest of its inputs: stale, visibly.
    data::Run first;
    for (const data::Run& r : doc.project()->runs()) {
        if (r.group == data::kLrBatchGroup) {
            first = r;
            break;
        }
    }
    REQUIRE(first.id > 0);
    doc.setRunsExcluded({first.id}, true);
    CHECK(panel.currentSummary().stale);
    CHECK_FALSE(staleLabel->isHidden());
    CHECK(saved->itemText(0).endsWith(QStringLiteral("(stale)")));
    // Undo restores the data, so the fit is current again.
    doc.undoStack()->undo();
    CHECK_FALSE(panel.currentSummary().stale);
    CHECK(staleLabel->isHidden());
}

TEST_CASE("the panel's loss metric is the project's, remembered for views and fits",
          "[fit][panel][metric]") {
    ExampleProject example;
    ProjectDocument doc;
    REQUIRE(doc.open(example.path));
    FitPanel panel;
    panel.setDocument(&doc);
    auto* metric = child<QComboBox>(panel, "metricCombo");
    CHECK(metric->currentText().toStdString() ==
          scalelens::analysis::lossMetric(*doc.project()).name);
    CHECK(metric->currentText() == QStringLiteral("loss"));
    const int index = metric->findText(QStringLiteral("knowledge_bits"));
    REQUIRE(index >= 0);
    metric->setCurrentIndex(index);
    const scalelens::analysis::LossMetric chosen = scalelens::analysis::lossMetric(*doc.project());
    CHECK(chosen.name == "knowledge_bits");
    CHECK(chosen.chosen);
    // A panel opened later on the same project starts on the remembered choice.
    FitPanel second;
    second.setDocument(&doc);
    CHECK(child<QComboBox>(second, "metricCombo")->currentText() ==
          QStringLiteral("knowledge_bits"));
}

TEST_CASE("cancelling a bootstrap fit ends Cancelled and returns the panel to idle",
          "[fit][panel][cancel]") {
    ExampleProject example;
    ProjectDocument doc;
    REQUIRE(doc.open(example.path));
    FitPanel panel;
    panel.setDocument(&doc);
    choose(child<QComboBox>(panel, "lawCombo"), QStringLiteral("lr-bs"));
    choose(child<QComboBox>(panel, "dataCombo"),
           QStringLiteral("group:") + QString::fromLatin1(data::kLrBatchGroup));
    child<QSpinBox>(panel, "bootstrapSpin")->setValue(100000);
    auto* fitButton = child<QPushButton>(panel, "fitButton");
    auto* cancelButton = child<QPushButton>(panel, "cancelButton");
    auto* progress = child<QProgressBar>(panel, "progressBar");
    qint64 finishedId = 0;
    QObject::connect(&panel, &FitPanel::fitFinished, [&](qint64 id) { finishedId = id; });

    panel.startFit();
    REQUIRE(panel.isRunning());
    cancelButton->click();
    CHECK_FALSE(cancelButton->isEnabled());  // one click is enough
    REQUIRE(waitUntil([&] { return !panel.isRunning(); }, 30000));
    CHECK(panel.currentSummary().status == fit::FitStatus::Cancelled);
    CHECK(child<QLabel>(panel, "statusLabel")->text().startsWith(QStringLiteral("Cancelled")));
    CHECK(finishedId == -1);  // cancelled fits are not saved
    CHECK(doc.project()->fits().empty());
    CHECK(fitButton->isEnabled());
    CHECK_FALSE(cancelButton->isEnabled());
    CHECK(progress->value() == 0);
    CHECK_FALSE(child<QPushButton>(panel, "presetButton")->isEnabled());
}

TEST_CASE("results copy as TSV, export as a report and become a calculator preset",
          "[fit][panel][tsv]") {
    ExampleProject example;
    ProjectDocument doc;
    REQUIRE(doc.open(example.path));
    FitPanel panel;
    CalculatorsPanel calculators;
    calculators.setDocument(&doc);
    QObject::connect(&panel, &FitPanel::presetRequested, &calculators,
                     &CalculatorsPanel::addFittedPreset);
    panel.setDocument(&doc);
    choose(child<QComboBox>(panel, "lawCombo"), QStringLiteral("lr-bs"));
    choose(child<QComboBox>(panel, "dataCombo"),
           QStringLiteral("group:") + QString::fromLatin1(data::kLrBatchGroup));
    runAndWait(panel);
    const FitSummary s = panel.currentSummary();
    REQUIRE(s.usable());

    child<QPushButton>(panel, "copyButton")->click();
    const QString tsv = QApplication::clipboard()->text();
    CHECK(tsv == fitTableTsv(s));
    const QStringList lines = tsv.split(QLatin1Char('\n'));
    CHECK(lines[0].startsWith(QStringLiteral("parameter\tvalue\tstandard error")));
    CHECK(lines[1].startsWith(
        QStringLiteral("lr_intercept\t") +
        QString::number(s.parameter(QStringLiteral("lr_intercept"))->value, 'g', 10)));

    QTemporaryDir dir;
    QString error;
    const QString md = dir.filePath(QStringLiteral("fit.md"));
    REQUIRE(panel.exportReport(md, &error));
    QFile file(md);
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    CHECK(text.contains(QStringLiteral("# Fit report: Optimal LR and batch")));
    CHECK(text.contains(QStringLiteral("arXiv 2503.04715")));
    CHECK(text.contains(QStringLiteral("Group 'lr-batch-sweep'")));

    // "Use as preset": the fitted law appears beside the published ones in LR & batch, and
    // its row evaluates the fitted coefficients with the shared law template.
    child<QPushButton>(panel, "presetButton")->click();
    auto* table = child<QTableWidget>(calculators, "hparamsTable");
    int fitted = -1;
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->item(r, 0)->text().startsWith(QStringLiteral("Fit: lr-bs")))
            fitted = r;
    }
    REQUIRE(fitted >= 0);
    child<NumberField>(calculators, "hparamsNField")->setText(QStringLiteral("1e9"));
    child<NumberField>(calculators, "hparamsDField")->setText(QStringLiteral("1e11"));
    const auto law = fittedHparamLaw(s);
    REQUIRE(law.has_value());
    const double lr = fit::logLinearLr(1e9, 1e11, law->lrLogC, law->lrCoefN, law->lrCoefD);
    CHECK(parseNumber(table->item(fitted, 1)->text()).value() == Approx(lr).epsilon(5e-4));
}

TEST_CASE("fit panel without a project or engine input explains itself", "[fit][panel]") {
    FitPanel panel;
    CHECK_FALSE(child<QPushButton>(panel, "fitButton")->isEnabled());
    CHECK_FALSE(child<QPushButton>(panel, "copyButton")->isEnabled());
    QString error;
    CHECK_FALSE(panel.exportReport(QStringLiteral("/tmp/never.md"), &error));
    CHECK(error == QStringLiteral("There is no fit to export yet."));

    // An invalid δ is marked and blocks Fit.
    ExampleProject example;
    ProjectDocument doc;
    REQUIRE(doc.open(example.path));
    panel.setDocument(&doc);
    auto* delta = child<NumberField>(panel, "deltaField");
    delta->setText(QStringLiteral("0"));
    CHECK_FALSE(delta->isValidInput());
    CHECK_FALSE(child<QPushButton>(panel, "fitButton")->isEnabled());
    delta->setText(QStringLiteral("1e-3"));
    CHECK(child<QPushButton>(panel, "fitButton")->isEnabled());

    // A selection without runs gives a message, not a fit.
    choose(child<QComboBox>(panel, "lawCombo"), QStringLiteral("lr-bs"));
    choose(child<QComboBox>(panel, "dataCombo"), QStringLiteral("selected"));
    panel.startFit();
    CHECK_FALSE(panel.isRunning());
    CHECK(child<QLabel>(panel, "statusLabel")->text() ==
          QStringLiteral("The data selection holds no included run."));
}

TEST_CASE("saved fit records round-trip and unreadable ones say why", "[fit][store]") {
    FitSummary s;
    s.lawId = QStringLiteral("lr-bs");
    s.status = fit::FitStatus::Converged;
    s.message = QStringLiteral("ok");
    s.parameters = {
        {QStringLiteral("lr_intercept"), QStringLiteral("ln C"), {}, {}, 0.5, 0.1, 0.3, 0.7}};
    s.created = QDateTime(QDate(2026, 11, 26), QTime(6, 30), Qt::UTC);
    s.dataFingerprint = QStringLiteral("abc");
    data::FitRecord record =
        fitRecordFromSummary(s, QJsonObject{{QStringLiteral("law"), QStringLiteral("lr-bs")}},
                             QJsonObject{{QStringLiteral("bootstrap"), 0}});
    CHECK(record.law == "lr-bs");
    CHECK(record.createdAt == s.created.toSecsSinceEpoch());
    CHECK(record.dataFingerprint == "abc");
    record.id = 7;
    record.stale = true;
    FitSummary back;
    QString error;
    REQUIRE(fitSummaryFromRecord(record, &back, &error));
    CHECK(back.fitId == 7);
    CHECK(back.stale);
    CHECK(back.parameter(QStringLiteral("lr_intercept"))->ciHigh == 0.7);
    CHECK(fitDisplayName(back) == QStringLiteral("lr-bs #7, 2026-11-26 06:30 (stale)"));

    data::FitRecord foreign;
    foreign.id = 3;
    foreign.law = "densing";
    foreign.resultJson = "{\"law\":\"densing\"}";
    CHECK_FALSE(fitSummaryFromRecord(foreign, &back, &error));
    CHECK(error == QStringLiteral("fit 3: no 'scalelens_summary' in the result and no engine "
                                  "JSON for the law 'densing'"));
    foreign.resultJson = "not json";
    CHECK_FALSE(fitSummaryFromRecord(foreign, &back, &error));
    CHECK(error.startsWith(QStringLiteral("fit 3: the result is not JSON")));
}

TEST_CASE("the fit report dialog starts in the last export folder, never the import folder",
          "[fit_panel][export]") {
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir importDir, exportDir;
    REQUIRE(importDir.isValid());
    REQUIRE(exportDir.isValid());
    QSettings settings;
    settings.setValue(QStringLiteral("files/lastImportDir"), importDir.path());
    settings.remove(QStringLiteral("files/lastExportDir"));
    FitPanel panel;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    // Nothing exported yet: Documents, not the folder of the last import.
    CHECK(QDir::cleanPath(QFileInfo(panel.exportStartPath()).absolutePath()) ==
          QDir::cleanPath(documents));
    settings.setValue(QStringLiteral("files/lastExportDir"), exportDir.path());
    CHECK(QDir::cleanPath(QFileInfo(panel.exportStartPath()).absolutePath()) ==
          QDir::cleanPath(exportDir.path()));
    CHECK(panel.exportStartPath().endsWith(QStringLiteral("-fit.md")));
    settings.remove(QStringLiteral("files/lastImportDir"));
    settings.remove(QStringLiteral("files/lastExportDir"));
}
