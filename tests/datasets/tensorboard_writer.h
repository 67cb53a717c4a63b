// Writes TensorBoard event files for the tests with the same protobuf messages the importer
// reads (datasets/proto/tensorboard_event.proto) and TFRecord framing (datasets/tfrecord.h).
#pragma once

#include <datasets/tfrecord.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "tensorboard_event.pb.h"

namespace scalelens::test {

class EventWriter {
  public:
    EventWriter() {
        tb::Event e;
        e.set_wall_time(1700000000.0);
        e.set_file_version("brain.Event:2");
        add(e);
    }
    // TF1 / PyTorch SummaryWriter style.
    void scalar(const std::string& tag, std::int64_t step, float value, double wall) {
        tb::Event e = event(step, wall);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag(tag);
        v->set_simple_value(value);
        add(e);
    }
    // TF2 style: a rank-0 DT_FLOAT tensor with raw tensor_content bytes.
    void tensorFloat(const std::string& tag, std::int64_t step, float value, double wall) {
        tb::Event e = event(step, wall);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag(tag);
        v->mutable_metadata()->mutable_plugin_data()->set_plugin_name("scalars");
        auto* t = v->mutable_tensor();
        t->set_dtype(tb::DT_FLOAT);
        char bytes[4];
        std::memcpy(bytes, &value, 4);  // little-endian hosts only (x86, arm64)
        t->set_tensor_content(std::string(bytes, 4));
        add(e);
    }
    // A rank-0 DT_DOUBLE tensor in double_val.
    void tensorDouble(const std::string& tag, std::int64_t step, double value, double wall) {
        tb::Event e = event(step, wall);
        auto* v = e.mutable_summary()->add_value();
        v->set_tag(tag);
        auto* t = v->mutable_tensor();
        t->set_dtype(tb::DT_DOUBLE);
        t->add_double_val(value);
        add(e);
    }
    // Not a scalar: a [2,3] double tensor (a histogram) and a text-plugin value.
    void nonScalars(std::int64_t step) {
        tb::Event e = event(step, 1700000000.0);
        auto* h = e.mutable_summary()->add_value();
        h->set_tag("weights/hist");
        auto* t = h->mutable_tensor();
        t->set_dtype(tb::DT_DOUBLE);
        t->mutable_tensor_shape()->add_dim()->set_size(2);
        t->mutable_tensor_shape()->add_dim()->set_size(3);
        for (int i = 0; i < 6; ++i)
            t->add_double_val(i);
        auto* text = e.mutable_summary()->add_value();
        text->set_tag("notes");
        text->mutable_metadata()->mutable_plugin_data()->set_plugin_name("text");
        text->mutable_tensor()->set_dtype(tb::DT_FLOAT);
        text->mutable_tensor()->add_float_val(1.0f);
        add(e);
    }
    const std::string& bytes() const { return m_bytes; }
    std::string& bytes() { return m_bytes; }
    // Byte offset where each record starts (record k, 1-based, starts at offsets[k-1]).
    const std::vector<std::size_t>& offsets() const { return m_offsets; }
    void save(const std::filesystem::path& path) const {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << m_bytes;
    }

  private:
    static tb::Event event(std::int64_t step, double wall) {
        tb::Event e;
        e.set_step(step);
        e.set_wall_time(wall);
        return e;
    }
    void add(const tb::Event& e) {
        m_offsets.push_back(m_bytes.size());
        data::appendTfRecord(m_bytes, e.SerializeAsString());
    }
    std::string m_bytes;
    std::vector<std::size_t> m_offsets;
};

}  // namespace scalelens::test
