// A ScaleLens project: one SQLite file (extension `.scalelens`) holding runs, metric curves,
// benchmark evaluations, import history, fits and settings.
//
//   std::string error;
//   auto project = data::Project::create("sweep.scalelens", &error);   // or open()
//   if (!project) { show(error); return; }
//   data::ImportReport report;
//   if (!project->importFile("runs.csv", data::ImportConfig{}, &report, &error)) show(error);
//   for (const data::Run& run : project->runs())
//       data::MetricSeries curve = project->metrics(run.id, "loss");
//
// Storage: WAL journal, synchronous=NORMAL, foreign keys on, `PRAGMA user_version` holds the
// schema version and open() migrates older files forward (never backward: a file written by a
// newer ScaleLens is refused with a message). Per-curve statistics (row count, sums, final
// value) are kept with the rows, so listing runs, final values, the data fingerprint and row
// counts cost milliseconds on 10M-row projects; a read-only open of a version 3 file computes
// them from the rows instead. Every write is one transaction; on failure it
// rolls back, the file is unchanged and the call returns false with a message.
//
// Integrity: new files carry `PRAGMA application_id` = Project::applicationId ("ScLn").
// open() reads the SQLite header, the application id (files from before it was set are
// accepted when they hold the ScaleLens tables) and the schema, and refuses anything else
// without changing it: no WAL switch, no schema creation. A read that meets a damaged file
// (SQLITE_CORRUPT, SQLITE_NOTADB, a missing table) throws ProjectError instead of returning
// an empty result; check() runs SQLite's integrity_check and the project's own consistency
// checks.
//
// Locks: a writer waits up to busyTimeoutMs (5 s) for another connection's write lock, then
// fails; lastWriteBusy() then tells "busy, retry" apart from bad input, and the message names
// the other process (pid and program) when the operating system can tell.
//
// Thread rules: a Project owns one SQLite connection and is NOT safe to call from two threads
// at once. Use it from one thread at a time (e.g. the GUI thread, or hand it to a worker and
// back). To import or fit in the background while the GUI keeps reading, open a second Project
// on the same file in the worker: WAL lets readers proceed while the worker writes, and a
// writer waits up to `busyTimeoutMs` for another writer.
#pragma once

#include <fitting/lr_schedule.h>
#include <fitting/status.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/curve_overview.h"
#include "datasets/import.h"
#include "datasets/run.h"

struct sqlite3;

namespace scalelens::data {
enum class CurveOverviewKind { Raw = 0, Smoothed = 1 };
struct CurveOverview {
    MetricSeries series;  // the kept rows in x order (no summary value); value smoothed or raw
    // Rows of the full curve (summary value aside), and how many of them have a finite step,
    // positive tokens, positive FLOPs, finite FLOPs, finite wall time.
    std::int64_t points = 0;
    std::int64_t stepFinite = 0;
    std::int64_t tokensPositive = 0;
    std::int64_t flopsPositive = 0;
    std::int64_t flopsFinite = 0;
    std::int64_t wallFinite = 0;
};
}  // namespace scalelens::data

namespace scalelens::data {

// The ordering value of row i of a curve, as the project orders and indexes it: the step, else
// the tokens, else the FLOPs, else the wall time (-1 for a summary value, which has none).
double curveOrder(const MetricSeries& series, std::size_t i);

// Thrown by read calls (runs(), metrics(), fits(), ...) when the file cannot be read: it is
// damaged (SQLITE_CORRUPT, SQLITE_NOTADB, a missing table or column) or another process holds
// it for longer than the busy timeout. Never thrown for an ordinary empty result.
class ProjectError : public std::runtime_error {
  public:
    enum class Kind { Damaged, Busy };
    ProjectError(Kind kind, const std::string& message)
        : std::runtime_error(message), m_kind(kind) {}
    Kind kind() const { return m_kind; }

  private:
    Kind m_kind;
};

// ReadOnly opens the file read-only: no migration, no journal-mode change, writes fail.
enum class OpenMode { ReadWrite, ReadOnly };

// One row of the `imports` table: where a file came from and what it added.
struct ImportRecord {
    std::int64_t id = 0;
    std::string sourcePath;       // absolute path at import time
    std::uint64_t sizeBytes = 0;  // file size in bytes
    std::string sha256;           // lower-case hex digest of the file bytes
    std::int64_t importedAt = 0;  // Unix time, seconds (UTC)
    std::string format;           // toString(ImportFormat), e.g. "long"
    std::int64_t runCount = 0;    // runs created or updated
    std::int64_t metricRowCount = 0;
    std::int64_t evaluationCount = 0;
};

// A saved fit. Options and result are JSON documents written by fitting/ helpers
// (see datasets/fit_json.h); the store treats them as opaque text.
struct FitRecord {
    std::int64_t id = 0;
    std::string law;              // e.g. "chinchilla"
    std::string name;             // user label, may be empty
    std::string optionsJson;      // the options the fit ran with
    std::string resultJson;       // the fit report
    std::int64_t createdAt = 0;   // Unix time, seconds (UTC)
    std::string dataFingerprint;  // Project::dataFingerprint() when the fit was made
    bool stale = false;           // filled on read: fingerprint differs from the current data
};

// Where a run's stored schedule came from.
enum class ScheduleOrigin {
    User,       // set by the user (dialog, `scalelens-cli schedule --set`)
    Inferred,   // inferred from the logged LR (fit::inferSchedule), not yet confirmed
    Confirmed,  // inferred, then confirmed by the user
};
std::string_view toString(ScheduleOrigin origin);  // "user", "inferred", "confirmed"
std::optional<ScheduleOrigin> scheduleOriginFromString(std::string_view text);

// A run's planned LR schedule (table run_schedules, one per run). The loss-curve laws
// evaluate it to the run's end; the logged LR curve (metric `lr`) stays in the metrics.
struct RunSchedule {
    std::int64_t runId = 0;
    fit::ScheduleDefinition definition;  // valid (fit::ScheduleDefinition::isValid)
    ScheduleOrigin origin = ScheduleOrigin::User;
    std::string note;            // e.g. the inference's message
    std::int64_t updatedAt = 0;  // Unix time, seconds (UTC); filled on write when 0
};

// A forecast of a run's final loss (table run_forecasts, one per run), from a loss-curve law
// fitted to its logged prefix. Marked as a forecast wherever it is used: it stands in for a
// missing final loss only when a fit includes forecasts.
struct RunForecast {
    std::int64_t runId = 0;
    std::string metric;       // the loss metric forecast, e.g. "loss"
    std::string law;          // fit::CurveLawInfo::key, e.g. "mpl"
    long lastLoggedStep = 0;  // the fitted prefix ends here
    long finalStep = 0;       // the schedule's last step
    double finalLoss = 0;     // > 0, finite
    double bandLower = 0;     // band at finalStep (= finalLoss without a bootstrap)
    double bandUpper = 0;
    double bandLevel = 0.9;      // central probability of the band
    std::string resultJson;      // parameters and schedule (opaque to the store)
    std::int64_t createdAt = 0;  // Unix time, seconds (UTC); filled on write when 0
};

// Everything deleteRun() removed, so restoreRun() can put it back exactly (undo).
struct RunSnapshot {
    Run run;
    struct Curve {
        std::string metric;
        MetricSeries series;
    };
    std::vector<Curve> curves;
    std::vector<Evaluation> evaluations;
    std::optional<RunSchedule> schedule;
    std::optional<RunForecast> forecast;
};

class Project {
  public:
    // Current schema version written by this build (PRAGMA user_version).
    static int schemaVersion();

    // Creates a new, empty project. Fails if `path` already exists.
    static std::unique_ptr<Project> create(const std::string& path, std::string* error);
    // Opens an existing project and (ReadWrite) migrates it to schemaVersion() in one
    // transaction. Refuses files that are not ScaleLens projects, damaged ones and (ReadOnly)
    // files that need a migration, without changing them. `busy` (optional) is set when the
    // failure was another process holding the file.
    static std::unique_ptr<Project> open(const std::string& path, std::string* error,
                                         OpenMode mode = OpenMode::ReadWrite, bool* busy = nullptr);
    // open() if the file exists, else create().
    static std::unique_ptr<Project> openOrCreate(const std::string& path, std::string* error);

    ~Project();
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;

    const std::string& path() const { return m_path; }

    // ---- runs -------------------------------------------------------------------------
    std::vector<Run> runs() const;  // ordered by group, then name
    std::optional<Run> run(std::int64_t id) const;
    std::optional<Run> runByName(const std::string& group, const std::string& name) const;
    // Adds a run (id ignored); returns the new id, or 0 with a message (e.g. duplicate name).
    std::int64_t addRun(const Run& run, std::string* error);
    // Replaces every field of run `run.id` (name, group, numbers, flags, notes).
    bool updateRun(const Run& run, std::string* error);
    bool setExcluded(std::int64_t id, bool excluded, std::string* error);
    bool renameRun(std::int64_t id, const std::string& name, std::string* error);
    // Deletes a run with its metrics and evaluations; `snapshot` receives what restoreRun needs.
    bool deleteRun(std::int64_t id, RunSnapshot* snapshot, std::string* error);
    // Re-inserts a deleted run under its original id (fails if that id or name is taken).
    bool restoreRun(const RunSnapshot& snapshot, std::string* error);

    // ---- metrics and evaluations --------------------------------------------------------
    // Distinct metric names over all runs, sorted.
    std::vector<std::string> metricNames() const;
    // One run's curve for one metric, ordered by step (else tokens, FLOPs, wall time: the first
    // axis a row has). A summary value (no axis at all, e.g. from a summary CSV) comes last.
    // Rows of one run and metric with the same ordering value replace each other (later wins).
    MetricSeries metrics(std::int64_t runId, const std::string& metric) const;
    // The rows of a curve whose ordering value (curveOrder: the step, else tokens, FLOPs, wall
    // time) lies in [from, to], in order, without the summary value: one range scan of the
    // primary key, so its cost is the rows returned (a zoomed plot re-reads what it shows).
    MetricSeries metricsInRange(std::int64_t runId, const std::string& metric, double from,
                                double to) const;
    // The last `limit` rows of a curve before ordering value `before` (0 <= order < before), in
    // order: the warm-up of a moving average restarted ahead of such a range.
    MetricSeries metricsBefore(std::int64_t runId, const std::string& metric, double before,
                               std::int64_t limit) const;
    // The overview of a long curve (datasets/curve_overview.h): the rows a plot of the whole
    // curve can show, raw or smoothed (EMA at kOverviewEmaWeight of the full curve). nullopt
    // when the curve has none (fewer than kOverviewMinRows rows, or a version 4 file opened
    // read-only): read metrics() then. The counts say which x axes draw every row.
    std::optional<CurveOverview> curveOverview(std::int64_t runId, const std::string& metric,
                                               CurveOverviewKind kind) const;
    // The final value of `metric` per run: the summary value (no axis) when the run has one,
    // else the value at the largest step (else tokens, ...). Runs without it are absent.
    std::vector<RunValue> finalValues(const std::string& metric) const;
    // A run's summary value of `metric` (the row with no axis, which finalValues() prefers):
    // what a summary file gave, or what the user typed as the run's final value.
    std::optional<double> summaryValue(std::int64_t runId, const std::string& metric) const;
    // Sets it (a finite value; the metric is created when new) or, with nullopt, removes it,
    // so the final value falls back to the curve's last point. False with a message otherwise.
    bool setSummaryValue(std::int64_t runId, const std::string& metric, std::optional<double> value,
                         std::string* error);
    // Number of metric rows (every curve's points and summary values) in the project.
    std::int64_t metricRowCount() const;
    std::vector<Evaluation> evaluations() const;

    // ---- imports ----------------------------------------------------------------------
    // Streams `path` into the project in ONE transaction (bounded memory). A file whose sha256
    // was imported before is skipped and reported in `report->duplicateOfImport` (returns true).
    // On a parse or write error nothing is written and the message names file:line:column.
    bool importFile(const std::string& path, const ImportConfig& config, ImportReport* report,
                    std::string* error, const fit::ProgressCallback& progress = {});
    // Both import calls then, in the same transaction, match runs by name (a run already in
    // the project is updated, not added again; conflicting fields follow config.onConflict)
    // and derive run fields from the curves of every run the file touched, marked derived:
    //   final loss row = the last row of the loss metric (setting "analysis/loss_metric", else
    //                    val_loss, eval/loss, loss, val/loss, ..., train/loss);
    //   D = tokens of that row; C = flops of that row, else 6ND; N = C/(6D);
    //   peak LR = the maximum of the LR curve (a metric named lr, train/lr, learning_rate, ...).
    // Given values are never overwritten by derived ones. A run whose LR curve ends far above
    // where its sweep's other runs end is tagged kStoppedMidScheduleTag.
    // Writes an already parsed result (parseImport) in one transaction; same duplicate rule.
    bool applyImport(const ImportResult& result, ImportReport* report, std::string* error);
    std::vector<ImportRecord> imports() const;

    // ---- fits -------------------------------------------------------------------------
    // Saves a fit (id ignored; createdAt/dataFingerprint filled when zero/empty). Returns id or 0.
    std::int64_t saveFit(const FitRecord& fit, std::string* error);
    std::vector<FitRecord> fits() const;  // newest first
    std::optional<FitRecord> fit(std::int64_t id) const;
    bool deleteFit(std::int64_t id, std::string* error);

    // SHA-256 (hex) over every run's fields and every metric/evaluation value. Equal data gives
    // an equal fingerprint (undoing an edit restores it); a fit whose fingerprint differs is stale.
    std::string dataFingerprint() const;

    // ---- schedules and forecasts (loss-curve laws; datasets/src/project_schedules.cpp) ----
    std::optional<RunSchedule> runSchedule(std::int64_t runId) const;
    std::vector<RunSchedule> runSchedules() const;  // by run id
    // Stores (replaces) the schedule of run `schedule.runId` in one transaction. Fails with a
    // message, changing nothing, for a missing run or an invalid definition (naming the field).
    bool setRunSchedule(const RunSchedule& schedule, std::string* error);
    // Removes a run's schedule; true when it had none.
    bool clearRunSchedule(std::int64_t runId, std::string* error);
    std::optional<RunForecast> runForecast(std::int64_t runId) const;
    std::vector<RunForecast> runForecasts() const;  // by run id
    // Stores (replaces) the forecast of run `forecast.runId`; fails for a missing run, an empty
    // metric or law, a final loss or band that is not finite and > 0, or lower > upper.
    bool setRunForecast(const RunForecast& forecast, std::string* error);
    bool clearRunForecast(std::int64_t runId, std::string* error);

    // ---- settings (plot settings, column mappings, ...) ----------------------------------
    std::optional<std::string> setting(const std::string& key) const;
    bool setSetting(const std::string& key, const std::string& value, std::string* error);

    // ---- whole file -------------------------------------------------------------------
    // Copies the project to `path` with the SQLite online-backup API into a temporary file that
    // is renamed over `path` only when complete, so a crash never leaves a half-written file.
    // This Project keeps pointing at the original file.
    bool saveAs(const std::string& path, std::string* error) const;

    // Runs `body` inside one transaction (BEGIN IMMEDIATE ... COMMIT); if body returns false
    // or a statement fails, everything rolls back. Nested calls join the outer transaction.
    bool transaction(const std::function<bool(std::string* error)>& body, std::string* error);

    // Milliseconds a writer waits for another connection's write lock before failing.
    static constexpr int busyTimeoutMs = 5000;
    // Overrides busyTimeoutMs for this connection (tests, callers that must not wait).
    void setBusyTimeoutMs(int ms);
    // True when the last failed write failed because another connection held the write lock
    // past the busy timeout (retryable), false for every other failure.
    bool lastWriteBusy() const { return m_lastWriteBusy; }
    bool readOnly() const { return m_readOnly; }

    // PRAGMA application_id of ScaleLens projects: "ScLn" as a big-endian 32-bit integer.
    static constexpr std::int32_t applicationId = 0x53634C6E;

    // SQLite's integrity_check and foreign_key_check plus the project's own consistency rules
    // (finite numbers, rows pointing at existing runs and metric names, curve keys, import
    // counts). Returns one line per problem; empty when the project is sound. Throws
    // ProjectError when the file cannot be read at all.
    std::vector<std::string> check() const;

  private:
    Project(sqlite3* db, std::string path);
    friend class ProjectWriter;

    sqlite3* m_db = nullptr;
    std::string m_path;
    int m_transactionDepth = 0;
    bool m_lastWriteBusy = false;
    bool m_readOnly = false;
    int m_schemaVersion = 0;  // of the open file: below 3 only when opened read-only
};

}  // namespace scalelens::data
