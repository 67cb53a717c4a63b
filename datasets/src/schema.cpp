// Schema versions of the .scalelens file and the steps that move a file forward.
//
// PRAGMA user_version holds the version. Step k (1-based) turns a version k-1 file into version
// k. Steps are append-only: never edit a released step, add a new one.
#include "sqlite_util.h"

#include <array>
#include <fstream>

#include "datasets/project.h"
#include "datasets/utf8_path.h"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace scalelens::data::detail {

namespace {

// Version 1: the first released layout.
constexpr const char* kStep1 = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    total_params REAL,
    non_embedding_params REAL,
    active_params REAL,
    tokens REAL,
    flops REAL,
    peak_lr REAL,
    batch_tokens REAL,
    seq_len REAL,
    sparsity_schedule TEXT NOT NULL DEFAULT '',
    release_date TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    excluded INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (group_name, name)
);
CREATE TABLE metric_names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric_names(id),
    step REAL,
    tokens REAL,
    flops REAL,
    wall_time REAL,
    value REAL NOT NULL
);
-- One curve is one index range; a repeated step replaces the earlier row (resumed runs).
CREATE UNIQUE INDEX metrics_curve ON metrics (run_id, metric_id, step);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    source_path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    format TEXT NOT NULL,
    run_count INTEGER NOT NULL DEFAULT 0,
    metric_row_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_sha256 ON imports (sha256);
CREATE TABLE fits (
    id INTEGER PRIMARY KEY,
    law TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    options_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// Version 2: derived-field markers, benchmark evaluations, fit staleness.
constexpr const char* kStep2 = R"sql(
ALTER TABLE runs ADD COLUMN derived_mask INTEGER NOT NULL DEFAULT 0;
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    benchmark TEXT NOT NULL,
    shots INTEGER,
    score REAL NOT NULL,
    UNIQUE (run_id, benchmark)
);
ALTER TABLE imports ADD COLUMN evaluation_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fits ADD COLUMN data_fingerprint TEXT NOT NULL DEFAULT '';
-- Metrics become one clustered B-tree keyed by (run, metric, x): half the write work of a rowid
-- table plus a unique index, and a curve read is one range scan. x orders a curve: the step,
-- else the tokens, else the FLOPs, else the wall time, else -1 for a run's summary value (one
-- per run and metric). A repeated x replaces the earlier row (resumed runs). v1 rows keep
-- their order: later rows win.
-- metric_id has no REFERENCES clause: metric names are never deleted, and a foreign-key probe
-- per row costs about 10% of an import.
CREATE TABLE metrics_v2 (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    x REAL NOT NULL,
    step REAL,
    tokens REAL,
    flops REAL,
    wall_time REAL,
    value REAL NOT NULL,
    PRIMARY KEY (run_id, metric_id, x)
) WITHOUT ROWID;
INSERT OR REPLACE INTO metrics_v2
    SELECT run_id, metric_id, coalesce(step, tokens, flops, wall_time, -1), step, tokens, flops, wall_time, value
    FROM metrics ORDER BY rowid;
DROP TABLE metrics;
ALTER TABLE metrics_v2 RENAME TO metrics;
)sql";

// Version 3: loss-curve forecasts. A run's planned LR schedule (fitting/lr_schedule.h; shape
// is its toString name) and a forecast of its final loss, one row each per run.
constexpr const char* kStep3 = R"sql(
CREATE TABLE run_schedules (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    shape TEXT NOT NULL,
    peak_lr REAL NOT NULL,
    final_lr REAL NOT NULL,
    warmup_steps INTEGER NOT NULL,
    total_steps INTEGER NOT NULL,
    decay_start INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'user',
    note TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
CREATE TABLE run_forecasts (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    metric TEXT NOT NULL,
    law TEXT NOT NULL,
    last_logged_step INTEGER NOT NULL,
    final_step INTEGER NOT NULL,
    final_loss REAL NOT NULL,
    band_lower REAL NOT NULL,
    band_upper REAL NOT NULL,
    band_level REAL NOT NULL,
    result_json TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
)sql";

// Version 4: per-curve statistics kept at write time, so listing runs, final values, the data
// fingerprint and row counts never scan the metric rows (10M rows: seconds -> milliseconds).
// One row per (run, metric) that has metric rows; every write of metric rows refreshes the rows
// of the runs it touched in the same transaction (refreshCurveStats), deleting a run deletes
// them (cascade). The sums are those the data fingerprint hashes; final_x/final_value is the
// row Project::finalValues() reports (the summary value, x < 0, else the largest x).
constexpr const char* kStep4 = R"sql(
CREATE TABLE curve_stats (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    row_count INTEGER NOT NULL,
    sum_value REAL NOT NULL,
    sum_step REAL NOT NULL,
    sum_value_sq REAL NOT NULL,
    sum_tokens REAL NOT NULL,
    final_x REAL NOT NULL,
    final_value REAL NOT NULL,
    PRIMARY KEY (run_id, metric_id)
) WITHOUT ROWID;
)sql";

// Version 5: curve overviews (datasets/curve_overview.h), so a plot of long curves reads a few
// percent of their rows. For every curve of kOverviewMinRows rows or more whose overview is at
// most a quarter of its rows: in curve_overview_info, the counts of the curve's rows that each
// x axis can draw (a plot uses an overview only when no row would be left out); in
// curve_overview, per kind (0 raw, 1 EMA-smoothed), the kept rows packed in one blob (`rows`
// rows: the step, tokens, FLOPs, wall-time and value columns one after the other, each `rows`
// little-endian IEEE doubles, NaN for none), read with one lookup instead of a row each.
// refreshCurveOverview rewrites a run's overviews wherever its metric rows change, in the same
// transaction; deleting a run deletes them (cascade).
constexpr const char* kStep5 = R"sql(
CREATE TABLE curve_overview_info (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    points INTEGER NOT NULL,
    step_finite INTEGER NOT NULL,
    tokens_positive INTEGER NOT NULL,
    flops_positive INTEGER NOT NULL,
    flops_finite INTEGER NOT NULL,
    wall_finite INTEGER NOT NULL,
    PRIMARY KEY (run_id, metric_id)
) WITHOUT ROWID;
CREATE TABLE curve_overview (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (run_id, metric_id, kind)
) WITHOUT ROWID;
)sql";

constexpr std::array<const char*, 5> kSteps = {kStep1, kStep2, kStep3, kStep4, kStep5};

// The statistics of every curve of the runs the WHERE clause selects, from the metric rows.
// Sums run in primary-key order, the same as the data fingerprint's GROUP BY over metrics did
// before version 4, so a fit saved then is not reported stale after the migration. The final
// row: the largest x below 0 (a summary value) when there is one, else the largest x; both
// max() lookups are index seeks.
std::string curveStatsSql(const char* where) {
    const std::string w = where;
    return "DELETE FROM curve_stats" + w +
           ";\n"
           "INSERT INTO curve_stats (run_id, metric_id, row_count, sum_value, sum_step, "
           "sum_value_sq, sum_tokens, final_x, final_value) SELECT run_id, metric_id, count(*), "
           "total(value), total(step), total(value * value), total(tokens), 0, 0 FROM metrics" +
           w +
           " GROUP BY run_id, metric_id;\n"
           "UPDATE curve_stats SET final_x = coalesce((SELECT max(m.x) FROM metrics m WHERE "
           "m.run_id = curve_stats.run_id AND m.metric_id = curve_stats.metric_id AND m.x < 0), "
           "(SELECT max(m.x) FROM metrics m WHERE m.run_id = curve_stats.run_id AND m.metric_id "
           "= curve_stats.metric_id))" +
           w +
           ";\n"
           "UPDATE curve_stats SET final_value = (SELECT m.value FROM metrics m WHERE m.run_id = "
           "curve_stats.run_id AND m.metric_id = curve_stats.metric_id AND m.x = "
           "curve_stats.final_x)" +
           w + ";";
}

}  // namespace

int currentSchemaVersion() {
    return static_cast<int>(kSteps.size());
}

bool migrateTo(sqlite3* db, int fromVersion, int toVersion, std::string* error) {
    for (int v = fromVersion; v < toVersion; ++v) {
        const std::string what = "migrating the project to schema version " + std::to_string(v + 1);
        if (!exec(db, kSteps[static_cast<std::size_t>(v)], error, what))
            return false;
        // Filled from the metric rows the file already holds.
        if (v + 1 == kCurveStatsVersion && !exec(db, curveStatsSql("").c_str(), error, what))
            return false;
        if (v + 1 == kCurveOverviewVersion) {
            std::vector<std::int64_t> runs;
            Stmt s(db, "SELECT id FROM runs ORDER BY id");
            while (s.row())
                runs.push_back(s.int64(0));
            for (const std::int64_t id : runs)
                if (!refreshCurveOverview(db, id, error))
                    return false;
        }
    }
    const std::string pragma = "PRAGMA user_version = " + std::to_string(toVersion);
    return exec(db, pragma.c_str(), error, "setting the schema version");
}

bool refreshCurveStats(sqlite3* db, std::int64_t runId, std::string* error) {
    const std::string sql = curveStatsSql((" WHERE run_id = " + std::to_string(runId)).c_str());
    return exec(db, sql.c_str(), error, "cannot update the curve statistics");
}

bool migrate(sqlite3* db, int fromVersion, std::string* error) {
    return migrateTo(db, fromVersion, currentSchemaVersion(), error);
}

bool exec(sqlite3* db, const char* sql, std::string* error, std::string_view what) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    std::string text = what.empty() ? std::string() : std::string(what) + ": ";
    text += message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    setError(error, text);
    return false;
}

Stmt::Stmt(sqlite3* db, const char* sql) : m_db(db) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK)
        m_stmt = nullptr;
}

bool Stmt::row() {
    if (!m_stmt)
        throwReadError(m_db, sqlite3_errcode(m_db));
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    throwReadError(m_db, rc);
}

void throwReadError(sqlite3* db, int rc) {
    const char* file = sqlite3_db_filename(db, "main");
    const std::string path = file ? file : "";
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw ProjectError(ProjectError::Kind::Busy,
                           "project '" + path + "' is busy: another process is writing to it" +
                               lockHolder(path) + "; retry when it has finished");
    throw ProjectError(ProjectError::Kind::Damaged,
                       "cannot read project '" + path + "': " + sqlite3_errmsg(db) +
                           " (the file is damaged or not a ScaleLens project)");
}

std::string lockHolder(const std::string& path) {
#if defined(__unix__) || defined(__APPLE__)
    // SQLite's POSIX advisory locks: in WAL mode the writer holds byte 120 of the -shm file
    // (WAL_WRITE_LOCK); in rollback mode the RESERVED byte (0x40000001) of the file itself.
    auto holder = [](const std::string& file, off_t offset) -> pid_t {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return 0;
        struct flock lock = {};
        lock.l_type = F_WRLCK;
        lock.l_whence = SEEK_SET;
        lock.l_start = offset;
        lock.l_len = 1;
        const bool ok = ::fcntl(fd, F_GETLK, &lock) == 0;
        ::close(fd);
        return ok && lock.l_type != F_UNLCK ? lock.l_pid : 0;
    };
    pid_t pid = holder(path + "-shm", 120);
    if (pid == 0)
        pid = holder(path, 0x40000001);
    if (pid == 0)
        return {};
    std::string text = " (held by pid " + std::to_string(pid);
    std::ifstream comm(pathFromUtf8("/proc/" + std::to_string(pid) + "/comm"));
    std::string name;
    if (comm && std::getline(comm, name) && !name.empty())
        text += ", " + name;
    return text + ")";
#else
    (void)path;
    return {};
#endif
}

bool Stmt::run(std::string* error, std::string_view what) {
    if (!m_stmt) {
        setError(error, std::string(what) + ": " + sqlite3_errmsg(m_db));
        return false;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    setError(error,
             (what.empty() ? std::string() : std::string(what) + ": ") + sqlite3_errmsg(m_db));
    return false;
}

}  // namespace scalelens::data::detail
