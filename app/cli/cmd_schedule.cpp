// scalelens-cli schedule --project P --run R [--set SPEC] [--infer] [--confirm | --clear]:
// shows, sets, infers or confirms a run's planned LR schedule (fitting/lr_schedule.h), stored
// in the project's run_schedules table for the loss-curve forecasts.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>
#include <iostream>

#include <analysis/curve_inputs.h>

#include "command.h"

namespace scalelens::cli {
namespace {

using analysis::applyScheduleSpec;
using analysis::findRun;
using analysis::loggedLr;

const char* const kScheduleDescription =
    "Shows, sets or infers the planned LR schedule of a run, which `forecast --project` uses\n"
    "to forecast the run's end. Without --set/--infer/--confirm/--clear it shows the stored\n"
    "schedule (or, when none is stored, what --infer would store).\n"
    "  --set SPEC   [TYPE:]KEY=VALUE,...  TYPE constant|cosine|linear|wsd|wsd-linear|two-stage;\n"
    "               keys type, peak, final, warmup, total, decay-start, cooldown (fraction).\n"
    "               Starts from the stored (or, with --infer, the inferred) schedule.\n"
    "  --infer      infer it from the logged LR (metric --lr-metric, default lr); stored only\n"
    "               when exactly one schedule fits (else exit 3 with the reason). Give\n"
    "               --set total=N for a run that has not finished.\n"
    "e.g. scalelens-cli schedule --project p.scalelens --run r1 --set wsd:peak=3e-4,final=3e-5,"
    "total=20000,cooldown=0.2";

struct ScheduleArgs {
    std::string project;
    std::string run;
    std::optional<std::string> group;
    std::optional<std::string> set;
    std::string lrMetric = "lr";
    bool infer = false;
    bool confirm = false;
    bool clear = false;
    bool json = false;
};

QJsonObject scheduleJson(const fit::ScheduleDefinition& d) {
    QJsonObject o{{"type", QString::fromUtf8(fit::toString(d.shape).data())},
                  {"peak_lr", d.peakLr},
                  {"warmup_steps", static_cast<double>(d.warmupSteps)},
                  {"total_steps", static_cast<double>(d.totalSteps)},
                  {"description", QString::fromStdString(d.describe())}};
    if (d.shape != fit::ScheduleShape::Constant)
        o["final_lr"] = d.finalLr;
    if (d.shape == fit::ScheduleShape::WsdGeometric || d.shape == fit::ScheduleShape::WsdLinear ||
        d.shape == fit::ScheduleShape::TwoStage)
        o["decay_start"] = static_cast<double>(d.decayStart);
    return o;
}

int runSchedule(const ScheduleArgs& a) {
    if (a.clear && (a.set || a.infer || a.confirm))
        throw UsageError{"option --clear: cannot be combined with --set, --infer or --confirm"};
    const bool writes = a.set || a.infer || a.confirm || a.clear;
    // Check --set's syntax before touching the project.
    if (a.set) {
        fit::ScheduleDefinition probe;
        std::string why;
        if (!applyScheduleSpec(*a.set, &probe, &why))
            throw UsageError{"option --set: " + why};
    }
    std::string error;
    bool busy = false;
    auto project = data::Project::open(
        a.project, &error, writes ? data::OpenMode::ReadWrite : data::OpenMode::ReadOnly, &busy);
    if (!project) {
        std::cerr << "scalelens-cli schedule: " << error << "\n";
        return busy ? kExitBusy : kExitBadInput;
    }
    data::Run run;
    if (!findRun(*project, a.run, a.group, &run, &error))
        throw UsageError{"option --run: " + error};
    const auto stored = project->runSchedule(run.id);
    std::optional<data::RunSchedule> result = stored;
    std::optional<fit::ScheduleInference> inference;
    std::string action = "stored";
    auto infer = [&](long total) {
        const std::vector<fit::LrPoint> logged = loggedLr(*project, run.id, a.lrMetric);
        fit::ScheduleInferenceOptions io;
        io.totalSteps = total;
        inference = logged.empty() ? fit::ScheduleInference{} : fit::inferSchedule(logged, io);
        if (logged.empty())
            inference->message = "the run has no logged '" + printable(a.lrMetric) + "' metric";
    };
    if (a.clear) {
        if (!project->clearRunSchedule(run.id, &error)) {
            std::cerr << "scalelens-cli schedule: " << error << "\n";
            return project->lastWriteBusy() ? kExitBusy : kExitBadInput;
        }
        result.reset();
        action = "cleared";
    } else if (a.set || a.infer) {
        data::RunSchedule next;
        next.runId = run.id;
        next.origin = data::ScheduleOrigin::User;
        if (stored && !a.infer)
            next.definition = stored->definition;
        if (a.infer) {
            // --set total=N informs the inference of a run that has not finished.
            fit::ScheduleDefinition hint;
            hint.totalSteps = 0;
            std::vector<std::string> keys;
            if (a.set)
                applyScheduleSpec(*a.set, &hint, &error, &keys);
            const bool totalGiven = std::find(keys.begin(), keys.end(), "total") != keys.end();
            infer(totalGiven ? hint.totalSteps : 0);
            if (!inference->unambiguous) {
                std::cerr << "scalelens-cli schedule: cannot infer the schedule of '"
                          << printable(run.name) << "': " << inference->message << "\n";
                return kExitBadInput;
            }
            next.definition = inference->definition;
            next.origin = data::ScheduleOrigin::Inferred;
            next.note = inference->message;
        }
        if (a.set) {
            std::vector<std::string> keys;
            applyScheduleSpec(*a.set, &next.definition, &error, &keys);
            if (a.infer && !(keys.size() == 1 && keys[0] == "total"))
                next.origin = data::ScheduleOrigin::User;  // the user changed the inference
            std::string why;
            if (!next.definition.isValid(&why))
                throw UsageError{"option --set: the schedule is invalid: " + why};
        }
        if (a.confirm && next.origin == data::ScheduleOrigin::Inferred)
            next.origin = data::ScheduleOrigin::Confirmed;
        if (!project->setRunSchedule(next, &error)) {
            std::cerr << "scalelens-cli schedule: " << error << "\n";
            return project->lastWriteBusy() ? kExitBusy : kExitBadInput;
        }
        result = project->runSchedule(run.id);
        action = a.infer ? "inferred and stored" : "set";
    } else if (a.confirm) {
        if (!stored) {
            std::cerr << "scalelens-cli schedule: run '" << printable(run.name)
                      << "' has no stored schedule to confirm (use --infer or --set)\n";
            return kExitBadInput;
        }
        data::RunSchedule next = *stored;
        if (next.origin == data::ScheduleOrigin::Inferred)
            next.origin = data::ScheduleOrigin::Confirmed;
        if (!project->setRunSchedule(next, &error)) {
            std::cerr << "scalelens-cli schedule: " << error << "\n";
            return project->lastWriteBusy() ? kExitBusy : kExitBadInput;
        }
        result = project->runSchedule(run.id);
        action = "confirmed";
    } else if (!stored) {
        infer(0);
        action = "none stored";
    }
    if (a.json) {
        QJsonObject root{{"run", QString::fromStdString(run.name)},
                         {"group", QString::fromStdString(run.group)},
                         {"action", QString::fromStdString(action)}};
        if (result) {
            QJsonObject s = scheduleJson(result->definition);
            s["origin"] = QString::fromUtf8(data::toString(result->origin).data());
            s["note"] = QString::fromStdString(result->note);
            root["schedule"] = s;
        } else {
            root["schedule"] = QJsonValue();
        }
        if (inference) {
            QJsonArray fits;
            for (fit::ScheduleShape shape : inference->fits)
                fits.append(QString::fromUtf8(fit::toString(shape).data()));
            QJsonObject inf{{"unambiguous", inference->unambiguous},
                            {"partial", inference->partial},
                            {"fits", fits},
                            {"message", QString::fromStdString(inference->message)}};
            if (inference->unambiguous)
                inf["schedule"] = scheduleJson(inference->definition);
            root["inference"] = inf;
        }
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    std::cout << "run " << printable(run.name);
    if (!run.group.empty())
        std::cout << " (group " << printable(run.group) << ")";
    std::cout << ": " << action << "\n";
    if (result) {
        std::cout << "  schedule: " << result->definition.describe() << " ["
                  << data::toString(result->origin) << "]\n";
        if (!result->note.empty())
            std::cout << "  note: " << printable(result->note) << "\n";
    }
    if (inference) {
        std::cout << "  inferred from the logged LR: " << printable(inference->message)
                  << (inference->unambiguous ? "" : " [ambiguous]")
                  << (inference->partial ? " [partial log]" : "") << "\n";
        if (!result && inference->unambiguous)
            std::cout << "  store it with --infer (add --confirm to mark it confirmed)\n";
    }
    return kExitOk;
}

RunFn declareSchedule(CLI::App& app, const std::vector<std::string>&) {
    app.description(kScheduleDescription);
    auto a = std::make_shared<ScheduleArgs>();
    app.add_option("--project", a->project, "Project file (.scalelens)")->required();
    app.add_option("--run", a->run, "Name of the run")->required();
    addText(app, "--group", a->group, "Group of the run, when its name is in several groups");
    addText(app, "--set", a->set, "Set the schedule: [TYPE:]KEY=VALUE,... (see above)");
    addFlag(app, "--infer", a->infer, "Infer the schedule from the logged LR and store it");
    app.add_option("--lr-metric", a->lrMetric, "Metric of the logged LR (default lr)");
    addFlag(app, "--confirm", a->confirm, "Mark an inferred schedule as confirmed");
    addFlag(app, "--clear", a->clear, "Remove the run's stored schedule");
    addJsonOption(app, a->json);
    return [a] { return runSchedule(*a); };
}

}  // namespace

SCALELENS_CLI_COMMAND(schedule, "schedule", "Show, set or infer a run's planned LR schedule",
                      declareSchedule);

}  // namespace scalelens::cli
