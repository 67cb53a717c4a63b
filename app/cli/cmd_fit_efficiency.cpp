// `scalelens-cli fit --law lr-bs | knowledge` and the loaders shared by the efficiency laws.
#include "cmd_fit_efficiency.h"

#include <QJsonDocument>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <analysis/selection_diagnostics.h>
#include <datasets/fit_json.h>
#include <datasets/import.h>
#include <datasets/project.h>
#include <fitting/diagnostics.h>
#include <fitting/hparams_fit.h>
#include <fitting/knowledge.h>

namespace scalelens::cli::efficiency {

bool loadRunTable(const TableOptions& args, RunTable* table, std::string* error,
                  const std::string& lossMetric, const std::set<std::string>& wantSeries) {
    const auto& input = args.input;
    const auto& projectPath = args.project;
    if (input.has_value() == projectPath.has_value())
        throw UsageError{"give exactly one of --input CSV or --project FILE"};
    analysis::Selection selection;
    selection.group = args.group;
    selection.lossMetric = lossMetric;
    selection.includeForecasts = args.includeForecasts;
    if (input && args.includeForecasts)
        throw UsageError{
            "option --include-forecasts: requires --project (forecasts are stored "
            "in a project)"};
    if (input && args.allGroups)
        throw UsageError{"--all-groups applies to --project only (a file's runs are all fitted)"};
    if (input) {
        data::ImportConfig cfg;
        cfg.format = data::ImportFormat::Summary;
        if (const auto& f = args.format) {
            const auto fmt = data::importFormatFromString(*f);
            if (!fmt)
                throw UsageError{"unknown --format '" + *f + "'"};
            cfg.format = *fmt;
        }
        for (const auto& m : args.map) {
            const auto eq = m.find('=');
            if (eq == std::string::npos || eq == 0)
                throw UsageError{"option --map: '" + m + "' is not KEY=COLUMN"};
            cfg.columnMap[m.substr(0, eq)] = m.substr(eq + 1);
        }
        // --map L=COLUMN (rewritten to loss=COLUMN by normaliseMap): that metric is the loss.
        if (selection.lossMetric.empty() && cfg.columnMap.count("loss"))
            selection.lossMetric = "loss";
        std::string cfgError;
        if (!cfg.isValid(&cfgError))
            throw UsageError{cfgError};
        const data::ImportResult res = data::parseImport(*input, cfg);
        if (!res.ok) {
            *error = res.error;
            return false;
        }
        return analysis::runTableFromImport(res, selection, table, error, wantSeries);
    }
    if (!args.map.empty() || args.format)
        throw UsageError{"--map and --format apply to --input only"};
    if (args.allGroups && !args.scalingDefaultGroup)
        throw UsageError{"--all-groups applies to --law chinchilla, kaplan and isoflop only"};
    auto project = data::Project::open(*projectPath, error, data::OpenMode::ReadOnly);
    if (!project)
        return false;
    // No --group: the project's scaling sweep, as the views choose it, when runs span groups.
    if (!selection.group && args.scalingDefaultGroup && !args.allGroups) {
        const analysis::ScalingSweep sweep = analysis::defaultScalingSweep(*project, lossMetric);
        if (sweep.groupsWithRuns > 1 && sweep.group) {
            selection.group = sweep.group;
            selection.groupIsDefault = true;
            std::cerr << "note: fitting group '" << *sweep.group
                      << "', the project's scaling sweep (as the GUI's views); --group NAME "
                         "for another, --all-groups for every run\n";
        }
    }
    return analysis::loadRunTable(*project, selection, table, error, wantSeries);
}

bool requireLossMetric(const RunTable& table) {
    if (!table.lossMetric.empty() && table.hasMetric(table.lossMetric))
        return true;
    if (table.lossMetric.empty())
        std::cerr << "scalelens-cli fit: the input has no loss metric (use --loss-metric NAME or "
                     "--map L=COLUMN)\n";
    else
        std::cerr << "scalelens-cli fit: no metric '" << table.lossMetric
                  << "' in the input (use --loss-metric NAME or --map L=COLUMN)\n";
    return false;
}

void reportSkipped(const analysis::InputRows& rows) {
    if (rows.skipped > 0)
        std::cerr << "warning: " << rows.skipped << " runs " << rows.skippedWhy << "; skipped\n";
    if (rows.pruned > 0)
        std::cerr << "note: " << rows.pruned
                  << " runs pruned during training (sparsity schedule) left out; --law "
                     "average-param fits them\n";
    if (rows.forecasts > 0)
        std::cerr << "note: " << rows.forecasts
                  << " runs' final loss is a stored forecast, not measured (--include-forecasts)\n";
}

void printDiagnostics(const std::vector<fit::Diagnostic>& diagnostics) {
    for (const fit::Severity s :
         {fit::Severity::Unreliable, fit::Severity::Warning, fit::Severity::Info})
        for (const fit::Diagnostic& d : diagnostics)
            if (d.severity == s)
                std::printf("  [%s] %s: %s\n", std::string(fit::toString(d.severity)).c_str(),
                            d.code.c_str(), d.message.c_str());
}

void addAllowUnreliable(CLI::App& app, bool& allow) {
    app.add_flag("--allow-unreliable", allow,
                 "Exit 0 even when a diagnostic marks the fit unreliable (default: exit 5)");
}

int fitExitCode(fit::FitStatus status, const std::string& message, bool allowUnreliable) {
    if (status == fit::FitStatus::Unreliable) {
        if (allowUnreliable)
            return kExitOk;
        std::cerr << "scalelens-cli fit: " << message
                  << "\n(exit 5: the fit is unreliable; --allow-unreliable accepts it)\n";
        return kExitUnreliable;
    }
    if (fit::isUsable(status))
        return kExitOk;
    std::cerr << "scalelens-cli fit: " << message << "\n";
    return status == fit::FitStatus::Failed ? kExitBadInput : kExitInternal;
}

void printJson(const QJsonObject& root) {
    std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

namespace {

void printWarnings(const RunTable& t) {
    for (const auto& w : t.warnings)
        std::cerr << "warning: " << w << "\n";
}

QJsonObject coefficientJson(const fit::Estimate& c) {
    return QJsonObject{
        {"value", c.value}, {"stderr", c.sd()}, {"ci", QJsonArray{c.ciLow(), c.ciHigh()}}};
}

// ---- lr-bs -----------------------------------------------------------------------------

const char* const kLrBsDescription =
    "Optimal LR and batch laws from an LR x batch sweep, Step Law procedure (Li et al. 2025,\n"
    "arXiv 2503.04715): per (N, D) group keep runs within 0.25% of the best final loss, then\n"
    "OLS ln lr ~ ln N + ln D and ln batch_tokens ~ ln D, bootstrap mean and CIs.\n"
    "Columns (one row per run): params or non_embedding_params (N; non-embedding preferred),\n"
    "tokens (D), lr (peak LR), batch_tokens (or batch_sequences with seq_len), and the final\n"
    "(smoothed) loss metric.";

struct LrBsArgs {
    TableOptions table;
    std::string lossMetric;  // "": the project's choice (analysis/loss_metric.h)
    std::optional<double> ndTolerance;
    std::string batchUnit = "tokens";
    std::optional<double> seqLen;
    std::optional<double> tolerance;
    bool argmin = false;
    std::optional<long long> bootstrap;
    std::optional<long long> seed;
    std::optional<double> quadraticWindow;
    bool allowUnreliable = false;
    bool json = false;
};

int runFitLrBs(const LrBsArgs& args) {
    fit::LrBsFitOptions opt;
    opt.nearOptimalTolerance = args.tolerance.value_or(opt.nearOptimalTolerance);
    opt.argminOnly = args.argmin;
    opt.quadraticWindow = args.quadraticWindow.value_or(opt.quadraticWindow);
    opt.bootstrapSamples = static_cast<int>(args.bootstrap.value_or(1000));
    if (const auto& seed = args.seed)
        opt.seed = static_cast<std::uint64_t>(*seed);
    std::string error;
    if (!opt.isValid(&error))
        throw UsageError{error};
    const std::string& unit = args.batchUnit;
    const double seqLen = args.seqLen.value_or(2048);
    analysis::Grouping grouping;
    grouping.tolerance = args.ndTolerance.value_or(grouping.tolerance);
    if (!grouping.isValid(&error))
        throw UsageError{"option --nd-tolerance: must be at least 0 and below 1"};

    RunTable table;
    if (!loadRunTable(args.table, &table, &error, args.lossMetric)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    printWarnings(table);
    if (!requireLossMetric(table))
        return kExitBadInput;
    const analysis::LrBsInputs inputs =
        analysis::lrBsInputs(table, grouping, unit == "sequences" ? seqLen : 1.0);
    reportSkipped(inputs);
    const std::vector<fit::LrBsRun>& runs = inputs.runs;
    auto res = fit::fitLrBsSweep(runs, opt);
    if (fit::isUsable(res.status))
        fit::applyDiagnostics(analysis::selectionDiagnostics(table, inputs), &res);
    if (!fit::isUsable(res.status)) {
        std::cerr << "scalelens-cli fit: " << res.message << "\n";
        return kExitBadInput;
    }
    if (args.json) {
        QJsonArray groups;
        for (const auto& g : res.groups) {
            QJsonObject o{{"n", g.n},
                          {"d", g.d},
                          {"runs", g.runs},
                          {"kept", g.kept},
                          {"best_lr", g.bestLr},
                          {"best_batch_tokens", g.bestBatchTokens},
                          {"best_loss", g.bestLoss},
                          {"quadratic_ok", g.quadraticOk}};
            if (g.quadraticOk) {
                o["quadratic_lr"] = g.quadLr;
                o["quadratic_batch_tokens"] = g.quadBatchTokens;
                o["quadratic_loss"] = g.quadLoss;
            } else {
                o["quadratic_message"] = QString::fromStdString(g.quadraticMessage);
            }
            groups.append(o);
        }
        printJson(QJsonObject{
            {"law", "lr-bs"},
            {"status", QString::fromUtf8(fit::toString(res.status).data())},
            {"message", QString::fromStdString(res.message)},
            {"diagnostics", data::diagnosticsToJson(res.diagnostics)},
            {"n_runs", static_cast<int>(runs.size())},
            {"runs_used", res.runsUsed},
            {"bootstrap_resamples", res.bootstrapSamples},
            {"lr", QJsonObject{{"formula", "lr = exp(intercept) * N^coef_n * D^coef_d"},
                               {"constant", std::exp(res.lr.intercept.value)},
                               {"intercept", coefficientJson(res.lr.intercept)},
                               {"coef_n", coefficientJson(res.lr.coefN)},
                               {"coef_d", coefficientJson(res.lr.coefD)},
                               {"r2_log", res.lr.r2}}},
            {"batch", QJsonObject{{"formula", "batch_tokens = exp(intercept) * D^coef_d"},
                                  {"constant", std::exp(res.batch.intercept.value)},
                                  {"intercept", coefficientJson(res.batch.intercept)},
                                  {"coef_d", coefficientJson(res.batch.coefD)},
                                  {"r2_log", res.batch.r2}}},
            {"groups", groups},
            {"citation", "Li et al. 2025, Predictable Scale Part I (Step Law), arXiv 2503.04715"},
        });
        return fitExitCode(res.status, res.message, args.allowUnreliable);
    }
    std::printf("%s\n", res.message.c_str());
    std::printf("lr          = %.4g * N^%.4f * D^%.4f\n", std::exp(res.lr.intercept.value),
                res.lr.coefN.value, res.lr.coefD.value);
    std::printf("batch (tok) = %.4g * D^%.4f\n", std::exp(res.batch.intercept.value),
                res.batch.coefD.value);
    if (res.bootstrapSamples > 0) {
        std::printf(
            "bootstrap %d: coef_n CI [%.4f, %.4f], coef_d CI [%.4f, %.4f], batch coef_d "
            "CI [%.4f, %.4f]\n",
            res.bootstrapSamples, res.lr.coefN.ciLow(), res.lr.coefN.ciHigh(), res.lr.coefD.ciLow(),
            res.lr.coefD.ciHigh(), res.batch.coefD.ciLow(), res.batch.coefD.ciHigh());
    }
    std::printf("R2(log): lr %.4f   batch %.4f   (N, D) groups %zu\n", res.lr.r2, res.batch.r2,
                res.groups.size());
    // Per (N, D) group that swept LR or batch: its best run and its quadratic optimum.
    for (const auto& g : res.groups) {
        if (g.runs < 2)
            continue;
        std::printf("  N %.4g D %.4g: %d runs, best lr %.4g batch %.4g (L %.4f); ", g.n, g.d,
                    g.runs, g.bestLr, g.bestBatchTokens, g.bestLoss);
        if (g.quadraticOk)
            std::printf("quadratic optimum lr %.4g batch %.4g (L %.4f)\n", g.quadLr,
                        g.quadBatchTokens, g.quadLoss);
        else
            std::printf("no quadratic optimum: %s\n", g.quadraticMessage.c_str());
    }
    printDiagnostics(res.diagnostics);
    return fitExitCode(res.status, res.message, args.allowUnreliable);
}

// ---- knowledge ---------------------------------------------------------------------------

const char* const kKnowledgeFitDescription =
    "Bits of knowledge per parameter across models (Allen-Zhu & Li 2024, arXiv 2404.05405):\n"
    "through-origin fit bits = R * P with a bootstrap CI.\n"
    "Columns (one row per model): params (P, excluding unused embeddings) and either a 'bits'\n"
    "(or 'knowledge_bits') metric, or bioS losses: 'people' (N), 'p1' (name loss) and 'p2'\n"
    "(value loss), summed nats per person; bits = N log2(N0/e^p1) + N log2(S0/e^p2).";

struct KnowledgeFitArgs {
    TableOptions table;
    std::optional<long long> bootstrap;
    bool allowUnreliable = false;
    bool json = false;
};

int runFitKnowledge(const KnowledgeFitArgs& args) {
    fit::KnowledgeFitOptions opt;
    opt.bootstrapSamples = static_cast<int>(args.bootstrap.value_or(2000));
    std::string error;
    if (!opt.isValid(&error))
        throw UsageError{error};
    RunTable table;
    if (!loadRunTable(args.table, &table, &error)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    printWarnings(table);
    const analysis::KnowledgeInputs inputs = analysis::knowledgeInputs(table);
    reportSkipped(inputs);
    const std::vector<fit::KnowledgePoint>& points = inputs.points;
    const std::vector<std::string>& names = inputs.names;
    if (points.empty()) {
        std::cerr << "scalelens-cli fit: no run has params and bits (or knowledge_bits, or "
                     "people, p1, p2)\n";
        return kExitBadInput;
    }
    auto res = fit::fitBitsPerParameter(points, opt);
    if (fit::isUsable(res.status))
        fit::applyDiagnostics(analysis::selectionDiagnostics(table, inputs), &res);
    if (!fit::isUsable(res.status)) {
        std::cerr << "scalelens-cli fit: " << res.message << "\n";
        return kExitBadInput;
    }
    if (args.json) {
        QJsonArray models;
        for (std::size_t i = 0; i < points.size(); ++i)
            models.append(QJsonObject{{"run", QString::fromStdString(names[i])},
                                      {"params", points[i].params},
                                      {"bits", points[i].bits},
                                      {"bits_per_param", res.ratios[i]}});
        printJson(QJsonObject{
            {"law", "knowledge"},
            {"status", QString::fromUtf8(fit::toString(res.status).data())},
            {"message", QString::fromStdString(res.message)},
            {"diagnostics", data::diagnosticsToJson(res.diagnostics)},
            {"bits_per_param", res.bitsPerParam.value},
            {"stderr", res.bitsPerParam.sd()},
            {"ci", QJsonArray{res.bitsPerParam.ciLow(), res.bitsPerParam.ciHigh()}},
            {"max_ratio", res.maxRatio},
            {"bootstrap_resamples", res.bootstrapSamples},
            {"models", models},
            {"citation", "Allen-Zhu & Li 2024, Physics of LMs 3.3, arXiv 2404.05405"},
        });
        return fitExitCode(res.status, res.message, args.allowUnreliable);
    }
    std::printf("%s\n", res.message.c_str());
    if (res.bootstrapSamples > 0)
        std::printf("bits per parameter: %.4g  SE %.4g  95%% CI [%.4g, %.4g] (%d resamples)\n",
                    res.bitsPerParam.value, res.bitsPerParam.sd(), res.bitsPerParam.ciLow(),
                    res.bitsPerParam.ciHigh(), res.bootstrapSamples);
    else
        std::printf("bits per parameter: %.4g (no bootstrap)\n", res.bitsPerParam.value);
    std::printf("peak ratio %.4g\n", res.maxRatio);
    for (std::size_t i = 0; i < points.size(); ++i)
        std::printf("  %-24s P %-10.4g bits %-10.4g ratio %.4g\n", printable(names[i]).c_str(),
                    points[i].params, points[i].bits, res.ratios[i]);
    printDiagnostics(res.diagnostics);
    return fitExitCode(res.status, res.message, args.allowUnreliable);
}

RunFn declareFitLrBs(CLI::App& app, const std::vector<std::string>&) {
    app.description(kLrBsDescription);
    auto o = std::make_shared<LrBsArgs>();
    addTableOptions(app, o->table);
    app.add_option("--loss-metric", o->lossMetric,
                   "Metric holding the final loss (default: the project's choice, else the first "
                   "of val_loss, eval/loss, loss, ...)");
    addNumber(app, "--nd-tolerance", o->ndTolerance,
              "N and D values within T (relative) of the previous one are one (N, D) group "
              "(default 0.05)",
              Rule::NonNegative);
    app.add_option("--batch-unit", o->batchUnit,
                   "tokens (default) or sequences: the unit of the batch column")
        ->check(CLI::IsMember({"tokens", "sequences"}));
    addNumber(app, "--seq-len", o->seqLen,
              "Tokens per sequence for --batch-unit sequences (default 2048)", Rule::Positive);
    addNumber(app, "--tolerance", o->tolerance, "Near-optimal band (default 0.0025)",
              Rule::NonNegative);
    addFlag(app, "--argmin", o->argmin, "Use only the best run of each group");
    addInteger(app, "--bootstrap", o->bootstrap, "Resamples (default 1000; 0 = plain OLS)",
               Rule::NonNegative);
    addInteger(app, "--seed", o->seed, "Bootstrap seed", Rule::NonNegative);
    addNumber(app, "--quadratic-window", o->quadraticWindow,
              "Per-group quadratic optimum over runs within W of the best loss (default 0.005)",
              Rule::Positive);
    addAllowUnreliable(app, o->allowUnreliable);
    addJsonOption(app, o->json);
    return [o] { return runFitLrBs(*o); };
}

RunFn declareFitKnowledge(CLI::App& app, const std::vector<std::string>&) {
    app.description(kKnowledgeFitDescription);
    auto o = std::make_shared<KnowledgeFitArgs>();
    addTableOptions(app, o->table);
    addInteger(app, "--bootstrap", o->bootstrap, "Resamples (default 2000)", Rule::NonNegative);
    addAllowUnreliable(app, o->allowUnreliable);
    addJsonOption(app, o->json);
    return [o] { return runFitKnowledge(*o); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(lr_bs, "lr-bs", "Optimal LR and batch from an LR x batch sweep (Step Law)",
                      declareFitLrBs);
SCALELENS_CLI_FIT_LAW(knowledge, "knowledge", "Knowledge bits per parameter (Allen-Zhu & Li 2024)",
                      declareFitKnowledge);

}  // namespace scalelens::cli::efficiency
