// MLflow file store: mlruns/<experiment>/<run>/metrics/<key> with lines "timestamp value step".
// Run name from tags/mlflow.runName, group from the experiment's meta.yaml `name:`, run fields
// from params/<name> when the name is a known alias (lr, batch_size, ...).
#include <QCryptographicHash>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "csv_reader.h"
#include "datasets/utf8_path.h"
#include "import_columns.h"
#include "import_parser.h"

namespace scalelens::data::detail {

namespace fs = std::filesystem;

namespace {

std::string readSmallFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return std::string(trim(ss.str()));
}

std::string yamlName(const fs::path& meta) {
    std::ifstream in(meta);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("name:", 0) == 0) {
            std::string v(trim(line.substr(5)));
            if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"'))
                v = v.substr(1, v.size() - 2);
            return v;
        }
    return {};
}

bool isRunDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p / "metrics", ec);
}

std::vector<fs::path> sortedChildren(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory(ec))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

void parseMlflow(const std::string& path, ParseContext& ctx) {
    const fs::path root = pathFromUtf8(path);
    // Run folders with their experiment folder.
    std::vector<std::pair<fs::path, fs::path>> runs;
    if (isRunDir(root)) {
        runs.push_back({root, root.parent_path()});
    } else {
        for (const auto& child : sortedChildren(root)) {
            if (isRunDir(child))
                runs.push_back({child, root});
            else
                for (const auto& grand : sortedChildren(child))
                    if (isRunDir(grand))
                        runs.push_back({grand, child});
        }
    }
    if (runs.empty()) {
        ctx.fail(0, 0, "not an MLflow folder: expected <run>/metrics/<key> files under it");
        return;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    ImportResult& result = ctx.result();
    std::size_t done = 0;
    for (const auto& [runDir, expDir] : runs) {
        Run run;
        std::string name = utf8FromPath(runDir.filename());
        std::error_code ec;
        if (fs::is_regular_file(runDir / "tags" / "mlflow.runName", ec))
            if (auto n = readSmallFile(runDir / "tags" / "mlflow.runName"); !n.empty())
                name = n;
        run.group = ctx.config().group;
        if (run.group.empty()) {
            run.group = yamlName(expDir / "meta.yaml");
            if (run.group.empty())
                run.group = utf8FromPath(expDir.filename());
        }
        if (fs::is_directory(runDir / "params", ec))
            for (const auto& e : fs::directory_iterator(runDir / "params", ec)) {
                const auto match = matchColumn(utf8FromPath(e.path().filename()));
                if (!match)
                    continue;
                const auto field = runFieldForKey(match->key);
                double v;
                if (field && parseCell(readSmallFile(e.path()), '.', &v) == NumberParse::Ok)
                    run.field(*field) = v * match->scale;
            }
        const int r = ctx.run(name, &run);
        if (r < 0)
            return;
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(runDir / "metrics", ec);
             it != fs::recursive_directory_iterator(); ++it)
            if (it->is_regular_file(ec))
                files.push_back(it->path());
        std::sort(files.begin(), files.end());
        for (const fs::path& file : files) {
            const std::string key = genericUtf8FromPath(fs::relative(file, runDir / "metrics", ec));
            result.source.displayName =
                genericUtf8FromPath(fs::relative(file, root.parent_path(), ec));
            std::ifstream in(file, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            const std::string text = ss.str();
            result.source.sizeBytes += text.size();
            const std::string rel = genericUtf8FromPath(fs::relative(file, root, ec));
            hash.addData(QByteArrayView(rel.data(), static_cast<qsizetype>(rel.size())));
            hash.addData(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
            const int m = ctx.metric(key);
            if (m < 0)
                return;
            std::istringstream lines(text);
            std::string line;
            std::int64_t lineNo = 0;
            while (std::getline(lines, line)) {
                ++lineNo;
                if (trim(line).empty())
                    continue;
                std::vector<std::string_view> parts;
                std::string_view rest = trim(line);
                while (!rest.empty()) {
                    const auto sp = rest.find_first_of(" \t");
                    parts.push_back(rest.substr(0, sp));
                    if (sp == std::string_view::npos)
                        break;
                    rest = trim(rest.substr(sp + 1));
                }
                if (parts.size() < 2 || parts.size() > 3)
                    return (void)ctx.fail(
                        lineNo, 0,
                        "expected 'timestamp value step', got '" + std::string(trim(line)) + "'");
                static const char* what[] = {"timestamp", "value", "step"};
                double v[3] = {0, 0, std::numeric_limits<double>::quiet_NaN()};
                bool skip = false;
                for (std::size_t i = 0; i < parts.size(); ++i) {
                    const NumberParse p = parseCell(parts[i], '.', &v[i]);
                    if (p == NumberParse::Bad || (p == NumberParse::Empty && i != 1))
                        return (void)ctx.fail(lineNo, static_cast<std::int64_t>(i + 1),
                                              std::string("expected a number (") + what[i] +
                                                  "), got '" + std::string(parts[i]) + "'");
                    if (p != NumberParse::Ok && i == 1) {
                        std::string message(1, '\'');
                        message.append(parts[i]).append(
                            "' is not a finite number; treated as missing");
                        ctx.warn(lineNo, 2, message);
                        skip = true;
                    }
                }
                // MLflow timestamps are Unix milliseconds.
                if (!skip &&
                    !ctx.addRow(r, m, v[2], std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::quiet_NaN(), v[0] / 1000.0, v[1]))
                    return;
            }
        }
        if (!ctx.progress(static_cast<double>(++done) / static_cast<double>(runs.size())))
            return;
    }
    result.source.displayName = utf8FromPath(root.filename());
    result.source.sha256 = hash.result().toHex().toStdString();
}

}  // namespace scalelens::data::detail
