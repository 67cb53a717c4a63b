// Project: runs' planned LR schedules and final-loss forecasts (tables run_schedules and
// run_forecasts, schema version 3). Every write is one transaction and checks its input first.
#include <chrono>
#include <cmath>

#include "datasets/project.h"
#include "sqlite_util.h"

namespace scalelens::data {

using detail::setError;
using detail::Stmt;

std::string_view toString(ScheduleOrigin origin) {
    switch (origin) {
        case ScheduleOrigin::User:
            return "user";
        case ScheduleOrigin::Inferred:
            return "inferred";
        case ScheduleOrigin::Confirmed:
            return "confirmed";
    }
    return "user";
}

std::optional<ScheduleOrigin> scheduleOriginFromString(std::string_view text) {
    for (ScheduleOrigin o :
         {ScheduleOrigin::User, ScheduleOrigin::Inferred, ScheduleOrigin::Confirmed})
        if (toString(o) == text)
            return o;
    return std::nullopt;
}

namespace {

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr const char* kScheduleSelect =
    "SELECT run_id, shape, peak_lr, final_lr, warmup_steps, total_steps, decay_start, origin, "
    "note, updated_at FROM run_schedules";

RunSchedule readSchedule(const Stmt& s) {
    RunSchedule r;
    r.runId = s.int64(0);
    // A shape or origin this build does not know reads as the default; check() reports it.
    r.definition.shape =
        fit::scheduleShapeFromString(s.text(1)).value_or(fit::ScheduleShape::Constant);
    r.definition.peakLr = s.real(2);
    r.definition.finalLr = s.real(3);
    r.definition.warmupSteps = static_cast<long>(s.int64(4));
    r.definition.totalSteps = static_cast<long>(s.int64(5));
    r.definition.decayStart = static_cast<long>(s.int64(6));
    r.origin = scheduleOriginFromString(s.text(7)).value_or(ScheduleOrigin::User);
    r.note = s.text(8);
    r.updatedAt = s.int64(9);
    return r;
}

constexpr const char* kForecastSelect =
    "SELECT run_id, metric, law, last_logged_step, final_step, final_loss, band_lower, "
    "band_upper, band_level, result_json, created_at FROM run_forecasts";

RunForecast readForecast(const Stmt& s) {
    RunForecast f;
    f.runId = s.int64(0);
    f.metric = s.text(1);
    f.law = s.text(2);
    f.lastLoggedStep = static_cast<long>(s.int64(3));
    f.finalStep = static_cast<long>(s.int64(4));
    f.finalLoss = s.real(5);
    f.bandLower = s.real(6);
    f.bandUpper = s.real(7);
    f.bandLevel = s.real(8);
    f.resultJson = s.text(9);
    f.createdAt = s.int64(10);
    return f;
}

bool positiveFinite(double v) {
    return std::isfinite(v) && v > 0;
}

}  // namespace

std::optional<RunSchedule> Project::runSchedule(std::int64_t runId) const {
    const std::string sql = std::string(kScheduleSelect) + " WHERE run_id = ?";
    Stmt s(m_db, sql.c_str());
    s.bind(1, runId);
    if (s.row())
        return readSchedule(s);
    return std::nullopt;
}

std::vector<RunSchedule> Project::runSchedules() const {
    std::vector<RunSchedule> out;
    const std::string sql = std::string(kScheduleSelect) + " ORDER BY run_id";
    Stmt s(m_db, sql.c_str());
    while (s.row())
        out.push_back(readSchedule(s));
    return out;
}

bool Project::setRunSchedule(const RunSchedule& schedule, std::string* error) {
    fit::ScheduleDefinition d = schedule.definition;
    std::string why;
    if (!d.isValid(&why)) {
        setError(error, "invalid schedule for run " + std::to_string(schedule.runId) + ": " + why);
        return false;
    }
    if (d.shape == fit::ScheduleShape::Constant)
        d.finalLr = d.peakLr;  // unused; stored so every row satisfies final <= peak
    const bool usesDecayStart = d.shape == fit::ScheduleShape::WsdGeometric ||
                                d.shape == fit::ScheduleShape::WsdLinear ||
                                d.shape == fit::ScheduleShape::TwoStage;
    if (!usesDecayStart)
        d.decayStart = 0;
    return transaction(
        [&](std::string* e) {
            if (!run(schedule.runId)) {
                setError(e, "no run with id " + std::to_string(schedule.runId));
                return false;
            }
            Stmt s(m_db,
                   "INSERT OR REPLACE INTO run_schedules (run_id, shape, peak_lr, final_lr, "
                   "warmup_steps, total_steps, decay_start, origin, note, updated_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?)");
            s.bind(1, schedule.runId);
            s.bind(2, std::string(fit::toString(d.shape)));
            s.bind(3, d.peakLr);
            s.bind(4, d.finalLr);
            s.bind(5, static_cast<std::int64_t>(d.warmupSteps));
            s.bind(6, static_cast<std::int64_t>(d.totalSteps));
            s.bind(7, static_cast<std::int64_t>(d.decayStart));
            s.bind(8, std::string(toString(schedule.origin)));
            s.bind(9, schedule.note);
            s.bind(10, schedule.updatedAt != 0 ? schedule.updatedAt : nowSeconds());
            return s.run(e, "cannot save the schedule of run " + std::to_string(schedule.runId));
        },
        error);
}

bool Project::clearRunSchedule(std::int64_t runId, std::string* error) {
    return transaction(
        [&](std::string* e) {
            Stmt s(m_db, "DELETE FROM run_schedules WHERE run_id = ?");
            s.bind(1, runId);
            return s.run(e, "cannot remove the schedule of run " + std::to_string(runId));
        },
        error);
}

std::optional<RunForecast> Project::runForecast(std::int64_t runId) const {
    const std::string sql = std::string(kForecastSelect) + " WHERE run_id = ?";
    Stmt s(m_db, sql.c_str());
    s.bind(1, runId);
    if (s.row())
        return readForecast(s);
    return std::nullopt;
}

std::vector<RunForecast> Project::runForecasts() const {
    std::vector<RunForecast> out;
    const std::string sql = std::string(kForecastSelect) + " ORDER BY run_id";
    Stmt s(m_db, sql.c_str());
    while (s.row())
        out.push_back(readForecast(s));
    return out;
}

bool Project::setRunForecast(const RunForecast& f, std::string* error) {
    const std::string what = "invalid forecast for run " + std::to_string(f.runId) + ": ";
    if (f.metric.empty() || f.law.empty()) {
        setError(error, what + (f.metric.empty() ? "no metric" : "no law"));
        return false;
    }
    if (!positiveFinite(f.finalLoss) || !positiveFinite(f.bandLower) ||
        !positiveFinite(f.bandUpper)) {
        setError(error, what + "the final loss and its band must be finite and > 0");
        return false;
    }
    if (f.bandLower > f.bandUpper) {
        setError(error, what + "the band's lower end is above its upper end");
        return false;
    }
    if (!(f.bandLevel > 0 && f.bandLevel < 1)) {
        setError(error, what + "the band level must be in (0, 1)");
        return false;
    }
    if (f.lastLoggedStep < 0 || f.finalStep < f.lastLoggedStep) {
        setError(error, what + "the final step must be >= the last logged step >= 0");
        return false;
    }
    return transaction(
        [&](std::string* e) {
            if (!run(f.runId)) {
                setError(e, "no run with id " + std::to_string(f.runId));
                return false;
            }
            Stmt s(m_db,
                   "INSERT OR REPLACE INTO run_forecasts (run_id, metric, law, last_logged_step, "
                   "final_step, final_loss, band_lower, band_upper, band_level, result_json, "
                   "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
            s.bind(1, f.runId);
            s.bind(2, f.metric);
            s.bind(3, f.law);
            s.bind(4, static_cast<std::int64_t>(f.lastLoggedStep));
            s.bind(5, static_cast<std::int64_t>(f.finalStep));
            s.bind(6, f.finalLoss);
            s.bind(7, f.bandLower);
            s.bind(8, f.bandUpper);
            s.bind(9, f.bandLevel);
            s.bind(10, f.resultJson);
            s.bind(11, f.createdAt != 0 ? f.createdAt : nowSeconds());
            return s.run(e, "cannot save the forecast of run " + std::to_string(f.runId));
        },
        error);
}

bool Project::clearRunForecast(std::int64_t runId, std::string* error) {
    return transaction(
        [&](std::string* e) {
            Stmt s(m_db, "DELETE FROM run_forecasts WHERE run_id = ?");
            s.bind(1, runId);
            return s.run(e, "cannot remove the forecast of run " + std::to_string(runId));
        },
        error);
}

}  // namespace scalelens::data
