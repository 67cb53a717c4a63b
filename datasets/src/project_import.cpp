// The write step of an import: a sink that streams parsed runs and rows into SQLite inside the
// caller's transaction, plus Project::importFile / applyImport.
#include <chrono>
#include <cmath>
#include <filesystem>

#include "datasets/project.h"
#include "datasets/utf8_path.h"
#include "sha256.h"
#include "sqlite_util.h"

namespace scalelens::data {

using detail::setError;
using detail::Stmt;

class ProjectWriter : public ImportSink {
  public:
    explicit ProjectWriter(Project& project)
        : m_project(project),
          m_db(project.m_db),
          m_addName(m_db, "INSERT OR IGNORE INTO metric_names (name) VALUES (?)"),
          m_nameId(m_db, "SELECT id FROM metric_names WHERE name = ?"),
          m_row(m_db, insertSql(1).c_str()),
          m_rows(m_db, insertSql(kRowsPerStatement).c_str()),
          m_eval(m_db,
                 "INSERT OR REPLACE INTO evaluations (run_id, benchmark, shots, score) VALUES "
                 "(?,?,?,?)") {}

    bool addRun(const Run& run, std::string* error) override {
        if (auto existing = m_project.runByName(run.group, run.name)) {
            Run merged = *existing;
            for (int f = 0; f < static_cast<int>(RunField::Count); ++f) {
                const auto field = static_cast<RunField>(f);
                if (run.field(field)) {
                    merged.field(field) = run.field(field);
                    merged.setDerived(field, run.isDerived(field));
                }
            }
            if (!run.sparsitySchedule.empty())
                merged.sparsitySchedule = run.sparsitySchedule;
            if (!run.releaseDate.empty())
                merged.releaseDate = run.releaseDate;
            if (!run.tags.empty())
                merged.tags = run.tags;
            if (!run.notes.empty())
                merged.notes = run.notes;
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
    Project& m_project;
    sqlite3* m_db;
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
            ProjectWriter writer(*this);
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
            ProjectWriter writer(*this);
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
