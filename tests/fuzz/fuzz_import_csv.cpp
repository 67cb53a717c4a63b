// libFuzzer target: every CSV layout through parseImport(std::istream&). The first byte picks
// the format (auto-detect most of the time, so detection itself is fuzzed) and the delimiter /
// decimal settings; the rest is the file. Any crash, sanitizer report or NaN in the result is a
// finding.
#include <datasets/import.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace scalelens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::uint8_t selector = data[0];
    static constexpr data::ImportFormat kFormats[] = {
        data::ImportFormat::Auto,    data::ImportFormat::Auto,        data::ImportFormat::Auto,
        data::ImportFormat::Long,    data::ImportFormat::Wide,        data::ImportFormat::Summary,
        data::ImportFormat::WandB,   data::ImportFormat::TensorBoard,
    };
    data::ImportConfig config;
    config.format = kFormats[selector % 8];
    static constexpr char kDelimiters[] = {0, 0, ',', ';', '\t'};
    config.delimiter = kDelimiters[(selector >> 3) % 5];
    if (selector & 0x80)
        config.decimal = ',';
    config.sourceName = "fuzz.csv";
    config.batchRows = 64;  // exercise the batching path on small inputs
    std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
    const data::ImportResult result = data::parseImport(in, config);
    if (!result.ok) {
        if (result.error.empty())
            std::abort();  // a failure must say why
        return 0;
    }
    // Stored values are always finite (the importer's contract).
    for (double v : result.metrics.value)
        if (!std::isfinite(v))
            std::abort();
    for (const auto& run : result.runs)
        if (run.name.empty())
            std::abort();
    return 0;
}
