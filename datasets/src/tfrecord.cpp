#include "datasets/tfrecord.h"

#include <array>

namespace scalelens::data {

namespace {
constexpr std::array<std::uint32_t, 256> makeTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1u) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[i] = c;
    }
    return table;
}
constexpr std::array<std::uint32_t, 256> kTable = makeTable();

void appendLe(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}
}  // namespace

std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc) {
    const auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i)
        crc = kTable[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

void appendTfRecord(std::string& out, std::string_view data) {
    std::string length;
    appendLe(length, data.size(), 8);
    out += length;
    appendLe(out, maskCrc32c(crc32c(length.data(), length.size())), 4);
    out.append(data);
    appendLe(out, maskCrc32c(crc32c(data.data(), data.size())), 4);
}

}  // namespace scalelens::data
