// The import dialog on the files of a real sweep (issue 8, e2e_sweep.h), as a user drives it:
// the per-step CSV, then the summary with N switched from params_total to params_non_embedding
// by its drop-down, the peak LR column set to "(none)" and the final-loss role given a column;
// then TensorBoard. What lands in the project, and what the views fit from it.
#include <datasets/project.h>
#include <widgets/document/project_document.h>
#include <widgets/import/import_dialog.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>

#include "e2e_sweep.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

bool runDialogImport(ui::ImportDialog& dialog) {
    bool finished = false;
    QObject::connect(&dialog, &ui::ImportDialog::importFinished, [&] { finished = true; });
    dialog.startImport();
    return testing::waitFor([&] { return finished; }, 60000);
}

// Picks `text` in the drop-down of mapping key `key`, as a click would.
void choose(ui::ImportDialog& dialog, const char* key, const char* text) {
    auto* combo = dialog.findChild<QComboBox*>(QStringLiteral("map_%1").arg(QLatin1String(key)));
    REQUIRE(combo != nullptr);
    const int index = combo->findText(QString::fromLatin1(text));
    REQUIRE(index >= 0);
    combo->setCurrentIndex(index);
}

QString detectedText(const ui::ImportDialog& dialog) {
    QStringList texts;
    for (const QLabel* label : dialog.findChildren<QLabel*>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}

}  // namespace

TEST_CASE("e2e import dialog: a sweep's files, N switched, '(none)' and the final-loss role",
          "[e2e][gui][import]") {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().remove(QStringLiteral("import"));  // no remembered mappings
    const auto f = test::writeSweepFiles(false);
    ui::ProjectDocument doc;
    QString error;
    REQUIRE(doc.create(f->project, &error));

    // 1. The per-step CSV, as detected.
    {
        ui::ImportDialog dialog(&doc, {f->steps});
        REQUIRE(dialog.preview().ok);
        CHECK(dialog.mapping(QStringLiteral("run")) == QStringLiteral("run"));
        CHECK(dialog.mapping(QStringLiteral("tokens")) == QStringLiteral("tokens"));
        REQUIRE(runDialogImport(dialog));
        INFO(dialog.outcome().message.toStdString());
        REQUIRE(dialog.outcome().ok);
        CHECK(dialog.outcome().runsAdded == test::kSweepRuns);
    }
    const data::Project& project = *doc.project();
    const test::SweepRun& gen = f->runs.front();
    const qint64 id = testing::runIdByName(project, gen.name);
    REQUIRE(id != 0);
    // Before the summary: N derived from the logged FLOPs and tokens (C / 6D).
    CHECK(*project.run(id)->totalParams == Approx(gen.params).epsilon(1e-6));
    CHECK(project.run(id)->isDerived(data::RunField::TotalParams));
    const double lrFromCurve = *project.run(id)->peakLr;

    // 2. The summary: the dialog says which column it took as N and that `size` is text.
    {
        ui::ImportDialog dialog(&doc, {f->summary});
        REQUIRE(dialog.preview().ok);
        CHECK(dialog.mapping(QStringLiteral("N")) == QStringLiteral("params_total"));
        const QString shown = detectedText(dialog);
        INFO(shown.toStdString());
        CHECK(shown.contains(QStringLiteral("'size'")));
        CHECK(shown.contains(QStringLiteral("params_non_embedding")));
        CHECK(shown.contains(QStringLiteral("(change it in the mapping below)")));
        if (const QByteArray shot = qgetenv("SCALELENS_DIALOG_SCREENSHOT"); !shot.isEmpty()) {
            dialog.resize(1100, 760);
            dialog.show();
            QCoreApplication::processEvents();
            dialog.grab().save(QString::fromLocal8Bit(shot));
        }
        choose(dialog, "N", "params_non_embedding");  // N: switched by its drop-down
        choose(dialog, "lr", "(none)");               // the summary's peak_lr is not read
        choose(dialog, "loss", "final_train_loss");   // the final-loss role
        const data::ImportConfig config = dialog.config();
        CHECK(config.columnMap.at("N") == "params_non_embedding");
        CHECK(config.columnMap.at("lr").empty());
        CHECK(config.columnMap.at("loss") == "final_train_loss");
        REQUIRE(runDialogImport(dialog));
        INFO(dialog.outcome().message.toStdString());
        INFO(dialog.outcome().warnings.join(QLatin1Char('\n')).toStdString());
        REQUIRE(dialog.outcome().ok);
        CHECK(dialog.outcome().runsAdded == 0);
        CHECK(dialog.outcome().runsUpdated == test::kSweepRuns);
        CHECK(dialog.outcome().runsConflicted == 0);
    }
    const data::Run run = *project.run(id);
    // N is the non-embedding count now, from the file (no longer derived).
    CHECK(*run.totalParams == Approx(gen.paramsNonEmbedding).epsilon(1e-9));
    CHECK_FALSE(run.isDerived(data::RunField::TotalParams));
    // "(none)": the peak LR is still the LR curve's maximum, not the summary's column.
    CHECK(*run.peakLr == lrFromCurve);
    CHECK(run.isDerived(data::RunField::PeakLr));
    // The final-loss role: final_train_loss imported as the metric "loss".
    bool found = false;
    for (const data::RunValue& v : project.finalValues("loss"))
        if (v.runId == id) {
            found = true;
            CHECK(v.value == Approx(test::sweepTrainLoss(gen, gen.lastStep)).epsilon(1e-8));
        }
    CHECK(found);

    // 3. TensorBoard: the same 32 runs.
    {
        ui::ImportDialog dialog(&doc, {f->tb});
        REQUIRE(runDialogImport(dialog));
        INFO(dialog.outcome().message.toStdString());
        REQUIRE(dialog.outcome().ok);
        CHECK(dialog.outcome().runsAdded == 0);
        CHECK(dialog.outcome().runsUpdated == test::kSweepRuns);
    }
    CHECK(project.runs().size() == std::size_t(test::kSweepRuns));

    // The views fit what was mapped: N = 0.8 x the total count leaves the exponents as they
    // were and scales A by 0.8^alpha (the fit on total N finds A = 406.8: 406.8 x 0.8^0.34 =
    // 377.1; the generator's 406.4 would give 376.3). The loss metric stays val_loss
    // (the held-out curve), so the final-loss role did not change the fit.
    ui::ViewContext ctx;
    ctx.project = &project;
    ui::PlotView view;
    QString why;
    REQUIRE(ui::buildView(QStringLiteral("loss-vs-compute"), ctx, &view, &why));
    const QString notes = view.notes(0);
    INFO(notes.toStdString());
    CHECK(notes.contains(
        QStringLiteral("fitted now to 11 runs of 'isoflop', loss metric 'val_loss'")));
    CHECK(notes.contains(QStringLiteral("L = 1.690 + 377.1/N^0.340")));
    CHECK(notes.contains(QStringLiteral("/N^0.340 + 410.5/D^0.280")));
    doc.close();
}
