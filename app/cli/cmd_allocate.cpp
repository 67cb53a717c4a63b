// `scalelens-cli allocate`: compute-optimal N and D for a FLOP budget under the Chinchilla law
// (Hoffmann et al. 2022, Eq. 4), from published parameters, given parameters or a fit.
#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <datasets/fit_json.h>
#include <fitting/allocation.h>
#include <fitting/chinchilla_fit.h>
#include <fitting/diagnostics.h>

#include "cmd_fit_chinchilla.h"
#include "cmd_fit_efficiency.h"
#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kDescription =
    "Compute-optimal allocation for L = E + A/N^alpha + B/D^beta under C = 6ND:\n"
    "  N_opt = G (C/6)^a, D_opt = (C/6)^b / G, a = beta/(alpha+beta), b = 1 - a.\n"
    "Parameters from one of --preset, --params, or a fit of the Chinchilla law to --input or\n"
    "--project (options as for `fit --law chinchilla`; with --bootstrap the output has 95% CIs).";

struct AllocateArgs {
    std::vector<double> compute;
    std::optional<std::string> preset;
    std::optional<std::string> params;
    ChinchillaFitArgs fit;
    bool allowUnreliable = false;
    bool json = false;
};

fit::ChinchillaParams parseParams(const std::string& text) {
    std::vector<double> v;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        const auto x = parseNumber(item);
        if (!x)
            throw UsageError{"option --params: '" + item + "' is not a finite number"};
        v.push_back(*x);
    }
    if (v.size() != 5)
        throw UsageError{"option --params needs 5 values E,A,B,alpha,beta"};
    return {v[0], v[1], v[2], v[3], v[4]};
}

QJsonValue ciJson(const fit::Estimate* e) {
    if (!e || !e->ci95)
        return QJsonValue();
    return QJsonArray{e->ci95->lower, e->ci95->upper};
}

int runAllocate(const AllocateArgs& p) {
    const std::string& lossMetric = p.fit.lossMetric;
    const std::vector<double>& budgets = p.compute;
    const int sources =
        p.preset.has_value() + p.params.has_value() + (p.fit.table.input || p.fit.table.project);
    if (sources != 1)
        throw UsageError{"give exactly one of --preset, --params, --input or --project"};

    fit::ChinchillaParams params;
    fit::FitResult fitted;
    bool haveFit = false;
    std::string source;
    if (const auto& preset = p.preset) {
        if (*preset == "hoffmann2022")
            params = fit::ChinchillaParams::hoffmann2022();
        else if (*preset == "besiroglu2024")
            params = fit::ChinchillaParams::besiroglu2024();
        else
            throw UsageError{"option --preset: '" + *preset +
                             "' is not hoffmann2022 or besiroglu2024"};
        source = *preset;
    } else if (const auto& text = p.params) {
        params = parseParams(*text);
        source = "params";
    } else {
        fit::FitOptions opt = fitOptionsFromArgs(p.fit.engine);
        opt.allocationBudgets = budgets;
        std::string why;
        if (!opt.isValid(&why))
            throw UsageError{"invalid fit options: " + why};
        analysis::NdlInputs inputs;
        std::vector<fit::Diagnostic> selection;
        if (const int rc = loadNdl(p.fit.table, lossMetric, p.fit.dropHighestLoss.value_or(0),
                                   &inputs, &selection);
            rc != kExitOk)
            return rc;
        fitted = fit::fitChinchilla(inputs.obs, opt);
        if (!fit::isUsable(fitted.status)) {
            std::cerr << "scalelens-cli allocate: the fit failed: " << fitted.message << "\n";
            return kExitBadInput;
        }
        fit::applyDiagnostics(selection, &fitted);
        // An unreliable fit never feeds the allocation silently: its diagnostics go to stderr,
        // and without --allow-unreliable the command stops with exit 5.
        for (const fit::Diagnostic& d : fitted.diagnostics) {
            if (d.severity != fit::Severity::Info)
                std::cerr << "scalelens-cli allocate: fit " << fit::toString(d.severity) << ": "
                          << d.code << ": " << d.message << "\n";
        }
        if (fitted.status == fit::FitStatus::Unreliable && !p.allowUnreliable) {
            std::cerr << "scalelens-cli allocate: the fit is unreliable (exit 5; "
                         "--allow-unreliable uses it anyway)\n";
            return kExitUnreliable;
        }
        params = fitted.chinchilla();
        haveFit = true;
        source = "fit";
    }
    std::string why;
    if (!params.isValid(&why)) {
        std::cerr << "scalelens-cli allocate: invalid parameters: " << why << "\n";
        return kExitBadInput;
    }

    QJsonArray rows;
    for (const double c : budgets) {
        const fit::AllocationEstimate est = fit::allocationWithCi(fitted, c);
        fit::Allocation a;
        fit::computeAllocation(params, c, &a);
        QJsonObject row = data::allocationToJson(a);
        if (haveFit && !fitted.bootstrapSamples.empty()) {
            const auto find = [&](const char* n) -> const fit::Estimate* {
                for (const auto& e : est.items)
                    if (e.name == n)
                        return &e;
                return nullptr;
            };
            row["ci95"] = QJsonObject{{"N_opt", ciJson(find("N_opt"))},
                                      {"D_opt", ciJson(find("D_opt"))},
                                      {"tokens_per_param", ciJson(find("tokens_per_param"))},
                                      {"loss", ciJson(find("loss"))},
                                      {"a", ciJson(find("a"))}};
        }
        rows.append(row);
    }
    if (p.json) {
        QJsonObject root = rows.size() == 1 ? rows.first().toObject() : QJsonObject{};
        if (rows.size() != 1)
            root["allocations"] = rows;
        root["source"] = QString::fromStdString(source);
        if (haveFit) {
            root["fit_status"] = QString::fromUtf8(fit::toString(fitted.status).data());
            root["diagnostics"] = data::diagnosticsToJson(fitted.diagnostics);
        }
        root["params"] = QJsonObject{{"E", params.E},
                                     {"A", params.A},
                                     {"B", params.B},
                                     {"alpha", params.alpha},
                                     {"beta", params.beta}};
        efficiency::printJson(root);
    } else {
        std::printf("Parameters (%s): E %.6g  A %.6g  B %.6g  alpha %.6g  beta %.6g\n",
                    source.c_str(), params.E, params.A, params.B, params.alpha, params.beta);
        for (const QJsonValue v : rows) {
            const QJsonObject r = v.toObject();
            std::printf("C %.4g FLOP: N_opt %.4g  D_opt %.4g  D/N %.1f  loss %.4f\n",
                        r["compute"].toDouble(), r["N_opt"].toDouble(), r["D_opt"].toDouble(),
                        r["tokens_per_param"].toDouble(), r["loss"].toDouble());
            const QJsonObject ci = r["ci95"].toObject();
            for (const char* key : {"N_opt", "D_opt", "tokens_per_param", "loss", "a"}) {
                const QJsonArray bounds = ci[QLatin1String(key)].toArray();
                if (bounds.size() == 2)
                    std::printf("  %-17s 95%% CI [%.4g, %.4g]\n", key, bounds[0].toDouble(),
                                bounds[1].toDouble());
            }
        }
        if (haveFit && fitted.status == fit::FitStatus::Unreliable)
            std::printf("warning: the fit is unreliable (%s)\n", fitted.message.c_str());
    }
    return kExitOk;
}

RunFn declareAllocate(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<AllocateArgs>();
    addNumbers(app, "--compute", o->compute, "Training FLOPs, repeatable", Rule::Positive)
        ->required();
    addText(app, "--preset", o->preset,
            "hoffmann2022 (E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28) or besiroglu2024 "
            "(E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658)");
    addText(app, "--params", o->params, "E,A,B,alpha,beta: explicit parameters");
    std::vector<CLI::Option*> fitOnly = addChinchillaFitOptions(app, o->fit, true);
    fitOnly.push_back(app.add_flag("--allow-unreliable", o->allowUnreliable,
                                   "Use the fit even when a diagnostic marks it unreliable "
                                   "(default: exit 5)"));
    addJsonOption(app, o->json);
    return [o, fitOnly] {
        // The fit's options apply only when fitting.
        if (!o->fit.table.input && !o->fit.table.project)
            for (const CLI::Option* opt : fitOnly)
                if (opt->count() > 0)
                    throw UsageError{"option " + opt->get_name() +
                                     " applies only with --input or --project"};
        return runAllocate(*o);
    };
}

}  // namespace

SCALELENS_CLI_COMMAND(allocate, "allocate",
                      "Compute-optimal N and D for a FLOP budget (Chinchilla law)",
                      declareAllocate);

}  // namespace scalelens::cli
