// The views select runs as `scalelens-cli fit` does, through analysis/ (issue 8): with no
// --group the Chinchilla-family fits take the sweep the views draw (defaultScalingSweep), runs
// pruned during training are left out of both, and the density view's models are the densing
// fit's inputs. Each case compares the run sets (or their losses and densities) of a view
// built from a project with what the command line fits from the same project file.
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/document/project_document.h>
#include <widgets/fit/fit_panel.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_views.h>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <algorithm>
#include <map>

#include <analysis/law_inputs.h>
#include <analysis/run_table.h>

#include "cli_runner.h"
#include "scalelens_catch.h"

using namespace scalelens;
using test::CliRun;
using test::runCli;

namespace {

struct ExampleProject {
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<data::Project> project;
    ExampleProject() {
        REQUIRE(dir.isValid());
        path = dir.filePath(QStringLiteral("example.scalelens"));
        std::string error;
        REQUIRE(data::createExampleProject(path.toStdString(), &error));
        project = data::Project::open(path.toStdString(), &error);
        REQUIRE(project);
    }
};

std::unique_ptr<ui::PlotView> view(const data::Project& project, const char* id) {
    ui::ViewContext ctx;
    ctx.project = &project;
    auto v = std::make_unique<ui::PlotView>();
    QString error;
    INFO("view " << id);
    REQUIRE(ui::buildView(QString::fromLatin1(id), ctx, v.get(), &error));
    return v;
}

QString notes(const ui::PlotView& v) {
    QStringList all;
    for (int p = 0; p < v.panelCount(); ++p)
        all << v.notes(p);
    return all.join(QLatin1Char('\n'));
}

// y values of the series whose name starts with `prefix`, sorted.
std::vector<double> seriesYs(const ui::PlotView& v, const QString& prefix) {
    std::vector<double> ys;
    for (int s = 0; s < v.seriesCount(); ++s)
        if (v.seriesName(s).startsWith(prefix))
            for (double y : v.seriesY(s))
                ys.push_back(y);
    std::sort(ys.begin(), ys.end());
    return ys;
}

QJsonObject cliJson(const QStringList& args) {
    const CliRun r = runCli(args);
    INFO(args.join(QLatin1Char(' ')).toStdString() << "\n" << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return test::parseJson(r);
}

QJsonObject cliFit(const ExampleProject& p, const char* law, const QStringList& extra = {}) {
    return cliJson(QStringList{QStringLiteral("fit"), QStringLiteral("--law"),
                               QString::fromLatin1(law), QStringLiteral("--project"), p.path,
                               QStringLiteral("--json"), QStringLiteral("--allow-unreliable")} +
                   extra);
}

QString codes(const QJsonObject& fit) {
    QStringList out;
    for (const QJsonValue& d : fit.value(QStringLiteral("diagnostics")).toArray())
        out << d.toObject().value(QStringLiteral("code")).toString();
    return out.join(QLatin1Char(','));
}

// The final losses (of the project's loss metric) of the runs a fit names, sorted.
std::vector<double> lossesOf(const data::Project& project, const QJsonObject& fit) {
    analysis::RunTable all;
    std::string error;
    analysis::Selection everything;
    everything.includeExcluded = true;
    everything.excludeStoppedMidSchedule = false;
    REQUIRE(analysis::loadRunTable(project, everything, &all, &error));
    std::vector<double> out;
    for (const QJsonValue& name : fit.value(QStringLiteral("runs")).toArray()) {
        int found = 0;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (QString::fromStdString(all.runs[i].name) == name.toString() && all.loss(i)) {
                out.push_back(*all.loss(i));
                ++found;
            }
        INFO(name.toString().toStdString());
        CHECK(found == 1);  // run names of the example are unique across groups
    }
    std::sort(out.begin(), out.end());
    return out;
}

void checkSameLosses(const std::vector<double>& drawn, const std::vector<double>& fitted) {
    REQUIRE(drawn.size() == fitted.size());
    for (std::size_t i = 0; i < drawn.size(); ++i)
        CHECK(drawn[i] == Approx(fitted[i]).epsilon(1e-12));
}

}  // namespace

TEST_CASE("e2e agreement: without --group the CLI fits the sweep the Chinchilla views draw",
          "[e2e][views][cli]") {
    ExampleProject p;
    // The example holds six groups; the views draw its Chinchilla sweep and say so.
    const auto lossVsCompute = view(*p.project, "loss-vs-compute");
    const std::vector<double> drawn = seriesYs(*lossVsCompute, QStringLiteral("N "));
    REQUIRE(drawn.size() >= 20);
    CHECK(notes(*lossVsCompute)
              .contains(QStringLiteral("Runs of group 'chinchilla-sweep', the project's scaling "
                                       "sweep")));

    // `fit --law chinchilla` with no --group: the same runs, and it says which group.
    const QJsonObject chinchilla = cliFit(p, "chinchilla");
    CHECK(chinchilla.value(QStringLiteral("n_points")).toInt() == int(drawn.size()));
    CHECK(codes(chinchilla).contains(QStringLiteral("default_group")));
    CHECK(QJsonDocument(chinchilla).toJson().contains("group 'chinchilla-sweep'"));
    CHECK_FALSE(codes(chinchilla).contains(QStringLiteral("mixed_sweeps")));
    checkSameLosses(drawn, lossesOf(*p.project, chinchilla));

    // IsoFLOP: the view's per-budget scatters hold the runs `fit --law isoflop` fits.
    const auto iso = view(*p.project, "isoflop");
    const QJsonObject isoFit = cliFit(p, "isoflop");
    checkSameLosses(seriesYs(*iso, QStringLiteral("C = ")), lossesOf(*p.project, isoFit));
    CHECK(codes(isoFit).contains(QStringLiteral("default_group")));

    // --all-groups: every run of the project, more than the view draws, and the mixed sweeps
    // named; --group with --all-groups is a usage error.
    const QJsonObject all = cliFit(p, "chinchilla", {QStringLiteral("--all-groups")});
    CHECK(all.value(QStringLiteral("n_points")).toInt() > int(drawn.size()));
    CHECK(codes(all).contains(QStringLiteral("mixed_sweeps")));
    CHECK_FALSE(codes(all).contains(QStringLiteral("default_group")));
    const CliRun both =
        runCli({QStringLiteral("fit"), QStringLiteral("--law"), QStringLiteral("chinchilla"),
                QStringLiteral("--project"), p.path, QStringLiteral("--group"),
                QStringLiteral("chinchilla-sweep"), QStringLiteral("--all-groups")});
    CHECK(both.exitCode == 2);
    CHECK(both.err.contains("--all-groups"));
}

TEST_CASE(
    "e2e agreement: a scaling sweep under another name is the default of views, CLI and "
    "fit panel",
    "[e2e][views][cli]") {
    ExampleProject p;
    // The Chinchilla sweep renamed so that another group ("curve-forecast") sorts first.
    std::string error;
    for (data::Run r : p.project->runs()) {
        if (r.group != data::kChinchillaGroup)
            continue;
        r.group = "z-scaling";
        REQUIRE(p.project->updateRun(r, &error));
    }
    const auto v = view(*p.project, "loss-vs-compute");
    CHECK(notes(*v).contains(QStringLiteral("Runs of group 'z-scaling'")));
    const QJsonObject f = cliFit(p, "chinchilla");
    CHECK(QJsonDocument(f).toJson().contains("group 'z-scaling'"));
    checkSameLosses(seriesYs(*v, QStringLiteral("N ")), lossesOf(*p.project, f));
    // The fit panel starts on the same group (it used to start on the first group listed).
    ui::ProjectDocument doc;
    QString why;
    REQUIRE(doc.open(p.path, &why));
    ui::FitPanel panel;
    panel.setDocument(&doc);
    auto* dataCombo = panel.findChild<QComboBox*>(QStringLiteral("dataCombo"));
    REQUIRE(dataCombo != nullptr);
    CHECK(dataCombo->currentData().toString() == QStringLiteral("group:z-scaling"));
}

TEST_CASE("e2e agreement: runs pruned during training are left out of views and fits alike",
          "[e2e][views][cli]") {
    ExampleProject p;
    const std::size_t before =
        seriesYs(*view(*p.project, "loss-vs-compute"), QStringLiteral("N ")).size();
    // Two runs of the Chinchilla sweep given the sparsity schedule of a pruned run.
    std::string schedule;
    for (const data::Run& r : p.project->runs())
        if (!r.sparsitySchedule.empty())
            schedule = r.sparsitySchedule;
    REQUIRE_FALSE(schedule.empty());
    int pruned = 0;
    std::string error;
    for (data::Run r : p.project->runs()) {
        if (r.group != data::kChinchillaGroup || pruned == 2)
            continue;
        r.sparsitySchedule = schedule;
        REQUIRE(p.project->updateRun(r, &error));
        ++pruned;
    }
    const auto v = view(*p.project, "loss-vs-compute");
    const std::vector<double> drawn = seriesYs(*v, QStringLiteral("N "));
    CHECK(drawn.size() == before - 2);
    CHECK(notes(*v).contains(QStringLiteral("2 run(s) pruned during training")));
    for (const QStringList& group :
         {QStringList{},
          QStringList{QStringLiteral("--group"), QStringLiteral("chinchilla-sweep")}}) {
        INFO(group.join(QLatin1Char(' ')).toStdString());
        const QJsonObject f = cliFit(p, "chinchilla", group);
        CHECK(f.value(QStringLiteral("n_points")).toInt() == int(before - 2));
        CHECK(codes(f).contains(QStringLiteral("pruned_excluded")));
        checkSameLosses(drawn, lossesOf(*p.project, f));
    }
    const QJsonObject isoFit = cliFit(p, "isoflop");
    checkSameLosses(seriesYs(*view(*p.project, "isoflop"), QStringLiteral("C = ")),
                    lossesOf(*p.project, isoFit));
}

TEST_CASE("e2e agreement: the density view draws the densing fit's models and densities",
          "[e2e][views][cli]") {
    ExampleProject p;
    auto densities = [&] {
        const auto v = view(*p.project, "density-over-time");
        // "... as scalelens-cli fit --law densing --benchmark B --reference 'R'"
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("(\\d+) models, as scalelens-cli fit --law densing "
                                              "--benchmark (\\S+) --reference '([^']+)'"))
                .match(notes(*v));
        INFO(notes(*v).toStdString());
        REQUIRE(m.hasMatch());
        const QJsonObject cli =
            cliFit(p, "densing",
                   {QStringLiteral("--benchmark"), m.captured(2), QStringLiteral("--reference"),
                    m.captured(3), QStringLiteral("--bootstrap"), QStringLiteral("0")});
        std::vector<double> fitted;
        const QJsonArray models = cli.value(QStringLiteral("models")).toArray();
        CHECK(models.size() == m.captured(1).toInt());
        for (const QJsonValue& model : models)
            if (model.toObject().contains(QStringLiteral("density")))
                fitted.push_back(model.toObject().value(QStringLiteral("density")).toDouble());
        std::sort(fitted.begin(), fitted.end());
        const std::vector<double> drawn = seriesYs(*v, QStringLiteral("models ("));
        REQUIRE(drawn.size() == fitted.size());
        for (std::size_t i = 0; i < drawn.size(); ++i)
            CHECK(drawn[i] == Approx(fitted[i]).epsilon(1e-9));
        return drawn.size();
    };
    const std::size_t before = densities();
    REQUIRE(before >= 6);
    // A model tagged stopped mid-schedule and one excluded: gone from the view as from the fit
    // (the view used to read every run not excluded, stopped or not).
    std::string error;
    int changed = 0;
    for (data::Run r : p.project->runs()) {
        if (r.group != data::kModelZooGroup || r.releaseDate.empty() || changed == 2)
            continue;
        // Leave the reference family (the earliest date) alone: only later models.
        if (r.releaseDate <= "2023-03-01")
            continue;
        if (changed == 0)
            r.tags.push_back(data::kStoppedMidScheduleTag);
        else
            r.excluded = true;
        REQUIRE(p.project->updateRun(r, &error));
        ++changed;
    }
    REQUIRE(changed == 2);
    CHECK(densities() == before - 2);
}
