// TensorBoard event files (events.out.tfevents.*), read natively: TFRecord framing with both
// masked CRC-32C checked, Event/Summary protobuf messages (proto/tensorboard_event.proto),
// scalar values from simple_value (TF1, PyTorch) or scalar tensors (TF2).
//
// Run names: for a log directory, the first directory below it (logs/<run>/events...); a file
// directly in the given directory takes that directory's name, a single file its parent
// directory's name. Deeper folders (logs/<run>/train/events..., as Keras writes) prefix the
// tag: metric "train/epoch_loss". A tag whose last part means tokens or FLOPs (tokens,
// train/tokens_seen, flops, ...; or the tag named by --map tokens=<tag> / flops=<tag>) is not
// a metric: it becomes the tokens / FLOPs axis of the other tags at the same step.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <QCryptographicHash>

#include "datasets/tfrecord.h"
#include "datasets/utf8_path.h"
#include "import_columns.h"
#include "import_parser.h"
#include "tensorboard_event.pb.h"

namespace scalelens::data::detail {

namespace fs = std::filesystem;

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Point {
    double step, wall, value;
};

struct RunCurves {
    std::vector<std::string> tagOrder;
    std::map<std::string, std::vector<Point>> tags;
    void add(const std::string& tag, Point p) {
        auto [it, inserted] = tags.try_emplace(tag);
        if (inserted)
            tagOrder.push_back(tag);
        it->second.push_back(p);
    }
};

std::uint64_t readLe(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

// The scalar in a summary value, if it holds one.
std::optional<double> scalarOf(const tb::Summary::Value& v) {
    if (v.has_metadata() && v.metadata().has_plugin_data()) {
        const std::string& plugin = v.metadata().plugin_data().plugin_name();
        if (!plugin.empty() && plugin != "scalars")
            return std::nullopt;
    }
    if (v.value_case() == tb::Summary::Value::kSimpleValue)
        return static_cast<double>(v.simple_value());
    if (v.value_case() != tb::Summary::Value::kTensor)
        return std::nullopt;
    const tb::TensorProto& t = v.tensor();
    for (const auto& d : t.tensor_shape().dim())
        if (d.size() != 1)
            return std::nullopt;
    const std::string& raw = t.tensor_content();
    if (t.dtype() == tb::DT_FLOAT) {
        if (raw.size() == 4) {
            const std::uint32_t bits = static_cast<std::uint32_t>(
                readLe(reinterpret_cast<const unsigned char*>(raw.data()), 4));
            float f;
            std::memcpy(&f, &bits, 4);
            return static_cast<double>(f);
        }
        if (raw.empty() && t.float_val_size() == 1)
            return static_cast<double>(t.float_val(0));
    } else if (t.dtype() == tb::DT_DOUBLE) {
        if (raw.size() == 8) {
            const std::uint64_t bits =
                readLe(reinterpret_cast<const unsigned char*>(raw.data()), 8);
            double d;
            std::memcpy(&d, &bits, 8);
            return d;
        }
        if (raw.empty() && t.double_val_size() == 1)
            return t.double_val(0);
    }
    return std::nullopt;
}

std::string joinTag(const std::string& prefix, const std::string& tag) {
    return prefix.empty() ? tag : prefix + "/" + tag;
}

// Axis role of a tag: "tokens", "flops" or empty.
std::string axisOf(const std::string& tag, const ImportConfig& config) {
    for (const auto& [key, column] : config.columnMap) {
        const std::string k = canonicalKey(key);
        if ((k == "tokens" || k == "flops") && column == tag)
            return k;
    }
    std::string last = tag.substr(tag.rfind('/') == std::string::npos ? 0 : tag.rfind('/') + 1);
    const auto match = matchColumn(last);
    if (match && (match->key == "tokens" || match->key == "flops"))
        return match->key;
    return {};
}

}  // namespace

bool isTensorBoardEventFile(const std::string& path) {
    return utf8FromPath(pathFromUtf8(path).filename()).find("tfevents") != std::string::npos;
}

bool isTensorBoardLogDir(const std::string& path) {
    std::error_code ec;
    if (!fs::is_directory(pathFromUtf8(path), ec))
        return false;
    for (auto it = fs::recursive_directory_iterator(pathFromUtf8(path), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && isTensorBoardEventFile(utf8FromPath(it->path())))
            return true;
    return false;
}

void parseTensorBoard(const std::string& path, ParseContext& ctx) {
    ImportResult& result = ctx.result();
    const ImportConfig& config = ctx.config();
    std::error_code ec;
    const fs::path given = pathFromUtf8(path);
    const bool single = !fs::is_directory(given, ec);
    // Folder the run names are relative to.
    const fs::path root = single ? given.parent_path() : given;
    const auto dirName = [](const fs::path& p) {
        const fs::path abs = fs::absolute(p);
        std::string n = utf8FromPath(abs.filename());
        if (n.empty() || n == ".")
            n = utf8FromPath(abs.parent_path().filename());
        return n;
    };
    std::vector<fs::path> files;
    if (single) {
        files.push_back(given);
    } else {
        for (auto it = fs::recursive_directory_iterator(given, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec) && isTensorBoardEventFile(utf8FromPath(it->path())))
                files.push_back(it->path());
        std::sort(files.begin(), files.end());
    }
    if (files.empty()) {
        ctx.fail(0, 0, "no TensorBoard event files (events.out.tfevents.*) under this folder");
        return;
    }

    std::vector<std::string> runOrder;
    std::map<std::string, RunCurves> runs;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    std::size_t done = 0;
    for (const fs::path& file : files) {
        // Run and tag prefix from the folders between the root and the file.
        std::string run = config.runName, prefix;
        const fs::path rel = single ? file.filename() : fs::relative(file, root, ec);
        std::vector<std::string> dirs;
        for (const auto& part : rel.parent_path())
            dirs.push_back(utf8FromPath(part));
        if (run.empty())
            run = dirs.empty() ? dirName(single ? file.parent_path() : root) : dirs.front();
        for (std::size_t i = 1; i < dirs.size(); ++i)
            prefix = joinTag(prefix, dirs[i]);
        result.source.displayName = single ? genericUtf8FromPath(file.filename())
                                           : genericUtf8FromPath(pathFromUtf8(dirName(root)) / rel);

        std::ifstream in(file, std::ios::binary);
        if (!in) {
            ctx.fail(0, 0, "cannot open the file for reading");
            return;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string bytes = ss.str();
        result.source.sizeBytes += single ? 0 : bytes.size();
        const std::string relText = genericUtf8FromPath(rel);
        hash.addData(QByteArrayView(relText.data(), static_cast<qsizetype>(relText.size())));
        hash.addData(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())));

        const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        std::size_t offset = 0;
        std::int64_t record = 0;
        if (!runs.count(run))
            runOrder.push_back(run);
        RunCurves& curves = runs[run];
        while (offset < bytes.size()) {
            ++record;
            const std::string at =
                "record " + std::to_string(record) + " at byte " + std::to_string(offset);
            const std::size_t left = bytes.size() - offset;
            if (left < 12) {
                ctx.warn(0, 0,
                         at +
                             ": truncated at the end of the file (the run may still be "
                             "writing); the " +
                             std::to_string(record - 1) + " complete records before it are read");
                break;
            }
            const std::uint64_t length = readLe(data + offset, 8);
            const auto lengthCrc = static_cast<std::uint32_t>(readLe(data + offset + 8, 4));
            if (maskCrc32c(crc32c(data + offset, 8)) != lengthCrc)
                return (void)ctx.fail(0, 0, at + ": CRC mismatch");
            if (length > left - 12 || left - 12 - length < 4) {
                ctx.warn(0, 0,
                         at +
                             ": truncated at the end of the file (the run may still be "
                             "writing); the " +
                             std::to_string(record - 1) + " complete records before it are read");
                break;
            }
            const unsigned char* payload = data + offset + 12;
            const auto dataCrc = static_cast<std::uint32_t>(readLe(payload + length, 4));
            if (maskCrc32c(crc32c(payload, length)) != dataCrc)
                return (void)ctx.fail(0, 0, at + ": CRC mismatch");
            tb::Event event;
            if (!event.ParseFromArray(payload, static_cast<int>(length)))
                return (void)ctx.fail(0, 0, at + ": not a TensorBoard Event message");
            offset += 12 + length + 4;
            if (!event.has_summary())
                continue;
            for (const auto& v : event.summary().value()) {
                const auto value = scalarOf(v);
                if (!value)
                    continue;
                const std::string tag = joinTag(prefix, v.tag());
                if (!std::isfinite(*value)) {
                    ctx.warn(0, 0,
                             at + ": tag '" + tag + "' at step " + std::to_string(event.step()) +
                                 " is not a finite number; treated as missing");
                    continue;
                }
                curves.add(tag, {static_cast<double>(event.step()), event.wall_time(), *value});
            }
        }
        if (!ctx.progress(0.9 * static_cast<double>(++done) / static_cast<double>(files.size())))
            return;
    }
    result.source.displayName = single ? utf8FromPath(given.filename()) : dirName(given);
    if (!single)
        result.source.sha256 = hash.result().toHex().toStdString();

    int emitted = 0;
    for (const std::string& name : runOrder) {
        const RunCurves& curves = runs[name];
        std::map<double, double> tokensAt, flopsAt;
        std::vector<std::string> metrics;
        for (const std::string& tag : curves.tagOrder) {
            const std::string axis = axisOf(tag, config);
            auto* to = axis == "tokens" ? &tokensAt : axis == "flops" ? &flopsAt : nullptr;
            if (!to) {
                metrics.push_back(tag);
                continue;
            }
            for (const Point& p : curves.tags.at(tag))
                (*to)[p.step] = p.value;
        }
        if (metrics.empty())
            continue;
        Run fields;
        fields.group = config.group;
        const int r = ctx.run(name, &fields);
        if (r < 0)
            return;
        ++emitted;
        const auto lookup = [](const std::map<double, double>& m, double step) {
            const auto it = m.find(step);
            return it == m.end() ? kMissing : it->second;
        };
        for (const std::string& tag : metrics) {
            const int m = ctx.metric(tag);
            if (m < 0)
                return;
            for (const Point& p : curves.tags.at(tag))
                if (!ctx.addRow(r, m, p.step, lookup(tokensAt, p.step), lookup(flopsAt, p.step),
                                p.wall, p.value))
                    return;
        }
    }
    if (emitted == 0)
        ctx.fail(0, 0, "no scalar summaries (simple_value or scalar tensors) in the event files");
}

}  // namespace scalelens::data::detail
