// `scalelens-cli density`: effective parameter size and capability density from a score
// (Xiao et al. 2024, Densing Law of LLMs).
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <fitting/densing.h>

#include "command.h"

namespace scalelens::cli {
namespace {

const char* const kDescription =
    "Prints N_eff (parameters) and, with --n, the density rho = N_eff / N (Xiao et al. 2024,\n"
    "Densing Law of LLMs). The score curve is one of:\n"
    "  --densing a,alpha,b,beta,c,gamma,l,d [--d0 1e12]\n"
    "        the paper's two-step law: L = a N^-alpha + b D^-beta and\n"
    "        S = c/(1+exp(-gamma(L-l))) + d; N_eff = the N reaching S at D0 tokens\n"
    "  --curve log-linear:p0,p1       S = p0 + p1 ln N (a published score-vs-size curve)\n"
    "  --curve logistic:c,k,m,d       S = c/(1+exp(-k(ln N - m))) + d\n"
    "  --reference N:S[,N:S...] [--curve-kind log-linear|logistic] [--floor F] [--ceiling C]\n"
    "        fit the curve to a reference model family first (logistic needs >= 4 sizes, or\n"
    "        fewer with --floor/--ceiling fixed, e.g. 25 and 100 for MMLU in percent)\n"
    "Exit 3 when the score is outside the curve's range or the fit fails.";

struct DensityArgs {
    std::optional<double> score;
    std::optional<double> n;
    std::optional<std::string> densing;
    std::optional<double> d0;
    std::optional<std::string> curve;
    std::optional<std::string> reference;
    std::string curveKind = "log-linear";
    std::optional<double> floor;
    std::optional<double> ceiling;
    bool json = false;
};

std::vector<double> parseList(const std::string& text, const std::string& option,
                              std::size_t expected) {
    std::vector<double> out;
    std::stringstream ss(text);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
        const auto v = parseNumber(cell);
        if (!v)
            throw UsageError{"option --" + option + ": '" + cell + "' is not a finite number"};
        out.push_back(*v);
    }
    if (expected && out.size() != expected)
        throw UsageError{"option --" + option + " needs " + std::to_string(expected) +
                         " comma-separated numbers (got " + std::to_string(out.size()) + ")"};
    return out;
}

int runDensity(const DensityArgs& p) {
    const auto& score = p.score;
    const auto& n = p.n;
    const int modes = (p.densing ? 1 : 0) + (p.curve ? 1 : 0) + (p.reference ? 1 : 0);
    if (modes != 1)
        throw UsageError{"give exactly one of --densing, --curve or --reference"};

    QJsonObject curveJson;
    fit::DensingInverse inv;
    if (const auto& text = p.densing) {
        const auto v = parseList(*text, "densing", 8);
        fit::DensingParams dp;
        dp.loss = {v[0], v[1], v[2], v[3]};
        dp.score = {v[4], v[5], v[6], v[7]};
        dp.d0 = p.d0.value_or(fit::kDensingD0);
        inv = fit::invertDensingScore(dp, *score);
        curveJson = QJsonObject{{"kind", "densing"}, {"a", v[0]},  {"alpha", v[1]}, {"b", v[2]},
                                {"beta", v[3]},      {"c", v[4]},  {"gamma", v[5]}, {"l", v[6]},
                                {"d", v[7]},         {"d0", dp.d0}};
    } else {
        fit::SizeScoreCurve curve;
        if (const auto& text = p.curve) {
            const auto colon = text->find(':');
            const std::string kind = text->substr(0, colon);
            const std::string values = colon == std::string::npos ? "" : text->substr(colon + 1);
            if (kind == "log-linear") {
                const auto v = parseList(values, "curve", 2);
                curve.kind = fit::SizeCurveKind::LogLinear;
                curve.p0 = v[0];
                curve.p1 = v[1];
            } else if (kind == "logistic") {
                const auto v = parseList(values, "curve", 4);
                curve.kind = fit::SizeCurveKind::Logistic;
                curve.c = v[0];
                curve.k = v[1];
                curve.m = v[2];
                curve.d = v[3];
            } else {
                throw UsageError{"option --curve must start with log-linear: or logistic:"};
            }
        } else {
            std::vector<fit::SizeScorePoint> ref;
            std::stringstream ss(*p.reference);
            std::string pair;
            while (std::getline(ss, pair, ',')) {
                const auto colon = pair.find(':');
                const auto nv = parseNumber(pair.substr(0, colon));
                const auto sv =
                    colon == std::string::npos ? std::nullopt : parseNumber(pair.substr(colon + 1));
                if (!nv || !sv)
                    throw UsageError{"option --reference: '" + pair + "' is not N:score"};
                ref.push_back({*nv, *sv});
            }
            fit::SizeCurveFitOptions opt;
            if (p.curveKind == "logistic")
                opt.kind = fit::SizeCurveKind::Logistic;
            if (const auto& f = p.floor)
                opt.fixedFloor = *f;
            if (const auto& c = p.ceiling)
                opt.fixedCeiling = *c;
            std::string error;
            if (!opt.isValid(&error))
                throw UsageError{error};
            const auto fitted = fit::fitSizeScoreCurve(ref, opt);
            if (!fit::isUsable(fitted.status)) {
                std::cerr << "scalelens-cli density: " << fitted.message << "\n";
                return kExitBadInput;
            }
            curve = fitted.curve;
            curveJson["rmse"] = fitted.rmse;
            curveJson["reference_models"] = static_cast<int>(ref.size());
        }
        curveJson["kind"] = curve.kind == fit::SizeCurveKind::Logistic ? "logistic" : "log-linear";
        if (curve.kind == fit::SizeCurveKind::Logistic) {
            curveJson["c"] = curve.c;
            curveJson["k"] = curve.k;
            curveJson["m"] = curve.m;
            curveJson["d"] = curve.d;
        } else {
            curveJson["p0"] = curve.p0;
            curveJson["p1"] = curve.p1;
        }
        inv = fit::invertSizeCurve(curve, *score);
    }
    if (!inv.ok) {
        std::cerr << "scalelens-cli density: " << inv.message << "\n";
        return kExitBadInput;
    }
    if (p.json) {
        QJsonObject root{{"score", *score},
                         {"n_eff", inv.nEff},
                         {"n", n ? QJsonValue(*n) : QJsonValue()},
                         {"density", n ? QJsonValue(inv.nEff / *n) : QJsonValue()},
                         {"curve", curveJson},
                         {"citation",
                          "Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315, "
                          "Eqs. 1-4"}};
        if (curveJson["kind"] == "densing")
            root["loss"] = inv.loss;
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    if (curveJson["kind"] == "densing")
        std::printf("estimated loss:     %.6g\n", inv.loss);
    std::printf("effective params:   %.4g\n", inv.nEff);
    if (n)
        std::printf("density N_eff/N:    %.4g\n", inv.nEff / *n);
    return kExitOk;
}

RunFn declareDensity(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<DensityArgs>();
    addNumber(app, "--score", o->score, "Benchmark score of the model")->required();
    addNumber(app, "--n", o->n, "Parameters of the model, for the density N_eff/N", Rule::Positive);
    const char* const curves = "Score curve (exactly one of --densing, --curve, --reference)";
    auto* densing = addText(app, "--densing", o->densing,
                            "a,alpha,b,beta,c,gamma,l,d: the paper's two-step law")
                        ->group(curves);
    addNumber(app, "--d0", o->d0, "Tokens D0 of --densing (default 1e12)", Rule::Positive)
        ->group(curves)
        ->needs(densing);
    addText(app, "--curve", o->curve, "log-linear:p0,p1 or logistic:c,k,m,d")->group(curves);
    auto* reference = addText(app, "--reference", o->reference,
                              "N:S[,N:S...]: fit the curve to a reference model family")
                          ->group(curves);
    addCurveKindOption(app, o->curveKind);
    auto* floor = addNumber(app, "--floor", o->floor, "Fixed floor of a logistic --reference fit");
    auto* ceiling =
        addNumber(app, "--ceiling", o->ceiling, "Fixed ceiling of a logistic --reference fit");
    for (CLI::Option* opt : {app.get_option("--curve-kind"), floor, ceiling})
        opt->group(curves)->needs(reference);
    addJsonOption(app, o->json);
    return [o] { return runDensity(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(density, "density",
                      "Effective parameter size and capability density from a score",
                      declareDensity);

}  // namespace scalelens::cli
