// Helpers shared by the libFuzzer targets: a private temporary folder per process, and files
// written into it, so targets that need a path (TensorBoard, MLflow, project files) read real
// files exactly as the importers do.
#pragma once

#include <datasets/import.h>

#include <cmath>
#include <cstdlib>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace scalelens::fuzz {

// One folder per fuzzing process (libFuzzer may run several jobs side by side).
inline const std::filesystem::path& scratchDir() {
    static const std::filesystem::path dir = [] {
        std::error_code ec;
        auto base = std::filesystem::temp_directory_path(ec);
        if (ec)
            base = ".";
        auto d = base / ("scalelens-fuzz-" + std::to_string(std::random_device{}()));
        std::filesystem::create_directories(d, ec);
        return d;
    }();
    return dir;
}

inline void writeFile(const std::filesystem::path& path, std::string_view bytes) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void removeTree(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

// Splits fuzz input into `n` parts at the separator byte 0x1E (ASCII record separator); missing
// parts are empty. Lets one input describe several files.
template <std::size_t N>
inline void splitParts(const std::uint8_t* data, std::size_t size, std::string_view (&parts)[N]) {
    std::string_view all(reinterpret_cast<const char*>(data), size);
    for (std::size_t i = 0; i < N; ++i) {
        if (i + 1 == N) {
            parts[i] = all;
            break;
        }
        const auto cut = all.find('\x1e');
        parts[i] = all.substr(0, cut);
        all = cut == std::string_view::npos ? std::string_view{} : all.substr(cut + 1);
    }
}

// The importers' contract, checked on every parse: a failure says why; a success stores only
// finite values and names every run. Anything else aborts, so libFuzzer records the input.
inline void checkImportResult(const data::ImportResult& result) {
    if (!result.ok) {
        if (result.error.empty())
            std::abort();
        return;
    }
    for (double v : result.metrics.value)
        if (!std::isfinite(v))
            std::abort();
    for (const auto& run : result.runs)
        if (run.name.empty())
            std::abort();
}

}  // namespace scalelens::fuzz
