// scalelens-cli import <files...> --project P.scalelens [--format F] [--map key=column...]
#include <datasets/project.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <filesystem>
#include <iostream>

#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kImportDescription =
    "Imports run logs into a project, creating it when missing. Each file is one transaction:\n"
    "a bad file changes nothing and its message names file:line:column. A file imported\n"
    "before (same SHA-256) is skipped. On bad input (exit 3) nothing from the failing file and\n"
    "the files after it is written; earlier files stay imported.";

struct ImportOptions {
    std::vector<std::string> files;
    std::string project;
    std::optional<std::string> format;
    std::vector<std::string> map;
    std::optional<std::string> group;
    std::optional<std::string> run;
    std::optional<std::string> metric;
    std::string onConflict = "keep";
    bool json = false;
};

QJsonObject reportJson(const std::string& file, const data::ImportReport& r) {
    QJsonObject o;
    o["file"] = QString::fromStdString(file);
    o["skipped_duplicate"] = r.duplicateOfImport != 0;
    if (r.duplicateOfImport != 0)
        o["duplicate_of_import"] = static_cast<qint64>(r.duplicateOfImport);
    o["import_id"] = static_cast<qint64>(r.importId);
    o["format"] = QString::fromStdString(data::toString(r.format));
    o["runs_added"] = static_cast<qint64>(r.runsAdded);
    o["runs_updated"] = static_cast<qint64>(r.runsUpdated);
    o["runs_conflicted"] = static_cast<qint64>(r.runsConflicted);
    o["fields_derived"] = static_cast<qint64>(r.fieldsDerived);
    QJsonArray conflicts, stopped;
    for (const auto& c : r.conflicts)
        conflicts.append(QString::fromStdString(c));
    for (const auto& s : r.stoppedRuns)
        stopped.append(QString::fromStdString(s));
    o["conflicts"] = conflicts;
    o["stopped_runs"] = stopped;
    o["metric_rows"] = static_cast<qint64>(r.metricRows);
    o["evaluations"] = static_cast<qint64>(r.evaluations);
    QJsonArray warnings;
    for (const auto& w : r.warnings)
        warnings.append(QString::fromStdString(w.message));
    o["warnings"] = warnings;
    return o;
}

int runImport(const ImportOptions& o) {
    const std::string& projectPath = o.project;
    if (o.files.empty())
        throw UsageError{"no input files (see scalelens-cli import --help)"};
    data::ImportConfig config;
    if (const auto& f = o.format) {
        const auto format = data::importFormatFromString(*f);
        if (!format)
            throw UsageError{"--format: unknown format '" + *f +
                             "' (auto, long, wide, summary, tensorboard, wandb, mlflow)"};
        config.format = *format;
    }
    for (const auto& m : o.map) {
        const auto eq = m.find('=');
        // "key=" (no column) maps no column to that key.
        if (eq == std::string::npos || eq == 0)
            throw UsageError{"--map: expected key=column, got '" + m + "'"};
        config.columnMap[m.substr(0, eq)] = m.substr(eq + 1);
    }
    config.group = o.group.value_or("");
    config.runName = o.run.value_or("");
    config.metricName = o.metric.value_or("");
    config.onConflict = *data::onConflictFromString(o.onConflict);
    std::string error;
    if (!config.isValid(&error))
        throw UsageError{error};
    const bool json = o.json;

    bool busy = false;
    std::error_code ec;
    auto project = std::filesystem::exists(projectPath, ec)
                       ? data::Project::open(projectPath, &error, data::OpenMode::ReadWrite, &busy)
                       : data::Project::create(projectPath, &error);
    if (!project) {
        std::cerr << "scalelens-cli import: " << error << "\n";
        return busy ? kExitBusy : kExitBadInput;
    }
    QJsonArray reports;
    int exit = kExitOk;
    for (const auto& file : o.files) {
        data::ImportReport report;
        if (!project->importFile(file, config, &report, &error)) {
            std::cerr << "scalelens-cli import: " << error << "\n";
            exit = project->lastWriteBusy() ? kExitBusy : kExitBadInput;
            break;
        }
        for (const auto& w : report.warnings)
            std::cerr << "warning: " << w.message << "\n";
        if (report.droppedWarnings)
            std::cerr << "warning: " << report.droppedWarnings << " more warnings not shown\n";
        for (const auto& c : report.conflicts)
            std::cerr << "conflict: " << c << "\n";
        for (const auto& s : report.stoppedRuns)
            std::cerr << "stopped: " << s << "\n";
        if (json) {
            reports.append(reportJson(file, report));
        } else if (report.duplicateOfImport) {
            std::cout << file << ": already imported (import #" << report.duplicateOfImport
                      << "), skipped\n";
        } else {
            std::cout << file << ": " << data::toString(report.format) << ", " << report.runsAdded
                      << " runs added, " << report.runsUpdated << " updated, "
                      << report.runsConflicted << " conflicted, " << report.metricRows
                      << " metric rows, " << report.evaluations << " evaluations\n";
        }
    }
    if (json) {
        QJsonObject doc;
        doc["project"] = QString::fromStdString(projectPath);
        doc["ok"] = exit == kExitOk;
        if (exit != kExitOk)
            doc["error"] = QString::fromStdString(error);
        doc["imports"] = reports;
        std::cout << QJsonDocument(doc).toJson(QJsonDocument::Indented).toStdString();
    }
    return exit;
}

RunFn declareImport(CLI::App& app, const std::vector<std::string>&) {
    app.description(kImportDescription);
    auto o = std::make_shared<ImportOptions>();
    app.add_option("files", o->files, "Log files or mlruns folders to import")
        ->type_name("FILE...");
    app.add_option("--project", o->project, "Project file (.scalelens), created when missing")
        ->required();
    addText(app, "--format", o->format,
            "Input format: auto (default: detected per file), long, wide, summary, tensorboard, "
            "wandb, mlflow");
    addTexts(app, "--map", o->map,
             "KEY=COLUMN: use COLUMN for KEY (run, group, step, tokens, flops, wall_time, metric, "
             "value, N, non_embedding_params, active_params, lr, batch, batch_sequences, "
             "seq_len, ...; any other key imports COLUMN as that metric), repeatable");
    addText(app, "--group", o->group, "Group (sweep) for runs whose file names none");
    addText(app, "--run", o->run, "Run name for single-run files (W&B history, TensorBoard)");
    addText(app, "--metric", o->metric, "Metric name for wide files (default loss)");
    app.add_option("--on-conflict", o->onConflict,
                   "keep (default) or replace: which value wins when a run already in the project "
                   "(matched by name) has a different value for a field")
        ->check(CLI::IsMember({"keep", "replace"}));
    addJsonOption(app, o->json);
    return [o] { return runImport(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(import, "import",
                      "Import run logs (CSV, TensorBoard, W&B, MLflow) into a project",
                      declareImport);

}  // namespace scalelens::cli
