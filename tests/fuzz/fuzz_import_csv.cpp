// libFuzzer target: every CSV layout through parseImport(std::istream&). The first byte picks
// the format (auto-detect most of the time, so detection itself is fuzzed) and the delimiter /
// decimal settings; the rest is the file. Any crash, sanitizer report or NaN in the result is a
// finding (fuzz_support.h: checkImportResult).
#include <datasets/import.h>

#include <cstdint>
#include <sstream>

#include <string>
#include "fuzz_support.h"

using namespace scalelens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::uint8_t selector = data[0];
    static constexpr data::ImportFormat kFormats[] = {
        data::ImportFormat::Auto,  data::ImportFormat::Auto,        data::ImportFormat::Auto,
        data::ImportFormat::Long,  data::ImportFormat::Wide,        data::ImportFormat::Summary,
        data::ImportFormat::WandB, data::ImportFormat::TensorBoard,
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
    fuzz::checkImportResult(data::parseImport(in, config));
    return 0;
}
