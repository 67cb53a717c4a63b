// `scalelens-cli fit --law average-param`: L = E + A/N̄^α + B/D^β (Jin et al. 2025) beside the
// same fit with the final parameter count, plus the engine JSON helpers.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <datasets/fit_json.h>
#include <fitting/avgparam.h>
#include <fitting/avgparam_fit.h>

#include <analysis/selection_diagnostics.h>
#include <fitting/diagnostics.h>

#include "cmd_fit_efficiency.h"

namespace scalelens::cli::efficiency {

QJsonObject estimatesToJson(const std::vector<fit::Estimate>& estimates) {
    QJsonObject out;
    for (const auto& e : estimates) {
        QJsonObject o{{"value", e.value}};
        o["stderr"] = e.stdError ? QJsonValue(*e.stdError) : QJsonValue();
        o["ci95"] = e.ci95 ? QJsonValue(QJsonArray{e.ci95->lower, e.ci95->upper}) : QJsonValue();
        out[QString::fromStdString(e.name)] = o;
    }
    return out;
}

QJsonObject fitResultJson(const fit::FitResult& r) {
    const auto& d = r.goodness;
    return QJsonObject{
        {"status", QString::fromUtf8(fit::toString(r.status).data())},
        {"message", QString::fromStdString(r.message)},
        {"diagnostics", data::diagnosticsToJson(r.diagnostics)},
        {"params", estimatesToJson(r.params)},
        {"objective", r.objective},
        {"bootstrap_resamples", r.bootstrapResamples},
        {"diagnostics", QJsonObject{{"n_points", d.nPoints},
                                    {"rmse_log", d.rmseLog},
                                    {"r2_log", d.r2Log},
                                    {"rmse_linear", d.rmseLinear},
                                    {"r2_linear", d.r2Linear},
                                    {"aic", d.aic},
                                    {"bic", d.bic}}},
    };
}

fit::FitOptions engineOptions(const EngineArgs& args) {
    fit::FitOptions o;
    if (const auto& loss = args.loss) {
        const auto kind = fit::lossKindFromString(*loss);
        if (!kind)
            throw UsageError{"--loss must be huber, ols or mle (got '" + *loss + "')"};
        o.loss = *kind;
    }
    if (const auto& delta = args.delta)
        o.huberDelta = *delta;
    if (const auto& b = args.bootstrap) {
        o.runBootstrap = *b > 0;
        if (*b > 0)
            o.bootstrapResamples = static_cast<int>(*b);
    }
    std::string error;
    if (!o.isValid(&error))
        throw UsageError{error};
    return o;
}

namespace {

const char* const kDescription =
    "Average-parameter-count law (Jin et al. 2025, arXiv 2501.12486): fits\n"
    "L = E + A/Nbar^alpha + B/D^beta with the Chinchilla engine, and the same form with the\n"
    "final non-zero parameter count, so you see whether sparse and dense runs share one curve.\n"
    "Columns (one row per run): params (dense N, prunable/linear parameters), tokens (D), the\n"
    "final loss metric, and for sparse runs either an 'avg_params' metric (Nbar), or a\n"
    "sparsity_schedule JSON {\"kind\":\"geometric|cubic|linear\",\"prune_start\":0.25,\n"
    "\"prune_end\":0.75,\"final_sparsity\":0.6} in fractions of training compute. The final\n"
    "count is params*(1 - final_sparsity) (metric 'final_sparsity' or the schedule's). Dense\n"
    "runs (no schedule, no sparsity) have Nbar = final N = params.\n"
    "A run may instead log its non-zero parameter count over training as a metric curve\n"
    "(long CSV or project): N-bar is then its average over steps, or over tokens when the\n"
    "curve has a tokens axis (token-weighted, for changing batch sizes), and the final N is\n"
    "its last value.";

struct AverageParamArgs {
    TableOptions table;
    EngineArgs engine;
    std::string lossMetric;  // "": the project's choice (analysis/loss_metric.h)
    std::string paramsMetric = analysis::kDefaultParamsMetric;
    bool allowUnreliable = false;
    bool json = false;
};

int runFitAverageParam(const AverageParamArgs& args) {
    const fit::FitOptions opt = engineOptions(args.engine);
    const std::string& paramsMetric = args.paramsMetric;
    RunTable table;
    std::string error;
    if (!loadRunTable(args.table, &table, &error, args.lossMetric, {paramsMetric})) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table.warnings)
        std::cerr << "warning: " << w << "\n";
    if (!requireLossMetric(table))
        return kExitBadInput;
    analysis::AvgParamInputs inputs;
    if (!analysis::avgParamInputs(table, paramsMetric, &inputs, &error)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    reportSkipped(inputs);
    const std::vector<fit::AvgParamRun>& runs = inputs.runs;
    QJsonArray perRun;
    for (std::size_t i = 0; i < runs.size(); ++i)
        perRun.append(QJsonObject{{"run", QString::fromStdString(runs[i].runId)},
                                  {"n_dense", inputs.nDense[i]},
                                  {"n_avg", runs[i].nAverage},
                                  {"n_final", runs[i].nFinal},
                                  {"final_sparsity", inputs.finalSparsity[i]},
                                  {"n_avg_source", QString::fromStdString(inputs.nAvgSource[i])},
                                  {"tokens", runs[i].tokens},
                                  {"loss", runs[i].loss}});
    auto res = fit::fitAverageParamLaw(runs, opt);
    if (fit::isUsable(res.status))
        fit::applyDiagnostics(analysis::selectionDiagnostics(table, inputs), &res);
    if (!fit::isUsable(res.status)) {
        std::cerr << "scalelens-cli fit: " << res.message << "\n";
        return kExitBadInput;
    }
    if (args.json) {
        printJson(QJsonObject{
            {"law", "average-param"},
            {"status", QString::fromUtf8(fit::toString(res.status).data())},
            {"message", QString::fromStdString(res.message)},
            {"diagnostics", data::diagnosticsToJson(res.diagnostics)},
            {"n_runs", res.runs},
            {"loss_metric", QString::fromStdString(inputs.lossMetric)},
            {"sparse_runs", res.sparseRuns},
            {"average", fitResultJson(res.average)},
            {"final", fitResultJson(res.final)},
            {"runs", perRun},
            {"citation", "Jin et al. 2025, The Journey Matters, ICLR 2025, arXiv 2501.12486"},
        });
        return fitExitCode(res.status, res.message, args.allowUnreliable);
    }
    std::printf("%s\n", res.message.c_str());
    for (const auto* f : {&res.average, &res.final}) {
        std::printf(
            "%-8s E=%.4g A=%.4g B=%.4g alpha=%.4g beta=%.4g  objective %.4g  "
            "RMSE(log) %.4g\n",
            f == &res.average ? "N-bar" : "final N", f->value("E"), f->value("A"), f->value("B"),
            f->value("alpha"), f->value("beta"), f->objective, f->goodness.rmseLog);
    }
    printDiagnostics(res.diagnostics);
    return fitExitCode(res.status, res.message, args.allowUnreliable);
}

RunFn declareFitAverageParam(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<AverageParamArgs>();
    addTableOptions(app, o->table);
    app.add_option("--loss-metric", o->lossMetric,
                   "Metric holding the final loss (default: the project's choice, else the first "
                   "of val_loss, eval/loss, loss, ...)");
    app.add_option("--params-metric", o->paramsMetric,
                   "Metric curve of non-zero parameters (default: nonzero_params)");
    addEngineOptions(app, o->engine, false);
    addAllowUnreliable(app, o->allowUnreliable);
    addJsonOption(app, o->json);
    return [o] { return runFitAverageParam(*o); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(average_param, "average-param",
                      "Average-parameter-count law for sparse and dense runs (Jin et al. 2025)",
                      declareFitAverageParam);

}  // namespace scalelens::cli::efficiency
