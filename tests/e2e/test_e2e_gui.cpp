// End to end through the GUI (issue 8): the project `scalelens-cli import` makes from the three
// files of a sweep (e2e_sweep.h), opened in the main window; the Chinchilla, IsoFLOP and
// LR x batch views drawn from it, and what they use compared with what the CLI's fit uses.
#include <widgets/document/project_document.h>
#include <widgets/plot/plot_view.h>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <algorithm>
#include <cmath>

#include "cli_runner.h"
#include "e2e_sweep.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

void importWithCli(const test::SweepFiles& f) {
    const test::CliRun r = test::runCli({QStringLiteral("import"), QStringLiteral("--project"),
                                         f.project, f.steps, f.summary, f.tb});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
}

QJsonObject cliFit(const test::SweepFiles& f, const char* law) {
    const test::CliRun r =
        test::runCli({QStringLiteral("fit"), QStringLiteral("--law"), QString::fromLatin1(law),
                      QStringLiteral("--project"), f.project, QStringLiteral("--json"),
                      QStringLiteral("--allow-unreliable")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return test::parseJson(r);
}

QString allNotes(const ui::PlotView& view) {
    QStringList notes;
    for (int p = 0; p < view.panelCount(); ++p)
        notes << view.notes(p);
    return notes.join(QLatin1Char('\n'));
}

// Series whose name starts with `prefix`, in order.
std::vector<int> seriesNamed(const ui::PlotView& view, const QString& prefix) {
    std::vector<int> out;
    for (int s = 0; s < view.seriesCount(); ++s)
        if (view.seriesName(s).startsWith(prefix))
            out.push_back(s);
    return out;
}

// A view as the main window draws it, with no error and no note but the expected ones.
ui::PlotView* showView(app::PlotTabs* tabs, const char* id) {
    INFO("view " << id);
    REQUIRE(tabs->showView(QString::fromLatin1(id)));
    tabs->rebuildCurrentNow();
    REQUIRE(tabs->lastError().isEmpty());
    ui::PlotView* view = tabs->currentPlotView();
    REQUIRE(view != nullptr);
    const QString notes = allNotes(*view);
    INFO(notes.toStdString());
    for (const char* unexpected :
         {"No scaling sweep", "No fit available", "No power laws", "No LR × batch sweep",
          "hidden on log axis", "Unreliable", "ungrouped", "failed", "cannot"})
        CHECK_FALSE(notes.contains(QString::fromUtf8(unexpected)));
    return view;
}

// The three views of the imported sweep, each compared with what `scalelens-cli fit` computes
// from the same project.
void checkViews(const test::SweepFiles& f, int stoppedRuns) {
    const int finished = f.finishedRuns();
    app::MainWindow window;
    QString error;
    REQUIRE(window.openProject(f.project, &error));
    app::PlotTabs* tabs = window.plotTabs();
    const QString stoppedNote = QStringLiteral("%1 run(s) of this sweep stopped mid-schedule");

    SECTION("loss vs compute: the 11 finished runs, their curves, the CLI's Chinchilla fit") {
        const ui::PlotView* view = showView(tabs, "loss-vs-compute");
        const QString notes = allNotes(*view);
        CHECK(notes.contains(stoppedNote.arg(stoppedRuns)));
        CHECK(notes.contains(
            QStringLiteral("fitted now to %1 runs, loss metric 'val_loss'").arg(finished)));
        std::size_t points = 0;
        for (int s : seriesNamed(*view, QStringLiteral("N ")))
            points += view->pointCount(s);
        CHECK(points == std::size_t(finished));
        // One training curve per run drawn: the first named "training curves", then by run.
        int curves = 0;
        for (int s = 0; s < view->seriesCount(); ++s)
            curves += view->seriesName(s) == QStringLiteral("training curves") ||
                      view->seriesName(s).startsWith(QStringLiteral("gpt-"));
        CHECK(curves == finished);
        CHECK(seriesNamed(*view, QStringLiteral("compute-optimal frontier")).size() == 1);
        // The fit drawn is the one `fit --law chinchilla` finds (its note prints 3-4 digits).
        const QJsonObject cli = cliFit(f, "chinchilla");
        CHECK(cli.value(QStringLiteral("n_points")).toInt() == finished);
        const QJsonObject p = cli.value(QStringLiteral("params")).toObject();
        const QString law = QStringLiteral("L = %1 + %2/N^%3 + %4/D^%5")
                                .arg(p.value(QStringLiteral("E")).toDouble(), 0, 'f', 3)
                                .arg(p.value(QStringLiteral("A")).toDouble(), 0, 'g', 4)
                                .arg(p.value(QStringLiteral("alpha")).toDouble(), 0, 'f', 3)
                                .arg(p.value(QStringLiteral("B")).toDouble(), 0, 'g', 4)
                                .arg(p.value(QStringLiteral("beta")).toDouble(), 0, 'f', 3);
        CHECK(notes.contains(law));
        CHECK(notes.contains(QStringLiteral("L = 1.690 + 406.8/N^0.340 + 410.5/D^0.280")));
    }

    SECTION("IsoFLOP: per budget the runs the CLI fits, each budget with its parabola") {
        const ui::PlotView* view = showView(tabs, "isoflop");
        const QString notes = allNotes(*view);
        CHECK(notes.contains(stoppedNote.arg(stoppedRuns)));
        CHECK(notes.contains(
            QStringLiteral("Approach 2 on %1 runs, loss metric 'val_loss'; 3 budgets (grouped "
                           "within 5%)")
                .arg(finished)));
        const QJsonObject cli = cliFit(f, "isoflop");
        const QJsonArray budgets = cli.value(QStringLiteral("budgets")).toArray();
        const std::vector<int> scatters = seriesNamed(*view, QStringLiteral("C = "));
        const std::vector<int> parabolas = seriesNamed(*view, QStringLiteral("parabola C = "));
        REQUIRE(budgets.size() == 3);
        REQUIRE(scatters.size() == 3);
        CHECK(parabolas.size() == 3);
        const std::vector<int> nOpt = seriesNamed(*view, QStringLiteral("N_opt per budget"));
        REQUIRE(nOpt.size() == 1);
        REQUIRE(view->pointCount(nOpt[0]) == 3);
        for (int b = 0; b < 3; ++b) {
            INFO("budget " << b);
            const QJsonObject budget = budgets[b].toObject();
            // The same runs: as many, and the generator's finished runs of that budget.
            CHECK(view->pointCount(scatters[std::size_t(b)]) ==
                  std::size_t(budget.value(QStringLiteral("n_points")).toInt()));
            std::vector<double> expected;
            for (const test::SweepRun& r : f.runs)
                if (!r.stopped &&
                    std::abs(std::log(r.budget /
                                      budget.value(QStringLiteral("compute")).toDouble())) < 1e-6)
                    expected.push_back(r.params);
            std::vector<double> drawn = view->seriesX(scatters[std::size_t(b)]);
            std::sort(drawn.begin(), drawn.end());
            std::sort(expected.begin(), expected.end());
            CHECK(drawn == expected);
            // The same parabola: its minimum is the CLI's N_opt.
            CHECK(view->seriesX(nOpt[0])[std::size_t(b)] ==
                  Approx(budget.value(QStringLiteral("compute")).toDouble()).epsilon(1e-12));
            CHECK(view->seriesY(nOpt[0])[std::size_t(b)] ==
                  Approx(budget.value(QStringLiteral("N_opt")).toDouble()).epsilon(1e-9));
        }
    }

    SECTION("LR x batch: the CLI's (N, D) groups, the fitted law over all of them") {
        const ui::PlotView* view = showView(tabs, "lr-batch-landscape");
        const QJsonObject cli = cliFit(f, "lr-bs");
        const int groups = int(cli.value(QStringLiteral("groups")).toArray().size());
        CHECK(groups == finished);  // an IsoFLOP grid: every (N, D) once
        CHECK(view->panelTitle(0).contains(QStringLiteral("of %1 sweeps").arg(groups)));
        CHECK(
            seriesNamed(*view, QStringLiteral("your fitted law (%1 sweeps)").arg(groups)).size() ==
            1);
        const std::vector<int> runs = seriesNamed(*view, QStringLiteral("runs"));
        REQUIRE(runs.size() == 1);
        CHECK(view->pointCount(runs[0]) == 1);
        // One run per (N, D): no quadratic optimum, and the view says why.
        CHECK(allNotes(*view).contains(
            QStringLiteral("No quadratic optimum: needs >= 6 runs with >= 3 distinct LRs and "
                           "batch sizes within 0.5% of the best loss")));
    }
    window.document()->close();
}

}  // namespace

TEST_CASE("e2e gui: the imported sweep in the Chinchilla, IsoFLOP and LR x batch views",
          "[e2e][gui]") {
    QStandardPaths::setTestModeEnabled(true);
    const auto f = test::writeSweepFiles(false);
    importWithCli(*f);
    checkViews(*f, 1);
}

TEST_CASE("e2e gui: the messy logs give the same views", "[e2e][gui][messy]") {
    QStandardPaths::setTestModeEnabled(true);
    const auto f = test::writeSweepFiles(true);
    importWithCli(*f);
    checkViews(*f, 2);  // the generator's stopped run and the crashed one
}
