// SHA-256 (FIPS 180-4) for import de-duplication. Uses the x86 SHA extensions when the CPU has
// them (about ten times faster than QCryptographicHash, which matters for 50 MB logs) and
// QCryptographicHash otherwise. Both produce the same digest; a test compares them.
#pragma once

#include <QCryptographicHash>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace scalelens::data::detail {

class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t size);
    std::string hexDigest();  // finishes the hash

    // True when this machine uses the SHA-extension path.
    static bool hardwareAccelerated();
    // For tests: force the portable (QCryptographicHash) path.
    explicit Sha256(bool allowHardware);

  private:
    void compress(const std::uint8_t* blocks, std::size_t count);

    bool m_hardware = false;
    QCryptographicHash m_qt{QCryptographicHash::Sha256};
    std::array<std::uint32_t, 8> m_state{};
    std::array<std::uint8_t, 64> m_pending{};
    std::size_t m_pendingSize = 0;
    std::uint64_t m_total = 0;
};

}  // namespace scalelens::data::detail
