// The runs tree marks runs stopped mid-schedule (issue 8): the generated sweep imported with
// `scalelens-cli import`, opened in a document; the stopped run's name is italic, its tooltip
// says how far it got ("stopped at step S of T (mid-schedule; excluded from fits by default)"),
// its group row counts it; finished runs carry no mark.
#include <widgets/document/project_document.h>
#include <widgets/runs/runs_model.h>
#include <QFont>

#include "cli_runner.h"
#include "e2e_sweep.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

QModelIndex findRun(const ui::RunsTreeModel& model, const std::string& name) {
    for (int g = 0; g < model.rowCount(); ++g) {
        const QModelIndex group = model.index(g, 0);
        for (int r = 0; r < model.rowCount(group); ++r) {
            const QModelIndex run = model.index(r, ui::RunsTreeModel::NameColumn, group);
            if (run.data().toString() == QString::fromStdString(name))
                return run;
        }
    }
    return {};
}

QModelIndex findGroup(const ui::RunsTreeModel& model, const QString& name) {
    for (int g = 0; g < model.rowCount(); ++g)
        if (model.index(g, 0).data(ui::RunGroupRole).toString() == name)
            return model.index(g, 0);
    return {};
}

void importSweep(const test::SweepFiles& f) {
    const test::CliRun r = test::runCli({QStringLiteral("import"), QStringLiteral("--project"),
                                         f.project, f.steps, f.summary, f.tb});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
}

}  // namespace

TEST_CASE("e2e runs tree: runs stopped mid-schedule are italic and say where they stopped",
          "[e2e][runs]") {
    const auto f = test::writeSweepFiles(true);
    importSweep(*f);
    ui::ProjectDocument doc;
    REQUIRE(doc.open(f->project));
    ui::RunsTreeModel model(&doc);

    // The generator's stopped run: its summary says "stopped" and gives total_steps.
    const test::SweepRun& gen = f->stoppedRun();
    const QModelIndex stopped = findRun(model, gen.name);
    REQUIRE(stopped.isValid());
    const QString line = QStringLiteral(
                             "stopped at step %1 of %2 (mid-schedule; excluded from "
                             "fits by default)")
                             .arg(gen.lastStep)
                             .arg(gen.steps);
    CHECK(stopped.data(ui::StoppedRole).toString() == line);
    CHECK(stopped.data(Qt::ToolTipRole).toString().contains(line));
    CHECK(stopped.data(Qt::FontRole).value<QFont>().italic());
    // Its row's number columns keep their own marks (N given: not italic).
    CHECK_FALSE(stopped.siblingAtColumn(ui::RunsTreeModel::ParamsColumn)
                    .data(Qt::FontRole)
                    .value<QFont>()
                    .italic());

    // The crashed run: no summary row, so no schedule length known.
    const QModelIndex crashed = findRun(model, test::kCrashedRun);
    REQUIRE(crashed.isValid());
    CHECK(crashed.data(ui::StoppedRole).toString() ==
          QStringLiteral("stopped at step %1 of an unknown schedule length (mid-schedule; "
                         "excluded from fits by default)")
              .arg(test::detail::crashedRun(f->runs).lastStep));
    CHECK(crashed.data(Qt::FontRole).value<QFont>().italic());

    // Finished runs: no mark.
    for (const test::SweepRun& r : f->runs) {
        if (r.stopped)
            continue;
        const QModelIndex run = findRun(model, r.name);
        REQUIRE(run.isValid());
        INFO(r.name);
        CHECK_FALSE(run.data(ui::StoppedRole).isValid());
        CHECK_FALSE(run.data(Qt::FontRole).value<QFont>().italic());
        CHECK_FALSE(run.data(Qt::ToolTipRole).toString().contains(QStringLiteral("stopped")));
    }
    // Group rows count their stopped runs.
    CHECK(findGroup(model, QStringLiteral("isoflop")).data().toString() ==
          QStringLiteral("isoflop · 12 runs · 1 stopped"));
    CHECK(findGroup(model, QStringLiteral("lr-batch")).data().toString() ==
          QStringLiteral("lr-batch · 20 runs"));
    CHECK(findGroup(model, QString()).data().toString().endsWith(QStringLiteral(" · 1 stopped")));
}
