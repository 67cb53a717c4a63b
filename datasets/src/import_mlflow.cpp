// MLflow file store: mlruns/<experiment>/<run>/metrics/<key> with lines "timestamp value step".
// Run name from tags/mlflow.runName, group from the experiment's meta.yaml `name:`, run fields
// from params/<name> when the name is a known alias (lr, batch_size, ...).
#include <QCryptographicHash>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
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

// Symbolic links are followed only when they stay inside the imported folder: an MLflow folder
// from elsewhere must not make ScaleLens read /etc/passwd as a run name.
class Walker {
  public:
    Walker(const fs::path& root, ParseContext& ctx) : m_ctx(ctx) {
        std::error_code ec;
        m_root = fs::weakly_canonical(root, ec);
        if (ec)
            m_root = root;
    }

    // True for a regular file (or a link to one inside the folder).
    bool file(const fs::path& p) { return kind(p) == fs::file_type::regular; }
    bool dir(const fs::path& p) { return kind(p) == fs::file_type::directory; }

    // Sorted subfolders; false (and the error recorded) when `dir` cannot be read.
    bool children(const fs::path& dir, std::vector<fs::path>* out, bool filesToo = false) {
        out->clear();
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            const auto k = kind(it->path());
            if (k == fs::file_type::directory || (filesToo && k == fs::file_type::regular))
                out->push_back(it->path());
        }
        if (ec)
            return m_ctx.fail(
                0, 0, "cannot read the folder '" + utf8FromPath(dir) + "': " + ec.message());
        std::sort(out->begin(), out->end());
        return true;
    }

    // Regular files under `dir`, recursively, sorted.
    bool files(const fs::path& dir, std::vector<fs::path>* out) {
        std::vector<fs::path> entries;
        if (!children(dir, &entries, true))
            return false;
        for (const auto& e : entries) {
            if (this->dir(e)) {
                std::vector<fs::path> sub;
                if (!files(e, &sub))
                    return false;
                out->insert(out->end(), sub.begin(), sub.end());
            } else {
                out->push_back(e);
            }
        }
        std::sort(out->begin(), out->end());
        return true;
    }

  private:
    fs::file_type kind(const fs::path& p) {
        std::error_code ec;
        const auto link = fs::symlink_status(p, ec);
        if (ec)
            return fs::file_type::not_found;
        if (link.type() != fs::file_type::symlink)
            return link.type();
        const fs::path target = fs::weakly_canonical(p, ec);
        const auto rel = ec ? fs::path("..") : target.lexically_relative(m_root);
        if (ec || rel.empty() || *rel.begin() == "..") {
            if (m_warned.insert(utf8FromPath(p)).second) {
                std::string message = utf8FromPath(p);
                message.append(" is a link out of the imported folder; ignored");
                m_ctx.warn(0, 0, message);
            }
            return fs::file_type::not_found;
        }
        return fs::status(target, ec).type();
    }

    ParseContext& m_ctx;
    fs::path m_root;
    std::set<std::string> m_warned;
};

}  // namespace

void parseMlflow(const std::string& path, ParseContext& ctx) {
    const fs::path root = pathFromUtf8(path);
    Walker walk(root, ctx);
    auto isRunDir = [&](const fs::path& p) { return walk.dir(p / "metrics"); };
    // Run folders with their experiment folder.
    std::vector<std::pair<fs::path, fs::path>> runs;
    if (isRunDir(root)) {
        runs.push_back({root, root.parent_path()});
    } else {
        std::vector<fs::path> children, grandChildren;
        if (!walk.children(root, &children))
            return;
        for (const auto& child : children) {
            if (isRunDir(child)) {
                runs.push_back({child, root});
                continue;
            }
            if (!walk.children(child, &grandChildren))
                return;
            for (const auto& grand : grandChildren)
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
        // The hash covers what makes the import: names, parameters and tags, not only metrics,
        // so a renamed run or a changed parameter is imported again.
        auto hashText = [&](const std::string& label, const std::string& text) {
            hash.addData(QByteArrayView(label.data(), static_cast<qsizetype>(label.size())));
            hash.addData(QByteArrayView("\0", 1));
            hash.addData(QByteArrayView(text.data(), static_cast<qsizetype>(text.size())));
            hash.addData(QByteArrayView("\0", 1));
        };
        if (walk.file(runDir / "tags" / "mlflow.runName"))
            if (auto n = readSmallFile(runDir / "tags" / "mlflow.runName"); !n.empty())
                name = n;
        run.group = ctx.config().group;
        if (run.group.empty()) {
            if (walk.file(expDir / "meta.yaml"))
                run.group = yamlName(expDir / "meta.yaml");
            if (run.group.empty())
                run.group = utf8FromPath(expDir.filename());
        }
        hashText("run", name);
        hashText("group", run.group);
        for (const char* folder : {"params", "tags"}) {
            if (!walk.dir(runDir / folder))
                continue;
            std::vector<fs::path> entries;
            if (!walk.files(runDir / folder, &entries))
                return;
            for (const auto& e : entries) {
                const std::string text = readSmallFile(e);
                hashText(genericUtf8FromPath(fs::relative(e, root, ec)), text);
                if (std::string(folder) != "params")
                    continue;
                const auto match = matchColumn(utf8FromPath(e.filename()));
                if (!match)
                    continue;
                const auto field = runFieldForKey(match->key);
                double v;
                if (field && parseCell(text, '.', &v) == NumberParse::Ok &&
                    std::isfinite(v * match->scale))
                    run.field(*field) = v * match->scale;
            }
        }
        const int r = ctx.run(name, &run);
        if (r < 0)
            return;
        std::vector<fs::path> files;
        if (!walk.files(runDir / "metrics", &files))
            return;
        for (const fs::path& file : files) {
            const std::string key = genericUtf8FromPath(fs::relative(file, runDir / "metrics", ec));
            result.source.displayName =
                genericUtf8FromPath(fs::relative(file, root.parent_path(), ec));
            std::ifstream in(file, std::ios::binary);
            if (!in)
                return (void)ctx.fail(0, 0, "cannot read '" + utf8FromPath(file) + "'");
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
                    } else if (p == NumberParse::NonFinite) {  // inf step or timestamp
                        ctx.warn(lineNo, static_cast<std::int64_t>(i + 1),
                                 std::string("'") + std::string(parts[i]) + "' is not a finite " +
                                     what[i] + "; row dropped");
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
