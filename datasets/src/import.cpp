// Import entry points, configuration validation, parse context and the in-memory sink.
#include "datasets/import.h"

#include <QCryptographicHash>
#include <QFile>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "datasets/utf8_path.h"
#include "import_parser.h"
#include "sha256.h"

namespace scalelens::data {

namespace {
constexpr std::pair<ImportFormat, const char*> kFormatNames[] = {
    {ImportFormat::Auto, "auto"},
    {ImportFormat::Long, "long"},
    {ImportFormat::Wide, "wide"},
    {ImportFormat::Summary, "summary"},
    {ImportFormat::TensorBoard, "tensorboard"},
    {ImportFormat::WandB, "wandb"},
    {ImportFormat::MLflow, "mlflow"}};
}  // namespace

std::string toString(ImportFormat format) {
    for (const auto& [f, name] : kFormatNames)
        if (f == format)
            return name;
    return "auto";
}

std::optional<ImportFormat> importFormatFromString(const std::string& text) {
    for (const auto& [f, name] : kFormatNames)
        if (text == name)
            return f;
    return std::nullopt;
}

std::string toString(OnConflict onConflict) {
    return onConflict == OnConflict::Replace ? "replace" : "keep";
}

std::optional<OnConflict> onConflictFromString(const std::string& text) {
    if (text == "keep")
        return OnConflict::Keep;
    if (text == "replace")
        return OnConflict::Replace;
    return std::nullopt;
}

bool ImportConfig::isValid(std::string* error) const {
    auto bad = [&](const std::string& message) {
        if (error)
            *error = message;
        return false;
    };
    if (delimiter != 0 && delimiter != ',' && delimiter != ';' && delimiter != '\t')
        return bad("delimiter: must be ',', ';' or a tab (or 0 to detect)");
    if (decimal != 0 && decimal != '.' && decimal != ',')
        return bad("decimal: must be '.' or ',' (or 0 to detect)");
    if (decimal == ',' && delimiter == ',')
        return bad("decimal: ',' cannot be the decimal separator when ',' is the delimiter");
    if (batchRows == 0)
        return bad("batchRows: must be at least 1");
    for (const auto& [key, column] : columnMap)
        if (key.empty())
            return bad("columnMap: '" + key + "=" + column + "' needs a key");
    return true;
}

void MetricBatch::clear() {
    run.clear();
    metric.clear();
    step.clear();
    tokens.clear();
    flops.clear();
    wallTime.clear();
    value.clear();
}

void MetricBatch::reserve(std::size_t n) {
    run.reserve(n);
    metric.reserve(n);
    step.reserve(n);
    tokens.reserve(n);
    flops.reserve(n);
    wallTime.reserve(n);
    value.reserve(n);
}

std::string fileSha256(const std::string& path, std::string* error) {
    std::ifstream in(pathFromUtf8(path), std::ios::binary);
    if (!in) {
        if (error)
            *error = "cannot read '" + path + "'";
        return {};
    }
    detail::Sha256 hash;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hash.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) {
        if (error)
            *error = "cannot read '" + path + "'";
        return {};
    }
    return hash.hexDigest();
}

namespace detail {

ParseContext::ParseContext(const ImportConfig& config, ImportSink& sink, ImportResult& result,
                           const fit::ProgressCallback& progress)
    : m_config(config), m_sink(sink), m_result(result), m_progress(progress) {
    m_batch.reserve(config.batchRows);
}

std::string ParseContext::where(std::int64_t line, std::int64_t column) const {
    std::string w = m_result.source.displayName;
    if (line > 0) {
        w.push_back(':');
        w.append(std::to_string(line));
        if (column > 0) {
            w.push_back(':');
            w.append(std::to_string(column));
        }
    }
    return w;
}

bool ParseContext::fail(std::int64_t line, std::int64_t column, const std::string& message) {
    if (m_result.error.empty())
        m_result.error = where(line, column) + ": " + message;
    m_result.ok = false;
    return false;
}

void ParseContext::warn(std::int64_t line, std::int64_t column, const std::string& message) {
    if (m_result.warnings.size() >= m_config.maxWarnings) {
        ++m_result.droppedWarnings;
        return;
    }
    m_result.warnings.push_back({line, column, where(line, column) + ": " + message});
}

int ParseContext::run(std::string_view name, const Run* fields) {
    if (m_lastRunIndex >= 0 && name == m_lastRun)
        return m_lastRunIndex;
    std::string key(name);
    auto it = m_runs.find(key);
    if (it == m_runs.end()) {
        Run r = fields ? *fields : Run{};
        r.name = key;
        if (r.group.empty())
            r.group = m_config.group;
        if (m_config.deriveComputeFields)
            deriveComputeFields(r);
        std::string error;
        if (!m_sink.addRun(r, &error)) {
            fail(0, 0, error);
            return -1;
        }
        it = m_runs.emplace(key, static_cast<int>(m_runs.size())).first;
    }
    m_lastRun = std::move(key);
    m_lastRunIndex = it->second;
    return it->second;
}

int ParseContext::findRun(std::string_view name) {
    if (m_lastRunIndex >= 0 && name == m_lastRun)
        return m_lastRunIndex;
    const auto it = m_runs.find(std::string(name));
    return it == m_runs.end() ? -1 : it->second;
}

int ParseContext::metric(std::string_view name) {
    if (m_lastMetricIndex >= 0 && name == m_lastMetric)
        return m_lastMetricIndex;
    std::string key(name);
    auto it = m_metrics.find(key);
    if (it == m_metrics.end()) {
        std::string error;
        if (!m_sink.addMetricName(key, &error)) {
            fail(0, 0, error);
            return -1;
        }
        it = m_metrics.emplace(key, static_cast<int>(m_metrics.size())).first;
    }
    m_lastMetric = std::move(key);
    m_lastMetricIndex = it->second;
    return it->second;
}

bool ParseContext::addRow(int run, int metric, double step, double tokens, double flops,
                          double wall, double value) {
    // A row must belong to a run and a metric this parse added: a sink indexes its ids by them.
    if (run < 0 || run >= static_cast<int>(m_runs.size()) || metric < 0 ||
        metric >= static_cast<int>(m_metrics.size()))
        return fail(0, 0, "internal error: a value without a known run or metric");
    m_batch.run.push_back(run);
    m_batch.metric.push_back(metric);
    m_batch.step.push_back(step);
    m_batch.tokens.push_back(tokens);
    m_batch.flops.push_back(flops);
    m_batch.wallTime.push_back(wall);
    m_batch.value.push_back(value);
    ++m_rows;
    return m_batch.size() < m_config.batchRows || flush();
}

bool ParseContext::flush() {
    if (m_batch.size() == 0)
        return true;
    std::string error;
    if (!m_sink.addMetrics(m_batch, &error))
        return fail(0, 0, error);
    m_batch.clear();
    return true;
}

bool ParseContext::addEvaluation(const ParsedEvaluation& e) {
    if (e.run < 0 || e.run >= static_cast<int>(m_runs.size()))
        return fail(0, 0, "internal error: an evaluation without a known run");
    std::string error;
    if (!m_sink.addEvaluation(e, &error))
        return fail(0, 0, error);
    return true;
}

bool ParseContext::progress(double fraction) {
    if (m_progress && !m_progress(std::clamp(fraction, 0.0, 1.0))) {
        m_result.cancelled = true;
        m_result.ok = false;
        m_result.error = m_result.source.displayName + ": import cancelled";
        return false;
    }
    return true;
}

}  // namespace detail

namespace {

// Collects a parse into the ImportResult itself (parseImport).
class CollectSink : public ImportSink {
  public:
    explicit CollectSink(ImportResult& r) : m_r(r) {}
    bool addRun(const Run& run, std::string*) override {
        m_r.runs.push_back(run);
        return true;
    }
    bool addMetricName(const std::string& name, std::string*) override {
        m_r.metricNames.push_back(name);
        return true;
    }
    bool addMetrics(const MetricBatch& b, std::string*) override {
        auto append = [](auto& to, const auto& from) {
            to.insert(to.end(), from.begin(), from.end());
        };
        append(m_r.metrics.run, b.run);
        append(m_r.metrics.metric, b.metric);
        append(m_r.metrics.step, b.step);
        append(m_r.metrics.tokens, b.tokens);
        append(m_r.metrics.flops, b.flops);
        append(m_r.metrics.wallTime, b.wallTime);
        append(m_r.metrics.value, b.value);
        return true;
    }
    bool addEvaluation(const ParsedEvaluation& e, std::string*) override {
        m_r.evaluations.push_back(e);
        return true;
    }

  private:
    ImportResult& m_r;
};

void parseStreamInto(std::istream& in, std::uint64_t size, const std::string& fileName,
                     const ImportConfig& config, ImportSink& sink, ImportResult& result,
                     const fit::ProgressCallback& progress) {
    detail::ParseContext ctx(config, sink, result, progress);
    result.ok = true;
    detail::parseCsv(in, size, fileName, ctx);
    if (result.ok && !ctx.flush())
        result.ok = false;
}

}  // namespace

void parseImportTo(const std::string& path, const ImportConfig& config, ImportSink& sink,
                   ImportResult& result, const fit::ProgressCallback& progress) {
    namespace fs = std::filesystem;
    const std::string knownSha = result.source.sha256;  // pre-filled by Project::importFile
    result = ImportResult{};
    result.onConflict = config.onConflict;
    result.source.path = path;
    const fs::path file = pathFromUtf8(path);
    result.source.displayName = utf8FromPath(file.filename());
    if (result.source.displayName.empty())
        result.source.displayName = utf8FromPath(file.parent_path().filename());
    std::string error;
    if (!config.isValid(&error)) {
        result.error = "invalid import settings: " + error;
        return;
    }
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        result.error = path + ": no such file or folder";
        return;
    }
    const bool folder = fs::is_directory(file, ec);
    if (detail::isTensorBoardEventFile(path) ||
        (folder && config.format != ImportFormat::MLflow &&
         (config.format == ImportFormat::TensorBoard || detail::isTensorBoardLogDir(path)))) {
        detail::ParseContext ctx(config, sink, result, progress);
        result.ok = true;
        result.source.format = ImportFormat::TensorBoard;
        if (!folder) {
            result.source.sizeBytes = fs::file_size(file, ec);
            result.source.sha256 = knownSha.empty() ? fileSha256(path, &error) : knownSha;
        }
        detail::parseTensorBoard(path, ctx);
        if (result.ok && !ctx.flush())
            result.ok = false;
        if (result.ok)
            ctx.progress(1.0);
        return;
    }
    if (folder || config.format == ImportFormat::MLflow) {
        detail::ParseContext ctx(config, sink, result, progress);
        result.ok = true;
        result.source.format = ImportFormat::MLflow;
        detail::parseMlflow(path, ctx);
        if (result.ok && !ctx.flush())
            result.ok = false;
        return;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        result.error = path + ": cannot open the file for reading";
        return;
    }
    result.source.sizeBytes = fs::file_size(file, ec);
    result.source.sha256 = knownSha.empty() ? fileSha256(path, &error) : knownSha;
    parseStreamInto(in, result.source.sizeBytes, result.source.displayName, config, sink, result,
                    progress);
}

ImportResult parseImport(const std::string& path, const ImportConfig& config,
                         const fit::ProgressCallback& progress) {
    ImportResult result;
    CollectSink sink(result);
    parseImportTo(path, config, sink, result, progress);
    return result;
}

ImportResult parseImport(std::istream& in, const ImportConfig& config,
                         const fit::ProgressCallback& progress) {
    ImportResult result;
    result.onConflict = config.onConflict;
    result.source.displayName = config.sourceName.empty() ? "<input>" : config.sourceName;
    result.source.path = result.source.displayName;
    std::string error;
    if (!config.isValid(&error)) {
        result.error = "invalid import settings: " + error;
        return result;
    }
    if (config.format == ImportFormat::MLflow) {
        result.error = result.source.displayName + ": MLflow imports need a folder path";
        return result;
    }
    if (detail::isTensorBoardEventFile(result.source.displayName)) {
        result.error = result.source.displayName +
                       ": TensorBoard event files are binary; import them by path, not as text";
        return result;
    }
    CollectSink sink(result);
    parseStreamInto(in, 0, result.source.displayName, config, sink, result, progress);
    return result;
}

}  // namespace scalelens::data
