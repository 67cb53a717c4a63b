// `scalelens-cli fit --law densing`: capability density and its doubling time
// (Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315).
#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>
#include <iostream>
#include <regex>

#include <datasets/fit_json.h>
#include <fitting/densing.h>
#include <fitting/densing_direct.h>
#include <fitting/diagnostics.h>

#include <analysis/selection_diagnostics.h>

#include "cmd_fit_efficiency.h"

namespace scalelens::cli::efficiency {
namespace {

const char* const kDescription =
    "Capability density rho = N_eff / N of each model and the trend ln rho_max = A t + B over\n"
    "release dates (t = days since 2023-02-24, running-maximum envelope), doubling ln2/A.\n"
    "Columns (one row per model): params (N), release_date (YYYY-MM-DD), a benchmark score\n"
    "column (e.g. mmlu; default: the benchmark scored for the most models); for --two-step\n"
    "also tokens (D) and a loss metric.\n"
    "Direct mode (the default): fit score vs ln N on the models whose name matches\n"
    "  --reference REGEX (default: every model) and invert it for every model (densities are\n"
    "  relative to that family).\n"
    "Two-step mode (--two-step, the paper's Eqs. 2-4): fit L = a N^-alpha + b D^-beta on runs\n"
    "  with N, D and the loss; fit S = c/(1+exp(-gamma(L-l))) + d on runs with a loss and a\n"
    "  score; N_eff = the size reaching S at D0 = 1e12 tokens.";

struct DensingArgs {
    TableOptions table;
    std::string benchmark;
    std::optional<std::string> reference;
    std::string curveKind = "log-linear";
    std::optional<double> floor;
    std::optional<double> ceiling;
    bool twoStep = false;
    std::string lossMetric;  // "": the project's choice (analysis/loss_metric.h)
    std::string params = "total";
    std::optional<std::string> exclude;
    bool allPoints = false;
    std::optional<long long> bootstrap;
    bool allowUnreliable = false;
    bool json = false;
};

// Diagnostics of one stage of the pipeline, each message prefixed with the stage's name.
void addStage(const std::string& stage, const std::vector<fit::Diagnostic>& found,
              std::vector<fit::Diagnostic>* out) {
    for (fit::Diagnostic d : found) {
        d.message = stage + ": " + d.message;
        out->push_back(std::move(d));
    }
}

QJsonObject trendJson(const fit::DensityTrendFit& t, const std::vector<std::string>& names) {
    QJsonArray envelope;
    for (int i : t.fittedIndices)
        envelope.append(QString::fromStdString(names[static_cast<std::size_t>(i)]));
    return QJsonObject{
        {"status", QString::fromUtf8(fit::toString(t.status).data())},
        {"message", QString::fromStdString(t.message)},
        {"diagnostics", data::diagnosticsToJson(t.diagnostics)},
        {"A_per_day", t.slopeA},
        {"B", t.interceptB},
        {"r2", t.r2},
        {"doubling_days", t.doublingDays > 0 ? QJsonValue(t.doublingDays) : QJsonValue()},
        {"A_ci", QJsonArray{t.slopeCiLow, t.slopeCiHigh}},
        {"doubling_days_ci", QJsonArray{t.doublingCiLow, t.doublingCiHigh}},
        {"bootstrap_resamples", t.bootstrapSamples},
        {"fitted_models", envelope},
    };
}

int runFitDensing(const DensingArgs& args) {
    const bool twoStep = args.twoStep;
    if (twoStep && args.reference)
        throw UsageError{"give at most one of --reference REGEX (direct mode) or --two-step"};
    const std::string& paramsKind = args.params;
    fit::DensityTrendOptions trendOpt;
    trendOpt.envelope = !args.allPoints;
    trendOpt.bootstrapSamples = static_cast<int>(args.bootstrap.value_or(2000));
    std::string error;
    if (!trendOpt.isValid(&error))
        throw UsageError{error};
    analysis::DensingSelection selection;
    selection.benchmark = args.benchmark;
    selection.params = paramsKind == "non-embedding" ? analysis::ParamsKind::NonEmbedding
                       : paramsKind == "active"      ? analysis::ParamsKind::Active
                                                     : analysis::ParamsKind::Total;
    selection.referencePattern = args.reference.value_or("");
    selection.excludePattern = args.exclude.value_or("");

    RunTable table;
    if (!loadRunTable(args.table, &table, &error, args.lossMetric)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table.warnings)
        std::cerr << "warning: " << w << "\n";
    analysis::DensingInputs inputs;
    if (!analysis::densingInputs(table, selection, &inputs, &error)) {
        if (error.rfind("option ", 0) == 0)
            throw UsageError{error};
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    reportSkipped(inputs);
    const std::string& bench = inputs.benchmark;
    const std::vector<fit::DensityModel>& models = inputs.models;

    QJsonObject root{{"law", "densing"},
                     {"benchmark", QString::fromStdString(bench)},
                     {"mode", twoStep ? "two-step" : "direct"},
                     {"params", QString::fromStdString(paramsKind)},
                     {"citation", "Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315"}};
    std::vector<fit::DensityModelResult> perModel;
    fit::DensityTrendFit trend;
    std::vector<fit::Diagnostic> stages;  // every stage's diagnostics, the trend's last
    if (!twoStep) {
        fit::SizeCurveFitOptions curveOpt;
        const std::string& kind = args.curveKind;
        if (kind == "logistic")
            curveOpt.kind = fit::SizeCurveKind::Logistic;
        if (const auto& f = args.floor)
            curveOpt.fixedFloor = *f;
        if (const auto& c = args.ceiling)
            curveOpt.fixedCeiling = *c;
        if (!curveOpt.isValid(&error))
            throw UsageError{error};
        const auto res = fit::analyseDensityDirect(models, curveOpt, trendOpt);
        if (res.curve.status == fit::FitStatus::NotRun || !fit::isUsable(res.curve.status)) {
            std::cerr << "scalelens-cli fit: " << res.message << "\n";
            return kExitBadInput;
        }
        const auto& c = res.curve.curve;
        QJsonObject curve{{"kind", QString::fromStdString(kind)}, {"rmse", res.curve.rmse}};
        if (c.kind == fit::SizeCurveKind::Logistic) {
            curve["c"] = c.c;
            curve["k"] = c.k;
            curve["m"] = c.m;
            curve["d"] = c.d;
        } else {
            curve["p0"] = c.p0;
            curve["p1"] = c.p1;
        }
        QJsonArray refs;
        for (const auto& m : models)
            if (m.reference)
                refs.append(QString::fromStdString(m.name));
        curve["reference_models"] = refs;
        root["size_curve"] = curve;
        perModel = res.models;
        trend = res.trend;
        addStage("size curve", res.curve.diagnostics, &stages);
    } else {
        const analysis::DensingTwoStepResult two = analysis::densingTwoStep(inputs, trendOpt);
        if (!two.ok) {
            std::cerr << "scalelens-cli fit: " << two.message << "\n";
            return kExitBadInput;
        }
        const auto& p1 = two.lossFit.params;
        const auto& p2 = two.scoreFit.params;
        root["loss_metric"] = QString::fromStdString(inputs.lossMetric);
        root["loss_law"] = QJsonObject{{"a", p1.a},
                                       {"alpha", p1.alpha},
                                       {"b", p1.b},
                                       {"beta", p1.beta},
                                       {"rmse", two.lossFit.rmse},
                                       {"n_points", int(inputs.lossPoints.size())}};
        root["score_map"] = QJsonObject{
            {"c", p2.c}, {"gamma", p2.gamma},         {"l", p2.l},
            {"d", p2.d}, {"rmse", two.scoreFit.rmse}, {"n_points", int(inputs.scorePoints.size())}};
        perModel = two.models;
        trend = two.trend;
        addStage("loss law", two.lossFit.diagnostics, &stages);
        addStage("score map", two.scoreFit.diagnostics, &stages);
    }
    // fittedIndices refer to the models that got a density, in order.
    std::vector<std::string> densityNames;
    for (const auto& m : perModel)
        if (m.ok)
            densityNames.push_back(m.name);
    QJsonArray out;
    for (std::size_t i = 0; i < perModel.size(); ++i) {
        const auto& m = perModel[i];
        QJsonObject o{{"model", QString::fromStdString(m.name)},
                      {"n", models[i].n},
                      {"score", models[i].score},
                      {"days", m.days},
                      {"release_date", QString::fromStdString(inputs.releaseDates[i])}};
        if (m.ok) {
            o["n_eff"] = m.nEff;
            o["density"] = m.density;
        } else {
            o["message"] = QString::fromStdString(m.message);
        }
        out.append(o);
    }
    root["models"] = out;
    root["trend"] = trendJson(trend, densityNames);
    // The whole pipeline's status: the trend's, made Unreliable by any stage's diagnostic.
    fit::FitResultBase overall;
    overall.status = trend.status;
    overall.message = trend.message;
    addStage("trend", trend.diagnostics, &stages);
    if (fit::isUsable(trend.status)) {
        for (const fit::Diagnostic& d : analysis::selectionDiagnostics(table, inputs))
            stages.push_back(d);
    }
    fit::applyDiagnostics(stages, &overall);
    root["status"] = QString::fromUtf8(fit::toString(overall.status).data());
    root["message"] = QString::fromStdString(overall.message);
    root["diagnostics"] = data::diagnosticsToJson(overall.diagnostics);
    if (args.json) {
        printJson(root);
        if (!fit::isUsable(trend.status))
            return kExitBadInput;
        return fitExitCode(overall.status, overall.message, args.allowUnreliable);
    }
    std::printf("%-34s %10s %8s %12s %9s\n", "model", "N", "score", "N_eff", "density");
    for (std::size_t i = 0; i < perModel.size(); ++i) {
        const auto& m = perModel[i];
        if (m.ok)
            std::printf("%-34s %10.4g %8.4g %12.4g %9.4g\n", m.name.c_str(), models[i].n,
                        models[i].score, m.nEff, m.density);
        else
            std::printf("%-34s %10.4g %8.4g  (%s)\n", m.name.c_str(), models[i].n, models[i].score,
                        m.message.c_str());
    }
    if (!fit::isUsable(trend.status)) {
        std::cerr << "scalelens-cli fit: trend: " << trend.message << "\n";
        return kExitBadInput;
    }
    std::printf("\n%s\nln(rho_max) = %.5f * t + %.4f   (R^2 %.3f)\n", trend.message.c_str(),
                trend.slopeA, trend.interceptB, trend.r2);
    if (trend.doublingDays > 0)
        std::printf("doubling time %.1f days (%.2f months), bootstrap CI [%.1f, %.1f] days\n",
                    trend.doublingDays, trend.doublingDays / 30.44, trend.doublingCiLow,
                    trend.doublingCiHigh);
    printDiagnostics(overall.diagnostics);
    return fitExitCode(overall.status, overall.message, args.allowUnreliable);
}

RunFn declareFitDensing(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<DensingArgs>();
    addTableOptions(app, o->table);
    app.add_option("--benchmark", o->benchmark,
                   "Evaluation (or metric) holding the score (default: the benchmark scored for "
                   "the most models)");
    const char* const direct = "Direct mode (--reference)";
    const char* const twoStep = "Two-step mode (--two-step)";
    addText(app, "--reference", o->reference,
            "Fit the score-vs-size curve to the models whose name matches this regex (default: "
            "every model)")
        ->group(direct);
    auto* two = addFlag(app, "--two-step", o->twoStep, "The paper's two-step fit (Eqs. 2-4)")
                    ->group(twoStep);
    addCurveKindOption(app, o->curveKind);
    auto* floor = addNumber(app, "--floor", o->floor, "Fixed floor of a logistic curve");
    auto* ceiling = addNumber(app, "--ceiling", o->ceiling, "Fixed ceiling of a logistic curve");
    for (CLI::Option* opt : {app.get_option("--curve-kind"), floor, ceiling})
        opt->group(direct)->excludes(two);
    app.add_option("--loss-metric", o->lossMetric,
                   "Metric holding the loss (default: the project's choice, else the first of "
                   "val_loss, eval/loss, loss, ...)")
        ->group(twoStep)
        ->needs(two);
    app.add_option("--params", o->params,
                   "N of rho = N_eff/N: total (default), non-embedding or active")
        ->check(CLI::IsMember({"total", "non-embedding", "active"}));
    addText(app, "--exclude", o->exclude, "Drop models whose name or notes match this regex");
    addFlag(app, "--all-points", o->allPoints,
            "Fit the trend to every model, not the running-maximum envelope");
    addInteger(app, "--bootstrap", o->bootstrap, "Trend bootstrap resamples (default 2000)",
               Rule::NonNegative);
    addAllowUnreliable(app, o->allowUnreliable);
    addJsonOption(app, o->json);
    return [o] { return runFitDensing(*o); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(densing, "densing",
                      "Capability density and its doubling time (Xiao et al. 2024)",
                      declareFitDensing);

}  // namespace scalelens::cli::efficiency
