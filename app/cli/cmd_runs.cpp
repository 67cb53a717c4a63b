// scalelens-cli runs --project P [--json]: the runs of a project with their fields.
#include <analysis/loss_metric.h>
#include <analysis/run_table.h>
#include <datasets/project.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <iostream>

#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kRunsDescription =
    "Lists the runs of a project: group, name, parameters N, tokens D, FLOPs C, peak LR,\n"
    "batch size (tokens), final loss (of the project's loss metric, as in `fit`). A '*' after\n"
    "a number marks a derived value (e.g. D = C / 6N). --json prints a JSON array of runs with\n"
    "every field, the final value of every metric (final_values) and the loss metric's\n"
    "(final_loss, loss_metric).";

struct RunsOptions {
    std::string project;
    bool json = false;
};

QJsonValue number(const std::optional<double>& v) {
    return v ? QJsonValue(*v) : QJsonValue();
}

int runRuns(const RunsOptions& o) {
    const std::string& path = o.project;
    std::string error;
    bool busy = false;
    auto project = data::Project::open(path, &error, data::OpenMode::ReadOnly, &busy);
    if (!project) {
        std::cerr << "scalelens-cli runs: " << error << "\n";
        return busy ? kExitBusy : kExitBadInput;
    }
    const auto runs = project->runs();
    // The loss a fit reads: the project's loss metric (analysis/loss_metric.h).
    const analysis::LossMetric metric = analysis::lossMetric(*project);
    std::map<std::int64_t, double> loss;
    if (!metric.name.empty())
        for (const auto& v : project->finalValues(metric.name))
            loss[v.runId] = v.value;
    if (o.json) {
        // The final value of every metric per run, beside the loss metric's.
        std::map<std::int64_t, QJsonObject> finals;
        for (const std::string& name : project->metricNames())
            for (const auto& v : project->finalValues(name))
                finals[v.runId][QString::fromStdString(name)] = v.value;
        QJsonArray array;
        for (const auto& r : runs) {
            QJsonObject o;
            o["id"] = static_cast<qint64>(r.id);
            o["name"] = QString::fromStdString(r.name);
            o["group"] = QString::fromStdString(r.group);
            QJsonArray derived;
            for (int f = 0; f < static_cast<int>(data::RunField::Count); ++f) {
                const auto field = static_cast<data::RunField>(f);
                const QString key = QString::fromStdString(std::string(data::fieldKey(field)));
                o[key] = number(r.field(field));
                if (r.isDerived(field))
                    derived.append(key);
            }
            o["derived"] = derived;
            o["final_loss"] = loss.count(r.id) ? QJsonValue(loss[r.id]) : QJsonValue();
            o["loss_metric"] = QString::fromStdString(metric.name);
            o["final_values"] = finals[r.id];
            o["sparsity_schedule"] = QString::fromStdString(r.sparsitySchedule);
            o["release_date"] = QString::fromStdString(r.releaseDate);
            QJsonArray tags;
            for (const auto& t : r.tags)
                tags.append(QString::fromStdString(t));
            o["tags"] = tags;
            o["excluded"] = r.excluded;
            o["notes"] = QString::fromStdString(r.notes);
            array.append(o);
        }
        std::cout << QJsonDocument(array).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    auto cell = [](const data::Run& r, data::RunField f) {
        const auto& v = r.field(f);
        if (!v)
            return std::string("-");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g%s", *v, r.isDerived(f) ? "*" : "");
        return std::string(buf);
    };
    std::printf("%-18s %-34s %11s %11s %11s %11s %11s %8s\n", "group", "name", "N", "D", "C", "lr",
                "batch", "loss");
    for (const auto& r : runs) {
        char lossText[32] = "-";
        if (loss.count(r.id))
            std::snprintf(lossText, sizeof lossText, "%.4f", loss[r.id]);
        std::printf("%-18s %-34s %11s %11s %11s %11s %11s %8s%s\n", printable(r.group).c_str(),
                    printable(r.name).c_str(), cell(r, data::RunField::TotalParams).c_str(),
                    cell(r, data::RunField::Tokens).c_str(), cell(r, data::RunField::Flops).c_str(),
                    cell(r, data::RunField::PeakLr).c_str(),
                    cell(r, data::RunField::BatchTokens).c_str(), lossText,
                    r.excluded                        ? "  (excluded)"
                    : analysis::stoppedMidSchedule(r) ? "  (stopped mid-schedule)"
                                                      : "");
    }
    std::printf("%zu runs; loss = final %s\n", runs.size(),
                metric.name.empty() ? "(no metric)" : metric.label().c_str());
    return kExitOk;
}

RunFn declareRuns(CLI::App& app, const std::vector<std::string>&) {
    app.description(kRunsDescription);
    auto o = std::make_shared<RunsOptions>();
    app.add_option("--project", o->project, "Project file (.scalelens)")->required();
    addJsonOption(app, o->json);
    return [o] { return runRuns(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(runs, "runs", "List the runs of a project (table or --json)", declareRuns);

}  // namespace scalelens::cli
