// Loss-curve laws on the command line (fitting/curve_fit.h, curve_forecast.h):
//   scalelens-cli fit --law mpl|lr-annealing --input run1.csv [--input run2.csv ...]
//   scalelens-cli forecast --input run.csv --total-steps T [--schedule cosine ...]
// Each CSV is one run with the columns step, lr, loss (header names, any order). A run's LR
// at every step comes from its definition when the logged LR identifies one unambiguously
// (inferSchedule), else from the logged values interpolated between logged steps.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <analysis/curve_inputs.h>
#include <datasets/fit_json.h>
#include <datasets/project.h>
#include <datasets/utf8_path.h>
#include <fitting/curve_forecast.h>

#include "cmd_fit_efficiency.h"
#include "command.h"

namespace scalelens::cli {
namespace {

using analysis::applyScheduleSpec;
using analysis::findRun;
using analysis::loggedLr;
using analysis::projectLossMetric;
using analysis::runCurve;
using analysis::RunCurve;

struct CurveFile {
    fit::LossCurve curve;
    std::vector<fit::LrPoint> logged;
    std::string schedule;  // how the per-step LR was built, for the output
};

// Reads step,lr,loss; on error returns false with "file:line:column: message".
bool readCurveCsv(const std::string& path, CurveFile* out, std::string* error) {
    std::ifstream in(data::pathFromUtf8(path));
    if (!in) {
        *error = path + ": cannot open the file";
        return false;
    }
    std::string line;
    if (!std::getline(in, line)) {
        *error = path + ":1: the file is empty";
        return false;
    }
    auto split = [](const std::string& s) {
        std::vector<std::string> cells;
        std::stringstream ss(s);
        std::string cell;
        while (std::getline(ss, cell, ','))
            cells.push_back(cell);
        if (!s.empty() && s.back() == ',')
            cells.emplace_back();
        for (auto& c : cells) {
            while (!c.empty() && (c.back() == '\r' || c.back() == ' '))
                c.pop_back();
            while (!c.empty() && c.front() == ' ')
                c.erase(c.begin());
        }
        return cells;
    };
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0)
        line.erase(0, 3);
    const std::vector<std::string> header = split(line);
    int cStep = -1, cLr = -1, cLoss = -1;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == "step")
            cStep = static_cast<int>(i);
        else if (header[i] == "lr")
            cLr = static_cast<int>(i);
        else if (header[i] == "loss")
            cLoss = static_cast<int>(i);
    }
    if (cStep < 0 || cLr < 0 || cLoss < 0) {
        *error = path + ":1: the header must name the columns step, lr and loss";
        return false;
    }
    fit::LossCurve& c = out->curve;
    std::string base = path.substr(path.find_last_of("/\\") + 1);
    c.name = base.substr(0, base.rfind('.'));
    int lineNo = 1;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line == "\r")
            continue;
        const std::vector<std::string> cells = split(line);
        auto cell = [&](int col, const char* name, double* v) {
            const std::string where =
                path + ":" + std::to_string(lineNo) + ":" + std::to_string(col + 1) + ": ";
            if (col >= static_cast<int>(cells.size())) {
                *error = where + "missing " + name;
                return false;
            }
            const auto parsed = parseNumber(cells[static_cast<std::size_t>(col)]);
            if (!parsed) {
                *error = where + name + " '" + cells[static_cast<std::size_t>(col)] +
                         "' is not a finite number";
                return false;
            }
            *v = *parsed;
            return true;
        };
        double step = 0, lr = 0, loss = 0;
        if (!cell(cStep, "step", &step) || !cell(cLr, "lr", &lr) || !cell(cLoss, "loss", &loss))
            return false;
        const std::string where = path + ":" + std::to_string(lineNo) + ": ";
        if (step < 1 || step != std::floor(step)) {
            *error = where + "step must be a whole number >= 1";
            return false;
        }
        if (!c.steps.empty() && static_cast<long>(step) <= c.steps.back()) {
            *error = where + "steps must be strictly increasing";
            return false;
        }
        if (lr < 0 || loss <= 0) {
            *error = where + (lr < 0 ? "lr must be >= 0" : "loss must be > 0");
            return false;
        }
        c.steps.push_back(static_cast<long>(step));
        c.loss.push_back(loss);
        out->logged.push_back({static_cast<long>(step), lr});
    }
    if (c.steps.size() < 2) {
        *error = path + ": need at least two rows";
        return false;
    }
    return true;
}

// Per-step LR of a run: its plan when given, else an unambiguous inferred definition, else
// the logged LR interpolated. totalSteps <= 0: one past the last logged step (or the plan's).
bool buildLr(CurveFile* f, const std::optional<fit::ScheduleDefinition>& plan, long totalSteps,
             std::string* error) {
    fit::Schedule s;
    s.logged = f->logged;
    if (plan) {
        s.planned = plan;
        f->schedule = plan->describe();
    } else {
        fit::ScheduleInferenceOptions io;
        io.totalSteps = totalSteps > 0 ? totalSteps : 0;
        const fit::ScheduleInference inf = fit::inferSchedule(f->logged, io);
        if (inf.unambiguous) {
            s.planned = inf.definition;
            f->schedule = "inferred: " + inf.message;
        } else {
            f->schedule = "logged LR, interpolated (" + inf.message + ")";
        }
    }
    const long total = totalSteps > 0 ? totalSteps
                                      : std::max(s.planned ? s.planned->totalSteps : 0L,
                                                 f->logged.back().step + 1);
    if (!s.materialise(total, &f->curve.lr, error)) {
        *error = f->curve.name + ": " + *error;
        return false;
    }
    if (f->curve.steps.back() >= static_cast<long>(f->curve.lr.size())) {
        *error = f->curve.name + ": logged steps go beyond the schedule's " +
                 std::to_string(f->curve.lr.size()) + " steps";
        return false;
    }
    return true;
}

QJsonArray paramsJson(const fit::CurveFitResult& r) {
    QJsonArray out;
    for (const fit::Estimate& e : r.params) {
        QJsonObject p{{"name", QString::fromStdString(e.name)}, {"value", e.value}};
        if (e.stdError)
            p["std_error"] = *e.stdError;
        if (e.ci95)
            p["ci95"] = QJsonArray{e.ci95->lower, e.ci95->upper};
        out.append(p);
    }
    return out;
}

void printParams(const fit::CurveFitResult& r) {
    for (const fit::Estimate& e : r.params) {
        std::printf("  %-6s %-14.6g", e.name.c_str(), e.value);
        if (e.ci95)
            std::printf(" 95%% CI [%.6g, %.6g]", e.ci95->lower, e.ci95->upper);
        std::printf("\n");
    }
}

struct CurveRunArgs {
    std::vector<std::string> inputs;
    std::optional<std::string> optimizer;
    std::optional<long long> bootstrap;
    std::optional<long long> seed;
    std::optional<long long> threads;
    bool allowUnreliable = false;  // fit only
    bool json = false;
};

// `base`: the defaults the flags change (forecasts: fit::ForecastOptions{}.fit, the residual
// block bootstrap with spread starts).
fit::CurveFitOptions curveOptions(const CurveRunArgs& a, int defaultBootstrap,
                                  fit::CurveFitOptions base = {}) {
    fit::CurveFitOptions o = std::move(base);
    if (a.optimizer) {
        if (*a.optimizer == "adamw")
            o.mplStage2 = fit::MplStage2::AdamW;
        else if (*a.optimizer == "lm")
            o.mplStage2 = fit::MplStage2::LevenbergMarquardt;
        else
            throw UsageError{"option --optimizer: '" + *a.optimizer + "' is not adamw or lm"};
    }
    o.bootstrapResamples = static_cast<int>(a.bootstrap.value_or(defaultBootstrap));
    if (a.seed)
        o.seed = static_cast<std::uint64_t>(*a.seed);
    if (a.threads)
        o.threads = static_cast<int>(*a.threads);
    return o;
}

void addRunOptions(CLI::App& app, CurveRunArgs& a, bool mpl, const char* bootstrapHelp) {
    if (mpl)
        addText(app, "--optimizer", a.optimizer,
                "MPL stage 2: adamw (official procedure, default) or lm (to the minimum)")
            ->group("Fit");
    addInteger(app, "--bootstrap", a.bootstrap, bootstrapHelp, Rule::NonNegative)->group("Fit");
    addInteger(app, "--seed", a.seed, "Seed of the bootstrap (default 42)", Rule::NonNegative)
        ->group("Fit");
    addInteger(app, "--threads", a.threads, "Worker threads (default: all cores)", Rule::Positive)
        ->group("Fit");
    addJsonOption(app, a.json);
}

int fitCurves(fit::CurveLawId law, const CurveRunArgs& a) {
    const fit::CurveFitOptions options = curveOptions(a, 0);
    std::vector<CurveFile> files(a.inputs.size());
    std::vector<fit::LossCurve> curves;
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
        std::string error;
        if (!readCurveCsv(a.inputs[i], &files[i], &error) ||
            !buildLr(&files[i], std::nullopt, 0, &error)) {
            std::cerr << "scalelens-cli fit: " << error << "\n";
            return kExitBadInput;
        }
        curves.push_back(files[i].curve);
    }
    const fit::CurveFitResult r = fit::fitCurveLaw(law, curves, options);
    if (!fit::isUsable(r.status)) {
        std::cerr << "scalelens-cli fit: " << r.message << "\n";
        return r.status == fit::FitStatus::Failed ? kExitBadInput : kExitInternal;
    }
    const fit::CurveLawInfo& info = fit::curveLawInfo(law);
    if (a.json) {
        QJsonArray perCurve;
        for (std::size_t i = 0; i < files.size(); ++i) {
            const fit::CurveMetrics& m = r.perCurve[i];
            perCurve.append(QJsonObject{{"name", QString::fromStdString(files[i].curve.name)},
                                        {"points", m.n},
                                        {"schedule", QString::fromStdString(files[i].schedule)},
                                        {"r2", m.r2},
                                        {"mae", m.mae},
                                        {"rmse", m.rmse},
                                        {"pred_e", m.predE},
                                        {"worst_e", m.worstE}});
        }
        const QJsonObject root{{"law", QString::fromUtf8(info.key.data(), info.key.size())},
                               {"status", QString::fromUtf8(fit::toString(r.status).data())},
                               {"message", QString::fromStdString(r.message)},
                               {"diagnostics", data::diagnosticsToJson(r.diagnostics)},
                               {"params", paramsJson(r)},
                               {"objective", r.objective},
                               {"curves", perCurve},
                               {"bootstrap_resamples", r.bootstrapResamples},
                               {"seconds", r.seconds}};
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return efficiency::fitExitCode(r.status, r.message, a.allowUnreliable);
    }
    std::cout << info.displayName << ", " << curves.size() << " curves: " << r.message << "\n";
    printParams(r);
    std::printf("  objective %.8g   %.2f s\n", r.objective, r.seconds);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const fit::CurveMetrics& m = r.perCurve[i];
        std::printf("  %-20s R2 %.4f  MAE %.5f  RMSE %.5f  WorstE %.5f  [%s]\n",
                    files[i].curve.name.c_str(), m.r2, m.mae, m.rmse, m.worstE,
                    files[i].schedule.c_str());
    }
    efficiency::printDiagnostics(r.diagnostics);
    return efficiency::fitExitCode(r.status, r.message, a.allowUnreliable);
}

const char* const kFitDescription =
    "Fits a loss-curve law to whole training curves (laws.md G) with the published objective\n"
    "(Huber 1e-3 on log loss, summed over every point of every curve). Each --input is one run:\n"
    "a CSV with the columns step, lr, loss. Curves fitted together must share the model and\n"
    "set-up and differ in their LR schedule; at least one should decay its LR.";

RunFn declareFitCurve(fit::CurveLawId law, CLI::App& app) {
    app.description(kFitDescription);
    auto a = std::make_shared<CurveRunArgs>();
    addTexts(app, "--input", a->inputs, "CSV of one run (step,lr,loss); repeatable")
        ->required()
        ->group("Input");
    addRunOptions(app, *a, law == fit::CurveLawId::MultiPower,
                  "Block-bootstrap resamples for parameter CIs (default 0)");
    efficiency::addAllowUnreliable(app, a->allowUnreliable);
    return [law, a] { return fitCurves(law, *a); };
}

RunFn declareFitMpl(CLI::App& app, const std::vector<std::string>&) {
    return declareFitCurve(fit::CurveLawId::MultiPower, app);
}
RunFn declareFitLra(CLI::App& app, const std::vector<std::string>&) {
    return declareFitCurve(fit::CurveLawId::LrAnnealing, app);
}

struct ForecastArgs {
    CurveRunArgs run;
    std::string law = "mpl";
    std::vector<std::string> siblings;
    // --project mode
    std::optional<std::string> project;
    std::optional<std::string> runName;
    std::optional<std::string> group;
    std::optional<std::string> metric;
    std::string lrMetric = "lr";
    std::optional<std::string> siblingRuns;  // R2,R3
    std::vector<std::string> whatIf;
    bool searchCooldown = false;
    std::optional<long long> hideAfter;
    bool store = false;
    std::optional<std::string> schedule;
    std::optional<double> peakLr;
    std::optional<double> finalLr;
    std::optional<long long> warmup;
    std::optional<long long> totalSteps;
    std::optional<long long> decayStart;
};

int forecastProject(const ForecastArgs& a, const fit::CurveLawInfo& info);

int forecast(const ForecastArgs& a) {
    const fit::CurveLawInfo* info = fit::findCurveLaw(a.law);
    if (!info)
        throw UsageError{"option --law: '" + a.law + "' is not mpl or lr-annealing"};
    if (a.project && !a.run.inputs.empty())
        throw UsageError{"option --input: cannot be combined with --project"};
    if (a.project)
        return forecastProject(a, *info);
    if (a.run.inputs.empty())
        throw UsageError{"option --input or --project is required"};
    for (const auto& [given, name] : {std::pair{a.runName.has_value(), "--run"},
                                      {a.group.has_value(), "--group"},
                                      {a.metric.has_value(), "--metric"},
                                      {a.siblingRuns.has_value(), "--siblings"},
                                      {!a.whatIf.empty(), "--what-if"},
                                      {a.searchCooldown, "--search-wsd-cooldown"},
                                      {a.hideAfter.has_value(), "--hide-after"},
                                      {a.store, "--store"}})
        if (given)
            throw UsageError{std::string("option ") + name + ": requires --project"};
    if (!a.totalSteps)
        throw UsageError{"option --total-steps is required with --input"};
    std::optional<fit::ScheduleDefinition> plan;
    if (a.schedule) {
        const auto shape = fit::scheduleShapeFromString(*a.schedule);
        if (!shape)
            throw UsageError{"option --schedule: '" + *a.schedule +
                             "' is not constant, cosine, linear, wsd, wsd-linear or two-stage"};
        fit::ScheduleDefinition d;
        d.shape = *shape;
        if (!a.peakLr)
            throw UsageError{"--schedule requires --peak-lr"};
        d.peakLr = *a.peakLr;
        if (*shape != fit::ScheduleShape::Constant && !a.finalLr)
            throw UsageError{"--schedule " + *a.schedule + " requires --final-lr"};
        d.finalLr = a.finalLr.value_or(0.0);
        d.warmupSteps = static_cast<long>(a.warmup.value_or(0));
        d.totalSteps = static_cast<long>(*a.totalSteps);
        const bool needsDecay = *shape == fit::ScheduleShape::WsdGeometric ||
                                *shape == fit::ScheduleShape::WsdLinear ||
                                *shape == fit::ScheduleShape::TwoStage;
        if (needsDecay && !a.decayStart)
            throw UsageError{"--schedule " + *a.schedule + " requires --decay-start"};
        d.decayStart = static_cast<long>(a.decayStart.value_or(0));
        std::string why;
        if (!d.isValid(&why))
            throw UsageError{"the --schedule options give an invalid schedule: " + why};
        plan = d;
    } else if (a.peakLr || a.finalLr || a.warmup || a.decayStart) {
        throw UsageError{"--peak-lr, --final-lr, --warmup and --decay-start require --schedule"};
    }
    fit::ForecastOptions options;
    options.fit = curveOptions(a.run, 16, fit::ForecastOptions{}.fit);
    CurveFile target;
    std::string error;
    if (!readCurveCsv(a.run.inputs.front(), &target, &error) ||
        !buildLr(&target, plan, static_cast<long>(*a.totalSteps), &error)) {
        std::cerr << "scalelens-cli forecast: " << error << "\n";
        return kExitBadInput;
    }
    std::vector<fit::LossCurve> siblings;
    for (const std::string& path : a.siblings) {
        CurveFile f;
        if (!readCurveCsv(path, &f, &error) || !buildLr(&f, std::nullopt, 0, &error)) {
            std::cerr << "scalelens-cli forecast: " << error << "\n";
            return kExitBadInput;
        }
        siblings.push_back(f.curve);
    }
    const fit::ForecastResult f = fit::forecastCurve(info->id, target.curve, siblings, options);
    if (!fit::isUsable(f.status)) {
        std::cerr << "scalelens-cli forecast: " << f.message << "\n";
        return f.status == fit::FitStatus::Failed ? kExitBadInput : kExitInternal;
    }
    const fit::ScheduleForecast& s = f.forecast;
    if (a.run.json) {
        const QJsonObject root{{"law", QString::fromUtf8(info->key.data(), info->key.size())},
                               {"status", QString::fromUtf8(fit::toString(f.status).data())},
                               {"message", QString::fromStdString(f.message)},
                               {"run", QString::fromStdString(target.curve.name)},
                               {"schedule", QString::fromStdString(target.schedule)},
                               {"last_logged_step", static_cast<double>(f.lastLoggedStep)},
                               {"final_step", static_cast<double>(s.finalStep)},
                               {"final_loss", s.finalLoss},
                               {"band", QJsonArray{s.finalBand.lower, s.finalBand.upper}},
                               {"band_level", options.bandLevel},
                               {"bootstrap_resamples", f.fit.bootstrapResamples},
                               {"params", paramsJson(f.fit)},
                               {"seconds", f.fit.seconds}};
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    std::cout << info->displayName << " forecast of " << target.curve.name << ": " << f.message
              << "\n  schedule: " << target.schedule << "\n";
    std::printf("  fitted to step %ld; final loss at step %ld: %.4f", f.lastLoggedStep, s.finalStep,
                s.finalLoss);
    if (f.fit.bootstrapResamples > 1)
        std::printf("  (%.0f%% band [%.4f, %.4f], %d resamples)", 100 * options.bandLevel,
                    s.finalBand.lower, s.finalBand.upper, f.fit.bootstrapResamples);
    std::printf("\n");
    printParams(f.fit);
    return kExitOk;
}

QJsonObject forecastJson(const fit::ScheduleForecast& s) {
    return QJsonObject{{"schedule", QString::fromStdString(s.label)},
                       {"final_step", static_cast<double>(s.finalStep)},
                       {"final_loss", s.finalLoss},
                       {"band", QJsonArray{s.finalBand.lower, s.finalBand.upper}}};
}

// `forecast --project P --run R`: the run's logged loss (--metric, default the project's loss
// metric) and its planned schedule (stored, else inferred from the logged LR; --schedule and
// the plan flags override fields), optional sibling runs, what-if schedules and the WSD
// cooldown search on the fitted law, and --store to keep the forecast in the project.
int forecastProject(const ForecastArgs& a, const fit::CurveLawInfo& info) {
    if (!a.runName)
        throw UsageError{"option --run is required with --project"};
    if (!a.siblings.empty())
        throw UsageError{"option --sibling: takes CSV files; with --project use --siblings R2,R3"};
    // Syntax of every spec before opening anything.
    if (a.schedule) {
        fit::ScheduleDefinition probe;
        std::string why;
        if (!applyScheduleSpec(*a.schedule, &probe, &why))
            throw UsageError{"option --schedule: " + why};
    }
    for (const std::string& w : a.whatIf) {
        fit::ScheduleDefinition probe;
        std::string why;
        if (!applyScheduleSpec(w, &probe, &why))
            throw UsageError{"option --what-if: " + why};
    }
    std::string error;
    bool busy = false;
    auto project = data::Project::open(
        *a.project, &error, a.store ? data::OpenMode::ReadWrite : data::OpenMode::ReadOnly, &busy);
    if (!project) {
        std::cerr << "scalelens-cli forecast: " << error << "\n";
        return busy ? kExitBusy : kExitBadInput;
    }
    data::Run run;
    if (!findRun(*project, *a.runName, a.group, &run, &error))
        throw UsageError{"option --run: " + error};
    const std::string metric = a.metric ? *a.metric : projectLossMetric(*project);
    if (metric.empty()) {
        std::cerr << "scalelens-cli forecast: the project has no loss metric (--metric NAME)\n";
        return kExitBadInput;
    }
    // The plan: stored, else inferred from the logged LR; then the command line's overrides.
    std::optional<fit::ScheduleDefinition> plan;
    std::string how, why;
    if (const auto stored = project->runSchedule(run.id)) {
        plan = stored->definition;
        how = "stored (" + std::string(data::toString(stored->origin)) + ")";
    } else if (const auto logged = loggedLr(*project, run.id, a.lrMetric); !logged.empty()) {
        fit::ScheduleInferenceOptions io;
        io.totalSteps = a.totalSteps ? static_cast<long>(*a.totalSteps) : 0;
        const fit::ScheduleInference inf = fit::inferSchedule(logged, io);
        if (inf.unambiguous) {
            plan = inf.definition;
            how = "inferred from the logged LR";
        }
        why = inf.message;
    } else {
        why = "no logged '" + a.lrMetric + "' metric";
    }
    const bool overrides =
        a.schedule || a.peakLr || a.finalLr || a.warmup || a.decayStart || a.totalSteps;
    if (!plan && !a.schedule) {
        std::cerr << "scalelens-cli forecast: run '" << printable(run.name)
                  << "' has no stored schedule and none can be inferred (" << printable(why)
                  << "): store one with `scalelens-cli schedule --set` or give --schedule\n";
        return kExitBadInput;
    }
    fit::ScheduleDefinition d = plan.value_or(fit::ScheduleDefinition{});
    if (a.schedule)
        applyScheduleSpec(*a.schedule, &d, &error);
    if (a.peakLr)
        d.peakLr = *a.peakLr;
    if (a.finalLr)
        d.finalLr = *a.finalLr;
    if (a.warmup)
        d.warmupSteps = static_cast<long>(*a.warmup);
    if (a.decayStart)
        d.decayStart = static_cast<long>(*a.decayStart);
    if (a.totalSteps)
        d.totalSteps = static_cast<long>(*a.totalSteps);
    if (!d.isValid(&why))
        throw UsageError{"option --schedule: the planned schedule is invalid: " + why};
    if (overrides)
        how = plan ? how + ", changed on the command line" : "given on the command line";
    RunCurve target;
    if (!runCurve(*project, run, metric, a.lrMetric, d, false, &target, &error)) {
        std::cerr << "scalelens-cli forecast: " << error << "\n";
        return kExitBadInput;
    }
    target.how = how + ": " + d.describe();
    // A finished run with its tail hidden: fit the prefix, compare the end with the measured.
    std::optional<double> measuredFinal;
    long measuredStep = 0;
    if (a.hideAfter) {
        fit::LossCurve& c = target.curve;
        const long cut = static_cast<long>(*a.hideAfter);
        std::size_t keep = 0;
        while (keep < c.steps.size() && c.steps[keep] <= cut)
            ++keep;
        if (keep < 2 || keep == c.steps.size())
            throw UsageError{
                "option --hide-after: must leave at least two logged points before "
                "it and at least one after it"};
        measuredFinal = c.loss.back();
        measuredStep = c.steps.back();
        c.steps.resize(keep);
        c.loss.resize(keep);
    }
    std::vector<fit::LossCurve> siblings;
    std::vector<std::string> siblingHow;
    if (a.siblingRuns) {
        std::size_t start = 0;
        const std::string& list = *a.siblingRuns;
        while (start <= list.size()) {
            std::size_t end = list.find(',', start);
            if (end == std::string::npos)
                end = list.size();
            const std::string name = list.substr(start, end - start);
            start = end + 1;
            if (name.empty())
                continue;
            data::Run sib;
            if (!findRun(*project, name, a.group, &sib, &error))
                throw UsageError{"option --siblings: " + error};
            if (sib.id == run.id)
                throw UsageError{"option --siblings: '" + printable(name) + "' is the run itself"};
            RunCurve rc;
            if (!runCurve(*project, sib, metric, a.lrMetric, std::nullopt, true, &rc, &error)) {
                std::cerr << "scalelens-cli forecast: " << error << "\n";
                return kExitBadInput;
            }
            siblings.push_back(rc.curve);
            siblingHow.push_back(rc.how);
        }
    }
    fit::ForecastOptions options;
    options.fit = curveOptions(a.run, 16, fit::ForecastOptions{}.fit);
    const fit::ForecastResult f = fit::forecastCurve(info.id, target.curve, siblings, options);
    if (!fit::isUsable(f.status)) {
        std::cerr << "scalelens-cli forecast: " << f.message << "\n";
        return f.status == fit::FitStatus::Failed ? kExitBadInput : kExitInternal;
    }
    const fit::ScheduleForecast& s = f.forecast;
    const long firstStep = target.curve.steps.front();
    struct WhatIf {
        std::string spec;
        fit::ScheduleDefinition def;
        fit::ScheduleForecast forecast;
    };
    std::vector<WhatIf> whatIfs;
    for (const std::string& spec : a.whatIf) {
        WhatIf w{spec, d, {}};
        applyScheduleSpec(spec, &w.def, &error);
        if (!w.def.isValid(&why))
            throw UsageError{"option --what-if: '" + spec + "' gives an invalid schedule: " + why +
                             " (wsd and two-stage need decay-start= or cooldown=)"};
        const std::vector<double> lr = w.def.materialise();
        if (static_cast<long>(lr.size()) <= target.curve.steps.back())
            throw UsageError{"option --what-if: '" + spec + "' ends before the last logged step"};
        w.forecast = fit::forecastSchedule(f.fit, lr, firstStep, options.bandLevel,
                                           options.curvePoints, f.residuals, options.bandMethod);
        w.forecast.label = w.def.describe();
        whatIfs.push_back(std::move(w));
    }
    std::optional<fit::FamilySearchResult> search;
    if (a.searchCooldown) {
        fit::ScheduleDefinition wsd = d;
        wsd.shape = d.shape == fit::ScheduleShape::WsdLinear || d.finalLr <= 0
                        ? fit::ScheduleShape::WsdLinear
                        : fit::ScheduleShape::WsdGeometric;
        wsd.decayStart = d.warmupSteps;
        std::vector<double> fractions;
        for (int i = 1; i <= 10; ++i)
            fractions.push_back(0.05 * i);
        search = fit::searchWsdCooldown(f.fit, wsd, fractions);
        if (!fit::isUsable(search->status)) {
            std::cerr << "scalelens-cli forecast: --search-wsd-cooldown: " << search->message
                      << "\n";
            return kExitBadInput;
        }
    }
    bool stored = false;
    QJsonObject root{
        {"law", QString::fromUtf8(info.key.data(), info.key.size())},
        {"status", QString::fromUtf8(fit::toString(f.status).data())},
        {"message", QString::fromStdString(f.message)},
        {"run", QString::fromStdString(run.name)},
        {"group", QString::fromStdString(run.group)},
        {"metric", QString::fromStdString(metric)},
        {"schedule", QString::fromStdString(target.how)},
        {"last_logged_step", static_cast<double>(f.lastLoggedStep)},
        {"final_step", static_cast<double>(s.finalStep)},
        {"final_loss", s.finalLoss},
        {"band", QJsonArray{s.finalBand.lower, s.finalBand.upper}},
        {"band_level", options.bandLevel},
        {"bootstrap_resamples", f.fit.bootstrapResamples},
        {"band_assumes", QString::fromStdString(f.bandAssumes)},
        {"annealing_extrapolated", f.unseenDecayGain > 0 || f.unseenDecayPriorWidening > 0},
        {"params", paramsJson(f.fit)},
        {"seconds", f.fit.seconds}};
    QJsonArray sibs;
    for (std::size_t i = 0; i < siblings.size(); ++i)
        sibs.append(QJsonObject{{"run", QString::fromStdString(siblings[i].name)},
                                {"schedule", QString::fromStdString(siblingHow[i])}});
    root["siblings"] = sibs;
    if (measuredFinal) {
        root["measured_final_step"] = static_cast<double>(measuredStep);
        root["measured_final_loss"] = *measuredFinal;
        // The forecast at the measured step (the schedule's end may lie beyond it).
        const std::vector<long> at = {measuredStep};
        const double predicted =
            fit::predictCurveLaw(info.id, f.fit.values(), target.curve.lr, at, f.fit.lraLambda)[0];
        root["predicted_at_measured_step"] = predicted;
        root["error"] = predicted - *measuredFinal;
    }
    QJsonArray whatIfJson;
    for (const WhatIf& w : whatIfs) {
        QJsonObject o = forecastJson(w.forecast);
        o["spec"] = QString::fromStdString(w.spec);
        whatIfJson.append(o);
    }
    root["what_if"] = whatIfJson;
    if (search) {
        QJsonArray fr, fl;
        for (std::size_t i = 0; i < search->fractions.size(); ++i) {
            fr.append(search->fractions[i]);
            fl.append(search->finalLoss[i]);
        }
        root["wsd_cooldown_search"] =
            QJsonObject{{"fractions", fr},
                        {"final_loss", fl},
                        {"best_fraction", search->bestFraction},
                        {"best_final_loss", search->bestFinalLoss},
                        {"best_schedule", QString::fromStdString(search->best.describe())}};
    }
    if (a.store) {
        data::RunForecast rf;
        rf.runId = run.id;
        rf.metric = metric;
        rf.law = std::string(info.key);
        rf.lastLoggedStep = f.lastLoggedStep;
        rf.finalStep = s.finalStep;
        rf.finalLoss = s.finalLoss;
        rf.bandLower = s.finalBand.lower;
        rf.bandUpper = s.finalBand.upper;
        rf.bandLevel = options.bandLevel;
        QJsonObject saved = root;
        saved.remove("what_if");
        saved.remove("wsd_cooldown_search");
        rf.resultJson = QJsonDocument(saved).toJson(QJsonDocument::Compact).toStdString();
        if (!project->setRunForecast(rf, &error)) {
            std::cerr << "scalelens-cli forecast: " << error << "\n";
            return project->lastWriteBusy() ? kExitBusy : kExitBadInput;
        }
        stored = true;
    }
    root["stored"] = stored;
    if (a.run.json) {
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    std::cout << info.displayName << " forecast of " << printable(run.name) << " (" << metric
              << "): " << f.message << "\n  schedule: " << printable(target.how) << "\n";
    for (std::size_t i = 0; i < siblings.size(); ++i)
        std::cout << "  sibling " << printable(siblings[i].name) << ": " << printable(siblingHow[i])
                  << "\n";
    std::printf("  fitted to step %ld; final loss at step %ld: %.4f", f.lastLoggedStep, s.finalStep,
                s.finalLoss);
    std::printf("  (%.0f%% band [%.4f, %.4f], %d resamples)\n", 100 * options.bandLevel,
                s.finalBand.lower, s.finalBand.upper, f.fit.bootstrapResamples);
    if (measuredFinal)
        std::printf("  measured at step %ld: %.4f, forecast there %.4f, error %+.4f\n",
                    measuredStep, *measuredFinal, root["predicted_at_measured_step"].toDouble(),
                    root["error"].toDouble());
    printParams(f.fit);
    std::printf("  %.2f s\n", f.fit.seconds);
    for (const WhatIf& w : whatIfs)
        std::printf("  what if %s (%s): final loss at step %ld %.4f, band [%.4f, %.4f]\n",
                    w.spec.c_str(), w.forecast.label.c_str(), w.forecast.finalStep,
                    w.forecast.finalLoss, w.forecast.finalBand.lower, w.forecast.finalBand.upper);
    if (search) {
        std::printf("  WSD cooldown search:");
        for (std::size_t i = 0; i < search->fractions.size(); ++i)
            std::printf(" %.2f->%.4f", search->fractions[i], search->finalLoss[i]);
        std::printf("\n  best cooldown %.2f: final loss %.4f (%s)\n", search->bestFraction,
                    search->bestFinalLoss, search->best.describe().c_str());
    }
    if (stored)
        std::printf("  stored as the forecast of %s\n", printable(run.name).c_str());
    return kExitOk;
}

RunFn declareForecast(CLI::App& app, const std::vector<std::string>&) {
    app.description(
        "Forecasts a run's loss to the end of its planned LR schedule: fits a loss-curve law to\n"
        "the logged curve plus finished sibling runs of the same set-up, then evaluates it\n"
        "along the plan. The run is a CSV (--input, with step, lr, loss) or a run of a project\n"
        "(--project P --run R: its loss metric and, as plan, its stored schedule, else the one\n"
        "inferred from its logged LR). Without a plan for a CSV, it is inferred from the\n"
        "logged LR when unambiguous, else the last logged LR is held to the end.\n"
        "With --project: --schedule SPEC changes the plan ([TYPE:]KEY=VALUE,..., keys type,\n"
        "peak, final, warmup, total, decay-start, cooldown), --what-if SPEC predicts the run\n"
        "under another schedule (e.g. wsd:cooldown=0.2), --search-wsd-cooldown finds the best\n"
        "WSD cooldown fraction, --hide-after STEP tests the forecast on a finished run, --store\n"
        "keeps the forecast in the project (for `fit --include-forecasts`).");
    auto a = std::make_shared<ForecastArgs>();
    addTexts(app, "--input", a->run.inputs, "CSV of the run (step,lr,loss)")->group("Input");
    addTexts(app, "--sibling", a->siblings,
             "CSV of a finished run of the same set-up (step,lr,loss); repeatable")
        ->group("Input");
    addText(app, "--project", a->project, "Project file (.scalelens); with --run")
        ->group("Project");
    addText(app, "--run", a->runName, "Name of the run to forecast")->group("Project");
    addText(app, "--group", a->group, "Group of the run (and siblings) when names repeat")
        ->group("Project");
    addText(app, "--metric", a->metric, "Loss metric (default: the project's loss metric)")
        ->group("Project");
    app.add_option("--lr-metric", a->lrMetric, "Metric of the logged LR (default lr)")
        ->group("Project");
    addText(app, "--siblings", a->siblingRuns, "Finished runs of the same set-up: R2,R3")
        ->group("Project");
    addTexts(app, "--what-if", a->whatIf, "Another schedule for the fitted law (SPEC); repeatable")
        ->group("Project");
    addFlag(app, "--search-wsd-cooldown", a->searchCooldown,
            "Best WSD cooldown fraction (0.05 .. 0.5) for the fitted law")
        ->group("Project");
    addInteger(app, "--hide-after", a->hideAfter,
               "Fit only the points up to this step; report the error at the measured end",
               Rule::Positive)
        ->group("Project");
    addFlag(app, "--store", a->store, "Store the forecast as the run's forecast")->group("Project");
    app.add_option("--law", a->law, "mpl (default) or lr-annealing")->group("Fit");
    const char* plan = "Planned schedule";
    addInteger(app, "--total-steps", a->totalSteps,
               "Steps of the whole run (required with --input)", Rule::Positive)
        ->group(plan);
    addText(app, "--schedule", a->schedule,
            "constant, cosine, linear, wsd, wsd-linear or two-stage (default: inferred); with "
            "--project also a SPEC")
        ->group(plan);
    addNumber(app, "--peak-lr", a->peakLr, "Peak LR after warm-up", Rule::Positive)->group(plan);
    addNumber(app, "--final-lr", a->finalLr, "LR at the end (two-stage: of the second stage)",
              Rule::NonNegative)
        ->group(plan);
    addInteger(app, "--warmup", a->warmup, "Linear warm-up steps from 0 (default 0)",
               Rule::NonNegative)
        ->group(plan);
    addInteger(app, "--decay-start", a->decayStart, "First step of the decay (wsd, two-stage)",
               Rule::NonNegative)
        ->group(plan);
    addRunOptions(app, a->run, true, "Block-bootstrap resamples for the band (default 16)");
    return [a] { return forecast(*a); };
}

}  // namespace

SCALELENS_CLI_FIT_LAW(mpl, "mpl", "Multi-Power Law loss curves (Luo et al. 2025)", declareFitMpl);
SCALELENS_CLI_FIT_LAW(lr_annealing, "lr-annealing", "LR-annealing loss curves (Tissue et al. 2024)",
                      declareFitLra);
SCALELENS_CLI_COMMAND(forecast, "forecast", "Forecast a run's final loss from its logged curve",
                      declareForecast);

}  // namespace scalelens::cli
