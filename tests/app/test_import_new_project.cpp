// Importing with no project open starts a new untitled project next to the data; when nothing
// lands in it (the import failed or was cancelled) the file is removed again.
#include <datasets/project.h>
#include <widgets/document/project_document.h>
#include <widgets/import/import_dialog.h>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <fstream>

#include "main_window.h"
#include "scalelens_catch.h"
#include "test_undo_fixture.h"

using namespace scalelens;

namespace {
// Runs the dialog's import and waits for it; returns whether it succeeded.
bool importAndWait(ui::ImportDialog* dialog) {
    bool finished = false, ok = false;
    QObject::connect(dialog, &ui::ImportDialog::importFinished, [&](bool result) {
        finished = true;
        ok = result;
    });
    dialog->startImport();
    REQUIRE(testing::waitFor([&] { return finished; }));
    return ok;
}
}  // namespace

TEST_CASE("import without a project: a new untitled project, removed when the import fails",
          "[main_window][import]") {
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    // Not a TensorBoard event file despite its name: the import fails (CRC mismatch).
    const QString bad = dir.filePath(QStringLiteral("events.out.tfevents.1.host"));
    std::ofstream(bad.toStdString()) << "step,loss\n1,2.5\n";
    const QString untitled = dir.filePath(QStringLiteral("untitled.scalelens"));
    {
        app::MainWindow window;
        REQUIRE_FALSE(window.document()->isOpen());
        ui::ImportDialog* dialog = window.showImportDialog({bad});
        REQUIRE(dialog != nullptr);
        CHECK(window.document()->path() == untitled);
        CHECK(QFile::exists(untitled));
        CHECK_FALSE(importAndWait(dialog));
        CHECK(dialog->outcome().message.contains(QStringLiteral("CRC mismatch")));
        dialog->reject();
        QCoreApplication::processEvents();
        CHECK_FALSE(window.document()->isOpen());
        CHECK_FALSE(QFile::exists(untitled));
        CHECK(QDir(dir.path()).entryList({QStringLiteral("*.scalelens*")}).isEmpty());
    }
    {
        // A good file: the new project is kept with its runs.
        const QString good = dir.filePath(QStringLiteral("runs.csv"));
        std::ofstream(good.toStdString()) << "run,step,loss\na,1,3.5\na,2,3.25\n";
        app::MainWindow window;
        ui::ImportDialog* dialog = window.showImportDialog({good});
        REQUIRE(dialog != nullptr);
        CHECK(importAndWait(dialog));
        QCoreApplication::processEvents();
        CHECK(QFile::exists(untitled));
        REQUIRE(window.document()->isOpen());
        CHECK(window.document()->project()->runs().size() == 1);
        window.document()->close();
    }
}
