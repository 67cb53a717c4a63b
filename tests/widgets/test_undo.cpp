// Undo/redo of every project edit: push, undo, redo, compare the stored state (STYLE.md G.15).
#include <widgets/document/project_document.h>
#include <widgets/document/undo_commands.h>
#include <widgets/runs/runs_model.h>
#include <QFont>
#include <QSignalSpy>
#include <QUndoStack>

#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;
using testing::runIdByName;

namespace {

struct Fixture {
    QTemporaryDir dir;
    ui::ProjectDocument doc;
    Fixture() {
        REQUIRE(dir.isValid());
        std::string error;
        const std::string path = testing::makeTwoSweepsProject(dir, &error);
        INFO(error);
        REQUIRE(!path.empty());
        QString message;
        REQUIRE(doc.open(QString::fromStdString(path), &message));
    }
    data::Project& project() { return *doc.project(); }
    qint64 id(const char* name) { return runIdByName(project(), name); }
    bool excluded(const char* name) { return project().run(id(name))->excluded; }
};

}  // namespace

TEST_CASE("exclude runs: undo includes them again, redo excludes", "[undo]") {
    Fixture f;
    QSignalSpy runsChanged(&f.doc, &ui::ProjectDocument::runsChanged);
    QSignalSpy dataChanged(&f.doc, &ui::ProjectDocument::dataChanged);
    const std::string before = f.project().dataFingerprint();

    f.doc.setRunsExcluded({f.id("a1"), f.id("a2")}, true);
    QUndoStack* stack = f.doc.undoStack();
    REQUIRE(stack->count() == 1);
    CHECK(stack->text(0) == QStringLiteral("Exclude 2 runs"));
    CHECK(f.excluded("a1"));
    CHECK(f.excluded("a2"));
    CHECK_FALSE(f.excluded("a3"));
    CHECK(runsChanged.count() == 1);
    CHECK(dataChanged.count() == 1);
    CHECK(f.project().dataFingerprint() != before);

    stack->undo();
    CHECK_FALSE(f.excluded("a1"));
    CHECK_FALSE(f.excluded("a2"));
    // Undo restores the data exactly, so fits made before the edit are current again.
    CHECK(f.project().dataFingerprint() == before);
    CHECK(runsChanged.count() == 2);

    stack->redo();
    CHECK(f.excluded("a1"));
    CHECK(f.excluded("a2"));

    // Excluding an already excluded run is not an edit: no new undo step.
    f.doc.setRunsExcluded({f.id("a1")}, true);
    CHECK(stack->count() == 1);
    // A single run is named in the text.
    f.doc.setRunsExcluded({f.id("b1")}, true);
    CHECK(stack->text(1) == QStringLiteral("Exclude run 'b1'"));
    f.doc.setRunsExcluded({f.id("b1")}, false);
    CHECK(stack->text(2) == QStringLiteral("Include run 'b1'"));
}

TEST_CASE("rename run: undo restores the name, consecutive renames merge", "[undo]") {
    Fixture f;
    const qint64 a1 = f.id("a1");
    f.doc.renameRun(a1, QStringLiteral("small"));
    QUndoStack* stack = f.doc.undoStack();
    REQUIRE(stack->count() == 1);
    CHECK(stack->text(0) == QStringLiteral("Rename run 'a1' to 'small'"));
    CHECK(f.project().run(a1)->name == "small");

    stack->undo();
    CHECK(f.project().run(a1)->name == "a1");
    stack->redo();
    CHECK(f.project().run(a1)->name == "small");

    // A second rename of the same run merges: one undo goes back to the original name.
    f.doc.renameRun(a1, QStringLiteral("tiny"));
    REQUIRE(stack->count() == 1);
    CHECK(stack->text(0) == QStringLiteral("Rename run 'a1' to 'tiny'"));
    CHECK(f.project().run(a1)->name == "tiny");
    stack->undo();
    CHECK(f.project().run(a1)->name == "a1");
    stack->redo();
    CHECK(f.project().run(a1)->name == "tiny");

    // Same name or an empty name is no edit.
    f.doc.renameRun(a1, QStringLiteral("tiny"));
    f.doc.renameRun(a1, QStringLiteral("   "));
    CHECK(stack->count() == 1);
}

TEST_CASE("a refused rename changes nothing and leaves no undo step", "[undo]") {
    Fixture f;
    QSignalSpy errors(&f.doc, &ui::ProjectDocument::errorOccurred);
    // a2 exists in the same sweep: the store refuses a duplicate name.
    f.doc.renameRun(f.id("a1"), QStringLiteral("a2"));
    CHECK(errors.count() == 1);
    CHECK_FALSE(errors.front().front().toString().isEmpty());
    CHECK(f.doc.undoStack()->count() == 0);
    CHECK(f.id("a1") != 0);
    CHECK(f.project().run(f.id("a1"))->name == "a1");
}

TEST_CASE("delete runs: undo restores the runs with their metrics and ids", "[undo]") {
    Fixture f;
    const qint64 a2 = f.id("a2");
    const qint64 b1 = f.id("b1");
    const data::Run a2Before = *f.project().run(a2);
    const data::MetricSeries curveBefore = f.project().metrics(a2, "loss");
    REQUIRE(curveBefore.size() == 4);
    const std::string fingerprint = f.project().dataFingerprint();
    QSignalSpy metricsChanged(&f.doc, &ui::ProjectDocument::metricsChanged);
    f.doc.setSelectedRuns({a2, f.id("a1")});

    f.doc.deleteRuns({a2, b1});
    QUndoStack* stack = f.doc.undoStack();
    REQUIRE(stack->count() == 1);
    CHECK(stack->text(0) == QStringLiteral("Delete 2 runs"));
    CHECK_FALSE(f.project().run(a2).has_value());
    CHECK_FALSE(f.project().run(b1).has_value());
    CHECK(f.project().runs().size() == 2);
    CHECK(f.project().metrics(a2, "loss").size() == 0);
    CHECK(metricsChanged.count() == 1);
    // Deleted runs leave the selection.
    CHECK(f.doc.selectedRuns() == QList<qint64>{f.id("a1")});

    stack->undo();
    REQUIRE(f.project().run(a2).has_value());
    const data::Run a2After = *f.project().run(a2);
    CHECK(a2After.name == a2Before.name);
    CHECK(a2After.group == a2Before.group);
    CHECK(a2After.totalParams == a2Before.totalParams);
    CHECK(a2After.tokens == a2Before.tokens);
    const data::MetricSeries curveAfter = f.project().metrics(a2, "loss");
    CHECK(curveAfter.value == curveBefore.value);
    CHECK(curveAfter.step == curveBefore.step);
    CHECK(f.project().runs().size() == 4);
    CHECK(f.project().dataFingerprint() == fingerprint);

    stack->redo();
    CHECK_FALSE(f.project().run(a2).has_value());
    stack->undo();
    CHECK(f.project().metrics(b1, "loss").size() == 4);
}

TEST_CASE("edit a run field and move runs to a group, undoably", "[undo]") {
    Fixture f;
    const qint64 a1 = f.id("a1");
    QString error;
    REQUIRE(f.doc.setRunField(a1, QStringLiteral("tokens"), 5e9, &error));
    QUndoStack* stack = f.doc.undoStack();
    CHECK(stack->text(0) == QStringLiteral("Set Tokens (D) of run 'a1'"));
    CHECK(*f.project().run(a1)->tokens == 5e9);
    // Typing a second value into the same cell merges into the same step.
    REQUIRE(f.doc.setRunField(a1, QStringLiteral("tokens"), 6e9, &error));
    CHECK(stack->count() == 1);
    stack->undo();
    CHECK(*f.project().run(a1)->tokens == 2e9);
    stack->redo();
    CHECK(*f.project().run(a1)->tokens == 6e9);

    // Clearing a value (invalid QVariant) and bad input.
    REQUIRE(f.doc.setRunField(a1, QStringLiteral("flops"), QVariant(), &error));
    CHECK_FALSE(f.project().run(a1)->flops.has_value());
    stack->undo();
    CHECK(stack->count() == 2);
    CHECK_FALSE(f.doc.setRunField(a1, QStringLiteral("colour"), 1.0, &error));
    CHECK(error == QStringLiteral("Unknown run field 'colour'."));
    CHECK_FALSE(f.doc.setRunField(a1, QStringLiteral("tokens"), QStringLiteral("abc"), &error));
    CHECK(error == QStringLiteral("'abc' is not a finite number."));

    f.doc.setRunsGroup({a1, f.id("b1")}, QStringLiteral("pilot"));
    CHECK(stack->text(stack->count() - 1) == QStringLiteral("Move 2 runs to group 'pilot'"));
    CHECK(f.project().run(a1)->group == "pilot");
    stack->undo();
    CHECK(f.project().run(a1)->group == "sweep-a");
    CHECK(f.project().run(f.id("b1"))->group == "sweep-b");
}

TEST_CASE("opening another project clears the undo history", "[undo]") {
    Fixture f;
    f.doc.setRunsExcluded({f.id("a1")}, true);
    REQUIRE(f.doc.undoStack()->count() == 1);
    std::string error;
    const std::string other = testing::makeTwoSweepsProject(f.dir, &error, "other.scalelens");
    REQUIRE(!other.empty());
    QSignalSpy replaced(&f.doc, &ui::ProjectDocument::projectReplaced);
    REQUIRE(f.doc.open(QString::fromStdString(other)));
    CHECK(replaced.count() == 1);
    CHECK(f.doc.undoStack()->count() == 0);
    QString message;
    CHECK_FALSE(f.doc.open(f.dir.filePath(QStringLiteral("missing.scalelens")), &message));
    CHECK(message.endsWith(QStringLiteral("missing.scalelens does not exist.")));
    CHECK(f.doc.path() == QString::fromStdString(other));
}

TEST_CASE("edit N, D and the final loss in the runs tree, undoably, an edit clears derived",
          "[undo][runs]") {
    Fixture f;
    const qint64 a1 = f.id("a1");
    // Make D derived first (as an import that computed D = C / 6N would).
    {
        auto run = *f.project().run(a1);
        run.setDerived(data::RunField::Tokens, true);
        std::string e;
        REQUIRE(f.project().updateRun(run, &e));
        f.doc.notifyImported();
    }
    ui::RunsTreeModel model(&f.doc);
    QModelIndex row = model.indexOfRun(a1);
    const QModelIndex d = row.siblingAtColumn(ui::RunsTreeModel::TokensColumn);
    CHECK(d.data(Qt::FontRole).value<QFont>().italic());
    CHECK(d.data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("Derived")));
    CHECK(model.flags(d) & Qt::ItemIsEditable);
    CHECK(d.data(Qt::EditRole).toString() == QStringLiteral("2000000000"));

    QUndoStack* stack = f.doc.undoStack();
    REQUIRE(model.setData(d, QStringLiteral("3e9"), Qt::EditRole));
    CHECK(*f.project().run(a1)->tokens == 3e9);
    CHECK_FALSE(f.project().run(a1)->isDerived(data::RunField::Tokens));
    row = model.indexOfRun(a1);
    CHECK_FALSE(row.siblingAtColumn(ui::RunsTreeModel::TokensColumn)
                    .data(Qt::FontRole)
                    .value<QFont>()
                    .italic());
    REQUIRE(model.setData(model.indexOfRun(a1).siblingAtColumn(ui::RunsTreeModel::ParamsColumn),
                          QStringLiteral("2e8"), Qt::EditRole));
    CHECK(*f.project().run(a1)->totalParams == 2e8);

    // Final loss: the curve ends at 3.0; the typed 2.95 becomes the run's final value.
    auto finalLoss = [&] {
        for (const auto& v : f.project().finalValues("loss"))
            if (v.runId == a1)
                return v.value;
        return -1.0;
    };
    CHECK(finalLoss() == 3.0);
    REQUIRE(model.setData(model.indexOfRun(a1).siblingAtColumn(ui::RunsTreeModel::LossColumn),
                          QStringLiteral("2.95"), Qt::EditRole));
    CHECK(stack->text(stack->count() - 1) == QStringLiteral("Set final loss of run 'a1'"));
    CHECK(finalLoss() == 2.95);
    CHECK(f.project().metrics(a1, "loss").size() == 5);  // the curve keeps its 4 points
    stack->undo();
    CHECK(finalLoss() == 3.0);
    CHECK_FALSE(f.project().summaryValue(a1, "loss").has_value());
    stack->redo();
    CHECK(finalLoss() == 2.95);
    // Bad input changes nothing.
    const int steps = stack->count();
    CHECK_FALSE(model.setData(model.indexOfRun(a1).siblingAtColumn(ui::RunsTreeModel::LossColumn),
                              QStringLiteral("low"), Qt::EditRole));
    CHECK(stack->count() == steps);
    QString error;
    CHECK_FALSE(f.doc.setRunFinalValue(a1, QStringLiteral("loss"), QStringLiteral("nan"), &error));
    CHECK(error == QStringLiteral("'nan' is not a finite number."));

    // Undo everything: D back to 2e9 and derived again, N back to 1e8.
    while (stack->canUndo())
        stack->undo();
    CHECK(*f.project().run(a1)->tokens == 2e9);
    CHECK(f.project().run(a1)->isDerived(data::RunField::Tokens));
    CHECK(*f.project().run(a1)->totalParams == 1e8);
}

TEST_CASE("the selected-runs table edits final metric values undoably", "[undo][runs]") {
    Fixture f;
    const qint64 b1 = f.id("b1");
    ui::RunsTableModel model(&f.doc);
    model.setRunIds({b1});
    int lossColumn = -1;
    for (int c = 0; c < model.columnCount(); ++c)
        if (model.headerData(c, Qt::Horizontal).toString() == QStringLiteral("final loss"))
            lossColumn = c;
    REQUIRE(lossColumn >= 0);
    const QModelIndex cell = model.index(0, lossColumn);
    CHECK(model.flags(cell) & Qt::ItemIsEditable);
    REQUIRE(model.setData(cell, QStringLiteral("1.9"), Qt::EditRole));
    CHECK(*f.project().summaryValue(b1, "loss") == 1.9);
    CHECK(model.index(0, lossColumn).data(Qt::EditRole).toDouble() == 1.9);
    f.doc.undoStack()->undo();
    CHECK(model.index(0, lossColumn).data(Qt::EditRole).toDouble() == 2.0);
}
