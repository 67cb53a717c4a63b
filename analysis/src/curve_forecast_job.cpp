#include "analysis/curve_forecast_job.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

#include "analysis/curve_inputs.h"
#include "analysis/loss_metric.h"

namespace scalelens::analysis {

namespace {

bool failWith(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

// Linear interpolation of (xs, ys) at x (clamped to the ends).
double interpolate(const std::vector<long>& xs, const std::vector<double>& ys, long x) {
    if (xs.empty() || ys.size() != xs.size())
        return std::nan("");
    if (x <= xs.front())
        return ys.front();
    if (x >= xs.back())
        return ys.back();
    const auto it = std::upper_bound(xs.begin(), xs.end(), x);
    const std::size_t i = static_cast<std::size_t>(it - xs.begin());
    const double t = static_cast<double>(x - xs[i - 1]) / static_cast<double>(xs[i] - xs[i - 1]);
    return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

}  // namespace

bool prepareCurveForecast(const data::Project& project, const CurveForecastRequest& request,
                          CurveForecastJob* job, std::string* error) {
    *job = {};
    job->request = request;
    if (!(request.holdoutFraction >= 0 && request.holdoutFraction <= 0.9))
        return failWith(error, "the held-out fraction must be between 0 and 90%");
    const std::optional<data::Run> run = project.run(request.runId);
    if (!run)
        return failWith(error, "the run no longer exists");
    job->runName = run->name;
    job->metric = request.metric.empty() ? lossMetric(project).name : request.metric;
    if (job->metric.empty())
        return failWith(error, "the project has no loss metric to forecast");
    job->loggedLr = loggedLr(project, run->id, request.lrMetric);
    const std::optional<data::RunSchedule> stored = project.runSchedule(run->id);
    if (job->loggedLr.empty() && !stored)
        return failWith(error, "Run '" + run->name + "' has no learning-rate curve (metric '" +
                                   request.lrMetric +
                                   "') and no stored schedule, so the law cannot be "
                                   "evaluated: set its planned schedule with Schedule… (or "
                                   "`scalelens-cli schedule --set`).");
    if (!stored) {
        const fit::ScheduleInference inf = fit::inferSchedule(job->loggedLr);
        if (!inf.unambiguous)
            return failWith(error, "Run '" + run->name +
                                       "' has no stored schedule and its logged learning rate "
                                       "does not pin one (" +
                                       inf.message +
                                       "): set its planned schedule with Schedule… (or "
                                       "`scalelens-cli schedule --set`).");
    }
    RunCurve rc;
    if (!runCurve(project, *run, job->metric, request.lrMetric, std::nullopt, false, &rc, error))
        return false;
    job->plan = rc.plan;
    job->scheduleHow = rc.how;
    job->measuredSteps = rc.curve.steps;
    job->measuredLoss = rc.curve.loss;
    job->target = rc.curve;
    if (request.holdoutFraction > 0) {
        const double cut =
            (1.0 - request.holdoutFraction) * static_cast<double>(job->measuredSteps.back());
        std::size_t keep = 0;
        while (keep < job->target.steps.size() &&
               static_cast<double>(job->target.steps[keep]) <= cut)
            ++keep;
        job->target.steps.resize(keep);
        job->target.loss.resize(keep);
    }
    job->fittedPoints = job->target.steps.size();
    if (job->fittedPoints < kMinForecastPoints)
        return failWith(error,
                        "Run '" + run->name + "' has " + std::to_string(job->fittedPoints) +
                            " logged '" + job->metric + "' points" +
                            (request.holdoutFraction > 0 ? " before the held-out tail" : "") +
                            "; the law needs at least " + std::to_string(kMinForecastPoints) + ".");
    for (const std::int64_t id : request.siblingRunIds) {
        const std::optional<data::Run> sibling = project.run(id);
        if (!sibling)
            return failWith(error, "a sibling run no longer exists");
        // A finished sibling's logged LR covers its whole run, so holding its last value is
        // exact where its schedule cannot be inferred.
        RunCurve sc;
        std::string why;
        if (!runCurve(project, *sibling, job->metric, request.lrMetric, std::nullopt, true, &sc,
                      &why))
            return failWith(error, "sibling run '" + sibling->name + "': " + why);
        sc.curve.name = sibling->name;
        job->siblings.push_back(std::move(sc.curve));
        job->siblingNames.push_back(sibling->name);
    }
    return true;
}

fit::ForecastOptions defaultCurveForecastOptions() {
    fit::ForecastOptions o;
    o.fit.bootstrapResamples = 16;
    return o;
}

CurveForecastOutcome runCurveForecast(const CurveForecastJob& job,
                                      const fit::ForecastOptions& options,
                                      const fit::ProgressCallback& progress) {
    CurveForecastOutcome out;
    out.job = job;
    out.bandLevel = options.bandLevel;
    out.result = fit::forecastCurve(job.request.law, job.target, job.siblings, options, progress);
    if (!fit::isUsable(out.result.status))
        return out;
    const std::vector<double> params = out.result.fit.values();
    out.fittedLaw = fit::predictCurveLaw(job.request.law, params, job.target.lr, job.target.steps,
                                         out.result.fit.lraLambda);
    // The end: the last measured point beyond the fitted prefix.
    if (job.measuredSteps.size() > job.fittedPoints) {
        const long step = job.measuredSteps.back();
        if (step < static_cast<long>(job.target.lr.size())) {
            const std::vector<long> at = {step};
            const double predicted = fit::predictCurveLaw(job.request.law, params, job.target.lr,
                                                          at, out.result.fit.lraLambda)[0];
            const fit::ScheduleForecast& f = out.result.forecast;
            const double lo = interpolate(f.steps, f.lower, step);
            const double hi = interpolate(f.steps, f.upper, step);
            out.hasEndError = std::isfinite(predicted);
            out.measuredEndStep = step;
            out.measuredEndLoss = job.measuredLoss.back();
            out.predictedEndLoss = predicted;
            out.endError = predicted - out.measuredEndLoss;
            out.relativeEndError = out.endError / out.measuredEndLoss;
            out.endInBand = out.measuredEndLoss >= lo && out.measuredEndLoss <= hi;
        }
    }
    return out;
}

std::vector<fit::ScheduleDefinition> whatIfSchedules(const fit::ScheduleDefinition& plan,
                                                     std::vector<std::string>* names) {
    std::vector<fit::ScheduleDefinition> out;
    std::vector<std::string> labels;
    fit::ScheduleDefinition base = plan;
    if (base.shape == fit::ScheduleShape::Constant || !(base.finalLr < base.peakLr))
        base.finalLr = base.peakLr / 10;
    auto add = [&](fit::ScheduleDefinition d, const std::string& name) {
        if (!d.isValid())
            return;
        for (const fit::ScheduleDefinition& o : out)
            if (o.describe() == d.describe())
                return;
        out.push_back(d);
        labels.push_back(name);
    };
    add(plan, "plan");
    fit::ScheduleDefinition cosine = base;
    cosine.shape = fit::ScheduleShape::Cosine;
    add(cosine, "cosine");
    for (const double f : {0.1, 0.2}) {
        fit::ScheduleDefinition wsd = base;
        wsd.shape = fit::ScheduleShape::WsdGeometric;
        wsd.decayStart = base.totalSteps - std::lround(f * static_cast<double>(base.totalSteps));
        add(wsd, "WSD " + std::to_string(std::lround(f * 100)) + "%");
    }
    if (names)
        *names = labels;
    return out;
}

CurveWhatIf computeWhatIf(const CurveForecastOutcome& outcome) {
    CurveWhatIf w;
    if (!fit::isUsable(outcome.result.status) || !outcome.job.plan) {
        w.message = "what-if needs a fitted forecast and a planned schedule";
        return w;
    }
    const fit::ScheduleDefinition& plan = *outcome.job.plan;
    const long firstStep = outcome.job.target.steps.front();
    const long lastFitted = outcome.job.target.steps.back();
    for (const fit::ScheduleDefinition& d : whatIfSchedules(plan, &w.names)) {
        const std::vector<double> lr = d.materialise();
        if (static_cast<long>(lr.size()) <= lastFitted)
            continue;
        fit::ScheduleForecast f = fit::forecastSchedule(
            outcome.result.fit, lr, firstStep, outcome.bandLevel, 200, outcome.result.residuals);
        f.label = d.describe();
        w.schedules.push_back(std::move(f));
    }
    w.names.resize(w.schedules.size());
    fit::ScheduleDefinition wsd = plan;
    wsd.shape = fit::ScheduleShape::WsdGeometric;
    if (plan.shape == fit::ScheduleShape::Constant || !(wsd.finalLr < wsd.peakLr) ||
        wsd.finalLr <= 0)
        wsd.finalLr = wsd.peakLr / 10;
    wsd.decayStart = wsd.warmupSteps;
    std::vector<double> fractions;
    for (int i = 1; i <= 10; ++i)
        fractions.push_back(0.05 * i);
    const fit::FamilySearchResult s = fit::searchWsdCooldown(outcome.result.fit, wsd, fractions);
    if (fit::isUsable(s.status)) {
        w.searched = true;
        w.fractions = s.fractions;
        w.fractionLoss = s.finalLoss;
        w.bestFraction = s.bestFraction;
        w.bestLoss = s.bestFinalLoss;
    } else {
        w.message = s.message;
    }
    return w;
}

data::RunForecast toRunForecast(const CurveForecastOutcome& o) {
    const fit::ScheduleForecast& s = o.result.forecast;
    const fit::CurveLawInfo& info = fit::curveLawInfo(o.job.request.law);
    data::RunForecast rf;
    rf.runId = o.job.request.runId;
    rf.metric = o.job.metric;
    rf.law = std::string(info.key);
    rf.lastLoggedStep = o.result.lastLoggedStep;
    rf.finalStep = s.finalStep;
    rf.finalLoss = s.finalLoss;
    rf.bandLower = s.finalBand.lower;
    rf.bandUpper = s.finalBand.upper;
    rf.bandLevel = o.bandLevel;
    QJsonArray params;
    for (const double v : o.result.fit.values())
        params.append(v);
    const QJsonObject json{{"law", QString::fromUtf8(info.key.data(), info.key.size())},
                           {"source", QStringLiteral("gui curve-forecast view")},
                           {"schedule", QString::fromStdString(o.job.scheduleHow)},
                           {"final_loss", s.finalLoss},
                           {"band", QJsonArray{s.finalBand.lower, s.finalBand.upper}},
                           {"params", params}};
    rf.resultJson = QJsonDocument(json).toJson(QJsonDocument::Compact).toStdString();
    return rf;
}

}  // namespace scalelens::analysis
