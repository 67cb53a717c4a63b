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

#include "cmd_fit_efficiency.h"

namespace scalelens::cli::efficiency {
namespace {

const char* const kDescription =
    "Capability density rho = N_eff / N of each model and the trend ln rho_max = A t + B over\n"
    "release dates (t = days since 2023-02-24, running-maximum envelope), doubling ln2/A.\n"
    "Columns (one row per model): params (N), release_date (YYYY-MM-DD), a benchmark score\n"
    "column (e.g. mmlu); for --two-step also tokens (D) and a loss metric.\n"
    "Direct mode (--reference): fit score vs ln N on the models whose name matches REGEX and\n"
    "  invert it for every model (densities are relative to that family).\n"
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
    std::string lossMetric = "loss";
    std::string params = "total";
    std::optional<std::string> exclude;
    bool allPoints = false;
    std::optional<long long> bootstrap;
    bool json = false;
};

std::optional<double> paramsOf(const data::Run& r, const std::string& kind) {
    if (kind == "non-embedding")
        return r.nonEmbeddingParams;
    if (kind == "active")
        return r.activeParams ? r.activeParams : r.totalParams;
    return r.totalParams;
}

std::optional<double> scoreOf(const RunTable& t, const std::string& bench, std::size_t i) {
    if (auto s = t.evaluation(bench, i))
        return s;
    return t.metric(bench, i);
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
    const std::string& bench = args.benchmark;
    const bool twoStep = args.twoStep;
    if (twoStep == args.reference.has_value())
        throw UsageError{"give exactly one of --reference REGEX (direct mode) or --two-step"};
    const std::string& paramsKind = args.params;
    fit::DensityTrendOptions trendOpt;
    trendOpt.envelope = !args.allPoints;
    trendOpt.bootstrapSamples = static_cast<int>(args.bootstrap.value_or(2000));
    std::string error;
    if (!trendOpt.isValid(&error))
        throw UsageError{error};
    std::optional<std::regex> reference, exclude;
    try {
        if (const auto& r = args.reference)
            reference.emplace(*r);
        if (const auto& e = args.exclude)
            exclude.emplace(*e);
    } catch (const std::regex_error& e) {
        throw UsageError{std::string("invalid regular expression: ") + e.what()};
    }

    RunTable table;
    if (!loadRunTable(args.table, &table, &error)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table.warnings)
        std::cerr << "warning: " << w << "\n";

    // Models that can get a density: N, score and release date.
    std::vector<std::size_t> rows;
    std::vector<std::string> names;
    std::vector<fit::DensityModel> models;
    int skipped = 0;
    for (std::size_t i = 0; i < table.runs.size(); ++i) {
        const auto& r = table.runs[i];
        if (exclude &&
            (std::regex_search(r.name, *exclude) || std::regex_search(r.notes, *exclude)))
            continue;
        const auto n = paramsOf(r, paramsKind);
        const auto s = scoreOf(table, bench, i);
        const auto days = fit::daysSinceLlama1(r.releaseDate);
        if (!n || !s || !days) {
            ++skipped;
            continue;
        }
        rows.push_back(i);
        names.push_back(r.name);
        models.push_back(
            {r.name, *n, *s, *days, reference ? std::regex_search(r.name, *reference) : false});
    }
    if (skipped)
        std::cerr << "warning: " << skipped << " models lack " << paramsKind << " params, a '"
                  << bench << "' score or a release date; skipped\n";

    QJsonObject root{{"law", "densing"},
                     {"benchmark", QString::fromStdString(bench)},
                     {"mode", twoStep ? "two-step" : "direct"},
                     {"params", QString::fromStdString(paramsKind)},
                     {"citation", "Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315"}};
    std::vector<fit::DensityModelResult> perModel;
    fit::DensityTrendFit trend;
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
    } else {
        const std::string& lossMetric = args.lossMetric;
        std::vector<fit::DensingLossPoint> lossPts;
        std::vector<fit::DensingScorePoint> scorePts;
        for (std::size_t i = 0; i < table.runs.size(); ++i) {
            const auto& r = table.runs[i];
            const auto loss = table.metric(lossMetric, i);
            const auto s = scoreOf(table, bench, i);
            if (r.totalParams && r.tokens && loss)
                lossPts.push_back({*r.totalParams, *r.tokens, *loss});
            if (loss && s)
                scorePts.push_back({*loss, *s});
        }
        const auto f1 = fit::fitDensingLoss(lossPts);
        if (!fit::isUsable(f1.status)) {
            std::cerr << "scalelens-cli fit: loss law: " << f1.message << "\n";
            return kExitBadInput;
        }
        const auto f2 = fit::fitDensingScore(scorePts);
        if (!fit::isUsable(f2.status)) {
            std::cerr << "scalelens-cli fit: score map: " << f2.message << "\n";
            return kExitBadInput;
        }
        const fit::DensingParams p{f1.params, f2.params, fit::kDensingD0};
        root["loss_law"] = QJsonObject{{"a", p.loss.a},   {"alpha", p.loss.alpha},
                                       {"b", p.loss.b},   {"beta", p.loss.beta},
                                       {"rmse", f1.rmse}, {"n_points", int(lossPts.size())}};
        root["score_map"] = QJsonObject{{"c", p.score.c},  {"gamma", p.score.gamma},
                                        {"l", p.score.l},  {"d", p.score.d},
                                        {"rmse", f2.rmse}, {"n_points", int(scorePts.size())}};
        std::vector<fit::DensityPoint> pts;
        for (const auto& m : models) {
            fit::DensityModelResult out;
            out.name = m.name;
            out.days = m.days;
            const auto inv = fit::invertDensingScore(p, m.score);
            if (inv.ok) {
                out.ok = true;
                out.nEff = inv.nEff;
                out.density = inv.nEff / m.n;
                pts.push_back({m.days, out.density, m.name});
            } else {
                out.message = inv.message;
            }
            perModel.push_back(out);
        }
        trend = fit::fitDensityTrend(pts, trendOpt);
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
                      {"release_date", QString::fromStdString(table.runs[rows[i]].releaseDate)}};
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
    root["status"] = QString::fromUtf8(fit::toString(trend.status).data());
    if (args.json) {
        printJson(root);
        return fit::isUsable(trend.status) ? kExitOk : kExitBadInput;
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
    return kExitOk;
}

RunFn declareFitDensing(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<DensingArgs>();
    addTableOptions(app, o->table);
    app.add_option("--benchmark", o->benchmark, "Evaluation (or metric) holding the score")
        ->required();
    const char* const direct = "Direct mode (--reference)";
    const char* const twoStep = "Two-step mode (--two-step)";
    addText(app, "--reference", o->reference,
            "Fit the score-vs-size curve to the models whose name matches this regex")
        ->group(direct);
    auto* two = addFlag(app, "--two-step", o->twoStep, "The paper's two-step fit (Eqs. 2-4)")
                    ->group(twoStep);
    addCurveKindOption(app, o->curveKind);
    auto* floor = addNumber(app, "--floor", o->floor, "Fixed floor of a logistic curve");
    auto* ceiling = addNumber(app, "--ceiling", o->ceiling, "Fixed ceiling of a logistic curve");
    for (CLI::Option* opt : {app.get_option("--curve-kind"), floor, ceiling})
        opt->group(direct)->excludes(two);
    app.add_option("--loss-metric", o->lossMetric, "Metric holding the loss (default: loss)")
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
    addJsonOption(app, o->json);
    return [o] { return runFitDensing(*o); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(densing, "densing",
                      "Capability density and its doubling time (Xiao et al. 2024)",
                      declareFitDensing);

}  // namespace scalelens::cli::efficiency
