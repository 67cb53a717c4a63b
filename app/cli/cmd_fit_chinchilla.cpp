// `scalelens-cli fit --law chinchilla|kaplan|isoflop`: Hoffmann et al. 2022 Approaches 3 and
// 2, and Kaplan et al. 2020's L(N, D). Runs come from the datasets importer (--input CSV) or a
// project (--project), through the shared loader in cmd_fit_efficiency.h.
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>

#include <analysis/selection_diagnostics.h>
#include <datasets/fit_json.h>
#include <fitting/allocation.h>
#include <fitting/chinchilla_fit.h>
#include <fitting/diagnostics.h>
#include <fitting/isoflop.h>

#include "cmd_fit_chinchilla.h"
#include "cmd_fit_efficiency.h"
#include "command.h"

namespace scalelens::cli {

namespace {

// The 95% interval of a power law's exponent; the exponent itself at both ends when there were
// too few budgets for one (as printed before the fit result shared fit::Estimate).
double ciLow(const fit::PowerLawFit& f) {
    return f.exponent.ci95 ? f.exponent.ci95->lower : f.exponent.value;
}
double ciHigh(const fit::PowerLawFit& f) {
    return f.exponent.ci95 ? f.exponent.ci95->upper : f.exponent.value;
}

const char* const kDescription =
    "Fits L = E + A/N^alpha + B/D^beta (chinchilla: Hoffmann et al. 2022, Approach 3, Huber\n"
    "(delta 1e-3) on log loss from the published 4,500-start grid), Kaplan et al. 2020's\n"
    "L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (kaplan), or IsoFLOP profiles (isoflop,\n"
    "Approach 2: a parabola in log N per compute budget, then N_opt ~ C^a).\n"
    "D = C/(6N) when only C is given. Exit 3 also when the fit fails.";

// The options of `fit --law chinchilla|kaplan|isoflop`.
struct FitLawArgs {
    ChinchillaFitArgs fit;
    std::vector<double> budgets;
    std::optional<double> binPerDecade;
    bool allowUnreliable = false;
    std::optional<double> budgetTolerance;
    std::optional<double> backtestCutoff;  // chinchilla: fit below C, predict above
    std::optional<long long> approach;     // isoflop: 1 (envelope) or 2 (profiles, default)
    bool json = false;
};

using efficiency::fitExitCode;
using efficiency::printDiagnostics;

// Splits each --map value at commas and maps L to the loss metric's name.
std::vector<std::string> normaliseMapImpl(const std::vector<std::string>& maps,
                                          const std::string& lossMetric) {
    std::vector<std::string> out;
    for (const std::string& value : maps) {
        std::size_t start = 0;
        while (start <= value.size()) {
            const std::size_t comma = value.find(',', start);
            std::string item =
                value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (item.rfind("L=", 0) == 0)
                item = lossMetric + "=" + item.substr(2);
            out.push_back(item);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    return out;
}

// The names of the runs a fit used, in input order (JSON "runs").
QJsonArray namesJson(const std::vector<std::string>& names) {
    QJsonArray out;
    for (const std::string& n : names)
        out.append(QString::fromStdString(n));
    return out;
}

void printEstimate(const fit::Estimate& e) {
    std::printf("  %-8s %-14.6g", e.name.c_str(), e.value);
    if (e.stdError)
        std::printf(" SE %-12.4g", *e.stdError);
    else if (e.covStdError)
        std::printf(" SE %-12.4g", *e.covStdError);
    if (e.ci95)
        std::printf(" 95%% CI [%.6g, %.6g]", e.ci95->lower, e.ci95->upper);
    std::string flags;
    if (e.has(fit::kEstimateAtBound))
        flags += " at-bound";
    if (e.has(fit::kEstimateNotIdentified))
        flags += " not-identified";
    if (e.has(fit::kEstimateIllConditioned) && !e.stdError)
        flags += " SE-from-ill-conditioned-covariance";
    if (!flags.empty())
        std::printf("  [flagged:%s]", flags.c_str());
    std::printf("\n");
}

void printEstimates(const fit::FitResult& r) {
    for (const auto& e : r.params)
        printEstimate(e);
}

// Derived quantities other than a, b, G: the per-budget allocation (N_opt@C, D_opt@C,
// tokens_per_param@C, ...) with their SEs and CIs, as in the JSON.
void printAllocations(const fit::FitResult& r) {
    bool header = false;
    for (const auto& e : r.derived) {
        if (e.name == "a" || e.name == "b" || e.name == "G")
            continue;
        if (!header) {
            std::printf("  compute-optimal allocation:\n");
            header = true;
        }
        printEstimate(e);
    }
}

QJsonObject powerLawJson(const fit::PowerLawFit& f) {
    return QJsonObject{{"exponent", f.exponent.value},
                       {"coefficient", f.coefficient},
                       {"exponent_stderr", f.exponent.covStdError.value_or(0.0)},
                       {"exponent_ci95", QJsonArray{ciLow(f), ciHigh(f)}},
                       {"r2", f.r2},
                       {"n_budgets", f.nPoints}};
}

// Hoffmann et al. 2022 Approach 1: the lower envelope of the training curves (loss against
// FLOPs = 6 N tokens, from each run's logged loss curve with a tokens axis), then
// N_opt ~ C^a and D_opt ~ C^b along it.
int fitApproach1(const FitLawArgs& args) {
    analysis::RunTable table;
    if (const int rc = loadTable(args.fit.table, args.fit.lossMetric, &table); rc != kExitOk)
        return rc;
    const std::string metric = table.lossMetric;
    std::string error;
    TableOptions options = args.fit.table;
    options.map = normaliseMap(options.map, metric);
    if (!efficiency::loadRunTable(options, &table, &error, metric, {metric})) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    std::vector<fit::TrainingCurve> curves;
    int skipped = 0;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto ndc = analysis::runNdc(table.runs[i], analysis::ParamsKind::Active);
        fit::TrainingCurve c;
        c.runId = table.runs[i].name;
        c.N = ndc ? ndc->N : 0.0;
        for (const analysis::CurvePoint& p : table.curve(metric, i)) {
            const double flops = 6.0 * c.N * p.tokens;
            if (!(flops > 0) || !std::isfinite(flops) || !(p.value > 0) ||
                (!c.flops.empty() && !(flops > c.flops.back())))
                continue;
            c.flops.push_back(flops);
            c.loss.push_back(p.value);
        }
        if (c.N > 0 && c.flops.size() >= 2)
            curves.push_back(std::move(c));
        else
            ++skipped;
    }
    if (skipped > 0)
        std::cerr << "warning: " << skipped << " runs lack N or a '" << metric
                  << "' curve with a tokens axis; skipped\n";
    if (curves.size() < 2) {
        std::cerr << "scalelens-cli fit: Approach 1 needs the '" << metric
                  << "' training curves (with tokens) of at least 2 model sizes; " << curves.size()
                  << " found\n";
        return kExitBadInput;
    }
    fit::EnvelopeResult r = fit::fitEnvelope(curves, fit::EnvelopeOptions{});
    analysis::InputRows used;  // every run with a curve, for the selection's diagnostics
    for (std::size_t i = 0; i < table.size(); ++i)
        used.rows.push_back(i);
    if (fit::isUsable(r.status))
        fit::applyDiagnostics(analysis::selectionDiagnostics(table, used), &r);
    if (args.json) {
        QJsonObject root{{"law", "isoflop"},
                         {"approach", 1},
                         {"loss_metric", QString::fromStdString(metric)},
                         {"n_runs", static_cast<int>(curves.size())},
                         {"envelope_points", static_cast<int>(r.envelope.size())},
                         {"status", QString::fromStdString(std::string(toString(r.status)))},
                         {"message", QString::fromStdString(r.message)},
                         {"diagnostics", data::diagnosticsToJson(r.diagnostics)}};
        if (fit::isUsable(r.status)) {
            root["N_opt_law"] = powerLawJson(r.nOptLaw);
            root["D_opt_law"] = powerLawJson(r.dOptLaw);
            root["allocation"] =
                QJsonObject{{"a", r.nOptLaw.exponent.value}, {"b", r.dOptLaw.exponent.value}};
        }
        efficiency::printJson(root);
    } else {
        std::cout << "IsoFLOP (Approach 1, training-curve envelope), loss metric '" << metric
                  << "', " << curves.size() << " runs: " << r.message << "\n";
        if (fit::isUsable(r.status))
            std::printf(
                "  N_opt ~ C^%.4f [%.4f, %.4f]   D_opt ~ C^%.4f [%.4f, %.4f]   "
                "(%zu envelope points)\n",
                r.nOptLaw.exponent.value, ciLow(r.nOptLaw), ciHigh(r.nOptLaw),
                r.dOptLaw.exponent.value, ciLow(r.dOptLaw), ciHigh(r.dOptLaw), r.envelope.size());
        printDiagnostics(r.diagnostics);
    }
    return fitExitCode(r.status, r.message, args.allowUnreliable);
}

// `fit --backtest-cutoff C`: the same fit on the runs with C below the cutoff, judged on the
// runs above it (no bootstrap). Returns false when the back-test could not run.
bool backtest(const std::vector<fit::Observation>& obs, double cutoff, fit::FitOptions opt,
              bool json, QJsonObject* root) {
    opt.runBootstrap = false;
    const fit::BacktestResult b =
        fit::backtestChinchilla(obs, fit::CutoffVariable::Compute, cutoff, opt);
    const bool ok = fit::isUsable(b.status);
    QJsonObject o{{"cutoff", cutoff},
                  {"status", QString::fromStdString(std::string(toString(b.status)))},
                  {"message", QString::fromStdString(b.message)},
                  {"diagnostics", data::diagnosticsToJson(b.diagnostics)}};
    if (ok) {
        o["n_train"] = b.nTrain;
        o["n_test"] = b.nTest;
        o["mean_abs_relative_error"] = b.meanAbsRelativeError;
        o["max_abs_relative_error"] = b.maxAbsRelativeError;
        o["rmse_log_test"] = b.rmseLogTest;
    }
    if (json) {
        (*root)["backtest"] = o;
    } else if (ok) {
        std::printf(
            "  back-test (fit on C < %.4g, predict C >= %.4g): %d train, %d test, "
            "mean |error| %.3f%%, max %.3f%%, RMSE(log) %.4g\n",
            cutoff, cutoff, b.nTrain, b.nTest, 100 * b.meanAbsRelativeError,
            100 * b.maxAbsRelativeError, b.rmseLogTest);
        printDiagnostics(b.diagnostics);
    }
    if (!ok)
        std::cerr << "scalelens-cli fit: option --backtest-cutoff: " << b.message << "\n";
    return ok;
}

int fitLaw(const std::string& law, const FitLawArgs& args) {
    const std::string& lossMetric = args.fit.lossMetric;
    const bool json = args.json;

    fit::FitOptions opt = fitOptionsFromArgs(args.fit.engine);
    if (!args.budgets.empty())
        opt.allocationBudgets = args.budgets;
    std::string why;
    if (!opt.isValid(&why))
        throw UsageError{"invalid fit options: " + why};
    const long long drop = args.fit.dropHighestLoss.value_or(0);

    if (args.approach && *args.approach != 1 && *args.approach != 2)
        throw UsageError{"option --approach: must be 1 or 2 (got " +
                         std::to_string(*args.approach) + ")"};
    if (law == "isoflop" && args.approach.value_or(2) == 1) {
        if (args.budgetTolerance || args.binPerDecade || args.fit.dropHighestLoss)
            throw UsageError{
                "options --budget-tolerance, --bin-per-decade and "
                "--drop-highest-loss apply to --approach 2 only"};
        return fitApproach1(args);
    }
    if (law == "isoflop") {
        analysis::Grouping grouping;
        grouping.tolerance = args.budgetTolerance.value_or(grouping.tolerance);
        grouping.binsPerDecade = args.binPerDecade.value_or(0.0);
        if (!grouping.isValid(&why))
            throw UsageError{why};
        analysis::RunTable table;
        if (const int rc = loadTable(args.fit.table, lossMetric, &table); rc != kExitOk)
            return rc;
        analysis::IsoFlopInputs inputs = analysis::isoflopInputs(table, grouping);
        efficiency::reportSkipped(inputs);
        if (!analysis::dropHighestLoss(&inputs, static_cast<int>(drop), &why))
            throw UsageError{why};
        const std::vector<fit::IsoFlopPoint>& iso = inputs.points;
        fit::IsoFlopOptions io;  // budgets are already grouped: exact matching
        fit::IsoFlopResult r = fit::fitIsoFlop(iso, io);
        fit::applyDiagnostics(analysis::selectionDiagnostics(table, inputs), &r);
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
                             {"budgets", budgets},
                             {"runs", namesJson(inputs.names)},
                             {"diagnostics", data::diagnosticsToJson(r.diagnostics)}};
            if (fit::isUsable(r.status)) {
                root["N_opt_law"] = powerLawJson(r.nOptLaw);
                root["D_opt_law"] = powerLawJson(r.dOptLaw);
                root["allocation"] =
                    QJsonObject{{"a", r.nOptLaw.exponent.value}, {"b", r.dOptLaw.exponent.value}};
            }
            efficiency::printJson(root);
        } else {
            std::cout << "IsoFLOP (Approach 2), loss metric '" << inputs.lossMetric
                      << "', budgets grouped " << grouping.describe() << ": " << r.message << "\n";
            for (const auto& b : r.budgets)
                std::printf("  C %-10.4g points %-4d %s\n", b.compute, b.nPoints,
                            b.used ? ("N_opt " + std::to_string(b.nOpt)).c_str() : b.note.c_str());
            if (fit::isUsable(r.status))
                std::printf("  N_opt ~ C^%.4f [%.4f, %.4f]   D_opt ~ C^%.4f [%.4f, %.4f]\n",
                            r.nOptLaw.exponent.value, ciLow(r.nOptLaw), ciHigh(r.nOptLaw),
                            r.dOptLaw.exponent.value, ciLow(r.dOptLaw), ciHigh(r.dOptLaw));
            printDiagnostics(r.diagnostics);
        }
        if (r.status == fit::FitStatus::Unreliable || r.status == fit::FitStatus::Converged)
            return fitExitCode(r.status, r.message, args.allowUnreliable);
        std::cerr << "scalelens-cli fit: " << r.message << "\n";
        return kExitBadInput;
    }

    analysis::NdlInputs inputs;
    std::vector<fit::Diagnostic> selection;
    if (const int rc = loadNdl(args.fit.table, lossMetric, drop, &inputs, &selection);
        rc != kExitOk)
        return rc;
    const std::vector<fit::Observation>& obs = inputs.obs;
    fit::FitResult r = law == "kaplan" ? fit::fitKaplan(obs, opt) : fit::fitChinchilla(obs, opt);
    if (fit::isUsable(r.status))
        fit::applyDiagnostics(selection, &r);
    bool backtestOk = true;
    if (json) {
        QJsonObject root = data::fitResultToJson(r, {false, false});
        root["loss_metric"] = QString::fromStdString(inputs.lossMetric);
        root["dropped_highest_loss"] = inputs.dropped;
        if (args.backtestCutoff && fit::isUsable(r.status))
            backtestOk = backtest(obs, *args.backtestCutoff, opt, true, &root);
        root["forecast_losses"] = inputs.forecasts;
        QJsonArray forecastRuns;
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (i < inputs.forecast.size() && inputs.forecast[i])
                forecastRuns.append(QString::fromStdString(inputs.names[i]));
        root["forecast_runs"] = forecastRuns;
        root["runs"] = namesJson(inputs.names);
        efficiency::printJson(root);
    } else {
        std::cout << fit::lawInfo(r.law).displayName << ", " << obs.size()
                  << " points, loss metric '" << inputs.lossMetric << "', loss "
                  << fit::toString(r.loss) << ": " << r.message << "\n";
        if (inputs.forecasts > 0)
            std::cout << "  " << inputs.forecasts << " of " << obs.size()
                      << " final losses are forecasts (--include-forecasts)\n";
        if (fit::isUsable(r.status)) {
            std::printf("  objective %.10g   starts converged %d/%d   %.3f s\n", r.objective,
                        r.startsConverged, r.startsTotal, r.seconds);
            printEstimates(r);
            if (r.law == fit::LawId::Chinchilla)
                std::printf("  a = %.4f   b = %.4f   G = %.4g\n", r.value("a"), r.value("b"),
                            r.value("G"));
            if (r.law == fit::LawId::Chinchilla)
                printAllocations(r);
            std::printf("  RMSE(log) %.4g   R2(log) %.4f   AIC %.2f   BIC %.2f\n",
                        r.goodness.rmseLog, r.goodness.r2Log, r.goodness.aic, r.goodness.bic);
        }
        printDiagnostics(r.diagnostics);
        if (args.backtestCutoff && fit::isUsable(r.status))
            backtestOk = backtest(obs, *args.backtestCutoff, opt, false, nullptr);
    }
    if (!backtestOk)
        return kExitBadInput;
    return fitExitCode(r.status, r.message, args.allowUnreliable);
}

}  // namespace

fit::FitOptions fitOptionsFromArgs(const EngineArgs& p) {
    fit::FitOptions opt;
    if (const auto& l = p.loss) {
        const auto kind = fit::lossKindFromString(*l);
        if (!kind)
            throw UsageError{"option --loss: '" + *l + "' is not huber, ols or mle"};
        opt.loss = *kind;
    }
    if (const auto& d = p.delta)
        opt.huberDelta = *d;
    if (const auto& r = p.bootstrap) {
        opt.runBootstrap = true;
        opt.bootstrapResamples = static_cast<int>(*r);
    }
    if (const auto& s = p.seed)
        opt.seed = static_cast<std::uint64_t>(*s);
    if (const auto& t = p.threads)
        opt.threads = static_cast<int>(*t);
    return opt;
}

int loadTable(const TableOptions& tableOptions, const std::string& lossMetric,
              analysis::RunTable* table) {
    TableOptions options = tableOptions;
    options.map = normaliseMap(options.map, lossMetric.empty() ? "loss" : lossMetric);
    std::string error;
    if (!efficiency::loadRunTable(options, table, &error, lossMetric)) {
        std::cerr << "scalelens-cli fit: " << error << "\n";
        return kExitBadInput;
    }
    for (const auto& w : table->warnings)
        std::cerr << "scalelens-cli fit: " << w << "\n";
    if (!efficiency::requireLossMetric(*table))
        return kExitBadInput;
    return kExitOk;
}

int loadNdl(const TableOptions& tableOptions, const std::string& lossMetric, long long drop,
            analysis::NdlInputs* out, std::vector<fit::Diagnostic>* selection) {
    analysis::RunTable table;
    if (const int rc = loadTable(tableOptions, lossMetric, &table); rc != kExitOk)
        return rc;
    *out = analysis::ndlInputs(table);
    efficiency::reportSkipped(*out);
    std::string error;
    if (drop > 0 && !out->obs.empty() &&
        !analysis::dropHighestLoss(out, static_cast<int>(drop), &error))
        throw UsageError{error};
    if (selection)
        *selection = analysis::selectionDiagnostics(table, *out);
    return kExitOk;
}

std::vector<std::string> normaliseMap(const std::vector<std::string>& maps,
                                      const std::string& lossMetric) {
    return normaliseMapImpl(maps, lossMetric);
}

std::vector<CLI::Option*> addChinchillaFitOptions(CLI::App& app, ChinchillaFitArgs& args,
                                                  bool withEngine) {
    std::vector<CLI::Option*> fitOnly;
    addTableOptions(app, args.table);
    for (const auto* name : {"--input", "--project", "--group", "--map", "--format"})
        fitOnly.push_back(app.get_option(name));
    if (withEngine) {
        addEngineOptions(app, args.engine, true);
        for (const auto* name : {"--loss", "--delta", "--bootstrap", "--seed", "--threads"})
            fitOnly.push_back(app.get_option(name));
    }
    fitOnly.push_back(app.add_option("--loss-metric", args.lossMetric,
                                     "Metric holding the final loss (default: the project's "
                                     "choice, else the first of val_loss, eval/loss, loss, ...); "
                                     "--map L=COLUMN names its column")
                          ->group("Input (one of --input or --project)"));
    fitOnly.push_back(addInteger(app, "--drop-highest-loss", args.dropHighestLoss,
                                 "Leave out the K runs with the highest loss (Besiroglu et al. "
                                 "drop 5 of Chinchilla's 245 points); K must be below the "
                                 "number of points",
                                 Rule::NonNegative)
                          ->group("Input (one of --input or --project)"));
    args.table.scalingDefaultGroup = true;
    fitOnly.push_back(addFlag(app, "--all-groups", args.table.allGroups,
                              "Fit every run of the project (default without --group: the "
                              "project's scaling sweep, as the GUI's views, when its runs span "
                              "several groups)")
                          ->excludes(app.get_option("--group"))
                          ->group("Input (one of --input or --project)"));
    fitOnly.push_back(addFlag(app, "--include-forecasts", args.table.includeForecasts,
                              "Use runs' stored forecasts (forecast --store) as the final loss "
                              "of runs not logged to their end; counted in the output "
                              "(default: measured losses only)")
                          ->group("Input (one of --input or --project)"));
    return fitOnly;
}

namespace {

RunFn declareFitLaw(const std::string& law, CLI::App& app) {
    app.description(kDescription);
    auto o = std::make_shared<FitLawArgs>();
    addChinchillaFitOptions(app, o->fit, law != "isoflop");
    if (law == "chinchilla") {
        addNumbers(app, "--budget", o->budgets,
                   "Compute budget (FLOPs) for N_opt/D_opt CIs, repeatable", Rule::Positive)
            ->group("Fit");
        addNumber(app, "--backtest-cutoff", o->backtestCutoff,
                  "Back-test: also fit on the runs with C below this (FLOPs) and report the "
                  "error predicting the runs above it",
                  Rule::Positive)
            ->group("Fit");
    }
    if (law == "isoflop") {
        addNumber(app, "--budget-tolerance", o->budgetTolerance,
                  "Budgets within T (relative) of the previous one are one budget (default "
                  "0.05); a run's planned budget (budget_flops) is used when given",
                  Rule::NonNegative)
            ->group("Fit");
        addNumber(app, "--bin-per-decade", o->binPerDecade,
                  "Log-bin compute with B bins per decade instead of the tolerance", Rule::Positive)
            ->group("Fit");
        addInteger(app, "--approach", o->approach,
                   "2 (default): a parabola per IsoFLOP budget; 1: the lower envelope of the "
                   "training curves (each run's loss curve against 6 N tokens)")
            ->group("Fit");
    }
    efficiency::addAllowUnreliable(app, o->allowUnreliable);
    addJsonOption(app, o->json);
    return [law, o] { return fitLaw(law, *o); };
}

RunFn declareFitChinchilla(CLI::App& app, const std::vector<std::string>&) {
    return declareFitLaw("chinchilla", app);
}
RunFn declareFitKaplan(CLI::App& app, const std::vector<std::string>&) {
    return declareFitLaw("kaplan", app);
}
RunFn declareFitIsoflop(CLI::App& app, const std::vector<std::string>&) {
    return declareFitLaw("isoflop", app);
}

}  // namespace

SCALELENS_CLI_FIT_LAW(chinchilla, "chinchilla",
                      "L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3)",
                      declareFitChinchilla);
SCALELENS_CLI_FIT_LAW(kaplan, "kaplan", "L(N, D) of Kaplan et al. 2020, Eq. 1.5", declareFitKaplan);
SCALELENS_CLI_FIT_LAW(isoflop, "isoflop",
                      "IsoFLOP profiles, N_opt(C) and D_opt(C) (Hoffmann et al. 2022, Approach 2)",
                      declareFitIsoflop);

}  // namespace scalelens::cli
