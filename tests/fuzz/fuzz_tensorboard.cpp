// libFuzzer target: TensorBoard event files (TFRecord framing, CRC-32C, protobuf Event /
// Summary). The input is written as one events.out.tfevents.* file in a run folder and imported
// the way `scalelens-cli import logdir/` does. Run with -use_value_profile=1 to get past CRCs
// faster; the seed corpus holds valid files written by the test suite's writer.
#include <datasets/import.h>

#include <cstdint>

#include "fuzz_support.h"

using namespace scalelens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto logdir = fuzz::scratchDir() / "tb";
    const auto file = logdir / "run-a" / "events.out.tfevents.1700000000.host.1.v2";
    fuzz::writeFile(file, std::string_view(reinterpret_cast<const char*>(data), size));
    data::ImportConfig config;
    config.format = data::ImportFormat::TensorBoard;
    for (const auto& path : {logdir.string(), file.string()}) {
        fuzz::checkImportResult(data::parseImport(path, config));
    }
    return 0;
}
