#include "analysis/run_table.h"

#include <datasets/project.h>
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "analysis/loss_metric.h"

namespace scalelens::analysis {

namespace {

bool selected(const data::Run& run, const Selection& s, const std::unordered_set<std::int64_t>& ids,
              RunTable* table, const std::unordered_set<std::int64_t>& forecasted = {}) {
    if (s.group && run.group != *s.group)
        return false;
    if ((s.selectedOnly || !ids.empty()) && !ids.count(run.id))
        return false;
    if (run.excluded && !s.includeExcluded) {
        ++table->excludedSkipped;
        return false;
    }
    if (s.excludeStoppedMidSchedule && stoppedMidSchedule(run) && !forecasted.count(run.id)) {
        ++table->stoppedSkipped;
        return false;
    }
    return true;
}

bool finish(const Selection& s, RunTable* table, std::string* error) {
    if (!table->runs.empty())
        return true;
    if (error) {
        *error = s.group ? "no runs in group '" + *s.group + "'"
                         : "The data selection holds no included run.";
        if (table->excludedSkipped > 0)
            *error += " (" + std::to_string(table->excludedSkipped) + " excluded runs left out)";
    }
    return false;
}

const std::vector<CurvePoint> kNoCurve;

}  // namespace

std::string Selection::describe() const {
    std::string out;
    if (!runIds.empty() || selectedOnly)
        out = std::to_string(runIds.size()) + " selected runs";
    else if (group)
        out = "Group '" + *group + "'";
    else
        out = "All included runs";
    if (!runIds.empty() && group)
        out += " of group '" + *group + "'";
    return out;
}

bool stoppedMidSchedule(const data::Run& run) {
    return std::find(run.tags.begin(), run.tags.end(), kStoppedTag) != run.tags.end();
}

std::optional<double> RunTable::metric(const std::string& name, std::size_t run) const {
    const auto it = metrics.find(name);
    if (it == metrics.end() || run >= it->second.size())
        return std::nullopt;
    return it->second[run];
}

std::optional<double> RunTable::evaluation(const std::string& benchmark, std::size_t run) const {
    const auto it = evaluations.find(benchmark);
    if (it == evaluations.end() || run >= it->second.size())
        return std::nullopt;
    return it->second[run];
}

bool RunTable::hasMetric(const std::string& name) const {
    const auto it = metrics.find(name);
    if (it == metrics.end())
        return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [](const std::optional<double>& v) { return v.has_value(); });
}

const std::vector<CurvePoint>& RunTable::curve(const std::string& metric, std::size_t run) const {
    const auto it = series.find(metric);
    if (it == series.end() || run >= it->second.size())
        return kNoCurve;
    return it->second[run];
}

bool loadRunTable(const data::Project& project, const Selection& s, RunTable* table,
                  std::string* error, const std::set<std::string>& wantSeries) {
    *table = RunTable{};
    table->lossMetric = s.lossMetric.empty() ? lossMetric(project).name : s.lossMetric;
    table->group = s.group;
    table->groupIsDefault = s.group && s.groupIsDefault;
    const std::unordered_set<std::int64_t> ids(s.runIds.begin(), s.runIds.end());
    // Forecasts of the loss metric for runs logged only up to the forecast's last logged step.
    std::map<std::int64_t, data::RunForecast> forecasts;
    std::unordered_set<std::int64_t> forecasted;
    if (s.includeForecasts)
        for (const data::RunForecast& f : project.runForecasts()) {
            if (f.metric != table->lossMetric || f.finalStep <= f.lastLoggedStep)
                continue;
            const data::MetricSeries m = project.metrics(f.runId, f.metric);
            double last = -1;
            for (std::size_t k = 0; k < m.size(); ++k)
                if (std::isfinite(m.step[k]))
                    last = std::max(last, m.step[k]);
            if (last > static_cast<double>(f.lastLoggedStep)) {
                ++table->forecastsStale;  // logged further (or to the end) since
                continue;
            }
            forecasts[f.runId] = f;
            forecasted.insert(f.runId);
        }
    std::map<std::int64_t, std::size_t> index;
    for (const data::Run& run : project.runs()) {
        if (!selected(run, s, ids, table, forecasted))
            continue;
        index[run.id] = table->runs.size();
        table->runs.push_back(run);
    }
    const std::size_t n = table->runs.size();
    for (const std::string& name : project.metricNames()) {
        std::vector<std::optional<double>> column(n);
        bool any = false;
        for (const data::RunValue& v : project.finalValues(name)) {
            const auto it = index.find(v.runId);
            if (it == index.end())
                continue;
            column[it->second] = v.value;
            any = true;
        }
        if (any)
            table->metrics[name] = std::move(column);
    }
    if (s.includeForecasts) {
        table->forecastLoss.assign(n, false);
        auto& losses = table->metrics[table->lossMetric];
        losses.resize(n);
        for (const auto& [id, i] : index) {
            const auto f = forecasts.find(id);
            if (f == forecasts.end())
                continue;
            losses[i] = f->second.finalLoss;
            table->forecastLoss[i] = true;
            ++table->forecastsUsed;
            // Tokens (and FLOPs) derived from the last logged row grow with the steps run.
            data::Run& run = table->runs[i];
            const double scale = static_cast<double>(f->second.finalStep + 1) /
                                 static_cast<double>(std::max(1L, f->second.lastLoggedStep));
            if (run.tokens && run.isDerived(data::RunField::Tokens))
                run.tokens = *run.tokens * scale;
            if (run.flops && run.isDerived(data::RunField::Flops))
                run.flops = *run.flops * scale;
        }
    }
    for (const std::string& name : wantSeries) {
        auto& curves = table->series[name];
        curves.resize(n);
        for (const auto& [id, i] : index) {
            const data::MetricSeries m = project.metrics(id, name);
            for (std::size_t k = 0; k < m.size(); ++k)
                curves[i].push_back({m.step[k], m.tokens[k], m.value[k]});
        }
    }
    for (const data::Evaluation& e : project.evaluations()) {
        const auto it = index.find(e.runId);
        if (it == index.end())
            continue;
        auto& column = table->evaluations[e.benchmark];
        column.resize(n);
        column[it->second] = e.score;
    }
    return finish(s, table, error);
}

bool runTableFromImport(const data::ImportResult& res, const Selection& s, RunTable* table,
                        std::string* error, const std::set<std::string>& wantSeries) {
    *table = RunTable{};
    table->lossMetric = s.lossMetric.empty() ? defaultLossMetric(res.metricNames) : s.lossMetric;
    const std::unordered_set<std::int64_t> ids(s.runIds.begin(), s.runIds.end());
    std::vector<int> keep(res.runs.size(), -1);
    for (std::size_t i = 0; i < res.runs.size(); ++i) {
        if (!selected(res.runs[i], s, ids, table))
            continue;
        keep[i] = static_cast<int>(table->runs.size());
        table->runs.push_back(res.runs[i]);
    }
    const std::size_t n = table->runs.size();
    // Rows of one run and metric: the summary value (no axis) wins, else the largest step, as
    // Project::finalValues does.
    std::map<std::pair<int, int>, std::pair<double, double>> best;  // -> (order, value)
    for (std::size_t row = 0; row < res.metrics.size(); ++row) {
        const int r = keep[static_cast<std::size_t>(res.metrics.run[row])];
        if (r < 0)
            continue;
        const int metric = res.metrics.metric[row];
        const double axes[] = {res.metrics.step[row], res.metrics.tokens[row],
                               res.metrics.flops[row], res.metrics.wallTime[row]};
        double order = HUGE_VAL;  // no axis: a summary value, comes last
        for (double a : axes) {
            if (std::isfinite(a)) {
                order = a;
                break;
            }
        }
        auto [it, inserted] = best.try_emplace({r, metric}, order, res.metrics.value[row]);
        if (!inserted && order >= it->second.first)
            it->second = {order, res.metrics.value[row]};
        const std::string& name = res.metricNames[static_cast<std::size_t>(metric)];
        if (wantSeries.count(name)) {
            auto& curves = table->series[name];
            curves.resize(n);
            curves[static_cast<std::size_t>(r)].push_back(
                {res.metrics.step[row], res.metrics.tokens[row], res.metrics.value[row]});
        }
    }
    for (const auto& [key, value] : best) {
        auto& column = table->metrics[res.metricNames[static_cast<std::size_t>(key.second)]];
        column.resize(n);
        column[static_cast<std::size_t>(key.first)] = value.second;
    }
    for (auto& [name, curves] : table->series)
        curves.resize(n);  // file order (the step order of a log)
    for (const auto& e : res.evaluations) {
        const int r = keep[static_cast<std::size_t>(e.run)];
        if (r < 0)
            continue;
        auto& column = table->evaluations[e.benchmark];
        column.resize(n);
        column[static_cast<std::size_t>(r)] = e.score;
    }
    for (const auto& w : res.warnings)
        table->warnings.push_back(w.message);
    return finish(s, table, error);
}

}  // namespace scalelens::analysis
