// The write step of an import: a sink that streams parsed runs and rows into SQLite inside the
// caller's transaction, plus Project::importFile / applyImport.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "datasets/project.h"
#include "datasets/utf8_path.h"
#include "import_columns.h"
#include "sha256.h"
#include "sqlite_util.h"

namespace scalelens::data {

using detail::setError;
using detail::Stmt;

class ProjectWriter : public ImportSink {
  public:
    ProjectWriter(Project& project, OnConflict onConflict)
        : m_project(project),
          m_db(project.m_db),
          m_onConflict(onConflict),
          m_addName(m_db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)"),
          m_nameId(m_db, "SELECT id FROM metric_names WHERE name = ?"),
          m_row(m_db, insertSql(1).c_str()),
          m_rows(m_db, insertSql(kRowsPerStatement).c_str()),
          m_eval(m_db,
                 "INSERT OR REPLACE INTO evaluations (run_id, benchmark, shots, score) VALUES "
                 "(?,?,?,?)") {}

    bool addRun(const Run& run, std::string* error) override {
        if (auto existing = matchingRun(run)) {
            Run merged = *existing;
            if (!mergeInto(merged, run))
                ++m_report.runsConflicted;
            if (!m_project.updateRun(merged, error))
                return false;
            m_runIds.push_back(merged.id);
            ++m_report.runsUpdated;
            return true;
        }
        const std::int64_t id = m_project.addRun(run, error);
        if (id == 0)
            return false;
        m_runIds.push_back(id);
        ++m_report.runsAdded;
        return true;
    }

    bool addMetricName(const std::string& name, std::string* error) override {
        m_addName.bind(1, name);
        if (!m_addName.run(error, "cannot add metric '" + name + "'"))
            return false;
        m_addName.reset();
        m_nameId.bind(1, name);
        if (m_nameId.step() != SQLITE_ROW) {
            setError(error, "cannot add metric '" + name + "'");
            return false;
        }
        m_metricIds.push_back(m_nameId.int64(0));
        m_nameId.reset();
        return true;
    }

    bool addMetrics(const MetricBatch& b, std::string* error) override {
        // Many rows per statement: the per-statement VDBE overhead dominates single-row inserts.
        std::size_t i = 0;
        for (; i + kRowsPerStatement <= b.size(); i += kRowsPerStatement) {
            for (std::size_t k = 0; k < kRowsPerStatement; ++k)
                bindRow(m_rows.get(), static_cast<int>(k) * kColumns, b, i + k);
            if (!step(m_rows.get(), error))
                return false;
        }
        for (; i < b.size(); ++i) {
            bindRow(m_row.get(), 0, b, i);
            if (!step(m_row.get(), error))
                return false;
        }
        m_report.metricRows += static_cast<std::int64_t>(b.size());
        return true;
    }

    bool addEvaluation(const ParsedEvaluation& e, std::string* error) override {
        m_eval.bind(1, m_runIds[static_cast<std::size_t>(e.run)]);
        m_eval.bind(2, e.benchmark);
        if (e.shots)
            m_eval.bind(3, *e.shots);
        else
            m_eval.bindNull(3);
        m_eval.bind(4, e.score);
        if (!m_eval.run(error, "cannot write evaluation '" + e.benchmark + "'"))
            return false;
        m_eval.reset();
        ++m_report.evaluations;
        return true;
    }

    // Records the import; fills the report.
    bool finish(const ImportResult& result, ImportReport* report, std::string* error) {
        // The curve statistics of every run this import touched, in its transaction.
        std::vector<std::int64_t> touched = m_runIds;
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        for (const std::int64_t id : touched)
            if (!detail::refreshCurveStats(m_db, id, error) ||
                !detail::refreshCurveOverview(m_db, id, error))
                return false;
        if (!deriveFromCurves(error))
            return false;
        std::error_code ec;
        const auto absolute = std::filesystem::absolute(pathFromUtf8(result.source.path), ec);
        Stmt s(m_db,
               "INSERT INTO imports (source_path, size_bytes, sha256, imported_at, format, "
               "run_count, metric_row_count, evaluation_count) VALUES (?,?,?,?,?,?,?,?)");
        s.bind(1, ec ? result.source.path : utf8FromPath(absolute));
        s.bind(2, static_cast<std::int64_t>(result.source.sizeBytes));
        s.bind(3, result.source.sha256);
        s.bind(4, static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count()));
        s.bind(5, toString(result.source.format));
        s.bind(6, m_report.runsAdded + m_report.runsUpdated);
        s.bind(7, m_report.metricRows);
        s.bind(8, m_report.evaluations);
        if (!s.run(error, "cannot record the import"))
            return false;
        m_report.importId = sqlite3_last_insert_rowid(m_db);
        m_report.format = result.source.format;
        m_report.warnings = result.warnings;
        m_report.droppedWarnings = result.droppedWarnings;
        if (report)
            *report = m_report;
        return true;
    }

  private:
    struct Row {
        double x, tokens, flops, value;
    };

    // Rows of one run's curve (summary values excluded), ordered by x.
    std::vector<Row> curve(std::int64_t runId, const std::string& metric) {
        Stmt s(m_db,
               "SELECT m.x, m.tokens, m.flops, m.value FROM metrics m JOIN metric_names n ON "
               "n.id = m.metric_id WHERE m.run_id = ? AND n.name = ? AND m.x >= 0 ORDER BY m.x");
        s.bind(1, runId);
        s.bind(2, metric);
        std::vector<Row> rows;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        while (s.step() == SQLITE_ROW)
            rows.push_back({s.real(0), s.isNull(1) ? nan : s.real(1), s.isNull(2) ? nan : s.real(2),
                            s.real(3)});
        return rows;
    }

    std::vector<std::string> curveNames(std::int64_t runId) {
        Stmt s(m_db,
               "SELECT DISTINCT n.name FROM metrics m JOIN metric_names n ON n.id = m.metric_id "
               "WHERE m.run_id = ? AND m.x >= 0 ORDER BY n.name");
        s.bind(1, runId);
        std::vector<std::string> names;
        while (s.step() == SQLITE_ROW)
            names.push_back(s.text(0));
        return names;
    }

    // The loss metric among a run's curves (same default order as analysis/loss_metric.h).
    std::string lossCurve(const std::vector<std::string>& names) {
        auto has = [&](const std::string& n) {
            return std::find(names.begin(), names.end(), n) != names.end();
        };
        if (const auto chosen = m_project.setting("analysis/loss_metric"); chosen && has(*chosen))
            return *chosen;
        for (const char* n : {"val_loss", "eval/loss", "loss", "val/loss", "validation_loss",
                              "eval_loss", "valid/loss", "train_loss", "train/loss"})
            if (has(n))
                return n;
        for (const auto& n : names) {
            std::string lower = n;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (lower.find("loss") != std::string::npos)
                return n;
        }
        return {};
    }

    // The LR curve: a metric whose last path part means the learning rate.
    static std::string lrCurve(const std::vector<std::string>& names) {
        for (const auto& n : names) {
            const auto slash = n.rfind('/');
            const auto match =
                detail::matchColumn(slash == std::string::npos ? n : n.substr(slash + 1));
            if (match && match->key == "lr")
                return n;
        }
        return {};
    }

    bool deriveFromCurves(std::string* error) {
        std::vector<std::int64_t> ids = m_runIds;
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        struct LrEnd {
            std::int64_t id;
            std::string group;
            double ratio;  // last logged LR / peak LR
        };
        std::vector<LrEnd> lrEnds;
        for (const std::int64_t id : ids) {
            auto run = m_project.run(id);
            if (!run)
                continue;
            Run r = *run;
            const auto names = curveNames(id);
            bool changed = false;
            auto open = [&](RunField f) { return !r.field(f) || r.isDerived(f); };
            auto set = [&](RunField f, double v) {
                if (!std::isfinite(v) || v <= 0.0 || !open(f))
                    return;
                if (r.field(f) && *r.field(f) == v)
                    return;
                r.field(f) = v;
                r.setDerived(f, true);
                ++m_report.fieldsDerived;
                changed = true;
            };
            if (const std::string lr = lrCurve(names); !lr.empty()) {
                const auto rows = curve(id, lr);
                if (!rows.empty()) {
                    double peak = rows.front().value;
                    for (const Row& row : rows)
                        peak = std::max(peak, row.value);
                    set(RunField::PeakLr, peak);
                    if (rows.size() >= 3 && peak > 0.0)
                        lrEnds.push_back({id, r.group, rows.back().value / peak});
                }
            }
            bool loggedFlops = false;
            if (const std::string loss = lossCurve(names); !loss.empty()) {
                const auto rows = curve(id, loss);
                if (!rows.empty()) {
                    const Row& last = rows.back();
                    set(RunField::Tokens, last.tokens);
                    set(RunField::Flops, last.flops);
                    loggedFlops = std::isfinite(last.flops) && last.flops > 0.0;
                }
            }
            if (r.totalParams && !r.isDerived(RunField::TotalParams) && r.tokens && !loggedFlops)
                set(RunField::Flops, 6.0 * *r.totalParams * *r.tokens);
            if ((!r.totalParams || r.isDerived(RunField::TotalParams)) && r.flops && r.tokens &&
                *r.tokens > 0.0)
                set(RunField::TotalParams, *r.flops / (6.0 * *r.tokens));
            if (changed && !m_project.updateRun(r, error))
                return false;
        }
        // Stopped mid-schedule: the LR curve ends far above where the sweep's runs end.
        std::map<std::string, std::vector<double>> ratios;
        for (const auto& e : lrEnds)
            ratios[e.group].push_back(e.ratio);
        for (const auto& e : lrEnds) {
            auto v = ratios[e.group];
            if (v.size() < 2)
                continue;
            std::sort(v.begin(), v.end());
            const double typical = v[v.size() / 2];
            if (typical >= 0.5 || e.ratio <= std::max(2.0 * typical, typical + 0.1))
                continue;
            auto run = m_project.run(e.id);
            if (!run || std::find(run->tags.begin(), run->tags.end(), kStoppedMidScheduleTag) !=
                            run->tags.end())
                continue;
            run->tags.push_back(kStoppedMidScheduleTag);
            if (!m_project.updateRun(*run, error))
                return false;
            std::ostringstream line;
            line << "run '" << run->name << "': its LR ends at "
                 << static_cast<int>(std::lround(100.0 * e.ratio))
                 << "% of its peak while its sweep's runs end near "
                 << static_cast<int>(std::lround(100.0 * typical)) << "%: tagged "
                 << kStoppedMidScheduleTag << " (left out of fits by default)";
            m_report.stoppedRuns.push_back(line.str());
        }
        return true;
    }

    // The stored run this one is: same group and name; else the only run with that name in
    // any group (a CSV names no group, an MLflow experiment or a --group does).
    std::optional<Run> matchingRun(const Run& run) {
        if (auto same = m_project.runByName(run.group, run.name))
            return same;
        Stmt s(m_db, "SELECT id FROM runs WHERE name = ? LIMIT 2");
        s.bind(1, run.name);
        std::vector<std::int64_t> ids;
        while (s.step() == SQLITE_ROW)
            ids.push_back(s.int64(0));
        if (ids.size() != 1)
            return std::nullopt;
        return m_project.run(ids.front());
    }

    // Fills and updates `stored` from `incoming`; false when a field conflicted.
    bool mergeInto(Run& stored, const Run& incoming) {
        bool clean = true;
        const bool replace = m_onConflict == OnConflict::Replace;
        for (int f = 0; f < static_cast<int>(RunField::Count); ++f) {
            const auto field = static_cast<RunField>(f);
            const auto& in = incoming.field(field);
            auto& have = stored.field(field);
            if (!in)
                continue;
            const bool inDerived = incoming.isDerived(field), haveDerived = stored.isDerived(field);
            if (!have || (haveDerived && !inDerived)) {
                have = in;
                stored.setDerived(field, inDerived);
                continue;
            }
            if (inDerived && !haveDerived)
                continue;
            if (std::abs(*have - *in) <= 1e-9 * std::max(std::abs(*have), std::abs(*in)))
                continue;
            clean = false;
            std::ostringstream line;
            line.precision(6);
            line << "run '" << stored.name << "': " << fieldKey(field) << " is " << *have
                 << " in the project, " << *in << " in this file; ";
            if (replace) {
                line << "took " << *in << " (--on-conflict replace)";
                have = in;
                stored.setDerived(field, inDerived);
            } else {
                line << "kept " << *have << " (--on-conflict replace takes the file's)";
            }
            m_report.conflicts.push_back(line.str());
        }
        auto text = [&](std::string& have, const std::string& in, const char* what) {
            if (in.empty() || in == have)
                return;
            if (!have.empty() && !replace) {
                clean = false;
                m_report.conflicts.push_back("run '" + stored.name + "': " + what + " is '" + have +
                                             "' in the project, '" + in +
                                             "' in this file; kept the project's");
                return;
            }
            if (!have.empty()) {
                clean = false;
                m_report.conflicts.push_back("run '" + stored.name + "': " + what + " is '" + have +
                                             "' in the project, '" + in +
                                             "' in this file; took the file's");
            }
            have = in;
        };
        text(stored.sparsitySchedule, incoming.sparsitySchedule, "sparsity_schedule");
        text(stored.releaseDate, incoming.releaseDate, "release_date");
        for (const auto& tag : incoming.tags)
            if (std::find(stored.tags.begin(), stored.tags.end(), tag) == stored.tags.end())
                stored.tags.push_back(tag);
        if (!incoming.notes.empty() && (stored.notes.empty() || replace))
            stored.notes = incoming.notes;
        if (stored.group.empty() && !incoming.group.empty() &&
            !m_project.runByName(incoming.group, stored.name))
            stored.group = incoming.group;
        return clean;
    }

    Project& m_project;
    sqlite3* m_db;
    OnConflict m_onConflict;
    static constexpr std::size_t kRowsPerStatement = 64;
    static constexpr int kColumns = 8;

    // INSERT OR REPLACE of `rows` rows: a repeated (run, metric, x) replaces the earlier row.
    static std::string insertSql(std::size_t rows) {
        std::string sql =
            "INSERT OR REPLACE INTO metrics (run_id, metric_id, x, step, tokens, flops, "
            "wall_time, value) VALUES ";
        for (std::size_t r = 0; r < rows; ++r)
            sql += r ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)";
        return sql;
    }

    void bindRow(sqlite3_stmt* s, int base, const MetricBatch& b, std::size_t i) const {
        auto real = [&](int column, double v) {
            if (std::isnan(v))
                sqlite3_bind_null(s, base + column);
            else
                sqlite3_bind_double(s, base + column, v);
        };
        sqlite3_bind_int64(s, base + 1, m_runIds[static_cast<std::size_t>(b.run[i])]);
        sqlite3_bind_int64(s, base + 2, m_metricIds[static_cast<std::size_t>(b.metric[i])]);
        // x: the curve key (step, else tokens, FLOPs, wall time; -1 for a summary value).
        double x = -1.0;
        for (double axis : {b.step[i], b.tokens[i], b.flops[i], b.wallTime[i]})
            if (!std::isnan(axis)) {
                x = axis;
                break;
            }
        sqlite3_bind_double(s, base + 3, x);
        real(4, b.step[i]);
        real(5, b.tokens[i]);
        real(6, b.flops[i]);
        real(7, b.wallTime[i]);
        sqlite3_bind_double(s, base + 8, b.value[i]);
    }

    bool step(sqlite3_stmt* s, std::string* error) {
        const int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return true;
        setError(error, std::string("cannot write metrics: ") + sqlite3_errmsg(m_db));
        return false;
    }

    Stmt m_addName, m_nameId, m_row, m_rows, m_eval;
    std::vector<std::int64_t> m_runIds, m_metricIds;
    ImportReport m_report;
};

namespace {
std::int64_t importWithSha(sqlite3* db, const std::string& sha) {
    if (sha.empty())
        return 0;
    Stmt s(db, "SELECT id FROM imports WHERE sha256 = ? ORDER BY id LIMIT 1");
    s.bind(1, sha);
    return s.row() ? s.int64(0) : 0;
}

// The duplicate key of an import: the content hash alone with default settings (so projects
// written before settings were hashed still match), else a hash over the content hash and
// every setting that changes what is imported (--map, format, delimiter, run name, ...).
std::string importKey(const std::string& contentSha, const ImportConfig& c) {
    if (contentSha.empty())
        return {};
    std::string s;
    auto add = [&](const std::string& name, const std::string& value) {
        s += name;
        s.push_back('=');
        s += std::to_string(value.size());
        s.push_back(':');
        s += value;
        s.push_back('\n');
    };
    if (c.format != ImportFormat::Auto)
        add("format", toString(c.format));
    for (const auto& [key, column] : c.columnMap)
        add("map " + key, column);
    if (c.delimiter)
        add("delimiter", std::string(1, c.delimiter));
    if (c.decimal)
        add("decimal", std::string(1, c.decimal));
    if (c.hasHeader)
        add("header", *c.hasHeader ? "yes" : "no");
    if (!c.group.empty())
        add("group", c.group);
    if (!c.runName.empty())
        add("run", c.runName);
    if (!c.metricName.empty())
        add("metric", c.metricName);
    for (const auto& [bench, shots] : c.evaluationShots)
        add("shots " + bench, std::to_string(shots));
    if (!c.deriveComputeFields)
        add("derive", "no");
    if (s.empty())
        return contentSha;
    s = contentSha + "\n" + s;
    detail::Sha256 hash;
    hash.update(s.data(), s.size());
    return hash.hexDigest();
}
}  // namespace

bool Project::importFile(const std::string& path, const ImportConfig& config, ImportReport* report,
                         std::string* error, const fit::ProgressCallback& progress) {
    ImportReport local;
    if (!report)
        report = &local;
    *report = ImportReport{};
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(pathFromUtf8(path), ec);
    std::string sha;
    if (!folder && config.format != ImportFormat::MLflow &&
        std::filesystem::exists(pathFromUtf8(path), ec)) {
        sha = fileSha256(path, error);
        if (sha.empty())
            return false;
    }
    const std::string key = importKey(sha, config);
    std::int64_t duplicate = 0;
    // The duplicate check runs inside the write transaction: of two processes importing the
    // same file at once, the second waits for the first and then finds its record.
    const bool ok = transaction(
        [&](std::string* e) {
            if ((duplicate = importWithSha(m_db, key))) {
                setError(e, "duplicate");
                return false;
            }
            ProjectWriter writer(*this, config.onConflict);
            ImportResult result;
            result.source.sha256 = key;
            parseImportTo(path, config, writer, result, progress);
            if (!result.ok) {
                setError(e, result.error);
                return false;
            }
            // MLflow folders are hashed while parsing: roll back a repeated import.
            if (sha.empty()) {
                result.source.sha256 = importKey(result.source.sha256, config);
                if ((duplicate = importWithSha(m_db, result.source.sha256))) {
                    setError(e, "duplicate");
                    return false;
                }
            }
            return writer.finish(result, report, e);
        },
        error);
    if (!ok && duplicate) {
        *report = ImportReport{};
        report->duplicateOfImport = duplicate;
        if (error)
            error->clear();
        return true;
    }
    return ok;
}

bool Project::applyImport(const ImportResult& result, ImportReport* report, std::string* error) {
    ImportReport local;
    if (!report)
        report = &local;
    *report = ImportReport{};
    if (!result.ok) {
        setError(error, result.error.empty() ? "the import result is not valid" : result.error);
        return false;
    }
    std::int64_t duplicate = 0;
    const bool ok = transaction(
        [&](std::string* e) {
            if ((duplicate = importWithSha(m_db, result.source.sha256))) {
                setError(e, "duplicate");
                return false;
            }
            ProjectWriter writer(*this, result.onConflict);
            for (const auto& run : result.runs)
                if (!writer.addRun(run, e))
                    return false;
            for (const auto& name : result.metricNames)
                if (!writer.addMetricName(name, e))
                    return false;
            if (!writer.addMetrics(result.metrics, e))
                return false;
            for (const auto& ev : result.evaluations)
                if (!writer.addEvaluation(ev, e))
                    return false;
            return writer.finish(result, report, e);
        },
        error);
    if (!ok && duplicate) {
        *report = ImportReport{};
        report->duplicateOfImport = duplicate;
        if (error)
            error->clear();
        return true;
    }
    return ok;
}

}  // namespace scalelens::data
