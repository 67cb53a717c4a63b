// TensorBoard event files read natively: CRC-32C, TFRecord framing, scalar summaries (simple
// values and TF2 scalar tensors), run names from folders, corrupt and truncated files.
#include <datasets/tfrecord.h>
#include <cmath>
#include <cstring>
#include <filesystem>

#include "scalelens_catch.h"
#include "tensorboard_writer.h"
#include "test_helpers.h"

using namespace scalelens;
using data::ImportFormat;
namespace fs = std::filesystem;

namespace {
// Index of a metric row for (run name, metric, step), or -1.
long rowOf(const data::ImportResult& r, const std::string& run, const std::string& metric,
           double step) {
    for (std::size_t i = 0; i < r.metrics.size(); ++i)
        if (r.runs[static_cast<std::size_t>(r.metrics.run[i])].name == run &&
            r.metricNames[static_cast<std::size_t>(r.metrics.metric[i])] == metric &&
            r.metrics.step[i] == step)
            return static_cast<long>(i);
    return -1;
}

// logs/gpt-s1 written PyTorch-style, logs/gpt-s2 TF2-style; each with train/loss, train/lr,
// val/loss at evaluation steps and a train/tokens tag.
fs::path writeSweep(const test::TempDir& tmp) {
    const fs::path logs = tmp.path("logs");
    test::EventWriter a;
    for (int step = 0; step <= 400; step += 100) {
        const double wall = 1700000000.0 + step;
        a.scalar("train/loss", step, 10.0f - 0.01f * static_cast<float>(step), wall);
        a.scalar("train/lr", step, step == 0 ? 1e-4f : 6e-4f, wall);
        a.scalar("train/tokens", step, static_cast<float>(step) * 1024.0f, wall);
        if (step % 200 == 0)
            a.scalar("val/loss", step, 9.5f - 0.01f * static_cast<float>(step), wall + 0.5);
    }
    a.nonScalars(400);
    a.save(logs / "gpt-s1" / "events.out.tfevents.1700000000.host.1.0");
    test::EventWriter b;
    b.tensorFloat("train/loss", 0, 11.0f, 1700001000.0);
    b.tensorDouble("train/loss", 100, 8.25, 1700001100.0);
    b.tensorDouble("val/loss", 100, 8.5, 1700001100.0);
    b.save(logs / "gpt-s2" / "events.out.tfevents.1700001000.host.2.0");
    return logs;
}
}  // namespace

TEST_CASE("CRC-32C matches the RFC 3720 check values", "[import][tensorboard]") {
    CHECK(data::crc32c("123456789", 9) == 0xE3069283u);
    CHECK(data::crc32c("", 0) == 0u);
    const std::string zeros(32, '\0'), ones(32, '\xff');
    CHECK(data::crc32c(zeros.data(), zeros.size()) == 0x8A9136AAu);  // RFC 3720 B.4
    CHECK(data::crc32c(ones.data(), ones.size()) == 0x62A8AB43u);
    // Continuing a CRC over two pieces equals one pass.
    CHECK(data::crc32c("6789", 4, data::crc32c("12345", 5)) == 0xE3069283u);
    // TFRecord framing: 8-byte length, masked CRC, data, masked CRC.
    std::string framed;
    data::appendTfRecord(framed, "abc");
    REQUIRE(framed.size() == 8 + 4 + 3 + 4);
    CHECK(framed.substr(12, 3) == "abc");
    std::uint32_t stored;
    std::memcpy(&stored, framed.data() + 15, 4);
    CHECK(stored == data::maskCrc32c(0x364B3FB7u));  // crc32c("abc"), computed independently
}

TEST_CASE("TensorBoard log folder: runs from folders, scalar tags as metrics",
          "[import][tensorboard]") {
    test::TempDir tmp;
    const fs::path logs = writeSweep(tmp);
    const auto r = data::parseImport(logs.string(), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.source.format == ImportFormat::TensorBoard);
    CHECK(r.source.sha256.size() == 64);
    REQUIRE(r.runs.size() == 2);
    CHECK(r.runs[0].name == "gpt-s1");
    CHECK(r.runs[1].name == "gpt-s2");
    // train/tokens is the tokens axis, not a metric; histograms and text are skipped.
    CHECK(r.metricNames == std::vector<std::string>{"train/loss", "train/lr", "val/loss"});
    const long loss300 = rowOf(r, "gpt-s1", "train/loss", 300);
    REQUIRE(loss300 >= 0);
    CHECK(r.metrics.value[static_cast<std::size_t>(loss300)] == Approx(7.0).epsilon(1e-6));
    CHECK(r.metrics.tokens[static_cast<std::size_t>(loss300)] == 300 * 1024.0);
    CHECK(r.metrics.wallTime[static_cast<std::size_t>(loss300)] == 1700000300.0);
    const long val200 = rowOf(r, "gpt-s1", "val/loss", 200);
    REQUIRE(val200 >= 0);
    CHECK(r.metrics.wallTime[static_cast<std::size_t>(val200)] == 1700000200.5);
    CHECK(rowOf(r, "gpt-s1", "val/loss", 100) < 0);  // no evaluation at step 100
    // The LR curve is kept, warm-up value included.
    const long lr0 = rowOf(r, "gpt-s1", "train/lr", 0);
    REQUIRE(lr0 >= 0);
    CHECK(r.metrics.value[static_cast<std::size_t>(lr0)] == Approx(1e-4).epsilon(1e-6));
    // TF2 scalar tensors: DT_FLOAT tensor_content and DT_DOUBLE double_val.
    const long s2a = rowOf(r, "gpt-s2", "train/loss", 0),
               s2b = rowOf(r, "gpt-s2", "train/loss", 100);
    REQUIRE(s2a >= 0);
    REQUIRE(s2b >= 0);
    CHECK(r.metrics.value[static_cast<std::size_t>(s2a)] == 11.0);
    CHECK(r.metrics.value[static_cast<std::size_t>(s2b)] == 8.25);
    CHECK(std::isnan(r.metrics.tokens[static_cast<std::size_t>(s2b)]));
}

TEST_CASE("TensorBoard: single files, nested folders and the run name option",
          "[import][tensorboard]") {
    test::TempDir tmp;
    const fs::path logs = writeSweep(tmp);
    const fs::path file = logs / "gpt-s2" / "events.out.tfevents.1700001000.host.2.0";
    const auto one = data::parseImport(file.string(), {});
    INFO(one.error);
    REQUIRE(one.ok);
    CHECK(one.source.format == ImportFormat::TensorBoard);
    CHECK(one.source.sha256.size() == 64);
    REQUIRE(one.runs.size() == 1);
    CHECK(one.runs[0].name == "gpt-s2");  // the folder holding the file
    data::ImportConfig named;
    named.runName = "renamed";
    CHECK(data::parseImport(file.string(), named).runs.at(0).name == "renamed");

    // Keras layout: logs/<run>/train/events..., logs/<run>/validation/events...
    test::EventWriter train, validation;
    train.scalar("epoch_loss", 1, 3.5f, 1.0);
    validation.scalar("epoch_loss", 1, 3.75f, 1.0);
    const fs::path keras = tmp.path("keras");
    train.save(keras / "run7" / "train" / "events.out.tfevents.1.host");
    validation.save(keras / "run7" / "validation" / "events.out.tfevents.1.host");
    const auto k = data::parseImport(keras.string(), {});
    INFO(k.error);
    REQUIRE(k.ok);
    REQUIRE(k.runs.size() == 1);
    CHECK(k.runs[0].name == "run7");
    CHECK(k.metricNames == std::vector<std::string>{"train/epoch_loss", "validation/epoch_loss"});
    // Event files directly in the given folder: the folder names the run.
    const auto flat = data::parseImport((keras / "run7" / "train").string(), {});
    REQUIRE(flat.ok);
    CHECK(flat.runs.at(0).name == "train");
}

TEST_CASE("TensorBoard: a corrupt record fails with its number and byte, nothing written",
          "[import][tensorboard]") {
    test::TempDir tmp;
    const fs::path logs = writeSweep(tmp);
    const fs::path file = logs / "gpt-s1" / "events.out.tfevents.1700000000.host.1.0";
    test::EventWriter w;
    w.scalar("train/loss", 0, 5.0f, 1.0);
    w.scalar("train/loss", 1, 4.0f, 2.0);
    w.scalar("train/loss", 2, 3.0f, 3.0);
    w.bytes()[w.offsets()[2] + 12 + 3] ^= 0x01;  // one bit in record 3's data
    w.save(file);
    const std::string expected =
        "gpt-s1/events.out.tfevents.1700000000.host.1.0: record 3 at byte " +
        std::to_string(w.offsets()[2]) + ": CRC mismatch";
    const auto r = data::parseImport(logs.string(), {});
    CHECK_FALSE(r.ok);
    CHECK(r.error == "logs/" + expected);
    // A damaged length field is caught by the length CRC.
    w.bytes()[w.offsets()[2] + 12 + 3] ^= 0x01;
    w.bytes()[w.offsets()[1]] ^= 0x40;
    w.save(file);
    CHECK(data::parseImport(file.string(), {}).error ==
          "events.out.tfevents.1700000000.host.1.0: record 2 at byte " +
              std::to_string(w.offsets()[1]) + ": CRC mismatch");

    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    CHECK_FALSE(project->importFile(logs.string(), {}, &report, &error));
    CHECK(error.find("CRC mismatch") != std::string::npos);
    CHECK(project->runs().empty());
    CHECK(project->imports().empty());
}

TEST_CASE("TensorBoard: a truncated last record is a warning, an event file is never CSV",
          "[import][tensorboard]") {
    test::TempDir tmp;
    test::EventWriter w;
    w.scalar("loss", 0, 5.0f, 1.0);
    w.scalar("loss", 1, 4.0f, 2.0);
    w.bytes().resize(w.bytes().size() - 3);  // the writer was killed mid-record
    const fs::path file = tmp.path("live") + "/events.out.tfevents.9.host";
    w.save(file);
    const auto r = data::parseImport(file.string(), {});
    INFO(r.error);
    REQUIRE(r.ok);
    CHECK(r.metrics.value == std::vector<double>{5.0});
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("record 3 at byte") != std::string::npos);
    CHECK(r.warnings[0].message.find("truncated") != std::string::npos);

    // Text in a file named like an event file is not read as CSV.
    const fs::path fake = tmp.path("fake") + "/events.out.tfevents.1.csv";
    fs::create_directories(fake.parent_path());
    std::ofstream(fake) << "step,loss\n1,2.5\n2,2.25\n3,2.0\n";
    const auto f = data::parseImport(fake.string(), {});
    CHECK_FALSE(f.ok);
    CHECK(f.source.format == ImportFormat::TensorBoard);
    CHECK(f.error.find("record 1 at byte 0: CRC mismatch") != std::string::npos);
    data::ImportConfig asCsv;
    asCsv.format = ImportFormat::Long;
    CHECK_FALSE(data::parseImport(fake.string(), asCsv).ok);
}

TEST_CASE("TensorBoard folder into a project: once, then recognised as a repeat",
          "[import][tensorboard]") {
    test::TempDir tmp;
    const fs::path logs = writeSweep(tmp);
    auto project = test::newProject(tmp);
    std::string error;
    data::ImportReport report;
    REQUIRE(project->importFile(logs.string(), {}, &report, &error));
    INFO(error);
    CHECK(report.format == ImportFormat::TensorBoard);
    CHECK(report.runsAdded == 2);
    const auto runs = project->runs();
    REQUIRE(runs.size() == 2);
    const auto lr = project->metrics(runs[0].id, "train/lr");
    CHECK(lr.size() == 5);
    const auto loss = project->metrics(runs[0].id, "train/loss");
    REQUIRE(loss.size() == 5);
    CHECK(loss.tokens[4] == 400 * 1024.0);
    CHECK(loss.wallTime[4] == 1700000400.0);
    REQUIRE(project->importFile(logs.string(), {}, &report, &error));
    CHECK(report.duplicateOfImport != 0);
}
