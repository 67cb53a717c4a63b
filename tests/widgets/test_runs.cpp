// Runs panel, runs models and the selected-runs table.
#include <datasets/examples.h>
#include <widgets/document/project_document.h>
#include <widgets/runs/run_name_delegate.h>
#include <widgets/runs/runs_model.h>
#include <widgets/runs/runs_panel.h>
#include <widgets/runs/runs_table.h>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTreeView>
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
        const std::string path = testing::makeTwoSweepsProject(dir, &error, "runs.scalelens");
        INFO(error);
        REQUIRE(!path.empty());
        REQUIRE(doc.open(QString::fromStdString(path)));
    }
    qint64 id(const char* name) { return runIdByName(*doc.project(), name); }
};

}  // namespace

TEST_CASE("formatRunNumber: counts with SI suffixes, other values compact", "[runs]") {
    CHECK(ui::formatRunNumber(1.824e9, true) == QStringLiteral("1.82 B"));
    CHECK(ui::formatRunNumber(9.136e10, true) == QStringLiteral("91.4 B"));
    CHECK(ui::formatRunNumber(1.4e12, true) == QStringLiteral("1.40 T"));
    CHECK(ui::formatRunNumber(44e6, true) == QStringLiteral("44.0 M"));
    CHECK(ui::formatRunNumber(2048, true) == QStringLiteral("2.05 K"));
    CHECK(ui::formatRunNumber(512, true) == QStringLiteral("512"));
    CHECK(ui::formatRunNumber(3e21, false) == QStringLiteral("3.00e21"));
    CHECK(ui::formatRunNumber(9.1656e-4, false) == QStringLiteral("9.17e-4"));
    CHECK(ui::formatRunNumber(2.4567, false) == QStringLiteral("2.457"));
    CHECK(ui::formatRunNumber(std::nan(""), false).isEmpty());
}

TEST_CASE("runs tree: grouped by sweep, check boxes exclude through the undo stack", "[runs]") {
    Fixture f;
    ui::RunsTreeModel model(&f.doc);
    REQUIRE(model.rowCount() == 2);
    const QModelIndex sweepA = model.index(0, 0);
    const QModelIndex sweepB = model.index(1, 0);
    CHECK(sweepA.data().toString() == QStringLiteral("sweep-a · 3 runs"));
    CHECK(sweepB.data().toString() == QStringLiteral("sweep-b · 1 run"));
    CHECK(sweepA.data(ui::RunGroupRole).toString() == QStringLiteral("sweep-a"));
    CHECK(model.rowCount(sweepA) == 3);
    CHECK(model.rowCount(sweepB) == 1);
    CHECK(model.runCount() == 4);
    const QModelIndex a2 = model.indexOfRun(f.id("a2"));
    REQUIRE(a2.isValid());
    CHECK(a2.data().toString() == QStringLiteral("a2"));
    CHECK(a2.parent() == sweepA);
    CHECK(a2.siblingAtColumn(ui::RunsTreeModel::ParamsColumn).data().toString() ==
          QStringLiteral("400 M"));
    // Final loss: the value at the last step (400).
    CHECK(a2.siblingAtColumn(ui::RunsTreeModel::LossColumn).data(ui::SortRole).toDouble() ==
          Approx(2.7).epsilon(1e-12));
    CHECK(sweepA.data(Qt::CheckStateRole).toInt() == Qt::Checked);

    // Unchecking a run excludes it (one undo step) and the model follows the document.
    REQUIRE(model.setData(a2, Qt::Unchecked, Qt::CheckStateRole));
    CHECK(f.doc.project()->run(f.id("a2"))->excluded);
    CHECK(model.indexOfRun(f.id("a2")).data(Qt::CheckStateRole).toInt() == Qt::Unchecked);
    CHECK(model.index(0, 0).data(Qt::CheckStateRole).toInt() == Qt::PartiallyChecked);

    // Unchecking the sweep excludes the rest of it in one step.
    REQUIRE(model.setData(model.index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
    QUndoStack* stack = f.doc.undoStack();
    REQUIRE(stack->count() == 2);
    CHECK(stack->text(1) == QStringLiteral("Exclude 2 runs"));
    CHECK(model.index(0, 0).data(Qt::CheckStateRole).toInt() == Qt::Unchecked);
    stack->undo();
    stack->undo();
    CHECK(model.index(0, 0).data(Qt::CheckStateRole).toInt() == Qt::Checked);

    // Editing the name renames through the stack.
    REQUIRE(model.setData(model.indexOfRun(f.id("b1")), QStringLiteral("big"), Qt::EditRole));
    CHECK(f.doc.project()->run(f.id("big"))->group == "sweep-b");
    CHECK(stack->text(stack->index() - 1) == QStringLiteral("Rename run 'b1' to 'big'"));
}

TEST_CASE("runs panel: filter, selection shared with the document, delete", "[runs]") {
    Fixture f;
    ui::RunsPanel panel(&f.doc);
    CHECK(panel.visibleRunCount() == 4);
    panel.filterEdit()->setText(QStringLiteral("a"));
    CHECK(panel.visibleRunCount() == 3);
    panel.filterEdit()->setText(QStringLiteral("B1"));  // case-insensitive
    CHECK(panel.visibleRunCount() == 1);
    panel.filterEdit()->setText(QStringLiteral("sweep-a"));  // group names match their runs
    CHECK(panel.visibleRunCount() == 3);
    panel.filterEdit()->clear();
    CHECK(panel.visibleRunCount() == 4);

    // A selection made elsewhere (e.g. a plot click) shows in the tree...
    f.doc.setSelectedRuns({f.id("a3")});
    const QModelIndexList rows = panel.treeView()->selectionModel()->selectedRows(0);
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().data().toString() == QStringLiteral("a3"));
    // ...and selecting in the tree updates the document.
    auto* proxy = panel.treeView()->model();
    const QModelIndex sweepB = proxy->index(1, 0);
    const QModelIndex b1 = proxy->index(0, 0, sweepB);
    panel.treeView()->selectionModel()->select(
        b1, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    CHECK(f.doc.selectedRuns() == QList<qint64>{f.id("b1")});

    panel.deleteSelected();
    CHECK(f.doc.project()->runs().size() == 3);
    CHECK(panel.visibleRunCount() == 3);
    f.doc.undoStack()->undo();
    CHECK(panel.visibleRunCount() == 4);
}

TEST_CASE("selected-runs table: follows the selection, edits fields, copies TSV", "[runs]") {
    Fixture f;
    ui::RunsTable table(&f.doc);
    ui::RunsTableModel* model = table.model();
    CHECK(model->rowCount() == 4);  // nothing selected: every run
    f.doc.setSelectedRuns({f.id("a1"), f.id("b1")});
    REQUIRE(model->rowCount() == 2);
    CHECK(model->index(0, 0).data().toString() == QStringLiteral("a1"));

    // Column titles: Run, Group, Included, then the fields the runs have, then final metrics.
    QStringList titles;
    for (int c = 0; c < model->columnCount(); ++c) {
        titles << model->headerData(c, Qt::Horizontal).toString();
    }
    const int tokensColumn = int(titles.indexOf(QStringLiteral("Tokens (D) [tokens]")));
    REQUIRE(tokensColumn > 0);
    CHECK(titles.contains(QStringLiteral("final loss")));

    // Whole table as TSV: numbers at full precision, C locale.
    const QString tsv = table.selectionAsTsv();
    const QStringList lines = tsv.trimmed().split(QLatin1Char('\n'));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].split(QLatin1Char('\t')) == titles);
    const QStringList b1 = lines[2].split(QLatin1Char('\t'));
    CHECK(b1[0] == QStringLiteral("b1"));
    CHECK(b1[1] == QStringLiteral("sweep-b"));
    CHECK(b1[tokensColumn] == QStringLiteral("1400000000000"));
    CHECK(b1.last() == QStringLiteral("2"));

    // Editing a cell sets the field through the undo stack (scientific notation accepted).
    REQUIRE(model->setData(model->index(0, tokensColumn), QStringLiteral("3e9"), Qt::EditRole));
    CHECK(*f.doc.project()->run(f.id("a1"))->tokens == 3e9);
    CHECK(model->index(0, tokensColumn).data().toString() == QStringLiteral("3.00 B"));
    f.doc.undoStack()->undo();
    CHECK(model->index(0, tokensColumn).data().toString() == QStringLiteral("2.00 B"));
    CHECK_FALSE(
        model->setData(model->index(0, tokensColumn), QStringLiteral("lots"), Qt::EditRole));

    // Ctrl+C puts the same text on the clipboard.
    table.copy();
    CHECK(QApplication::clipboard()->text() == table.selectionAsTsv());
}

TEST_CASE("runs panel: at the default dock width run names get the room, numbers what fits",
          "[runs][layout]") {
    // Issue 12: in a 270 px dock every sweep run read "is…": the number columns (and the
    // group's "74 run(s)" in the N column) took the width.
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("example.scalelens"));
    std::string error;
    REQUIRE(data::createExampleProject(path.toStdString(), &error));
    ui::ProjectDocument doc;
    REQUIRE(doc.open(path));
    ui::RunsPanel panel(&doc);
    QTreeView* tree = panel.treeView();
    CHECK(tree->textElideMode() == Qt::ElideRight);
    for (const int width : {270, 420, 700}) {
        INFO("panel width " << width);
        panel.resize(width, 600);
        panel.show();
        for (int i = 0; i < 5; ++i)
            QApplication::processEvents();
        const int viewport = tree->viewport()->width();
        const int name = tree->columnWidth(ui::RunsTreeModel::NameColumn);
        // The name column takes at least half of the width (less only when names are short).
        CHECK(name >= viewport / 2);
        // Shown number columns are never narrower than their content (no "1.4…").
        int shown = 0;
        for (int c = 1; c < ui::RunsTreeModel::ColumnCount; ++c) {
            if (tree->isColumnHidden(c))
                continue;
            ++shown;
            CHECK(tree->columnWidth(c) >=
                  static_cast<QAbstractItemView*>(tree)->sizeHintForColumn(c));
        }
        CHECK(shown >= 1);  // the final loss at least
        if (width >= 700)
            CHECK(shown == 3);  // a wide dock shows N, D and the loss
        // Columns fill the width without a horizontal scroll bar.
        int total = 0;
        for (int c = 0; c < ui::RunsTreeModel::ColumnCount; ++c)
            total += tree->isColumnHidden(c) ? 0 : tree->columnWidth(c);
        CHECK(total <= viewport + 1);
    }
    // The full name (and every value) in the tooltip of an elided name.
    const QModelIndex group = tree->model()->index(0, 0);
    const QModelIndex run = tree->model()->index(0, 0, group);
    const QString runName = run.data(Qt::DisplayRole).toString();
    const QString tip = run.data(Qt::ToolTipRole).toString();
    CHECK(tip.startsWith(runName));
    CHECK(tip.contains(QStringLiteral("N ")));
    // The group's run count sits beside its name, over the whole row.
    CHECK(group.data(Qt::DisplayRole).toString().contains(QStringLiteral("run")));
    CHECK(tree->isFirstColumnSpanned(0, QModelIndex()));
}

TEST_CASE("sharedNamePrefix: the common start of sibling names, cut at a separator", "[runs]") {
    using ui::sharedNamePrefix;
    CHECK(sharedNamePrefix({QStringLiteral("isoflop-1e+19-1.47B"),
                            QStringLiteral("isoflop-1e+19-147M"),
                            QStringLiteral("isoflop-3e+20-853M")}) == QStringLiteral("isoflop-"));
    CHECK(sharedNamePrefix({QStringLiteral("A-s3-C1e18-bs128"), QStringLiteral("A-s3-C1e18-bs64"),
                            QStringLiteral("A-s3-C3e18-bs128")}) == QStringLiteral("A-s3-"));
    // Never inside a token: "run1" and "run12" share "run1", but no separator.
    CHECK(sharedNamePrefix({QStringLiteral("run1"), QStringLiteral("run12")}).isEmpty());
    CHECK(sharedNamePrefix({QStringLiteral("only-one")}).isEmpty());
    CHECK(sharedNamePrefix({QStringLiteral("a-b"), QStringLiteral("c-d")}).isEmpty());

    const QFontMetrics fm(QApplication::font());
    const QString name = QStringLiteral("sweep-lr3e-4-s3-C1e18-bs128");
    const QString prefix = QStringLiteral("sweep-lr3e-4-s3-");
    CHECK(ui::shortenedRunName(name, prefix, fm, 10000) == name);  // fits: untouched
    CHECK(ui::shortenedRunName(name, prefix, fm, 40) == QStringLiteral("…C1e18-bs128"));
    CHECK(ui::shortenedRunName(name, QStringLiteral("a-"), fm, 40) == name);  // too short
    CHECK(ui::shortenedRunName(name, QStringLiteral("other-"), fm, 40) == name);
}

TEST_CASE("runs panel: in a narrow dock a sweep's run names show what tells them apart",
          "[runs][layout]") {
    // Issue 12: eliding at the end made every run of the example sweep read "isoflop-1e+1…".
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("example.scalelens"));
    std::string error;
    REQUIRE(data::createExampleProject(path.toStdString(), &error));
    ui::ProjectDocument doc;
    REQUIRE(doc.open(path));
    ui::RunsPanel panel(&doc);
    panel.resize(270, 600);
    panel.show();
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    QTreeView* tree = panel.treeView();
    auto* delegate = qobject_cast<ui::RunNameDelegate*>(
        tree->itemDelegateForColumn(ui::RunsTreeModel::NameColumn));
    REQUIRE(delegate != nullptr);
    const QModelIndex group = tree->model()->index(0, 0);
    const int rows = tree->model()->rowCount(group);
    REQUIRE(rows >= 20);
    QSet<QString> drawn, plain;
    int shortened = 0;
    for (int r = 0; r < rows; ++r) {
        const QModelIndex run = tree->model()->index(r, 0, group);
        QStyleOptionViewItem option;
        option.initFrom(tree);
        option.widget = tree;
        option.rect = tree->visualRect(run);
        option.textElideMode = tree->textElideMode();
        REQUIRE(option.rect.width() > 0);
        const QString name = run.data(Qt::DisplayRole).toString();
        const QString text = delegate->drawnText(option, run);
        drawn.insert(text);
        // What plain end elision showed in the same room.
        const int room = delegate->textRoom(option, run);
        plain.insert(option.fontMetrics.elidedText(name, Qt::ElideRight, room));
        if (text.startsWith(QStringLiteral("…"))) {
            ++shortened;
            // The distinctive end of the name is drawn in full.
            CHECK(name.endsWith(text.mid(1)));
        }
        // The full name stays in the tooltip.
        CHECK(run.data(Qt::ToolTipRole).toString().startsWith(name));
    }
    INFO(rows << " runs: " << drawn.size() << " distinct drawn names, " << plain.size()
              << " with end elision alone; " << shortened << " shortened");
    CHECK(shortened > 0);
    CHECK(drawn.size() == rows);         // every run reads differently
    CHECK(plain.size() < drawn.size());  // which end elision alone did not achieve
}
