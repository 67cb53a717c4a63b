// Thin RAII helpers over the sqlite3 C API, private to datasets/.
#pragma once

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "datasets/run.h"

namespace scalelens::data::detail {

// Runs SQL without results; on failure writes "what: sqlite message" to error.
bool exec(sqlite3* db, const char* sql, std::string* error, std::string_view what = {});

inline void setError(std::string* error, std::string message) {
    if (error)
        *error = std::move(message);
}

// A prepared statement. Indices are 1-based for bind, 0-based for columns (SQLite's own).
class Stmt {
  public:
    Stmt(sqlite3* db, const char* sql);
    ~Stmt() { sqlite3_finalize(m_stmt); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    bool ok() const { return m_stmt != nullptr; }
    sqlite3_stmt* get() const { return m_stmt; }

    void bind(int i, double v) { sqlite3_bind_double(m_stmt, i, v); }
    // NaN means "missing": stored as NULL, never as NaN.
    void bindOrNull(int i, double v) {
        if (std::isnan(v))
            sqlite3_bind_null(m_stmt, i);
        else
            sqlite3_bind_double(m_stmt, i, v);
    }
    void bind(int i, const std::optional<double>& v) {
        if (v)
            sqlite3_bind_double(m_stmt, i, *v);
        else
            sqlite3_bind_null(m_stmt, i);
    }
    void bind(int i, std::int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void bind(int i, int v) { sqlite3_bind_int(m_stmt, i, v); }
    void bind(int i, const std::string& v) {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void bindNull(int i) { sqlite3_bind_null(m_stmt, i); }

    // SQLITE_ROW / SQLITE_DONE / error code.
    int step() { return sqlite3_step(m_stmt); }
    // For reads: true on a row, false when done; throws ProjectError when the statement could
    // not be prepared (a missing table) or SQLite fails (damaged file, busy past the timeout).
    bool row();
    // Steps to completion; false (with the SQLite message) when it did not finish.
    bool run(std::string* error, std::string_view what = {});
    void reset() {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }

    bool isNull(int c) const { return sqlite3_column_type(m_stmt, c) == SQLITE_NULL; }
    double real(int c) const { return sqlite3_column_double(m_stmt, c); }
    double realOrNan(int c) const { return isNull(c) ? std::nan("") : real(c); }
    std::optional<double> optReal(int c) const {
        return isNull(c) ? std::nullopt : std::optional<double>(real(c));
    }
    std::int64_t int64(int c) const { return sqlite3_column_int64(m_stmt, c); }
    std::string text(int c) const {
        const auto* p = sqlite3_column_text(m_stmt, c);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, c)))
                 : std::string();
    }

  private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

// Throws ProjectError for the connection's last error (Busy for SQLITE_BUSY/LOCKED, else
// Damaged), naming the file.
[[noreturn]] void throwReadError(sqlite3* db, int rc);
// " (held by pid N, program)" when another process holds the write lock of `path` and the
// operating system can tell; empty otherwise.
std::string lockHolder(const std::string& path);

// Schema: current version and forward migration of an open connection (inside a transaction
// the caller owns). `fromVersion` is the file's user_version.
int currentSchemaVersion();
bool migrate(sqlite3* db, int fromVersion, std::string* error);
// Applies migration steps up to and including `toVersion` (tests build old files with it).
bool migrateTo(sqlite3* db, int fromVersion, int toVersion, std::string* error);
// The schema version that added the curve_stats table (per-curve row counts, sums, final
// values); reads of older files opened read-only compute them from the metric rows.
inline constexpr int kCurveStatsVersion = 4;
// Recomputes the curve_stats rows (schema kCurveStatsVersion) of run `runId` from its metric rows.
// Every write of metric rows calls it for each run it touched, inside its transaction.
bool refreshCurveStats(sqlite3* db, std::int64_t runId, std::string* error);
// The schema version that added the curve overviews (datasets/curve_overview.h).
inline constexpr int kCurveOverviewVersion = 5;
// Rewrites the curve_overview rows of run `runId` from its metric rows (curve_stats must be
// current: it says which curves are long enough). Every write of a run's curve points calls it
// inside its transaction.
bool refreshCurveOverview(sqlite3* db, std::int64_t runId, std::string* error);
// The blob of a curve_overview row: the series' five columns, each as little-endian doubles.
std::string packOverview(const MetricSeries& series);
// Its inverse; false when the blob does not hold `rows` rows.
bool unpackOverview(const void* blob, std::size_t bytes, std::int64_t rows, MetricSeries* series);

}  // namespace scalelens::data::detail
