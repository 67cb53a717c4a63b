#include "analysis/curve_inputs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "analysis/loss_metric.h"
#include "analysis/number_text.h"

namespace scalelens::analysis {

namespace {

bool failWith(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

}  // namespace

bool applyScheduleSpec(const std::string& spec, fit::ScheduleDefinition* d, std::string* error,
                       std::vector<std::string>* keys) {
    std::string rest = spec;
    const std::string kShapes = "constant, cosine, linear, wsd, wsd-linear or two-stage";
    auto setShape = [&](const std::string& name) {
        const auto shape = fit::scheduleShapeFromString(name);
        if (!shape)
            return failWith(error, "'" + name + "' is not a schedule type (" + kShapes + ")");
        d->shape = *shape;
        if (keys)
            keys->push_back("type");
        return true;
    };
    if (const auto colon = rest.find(':'); colon != std::string::npos) {
        if (!setShape(rest.substr(0, colon)))
            return false;
        rest = rest.substr(colon + 1);
    } else if (rest.find('=') == std::string::npos) {
        return setShape(rest);
    }
    std::optional<double> cooldown;
    std::size_t start = 0;
    while (start <= rest.size()) {
        std::size_t end = rest.find(',', start);
        if (end == std::string::npos)
            end = rest.size();
        const std::string item = rest.substr(start, end - start);
        start = end + 1;
        if (item.empty()) {
            if (end == rest.size())
                break;
            return failWith(error, "empty item in '" + spec + "'");
        }
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            return failWith(error, "'" + item + "' is not KEY=VALUE");
        const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
        if (key == "type" || key == "shape") {
            if (!setShape(value))
                return false;
            continue;
        }
        const auto number = parseNumber(value);
        if (!number || !std::isfinite(*number))
            return failWith(error, "'" + item + "' is not a number");
        auto whole = [&](long* out) {
            if (*number < 0 || *number != std::floor(*number) || *number > 1e15)
                return failWith(error, "'" + item + "' is not a whole number of steps >= 0");
            *out = static_cast<long>(*number);
            return true;
        };
        bool ok = true;
        if (key == "peak")
            d->peakLr = *number;
        else if (key == "final")
            d->finalLr = *number;
        else if (key == "warmup")
            ok = whole(&d->warmupSteps);
        else if (key == "total")
            ok = whole(&d->totalSteps);
        else if (key == "decay-start" || key == "decay_start")
            ok = whole(&d->decayStart);
        else if (key == "cooldown") {
            if (!(*number > 0 && *number < 1))
                return failWith(error, "'" + item + "': cooldown is a fraction in (0, 1)");
            cooldown = *number;
        } else
            return failWith(error, "unknown key '" + key +
                                       "' (type, peak, final, warmup, total, decay-start, "
                                       "cooldown)");
        if (!ok)
            return false;
        if (keys)
            keys->push_back(key == "decay_start" ? "decay-start" : key);
    }
    if (cooldown)
        d->decayStart = d->totalSteps - std::lround(*cooldown * static_cast<double>(d->totalSteps));
    return true;
}

bool findRun(const data::Project& project, const std::string& name,
             const std::optional<std::string>& group, data::Run* out, std::string* error) {
    std::vector<data::Run> matches;
    for (const data::Run& r : project.runs())
        if (r.name == name && (!group || r.group == *group))
            matches.push_back(r);
    if (matches.size() == 1) {
        *out = matches.front();
        return true;
    }
    if (matches.empty())
        return failWith(error, "no run named '" + printable(name) + "'" +
                                   (group ? " in group '" + printable(*group) + "'" : ""));
    std::string groups;
    for (const data::Run& r : matches)
        groups += (groups.empty() ? "'" : ", '") + printable(r.group) + "'";
    return failWith(error, "the run name '" + printable(name) + "' is in several groups (" +
                               groups + "): name one with --group");
}

std::string projectLossMetric(const data::Project& project) {
    return analysis::lossMetric(project).name;
}

std::vector<fit::LrPoint> loggedLr(const data::Project& project, std::int64_t runId,
                                   const std::string& metric) {
    std::vector<fit::LrPoint> out;
    const data::MetricSeries s = project.metrics(runId, metric);
    for (std::size_t i = 0; i < s.size(); ++i)
        if (std::isfinite(s.step[i]) && s.step[i] >= 0 && std::isfinite(s.value[i]))
            out.push_back({std::lround(s.step[i]), s.value[i]});
    return out;
}

LoggedLoss loggedLoss(const data::Project& project, std::int64_t runId, const std::string& metric) {
    LoggedLoss out;
    const data::MetricSeries s = project.metrics(runId, metric);
    for (std::size_t i = 0; i < s.size(); ++i)
        if (std::isfinite(s.step[i]) && s.step[i] >= 1 && std::isfinite(s.value[i]) &&
            s.value[i] > 0) {
            const long step = std::lround(s.step[i]);
            if (out.steps.empty() || step > out.steps.back()) {
                out.steps.push_back(step);
                out.loss.push_back(s.value[i]);
            }
        }
    return out;
}

bool runCurve(const data::Project& project, const data::Run& run, const std::string& metric,
              const std::string& lrMetric, const std::optional<fit::ScheduleDefinition>& plan,
              bool allowFallback, RunCurve* out, std::string* error) {
    out->run = run;
    out->curve = {};
    out->curve.name = run.name;
    const LoggedLoss loss = loggedLoss(project, run.id, metric);
    if (loss.steps.size() < 2)
        return failWith(error, "run '" + printable(run.name) + "' has fewer than two logged '" +
                                   printable(metric) + "' values with a step");
    out->curve.steps = loss.steps;
    out->curve.loss = loss.loss;
    fit::Schedule schedule;
    schedule.logged = loggedLr(project, run.id, lrMetric);
    if (plan) {
        schedule.planned = plan;
        out->how = "given: " + plan->describe();
    } else if (const auto stored = project.runSchedule(run.id)) {
        schedule.planned = stored->definition;
        out->how = "stored (" + std::string(data::toString(stored->origin)) +
                   "): " + stored->definition.describe();
    } else if (!schedule.logged.empty()) {
        const fit::ScheduleInference inf = fit::inferSchedule(schedule.logged);
        if (inf.unambiguous) {
            schedule.planned = inf.definition;
            out->how = "inferred: " + inf.message;
        } else if (allowFallback) {
            out->how = "logged LR, interpolated (" + inf.message + ")";
        } else {
            return failWith(error, "run '" + printable(run.name) +
                                       "' has no stored schedule and its logged LR does not "
                                       "pin one (" +
                                       inf.message +
                                       "): set it with `scalelens-cli schedule --set` or "
                                       "--schedule");
        }
    } else {
        return failWith(error, "run '" + printable(run.name) + "' has no schedule: no logged '" +
                                   printable(lrMetric) +
                                   "' metric and none stored (`scalelens-cli schedule --set`)");
    }
    out->plan = schedule.planned;
    long total = schedule.planned ? schedule.planned->totalSteps : 0;
    if (!schedule.logged.empty())
        total = std::max(total, schedule.logged.back().step + 1);
    total = std::max(total, loss.steps.back() + 1);
    if (!schedule.materialise(total, &out->curve.lr, error)) {
        *error = "run '" + printable(run.name) + "': " + *error;
        return false;
    }
    return true;
}

}  // namespace scalelens::analysis
