// scalelens-cli example --project P: writes the bundled example project.
#include <datasets/examples.h>
#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>

#include "command.h"

namespace scalelens::cli {

namespace {

const char* kExampleUsage =
    "Usage: scalelens-cli example --project P.scalelens [--json]\n\n"
    "Creates a new project from the bundled example data (a synthetic Chinchilla sweep, a\n"
    "synthetic LR x batch sweep, the cited base-model table and a sparse-training sweep).\n"
    "Fails if P exists.\n\n"
    "Exit codes: 0 ok, 2 bad arguments, 3 P exists or cannot be written, 4 internal error.\n";

int runExample(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << kExampleUsage;
        return kExitOk;
    }
    ArgParser p(args, {"project"}, {"json"});
    if (!p.positionals().empty())
        throw UsageError{"unexpected argument '" + p.positionals().front() + "'"};
    const std::string path = p.required("project");
    std::string error;
    const bool ok = data::createExampleProject(path, &error);
    if (!ok)
        std::cerr << "scalelens-cli example: " << error << "\n";
    if (p.flag("json")) {
        QJsonObject o;
        o["project"] = QString::fromStdString(path);
        o["ok"] = ok;
        o["examples_dir"] = QString::fromStdString(data::examplesDir());
        if (!ok)
            o["error"] = QString::fromStdString(error);
        std::cout << QJsonDocument(o).toJson(QJsonDocument::Indented).toStdString();
    } else if (ok) {
        std::cout << "wrote the example project to " << path << "\n";
    }
    return ok ? kExitOk : kExitBadInput;
}

}  // namespace

SCALELENS_CLI_COMMAND(example, "example", "Write the bundled example project", runExample);

}  // namespace scalelens::cli
