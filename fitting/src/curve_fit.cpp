#include "fitting/curve_fit.h"

#include "ceres_support.h"
#include "fitting/diagnostics.h"

#include <ceres/ceres.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>

#include "bootstrap_stats.h"
#include "parallel.h"

namespace scalelens::fit {

namespace {

bool fail(std::string* error, const std::string& text) {
    if (error)
        *error = text;
    return false;
}

// A curve turned into law inputs once per fit.
struct PreparedCurve {
    MplTermTable terms;            // MPL (compressed as the options say)
    LraAreas areas;                // LR-annealing
    std::vector<double> logLoss;   // log of observed loss
    std::vector<double> lrAtStep;  // LR at each point (surrogate)
    double peak = 0;               // max LR of the schedule (surrogate)
    double weight = 1;
};

using Weights = std::vector<std::vector<double>>;  // per curve, per point

// log L^ - log L of one point for the MPL, through the shared law template.
struct MplResidual {
    MplResidual(const MplTermTable* table, std::size_t index, double logL)
        : m_table(table), m_index(index), m_logL(logL) {}
    template <typename T>
    bool operator()(const T* p, T* r) const {
        using std::log;
        T pred = mplLoss(m_table->s1[m_index], m_table->at(m_index), p);
        if (pred < T(1e-10))
            pred = T(1e-10);  // the official clamp
        r[0] = log(pred) - T(m_logL);
        return true;
    }
    static ceres::CostFunction* create(const MplTermTable* table, std::size_t index, double logL) {
        return new ceres::AutoDiffCostFunction<MplResidual, 1, kMplCount>(
            new MplResidual(table, index, logL));
    }
    const MplTermTable* m_table;
    std::size_t m_index;
    double m_logL;
};

struct LraResidual {
    LraResidual(double s1, double s2, double logL) : m_s1(s1), m_s2(s2), m_logL(logL) {}
    template <typename T>
    bool operator()(const T* p, T* r) const {
        using std::log;
        T pred = lraLoss(m_s1, m_s2, p);
        if (pred < T(1e-10))
            pred = T(1e-10);
        r[0] = log(pred) - T(m_logL);
        return true;
    }
    static ceres::CostFunction* create(double s1, double s2, double logL) {
        return new ceres::AutoDiffCostFunction<LraResidual, 1, kLraCount>(
            new LraResidual(s1, s2, logL));
    }
    double m_s1, m_s2, m_logL;
};

// The official stage-1 surrogate: L0 + A S1^-alpha - B (peak - lr).
struct SurrogateResidual {
    SurrogateResidual(double s1, double drop, double logL) : m_s1(s1), m_drop(drop), m_logL(logL) {}
    template <typename T>
    bool operator()(const T* p, T* r) const {
        using std::log;
        using std::pow;
        T pred = p[0] + p[1] * pow(T(m_s1), -p[2]) - p[3] * m_drop;
        if (pred < T(1e-10))
            pred = T(1e-10);
        r[0] = log(pred) - T(m_logL);
        return true;
    }
    static ceres::CostFunction* create(double s1, double drop, double logL) {
        return new ceres::AutoDiffCostFunction<SurrogateResidual, 1, 4>(
            new SurrogateResidual(s1, drop, logL));
    }
    double m_s1, m_drop, m_logL;
};

// Stops a solve when the shared cancel flag is set.
class CancelCallback : public ceres::IterationCallback {
  public:
    explicit CancelCallback(const std::atomic<bool>* cancel) : m_cancel(cancel) {}
    ceres::CallbackReturnType operator()(const ceres::IterationSummary&) override {
        return m_cancel->load() ? ceres::SOLVER_ABORT : ceres::SOLVER_CONTINUE;
    }

  private:
    const std::atomic<bool>* m_cancel;
};

struct SolveOutcome {
    std::vector<double> x;
    double cost = HUGE_VAL;
    int iterations = 0;
    bool converged = false;
    bool usable = false;
};

ceres::LossFunction* pointLoss(double delta, double weight) {
    ceres::LossFunction* loss = new ceres::HuberLoss(delta);
    if (weight != 1.0)
        loss = new ceres::ScaledLoss(loss, weight, ceres::TAKE_OWNERSHIP);
    return loss;
}

SolveOutcome runSolver(ceres::Problem* problem, std::vector<double>* x, const CurveFitOptions& o,
                       const std::atomic<bool>* cancel) {
    ceres::Solver::Options opt = detail::solverOptions(
        {o.maxIterations, o.functionTolerance, o.gradientTolerance, o.parameterTolerance});
    CancelCallback callback(cancel);
    opt.callbacks.push_back(&callback);  // not owned
    ceres::Solver::Summary summary;
    ceres::Solve(opt, problem, &summary);
    SolveOutcome out;
    out.x = *x;
    out.cost = summary.final_cost;
    out.iterations = static_cast<int>(summary.iterations.size());
    out.converged = detail::ceresConverged(summary.termination_type);
    out.usable = summary.IsSolutionUsable() && std::isfinite(out.cost) &&
                 std::all_of(x->begin(), x->end(), [](double v) { return std::isfinite(v); });
    return out;
}

void setBounds(ceres::Problem* problem, double* x, const std::vector<double>& lo,
               const std::vector<double>& hi) {
    for (std::size_t i = 0; i < lo.size(); ++i) {
        if (std::isfinite(lo[i]))
            problem->SetParameterLowerBound(x, static_cast<int>(i), lo[i]);
        if (std::isfinite(hi[i]))
            problem->SetParameterUpperBound(x, static_cast<int>(i), hi[i]);
    }
}

// One start of the full law.
// `logLoss` (per curve, per point) replaces the observed log loss when given (residual
// bootstrap); `weights` multiply the points' terms (point bootstrap).
SolveOutcome solveLaw(CurveLawId law, const std::vector<PreparedCurve>& curves,
                      const Weights* weights, std::vector<double> x, const std::vector<double>& lo,
                      const std::vector<double>& hi, const CurveFitOptions& o,
                      const std::atomic<bool>* cancel, const Weights* logLoss = nullptr) {
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = std::clamp(x[i], lo[i], hi[i]);
    ceres::Problem problem;
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const PreparedCurve& pc = curves[c];
        for (std::size_t i = 0; i < pc.logLoss.size(); ++i) {
            const double w = pc.weight * (weights ? (*weights)[c][i] : 1.0);
            if (w <= 0)
                continue;
            const double y = logLoss ? (*logLoss)[c][i] : pc.logLoss[i];
            ceres::CostFunction* cost =
                law == CurveLawId::MultiPower
                    ? MplResidual::create(&pc.terms, i, y)
                    : LraResidual::create(pc.areas.s1[i], pc.areas.s2[i], y);
            problem.AddResidualBlock(cost, pointLoss(o.huberDelta, w), x.data());
        }
    }
    setBounds(&problem, x.data(), lo, hi);
    return runSolver(&problem, &x, o, cancel);
}

// The official stage 2: AdamW on the full objective (see AdamWSettings), projected onto the
// bounds so C, beta, gamma stay where the law is defined.
SolveOutcome adamwLaw(const std::vector<PreparedCurve>& curves, const Weights* weights,
                      std::vector<double> x, const std::vector<double>& lo,
                      const std::vector<double>& hi, const CurveFitOptions& o,
                      const std::atomic<bool>* cancel, const Weights* logLoss = nullptr) {
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = std::clamp(x[i], lo[i], hi[i]);
    ceres::Problem problem;
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const PreparedCurve& pc = curves[c];
        for (std::size_t i = 0; i < pc.logLoss.size(); ++i) {
            const double w = pc.weight * (weights ? (*weights)[c][i] : 1.0);
            if (w > 0)
                problem.AddResidualBlock(
                    MplResidual::create(&pc.terms, i, logLoss ? (*logLoss)[c][i] : pc.logLoss[i]),
                    pointLoss(o.huberDelta, w), x.data());
        }
    }
    const AdamWSettings& a = o.adamw;
    SolveOutcome out;
    std::vector<double> m(x.size(), 0.0), v(x.size(), 0.0), g;
    double minLoss = HUGE_VAL;
    int noImprove = 0;
    ceres::Problem::EvaluateOptions eval;
    for (int step = 0; step < a.maxSteps; ++step) {
        if (cancel->load())
            break;
        double cost = 0;
        if (!problem.Evaluate(eval, &cost, nullptr, &g, nullptr) || !std::isfinite(cost))
            break;
        // AdamW update (torch: decoupled decay, then the bias-corrected Adam step).
        const double bc1 = 1 - std::pow(a.beta1, step + 1);
        const double bc2 = 1 - std::pow(a.beta2, step + 1);
        double gradNorm = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const bool exponent = i == kMplAlpha || i == kMplBeta || i == kMplGamma;
            const double lr = exponent ? a.lrExponent : a.lrScale;
            gradNorm += g[i] * g[i];
            x[i] *= 1 - lr * a.weightDecay;
            m[i] = a.beta1 * m[i] + (1 - a.beta1) * g[i];
            v[i] = a.beta2 * v[i] + (1 - a.beta2) * g[i] * g[i];
            x[i] -= lr / bc1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bc2) + a.eps);
            x[i] = std::clamp(x[i], lo[i], hi[i]);
        }
        out.iterations = step + 1;
        if (cost < minLoss) {
            minLoss = cost;
            noImprove = 0;
        } else {
            ++noImprove;
        }
        if (step > a.patience && noImprove >= a.patience) {
            out.converged = true;
            break;
        }
        if (std::sqrt(gradNorm) < a.gradNormThreshold) {
            out.converged = true;
            break;
        }
        if (cost < out.cost) {
            out.cost = cost;
            out.x = x;
        }
    }
    if (out.iterations >= a.maxSteps)
        out.converged = true;  // the official procedure ends here by design
    out.usable = !out.x.empty() && std::isfinite(out.cost);
    return out;
}

SolveOutcome solveSurrogate(const std::vector<PreparedCurve>& curves, const Weights* weights,
                            std::vector<double> x, const CurveFitOptions& o,
                            const std::atomic<bool>* cancel, const Weights* logLoss = nullptr) {
    ceres::Problem problem;
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const PreparedCurve& pc = curves[c];
        for (std::size_t i = 0; i < pc.logLoss.size(); ++i) {
            const double w = pc.weight * (weights ? (*weights)[c][i] : 1.0);
            if (w > 0)
                problem.AddResidualBlock(
                    SurrogateResidual::create(pc.terms.s1[i], pc.peak - pc.lrAtStep[i],
                                              logLoss ? (*logLoss)[c][i] : pc.logLoss[i]),
                    pointLoss(o.huberDelta, w), x.data());
        }
    }
    for (int i = 0; i < 4; ++i)
        problem.SetParameterLowerBound(x.data(), i, 0.0);
    return runSolver(&problem, &x, o, cancel);
}

// Stage-1 grid of the official code (src/fitting.py initialize_params).
std::vector<std::vector<double>> surrogateGrid(const std::vector<LossCurve>& curves,
                                               const std::vector<PreparedCurve>& prepared) {
    double minLoss = HUGE_VAL;
    for (const LossCurve& c : curves)
        for (double l : c.loss)
            minLoss = std::min(minLoss, l);
    // OLS of log(L - minLoss + 0.01) on log S1.
    double sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0;
    for (std::size_t c = 0; c < curves.size(); ++c)
        for (std::size_t i = 0; i < curves[c].loss.size(); ++i) {
            const double x = std::log(prepared[c].terms.s1[i]);
            const double y = std::log(curves[c].loss[i] - minLoss + 0.01);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n += 1;
        }
    const double den = n * sxx - sx * sx;
    const double slope = den > 0 ? (n * sxy - sx * sy) / den : -0.5;
    const double intercept = (sy - slope * sx) / n;
    std::vector<std::vector<double>> grid;
    for (int a = 0; a < 5; ++a)
        for (int b = 0; b < 3; ++b)
            for (int c = 0; c < 3; ++c)
                for (int d = 0; d < 3; ++d)
                    grid.push_back({std::max(0.0, minLoss - 0.2 + 0.1 * a),
                                    std::max(0.0, std::exp(intercept) - 0.1 + 0.1 * b),
                                    std::max(0.0, -slope - 0.1 + 0.1 * c), 100.0 + 450.0 * d});
    return grid;
}

std::vector<std::vector<double>> lraGrid(const std::vector<LossCurve>& curves) {
    double minLoss = HUGE_VAL;
    for (const LossCurve& c : curves)
        for (double l : c.loss)
            minLoss = std::min(minLoss, l);
    std::vector<std::vector<double>> grid;
    for (double dl : {-0.5, -0.2, 0.0})
        for (double A : {0.3, 0.6, 1.0})
            for (double alpha : {0.3, 0.5, 0.8})
                for (double C : {0.3, 3.0})
                    grid.push_back({std::max(0.0, minLoss + dl), A, alpha, C});
    return grid;
}

}  // namespace

bool validateLossCurve(const LossCurve& c, std::string* error) {
    const std::string who = c.name.empty() ? std::string("curve") : "curve '" + c.name + "'";
    if (c.steps.size() != c.loss.size())
        return fail(error, who + ": steps and loss differ in length");
    if (c.steps.empty())
        return fail(error, who + ": no points");
    if (c.lr.empty())
        return fail(error, who + ": no learning-rate schedule");
    if (!std::isfinite(c.weight) || c.weight <= 0)
        return fail(error, who + ": weight must be finite and > 0");
    for (std::size_t s = 0; s < c.lr.size(); ++s)
        if (!std::isfinite(c.lr[s]) || c.lr[s] < 0)
            return fail(error,
                        who + ": LR at step " + std::to_string(s) + " must be finite and >= 0");
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        const std::string where = who + ", point " + std::to_string(i + 1) + " (step " +
                                  std::to_string(c.steps[i]) + "): ";
        if (c.steps[i] < 1)
            return fail(error, where + "step must be >= 1");
        if (static_cast<std::size_t>(c.steps[i]) >= c.lr.size())
            return fail(error, where + "step is beyond the schedule (" +
                                   std::to_string(c.lr.size()) + " steps)");
        if (i > 0 && c.steps[i] <= c.steps[i - 1])
            return fail(error, where + "steps must be strictly increasing");
        if (!std::isfinite(c.loss[i]) || c.loss[i] <= 0)
            return fail(error, where + "loss must be finite and > 0");
    }
    if (cumulativeLr(c.lr)[static_cast<std::size_t>(c.steps.front())] <= 0)
        return fail(error, who + ": the LR sum is 0 at the first point");
    return true;
}

bool CurveFitOptions::isValid(std::string* error) const {
    if (!std::isfinite(huberDelta) || huberDelta <= 0)
        return fail(error, "huberDelta must be finite and > 0");
    if (!std::isfinite(sumTolerance) || sumTolerance < 0 || sumTolerance > 0.5)
        return fail(error, "sumTolerance must be in [0, 0.5]");
    if (!(lraLambda > 0 && lraLambda < 1))
        return fail(error, "lraLambda must be in (0, 1)");
    if (mplStarts.empty())
        return fail(error, "mplStarts must not be empty");
    for (const auto& s : mplStarts)
        for (double v : s)
            if (!std::isfinite(v) || v < 0)
                return fail(error, "mplStarts values must be finite and >= 0");
    if (lowerBounds.size() != upperBounds.size())
        return fail(error, "lowerBounds and upperBounds must have the same length");
    for (std::size_t i = 0; i < lowerBounds.size(); ++i)
        if (std::isnan(lowerBounds[i]) || std::isnan(upperBounds[i]) ||
            lowerBounds[i] > upperBounds[i])
            return fail(error, "bound " + std::to_string(i) + ": lower must be <= upper");
    if (maxIterations < 1)
        return fail(error, "maxIterations must be >= 1");
    if (!(functionTolerance > 0) || !(parameterTolerance > 0) || !(gradientTolerance > 0))
        return fail(error, "tolerances must be > 0");
    if (threads < 0)
        return fail(error, "threads must be >= 0");
    if (!(adamw.lrScale > 0) || !(adamw.lrExponent > 0))
        return fail(error, "adamw step sizes must be > 0");
    if (adamw.maxSteps < 1 || adamw.patience < 1)
        return fail(error, "adamw.maxSteps and adamw.patience must be >= 1");
    if (!(adamw.weightDecay >= 0) || !(adamw.beta1 >= 0 && adamw.beta1 < 1) ||
        !(adamw.beta2 >= 0 && adamw.beta2 < 1) || !(adamw.eps > 0) ||
        !(adamw.gradNormThreshold >= 0))
        return fail(error, "adamw: weightDecay >= 0, beta1 and beta2 in [0, 1), eps > 0");
    if (bootstrapResamples < 0)
        return fail(error, "bootstrapResamples must be >= 0");
    if (bootstrapBlockLength < 0)
        return fail(error, "bootstrapBlockLength must be >= 0 (0 = from the autocorrelation)");
    return true;
}

std::vector<double> CurveFitResult::values() const {
    std::vector<double> v;
    for (const Estimate& e : params)
        v.push_back(e.value);
    return v;
}

MplParams CurveFitResult::mpl() const {
    const std::vector<double> v = values();
    return v.size() == kMplCount ? MplParams::fromArray(v.data()) : MplParams{};
}

LraParams CurveFitResult::lra() const {
    const std::vector<double> v = values();
    return v.size() == kLraCount ? LraParams::fromArray(v.data()) : LraParams{};
}

std::vector<double> predictCurveLaw(CurveLawId law, std::span<const double> params,
                                    std::span<const double> lr, std::span<const long> steps,
                                    double lraLambda) {
    if (law == CurveLawId::MultiPower)
        return params.size() == kMplCount
                   ? predictMpl(MplParams::fromArray(params.data()), lr, steps)
                   : std::vector<double>{};
    return params.size() == kLraCount
               ? predictLra(LraParams::fromArray(params.data()), lr, steps, lraLambda)
               : std::vector<double>{};
}

int autocorrelationBlockLength(std::span<const double> residuals) {
    const auto n = residuals.size();
    if (n < 4)
        return 1;
    double mean = 0;
    for (double r : residuals)
        mean += r;
    mean /= static_cast<double>(n);
    double v0 = 0, spread = 0;
    for (double r : residuals) {
        v0 += (r - mean) * (r - mean);
        spread = std::max(spread, std::abs(r - mean));
    }
    if (!(spread > 1e-12 * std::max(1.0, std::abs(mean))))
        return 1;  // constant (up to rounding)
    // Integrated autocorrelation time, summed up to the first lag that is not positive.
    double tau = 1;
    for (std::size_t k = 1; k < n / 2; ++k) {
        double ck = 0;
        for (std::size_t i = 0; i + k < n; ++i)
            ck += (residuals[i] - mean) * (residuals[i + k] - mean);
        const double rho = ck / v0;
        if (!(rho > 0))
            break;
        tau += 2 * rho;
    }
    const int cap = std::max(1, static_cast<int>(n / 3));
    return std::clamp(static_cast<int>(std::ceil(tau)), 1, cap);
}

CurveFitResult fitCurveLaw(CurveLawId law, const std::vector<LossCurve>& curves,
                           const CurveFitOptions& options, const ProgressCallback& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    CurveFitResult result;
    result.law = law;
    result.lraLambda = options.lraLambda;
    std::string why;
    if (!options.isValid(&why)) {
        result.status = FitStatus::Failed;
        result.message = "invalid options: " + why;
        return result;
    }
    if (curves.empty()) {
        result.status = FitStatus::Failed;
        result.message = "no curves to fit";
        return result;
    }
    const CurveLawInfo& info = curveLawInfo(law);
    const std::size_t k = info.params.size();
    int nPoints = 0;
    for (const LossCurve& c : curves) {
        if (!validateLossCurve(c, &why)) {
            result.status = FitStatus::Failed;
            result.message = why;
            return result;
        }
        nPoints += static_cast<int>(c.steps.size());
    }
    if (nPoints <= static_cast<int>(k)) {
        result.status = FitStatus::Failed;
        result.message = "need more than " + std::to_string(k) + " points to fit " +
                         std::to_string(k) + " parameters, got " + std::to_string(nPoints);
        return result;
    }
    std::vector<double> lo = options.lowerBounds, hi = options.upperBounds;
    if (lo.empty()) {
        for (const ParamInfo& p : info.params) {
            lo.push_back(p.lower);
            hi.push_back(p.upper);
        }
    } else if (lo.size() != k) {
        result.status = FitStatus::Failed;
        result.message = "invalid options: lowerBounds/upperBounds must have " + std::to_string(k) +
                         " entries for " + std::string(info.key);
        return result;
    }

    // Law inputs.
    std::vector<PreparedCurve> prepared(curves.size());
    bool decays = false;
    for (std::size_t c = 0; c < curves.size(); ++c) {
        const LossCurve& lc = curves[c];
        PreparedCurve& pc = prepared[c];
        if (law == CurveLawId::MultiPower)
            pc.terms = buildMplTerms(lc.lr, lc.steps, options.sumTolerance);
        else
            pc.areas = lraAreas(lc.lr, lc.steps, options.lraLambda);
        if (pc.terms.s1.size() != lc.steps.size())
            pc.terms.s1.assign(lc.steps.size(), 0.0);  // LR-annealing: S1 for the grid
        const std::vector<double> cs = cumulativeLr(lc.lr);
        pc.peak = *std::max_element(lc.lr.begin(), lc.lr.end());
        for (std::size_t i = 0; i < lc.steps.size(); ++i) {
            const auto s = static_cast<std::size_t>(lc.steps[i]);
            pc.logLoss.push_back(std::log(lc.loss[i]));
            pc.lrAtStep.push_back(lc.lr[s]);
            pc.terms.s1[i] = cs[s];
            if (lc.lr[s] < pc.peak * (1 - 1e-9))
                decays = true;
        }
        pc.weight = lc.weight;
    }

    std::atomic<bool> cancel{false};
    std::mutex progressMutex;
    const int stage2Starts =
        law == CurveLawId::MultiPower ? static_cast<int>(options.mplStarts.size()) : 0;
    const int totalWork = 1 + stage2Starts + options.bootstrapResamples;
    std::atomic<int> done{0};
    auto report = [&] {
        const int d = ++done;
        if (!progress)
            return;
        std::lock_guard<std::mutex> lock(progressMutex);
        if (!progress(static_cast<double>(d) / totalWork))
            cancel = true;
    };

    // Stage 1: the surrogate (MPL) or the law itself (LR-annealing) from a grid.
    const std::vector<std::vector<double>> grid =
        law == CurveLawId::MultiPower ? surrogateGrid(curves, prepared) : lraGrid(curves);
    const int threads = detail::resolveThreads(options.threads, static_cast<int>(grid.size()));
    std::vector<SolveOutcome> stage1(grid.size());
    detail::parallelFor(static_cast<int>(grid.size()), threads, cancel, [&](int i, int) {
        const auto u = static_cast<std::size_t>(i);
        stage1[u] = law == CurveLawId::MultiPower
                        ? solveSurrogate(prepared, nullptr, grid[u], options, &cancel)
                        : solveLaw(law, prepared, nullptr, grid[u], lo, hi, options, &cancel);
    });
    report();
    const SolveOutcome* best1 = nullptr;
    for (const SolveOutcome& s : stage1)
        if (s.usable && (!best1 || s.cost < best1->cost))
            best1 = &s;
    if (cancel) {
        result.status = FitStatus::Cancelled;
        result.message = "cancelled";
        result.seconds = elapsed();
        return result;
    }
    if (!best1) {
        result.status = FitStatus::Failed;
        result.message = "no start of the multi-start gave a finite objective";
        result.seconds = elapsed();
        return result;
    }

    SolveOutcome best = *best1;
    if (law == CurveLawId::LrAnnealing) {
        result.startsTotal = static_cast<int>(stage1.size());
        for (const SolveOutcome& s : stage1)
            result.startsConverged += s.converged ? 1 : 0;
    } else {
        // Stage 2: all seven parameters from the best surrogate.
        std::vector<SolveOutcome> stage2(options.mplStarts.size());
        const int t2 = detail::resolveThreads(options.threads, stage2Starts);
        detail::parallelFor(stage2Starts, t2, cancel, [&](int i, int) {
            const auto& s = options.mplStarts[static_cast<std::size_t>(i)];
            std::vector<double> x0 = {best1->x[0], best1->x[1], best1->x[2], best1->x[3],
                                      s[0],        s[1],        s[2]};
            stage2[static_cast<std::size_t>(i)] =
                options.mplStage2 == MplStage2::AdamW
                    ? adamwLaw(prepared, nullptr, x0, lo, hi, options, &cancel)
                    : solveLaw(law, prepared, nullptr, x0, lo, hi, options, &cancel);
            report();
        });
        const SolveOutcome* best2 = nullptr;
        for (const SolveOutcome& s : stage2) {
            result.startsTotal += 1;
            result.startsConverged += s.converged ? 1 : 0;
            if (s.usable && (!best2 || s.cost < best2->cost))
                best2 = &s;
        }
        if (!best2) {
            result.status = cancel ? FitStatus::Cancelled : FitStatus::Failed;
            result.message = cancel ? "cancelled" : "no stage-2 start gave a finite objective";
            result.seconds = elapsed();
            return result;
        }
        best = *best2;
    }

    for (std::size_t i = 0; i < k; ++i) {
        Estimate e;
        e.name = std::string(info.params[i].name);
        e.value = best.x[i];
        result.params.push_back(e);
    }
    result.objective = best.cost;
    result.iterations = best.iterations;

    // Block bootstrap: of the points (weights) or of the residuals (synthetic curves).
    if (options.bootstrapResamples > 0 && !cancel) {
        const auto tb = std::chrono::steady_clock::now();
        // Centred log-residuals of each curve at the optimum, and the block length per curve.
        Weights fittedLog(curves.size()), residuals(curves.size());
        for (std::size_t c = 0; c < curves.size(); ++c) {
            const std::vector<double> pred =
                predictCurveLaw(law, best.x, curves[c].lr, curves[c].steps, options.lraLambda);
            double mean = 0;
            for (std::size_t i = 0; i < pred.size(); ++i) {
                fittedLog[c].push_back(std::log(std::max(pred[i], 1e-10)));
                residuals[c].push_back(prepared[c].logLoss[i] - fittedLog[c].back());
                mean += residuals[c].back();
            }
            mean /= static_cast<double>(std::max<std::size_t>(1, pred.size()));
            for (double& r : residuals[c])
                r -= mean;
            const int n = static_cast<int>(residuals[c].size());
            result.blockLengths.push_back(std::min(
                n, options.bootstrapBlockLength > 0 ? options.bootstrapBlockLength
                                                    : autocorrelationBlockLength(residuals[c])));
        }
        std::vector<SolveOutcome> boot(static_cast<std::size_t>(options.bootstrapResamples));
        const int tb2 = detail::resolveThreads(options.threads, options.bootstrapResamples);
        const bool onResiduals = options.bootstrapKind == BootstrapKind::Residuals;
        detail::parallelFor(options.bootstrapResamples, tb2, cancel, [&](int r, int) {
            std::mt19937_64 rng(options.seed + static_cast<std::uint64_t>(r));
            Weights w(curves.size()), y(curves.size());
            for (std::size_t c = 0; c < curves.size(); ++c) {
                const int n = static_cast<int>(curves[c].steps.size());
                const int b = result.blockLengths[c];
                w[c].assign(static_cast<std::size_t>(n), 0.0);
                y[c] = fittedLog[c];
                std::uniform_int_distribution<int> start(0, n - b);
                for (int drawn = 0; drawn < n; drawn += b) {
                    const int s0 = start(rng);
                    for (int j = 0; j < b && drawn + j < n; ++j) {
                        const auto at = static_cast<std::size_t>(s0 + j);
                        w[c][at] += 1.0;
                        y[c][static_cast<std::size_t>(drawn + j)] += residuals[c][at];
                    }
                }
            }
            const Weights* weights = onResiduals ? nullptr : &w;
            const Weights* logLoss = onResiduals ? &y : nullptr;
            if (law == CurveLawId::MultiPower && options.mplStage2 == MplStage2::AdamW) {
                // Re-run the whole official procedure on the resample: the surrogate from the
                // full-data stage-1 optimum, then AdamW from it with the official start (or
                // the resample's own start of bootstrapStarts: the decay parameters are weakly
                // identified, so where AdamW stops depends on where it starts).
                const SolveOutcome s1 =
                    solveSurrogate(prepared, weights, best1->x, options, &cancel, logLoss);
                if (s1.usable) {
                    const auto& st = options.bootstrapStarts.empty()
                                         ? options.mplStarts.front()
                                         : options.bootstrapStarts[static_cast<std::size_t>(r) %
                                                                   options.bootstrapStarts.size()];
                    boot[static_cast<std::size_t>(r)] =
                        adamwLaw(prepared, weights,
                                 {s1.x[0], s1.x[1], s1.x[2], s1.x[3], st[0], st[1], st[2]}, lo, hi,
                                 options, &cancel, logLoss);
                }
            } else {
                boot[static_cast<std::size_t>(r)] =
                    solveLaw(law, prepared, weights, best.x, lo, hi, options, &cancel, logLoss);
            }
            report();
        });
        for (const SolveOutcome& s : boot)
            if (s.usable)
                result.bootstrapSamples.push_back(s.x);
        result.bootstrapResamples = static_cast<int>(result.bootstrapSamples.size());
        for (std::size_t i = 0; i < k; ++i) {
            std::vector<double> samples;
            for (const auto& x : result.bootstrapSamples)
                samples.push_back(x[i]);
            detail::fillBootstrapStats(samples, &result.params[i]);
        }
        result.bootstrapSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - tb).count();
    }

    // Exact accuracy on the fitted points.
    const std::vector<double> values = result.values();
    for (const LossCurve& c : curves) {
        const std::vector<double> pred =
            predictCurveLaw(law, values, c.lr, c.steps, options.lraLambda);
        result.perCurve.push_back(curveMetrics(c.loss, pred));
    }
    result.average = averageMetrics(result.perCurve);
    result.seconds = elapsed();
    if (cancel) {
        result.status = FitStatus::Cancelled;
        result.message = "cancelled; parameters are the best seen";
    } else {
        result.status = best.converged ? FitStatus::Converged : FitStatus::NoConvergence;
        result.message = best.converged ? "converged"
                                        : "stopped at the iteration limit; parameters are the "
                                          "best seen";
        if (law == CurveLawId::MultiPower && !decays)
            result.message +=
                "; no fitted curve decays its LR, so B, C, beta and gamma are not identified "
                "(fit a decaying curve too)";
        if (law == CurveLawId::LrAnnealing && !decays)
            result.message += "; no fitted curve decays its LR, so C is not identified";
        ProblemFacts facts;
        facts.converged = best.converged;
        std::vector<Diagnostic> found = diagnose(facts);
        if (!decays)
            found.push_back({"not_identified", Severity::Warning,
                             law == CurveLawId::MultiPower
                                 ? "no fitted curve decays its LR, so B, C, beta and gamma are "
                                   "not identified (fit a decaying curve too)"
                                 : "no fitted curve decays its LR, so C is not identified"});
        applyDiagnostics(std::move(found), &result);
    }
    return result;
}

}  // namespace scalelens::fit
