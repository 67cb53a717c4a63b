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
    std::string lossMetric = "loss";
    std::string paramsMetric = "nonzero_params";
    bool json = false;
};

struct Schedule {
    bool ok = false;
    double sparsity = 0;
    double density = 1;  // average density
};

Schedule parseSchedule(const std::string& json, std::string* error) {
    Schedule s;
    QJsonParseError pe;
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = "sparsity_schedule is not a JSON object";
        return s;
    }
    const auto o = doc.object();
    fit::ComputeFractionSchedule c;
    const QString kind = o["kind"].toString("geometric");
    if (kind == "geometric")
        c.shape = fit::PruningShape::Geometric;
    else if (kind == "cubic")
        c.shape = fit::PruningShape::Cubic;
    else if (kind == "linear")
        c.shape = fit::PruningShape::Linear;
    else {
        *error = "sparsity_schedule kind must be geometric, cubic or linear";
        return s;
    }
    c.pruneStart = o["prune_start"].toDouble(0.25);
    c.pruneEnd = o["prune_end"].toDouble(0.75);
    c.finalSparsity = o["final_sparsity"].toDouble(-1);
    const auto spec = fit::scheduleFromComputeFractions(c, error);
    if (!spec.isValid(nullptr))
        return s;
    s.ok = true;
    s.sparsity = c.finalSparsity;
    s.density = fit::averageDensity(spec);
    return s;
}

int runFitAverageParam(const AverageParamArgs& args) {
    const fit::FitOptions opt = engineOptions(args.engine);
    const std::string& lossMetric = args.lossMetric;
    const std::string& paramsMetric = args.paramsMetric;
    RunTable table;
    table.wantSeries.insert(paramsMetric);
    std::string error;
    if (!loadRunTable(args.table, &table, &error)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table.warnings)
        std::cerr << "warning: " << w << "\n";
    std::vector<fit::AvgParamRun> runs;
    QJsonArray perRun;
    int skipped = 0;
    for (std::size_t i = 0; i < table.runs.size(); ++i) {
        const auto& r = table.runs[i];
        const auto loss = table.metric(lossMetric, i);
        const auto curves = table.series.find(paramsMetric);
        const bool haveCurve = curves != table.series.end() && i < curves->second.size() &&
                               curves->second[i].size() >= 2;
        // D: the run's tokens field, else the last tokens value of its parameter curve (long
        // CSVs carry tokens per row, not per run).
        std::optional<double> tokens = r.tokens;
        if (!tokens && haveCurve) {
            for (const auto& p : curves->second[i])
                if (std::isfinite(p[1]))
                    tokens = std::max(tokens.value_or(0.0), p[1]);
        }
        if (!tokens || !(*tokens > 0) || !loss) {
            ++skipped;
            continue;
        }
        // A logged parameter-count curve: N-bar is its (token-weighted) average.
        if (haveCurve) {
            const auto& pts = curves->second[i];
            bool haveTokens = true, haveSteps = true;
            for (const auto& p : pts) {
                haveTokens = haveTokens && std::isfinite(p[1]);
                haveSteps = haveSteps && std::isfinite(p[0]);
            }
            if (!haveTokens && !haveSteps) {
                std::cerr << "scalelens-cli fit: run '" << r.name << "': metric '" << paramsMetric
                          << "' has neither steps nor tokens\n";
                return kExitBadInput;
            }
            // Averaging over the tokens axis is the token-weighted average (batch sizes may
            // change); over steps it is the step average (Jin et al. 2025).
            std::vector<fit::ParamCountSample> samples;
            for (const auto& p : pts)
                samples.push_back({haveTokens ? p[1] : p[0], p[2], 0.0});
            const auto avg = fit::averageParamCount(samples);
            if (!avg.ok) {
                std::cerr << "scalelens-cli fit: run '" << r.name << "': " << avg.message << "\n";
                return kExitBadInput;
            }
            const double nFinal = pts.back()[2];
            const double nMax = std::max_element(pts.begin(), pts.end(), [](auto& a, auto& b) {
                                    return a[2] < b[2];
                                })->at(2);
            runs.push_back({r.name, avg.average, nFinal, *tokens, *loss});
            perRun.append(QJsonObject{
                {"run", QString::fromStdString(r.name)},
                {"n_dense", r.totalParams.value_or(nMax)},
                {"n_avg", avg.average},
                {"n_final", nFinal},
                {"final_sparsity", 1 - nFinal / nMax},
                {"n_avg_source", haveTokens ? "curve (token-weighted)" : "curve (step average)"},
                {"tokens", *tokens},
                {"loss", *loss}});
            continue;
        }
        if (!r.totalParams) {
            ++skipped;
            continue;
        }
        const double n = *r.totalParams;
        double sparsity = table.metric("final_sparsity", i).value_or(0);
        std::optional<double> nBar = table.metric("avg_params", i);
        std::string source = nBar ? "avg_params column" : "dense";
        if (!r.sparsitySchedule.empty()) {
            const Schedule s = parseSchedule(r.sparsitySchedule, &error);
            if (!s.ok) {
                std::cerr << "scalelens-cli fit: run '" << r.name << "': " << error << "\n";
                return kExitBadInput;
            }
            sparsity = s.sparsity;
            if (!nBar) {
                nBar = n * s.density;
                source = "schedule";
            }
        }
        if (!nBar)
            nBar = n * (sparsity > 0 ? 1 - sparsity : 1);  // no schedule: treat as sparse from
                                                           // the start (N-bar = final N)
        const double nFinal = n * (1 - sparsity);
        runs.push_back({r.name, *nBar, nFinal, *tokens, *loss});
        perRun.append(QJsonObject{{"run", QString::fromStdString(r.name)},
                                  {"n_dense", n},
                                  {"n_avg", *nBar},
                                  {"n_final", nFinal},
                                  {"final_sparsity", sparsity},
                                  {"n_avg_source", QString::fromStdString(source)},
                                  {"tokens", *tokens},
                                  {"loss", *loss}});
    }
    if (skipped)
        std::cerr << "warning: " << skipped << " runs lack params, tokens or '" << lossMetric
                  << "'; skipped\n";
    const auto res = fit::fitAverageParamLaw(runs, opt);
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
            {"sparse_runs", res.sparseRuns},
            {"average", fitResultJson(res.average)},
            {"final", fitResultJson(res.final)},
            {"runs", perRun},
            {"citation", "Jin et al. 2025, The Journey Matters, ICLR 2025, arXiv 2501.12486"},
        });
        return kExitOk;
    }
    std::printf("%s\n", res.message.c_str());
    for (const auto* f : {&res.average, &res.final}) {
        std::printf(
            "%-8s E=%.4g A=%.4g B=%.4g alpha=%.4g beta=%.4g  objective %.4g  "
            "RMSE(log) %.4g\n",
            f == &res.average ? "N-bar" : "final N", f->value("E"), f->value("A"), f->value("B"),
            f->value("alpha"), f->value("beta"), f->objective, f->goodness.rmseLog);
    }
    return kExitOk;
}

RunFn declareFitAverageParam(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<AverageParamArgs>();
    addTableOptions(app, o->table);
    app.add_option("--loss-metric", o->lossMetric, "Metric holding the final loss (default: loss)");
    app.add_option("--params-metric", o->paramsMetric,
                   "Metric curve of non-zero parameters (default: nonzero_params)");
    addEngineOptions(app, o->engine, false);
    addJsonOption(app, o->json);
    return [o] { return runFitAverageParam(*o); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(average_param, "average-param",
                      "Average-parameter-count law for sparse and dense runs (Jin et al. 2025)",
                      declareFitAverageParam);

}  // namespace scalelens::cli::efficiency
