#include "datasets/fit_json.h"

#include <QJsonArray>
#include <QJsonValue>
#include <cmath>

namespace scalelens::data {

namespace {

QString qs(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<int>(s.size()));
}

// JSON has no NaN/inf: write null instead.
QJsonValue num(double v) {
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

QJsonValue optNum(const std::optional<double>& v) {
    return v ? num(*v) : QJsonValue();
}

QJsonValue optInterval(const std::optional<fit::Interval>& v) {
    if (!v)
        return QJsonValue();
    return QJsonArray{num(v->lower), num(v->upper)};
}

bool fail(QString* error, const QString& text) {
    if (error)
        *error = text;
    return false;
}

std::optional<fit::FitStatus> statusFromString(const QString& s) {
    for (const auto st :
         {fit::FitStatus::NotRun, fit::FitStatus::Converged, fit::FitStatus::NoConvergence,
          fit::FitStatus::Failed, fit::FitStatus::Cancelled, fit::FitStatus::Unreliable}) {
        if (s == qs(fit::toString(st)))
            return st;
    }
    return std::nullopt;
}

bool readEstimates(const QJsonObject& json, const QString& key, std::vector<fit::Estimate>* out,
                   QString* error) {
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isObject())
        return fail(error, key + " must be an object");
    const QJsonObject values = v.toObject();
    for (auto it = values.begin(); it != values.end(); ++it) {
        if (!it.value().isDouble())
            return fail(error, key + "." + it.key() + " must be a number");
        fit::Estimate e;
        e.name = it.key().toStdString();
        e.value = it.value().toDouble();
        out->push_back(e);
    }
    return true;
}

void readUncertainty(const QJsonObject& json, std::vector<fit::Estimate>* params) {
    const QJsonObject se = json.value("stderr").toObject();
    const QJsonObject ci = json.value("ci95").toObject();
    const QJsonObject cov = json.value("cov_stderr").toObject();
    for (auto& e : *params) {
        const QString k = QString::fromStdString(e.name);
        if (se.value(k).isDouble())
            e.stdError = se.value(k).toDouble();
        if (cov.value(k).isDouble())
            e.covStdError = cov.value(k).toDouble();
        const QJsonArray a = ci.value(k).toArray();
        if (a.size() == 2 && a[0].isDouble() && a[1].isDouble())
            e.ci95 = fit::Interval{a[0].toDouble(), a[1].toDouble()};
    }
}

const std::pair<fit::EstimateFlag, const char*> kFlagNames[] = {
    {fit::kEstimateAtBound, "at_bound"},
    {fit::kEstimateNotIdentified, "not_identified"},
    {fit::kEstimateIllConditioned, "ill_conditioned"},
};

}  // namespace

QJsonArray diagnosticsToJson(const std::vector<fit::Diagnostic>& diagnostics) {
    QJsonArray out;
    for (const fit::Diagnostic& d : diagnostics)
        out.append(QJsonObject{{"code", QString::fromStdString(d.code)},
                               {"severity", qs(fit::toString(d.severity))},
                               {"message", QString::fromStdString(d.message)}});
    return out;
}

bool diagnosticsFromJson(const QJsonValue& json, std::vector<fit::Diagnostic>* out,
                         QString* error) {
    if (json.isUndefined() || json.isNull())
        return true;
    if (!json.isArray())
        return fail(error, "diagnostics must be an array");
    int i = 0;
    for (const QJsonValue v : json.toArray()) {
        const QJsonObject o = v.toObject();
        const auto severity = fit::severityFromString(o.value("severity").toString().toStdString());
        if (!v.isObject() || !o.value("code").isString() || !severity)
            return fail(error, QString("diagnostics[%1] must have a code and a severity "
                                       "(info, warning or unreliable)")
                                   .arg(i));
        out->push_back({o.value("code").toString().toStdString(), *severity,
                        o.value("message").toString().toStdString()});
        ++i;
    }
    return true;
}

QJsonObject fitResultToJson(const fit::FitResult& r, const FitJsonOptions& options) {
    QJsonObject o;
    o["law"] = qs(fit::lawInfo(r.law).key);
    o["loss"] = qs(fit::toString(r.loss));
    o["status"] = qs(fit::toString(r.status));
    o["message"] = QString::fromStdString(r.message);
    o["n_points"] = r.goodness.nPoints;
    o["objective"] = num(r.objective);
    o["seconds"] = num(r.seconds);
    o["bootstrap_seconds"] = num(r.bootstrapSeconds);
    o["iterations"] = r.iterations;
    o["starts_converged"] = r.startsConverged;
    o["starts_total"] = r.startsTotal;
    o["bootstrap_resamples"] = r.bootstrapResamples;
    o["sigma"] = num(r.sigma);
    o["covariance_well_conditioned"] = r.covarianceWellConditioned;
    o["hessian_condition_number"] = num(r.hessianConditionNumber);

    QJsonObject params, se, ci, cov;
    for (const auto& e : r.params) {
        const QString k = QString::fromStdString(e.name);
        params[k] = num(e.value);
        se[k] = optNum(e.stdError);
        ci[k] = optInterval(e.ci95);
        cov[k] = optNum(e.covStdError);
    }
    o["params"] = params;
    o["stderr"] = se;
    o["ci95"] = ci;
    o["cov_stderr"] = cov;

    QJsonObject allocation, derived;
    for (const auto& e : r.derived) {
        const QString k = QString::fromStdString(e.name);
        if (e.name == "a" || e.name == "b" || e.name == "G")
            allocation[k] = num(e.value);
        derived[k] = QJsonObject{
            {"value", num(e.value)}, {"stderr", optNum(e.stdError)}, {"ci95", optInterval(e.ci95)}};
    }
    o["allocation"] = allocation;
    o["derived"] = derived;

    const fit::GoodnessOfFit& g = r.goodness;
    QJsonObject diag{{"n_params", g.nParams},
                     {"rmse_log", num(g.rmseLog)},
                     {"r2_log", num(g.r2Log)},
                     {"rmse_linear", num(g.rmseLinear)},
                     {"r2_linear", num(g.r2Linear)},
                     {"aic", num(g.aic)},
                     {"bic", num(g.bic)}};
    if (options.includeResiduals) {
        QJsonArray res;
        for (const double v : g.residualsLog)
            res.append(num(v));
        diag["residuals_log"] = res;
    }
    o["goodness"] = diag;
    o["diagnostics"] = diagnosticsToJson(r.diagnostics);
    QJsonObject flags;
    for (const auto& e : r.params) {
        QJsonArray names;
        for (const auto& [flag, name] : kFlagNames)
            if (e.has(flag))
                names.append(QString(name));
        if (!names.isEmpty())
            flags[QString::fromStdString(e.name)] = names;
    }
    o["param_flags"] = flags;
    if (options.includeBootstrapSamples) {
        QJsonArray samples;
        for (const auto& s : r.bootstrapSamples) {
            QJsonArray row;
            for (const double v : s)
                row.append(num(v));
            samples.append(row);
        }
        o["bootstrap_samples"] = samples;
    }
    return o;
}

bool fitResultFromJson(const QJsonObject& json, fit::FitResult* result, QString* error) {
    fit::FitResult r;
    const fit::LawInfo* law = fit::findLaw(json.value("law").toString().toStdString());
    if (!law)
        return fail(error, "law: unknown law '" + json.value("law").toString() + "'");
    r.law = law->id;
    const auto loss = fit::lossKindFromString(json.value("loss").toString("huber").toStdString());
    if (!loss)
        return fail(error, "loss: unknown loss '" + json.value("loss").toString() + "'");
    r.loss = *loss;
    const auto status = statusFromString(json.value("status").toString());
    if (!status)
        return fail(error, "status: unknown status '" + json.value("status").toString() + "'");
    r.status = *status;
    r.message = json.value("message").toString().toStdString();
    r.objective = json.value("objective").toDouble(-1);
    r.seconds = json.value("seconds").toDouble(0);
    r.bootstrapSeconds = json.value("bootstrap_seconds").toDouble(0);
    r.iterations = json.value("iterations").toInt(0);
    r.startsConverged = json.value("starts_converged").toInt(0);
    r.startsTotal = json.value("starts_total").toInt(0);
    r.bootstrapResamples = json.value("bootstrap_resamples").toInt(0);
    r.sigma = json.value("sigma").toDouble(0);
    r.covarianceWellConditioned = json.value("covariance_well_conditioned").toBool(false);
    r.hessianConditionNumber = json.value("hessian_condition_number").toDouble(0);
    if (!readEstimates(json, "params", &r.params, error))
        return false;
    // Keep the law's parameter order rather than JSON's alphabetical order.
    std::vector<fit::Estimate> ordered;
    for (const auto& info : law->params) {
        for (const auto& e : r.params)
            if (e.name == info.name)
                ordered.push_back(e);
    }
    if (ordered.size() == r.params.size())
        r.params = ordered;
    readUncertainty(json, &r.params);
    const QJsonObject flags = json.value("param_flags").toObject();
    for (auto& e : r.params)
        for (const QJsonValue f : flags.value(QString::fromStdString(e.name)).toArray())
            for (const auto& [flag, name] : kFlagNames)
                if (f.toString() == name)
                    e.flags |= flag;
    const QJsonObject derived = json.value("derived").toObject();
    for (auto it = derived.begin(); it != derived.end(); ++it) {
        const QJsonObject d = it.value().toObject();
        fit::Estimate e;
        e.name = it.key().toStdString();
        e.value = d.value("value").toDouble();
        if (d.value("stderr").isDouble())
            e.stdError = d.value("stderr").toDouble();
        const QJsonArray a = d.value("ci95").toArray();
        if (a.size() == 2)
            e.ci95 = fit::Interval{a[0].toDouble(), a[1].toDouble()};
        r.derived.push_back(e);
    }
    // Goodness of fit lived under "diagnostics" before the diagnostics list existed.
    const QJsonValue oldGoodness = json.value("diagnostics");
    const QJsonObject diag = json.value("goodness").isObject() ? json.value("goodness").toObject()
                                                               : oldGoodness.toObject();
    if (!oldGoodness.isObject() && !diagnosticsFromJson(oldGoodness, &r.diagnostics, error))
        return false;
    r.goodness.nPoints = json.value("n_points").toInt(0);
    r.goodness.nParams = diag.value("n_params").toInt(0);
    r.goodness.rmseLog = diag.value("rmse_log").toDouble();
    r.goodness.r2Log = diag.value("r2_log").toDouble();
    r.goodness.rmseLinear = diag.value("rmse_linear").toDouble();
    r.goodness.r2Linear = diag.value("r2_linear").toDouble();
    r.goodness.aic = diag.value("aic").toDouble();
    r.goodness.bic = diag.value("bic").toDouble();
    for (const QJsonValue v : diag.value("residuals_log").toArray())
        r.goodness.residualsLog.push_back(v.toDouble());
    for (const QJsonValue row : json.value("bootstrap_samples").toArray()) {
        std::vector<double> s;
        for (const QJsonValue v : row.toArray())
            s.push_back(v.toDouble());
        r.bootstrapSamples.push_back(std::move(s));
    }
    *result = std::move(r);
    return true;
}

QJsonObject fitOptionsToJson(const fit::FitOptions& o) {
    const auto arr = [](const std::vector<double>& v) {
        QJsonArray a;
        for (const double x : v)
            a.append(x);
        return a;
    };
    QJsonObject grid{{"a", arr(o.grid.a)},
                     {"b", arr(o.grid.b)},
                     {"e", arr(o.grid.e)},
                     {"alpha", arr(o.grid.alpha)},
                     {"beta", arr(o.grid.beta)}};
    const fit::ChinchillaParams& s = o.bootstrapStartValues;
    return QJsonObject{
        {"loss", qs(fit::toString(o.loss))},
        {"huber_delta", o.huberDelta},
        {"grid", grid},
        {"coarse_function_tolerance", o.coarseFunctionTolerance},
        {"refine_candidates", o.refineCandidates},
        {"max_iterations_per_start", o.maxIterationsPerStart},
        {"function_tolerance", o.functionTolerance},
        {"parameter_tolerance", o.parameterTolerance},
        {"polish", o.polish},
        {"covariance_condition_limit", o.covarianceConditionLimit},
        {"threads", o.threads},
        {"run_bootstrap", o.runBootstrap},
        {"bootstrap_resamples", o.bootstrapResamples},
        // 64-bit seeds do not fit a JSON double exactly: store as a decimal string.
        {"seed", QString::number(o.seed)},
        {"bootstrap_start", o.bootstrapStart == fit::BootstrapStart::Given ? "given" : "optimum"},
        {"bootstrap_start_values",
         QJsonObject{{"E", s.E}, {"A", s.A}, {"B", s.B}, {"alpha", s.alpha}, {"beta", s.beta}}},
        {"allocation_budgets", arr(o.allocationBudgets)},
    };
}

bool fitOptionsFromJson(const QJsonObject& json, fit::FitOptions* options, QString* error) {
    fit::FitOptions o;
    const auto number = [&](const char* key, double* out) {
        const QJsonValue v = json.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isDouble())
            return fail(error, QString(key) + " must be a number");
        *out = v.toDouble();
        return true;
    };
    const auto integer = [&](const char* key, int* out) {
        double d = *out;
        if (!number(key, &d))
            return false;
        if (d != std::floor(d))
            return fail(error, QString(key) + " must be a whole number");
        *out = static_cast<int>(d);
        return true;
    };
    const auto boolean = [&](const char* key, bool* out) {
        const QJsonValue v = json.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isBool())
            return fail(error, QString(key) + " must be true or false");
        *out = v.toBool();
        return true;
    };
    const auto list = [&](const QJsonObject& obj, const QString& key, std::vector<double>* out) {
        const QJsonValue v = obj.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isArray())
            return fail(error, key + " must be an array of numbers");
        out->clear();
        for (const QJsonValue x : v.toArray()) {
            if (!x.isDouble())
                return fail(error, key + " must be an array of numbers");
            out->push_back(x.toDouble());
        }
        return true;
    };
    if (json.contains("loss")) {
        const auto loss = fit::lossKindFromString(json.value("loss").toString().toStdString());
        if (!loss)
            return fail(error, "loss must be huber, ols or mle");
        o.loss = *loss;
    }
    if (!number("huber_delta", &o.huberDelta) ||
        !number("coarse_function_tolerance", &o.coarseFunctionTolerance) ||
        !integer("refine_candidates", &o.refineCandidates) ||
        !integer("max_iterations_per_start", &o.maxIterationsPerStart) ||
        !number("function_tolerance", &o.functionTolerance) ||
        !number("parameter_tolerance", &o.parameterTolerance) || !boolean("polish", &o.polish) ||
        !number("covariance_condition_limit", &o.covarianceConditionLimit) ||
        !integer("threads", &o.threads) || !boolean("run_bootstrap", &o.runBootstrap) ||
        !integer("bootstrap_resamples", &o.bootstrapResamples))
        return false;
    if (json.contains("grid")) {
        const QJsonObject g = json.value("grid").toObject();
        if (!list(g, "a", &o.grid.a) || !list(g, "b", &o.grid.b) || !list(g, "e", &o.grid.e) ||
            !list(g, "alpha", &o.grid.alpha) || !list(g, "beta", &o.grid.beta))
            return false;
    }
    if (json.contains("seed")) {
        bool ok = false;
        const QJsonValue v = json.value("seed");
        o.seed =
            v.isDouble() ? static_cast<std::uint64_t>(v.toDouble()) : v.toString().toULongLong(&ok);
        if (!v.isDouble() && !ok)
            return fail(error, "seed must be a whole number");
    }
    if (json.contains("bootstrap_start")) {
        const QString s = json.value("bootstrap_start").toString();
        if (s != "given" && s != "optimum")
            return fail(error, "bootstrap_start must be optimum or given");
        o.bootstrapStart =
            s == "given" ? fit::BootstrapStart::Given : fit::BootstrapStart::FullDataOptimum;
    }
    if (json.contains("bootstrap_start_values")) {
        const QJsonObject v = json.value("bootstrap_start_values").toObject();
        fit::ChinchillaParams& p = o.bootstrapStartValues;
        p.E = v.value("E").toDouble(p.E);
        p.A = v.value("A").toDouble(p.A);
        p.B = v.value("B").toDouble(p.B);
        p.alpha = v.value("alpha").toDouble(p.alpha);
        p.beta = v.value("beta").toDouble(p.beta);
    }
    if (!list(json, "allocation_budgets", &o.allocationBudgets))
        return false;
    std::string why;
    if (!o.isValid(&why))
        return fail(error, QString::fromStdString(why));
    *options = std::move(o);
    return true;
}

QJsonObject allocationToJson(const fit::Allocation& a) {
    return QJsonObject{{"compute", num(a.compute)},
                       {"N_opt", num(a.nOpt)},
                       {"D_opt", num(a.dOpt)},
                       {"tokens_per_param", num(a.tokensPerParam)},
                       {"loss", num(a.loss)},
                       {"a", num(a.a)},
                       {"b", num(a.b)},
                       {"G", num(a.G)}};
}

}  // namespace scalelens::data
