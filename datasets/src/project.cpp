// Project: open/create/migrate, runs, metrics, fits, settings, Save As.
#include "datasets/project.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QString>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "datasets/utf8_path.h"
#include "sqlite_util.h"

namespace scalelens::data {

using detail::exec;
using detail::setError;
using detail::Stmt;

namespace {

constexpr const char* kRunColumns =
    "id, name, group_name, total_params, non_embedding_params, active_params, tokens, flops, "
    "peak_lr, batch_tokens, seq_len, sparsity_schedule, release_date, tags, excluded, notes, "
    "derived_mask";

std::string tagsToText(const std::vector<std::string>& tags) {
    if (tags.empty())
        return {};
    QJsonArray array;
    for (const auto& t : tags)
        array.append(QString::fromStdString(t));
    return QJsonDocument(array).toJson(QJsonDocument::Compact).toStdString();
}

std::vector<std::string> tagsFromText(const std::string& text) {
    std::vector<std::string> tags;
    if (text.empty())
        return tags;
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(text));
    for (const auto& v : doc.array())
        tags.push_back(v.toString().toStdString());
    return tags;
}

Run readRun(const Stmt& s) {
    Run r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.group = s.text(2);
    for (int f = 0; f < static_cast<int>(RunField::Count); ++f)
        r.field(static_cast<RunField>(f)) = s.optReal(3 + f);
    r.sparsitySchedule = s.text(11);
    r.releaseDate = s.text(12);
    r.tags = tagsFromText(s.text(13));
    r.excluded = s.int64(14) != 0;
    r.notes = s.text(15);
    r.derivedMask = static_cast<std::uint32_t>(s.int64(16));
    return r;
}

// Binds every run column but id, starting at parameter `first`.
void bindRunFields(Stmt& s, const Run& r, int first) {
    s.bind(first, r.name);
    s.bind(first + 1, r.group);
    for (int f = 0; f < static_cast<int>(RunField::Count); ++f)
        s.bind(first + 2 + f, r.field(static_cast<RunField>(f)));
    s.bind(first + 10, r.sparsitySchedule);
    s.bind(first + 11, r.releaseDate);
    s.bind(first + 12, tagsToText(r.tags));
    s.bind(first + 13, r.excluded ? 1 : 0);
    s.bind(first + 14, r.notes);
    s.bind(first + 15, static_cast<std::int64_t>(r.derivedMask));
}

std::int64_t nowUnix() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// SCALELENS_SQL_TRACE=<ms> prints every statement that ran at least <ms> milliseconds (stderr):
// where the time of a slow open, view or command goes.
int traceStatement(unsigned, void* thresholdNs, void* stmt, void* ns) {
    const auto elapsed = *static_cast<const sqlite3_int64*>(ns);
    if (elapsed < *static_cast<const sqlite3_int64*>(thresholdNs))
        return 0;
    char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(stmt));
    std::fprintf(stderr, "sql: %8.1f ms  %s\n", static_cast<double>(elapsed) / 1e6,
                 sql ? sql : sqlite3_sql(static_cast<sqlite3_stmt*>(stmt)));
    sqlite3_free(sql);
    return 0;
}

void traceIfAsked(sqlite3* db) {
    static sqlite3_int64 thresholdNs = [] {
        const char* v = std::getenv("SCALELENS_SQL_TRACE");
        return v && *v ? static_cast<sqlite3_int64>(std::atof(v) * 1e6) : sqlite3_int64(-1);
    }();
    if (thresholdNs >= 0)
        sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, traceStatement, &thresholdNs);
}

// NOMUTEX: a Project is used by one thread at a time (see project.h), so SQLite's per-call
// connection mutex is pure overhead (8 binds per metric row).
sqlite3* openConnection(const std::string& path, int flags, std::string* error) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        setError(error, "cannot open project '" + path +
                            "': " + (db ? sqlite3_errmsg(db) : std::string("out of memory")));
        sqlite3_close(db);
        return nullptr;
    }
    sqlite3_busy_timeout(db, Project::busyTimeoutMs);
    sqlite3_extended_result_codes(db, 1);
    traceIfAsked(db);
    return db;
}

// Connection settings every Project uses. WAL + synchronous=NORMAL is durable against
// application crashes and never corrupts on power loss (only the last commit may be lost).
bool configure(sqlite3* db, const std::string& path, std::string* error) {
    const std::string what = "cannot configure project '" + path + "'";
    return exec(db,
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                "PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768; "
                "PRAGMA temp_store = MEMORY;",
                error, what);
}

}  // namespace

int Project::schemaVersion() {
    return detail::currentSchemaVersion();
}

Project::Project(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}

Project::~Project() {
    sqlite3_close_v2(m_db);
}

std::unique_ptr<Project> Project::create(const std::string& path, std::string* error) {
    std::error_code ec;
    if (std::filesystem::exists(pathFromUtf8(path), ec)) {
        setError(error, "cannot create project '" + path + "': the file already exists");
        return nullptr;
    }
    sqlite3* db = openConnection(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
    if (!db)
        return nullptr;
    std::unique_ptr<Project> project(new Project(db, path));
    // 16 KiB pages (set before the first write): fewer B-tree splits and page headers on
    // million-row metric tables.
    const bool ok =
        exec(db,
             ("PRAGMA page_size = 16384; PRAGMA application_id = " + std::to_string(applicationId))
                 .c_str(),
             error, "cannot create project '" + path + "'") &&
        configure(db, path, error) &&
        project->transaction([&](std::string* e) { return detail::migrate(db, 0, e); }, error);
    project->m_schemaVersion = schemaVersion();
    if (!ok) {
        project.reset();
        std::filesystem::remove(pathFromUtf8(path), ec);
        std::filesystem::remove(pathFromUtf8(path + "-wal"), ec);
        std::filesystem::remove(pathFromUtf8(path + "-shm"), ec);
        return nullptr;
    }
    return project;
}

namespace {

// Tables every ScaleLens schema version has.
constexpr const char* kRequiredTables[] = {"runs",    "metric_names", "metrics",
                                           "imports", "fits",         "settings"};

std::vector<std::string> missingTables(sqlite3* db, int version) {
    std::vector<std::string> missing;
    Stmt s(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    auto check = [&](const char* table) {
        s.bind(1, std::string(table));
        if (!s.row())
            missing.emplace_back(table);
        s.reset();
    };
    for (const char* t : kRequiredTables)
        check(t);
    if (version >= 2)
        check("evaluations");
    if (version >= 3) {
        check("run_schedules");
        check("run_forecasts");
    }
    if (version >= detail::kCurveStatsVersion)
        check("curve_stats");
    if (version >= detail::kCurveOverviewVersion) {
        check("curve_overview_info");
        check("curve_overview");
    }
    return missing;
}

std::int64_t pragmaInt(sqlite3* db, const char* pragma) {
    Stmt s(db, pragma);
    return s.row() ? s.int64(0) : 0;
}

}  // namespace

std::unique_ptr<Project> Project::open(const std::string& path, std::string* error, OpenMode mode,
                                       bool* busy) {
    if (busy)
        *busy = false;
    const std::string prefix = "cannot open project '" + path + "': ";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(pathFromUtf8(path), ec)) {
        setError(error, prefix + "no such file");
        return nullptr;
    }
    // The SQLite header first: an empty or foreign file is refused before SQLite touches it.
    {
        std::ifstream in(pathFromUtf8(path), std::ios::binary);
        char header[16] = {};
        in.read(header, sizeof header);
        if (in.gcount() == 0) {
            setError(error, prefix + "the file is empty (0 bytes), not a ScaleLens project");
            return nullptr;
        }
        if (in.gcount() < 16 || std::memcmp(header, "SQLite format 3", 16) != 0) {
            setError(error, prefix + "not a ScaleLens project (not an SQLite database)");
            return nullptr;
        }
    }
    const bool readOnly = mode == OpenMode::ReadOnly;
    sqlite3* db =
        openConnection(path, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE, error);
    if (!db)
        return nullptr;
    std::unique_ptr<Project> project(new Project(db, path));
    project->m_readOnly = readOnly;
    project->m_schemaVersion = schemaVersion();
    try {
        const auto appId = static_cast<std::int32_t>(pragmaInt(db, "PRAGMA application_id"));
        const int version = static_cast<int>(pragmaInt(db, "PRAGMA user_version"));
        if (appId != applicationId && appId != 0) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(appId));
            setError(error, prefix + "not a ScaleLens project (SQLite application_id " + hex + ")");
            return nullptr;
        }
        if (version > schemaVersion() && appId == applicationId) {
            setError(error, prefix + "it was written by a newer ScaleLens (schema version " +
                                std::to_string(version) + ", this build reads up to " +
                                std::to_string(schemaVersion()) + ")");
            return nullptr;
        }
        // Files from before the application id was set: our version range and our tables.
        const auto missing = version >= 1 && version <= schemaVersion()
                                 ? missingTables(db, version)
                                 : std::vector<std::string>{"runs"};
        if (!missing.empty()) {
            if (appId != applicationId) {
                setError(error, prefix + "not a ScaleLens project (SQLite file with user_version " +
                                    std::to_string(version) + " and no ScaleLens tables)");
            } else {
                std::string list;
                for (const auto& t : missing)
                    list += (list.empty() ? "'" : ", '") + t + "'";
                setError(error, prefix + "the project is damaged: table " + list + " missing");
            }
            return nullptr;
        }
        if (readOnly) {
            // Files of the version before the curve statistics are read as they are (the reads
            // scan the metric rows instead); older ones must be upgraded.
            project->m_schemaVersion = version;
            if (version < detail::kCurveStatsVersion - 1) {
                setError(error, prefix + "it uses schema version " + std::to_string(version) +
                                    " and must be upgraded first; open it once in ScaleLens or "
                                    "import into it");
                return nullptr;
            }
            // Connection-only settings: nothing is written to the file.
            if (!exec(db,
                      "PRAGMA query_only = ON; PRAGMA foreign_keys = ON; "
                      "PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;",
                      error, "cannot configure project '" + path + "'"))
                return nullptr;
            return project;
        }
        if (!configure(db, path, error)) {
            const bool locked = (sqlite3_errcode(db) & 0xff) == SQLITE_BUSY;
            if (busy)
                *busy = locked;
            if (locked)
                setError(error, "project '" + path + "' is busy: another process is writing to it" +
                                    detail::lockHolder(path) + "; retry when it has finished");
            return nullptr;
        }
        if (version < schemaVersion() &&
            !project->transaction([&](std::string* e) { return detail::migrate(db, version, e); },
                                  error)) {
            if (busy)
                *busy = project->lastWriteBusy();
            return nullptr;
        }
        if (appId == 0 && !project->transaction(
                              [&](std::string* e) {
                                  const std::string sql =
                                      "PRAGMA application_id = " + std::to_string(applicationId);
                                  return exec(db, sql.c_str(), e, "cannot set the application id");
                              },
                              error)) {
            if (busy)
                *busy = project->lastWriteBusy();
            return nullptr;
        }
    } catch (const ProjectError& e) {
        if (busy)
            *busy = e.kind() == ProjectError::Kind::Busy;
        setError(error, e.what());
        return nullptr;
    }
    return project;
}

void Project::setBusyTimeoutMs(int ms) {
    sqlite3_busy_timeout(m_db, ms);
}

std::unique_ptr<Project> Project::openOrCreate(const std::string& path, std::string* error) {
    std::error_code ec;
    return std::filesystem::exists(pathFromUtf8(path), ec) ? open(path, error)
                                                           : create(path, error);
}

bool Project::transaction(const std::function<bool(std::string*)>& body, std::string* error) {
    if (m_transactionDepth > 0) {
        ++m_transactionDepth;
        bool ok = false;
        try {
            ok = body(error);
        } catch (...) {
            --m_transactionDepth;
            throw;  // the outermost transaction reports it and rolls back
        }
        --m_transactionDepth;
        return ok;
    }
    m_lastWriteBusy = false;
    auto busyMessage = [&] {
        return "project '" + m_path + "' is busy: another process is writing to it" +
               detail::lockHolder(m_path) + "; retry when it has finished";
    };
    if (!exec(m_db, "BEGIN IMMEDIATE", error, "cannot start a transaction")) {
        if ((sqlite3_errcode(m_db) & 0xff) == SQLITE_BUSY) {
            m_lastWriteBusy = true;
            setError(error, busyMessage());
        }
        return false;
    }
    ++m_transactionDepth;
    std::string bodyError;
    bool ok = false;
    try {
        ok = body(&bodyError);
    } catch (const ProjectError& e) {  // a read inside the write met a damaged file
        bodyError = e.what();
        m_lastWriteBusy = e.kind() == ProjectError::Kind::Busy;
    }
    --m_transactionDepth;
    if (ok) {
        ok = exec(m_db, "COMMIT", &bodyError, "cannot commit");
        if (!ok && (sqlite3_errcode(m_db) & 0xff) == SQLITE_BUSY) {
            m_lastWriteBusy = true;
            bodyError = busyMessage();
        }
    }
    if (!ok) {
        exec(m_db, "ROLLBACK", nullptr);
        setError(error, bodyError.empty() ? std::string("the change was rolled back") : bodyError);
    }
    return ok;
}

// ---- runs ------------------------------------------------------------------------------

std::vector<Run> Project::runs() const {
    std::vector<Run> out;
    const std::string sql =
        std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY group_name, name, id";
    Stmt s(m_db, sql.c_str());
    while (s.row())
        out.push_back(readRun(s));
    return out;
}

std::optional<Run> Project::run(std::int64_t id) const {
    const std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?";
    Stmt s(m_db, sql.c_str());
    s.bind(1, id);
    if (s.row())
        return readRun(s);
    return std::nullopt;
}

std::optional<Run> Project::runByName(const std::string& group, const std::string& name) const {
    const std::string sql =
        std::string("SELECT ") + kRunColumns + " FROM runs WHERE group_name = ? AND name = ?";
    Stmt s(m_db, sql.c_str());
    s.bind(1, group);
    s.bind(2, name);
    if (s.row())
        return readRun(s);
    return std::nullopt;
}

namespace {
std::int64_t insertRun(sqlite3* db, const Run& run, bool keepId, std::string* error) {
    if (run.name.empty()) {
        setError(error, "a run needs a name");
        return 0;
    }
    Stmt s(db,
           "INSERT INTO runs (name, group_name, total_params, non_embedding_params, "
           "active_params, tokens, flops, peak_lr, batch_tokens, seq_len, sparsity_schedule, "
           "release_date, tags, excluded, notes, derived_mask, id) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    bindRunFields(s, run, 1);
    if (keepId)
        s.bind(17, run.id);
    else
        s.bindNull(17);
    if (!s.run(error, "cannot add run '" + run.name + "'"))
        return 0;
    return sqlite3_last_insert_rowid(db);
}
}  // namespace

std::int64_t Project::addRun(const Run& run, std::string* error) {
    std::int64_t id = 0;
    transaction(
        [&](std::string* e) {
            id = insertRun(m_db, run, false, e);
            return id != 0;
        },
        error);
    return id;
}

bool Project::updateRun(const Run& run, std::string* error) {
    return transaction(
        [&](std::string* e) {
            if (run.name.empty()) {
                setError(e, "a run needs a name");
                return false;
            }
            Stmt s(m_db,
                   "UPDATE runs SET name=?, group_name=?, total_params=?, "
                   "non_embedding_params=?, active_params=?, tokens=?, flops=?, peak_lr=?, "
                   "batch_tokens=?, seq_len=?, sparsity_schedule=?, release_date=?, tags=?, "
                   "excluded=?, notes=?, derived_mask=? WHERE id=?");
            bindRunFields(s, run, 1);
            s.bind(17, run.id);
            if (!s.run(e, "cannot update run '" + run.name + "'"))
                return false;
            if (sqlite3_changes(m_db) != 1) {
                setError(e, "cannot update run " + std::to_string(run.id) + ": no such run");
                return false;
            }
            return true;
        },
        error);
}

bool Project::setExcluded(std::int64_t id, bool excluded, std::string* error) {
    auto r = run(id);
    if (!r) {
        setError(error, "no run with id " + std::to_string(id));
        return false;
    }
    r->excluded = excluded;
    return updateRun(*r, error);
}

bool Project::renameRun(std::int64_t id, const std::string& name, std::string* error) {
    auto r = run(id);
    if (!r) {
        setError(error, "no run with id " + std::to_string(id));
        return false;
    }
    r->name = name;
    return updateRun(*r, error);
}

bool Project::deleteRun(std::int64_t id, RunSnapshot* snapshot, std::string* error) {
    const auto r = run(id);
    if (!r) {
        setError(error, "no run with id " + std::to_string(id));
        return false;
    }
    if (snapshot) {
        snapshot->run = *r;
        snapshot->curves.clear();
        snapshot->evaluations.clear();
        Stmt names(m_db,
                   "SELECT DISTINCT n.name FROM metrics m JOIN metric_names n ON n.id = "
                   "m.metric_id WHERE m.run_id = ? ORDER BY n.name");
        names.bind(1, id);
        while (names.row()) {
            const std::string metric = names.text(0);
            snapshot->curves.push_back({metric, metrics(id, metric)});
        }
        for (const auto& e : evaluations())
            if (e.runId == id)
                snapshot->evaluations.push_back(e);
        snapshot->schedule = runSchedule(id);
        snapshot->forecast = runForecast(id);
    }
    return transaction(
        [&](std::string* e) {
            Stmt s(m_db, "DELETE FROM runs WHERE id = ?");
            s.bind(1, id);
            return s.run(e, "cannot delete run '" + r->name + "'");
        },
        error);
}

bool Project::restoreRun(const RunSnapshot& snapshot, std::string* error) {
    return transaction(
        [&](std::string* e) {
            if (insertRun(m_db, snapshot.run, true, e) == 0)
                return false;
            Stmt name(m_db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)");
            Stmt nameId(m_db, "SELECT id FROM metric_names WHERE name = ?");
            Stmt row(m_db,
                     "INSERT INTO metrics (run_id, metric_id, step, tokens, flops, wall_time, "
                     "value, x) VALUES (?1,?2,?3,?4,?5,?6,?7,coalesce(?3,?4,?5,?6,-1))");
            for (const auto& curve : snapshot.curves) {
                name.bind(1, curve.metric);
                if (!name.run(e, "cannot restore metric names"))
                    return false;
                name.reset();
                nameId.bind(1, curve.metric);
                nameId.step();
                const std::int64_t metricId = nameId.int64(0);
                nameId.reset();
                const MetricSeries& c = curve.series;
                for (std::size_t i = 0; i < c.size(); ++i) {
                    row.bind(1, snapshot.run.id);
                    row.bind(2, metricId);
                    row.bindOrNull(3, c.step[i]);
                    row.bindOrNull(4, c.tokens[i]);
                    row.bindOrNull(5, c.flops[i]);
                    row.bindOrNull(6, c.wallTime[i]);
                    row.bind(7, c.value[i]);
                    if (!row.run(e, "cannot restore the metrics of '" + snapshot.run.name + "'"))
                        return false;
                    row.reset();
                }
            }
            Stmt ev(m_db,
                    "INSERT INTO evaluations (id, run_id, benchmark, shots, score) "
                    "VALUES (?,?,?,?,?)");
            for (const auto& v : snapshot.evaluations) {
                ev.bind(1, v.id);
                ev.bind(2, snapshot.run.id);
                ev.bind(3, v.benchmark);
                if (v.shots)
                    ev.bind(4, *v.shots);
                else
                    ev.bindNull(4);
                ev.bind(5, v.score);
                if (!ev.run(e, "cannot restore the evaluations of '" + snapshot.run.name + "'"))
                    return false;
                ev.reset();
            }
            if (snapshot.schedule && !setRunSchedule(*snapshot.schedule, e))
                return false;
            if (snapshot.forecast && !setRunForecast(*snapshot.forecast, e))
                return false;
            return detail::refreshCurveStats(m_db, snapshot.run.id, e) &&
                   detail::refreshCurveOverview(m_db, snapshot.run.id, e);
        },
        error);
}

// ---- metrics and evaluations -------------------------------------------------------------

std::vector<std::string> Project::metricNames() const {
    std::vector<std::string> out;
    Stmt s(m_db, m_schemaVersion >= detail::kCurveStatsVersion
                     ? "SELECT name FROM metric_names n WHERE EXISTS (SELECT 1 FROM curve_stats c "
                       "WHERE c.metric_id = n.id) ORDER BY name"
                     : "SELECT name FROM metric_names n WHERE EXISTS (SELECT 1 FROM metrics m "
                       "WHERE m.metric_id = n.id) ORDER BY name");
    while (s.row())
        out.push_back(s.text(0));
    return out;
}

MetricSeries Project::metrics(std::int64_t runId, const std::string& metric) const {
    MetricSeries out;
    // Two index range scans in primary-key order (the curve, x >= 0, then its summary value,
    // x < 0) instead of one ORDER BY (x < 0, x), which sorted every row in a temporary B-tree.
    for (const char* range : {"m.x >= 0", "m.x < 0"}) {
        const std::string sql =
            std::string(
                "SELECT m.step, m.tokens, m.flops, m.wall_time, m.value FROM metrics m "
                "WHERE m.run_id = ? AND m.metric_id = (SELECT id FROM metric_names WHERE "
                "name = ?) AND ") +
            range + " ORDER BY m.x";
        Stmt s(m_db, sql.c_str());
        s.bind(1, runId);
        s.bind(2, metric);
        while (s.row()) {
            out.step.push_back(s.realOrNan(0));
            out.tokens.push_back(s.realOrNan(1));
            out.flops.push_back(s.realOrNan(2));
            out.wallTime.push_back(s.realOrNan(3));
            out.value.push_back(s.real(4));
        }
    }
    return out;
}

double curveOrder(const MetricSeries& series, std::size_t i) {
    for (const std::vector<double>* axis :
         {&series.step, &series.tokens, &series.flops, &series.wallTime})
        if (i < axis->size() && !std::isnan((*axis)[i]))
            return (*axis)[i];
    return -1;
}

namespace {
void appendMetricRow(const Stmt& s, MetricSeries* out) {
    out->step.push_back(s.realOrNan(0));
    out->tokens.push_back(s.realOrNan(1));
    out->flops.push_back(s.realOrNan(2));
    out->wallTime.push_back(s.realOrNan(3));
    out->value.push_back(s.real(4));
}
}  // namespace

MetricSeries Project::metricsInRange(std::int64_t runId, const std::string& metric, double from,
                                     double to) const {
    MetricSeries out;
    Stmt s(m_db,
           "SELECT m.step, m.tokens, m.flops, m.wall_time, m.value FROM metrics m WHERE m.run_id "
           "= ? AND m.metric_id = (SELECT id FROM metric_names WHERE name = ?) AND m.x >= ? AND "
           "m.x <= ? ORDER BY m.x");
    s.bind(1, runId);
    s.bind(2, metric);
    s.bind(3, std::max(from, 0.0));  // x < 0: the summary value, not a row of the curve
    s.bind(4, to);
    while (s.row())
        appendMetricRow(s, &out);
    return out;
}

MetricSeries Project::metricsBefore(std::int64_t runId, const std::string& metric, double before,
                                    std::int64_t limit) const {
    MetricSeries reversed, out;
    Stmt s(m_db,
           "SELECT m.step, m.tokens, m.flops, m.wall_time, m.value FROM metrics m WHERE m.run_id "
           "= ? AND m.metric_id = (SELECT id FROM metric_names WHERE name = ?) AND m.x >= 0 AND "
           "m.x < ? ORDER BY m.x DESC LIMIT ?");
    s.bind(1, runId);
    s.bind(2, metric);
    s.bind(3, before);
    s.bind(4, std::max<std::int64_t>(limit, 0));
    while (s.row())
        appendMetricRow(s, &reversed);
    for (auto [from, to] : {std::pair{&reversed.step, &out.step},
                            {&reversed.tokens, &out.tokens},
                            {&reversed.flops, &out.flops},
                            {&reversed.wallTime, &out.wallTime},
                            {&reversed.value, &out.value}})
        to->assign(from->rbegin(), from->rend());
    return out;
}

std::optional<CurveOverview> Project::curveOverview(std::int64_t runId, const std::string& metric,
                                                    CurveOverviewKind kind) const {
    if (m_schemaVersion < detail::kCurveOverviewVersion)
        return std::nullopt;  // a version 4 file opened read-only: no overviews
    CurveOverview out;
    {
        Stmt s(m_db,
               "SELECT points, step_finite, tokens_positive, flops_positive, flops_finite, "
               "wall_finite FROM curve_overview_info WHERE run_id = ? AND metric_id = (SELECT id "
               "FROM metric_names WHERE name = ?)");
        s.bind(1, runId);
        s.bind(2, metric);
        if (!s.row())
            return std::nullopt;
        out.points = s.int64(0);
        out.stepFinite = s.int64(1);
        out.tokensPositive = s.int64(2);
        out.flopsPositive = s.int64(3);
        out.flopsFinite = s.int64(4);
        out.wallFinite = s.int64(5);
    }
    Stmt s(m_db,
           "SELECT rows, data FROM curve_overview WHERE run_id = ? AND metric_id = (SELECT id "
           "FROM metric_names WHERE name = ?) AND kind = ?");
    s.bind(1, runId);
    s.bind(2, metric);
    s.bind(3, static_cast<int>(kind));
    if (!s.row())
        return std::nullopt;
    const void* blob = sqlite3_column_blob(s.get(), 1);
    const auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 1));
    if (!detail::unpackOverview(blob, bytes, s.int64(0), &out.series))
        throw ProjectError(ProjectError::Kind::Damaged,
                           "cannot read project '" + m_path +
                               "': a curve overview (table curve_overview) is damaged");
    return out;
}

std::vector<RunValue> Project::finalValues(const std::string& metric) const {
    std::vector<RunValue> out;
    // Version 4 keeps the final row of every curve in curve_stats; version 3 files opened
    // read-only scan the metric rows (the definition the cached values must equal).
    Stmt s(m_db,
           m_schemaVersion >= detail::kCurveStatsVersion
               ? "SELECT run_id, final_value FROM curve_stats WHERE metric_id = (SELECT id FROM "
                 "metric_names WHERE name = ?) ORDER BY run_id"
               : "SELECT run_id, value FROM (SELECT run_id, value, ROW_NUMBER() OVER (PARTITION "
                 "BY run_id ORDER BY x < 0 DESC, x DESC) AS rn "
                 "FROM metrics WHERE metric_id = (SELECT id FROM metric_names WHERE name = ?)) "
                 "WHERE rn = 1 ORDER BY run_id");
    s.bind(1, metric);
    while (s.row())
        out.push_back({s.int64(0), s.real(1)});
    return out;
}

std::optional<double> Project::summaryValue(std::int64_t runId, const std::string& metric) const {
    Stmt s(m_db,
           "SELECT value FROM metrics WHERE run_id = ? AND x = -1 AND metric_id = "
           "(SELECT id FROM metric_names WHERE name = ?)");
    s.bind(1, runId);
    s.bind(2, metric);
    if (s.row())
        return s.real(0);
    return std::nullopt;
}

bool Project::setSummaryValue(std::int64_t runId, const std::string& metric,
                              std::optional<double> value, std::string* error) {
    if (metric.empty() || (value && !std::isfinite(*value))) {
        if (error)
            *error = metric.empty() ? "no metric named" : "a final value must be finite";
        return false;
    }
    if (!run(runId)) {
        if (error)
            *error = "no run with id " + std::to_string(runId);
        return false;
    }
    return transaction(
        [&](std::string* e) {
            if (!value) {
                Stmt del(m_db,
                         "DELETE FROM metrics WHERE run_id = ? AND x = -1 AND metric_id = "
                         "(SELECT id FROM metric_names WHERE name = ?)");
                del.bind(1, runId);
                del.bind(2, metric);
                if (!del.run(e, "cannot remove the final " + metric))
                    return false;
                return m_schemaVersion < detail::kCurveStatsVersion ||
                       detail::refreshCurveStats(m_db, runId, e);
            }
            Stmt name(m_db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)");
            name.bind(1, metric);
            if (!name.run(e, "cannot add metric '" + metric + "'"))
                return false;
            Stmt row(m_db,
                     "INSERT OR REPLACE INTO metrics (run_id, metric_id, step, tokens, flops, "
                     "wall_time, value, x) VALUES (?1, (SELECT id FROM metric_names WHERE "
                     "name = ?2), NULL, NULL, NULL, NULL, ?3, -1)");
            row.bind(1, runId);
            row.bind(2, metric);
            row.bind(3, *value);
            if (!row.run(e, "cannot set the final " + metric))
                return false;
            // Keep the per-curve statistics (schema 4) in step with the rows.
            return m_schemaVersion < detail::kCurveStatsVersion ||
                   detail::refreshCurveStats(m_db, runId, e);
        },
        error);
}

std::int64_t Project::metricRowCount() const {
    Stmt s(m_db, m_schemaVersion >= detail::kCurveStatsVersion
                     ? "SELECT total(row_count) FROM curve_stats"
                     : "SELECT count(*) FROM metrics");
    return s.row() ? static_cast<std::int64_t>(s.real(0)) : 0;
}

std::vector<Evaluation> Project::evaluations() const {
    std::vector<Evaluation> out;
    Stmt s(m_db,
           "SELECT id, run_id, benchmark, shots, score FROM evaluations ORDER BY run_id, "
           "benchmark");
    while (s.row()) {
        Evaluation e;
        e.id = s.int64(0);
        e.runId = s.int64(1);
        e.benchmark = s.text(2);
        if (!s.isNull(3))
            e.shots = static_cast<int>(s.int64(3));
        e.score = s.real(4);
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<ImportRecord> Project::imports() const {
    std::vector<ImportRecord> out;
    Stmt s(m_db,
           "SELECT id, source_path, size_bytes, sha256, imported_at, format, run_count, "
           "metric_row_count, evaluation_count FROM imports ORDER BY id");
    while (s.row()) {
        ImportRecord r;
        r.id = s.int64(0);
        r.sourcePath = s.text(1);
        r.sizeBytes = static_cast<std::uint64_t>(s.int64(2));
        r.sha256 = s.text(3);
        r.importedAt = s.int64(4);
        r.format = s.text(5);
        r.runCount = s.int64(6);
        r.metricRowCount = s.int64(7);
        r.evaluationCount = s.int64(8);
        out.push_back(std::move(r));
    }
    return out;
}

// ---- fits ----------------------------------------------------------------------------------

std::int64_t Project::saveFit(const FitRecord& fit, std::string* error) {
    if (fit.law.empty()) {
        setError(error, "cannot save a fit without a law name");
        return 0;
    }
    std::int64_t id = 0;
    transaction(
        [&](std::string* e) {
            Stmt s(m_db,
                   "INSERT INTO fits (law, name, options_json, result_json, created_at, "
                   "data_fingerprint) VALUES (?,?,?,?,?,?)");
            s.bind(1, fit.law);
            s.bind(2, fit.name);
            s.bind(3, fit.optionsJson);
            s.bind(4, fit.resultJson);
            s.bind(5, fit.createdAt != 0 ? fit.createdAt : nowUnix());
            s.bind(6, fit.dataFingerprint.empty() ? dataFingerprint() : fit.dataFingerprint);
            if (!s.run(e, "cannot save the fit"))
                return false;
            id = sqlite3_last_insert_rowid(m_db);
            return true;
        },
        error);
    return id;
}

namespace {
constexpr const char* kFitSelect =
    "SELECT id, law, name, options_json, result_json, created_at, data_fingerprint FROM fits";
FitRecord readFit(const Stmt& s, const std::string& fingerprint) {
    FitRecord f;
    f.id = s.int64(0);
    f.law = s.text(1);
    f.name = s.text(2);
    f.optionsJson = s.text(3);
    f.resultJson = s.text(4);
    f.createdAt = s.int64(5);
    f.dataFingerprint = s.text(6);
    f.stale = f.dataFingerprint != fingerprint;
    return f;
}
}  // namespace

std::vector<FitRecord> Project::fits() const {
    std::vector<FitRecord> out;
    const std::string fingerprint = dataFingerprint();
    const std::string sql = std::string(kFitSelect) + " ORDER BY created_at DESC, id DESC";
    Stmt s(m_db, sql.c_str());
    while (s.row())
        out.push_back(readFit(s, fingerprint));
    return out;
}

std::optional<FitRecord> Project::fit(std::int64_t id) const {
    const std::string sql = std::string(kFitSelect) + " WHERE id = ?";
    Stmt s(m_db, sql.c_str());
    s.bind(1, id);
    if (s.row())
        return readFit(s, dataFingerprint());
    return std::nullopt;
}

bool Project::deleteFit(std::int64_t id, std::string* error) {
    return transaction(
        [&](std::string* e) {
            Stmt s(m_db, "DELETE FROM fits WHERE id = ?");
            s.bind(1, id);
            if (!s.run(e, "cannot delete the fit"))
                return false;
            if (sqlite3_changes(m_db) != 1) {
                setError(e, "no fit with id " + std::to_string(id));
                return false;
            }
            return true;
        },
        error);
}

std::string Project::dataFingerprint() const {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    auto feed = [&](const Stmt& s, int columns) {
        for (int c = 0; c < columns; ++c) {
            const std::string t = s.isNull(c) ? std::string("\x01") : s.text(c);
            hash.addData(QByteArrayView(t.data(), static_cast<qsizetype>(t.size())));
            hash.addData(QByteArrayView("\x1f", 1));
        }
        hash.addData(QByteArrayView("\x1e", 1));
    };
    const std::string runSql = std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id";
    Stmt runs(m_db, runSql.c_str());
    while (runs.row())
        feed(runs, 17);
    // Per-curve aggregates instead of every row: any change of a value, a step or a row count
    // still changes the digest. Version 4 keeps them in curve_stats (no scan of the rows).
    Stmt metrics(m_db,
                 m_schemaVersion >= detail::kCurveStatsVersion
                     ? "SELECT c.run_id, n.name, c.row_count, c.sum_value, c.sum_step, "
                       "c.sum_value_sq, c.sum_tokens FROM curve_stats c JOIN metric_names n ON "
                       "n.id = c.metric_id ORDER BY c.run_id, n.name"
                     : "SELECT m.run_id, n.name, count(*), total(m.value), total(m.step), "
                       "total(m.value * m.value), total(m.tokens) FROM metrics m JOIN "
                       "metric_names n ON n.id = m.metric_id GROUP BY m.run_id, m.metric_id "
                       "ORDER BY m.run_id, n.name");
    while (metrics.row())
        feed(metrics, 7);
    Stmt evals(m_db,
               "SELECT run_id, benchmark, shots, score FROM evaluations ORDER BY run_id, "
               "benchmark");
    while (evals.row())
        feed(evals, 4);
    // Forecasts can stand in for final losses in fits; projects without any keep their digest.
    Stmt forecasts(m_db,
                   "SELECT run_id, metric, law, last_logged_step, final_step, final_loss, "
                   "band_lower, band_upper FROM run_forecasts ORDER BY run_id");
    while (forecasts.row())
        feed(forecasts, 8);
    return hash.result().toHex().toStdString();
}

// ---- settings ------------------------------------------------------------------------------

std::optional<std::string> Project::setting(const std::string& key) const {
    Stmt s(m_db, "SELECT value FROM settings WHERE key = ?");
    s.bind(1, key);
    if (s.row())
        return s.text(0);
    return std::nullopt;
}

bool Project::setSetting(const std::string& key, const std::string& value, std::string* error) {
    return transaction(
        [&](std::string* e) {
            Stmt s(m_db, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
            s.bind(1, key);
            s.bind(2, value);
            return s.run(e, "cannot save setting '" + key + "'");
        },
        error);
}

// ---- check ---------------------------------------------------------------------------------

std::vector<std::string> Project::check() const {
    std::vector<std::string> problems;
    {
        Stmt s(m_db, "PRAGMA integrity_check(100)");
        while (s.row())
            if (s.text(0) != "ok")
                problems.push_back("integrity_check: " + s.text(0));
    }
    {
        Stmt s(m_db, "PRAGMA foreign_key_check");
        while (s.row())
            problems.push_back("foreign_key_check: a row of table '" + s.text(0) +
                               "' points at a missing row of '" + s.text(2) + "'");
    }
    if (const auto missing = missingTables(m_db, m_schemaVersion); !missing.empty())
        for (const auto& t : missing)
            problems.push_back("table '" + t + "' is missing");
    // The project's own rules, each a query counting the rows that break it.
    struct Rule {
        const char* what;
        const char* sql;
    };
    static const Rule rules[] = {
        {"metric rows whose run does not exist",
         "SELECT count(*) FROM metrics WHERE run_id NOT IN (SELECT id FROM runs)"},
        {"metric rows whose metric name does not exist",
         "SELECT count(*) FROM metrics WHERE metric_id NOT IN (SELECT id FROM metric_names)"},
        {"metric rows with a value that is not a finite number",
         "SELECT count(*) FROM metrics WHERE typeof(value) NOT IN ('real', 'integer') OR "
         "abs(value) > 1.7976931348623157e308"},
        {"metric rows with an infinite step, tokens, FLOPs or wall time",
         "SELECT count(*) FROM metrics WHERE abs(step) > 1.7976931348623157e308 OR "
         "abs(tokens) > 1.7976931348623157e308 OR abs(flops) > 1.7976931348623157e308 OR "
         "abs(wall_time) > 1.7976931348623157e308"},
        {"metric rows whose curve key x is not their first axis",
         "SELECT count(*) FROM metrics WHERE x IS NOT coalesce(step, tokens, flops, wall_time, "
         "-1)"},
        {"runs with an empty name", "SELECT count(*) FROM runs WHERE name = ''"},
        {"runs with an infinite number",
         "SELECT count(*) FROM runs WHERE abs(total_params) > 1.7976931348623157e308 OR "
         "abs(non_embedding_params) > 1.7976931348623157e308 OR abs(active_params) > "
         "1.7976931348623157e308 OR abs(tokens) > 1.7976931348623157e308 OR abs(flops) > "
         "1.7976931348623157e308 OR abs(peak_lr) > 1.7976931348623157e308 OR "
         "abs(batch_tokens) > 1.7976931348623157e308 OR abs(seq_len) > "
         "1.7976931348623157e308"},
        {"evaluations whose run does not exist",
         "SELECT count(*) FROM evaluations WHERE run_id NOT IN (SELECT id FROM runs)"},
        {"evaluations with a score that is not a finite number",
         "SELECT count(*) FROM evaluations WHERE typeof(score) NOT IN ('real', 'integer') OR "
         "abs(score) > 1.7976931348623157e308"},
        {"imports without a content hash", "SELECT count(*) FROM imports WHERE length(sha256) = 0"},
        {"schedules whose run does not exist",
         "SELECT count(*) FROM run_schedules WHERE run_id NOT IN (SELECT id FROM runs)"},
        {"schedules with an unknown shape, a peak LR that is not finite and > 0 or total steps "
         "not beyond the warm-up",
         "SELECT count(*) FROM run_schedules WHERE shape NOT IN ('constant', 'cosine', 'linear', "
         "'wsd', 'wsd-linear', 'two-stage') OR NOT (peak_lr > 0 AND peak_lr <= "
         "1.7976931348623157e308) OR NOT (shape = 'constant' OR (final_lr >= 0 AND final_lr <= "
         "peak_lr)) OR "
         "total_steps <= warmup_steps OR warmup_steps < 0"},
        {"forecasts whose run does not exist",
         "SELECT count(*) FROM run_forecasts WHERE run_id NOT IN (SELECT id FROM runs)"},
        {"forecasts with a final loss or band that is not a finite positive number",
         "SELECT count(*) FROM run_forecasts WHERE NOT (final_loss > 0 AND final_loss <= "
         "1.7976931348623157e308) OR NOT (band_lower > 0 AND band_lower <= band_upper AND "
         "band_upper <= 1.7976931348623157e308)"},
    };
    static const Rule curveStatsRules[] = {
        {"curves whose statistics (curve_stats) do not match their metric rows",
         "SELECT count(*) FROM (SELECT run_id, metric_id, count(*) AS n, total(value) AS v, "
         "total(step) AS s, total(tokens) AS t FROM metrics GROUP BY run_id, metric_id) a LEFT "
         "JOIN curve_stats c ON c.run_id = a.run_id AND c.metric_id = a.metric_id WHERE "
         "c.row_count IS NOT a.n OR c.sum_value IS NOT a.v OR c.sum_step IS NOT a.s OR "
         "c.sum_tokens IS NOT a.t OR c.final_value IS NOT (SELECT m.value FROM metrics m WHERE "
         "m.run_id = a.run_id AND m.metric_id = a.metric_id ORDER BY m.x < 0 DESC, m.x DESC "
         "LIMIT 1)"},
        {"curve statistics (curve_stats) without metric rows",
         "SELECT count(*) FROM curve_stats c WHERE NOT EXISTS (SELECT 1 FROM metrics m WHERE "
         "m.run_id = c.run_id AND m.metric_id = c.metric_id)"},
    };
    auto apply = [&](const Rule& rule) {
        Stmt s(m_db, rule.sql);
        if (s.row() && s.int64(0) > 0)
            problems.push_back(std::to_string(s.int64(0)) + " " + rule.what);
    };
    static const Rule curveOverviewRules[] = {
        {"curve overviews (curve_overview_info) whose row count does not match their curve",
         "SELECT count(*) FROM curve_overview_info i WHERE i.points IS NOT (SELECT count(*) FROM "
         "metrics m WHERE m.run_id = i.run_id AND m.metric_id = i.metric_id AND m.x >= 0)"},
        {"curve overviews (curve_overview) whose blob does not hold their rows",
         "SELECT count(*) FROM curve_overview WHERE length(data) IS NOT rows * 40"},
    };
    for (const auto& rule : rules)
        apply(rule);
    if (m_schemaVersion >= detail::kCurveStatsVersion)
        for (const auto& rule : curveStatsRules)
            apply(rule);
    if (m_schemaVersion >= detail::kCurveOverviewVersion) {
        for (const auto& rule : curveOverviewRules)
            apply(rule);
        // Every raw overview row is a row of its curve, with its value.
        std::int64_t stray = 0;
        Stmt o(m_db, "SELECT run_id, metric_id, rows, data FROM curve_overview WHERE kind = 0");
        Stmt m(m_db, "SELECT value FROM metrics WHERE run_id = ? AND metric_id = ? AND x = ?");
        while (o.row()) {
            MetricSeries kept;
            if (!detail::unpackOverview(sqlite3_column_blob(o.get(), 3),
                                        static_cast<std::size_t>(sqlite3_column_bytes(o.get(), 3)),
                                        o.int64(2), &kept))
                continue;  // counted by the rule above
            for (std::size_t i = 0; i < kept.size(); ++i) {
                double x = -1;
                for (const double v :
                     {kept.step[i], kept.tokens[i], kept.flops[i], kept.wallTime[i]})
                    if (!std::isnan(v)) {
                        x = v;
                        break;
                    }
                m.bind(1, o.int64(0));
                m.bind(2, o.int64(1));
                m.bind(3, x);
                if (!m.row() || m.real(0) != kept.value[i])
                    ++stray;
                m.reset();
            }
        }
        if (stray > 0)
            problems.push_back(std::to_string(stray) +
                               " overview rows (curve_overview) that are not rows of their curve");
    }
    return problems;
}

// ---- Save As -------------------------------------------------------------------------------

bool Project::saveAs(const std::string& path, std::string* error) const {
    namespace fs = std::filesystem;
    const std::string tmp = path + ".saving";
    std::error_code ec;
    fs::remove(pathFromUtf8(tmp), ec);
    std::string openError;
    sqlite3* dest = openConnection(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &openError);
    if (!dest) {
        setError(error, "cannot save the project as '" + path + "': " + openError);
        return false;
    }
    bool ok = false;
    if (sqlite3_backup* backup = sqlite3_backup_init(dest, "main", m_db, "main")) {
        const int rc = sqlite3_backup_step(backup, -1);
        sqlite3_backup_finish(backup);
        ok = rc == SQLITE_DONE;
    }
    std::string message = ok ? std::string() : std::string(sqlite3_errmsg(dest));
    // Fold the copy into one self-contained file before it is renamed into place.
    if (ok)
        ok = exec(dest, "PRAGMA journal_mode = DELETE", &message);
    sqlite3_close_v2(dest);
    if (ok) {
        fs::rename(pathFromUtf8(tmp), pathFromUtf8(path), ec);
        if (ec) {
            ok = false;
            message = ec.message();
        }
    }
    if (!ok) {
        fs::remove(pathFromUtf8(tmp), ec);
        setError(error, "cannot save the project as '" + path + "': " + message);
    }
    return ok;
}

}  // namespace scalelens::data
