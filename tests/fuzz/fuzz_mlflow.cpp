// libFuzzer target: MLflow `mlruns` folders. The input is split at 0x1E bytes into the files of
// one experiment with one run: experiment meta.yaml, run meta.yaml, the run name tag, one param,
// and two metric files (`timestamp value step` lines).
#include <datasets/import.h>

#include <cstdint>

#include "fuzz_support.h"

using namespace scalelens;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view parts[6];
    fuzz::splitParts(data, size, parts);
    const auto root = fuzz::scratchDir() / "mlruns";
    fuzz::removeTree(root);
    const auto exp = root / "1";
    const auto run = exp / "3f2a9c";
    fuzz::writeFile(exp / "meta.yaml", parts[0]);
    fuzz::writeFile(run / "meta.yaml", parts[1]);
    fuzz::writeFile(run / "tags" / "mlflow.runName", parts[2]);
    fuzz::writeFile(run / "params" / "lr", parts[3]);
    fuzz::writeFile(run / "metrics" / "loss", parts[4]);
    fuzz::writeFile(run / "metrics" / "train" / "lr", parts[5]);
    data::ImportConfig config;
    config.format = data::ImportFormat::MLflow;
    for (const auto& path : {root, exp, run}) {
        fuzz::checkImportResult(data::parseImport(path.string(), config));
    }
    return 0;
}
