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
    // The Chinchilla views draw the scaling sweep `fit --law chinchilla` fits without --group.
    const QString groupNote = QStringLiteral(
        "Runs of group 'isoflop', the project's scaling sweep (1 other group(s) not drawn); "
        "scalelens-cli fit --law chinchilla fits the same runs by default");

    SECTION("loss vs compute: the 11 finished runs, their curves, the CLI's Chinchilla fit") {
        const ui::PlotView* view = showView(tabs, "loss-vs-compute");
        const QString notes = allNotes(*view);
        CHECK(notes.contains(stoppedNote.arg(stoppedRuns)));
        CHECK(notes.contains(groupNote));
        CHECK(notes.contains(
            QStringLiteral("fitted now to %1 runs of 'isoflop', loss metric 'val_loss'")
                .arg(finished)));
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
        // The same runs: the losses drawn are the losses of the runs the CLI names.
        std::vector<double> drawn, fitted;
        for (int s : seriesNamed(*view, QStringLiteral("N ")))
            for (double l : view->seriesY(s))
                drawn.push_back(l);
        for (const QJsonValue& name : cli.value(QStringLiteral("runs")).toArray())
            for (const test::SweepRun& r : f.runs)
                if (QString::fromStdString(r.name) == name.toString())
                    fitted.push_back(test::sweepValLoss(r, r.lastStep));
        std::sort(drawn.begin(), drawn.end());
        std::sort(fitted.begin(), fitted.end());
        REQUIRE(drawn.size() == fitted.size());
        for (std::size_t i = 0; i < drawn.size(); ++i)
            CHECK(drawn[i] == Approx(fitted[i]).epsilon(1e-7));
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
        CHECK(notes.contains(groupNote));
        CHECK(notes.contains(
            QStringLiteral("Approach 2 on %1 runs of 'isoflop', loss metric 'val_loss'; 3 budgets "
                           "(grouped within 5%)")
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

    SECTION("LR x batch: the sub-grid's landscape, its optimum the CLI's and the generator's") {
        const ui::PlotView* view = showView(tabs, "lr-batch-landscape");
        const QJsonObject cli = cliFit(f, "lr-bs");
        const int groups = int(cli.value(QStringLiteral("groups")).toArray().size());
        CHECK(groups == finished + 1);  // the grid's (N, D) once each, the sub-grid's
        // The largest (N, D) group drawn: the sub-grid, every one of its 20 runs.
        CHECK(view->panelTitle(0).contains(QStringLiteral("N = 40M")));  // non-embedding
        CHECK(view->panelTitle(0).contains(QStringLiteral("of %1 sweeps").arg(groups)));
        CHECK(
            seriesNamed(*view, QStringLiteral("your fitted law (%1 sweeps)").arg(groups)).size() ==
            1);
        const std::vector<int> runs = seriesNamed(*view, QStringLiteral("runs"));
        REQUIRE(runs.size() == 1);
        CHECK(view->pointCount(runs[0]) == std::size_t(test::kLrBatchRuns));
        CHECK_FALSE(allNotes(*view).contains(QStringLiteral("No quadratic optimum")));
        // The view's quadratic optimum is the CLI's (same inputs, same fit) and the generator's.
        const QJsonObject group = test::lrBatchGroup(cli);
        test::checkLrBatchOptimum(group);
        const std::vector<int> optimum =
            seriesNamed(*view, QStringLiteral("fitted optimum (quadratic)"));
        REQUIRE(optimum.size() == 1);
        CHECK(view->seriesX(optimum[0])[0] ==
              Approx(group.value(QStringLiteral("quadratic_lr")).toDouble()).epsilon(1e-9));
        CHECK(
            view->seriesY(optimum[0])[0] ==
            Approx(group.value(QStringLiteral("quadratic_batch_tokens")).toDouble()).epsilon(1e-9));
        const std::vector<int> best = seriesNamed(*view, QStringLiteral("best run (L = "));
        REQUIRE(best.size() == 1);
        CHECK(view->seriesX(best[0])[0] == Approx(1.6e-3));
        CHECK(view->seriesY(best[0])[0] == Approx(131072));
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
    // The generator's stopped run; the crashed run has no summary row and so no sweep: it is
    // in "(no group)", outside the scaling sweep the views draw.
    checkViews(*f, 1);
}
