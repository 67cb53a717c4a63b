// scalelens-cli check --project P [--json]: is the project file sound?
#include <datasets/project.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>

#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kCheckDescription =
    "Checks a project without changing it (it is opened read-only): the SQLite header, the\n"
    "ScaleLens application id and schema, SQLite's integrity_check and foreign_key_check, and\n"
    "the project's own rules (finite numbers, metric rows pointing at existing runs and metric\n"
    "names, curve keys). Prints one line per problem; exit 0 when there is none, 3 when the\n"
    "file is damaged or not a project, 6 when another process holds it.";

struct CheckOptions {
    std::string project;
    bool json = false;
};

int runCheck(const CheckOptions& o) {
    std::string error;
    bool busy = false;
    std::vector<std::string> problems;
    auto project = data::Project::open(o.project, &error, data::OpenMode::ReadOnly, &busy);
    int exit = kExitOk;
    if (!project) {
        problems.push_back(error);
        exit = busy ? kExitBusy : kExitBadInput;
    } else {
        try {
            problems = project->check();
        } catch (const data::ProjectError& e) {
            problems.push_back(e.what());
            exit = e.kind() == data::ProjectError::Kind::Busy ? kExitBusy : kExitBadInput;
        }
        if (exit == kExitOk && !problems.empty())
            exit = kExitBadInput;
    }
    if (o.json) {
        QJsonObject doc;
        doc["project"] = QString::fromStdString(o.project);
        doc["ok"] = exit == kExitOk;
        QJsonArray list;
        for (const auto& p : problems)
            list.append(QString::fromStdString(p));
        doc["problems"] = list;
        std::cout << QJsonDocument(doc).toJson(QJsonDocument::Indented).toStdString();
        return exit;
    }
    if (exit == kExitOk) {
        std::cout << printable(o.project) << ": ok\n";
        return exit;
    }
    for (const auto& p : problems)
        std::cerr << "scalelens-cli check: " << printable(p) << "\n";
    return exit;
}

RunFn declareCheck(CLI::App& app, const std::vector<std::string>&) {
    app.description(kCheckDescription);
    auto o = std::make_shared<CheckOptions>();
    app.add_option("--project", o->project, "Project file (.scalelens)")->required();
    addJsonOption(app, o->json);
    return [o] { return runCheck(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(check, "check", "Check a project file for damage (read-only)", declareCheck);

}  // namespace scalelens::cli
