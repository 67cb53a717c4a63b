// TFRecord framing, the container of TensorBoard event files (events.out.tfevents.*):
//
//   uint64 length (little-endian) | uint32 masked CRC-32C of the length bytes |
//   length bytes of data          | uint32 masked CRC-32C of the data
//
// The importer checks both CRCs; tests use appendTfRecord to write event files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace scalelens::data {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `size` bytes, continuing from `crc`
// (0 to start). Check value: crc32c("123456789") == 0xE3069283 (RFC 3720, appendix B.4).
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0);

// TFRecord's masked CRC: rotate right by 15 bits and add 0xa282ead8.
inline std::uint32_t maskCrc32c(std::uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

// Appends one framed record holding `data` to `out`.
void appendTfRecord(std::string& out, std::string_view data);

}  // namespace scalelens::data
