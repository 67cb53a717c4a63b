// `scalelens-cli fit --law chinchilla|kaplan|isoflop`: Hoffmann et al. 2022 Approaches 3 and
// 2, and Kaplan et al. 2020's L(N, D). Runs come from the datasets importer (--input CSV) or a
// project (--project), through the shared loader in cmd_fit_efficiency.h.
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>

#include <datasets/fit_json.h>
#include <fitting/allocation.h>
#include <fitting/chinchilla_fit.h>
#include <fitting/isoflop.h>

#include "cmd_fit_chinchilla.h"
#include "cmd_fit_efficiency.h"
#include "command.h"

namespace scalelens::cli {

namespace {

const char* const kUsage =
    "Usage: scalelens-cli fit --law chinchilla|kaplan|isoflop (--input FILE.csv | --project P)\n"
    "         [--map N=col,D=col,C=col,L=col] [--group G] [--loss-metric NAME]\n"
    "         [--drop-highest-loss K] [--loss huber|ols|mle] [--delta D] [--bootstrap R]\n"
    "         [--seed S] [--threads T] [--budget C]... [--budget-tolerance T]\n"
    "         [--bin-per-decade B] [--json]\n\n"
    "  chinchilla  L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3): Huber\n"
    "              (delta 1e-3) on log loss from the published 4,500-start grid\n"
    "  kaplan      L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020)\n"
    "  isoflop     Approach 2: parabola in log N per compute budget, then N_opt ~ C^a\n\n"
    "  --map K=COL[,K=COL]  columns for N, D, C and L (the loss) in the CSV\n"
    "  --loss-metric NAME   metric holding the final loss (default: the project's choice,\n"
    "                       else the first of val_loss, eval/loss, loss, ...)\n"
    "  --drop-highest-loss K  leave out the K runs with the highest loss (Besiroglu et al.\n"
    "                       drop 5 of Chinchilla's 245 points)\n"
    "  --bootstrap R        R bootstrap resamples for standard errors and 95% CIs\n"
    "  --budget C           compute budget for N_opt/D_opt CIs (repeatable)\n"
    "  --budget-tolerance T isoflop: budgets within T (relative) are one budget (default\n"
    "                       0.05 = 5%); a run's planned budget (budget_flops) is used when given\n"
    "  --bin-per-decade B   isoflop: log-bin compute with B bins per decade instead\n"
    "  D = C/(6N) when only C is given. Exit codes: 0 ok, 2 bad arguments, 3 bad input or\n"
    "  the fit failed, 4 internal error.\n";

// Rewrites `--map N=a,D=b,L=c` into one --map per key and L into the importer's "loss".
std::vector<std::string> normaliseMapImpl(const std::vector<std::string>& args,
                                          const std::string& lossMetric) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string value;
        if (args[i] == "--map" && i + 1 < args.size()) {
            value = args[++i];
        } else if (args[i].rfind("--map=", 0) == 0) {
            value = args[i].substr(6);
        } else {
            out.push_back(args[i]);
            continue;
        }
        std::size_t start = 0;
        while (start <= value.size()) {
            const std::size_t comma = value.find(',', start);
            std::string item =
                value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (item.rfind("L=", 0) == 0)
                item = lossMetric + "=" + item.substr(2);
            out.push_back("--map");
            out.push_back(item);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    return out;
}

void printEstimates(const fit::FitResult& r) {
    for (const auto& e : r.params) {
        std::printf("  %-8s %-14.6g", e.name.c_str(), e.value);
        if (e.stdError)
            std::printf(" SE %-12.4g", *e.stdError);
        if (e.ci95)
            std::printf(" 95%% CI [%.6g, %.6g]", e.ci95->lower, e.ci95->upper);
        std::printf("\n");
    }
}

int fitLaw(const std::string& law, const std::vector<std::string>& argv) {
    const std::string lossMetric = lossMetricOf(argv);
    const std::vector<std::string> args = normaliseMap(argv, lossMetric);
    std::set<std::string> values = efficiency::kTableValueOptions;
    values.insert({"loss-metric", "drop-highest-loss", "loss", "delta", "bootstrap", "seed",
                   "threads", "budget", "bin-per-decade", "budget-tolerance"});
    const ArgParser p(args, values, efficiency::kTableFlags);
    if (p.flag("help")) {
        std::cout << kUsage;
        return kExitOk;
    }
    const bool json = p.flag("json");

    fit::FitOptions opt = fitOptionsFromArgs(p);
    if (!p.values("budget").empty()) {
        opt.allocationBudgets.clear();
        for (const auto& b : p.values("budget")) {
            const auto c = parseNumber(b);
            if (!c)
                throw UsageError{"option --budget: '" + b + "' is not a finite number"};
            opt.allocationBudgets.push_back(*c);
        }
    }
    std::string why;
    if (!opt.isValid(&why))
        throw UsageError{"invalid fit options: " + why};
    const long long drop = p.integer("drop-highest-loss").value_or(0);
    if (drop < 0)
        throw UsageError{"option --drop-highest-loss must be >= 0"};

    if (law == "isoflop") {
        analysis::Grouping grouping;
        grouping.tolerance = p.number("budget-tolerance").value_or(grouping.tolerance);
        grouping.binsPerDecade = p.number("bin-per-decade").value_or(0.0);
        if (p.number("bin-per-decade") && !(grouping.binsPerDecade > 0))
            throw UsageError{"option --bin-per-decade: must be a positive number"};
        if (!grouping.isValid(&why))
            throw UsageError{why};
        efficiency::RunTable table;
        std::string error;
        if (!efficiency::loadRunTable(p, &table, &error)) {
            std::cerr << "scalelens-cli fit: " << error << "\n";
            return kExitBadInput;
        }
        for (const auto& w : table.warnings)
            std::cerr << "scalelens-cli fit: " << w << "\n";
        if (!efficiency::requireLossMetric(table))
            return kExitBadInput;
        analysis::IsoFlopInputs inputs = analysis::isoflopInputs(table, grouping);
        efficiency::reportSkipped(inputs);
        if (!analysis::dropHighestLoss(&inputs, static_cast<int>(drop), &why))
            throw UsageError{why};
        const std::vector<fit::IsoFlopPoint>& iso = inputs.points;
        fit::IsoFlopOptions io;  // budgets are already grouped: exact matching
        const fit::IsoFlopResult r = fit::fitIsoFlop(iso, io);
        const auto lawJson = [](const fit::PowerLawFit& f) {
            return QJsonObject{{"exponent", f.exponent},
                               {"coefficient", f.coefficient},
                               {"exponent_stderr", f.exponentStdError},
                               {"exponent_ci95", QJsonArray{f.exponentCiLower, f.exponentCiUpper}},
                               {"r2", f.r2},
                               {"n_budgets", f.nPoints}};
        };
        if (json) {
            QJsonArray budgets;
            for (const auto& b : r.budgets)
                budgets.append(QJsonObject{{"compute", b.compute},
                                           {"n_points", b.nPoints},
                                           {"used", b.used},
                                           {"N_opt", b.nOpt},
                                           {"D_opt", b.dOpt},
                                           {"loss", b.lossAtOpt},
                                           {"note", QString::fromStdString(b.note)}});
            QJsonObject root{{"law", "isoflop"},
                             {"n_points", static_cast<int>(iso.size())},
                             {"loss_metric", QString::fromStdString(inputs.lossMetric)},
                             {"budget_grouping", QString::fromStdString(grouping.describe())},
                             {"planned_budgets", inputs.plannedBudgets},
                             {"status", QString::fromStdString(std::string(toString(r.status)))},
                             {"message", QString::fromStdString(r.message)},
                             {"seconds", r.seconds},
                             {"budgets", budgets}};
            if (r.status == fit::FitStatus::Converged) {
                root["N_opt_law"] = lawJson(r.nOptLaw);
                root["D_opt_law"] = lawJson(r.dOptLaw);
                root["allocation"] =
                    QJsonObject{{"a", r.nOptLaw.exponent}, {"b", r.dOptLaw.exponent}};
            }
            efficiency::printJson(root);
        } else {
            std::cout << "IsoFLOP (Approach 2), loss metric '" << inputs.lossMetric
                      << "', budgets grouped " << grouping.describe() << ": " << r.message << "\n";
            for (const auto& b : r.budgets)
                std::printf("  C %-10.4g points %-4d %s\n", b.compute, b.nPoints,
                            b.used ? ("N_opt " + std::to_string(b.nOpt)).c_str() : b.note.c_str());
            if (r.status == fit::FitStatus::Converged)
                std::printf("  N_opt ~ C^%.4f [%.4f, %.4f]   D_opt ~ C^%.4f [%.4f, %.4f]\n",
                            r.nOptLaw.exponent, r.nOptLaw.exponentCiLower,
                            r.nOptLaw.exponentCiUpper, r.dOptLaw.exponent,
                            r.dOptLaw.exponentCiLower, r.dOptLaw.exponentCiUpper);
        }
        if (r.status != fit::FitStatus::Converged) {
            std::cerr << "scalelens-cli fit: " << r.message << "\n";
            return kExitBadInput;
        }
        return kExitOk;
    }

    analysis::NdlInputs inputs;
    if (const int rc = loadNdl(p, drop, &inputs); rc != kExitOk)
        return rc;
    const std::vector<fit::Observation>& obs = inputs.obs;
    const fit::FitResult r =
        law == "kaplan" ? fit::fitKaplan(obs, opt) : fit::fitChinchilla(obs, opt);
    if (json) {
        QJsonObject root = data::fitResultToJson(r, {false, false});
        root["loss_metric"] = QString::fromStdString(inputs.lossMetric);
        root["dropped_highest_loss"] = inputs.dropped;
        efficiency::printJson(root);
    } else {
        std::cout << fit::lawInfo(r.law).displayName << ", " << obs.size()
                  << " points, loss metric '" << inputs.lossMetric << "', loss "
                  << fit::toString(r.loss) << ": " << r.message << "\n";
        if (fit::isUsable(r.status)) {
            std::printf("  objective %.10g   starts converged %d/%d   %.3f s\n", r.objective,
                        r.startsConverged, r.startsTotal, r.seconds);
            printEstimates(r);
            if (r.law == fit::LawId::Chinchilla)
                std::printf("  a = %.4f   b = %.4f   G = %.4g\n", r.value("a"), r.value("b"),
                            r.value("G"));
            std::printf("  RMSE(log) %.4g   R2(log) %.4f   AIC %.2f   BIC %.2f\n",
                        r.diagnostics.rmseLog, r.diagnostics.r2Log, r.diagnostics.aic,
                        r.diagnostics.bic);
        }
    }
    if (!fit::isUsable(r.status)) {
        std::cerr << "scalelens-cli fit: " << r.message << "\n";
        return r.status == fit::FitStatus::Failed ? kExitBadInput : kExitInternal;
    }
    return kExitOk;
}

}  // namespace

fit::FitOptions fitOptionsFromArgs(const ArgParser& p) {
    fit::FitOptions opt;
    if (const auto l = p.value("loss")) {
        const auto kind = fit::lossKindFromString(*l);
        if (!kind)
            throw UsageError{"option --loss: '" + *l + "' is not huber, ols or mle"};
        opt.loss = *kind;
    }
    if (const auto d = p.number("delta"))
        opt.huberDelta = *d;
    if (const auto r = p.integer("bootstrap")) {
        opt.runBootstrap = true;
        opt.bootstrapResamples = static_cast<int>(*r);
    }
    if (const auto s = p.integer("seed"))
        opt.seed = static_cast<std::uint64_t>(*s);
    if (const auto t = p.integer("threads"))
        opt.threads = static_cast<int>(*t);
    return opt;
}

int loadNdl(const ArgParser& p, long long drop, analysis::NdlInputs* out) {
    efficiency::RunTable table;
    std::string error;
    if (!efficiency::loadRunTable(p, &table, &error)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table.warnings)
        std::cerr << "scalelens-cli fit: " << w << "\n";
    if (!efficiency::requireLossMetric(table))
        return kExitBadInput;
    *out = analysis::ndlInputs(table);
    efficiency::reportSkipped(*out);
    if (drop > 0 && !out->obs.empty() &&
        !analysis::dropHighestLoss(out, static_cast<int>(drop), &error))
        throw UsageError{error};
    return kExitOk;
}

std::vector<std::string> normaliseMap(const std::vector<std::string>& args,
                                      const std::string& lossMetric) {
    return normaliseMapImpl(args, lossMetric);
}

std::string lossMetricOf(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--loss-metric")
            return args[i + 1];
    for (const auto& a : args)
        if (a.rfind("--loss-metric=", 0) == 0)
            return a.substr(14);
    return "loss";
}

namespace {

int runFitChinchilla(const std::vector<std::string>& args) {
    return fitLaw("chinchilla", args);
}
int runFitKaplan(const std::vector<std::string>& args) {
    return fitLaw("kaplan", args);
}
int runFitIsoflop(const std::vector<std::string>& args) {
    return fitLaw("isoflop", args);
}

}  // namespace

SCALELENS_CLI_FIT_LAW(chinchilla, "chinchilla",
                      "L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3)",
                      runFitChinchilla);
SCALELENS_CLI_FIT_LAW(kaplan, "kaplan", "L(N, D) of Kaplan et al. 2020, Eq. 1.5", runFitKaplan);
SCALELENS_CLI_FIT_LAW(isoflop, "isoflop",
                      "IsoFLOP profiles, N_opt(C) and D_opt(C) (Hoffmann et al. 2022, Approach 2)",
                      runFitIsoflop);

}  // namespace scalelens::cli
