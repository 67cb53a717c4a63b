// `scalelens-cli fit --law lr-bs | knowledge` and the loaders shared by the efficiency laws.
#include "cmd_fit_efficiency.h"

#include <QJsonDocument>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <datasets/import.h>
#include <datasets/project.h>
#include <fitting/hparams_fit.h>
#include <fitting/knowledge.h>

namespace scalelens::cli::efficiency {

const char* const kTableUsage =
    "Input (one of):\n"
    "  --input FILE       CSV, one row per run (summary format; --format NAME to override)\n"
    "  --project FILE     a ScaleLens project; the final value of each metric is used\n"
    "  --group NAME       only runs of this group (sweep)\n"
    "  --map KEY=COLUMN   column mapping override, repeatable (keys as in `import --help`)\n"
    "  --json             one JSON document on stdout\n";

bool loadRunTable(const ArgParser& args, RunTable* table, std::string* error,
                  const std::set<std::string>& wantSeries) {
    const auto input = args.value("input");
    const auto projectPath = args.value("project");
    if (input.has_value() == projectPath.has_value())
        throw UsageError{"give exactly one of --input CSV or --project FILE"};
    analysis::Selection selection;
    selection.group = args.value("group");
    selection.lossMetric = args.value("loss-metric").value_or("");
    if (input) {
        data::ImportConfig cfg;
        cfg.format = data::ImportFormat::Summary;
        if (const auto f = args.value("format")) {
            const auto fmt = data::importFormatFromString(*f);
            if (!fmt)
                throw UsageError{"unknown --format '" + *f + "'"};
            cfg.format = *fmt;
        }
        for (const auto& m : args.values("map")) {
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
    if (!args.values("map").empty() || args.value("format"))
        throw UsageError{"--map and --format apply to --input only"};
    auto project = data::Project::open(*projectPath, error);
    if (!project)
        return false;
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
}

void printJson(const QJsonObject& root) {
    std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

namespace {

std::set<std::string> withTable(std::set<std::string> own) {
    own.insert(kTableValueOptions.begin(), kTableValueOptions.end());
    return own;
}

std::set<std::string> tableFlags(std::set<std::string> own) {
    own.insert(kTableFlags.begin(), kTableFlags.end());
    return own;
}

void printWarnings(const RunTable& t) {
    for (const auto& w : t.warnings)
        std::cerr << "warning: " << w << "\n";
}

QJsonObject coefficientJson(const fit::Coefficient& c) {
    return QJsonObject{{"value", c.value}, {"stderr", c.sd}, {"ci", QJsonArray{c.ciLow, c.ciHigh}}};
}

// ---- lr-bs -----------------------------------------------------------------------------

const char* const kLrBsUsage =
    "Usage: scalelens-cli fit --law lr-bs (--input CSV | --project FILE) [options]\n"
    "\n"
    "Optimal LR and batch laws from an LR x batch sweep, Step Law procedure (Li et al. 2025,\n"
    "arXiv 2503.04715): per (N, D) group keep runs within 0.25% of the best final loss, then\n"
    "OLS ln lr ~ ln N + ln D and ln batch_tokens ~ ln D, bootstrap mean and CIs.\n"
    "Columns (one row per run): params or non_embedding_params (N; non-embedding preferred),\n"
    "tokens (D), lr (peak LR), batch_tokens (or batch_sequences with seq_len), and the final\n"
    "(smoothed) loss metric.\n"
    "  --loss-metric NAME   metric holding the final loss (default: the project's choice, else\n"
    "                       val_loss, eval/loss, loss, ... in that order)\n"
    "  --batch-unit U       tokens (default) or sequences: the batch column is in sequences\n"
    "  --seq-len S          tokens per sequence for --batch-unit sequences (default 2048)\n"
    "  --tolerance T        near-optimal band (default 0.0025)\n"
    "  --argmin             use only the best run of each group\n"
    "  --bootstrap N        resamples (default 1000; 0 = plain OLS)\n"
    "  --seed S             bootstrap seed\n"
    "  --quadratic-window W per-group quadratic optimum over runs within W of the best loss\n"
    "                       (default 0.005)\n"
    "  --nd-tolerance T     N and D values within T (relative) are one (N, D) group\n"
    "                       (default 0.05, i.e. 5%)\n";

int runFitLrBs(const std::vector<std::string>& argv) {
    ArgParser args(argv,
                   withTable({"loss-metric", "batch-unit", "seq-len", "tolerance", "bootstrap",
                              "seed", "quadratic-window", "nd-tolerance"}),
                   tableFlags({"argmin"}));
    if (args.flag("help")) {
        std::cout << kLrBsUsage << kTableUsage;
        return kExitOk;
    }
    fit::LrBsFitOptions opt;
    opt.nearOptimalTolerance = args.number("tolerance").value_or(opt.nearOptimalTolerance);
    opt.argminOnly = args.flag("argmin");
    opt.quadraticWindow = args.number("quadratic-window").value_or(opt.quadraticWindow);
    opt.bootstrapSamples = static_cast<int>(args.integer("bootstrap").value_or(1000));
    if (const auto seed = args.integer("seed"))
        opt.seed = static_cast<std::uint64_t>(*seed);
    std::string error;
    if (!opt.isValid(&error))
        throw UsageError{error};
    const std::string unit = args.value("batch-unit").value_or("tokens");
    if (unit != "tokens" && unit != "sequences")
        throw UsageError{"--batch-unit must be tokens or sequences"};
    const double seqLen = args.number("seq-len").value_or(2048);
    if (!(seqLen > 0))
        throw UsageError{"--seq-len must be > 0"};
    analysis::Grouping grouping;
    grouping.tolerance = args.number("nd-tolerance").value_or(grouping.tolerance);
    if (!grouping.isValid(&error))
        throw UsageError{"option --nd-tolerance: must be at least 0 and below 1"};

    RunTable table;
    if (!loadRunTable(args, &table, &error)) {
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
    const auto res = fit::fitLrBsSweep(runs, opt);
    if (!fit::isUsable(res.status)) {
        std::cerr << "scalelens-cli fit: " << res.message << "\n";
        return kExitBadInput;
    }
    if (args.flag("json")) {
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
            {"n_runs", static_cast<int>(runs.size())},
            {"runs_used", res.runsUsed},
            {"bootstrap_resamples", res.bootstrapSamples},
            {"lr", QJsonObject{{"formula", "lr = exp(intercept) * N^coef_n * D^coef_d"},
                               {"constant", std::exp(res.lr.intercept.value)},
                               {"intercept", coefficientJson(res.lr.intercept)},
                               {"coef_n", coefficientJson(res.lr.coefN)},
                               {"coef_d", coefficientJson(res.lr.coefD)},
                               {"r2_log", res.lr.rSquared}}},
            {"batch", QJsonObject{{"formula", "batch_tokens = exp(intercept) * D^coef_d"},
                                  {"constant", std::exp(res.batch.intercept.value)},
                                  {"intercept", coefficientJson(res.batch.intercept)},
                                  {"coef_d", coefficientJson(res.batch.coefD)},
                                  {"r2_log", res.batch.rSquared}}},
            {"groups", groups},
            {"citation", "Li et al. 2025, Predictable Scale Part I (Step Law), arXiv 2503.04715"},
        });
        return kExitOk;
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
            res.bootstrapSamples, res.lr.coefN.ciLow, res.lr.coefN.ciHigh, res.lr.coefD.ciLow,
            res.lr.coefD.ciHigh, res.batch.coefD.ciLow, res.batch.coefD.ciHigh);
    }
    return kExitOk;
}

// ---- knowledge ---------------------------------------------------------------------------

const char* const kKnowledgeFitUsage =
    "Usage: scalelens-cli fit --law knowledge (--input CSV | --project FILE) [options]\n"
    "\n"
    "Bits of knowledge per parameter across models (Allen-Zhu & Li 2024, arXiv 2404.05405):\n"
    "through-origin fit bits = R * P with a bootstrap CI.\n"
    "Columns (one row per model): params (P, excluding unused embeddings) and either a 'bits'\n"
    "(or 'knowledge_bits') metric, or bioS losses: 'people' (N), 'p1' (name loss) and 'p2' (value "
    "loss), summed\n"
    "nats per person; bits = N log2(N0/e^p1) + N log2(S0/e^p2).\n"
    "  --bootstrap N   resamples (default 2000)\n";

int runFitKnowledge(const std::vector<std::string>& argv) {
    ArgParser args(argv, withTable({"bootstrap"}), tableFlags({}));
    if (args.flag("help")) {
        std::cout << kKnowledgeFitUsage << kTableUsage;
        return kExitOk;
    }
    fit::KnowledgeFitOptions opt;
    opt.bootstrapSamples = static_cast<int>(args.integer("bootstrap").value_or(2000));
    std::string error;
    if (!opt.isValid(&error))
        throw UsageError{error};
    RunTable table;
    if (!loadRunTable(args, &table, &error)) {
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
    const auto res = fit::fitBitsPerParameter(points, opt);
    if (!fit::isUsable(res.status)) {
        std::cerr << "scalelens-cli fit: " << res.message << "\n";
        return kExitBadInput;
    }
    if (args.flag("json")) {
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
            {"bits_per_param", res.bitsPerParam},
            {"stderr", res.standardError},
            {"ci", QJsonArray{res.ciLow, res.ciHigh}},
            {"max_ratio", res.maxRatio},
            {"bootstrap_resamples", res.bootstrapSamples},
            {"models", models},
            {"citation", "Allen-Zhu & Li 2024, Physics of LMs 3.3, arXiv 2404.05405"},
        });
        return kExitOk;
    }
    std::printf("%s\nbits per parameter: %.4g (CI [%.4g, %.4g]); peak ratio %.4g\n",
                res.message.c_str(), res.bitsPerParam, res.ciLow, res.ciHigh, res.maxRatio);
    return kExitOk;
}

}  // namespace

SCALELENS_CLI_FIT_LAW(lr_bs, "lr-bs", "Optimal LR and batch from an LR x batch sweep (Step Law)",
                      runFitLrBs);
SCALELENS_CLI_FIT_LAW(knowledge, "knowledge", "Knowledge bits per parameter (Allen-Zhu & Li 2024)",
                      runFitKnowledge);

}  // namespace scalelens::cli::efficiency
