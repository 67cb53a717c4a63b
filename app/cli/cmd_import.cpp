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

const char* kImportUsage =
    "Usage: scalelens-cli import <file|mlruns-folder>... --project P.scalelens\n"
    "                            [--format auto|long|wide|summary|tensorboard|wandb|mlflow]\n"
    "                            [--map key=column]... [--group NAME] [--run NAME]\n"
    "                            [--metric NAME] [--json]\n\n"
    "Imports run logs into a project, creating it when missing. Each file is one transaction:\n"
    "a bad file changes nothing and its message names file:line:column. A file imported\n"
    "before (same SHA-256) is skipped.\n\n"
    "  --project P     project file (.scalelens)\n"
    "  --format F      input format (default auto: detected per file)\n"
    "  --map key=col   use column `col` for `key` (run, group, step, tokens, flops, wall_time,\n"
    "                  metric, value, N, non_embedding_params, active_params, lr, batch,\n"
    "                  batch_sequences, seq_len, ...; any other key imports `col` as that metric)\n"
    "  --group NAME    group (sweep) for runs whose file names none\n"
    "  --run NAME      run name for single-run files (W&B history, TensorBoard)\n"
    "  --metric NAME   metric name for wide files (default loss)\n"
    "  --json          print one JSON document with a report per file\n\n"
    "Exit codes: 0 ok, 2 bad arguments, 3 bad input (nothing from the failing file and the\n"
    "files after it is written; earlier files stay imported), 4 internal error.\n";

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
    o["metric_rows"] = static_cast<qint64>(r.metricRows);
    o["evaluations"] = static_cast<qint64>(r.evaluations);
    QJsonArray warnings;
    for (const auto& w : r.warnings)
        warnings.append(QString::fromStdString(w.message));
    o["warnings"] = warnings;
    return o;
}

int runImport(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << kImportUsage;
        return kExitOk;
    }
    ArgParser p(args, {"project", "format", "map", "group", "run", "metric"}, {"json"});
    const std::string projectPath = p.required("project");
    if (p.positionals().empty())
        throw UsageError{"no input files (see scalelens-cli import --help)"};
    data::ImportConfig config;
    if (const auto f = p.value("format")) {
        const auto format = data::importFormatFromString(*f);
        if (!format)
            throw UsageError{"--format: unknown format '" + *f +
                             "' (auto, long, wide, summary, tensorboard, wandb, mlflow)"};
        config.format = *format;
    }
    for (const auto& m : p.values("map")) {
        const auto eq = m.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
            throw UsageError{"--map: expected key=column, got '" + m + "'"};
        config.columnMap[m.substr(0, eq)] = m.substr(eq + 1);
    }
    config.group = p.value("group").value_or("");
    config.runName = p.value("run").value_or("");
    config.metricName = p.value("metric").value_or("");
    std::string error;
    if (!config.isValid(&error))
        throw UsageError{error};
    const bool json = p.flag("json");

    auto project = data::Project::openOrCreate(projectPath, &error);
    if (!project) {
        std::cerr << "scalelens-cli import: " << error << "\n";
        return kExitBadInput;
    }
    QJsonArray reports;
    int exit = kExitOk;
    for (const auto& file : p.positionals()) {
        data::ImportReport report;
        if (!project->importFile(file, config, &report, &error)) {
            std::cerr << "scalelens-cli import: " << error << "\n";
            exit = kExitBadInput;
            break;
        }
        for (const auto& w : report.warnings)
            std::cerr << "warning: " << w.message << "\n";
        if (report.droppedWarnings)
            std::cerr << "warning: " << report.droppedWarnings << " more warnings not shown\n";
        if (json) {
            reports.append(reportJson(file, report));
        } else if (report.duplicateOfImport) {
            std::cout << file << ": already imported (import #" << report.duplicateOfImport
                      << "), skipped\n";
        } else {
            std::cout << file << ": " << data::toString(report.format) << ", " << report.runsAdded
                      << " runs added, " << report.runsUpdated << " updated, " << report.metricRows
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

}  // namespace

SCALELENS_CLI_COMMAND(import, "import",
                      "Import run logs (CSV, TensorBoard, W&B, MLflow) into a project", runImport);

}  // namespace scalelens::cli
