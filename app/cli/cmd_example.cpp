// scalelens-cli example --project P: writes the bundled example project.
#include <datasets/examples.h>
#include <QJsonDocument>
#include <QJsonObject>
#include <iostream>

#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kExampleDescription =
    "Creates a new project from the bundled example data (a synthetic Chinchilla sweep, a\n"
    "synthetic LR x batch sweep, the cited base-model table and a sparse-training sweep).\n"
    "Fails (exit 3) if the project exists or cannot be written.";

struct ExampleOptions {
    std::string project;
    bool json = false;
};

int runExample(const ExampleOptions& o) {
    const std::string& path = o.project;
    std::string error;
    const bool ok = data::createExampleProject(path, &error);
    if (!ok)
        std::cerr << "scalelens-cli example: " << error << "\n";
    if (o.json) {
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

RunFn declareExample(CLI::App& app, const std::vector<std::string>&) {
    app.description(kExampleDescription);
    auto o = std::make_shared<ExampleOptions>();
    app.add_option("--project", o->project, "Project file (.scalelens) to create")->required();
    addJsonOption(app, o->json);
    return [o] { return runExample(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(example, "example", "Write the bundled example project", declareExample);

}  // namespace scalelens::cli
