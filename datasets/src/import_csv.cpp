// CSV formats: detection (delimiter, decimal, header, format) and the row loops for summary,
// long, wide, TensorBoard and W&B files.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>

#include "csv_reader.h"
#include "datasets/utf8_path.h"
#include "import_columns.h"
#include "import_parser.h"

namespace scalelens::data {

namespace detail {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Sniff {
    char delimiter = ',';
    char decimal = '.';
    bool hasHeader = true;
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> sample;  // data rows from the first buffer
    ImportFormat format = ImportFormat::Auto;
};

// A non-numeric cell of column `c` among the sampled rows, if any (see resolveColumns).
std::function<std::optional<std::string>(int)> textSampleOf(const Sniff& s) {
    return [&s](int c) -> std::optional<std::string> {
        for (const auto& row : s.sample) {
            double v;
            if (static_cast<std::size_t>(c) < row.size() &&
                parseCell(row[static_cast<std::size_t>(c)], s.decimal, &v) == NumberParse::Bad)
                return row[static_cast<std::size_t>(c)];
        }
        return std::nullopt;
    };
}

// The columns named explicitly as a metric (--map loss=val_loss): another column whose header
// is that metric name must not be imported as the same metric.
bool shadowedByOverride(const ColumnLayout& layout, const std::string& header) {
    for (const auto& [name, c] : layout.metricOverrides)
        if (toLower(trim(name)) == toLower(trim(header)))
            return true;
    return false;
}

char detectDelimiter(const std::vector<std::string>& lines) {
    char best = ',';
    double bestScore = -1.0;
    for (char d : {',', ';', '\t'}) {
        std::map<std::size_t, int> counts;
        for (const auto& l : lines)
            ++counts[splitLine(l, d).size()];
        std::size_t mode = 1;
        int modeCount = 0;
        for (const auto& [n, c] : counts)
            if (c > modeCount || (c == modeCount && n > mode)) {
                mode = n;
                modeCount = c;
            }
        if (mode < 2 || lines.empty())
            continue;
        const double score = static_cast<double>(modeCount) / static_cast<double>(lines.size()) +
                             1e-3 * static_cast<double>(mode);
        if (score > bestScore) {
            bestScore = score;
            best = d;
        }
    }
    return best;
}

// True for cells like " -3,25e-2 ": digits, one ',' and digits, an optional exponent. A linear
// scan: std::regex recurses per character and overflows the stack on long cells.
bool looksLikeDecimalComma(std::string_view cell) {
    auto isSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    std::size_t i = 0;
    const std::size_t n = cell.size();
    auto digits = [&] {
        const std::size_t start = i;
        while (i < n && isDigit(cell[i]))
            ++i;
        return i > start;
    };
    while (i < n && isSpace(cell[i]))
        ++i;
    if (i < n && (cell[i] == '-' || cell[i] == '+'))
        ++i;
    if (!digits() || i >= n || cell[i] != ',')
        return false;
    ++i;
    if (!digits())
        return false;
    if (i < n && (cell[i] == 'e' || cell[i] == 'E')) {
        ++i;
        if (i < n && (cell[i] == '-' || cell[i] == '+'))
            ++i;
        if (!digits())
            return false;
    }
    while (i < n && isSpace(cell[i]))
        ++i;
    return i == n;
}

std::string fileStem(const std::string& fileName) {
    return utf8FromPath(pathFromUtf8(fileName).stem());
}

bool isTensorBoardName(const std::string& fileName, std::string* run, std::string* tag) {
    static const std::regex re(R"(^run[-_](.+)[-_]tag[-_](.+)\.csv$)", std::regex::icase);
    std::smatch m;
    if (!std::regex_match(fileName, m, re))
        return false;
    if (run)
        *run = m[1];
    if (tag)
        *tag = m[2];
    return true;
}

bool hasHeaderNamed(const std::vector<std::string>& headers, const std::string& name) {
    for (const auto& h : headers)
        if (toLower(trim(h)) == name)
            return true;
    return false;
}

bool looksLikeMetricName(const std::string& header) {
    const std::string h = toLower(header);
    for (const char* k : {"loss", "ppl", "perplexity", "acc", "lr", "grad", "norm", "/", "bpb",
                          "score", "entropy", "throughput"})
        if (h.find(k) != std::string::npos)
            return true;
    return false;
}

ImportFormat detectFormat(const std::string& fileName, const std::vector<std::string>& headers,
                          const ColumnLayout& layout) {
    if (isTensorBoardName(fileName, nullptr, nullptr))
        return ImportFormat::TensorBoard;
    if (headers.size() == 3 && toLower(trim(headers[0])) == "wall time" &&
        toLower(trim(headers[1])) == "step" && toLower(trim(headers[2])) == "value")
        return ImportFormat::TensorBoard;
    if (hasHeaderNamed(headers, "_step"))
        return ImportFormat::WandB;
    const auto has = [&](const char* key) { return layout.keyColumn.count(key) > 0; };
    if (has("metric") && has("value"))
        return ImportFormat::Long;
    if (has("run") && (has("step") || (has("tokens") && !has("N"))))
        return ImportFormat::Long;
    if (has("step") && !has("run")) {
        for (const auto& h : headers)
            if (h.find(" - ") != std::string::npos)
                return ImportFormat::WandB;  // W&B chart export: "<run> - <metric>"
        // Single-run files whose other columns are metric names are W&B-like history.
        bool allMetrics = true;
        for (int c = 0; c < static_cast<int>(headers.size()); ++c) {
            bool isKey = false;
            for (const auto& [k, col] : layout.keyColumn)
                isKey = isKey || col == c;
            if (!isKey && !looksLikeMetricName(headers[static_cast<std::size_t>(c)]))
                allMetrics = false;
        }
        return allMetrics ? ImportFormat::WandB : ImportFormat::Wide;
    }
    return ImportFormat::Summary;
}

Sniff sniff(std::string_view text, const ImportConfig& config, const std::string& fileName,
            std::vector<ImportWarning>* warnings, const std::string& display) {
    Sniff s;
    const auto lines = sniffLines(text, 101);
    s.delimiter = config.delimiter ? config.delimiter : detectDelimiter(lines);
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : lines)
        rows.push_back(splitLine(l, s.delimiter));
    for (auto& r : rows)
        for (auto& c : r)
            c = std::string(trim(c));
    // Header: a first line with any non-numeric, non-empty cell.
    if (config.hasHeader) {
        s.hasHeader = *config.hasHeader;
    } else {
        s.hasHeader = false;
        if (!rows.empty())
            for (const auto& c : rows[0]) {
                double v;
                if (parseCell(c, '.', &v) == NumberParse::Bad &&
                    parseCell(c, ',', &v) == NumberParse::Bad)
                    s.hasHeader = true;
            }
    }
    std::size_t first = s.hasHeader ? 1 : 0;
    if (config.decimal) {
        s.decimal = config.decimal;
    } else {
        s.decimal = '.';
        if (s.delimiter != ',')
            for (std::size_t r = first; r < rows.size() && s.decimal == '.'; ++r)
                for (const auto& c : rows[r])
                    if (looksLikeDecimalComma(c)) {
                        s.decimal = ',';
                        break;
                    }
    }
    std::size_t width = 0;
    for (const auto& r : rows)
        width = std::max(width, r.size());
    if (s.hasHeader && !rows.empty()) {
        s.headers = rows[0];
        // Duplicate names get a " (2)" suffix so every column stays addressable. The first few
        // are warned about one by one, the rest in one summary line.
        constexpr std::size_t kListed = 5;
        std::map<std::string, int> seen;
        std::size_t duplicates = 0;
        for (std::size_t c = 0; c < s.headers.size(); ++c) {
            const int n = ++seen[toLower(s.headers[c])];
            if (n > 1) {
                const std::string renamed = s.headers[c] + " (" + std::to_string(n) + ")";
                if (warnings && ++duplicates <= kListed)
                    warnings->push_back({1, static_cast<std::int64_t>(c + 1),
                                         display + ":1:" + std::to_string(c + 1) +
                                             ": duplicate column name '" + s.headers[c] +
                                             "', using '" + renamed + "' for this one"});
                s.headers[c] = renamed;
            }
        }
        if (warnings && duplicates > kListed)
            warnings->push_back({1, 0,
                                 display + ":1: " + std::to_string(duplicates - kListed) +
                                     " more duplicate column names, renamed the same way"});
    }
    if (!s.hasHeader)
        for (std::size_t c = 0; c < width; ++c)
            s.headers.push_back("column " + std::to_string(c + 1));
    s.sample.assign(rows.begin() + static_cast<std::ptrdiff_t>(std::min(first, rows.size())),
                    rows.end());
    if (s.hasHeader && !rows.empty())  // a repeated header line is skipped, not data
        std::erase(s.sample, rows[0]);
    ColumnLayout layout;
    std::string ignored;
    resolveColumns(s.headers, config.columnMap, &layout, &ignored, textSampleOf(s));
    s.format = config.format != ImportFormat::Auto ? config.format
                                                   : detectFormat(fileName, s.headers, layout);
    return s;
}

// Reads one numeric cell; NaN when missing. Returns false (with the error) on a bad cell.
struct CellReader {
    ParseContext& ctx;
    const std::vector<std::string>& headers;
    char decimal;
    const ColumnLayout* layout = nullptr;  // to name the key a bad column was mapped to

    bool number(std::string_view cell, int column, std::int64_t line, double scale, double* out,
                bool* present) {
        double v = 0.0;
        *present = false;
        *out = kMissing;
        switch (parseCell(cell, decimal, &v)) {
            case NumberParse::Ok:
                if (!std::isfinite(v * scale)) {  // e.g. params_b = 1e300: overflows when scaled
                    ctx.warn(line, column + 1,
                             "'" + std::string(trim(cell)) + "' in column '" + name(column) +
                                 "' overflows when scaled; treated as missing");
                    return true;
                }
                *out = v * scale;
                *present = true;
                return true;
            case NumberParse::Empty:
                return true;
            case NumberParse::NonFinite:
                ctx.warn(line, column + 1,
                         "'" + std::string(trim(cell)) + "' in column '" + name(column) +
                             "' is not a finite number; treated as missing");
                return true;
            case NumberParse::Bad:
                break;
        }
        std::string role;
        if (layout)
            for (const auto& [key, c] : layout->keyColumn)
                if (c == column && isNumericKey(key))
                    role = key;
        return ctx.fail(
            line, column + 1,
            "expected a number in column '" + name(column) + "'" +
                (role.empty() ? std::string() : " (mapped to " + role + ")") + ", got '" +
                std::string(trim(cell)) + "'" + (decimal == ',' ? " (decimal separator ',')" : "") +
                (role.empty()
                     ? std::string()
                     : "; use --map " + role + "=<column> to map another column to " + role));
    }
    std::string name(int column) const {
        return column < static_cast<int>(headers.size()) ? headers[static_cast<std::size_t>(column)]
                                                         : "column " + std::to_string(column + 1);
    }
};

bool checkWidth(ParseContext& ctx, const std::vector<std::string_view>& fields, std::size_t width,
                std::int64_t line) {
    for (std::size_t c = width; c < fields.size(); ++c)
        if (!trim(fields[c]).empty())
            return ctx.fail(line, static_cast<std::int64_t>(c + 1),
                            "expected " + std::to_string(width) + " fields as in the header, got " +
                                std::to_string(fields.size()));
    return true;
}

// A data line equal to the header line: two log files appended to one another (a resumed run
// writing its header again). Skipped with a warning naming the line.
bool skipRepeatedHeader(ParseContext& ctx, const Sniff& s, const std::vector<std::string_view>& f,
                        std::int64_t line) {
    if (!s.hasHeader || f.size() != s.headers.size() || f.empty())
        return false;
    for (std::size_t c = 0; c < f.size(); ++c)
        if (trim(f[c]) != trim(s.headers[c]))
            return false;
    ctx.warn(line, 0, "the header line is repeated here (files appended to one another?): skipped");
    return true;
}

bool failUnterminated(ParseContext& ctx, const CsvReader& reader) {
    return ctx.fail(reader.line(), 0,
                    "a quoted field starting on this line is not closed before the end of the "
                    "file");
}

// Numeric in every sampled row (empty/NaN allowed)?
bool sampleNumeric(const Sniff& s, std::size_t column) {
    for (const auto& row : s.sample) {
        double v;
        if (column < row.size() && parseCell(row[column], s.decimal, &v) == NumberParse::Bad)
            return false;
    }
    return true;
}

// A `status` cell saying the run did not finish its schedule.
bool stoppedStatus(const std::string& status) {
    const std::string v = toLower(trim(status));
    for (const char* word :
         {"stop", "kill", "crash", "fail", "incomplete", "interrupt", "running", "diverge",
          "preempt", "cancel", "timeout", "abort", "partial", "unfinished", "early"})
        if (v.find(word) != std::string::npos)
            return true;
    return false;
}

void applyTextFields(Run& run, const ColumnLayout& layout,
                     const std::function<std::string(int)>& cell) {
    auto text = [&](const char* key) -> std::optional<std::string> {
        const auto it = layout.keyColumn.find(key);
        if (it == layout.keyColumn.end())
            return std::nullopt;
        return cell(it->second);
    };
    if (auto v = text("group"); v && !v->empty())
        run.group = *v;
    if (auto v = text("sparsity_schedule"))
        run.sparsitySchedule = *v;
    if (auto v = text("release_date"))
        run.releaseDate = *v;
    if (auto v = text("notes"))
        run.notes = *v;
    if (auto v = text("tags"); v && !v->empty()) {
        run.tags.clear();
        std::string current;
        for (char ch : *v + ";") {
            if (ch == ';') {
                if (!trim(current).empty())
                    run.tags.emplace_back(trim(current));
                current.clear();
            } else {
                current.push_back(ch);
            }
        }
    }
    if (auto v = text("status");
        v && stoppedStatus(*v) &&
        std::find(run.tags.begin(), run.tags.end(), kStoppedMidScheduleTag) == run.tags.end())
        run.tags.emplace_back(kStoppedMidScheduleTag);
}

// Numeric run fields of one row. False on a bad cell.
bool applyNumericFields(Run& run, const ColumnLayout& layout, CellReader& reader,
                        const std::function<std::string_view(int)>& cell, std::int64_t line,
                        bool includeCounts) {
    for (const auto& [key, column] : layout.keyColumn) {
        const auto field = runFieldForKey(key);
        if (!field)
            continue;
        if (!includeCounts && (*field == RunField::Tokens || *field == RunField::Flops))
            continue;
        double v;
        bool present;
        if (!reader.number(cell(column), column, line,
                           layout.scale[static_cast<std::size_t>(column)], &v, &present))
            return false;
        if (present)
            run.field(*field) = v;
    }
    if (const auto it = layout.keyColumn.find("batch_sequences");
        it != layout.keyColumn.end() && !run.batchTokens) {
        double v;
        bool present;
        if (!reader.number(cell(it->second), it->second, line, 1.0, &v, &present))
            return false;
        if (present && run.seqLen) {
            run.batchTokens = v * *run.seqLen;  // batch in tokens = sequences x length
            run.setDerived(RunField::BatchTokens, true);
        } else if (present) {
            reader.ctx.warn(line, it->second + 1,
                            "batch size in sequences needs a seq_len column; not converted");
        }
    }
    return true;
}

// ---- summary: one row per run -----------------------------------------------------------

void parseSummary(CsvReader& reader, const Sniff& s, const ColumnLayout& layout,
                  const std::string& fileName, ParseContext& ctx) {
    const auto& cfg = ctx.config();
    struct Row {
        std::int64_t line;
        std::vector<std::string> cells;
    };
    std::vector<Row> rows;
    while (reader.next()) {
        if (reader.unterminatedQuote())
            return (void)failUnterminated(ctx, reader);
        if (!checkWidth(ctx, reader.fields(), s.headers.size(), reader.line()))
            return;
        if (skipRepeatedHeader(ctx, s, reader.fields(), reader.line()))
            continue;
        Row row{reader.line(), {}};
        for (auto f : reader.fields())
            row.cells.emplace_back(trim(f));
        rows.push_back(std::move(row));
    }
    // Column roles beyond the mapped keys.
    std::set<int> keyColumns;
    for (const auto& [k, c] : layout.keyColumn)
        keyColumns.insert(c);
    std::vector<std::pair<int, std::string>> metricColumns, benchmarkColumns;
    std::set<int> overridden;
    for (const auto& [name, c] : layout.metricOverrides) {
        metricColumns.push_back({c, name});
        overridden.insert(c);
    }
    for (int c = 0; c < static_cast<int>(s.headers.size()); ++c) {
        const std::string& h = s.headers[static_cast<std::size_t>(c)];
        if (keyColumns.count(c) || overridden.count(c))
            continue;
        if (shadowedByOverride(layout, h)) {
            ctx.warn(0, 0,
                     "column '" + h + "' not imported: --map names another column for metric '" +
                         h + "'");
            continue;
        }
        if (isBenchmarkName(h) || cfg.evaluationShots.count(h)) {
            benchmarkColumns.push_back({c, h});
            continue;
        }
        bool numeric = true;
        for (const auto& r : rows) {
            double v;
            if (static_cast<std::size_t>(c) < r.cells.size() &&
                parseCell(r.cells[static_cast<std::size_t>(c)], s.decimal, &v) == NumberParse::Bad)
                numeric = false;
        }
        if (numeric || toLower(h).find("loss") != std::string::npos)
            metricColumns.push_back({c, h});  // a non-numeric loss column fails below
        else if (!matchColumn(h))  // a known name holding text was reported by resolveColumns
            ctx.warn(0, 0, "column '" + h + "' is not numeric and has no known meaning; ignored");
    }
    CellReader cells{ctx, s.headers, s.decimal, &layout};
    const auto runCol = layout.keyColumn.count("run") ? layout.keyColumn.at("run") : -1;
    std::size_t index = 0;
    for (const auto& row : rows) {
        ++index;
        auto text = [&](int c) {
            return static_cast<std::size_t>(c) < row.cells.size()
                       ? row.cells[static_cast<std::size_t>(c)]
                       : std::string();
        };
        auto view = [&](int c) -> std::string_view {
            return static_cast<std::size_t>(c) < row.cells.size()
                       ? std::string_view(row.cells[static_cast<std::size_t>(c)])
                       : std::string_view();
        };
        Run run;
        applyTextFields(run, layout, text);
        if (!applyNumericFields(run, layout, cells, view, row.line, true))
            return;
        std::string name = runCol >= 0 ? text(runCol) : std::string();
        if (name.empty())
            name = fileStem(fileName) + " row " + std::to_string(index);
        if (ctx.findRun(name) >= 0)
            ctx.warn(row.line, runCol + 1,
                     "run '" + name +
                         "' appeared on an earlier line; its fields there are kept, its values "
                         "here replace the earlier ones");
        const int r = ctx.run(name, &run);
        if (r < 0)
            return;
        for (const auto& [c, metricName] : metricColumns) {
            double v;
            bool present;
            if (!cells.number(view(c), c, row.line, 1.0, &v, &present))
                return;
            if (!present)
                continue;
            const int m = ctx.metric(metricName);
            if (m < 0 || !ctx.addRow(r, m, kMissing, kMissing, kMissing, kMissing, v))
                return;
        }
        for (const auto& [c, bench] : benchmarkColumns) {
            double v;
            bool present;
            if (!cells.number(view(c), c, row.line, 1.0, &v, &present))
                return;
            if (!present)
                continue;
            ParsedEvaluation e;
            e.run = r;
            e.benchmark = toLower(bench);
            for (const auto& [k, shots] : cfg.evaluationShots)
                if (toLower(k) == e.benchmark)
                    e.shots = shots;
            e.score = v;
            if (!ctx.addEvaluation(e))
                return;
        }
    }
}

// ---- curves: long, wide, TensorBoard, W&B -----------------------------------------------

struct ValueColumn {
    int column;
    int run;  // -1: from the run column
    std::string metric;
    int metricIndex = -1;
};

void parseCurves(CsvReader& reader, const Sniff& s, ColumnLayout layout,
                 const std::string& fileName, std::uint64_t sizeBytes, ParseContext& ctx) {
    const auto& cfg = ctx.config();
    const ImportFormat format = s.format;
    auto col = [&](const char* key) {
        const auto it = layout.keyColumn.find(key);
        return it == layout.keyColumn.end() ? -1 : it->second;
    };
    // W&B: prefer _runtime (seconds since start) over _timestamp for wall time.
    if (format == ImportFormat::WandB) {
        for (int c = 0; c < static_cast<int>(s.headers.size()); ++c)
            if (toLower(s.headers[static_cast<std::size_t>(c)]) == "_runtime")
                layout.keyColumn["wall_time"] = c;
    }
    const int runCol = format == ImportFormat::Long ? col("run") : -1;
    const int stepCol = col("step"), tokensCol = col("tokens"), flopsCol = col("flops"),
              wallCol = col("wall_time");
    const bool tidy = format == ImportFormat::Long && col("metric") >= 0 && col("value") >= 0;
    const int metricCol = tidy ? col("metric") : -1, valueCol = col("value");
    if (tidy && runCol < 0)
        return (void)ctx.fail(
            0, 0,
            "a long file with 'metric' and 'value' columns needs a run column, "
            "and no column is recognised as the run (columns: " +
                [&] {
                    std::string all;
                    for (const auto& h : s.headers)
                        all += (all.empty() ? "" : ", ") + h;
                    return all;
                }() +
                "; name it with --map run=COLUMN)");

    std::string fixedRun = cfg.runName;
    std::string tbTag;
    if (fixedRun.empty()) {
        std::string tbRun;
        if (format == ImportFormat::TensorBoard && isTensorBoardName(fileName, &tbRun, &tbTag))
            fixedRun = tbRun;
        else
            fixedRun = fileStem(fileName);
    } else if (format == ImportFormat::TensorBoard) {
        isTensorBoardName(fileName, nullptr, &tbTag);
    }
    const std::string defaultMetric = !cfg.metricName.empty() ? cfg.metricName
                                      : !tbTag.empty()        ? tbTag
                                                              : std::string("loss");

    std::set<int> used;
    for (int c : {runCol, stepCol, tokensCol, flopsCol, wallCol, metricCol, col("group")})
        if (c >= 0)
            used.insert(c);
    // A per-step file's lr column is the LR schedule: a curve (metric named as the column),
    // from which the import derives the peak LR, not a run field read from the first row
    // (a warm-up value).
    if (format == ImportFormat::Long && stepCol >= 0 && !tidy)
        layout.keyColumn.erase("lr");
    // Multi-run long files may carry run fields (N, lr, ...) on each row.
    const bool runFields = format == ImportFormat::Long && runCol >= 0;
    if (runFields)
        for (const auto& [key, c] : layout.keyColumn)
            if (runFieldForKey(key) || key == "batch_sequences" || key == "sparsity_schedule" ||
                key == "release_date" || key == "tags" || key == "notes" || key == "status")
                used.insert(c);

    std::vector<ValueColumn> values;
    if (tidy) {
        used.insert(valueCol);
    } else if (format == ImportFormat::TensorBoard) {
        const int v = valueCol >= 0 ? valueCol : 2;
        values.push_back({v, -2, defaultMetric});
        used.insert(v);
    }
    for (const auto& [name, c] : layout.metricOverrides) {
        values.push_back({c, -2, name});
        used.insert(c);
    }
    if (!tidy && format != ImportFormat::TensorBoard) {
        for (int c = 0; c < static_cast<int>(s.headers.size()); ++c) {
            if (used.count(c))
                continue;
            const std::string& h = s.headers[static_cast<std::size_t>(c)];
            if (h.empty()) {
                // A trailing delimiter or a blank header cell: no run or metric may be named "".
                ctx.warn(1, c + 1, "column " + std::to_string(c + 1) + " has no name; ignored");
                continue;
            }
            if (h[0] == '_')
                continue;  // W&B bookkeeping (_timestamp, _wandb, ...)
            if (h.ends_with("__MIN") || h.ends_with("__MAX"))
                continue;  // W&B chart export min/max envelopes
            if (shadowedByOverride(layout, h)) {
                ctx.warn(0, 0,
                         "column '" + h +
                             "' not imported: --map names another column for metric '" + h + "'");
                continue;
            }
            if (!sampleNumeric(s, static_cast<std::size_t>(c))) {
                ctx.warn(0, 0, "column '" + h + "' is not numeric; ignored");
                continue;
            }
            const auto dash = h.rfind(" - ");
            if (format == ImportFormat::Wide ||
                (format == ImportFormat::WandB && dash != std::string::npos)) {
                if (dash != std::string::npos)
                    values.push_back({c, -3, h.substr(dash + 3)});  // "<run> - <metric>"
                else
                    values.push_back({c, -4, defaultMetric});  // column = run name
            } else {
                values.push_back({c, runCol >= 0 ? -1 : -2, h});
            }
        }
        if (values.empty()) {
            ctx.fail(
                0, 0, "no numeric value columns found (columns: " + [&] {
                    std::string all;
                    for (const auto& h : s.headers)
                        all += (all.empty() ? "" : ", ") + h;
                    return all;
                }() + ")");
            return;
        }
    }
    // Resolve fixed runs and metric names up front.
    for (auto& v : values) {
        // A forced layout (e.g. --format tensorboard) names its value column by position; a file
        // with fewer columns than that has nothing to read there (found by fuzz_import_csv).
        if (v.column < 0 || static_cast<std::size_t>(v.column) >= s.headers.size())
            return (void)ctx.fail(1, 0,
                                  "expected a value in column " + std::to_string(v.column + 1) +
                                      ", but the header has " + std::to_string(s.headers.size()) +
                                      " column(s)");
        const std::string& h = s.headers[static_cast<std::size_t>(v.column)];
        if (v.run == -2) {
            v.run = ctx.run(fixedRun);
        } else if (v.run == -3) {
            v.run = ctx.run(h.substr(0, h.rfind(" - ")));
        } else if (v.run == -4) {
            v.run = ctx.run(h);
        }
        if (v.run < -1)
            return;
        v.metricIndex = ctx.metric(v.metric);
        if (v.metricIndex < 0 || (v.run < 0 && runCol < 0))
            return;
    }

    CellReader cells{ctx, s.headers, s.decimal, &layout};
    const std::size_t width = s.headers.size();
    std::int64_t rows = 0;
    static const std::string_view kEmpty;
    while (reader.next()) {
        if (reader.unterminatedQuote())
            return (void)failUnterminated(ctx, reader);
        const auto& f = reader.fields();
        const std::int64_t line = reader.line();
        if (f.size() > width && !checkWidth(ctx, f, width, line))
            return;
        if (skipRepeatedHeader(ctx, s, f, line))
            continue;
        auto cell = [&](int c) -> std::string_view {
            return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[static_cast<std::size_t>(c)]
                                                                    : kEmpty;
        };
        int run = -1;
        if (runCol >= 0) {
            const std::string_view name = trim(cell(runCol));
            if (name.empty())
                return (void)ctx.fail(line, runCol + 1,
                                      "expected a run name in column '" + cells.name(runCol) +
                                          "', got an empty cell");
            run = ctx.findRun(name);
            if (run >= 0) {
                // Known run: its fields were taken from its first row.
            } else if (runFields) {
                Run fields;
                auto text = [&](int c) { return std::string(trim(cell(c))); };
                applyTextFields(fields, layout, text);
                if (!applyNumericFields(fields, layout, cells, cell, line, false))
                    return;
                run = ctx.run(name, &fields);
            } else {
                Run fields;
                if (const int g = col("group"); g >= 0)
                    fields.group = std::string(trim(cell(g)));
                run = ctx.run(name, &fields);
            }
            if (run < 0)
                return;
        }
        double step, tokens, flops, wall;
        bool present;
        if (!cells.number(cell(stepCol), stepCol, line, 1.0, &step, &present) ||
            !cells.number(cell(tokensCol), tokensCol, line,
                          tokensCol >= 0 ? layout.scale[static_cast<std::size_t>(tokensCol)] : 1.0,
                          &tokens, &present) ||
            !cells.number(cell(flopsCol), flopsCol, line, 1.0, &flops, &present) ||
            !cells.number(cell(wallCol), wallCol, line, 1.0, &wall, &present))
            return;
        if (tidy) {
            const std::string_view metricName = trim(cell(metricCol));
            if (metricName.empty())
                return (void)ctx.fail(line, metricCol + 1,
                                      "expected a metric name in column '" + cells.name(metricCol) +
                                          "', got an empty cell");
            double v;
            if (!cells.number(cell(valueCol), valueCol, line, 1.0, &v, &present))
                return;
            if (present) {
                const int m = ctx.metric(metricName);
                if (m < 0 || !ctx.addRow(run, m, step, tokens, flops, wall, v))
                    return;
            }
        } else {
            for (const auto& vc : values) {
                double v;
                if (!cells.number(cell(vc.column), vc.column, line, 1.0, &v, &present))
                    return;
                if (present && !ctx.addRow(vc.run >= 0 ? vc.run : run, vc.metricIndex, step, tokens,
                                           flops, wall, v))
                    return;
            }
        }
        if ((++rows & 0xFFFF) == 0 && sizeBytes > 0 &&
            !ctx.progress(static_cast<double>(reader.bytesConsumed()) /
                          static_cast<double>(sizeBytes)))
            return;
    }
}

}  // namespace

namespace {

// UTF-16 (after its byte order mark) to UTF-8; false on an odd length.
bool utf16ToUtf8(std::string_view bytes, bool bigEndian, std::string* out) {
    if (bytes.size() % 2 != 0)
        return false;
    out->clear();
    out->reserve(bytes.size());
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return bigEndian ? static_cast<char32_t>(a << 8 | b) : static_cast<char32_t>(b << 8 | a);
    };
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        char32_t c = unit(i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 3 < bytes.size()) {
            const char32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;  // unpaired surrogate
        }
        if (c < 0x80) {
            out->push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (c >> 6)));
            out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out->push_back(static_cast<char>(0xE0 | (c >> 12)));
            out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out->push_back(static_cast<char>(0xF0 | (c >> 18)));
            out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return true;
}

// Offset of the first byte that is not valid UTF-8, or npos. A sequence cut off by the end of
// `text` (the sniffed head of a longer file) counts as valid.
std::size_t invalidUtf8At(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t n = c < 0x80           ? 0
                        : (c >> 5) == 0x6  ? 1
                        : (c >> 4) == 0xE  ? 2
                        : (c >> 3) == 0x1E ? 3
                                           : 9;
        if (n == 9 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4))
            return i;
        for (std::size_t k = 1; k <= n; ++k) {
            if (i + k >= text.size())
                return std::string_view::npos;
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return i;
        }
        i += n + 1;
    }
    return std::string_view::npos;
}

void parseCsvText(CsvReader& reader, std::string_view head, std::uint64_t sizeBytes,
                  const std::string& fileName, ParseContext& ctx);

}  // namespace

// Encodings: UTF-8 with or without a byte order mark is read as is; UTF-16 with a byte order mark
// and CR-only line ends are converted in memory; anything else (binary data, UTF-16 without a
// mark, other 8-bit encodings, JSON) is refused with a message saying what it looks like.
void parseCsv(std::istream& in, std::uint64_t sizeBytes, const std::string& fileName,
              ParseContext& ctx) {
    CsvReader reader(in);
    const std::string_view head = reader.prime();
    if (head.empty())
        return (void)ctx.fail(0, 0, "the file is empty");
    const bool le = head.size() >= 2 && head[0] == '\xFF' && head[1] == '\xFE';
    const bool be = head.size() >= 2 && head[0] == '\xFE' && head[1] == '\xFF';
    const bool crOnly = !le && !be && head.find('\n') == std::string_view::npos &&
                        head.find('\r') != std::string_view::npos;
    if (le || be || crOnly) {
        std::string bytes(head);
        bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (in.bad())
            return (void)ctx.fail(0, 0, "cannot read the file");
        std::string text;
        if (crOnly) {
            text = std::move(bytes);
            std::replace(text.begin(), text.end(), '\r', '\n');
        } else if (!utf16ToUtf8(std::string_view(bytes).substr(2), be, &text)) {
            return (void)ctx.fail(0, 0,
                                  std::string("the file starts with a UTF-16 ") +
                                      (be ? "big" : "little") +
                                      "-endian byte order mark but has an odd number of bytes");
        }
        if (!crOnly)
            ctx.warn(0, 0, std::string("converted from UTF-16 ") + (be ? "BE" : "LE"));
        std::istringstream converted(text);
        CsvReader textReader(converted);
        const std::string_view textHead = textReader.prime();
        if (textHead.empty())
            return (void)ctx.fail(0, 0, "the file is empty");
        if (textHead.find('\0') != std::string_view::npos)
            return (void)ctx.fail(0, 0, "the file contains NUL characters: it is not a text table");
        return parseCsvText(textReader, textHead, text.size(), fileName, ctx);
    }
    if (head.find('\0') != std::string_view::npos)
        return (void)ctx.fail(0, 0,
                              "the file contains NUL bytes: it is binary, or UTF-16 without a byte "
                              "order mark (save it as UTF-8)");
    if (const auto bad = invalidUtf8At(head); bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X",
                      static_cast<unsigned>(static_cast<unsigned char>(head[bad])));
        return (void)ctx.fail(0, 0,
                              "the file is not UTF-8 text (byte " + std::string(hex) +
                                  " at offset " + std::to_string(bad) +
                                  "); save it as UTF-8 or UTF-16 with a byte order mark");
    }
    if (const auto first = head.find_first_not_of(" \t\r\n");
        first != std::string_view::npos && (head[first] == '{' || head[first] == '['))
        return (void)ctx.fail(0, 0,
                              "the file looks like JSON; ScaleLens imports CSV tables (for W&B, "
                              "export the run history or chart as CSV)");
    parseCsvText(reader, head, sizeBytes, fileName, ctx);
}

namespace {

void parseCsvText(CsvReader& reader, std::string_view head, std::uint64_t sizeBytes,
                  const std::string& fileName, ParseContext& ctx) {
    ImportResult& result = ctx.result();
    const Sniff s =
        sniff(head, ctx.config(), fileName, &result.warnings, result.source.displayName);
    reader.setDelimiter(s.delimiter);
    if (s.hasHeader)
        reader.next();  // consume the header record
    ColumnLayout layout;
    std::string error;
    std::vector<std::string> notes;
    if (!resolveColumns(s.headers, ctx.config().columnMap, &layout, &error, textSampleOf(s),
                        &notes)) {
        ctx.fail(0, 0, error);
        return;
    }
    for (const auto& note : notes)
        ctx.warn(0, 0, note);
    result.source.format = s.format;
    result.source.delimiter = s.delimiter;
    result.source.decimal = s.decimal;
    result.source.hasHeader = s.hasHeader;
    for (const auto& [key, c] : layout.keyColumn)
        result.source.mapping[key] = s.headers[static_cast<std::size_t>(c)];
    for (const auto& [key, c] : layout.metricOverrides)
        result.source.mapping[key] = s.headers[static_cast<std::size_t>(c)];
    if (s.format == ImportFormat::Summary)
        parseSummary(reader, s, layout, fileName, ctx);
    else
        parseCurves(reader, s, layout, fileName, sizeBytes, ctx);
    // A file without data rows is a mistake (wrong file, truncated export), not an empty import.
    if (result.ok && reader.records() <= (s.hasHeader ? 1 : 0)) {
        ctx.fail(0, 0,
                 reader.records() == 0
                     ? std::string("the file has no data (only blank lines or empty cells)")
                     : std::string("the file has a header line but no data rows"));
        return;
    }
    if (result.ok)
        ctx.progress(1.0);
}

}  // namespace

}  // namespace detail

ImportPreview previewImport(const std::string& path, const ImportConfig& config,
                            std::size_t maxRows) {
    namespace fs = std::filesystem;
    ImportPreview p;
    std::error_code ec;
    const fs::path file = pathFromUtf8(path);
    if (fs::is_directory(file, ec) || config.format == ImportFormat::MLflow ||
        detail::isTensorBoardEventFile(path)) {
        // MLflow and TensorBoard folders have no single table: show the parsed rows instead.
        ImportConfig c = config;
        const ImportResult r = parseImport(path, c);
        p.ok = r.ok;
        p.error = r.error;
        p.format = r.source.format;
        p.columns = {"run", "metric", "step", "wall_time", "value"};
        for (std::size_t i = 0; i < r.metrics.size() && p.rows.size() < maxRows; ++i)
            p.rows.push_back({r.runs[static_cast<std::size_t>(r.metrics.run[i])].name,
                              r.metricNames[static_cast<std::size_t>(r.metrics.metric[i])],
                              std::to_string(r.metrics.step[i]),
                              std::to_string(r.metrics.wallTime[i]),
                              std::to_string(r.metrics.value[i])});
        return p;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        p.error = path + ": cannot open the file for reading";
        return p;
    }
    detail::CsvReader reader(in);
    const std::string_view head = reader.prime();
    if (head.empty()) {
        p.error = utf8FromPath(file.filename()) + ": the file is empty";
        return p;
    }
    const std::string fileName = utf8FromPath(file.filename());
    const detail::Sniff s = detail::sniff(head, config, fileName, nullptr, fileName);
    p.format = s.format;
    p.delimiter = s.delimiter;
    p.decimal = s.decimal;
    p.hasHeader = s.hasHeader;
    p.columns = s.headers;
    reader.setDelimiter(s.delimiter);
    if (s.hasHeader)
        reader.next();
    while (p.rows.size() < maxRows && reader.next()) {
        std::vector<std::string> row;
        for (auto f : reader.fields())
            row.emplace_back(detail::trim(f));
        p.rows.push_back(std::move(row));
    }
    detail::ColumnLayout layout;
    std::string error;
    if (!detail::resolveColumns(s.headers, config.columnMap, &layout, &error,
                                detail::textSampleOf(s), &p.notes)) {
        p.error = error;
        return p;
    }
    for (const auto& [key, c] : layout.keyColumn)
        p.suggestedMapping[key] = s.headers[static_cast<std::size_t>(c)];
    p.ok = true;
    return p;
}

}  // namespace scalelens::data
