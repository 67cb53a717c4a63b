#include "analysis/law_inputs.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <regex>
#include <set>
#include <string_view>

#include <datasets/examples.h>
#include <fitting/avgparam.h>

namespace scalelens::analysis {

namespace {

bool positive(double v) {
    return v > 0 && std::isfinite(v);
}

std::optional<double> positive(const std::optional<double>& v) {
    return v && positive(*v) ? v : std::nullopt;
}

// Keeps the rows in `keep` (ascending) of every per-row vector.
template <class T>
void keepRows(std::vector<T>* v, const std::vector<std::size_t>& keep) {
    std::vector<T> out;
    out.reserve(keep.size());
    for (std::size_t i : keep)
        out.push_back(std::move((*v)[i]));
    v->swap(out);
}

void keepInputRows(InputRows* in, const std::vector<std::size_t>& keep) {
    in->dropped += static_cast<int>(in->rows.size() - keep.size());
    keepRows(&in->rows, keep);
    keepRows(&in->runIds, keep);
    keepRows(&in->names, keep);
    std::vector<bool> forecast;
    for (std::size_t i : keep)
        forecast.push_back(i < in->forecast.size() && in->forecast[i]);
    in->forecast.swap(forecast);
    in->forecasts = static_cast<int>(std::count(in->forecast.begin(), in->forecast.end(), true));
}

struct Schedule {
    bool ok = false;
    double finalSparsity = 0;
    double density = 1;  // average density over training
};

// A sparsity schedule JSON (see data::Run::sparsitySchedule) -> final sparsity and the average
// density of the prunable parameters (Jin et al. 2025).
Schedule parseSchedule(const std::string& json, std::string* error) {
    Schedule s;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = "sparsity_schedule is not a JSON object";
        return s;
    }
    const QJsonObject o = doc.object();
    fit::ComputeFractionSchedule c;
    const QString kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("geometric"));
    if (kind == QStringLiteral("geometric"))
        c.shape = fit::PruningShape::Geometric;
    else if (kind == QStringLiteral("cubic"))
        c.shape = fit::PruningShape::Cubic;
    else if (kind == QStringLiteral("linear"))
        c.shape = fit::PruningShape::Linear;
    else {
        *error = "sparsity_schedule kind must be geometric, cubic or linear";
        return s;
    }
    c.pruneStart = o.value(QStringLiteral("prune_start")).toDouble(0.25);
    c.pruneEnd = o.value(QStringLiteral("prune_end")).toDouble(0.75);
    c.finalSparsity = o.value(QStringLiteral("final_sparsity")).toDouble(-1);
    if (!c.isValid(error))
        return s;
    const fit::PruningScheduleSpec spec = fit::scheduleFromComputeFractions(c, error);
    if (!spec.isValid(error))
        return s;
    s.density = fit::averageDensity(spec);
    if (!(s.density > 0)) {
        *error = "sparsity_schedule gives no positive average density";
        return s;
    }
    s.ok = true;
    s.finalSparsity = c.finalSparsity;
    return s;
}

}  // namespace

// ---- derivations -----------------------------------------------------------------------------

std::optional<double> runParams(const data::Run& run, ParamsKind kind) {
    std::optional<double> n;
    switch (kind) {
        case ParamsKind::Total:
            break;
        case ParamsKind::NonEmbedding:
            n = positive(run.nonEmbeddingParams);
            break;
        case ParamsKind::Active:
            n = positive(run.activeParams);
            break;
    }
    return n ? n : positive(run.totalParams);
}

std::optional<Ndc> runNdc(const data::Run& run, ParamsKind kind) {
    const auto n = runParams(run, kind);
    if (!n)
        return std::nullopt;
    Ndc v;
    v.N = *n;
    v.D = positive(run.tokens).value_or(0.0);
    v.C = positive(run.flops).value_or(0.0);
    if (!(v.D > 0) && v.C > 0)
        v.D = v.C / (6.0 * v.N);
    if (!(v.C > 0) && v.D > 0)
        v.C = 6.0 * v.N * v.D;
    if (!(v.D > 0))
        return std::nullopt;
    return v;
}

std::optional<double> plannedBudget(const RunTable& table, std::size_t run) {
    return positive(table.metric(kBudgetMetric, run));
}

std::optional<double> knowledgeBits(const RunTable& table, std::size_t i) {
    for (const char* name : {"bits", "knowledge_bits"}) {
        if (const auto b = table.metric(name, i); b && std::isfinite(*b))
            return b;
    }
    const auto people = table.metric("people", i);
    const auto p1 = table.metric("p1", i), p2 = table.metric("p2", i);
    if (people && p1 && p2)
        return fit::knowledgeBitsBioS(*people, *p1, *p2);
    return std::nullopt;
}

void InputRows::add(const RunTable& table, std::size_t row) {
    rows.push_back(row);
    runIds.push_back(table.runs[row].id);
    names.push_back(table.runs[row].name);
    forecast.push_back(table.isForecast(row));
    forecasts += table.isForecast(row) ? 1 : 0;
}

// ---- tables ----------------------------------------------------------------------------------

NdlInputs ndlInputs(const RunTable& table, ParamsKind kind) {
    NdlInputs in;
    in.lossMetric = table.lossMetric;
    in.skippedWhy = "lack N, D (or C) or a final '" + table.lossMetric + "'";
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (!table.runs[i].sparsitySchedule.empty()) {
            ++in.pruned;
            continue;
        }
        const auto v = runNdc(table.runs[i], kind);
        const auto loss = positive(table.loss(i));
        if (!v || !loss) {
            ++in.skipped;
            continue;
        }
        in.add(table, i);
        in.obs.push_back({v->N, v->D, *loss, 1.0, table.runs[i].name});
        in.compute.push_back(v->C);
    }
    return in;
}

IsoFlopInputs isoflopInputs(const RunTable& table, const Grouping& grouping) {
    IsoFlopInputs in;
    in.lossMetric = table.lossMetric;
    in.grouping = grouping;
    in.skippedWhy = "lack N, C (or D) or a final '" + table.lossMetric + "'";
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (!table.runs[i].sparsitySchedule.empty()) {
            ++in.pruned;
            continue;
        }
        const auto v = runNdc(table.runs[i], ParamsKind::Active);
        const auto loss = positive(table.loss(i));
        const auto planned = plannedBudget(table, i);
        if (!v || !loss) {
            ++in.skipped;
            continue;
        }
        in.add(table, i);
        in.points.push_back({v->N, v->D, planned.value_or(v->C), *loss});
        in.runCompute.push_back(planned.value_or(v->C));
        in.plannedBudgets += planned ? 1 : 0;
    }
    in.budgets = groupValues(in.runCompute, grouping);
    for (std::size_t k = 0; k < in.points.size(); ++k)
        in.points[k].C = in.budgets.centre[static_cast<std::size_t>(in.budgets.index[k])];
    return in;
}

bool avgParamInputs(const RunTable& table, const std::string& paramsMetric, AvgParamInputs* out,
                    std::string* error) {
    AvgParamInputs in;
    in.lossMetric = table.lossMetric;
    in.skippedWhy = "lack params, tokens or a final '" + table.lossMetric + "'";
    for (std::size_t i = 0; i < table.size(); ++i) {
        const data::Run& r = table.runs[i];
        const auto loss = positive(table.loss(i));
        const std::vector<CurvePoint>& curve = table.curve(paramsMetric, i);
        const bool haveCurve = curve.size() >= 2;
        // D: the run's tokens, else the last tokens value of its parameter curve (long CSVs
        // carry tokens per row, not per run).
        std::optional<double> tokens = positive(r.tokens);
        if (!tokens && haveCurve) {
            for (const CurvePoint& p : curve)
                if (positive(p.tokens))
                    tokens = std::max(tokens.value_or(0.0), p.tokens);
        }
        if (!tokens || !loss) {
            ++in.skipped;
            continue;
        }
        if (haveCurve) {
            bool haveTokens = true, haveSteps = true;
            for (const CurvePoint& p : curve) {
                haveTokens = haveTokens && std::isfinite(p.tokens);
                haveSteps = haveSteps && std::isfinite(p.step);
            }
            if (!haveTokens && !haveSteps) {
                *error = "run '" + r.name + "': metric '" + paramsMetric +
                         "' has neither steps nor tokens";
                return false;
            }
            // Over the tokens axis the average is token-weighted (batch sizes may change);
            // over steps it is the step average (Jin et al. 2025).
            std::vector<fit::ParamCountSample> samples;
            for (const CurvePoint& p : curve)
                samples.push_back({haveTokens ? p.tokens : p.step, p.value, 0.0});
            const fit::AverageParamResult avg = fit::averageParamCount(samples);
            if (!avg.ok) {
                *error = "run '" + r.name + "': " + avg.message;
                return false;
            }
            double nMax = 0;
            for (const CurvePoint& p : curve)
                nMax = std::max(nMax, p.value);
            const double nFinal = curve.back().value;
            in.add(table, i);
            in.runs.push_back({r.name, avg.average, nFinal, *tokens, *loss});
            in.nDense.push_back(positive(r.totalParams).value_or(nMax));
            in.finalSparsity.push_back(1 - nFinal / nMax);
            in.nAvgSource.push_back(haveTokens ? "curve (token-weighted)" : "curve (step average)");
            in.sparseRuns += nFinal < nMax ? 1 : 0;
            continue;
        }
        const auto n = positive(r.totalParams);
        if (!n) {
            ++in.skipped;
            continue;
        }
        double sparsity = table.metric("final_sparsity", i).value_or(0.0);
        std::optional<double> nBar = positive(table.metric("avg_params", i));
        std::string source = nBar ? "avg_params column" : "dense";
        if (!r.sparsitySchedule.empty()) {
            std::string why;
            const Schedule s = parseSchedule(r.sparsitySchedule, &why);
            if (!s.ok) {
                *error = "run '" + r.name + "': " + why;
                return false;
            }
            sparsity = s.finalSparsity;
            if (!nBar) {
                nBar = *n * s.density;
                source = "schedule";
            }
        }
        // No schedule but a final sparsity: sparse from the start (N-bar = final N).
        if (!nBar)
            nBar = *n * (sparsity > 0 ? 1 - sparsity : 1);
        in.add(table, i);
        in.runs.push_back({r.name, *nBar, *n * (1 - sparsity), *tokens, *loss});
        in.nDense.push_back(*n);
        in.finalSparsity.push_back(sparsity);
        in.nAvgSource.push_back(source);
        in.sparseRuns += sparsity > 0 ? 1 : 0;
    }
    *out = std::move(in);
    return true;
}

KnowledgeInputs knowledgeInputs(const RunTable& table) {
    KnowledgeInputs in;
    in.skippedWhy = "lack params and bits (or knowledge_bits, or people, p1, p2)";
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto p = positive(table.runs[i].totalParams);
        const auto bits = knowledgeBits(table, i);
        if (!p || !bits) {
            ++in.skipped;
            continue;
        }
        in.add(table, i);
        in.points.push_back({*p, *bits});
    }
    return in;
}

LrBsInputs lrBsInputs(const RunTable& table, const Grouping& grouping, double batchScale) {
    LrBsInputs in;
    in.lossMetric = table.lossMetric;
    in.grouping = grouping;
    in.skippedWhy = "lack N, tokens, peak LR, batch or a final '" + table.lossMetric + "'";
    std::vector<double> ns, ds;
    for (std::size_t i = 0; i < table.size(); ++i) {
        const data::Run& r = table.runs[i];
        const auto n = runParams(r, ParamsKind::NonEmbedding);
        const auto d = positive(r.tokens);
        const auto lr = positive(r.peakLr);
        const auto batch = positive(r.batchTokens);
        const auto loss = positive(table.loss(i));
        if (!n || !d || !lr || !batch || !loss) {
            ++in.skipped;
            continue;
        }
        in.add(table, i);
        in.runs.push_back({*n, *d, *lr, *batch * batchScale, *loss});
        ns.push_back(*n);
        ds.push_back(*d);
    }
    const Groups gn = groupValues(ns, grouping);
    const Groups gd = groupValues(ds, grouping);
    std::set<std::pair<int, int>> groups;
    for (std::size_t k = 0; k < in.runs.size(); ++k) {
        in.runs[k].n = gn.centre[static_cast<std::size_t>(gn.index[k])];
        in.runs[k].d = gd.centre[static_cast<std::size_t>(gd.index[k])];
        groups.insert({gn.index[k], gd.index[k]});
    }
    in.nGroups = static_cast<int>(groups.size());
    return in;
}

std::string defaultDensingBenchmark(const RunTable& table) {
    std::string best;
    std::size_t bestCount = 0;
    for (const auto* source : {&table.evaluations}) {
        for (const auto& [name, column] : *source) {
            const auto count = static_cast<std::size_t>(std::count_if(
                column.begin(), column.end(), [](const auto& v) { return v.has_value(); }));
            if (count > bestCount) {
                bestCount = count;
                best = name;
            }
        }
    }
    return best;
}

bool densingInputs(const RunTable& table, const DensingSelection& sel, DensingInputs* out,
                   std::string* error) {
    DensingInputs in;
    in.lossMetric = table.lossMetric;
    in.benchmark = sel.benchmark.empty() ? defaultDensingBenchmark(table) : sel.benchmark;
    if (in.benchmark.empty()) {
        *error = "no benchmark scores in the selection (use --benchmark NAME)";
        return false;
    }
    std::optional<std::regex> reference, exclude;
    try {
        if (!sel.referencePattern.empty())
            reference.emplace(sel.referencePattern);
    } catch (const std::regex_error& e) {
        *error = std::string("option --reference: invalid regular expression: ") + e.what();
        return false;
    }
    try {
        if (!sel.excludePattern.empty())
            exclude.emplace(sel.excludePattern);
    } catch (const std::regex_error& e) {
        *error = std::string("option --exclude: invalid regular expression: ") + e.what();
        return false;
    }
    in.skippedWhy = "lack params, a '" + in.benchmark + "' score or a release date";
    auto scoreOf = [&](std::size_t i) {
        const auto s = table.evaluation(in.benchmark, i);
        return s ? s : table.metric(in.benchmark, i);
    };
    for (std::size_t i = 0; i < table.size(); ++i) {
        const data::Run& r = table.runs[i];
        const auto n = runParams(r, sel.params);
        const auto s = scoreOf(i);
        const auto days = fit::daysSinceLlama1(r.releaseDate);
        // Two-step inputs: every selected run with what each step needs (--exclude only
        // removes models from the density table).
        const auto loss = positive(table.loss(i));
        if (positive(r.totalParams) && positive(r.tokens) && loss)
            in.lossPoints.push_back({*r.totalParams, *r.tokens, *loss});
        if (loss && s)
            in.scorePoints.push_back({*loss, *s});
        if (exclude &&
            (std::regex_search(r.name, *exclude) || std::regex_search(r.notes, *exclude)))
            continue;
        if (!n || !s || !days) {
            ++in.skipped;
            continue;
        }
        in.add(table, i);
        in.models.push_back(
            {r.name, *n, *s, *days, reference ? std::regex_search(r.name, *reference) : true});
        in.releaseDates.push_back(r.releaseDate);
    }
    *out = std::move(in);
    return true;
}

ScalingSweep defaultScalingSweep(const data::Project& project, const std::string& lossMetric) {
    ScalingSweep out;
    Selection all;
    all.lossMetric = lossMetric;
    RunTable table;
    std::string why;
    if (!loadRunTable(project, all, &table, &why))
        return out;
    out.lossMetric = table.lossMetric;
    std::map<std::string, std::vector<std::pair<double, double>>> byGroup;  // (N, D) per run
    const NdlInputs in = ndlInputs(table);
    for (std::size_t k = 0; k < in.size(); ++k)
        byGroup[table.runs[in.rows[k]].group].push_back({in.obs[k].x1, in.obs[k].x2});
    out.groupsWithRuns = static_cast<int>(byGroup.size());
    auto distinctShare = [](const std::vector<std::pair<double, double>>& nd) {
        std::set<std::pair<long long, long long>> keys;
        for (const auto& [n, d] : nd)
            keys.insert({std::llround(std::log(n) * 1e4), std::llround(std::log(d) * 1e4)});
        return nd.empty() ? 0.0 : static_cast<double>(keys.size()) / nd.size();
    };
    const auto preferred = byGroup.find(data::kChinchillaGroup);
    if (preferred != byGroup.end() && preferred->second.size() >= 5) {
        out.group = preferred->first;
        return out;
    }
    std::size_t best = 0;
    for (const auto& [group, nd] : byGroup) {
        if (nd.size() > best && distinctShare(nd) > 0.8) {
            best = nd.size();
            out.group = group;
        }
    }
    return out;
}

std::string earliestFamilyPattern(const DensingInputs& in) {
    std::map<double, std::vector<std::string>> byDay;
    for (const fit::DensityModel& m : in.models)
        byDay[m.days].push_back(m.name);
    for (const auto& [day, names] : byDay) {
        if (names.size() < 3)
            continue;
        std::string pattern = "^(";
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0)
                pattern += '|';
            for (char c : names[i]) {
                if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos)
                    pattern += '\\';
                pattern += c;
            }
        }
        return pattern + ")$";
    }
    return {};
}

DensingTwoStepResult densingTwoStep(const DensingInputs& in,
                                    const fit::DensityTrendOptions& trendOptions) {
    DensingTwoStepResult out;
    out.lossFit = fit::fitDensingLoss(in.lossPoints);
    if (!fit::isUsable(out.lossFit.status)) {
        out.message = "loss law: " + out.lossFit.message;
        return out;
    }
    out.scoreFit = fit::fitDensingScore(in.scorePoints);
    if (!fit::isUsable(out.scoreFit.status)) {
        out.message = "score map: " + out.scoreFit.message;
        return out;
    }
    const fit::DensingParams p{out.lossFit.params, out.scoreFit.params, fit::kDensingD0};
    std::vector<fit::DensityPoint> points;
    for (const fit::DensityModel& m : in.models) {
        fit::DensityModelResult r;
        r.name = m.name;
        r.days = m.days;
        const fit::DensingInverse inv = fit::invertDensingScore(p, m.score);
        if (inv.ok) {
            r.ok = true;
            r.nEff = inv.nEff;
            r.density = inv.nEff / m.n;
            points.push_back({m.days, r.density, m.name});
        } else {
            r.message = inv.message;
        }
        out.models.push_back(r);
    }
    out.trend = fit::fitDensityTrend(points, trendOptions);
    out.ok = true;
    out.message = out.trend.message;
    return out;
}

// ---- drop the K highest losses -----------------------------------------------------------------

bool keepAfterDroppingHighest(const std::vector<double>& losses, int k,
                              std::vector<std::size_t>* keep, std::string* error) {
    keep->resize(losses.size());
    std::iota(keep->begin(), keep->end(), std::size_t{0});
    if (k < 0) {
        *error = "option --drop-highest-loss: must be 0 or more";
        return false;
    }
    if (k == 0)
        return true;
    if (static_cast<std::size_t>(k) >= losses.size()) {
        *error = "option --drop-highest-loss: " + std::to_string(k) +
                 " would leave no point to fit (there are " + std::to_string(losses.size()) +
                 " points); use a value below " + std::to_string(losses.size());
        return false;
    }
    std::vector<std::size_t> order(losses.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return losses[a] > losses[b]; });
    std::vector<bool> dropped(losses.size(), false);
    for (int i = 0; i < k; ++i)
        dropped[order[static_cast<std::size_t>(i)]] = true;
    keep->clear();
    for (std::size_t i = 0; i < losses.size(); ++i)
        if (!dropped[i])
            keep->push_back(i);
    return true;
}

bool dropHighestLoss(NdlInputs* in, int k, std::string* error) {
    std::vector<double> losses;
    for (const auto& o : in->obs)
        losses.push_back(o.loss);
    std::vector<std::size_t> keep;
    if (!keepAfterDroppingHighest(losses, k, &keep, error))
        return false;
    keepInputRows(in, keep);
    keepRows(&in->obs, keep);
    keepRows(&in->compute, keep);
    return true;
}

bool dropHighestLoss(IsoFlopInputs* in, int k, std::string* error) {
    std::vector<double> losses;
    for (const auto& p : in->points)
        losses.push_back(p.L);
    std::vector<std::size_t> keep;
    if (!keepAfterDroppingHighest(losses, k, &keep, error))
        return false;
    keepInputRows(in, keep);
    keepRows(&in->points, keep);
    keepRows(&in->runCompute, keep);
    keepRows(&in->budgets.index, keep);
    return true;
}

bool dropHighestLoss(AvgParamInputs* in, int k, std::string* error) {
    std::vector<double> losses;
    for (const auto& r : in->runs)
        losses.push_back(r.loss);
    std::vector<std::size_t> keep;
    if (!keepAfterDroppingHighest(losses, k, &keep, error))
        return false;
    keepInputRows(in, keep);
    keepRows(&in->runs, keep);
    keepRows(&in->nDense, keep);
    keepRows(&in->finalSparsity, keep);
    keepRows(&in->nAvgSource, keep);
    return true;
}

}  // namespace scalelens::analysis
