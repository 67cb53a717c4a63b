// Import dialog: detection shown, column mapping, background import, inline errors.
#include <datasets/import_keys.h>
#include <widgets/document/project_document.h>
#include <widgets/import/import_dialog.h>
#include <widgets/import/import_mapping.h>
#include <widgets/import/import_paths.h>
#include <widgets/import/import_worker.h>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QSettings>

#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {

QString fixture(const char* name) {
    return QDir(QStringLiteral(SCALELENS_TEST_DATA_DIR)).filePath(QString::fromLatin1(name));
}

struct Fixture {
    QTemporaryDir dir;
    ui::ProjectDocument doc;
    Fixture() {
        REQUIRE(dir.isValid());
        QString error;
        REQUIRE(doc.create(dir.filePath(QStringLiteral("import.scalelens")), &error));
        // Each test starts without remembered mappings.
        QSettings().remove(QStringLiteral("import"));
    }
};

bool runDialogImport(ui::ImportDialog& dialog) {
    bool finished = false;
    QObject::connect(&dialog, &ui::ImportDialog::importFinished, [&] { finished = true; });
    dialog.startImport();
    return testing::waitFor([&] { return finished; });
}

}  // namespace

TEST_CASE("import dialog: detected separators, user mapping, runs imported", "[import]") {
    Fixture f;
    ui::ImportDialog dialog(&f.doc, {fixture("import_custom_columns.csv")});
    const data::ImportPreview& preview = dialog.preview();
    INFO(preview.error);
    REQUIRE(preview.ok);
    CHECK(preview.delimiter == ';');
    CHECK(preview.decimal == ',');
    CHECK(preview.columns.size() == 4);
    CHECK(preview.rows.size() == 3);

    // Force the summary format and map the unusual column names by hand.
    dialog.setFormat(data::ImportFormat::Summary);
    REQUIRE(dialog.setMapping(QStringLiteral("run"), QStringLiteral("ckpt")));
    REQUIRE(dialog.setMapping(QStringLiteral("N"), QStringLiteral("size_params")));
    REQUIRE(dialog.setMapping(QStringLiteral("tokens"), QStringLiteral("train_tok")));
    CHECK_FALSE(dialog.setMapping(QStringLiteral("N"), QStringLiteral("no such column")));
    CHECK_FALSE(dialog.setMapping(QStringLiteral("colour"), QStringLiteral("train_tok")));
    dialog.setGroup(QStringLiteral("custom"));
    const data::ImportConfig config = dialog.config();
    CHECK(config.format == data::ImportFormat::Summary);
    CHECK(config.columnMap.at("run") == "ckpt");
    CHECK(config.columnMap.at("N") == "size_params");
    CHECK(config.columnMap.at("tokens") == "train_tok");
    CHECK(config.group == "custom");

    REQUIRE(runDialogImport(dialog));
    INFO(dialog.outcome().message.toStdString());
    REQUIRE(dialog.outcome().ok);
    CHECK(dialog.outcome().runsAdded == 3);

    const auto runs = f.doc.project()->runs();
    REQUIRE(runs.size() == 3);
    const qint64 medium = testing::runIdByName(*f.doc.project(), "m-medium");
    REQUIRE(medium != 0);
    const auto run = *f.doc.project()->run(medium);
    CHECK(run.group == "custom");
    CHECK(*run.totalParams == Approx(4.0e8));
    CHECK(*run.tokens == Approx(8.0e9));
    // The unmapped numeric column became a summary metric, decimal comma read correctly.
    bool found = false;
    for (const auto& v : f.doc.project()->finalValues("eval_loss")) {
        if (v.runId == medium) {
            found = true;
            CHECK(v.value == Approx(2.71).epsilon(1e-12));
        }
    }
    CHECK(found);

    // The mapping is remembered for this format: a new dialog pre-selects it.
    ui::ImportDialog again(&f.doc, {fixture("import_custom_columns.csv")});
    again.setFormat(data::ImportFormat::Summary);
    CHECK(again.mapping(QStringLiteral("N")) == QStringLiteral("size_params"));
    CHECK(again.mapping(QStringLiteral("run")) == QStringLiteral("ckpt"));
}

// (No ';' in a test name: ctest cuts the name there, and the filter then matches no test.)
TEST_CASE("import dialog: a bad cell is reported with file, line, column, nothing written",
          "[import]") {
    Fixture f;
    ui::ImportDialog dialog(&f.doc, {fixture("import_bad_number.csv")});
    REQUIRE(dialog.preview().ok);
    // Column D holds text ('abc'): never guessed as tokens, so the user maps it by hand.
    CHECK(dialog.mapping(QStringLiteral("tokens")).isEmpty());
    REQUIRE(dialog.setMapping(QStringLiteral("tokens"), QStringLiteral("D")));
    REQUIRE(runDialogImport(dialog));
    CHECK_FALSE(dialog.outcome().ok);
    INFO(dialog.outcome().message.toStdString());
    const QString error = dialog.errorText();
    INFO(error.toStdString());
    CHECK(error.contains(QStringLiteral("import_bad_number.csv:3:3:")));
    CHECK(error.contains(QStringLiteral("abc")));
    CHECK(f.doc.project()->runs().empty());
    CHECK(f.doc.project()->imports().empty());
    CHECK(dialog.isVisible() == false);  // never shown in this test; still not accepted
    CHECK(dialog.result() != QDialog::Accepted);
}

TEST_CASE("expandImportPaths: folders become their data files, sorted", "[import]") {
    const QStringList paths = ui::expandImportPaths(
        {fixture("import_folder"), fixture("import_bad_number.csv"), fixture("missing.csv")});
    REQUIRE(paths.size() == 3);
    CHECK(paths[0].endsWith(QStringLiteral("import_folder/nested/two.csv")));
    CHECK(paths[1].endsWith(QStringLiteral("import_folder/one.csv")));
    CHECK(paths[2].endsWith(QStringLiteral("import_bad_number.csv")));
}

TEST_CASE("import dialog: several files in one go, cancel before start writes nothing",
          "[import]") {
    Fixture f;
    ui::ImportDialog dialog(&f.doc, {fixture("import_folder")});
    REQUIRE(dialog.paths().size() == 2);
    REQUIRE(runDialogImport(dialog));
    INFO(dialog.outcome().message.toStdString());
    REQUIRE(dialog.outcome().ok);
    CHECK(f.doc.project()->runs().size() == 2);
    CHECK(dialog.outcome().metricRows == 4);

    // The same files again: detected as already imported, nothing duplicated.
    ui::ImportDialog again(&f.doc, {fixture("import_folder")});
    REQUIRE(runDialogImport(again));
    CHECK(again.outcome().ok);
    CHECK(again.outcome().duplicates.size() == 2);
    CHECK(f.doc.project()->runs().size() == 2);

    // runImport with a callback that cancels at once: nothing from the file is written.
    Fixture g;
    const ui::ImportOutcome cancelled = ui::runImport(
        g.doc.path(), {fixture("import_folder/one.csv")}, {}, [](double) { return false; });
    CHECK_FALSE(cancelled.ok);
    CHECK(cancelled.cancelled);
    CHECK(g.doc.project()->runs().empty());
}

TEST_CASE("import dialog: '(none)' unmaps a role, final-loss role, on-conflict choice, notes",
          "[import]") {
    Fixture f;
    const QString summary = f.dir.filePath(QStringLiteral("summary.csv"));
    {
        QFile file(summary);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write(
            "name,size,params_total,params_non_embedding,peak_lr,final_val_loss\n"
            "a,s1,2e6,1.2e6,0.001,3.5\nb,s2,5e6,3.6e6,0.0009,3.25\n");
    }
    ui::ImportDialog first(&f.doc, {summary});
    REQUIRE(first.preview().ok);
    // `size` holds text: never offered as N; params_total is, and the dialog says which.
    CHECK(first.mapping(QStringLiteral("N")) == QStringLiteral("params_total"));
    CHECK(first.preview().notes.size() == 2);
    REQUIRE(first.setMapping(QStringLiteral("loss"), QStringLiteral("final_val_loss")));
    CHECK(first.config().columnMap.at("loss") == "final_val_loss");
    // "(none)" for the peak LR: the column is not read as the run's peak LR.
    auto* lr = first.findChild<QComboBox*>(QStringLiteral("map_lr"));
    REQUIRE(lr != nullptr);
    REQUIRE(lr->findText(QStringLiteral("(none)")) == 1);
    lr->setCurrentIndex(1);
    CHECK(first.config().columnMap.at("lr").empty());
    REQUIRE(runDialogImport(first));
    REQUIRE(first.outcome().ok);
    const auto a = *f.doc.project()->run(testing::runIdByName(*f.doc.project(), "a"));
    CHECK_FALSE(a.peakLr);
    CHECK(*a.totalParams == 2e6);
    CHECK(f.doc.project()->finalValues("loss").size() == 2);

    // The same runs again with another N: conflicts, and the choice decides.
    const QString fix = f.dir.filePath(QStringLiteral("fix.csv"));
    {
        QFile file(fix);
        REQUIRE(file.open(QIODevice::WriteOnly));
        file.write("name,params_total\na,3e6\n");
    }
    ui::ImportDialog second(&f.doc, {fix});
    auto* onConflict = second.findChild<QComboBox*>(QStringLiteral("onConflictCombo"));
    REQUIRE(onConflict != nullptr);
    CHECK(second.config().onConflict == data::OnConflict::Keep);
    onConflict->setCurrentIndex(1);
    CHECK(second.config().onConflict == data::OnConflict::Replace);
    REQUIRE(runDialogImport(second));
    INFO(second.outcome().message.toStdString());
    CHECK(second.outcome().runsConflicted == 1);
    CHECK(second.outcome().message.contains(QStringLiteral("1 conflicted")));
    CHECK(second.outcome()
              .warnings.join(QLatin1Char('\n'))
              .contains(QStringLiteral(
                  "run 'a': total_params is 2e+06 in the project, 3e+06 in this file")));
    CHECK(*f.doc.project()->run(a.id)->totalParams == 3e6);
}

TEST_CASE(
    "import dialog: every importer mapping key is offered, batch_sequences and "
    "sparsity_schedule included",
    "[import]") {
    Fixture f;
    ui::ImportDialog dialog(&f.doc, {fixture("import_batch_sparsity.csv")});
    REQUIRE(dialog.preview().ok);
    dialog.setFormat(data::ImportFormat::Summary);
    // The dialog's keys are the importer's, in its order: no private list to fall behind
    // (then "loss": the final-loss column, imported as metric "loss").
    const QStringList& keys = ui::importMappingKeys();
    REQUIRE(std::size_t(keys.size()) == data::importMappingKeys().size() + 1);
    CHECK(keys.back() == QStringLiteral("loss"));
    for (std::size_t i = 0; i < data::importMappingKeys().size(); ++i) {
        INFO(data::importMappingKeys()[i]);
        CHECK(keys[qsizetype(i)].toStdString() == data::importMappingKeys()[i]);
        CHECK(dialog.setMapping(keys[qsizetype(i)], QString()));  // a drop-down for every key
    }
    CHECK(keys.contains(QStringLiteral("batch_sequences")));
    CHECK(keys.contains(QStringLiteral("sparsity_schedule")));
    CHECK(ui::importMappingTitle(QStringLiteral("batch_sequences")) !=
          QStringLiteral("batch_sequences"));

    // Columns whose names are no alias, mapped by hand, reach the runs.
    REQUIRE(dialog.setMapping(QStringLiteral("batch_sequences"), QStringLiteral("seqs_per_batch")));
    REQUIRE(dialog.setMapping(QStringLiteral("sparsity_schedule"), QStringLiteral("prune_plan")));
    const data::ImportConfig config = dialog.config();
    CHECK(config.columnMap.at("batch_sequences") == "seqs_per_batch");
    CHECK(config.columnMap.at("sparsity_schedule") == "prune_plan");
    REQUIRE(runDialogImport(dialog));
    INFO(dialog.outcome().message.toStdString());
    REQUIRE(dialog.outcome().ok);
    const qint64 pruned = testing::runIdByName(*f.doc.project(), "d-pruned");
    REQUIRE(pruned != 0);
    const data::Run run = *f.doc.project()->run(pruned);
    CHECK(run.sparsitySchedule == "geometric-0.5");
    REQUIRE(run.batchTokens);
    CHECK(*run.batchTokens == Approx(512.0 * 2048.0));  // sequences x sequence length
}
