#include "sha256.h"

#include <cstring>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define SCALELENS_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace scalelens::data::detail {

namespace {

// FIPS 180-4, Sec. 4.2.2 and 5.3.3.
alignas(16) constexpr std::uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
constexpr std::uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#ifdef SCALELENS_SHA_NI
// Intel SHA extensions: the state is kept as ABEF/CDGH; each sha256rnds2 does two rounds.
__attribute__((target("sha,sse4.1,ssse3"))) void compressShaNi(std::uint32_t state[8],
                                                               const std::uint8_t* data,
                                                               std::size_t blocks) {
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
    __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
    tmp = _mm_shuffle_epi32(tmp, 0xB1);                // CDAB
    state1 = _mm_shuffle_epi32(state1, 0x1B);          // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);       // CDGH
    for (; blocks > 0; --blocks, data += 64) {
        const __m128i abefSave = state0;
        const __m128i cdghSave = state1;
        __m128i w[4];
        for (int i = 0; i < 16; ++i) {
            __m128i& cur = w[i & 3];
            if (i < 4) {
                cur = _mm_shuffle_epi8(
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byteSwap);
            } else {
                // W[t..t+3] = msg2(msg1(W[t-16..], W[t-12..]) + W[t-7..t-4], W[t-4..t-1])
                const __m128i& prev1 = w[(i - 1) & 3];
                const __m128i& prev2 = w[(i - 2) & 3];
                const __m128i& prev3 = w[(i - 3) & 3];
                __m128i x = _mm_sha256msg1_epu32(cur, prev3);
                x = _mm_add_epi32(x, _mm_alignr_epi8(prev1, prev2, 4));
                cur = _mm_sha256msg2_epu32(x, prev1);
            }
            __m128i msg = _mm_add_epi32(
                cur, _mm_load_si128(reinterpret_cast<const __m128i*>(&kRound[4 * i])));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
        }
        state0 = _mm_add_epi32(state0, abefSave);
        state1 = _mm_add_epi32(state1, cdghSave);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);     // ABEF -> HGFE
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), state0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), state1);
}
#endif

}  // namespace

bool Sha256::hardwareAccelerated() {
#ifdef SCALELENS_SHA_NI
    // CPUID directly: Clang 14 (Debian 12) rejects __builtin_cpu_supports("sha").
    static const bool supported = [] {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (!__get_cpuid(1, &a, &b, &c, &d))
            return false;
        const bool ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
        if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
            return false;
        const bool sha = b & (1u << 29);
        return ssse3 && sse41 && sha;
    }();
    return supported;
#else
    return false;
#endif
}

Sha256::Sha256() : Sha256(true) {}

Sha256::Sha256(bool allowHardware) : m_hardware(allowHardware && hardwareAccelerated()) {
    std::memcpy(m_state.data(), kInitial, sizeof kInitial);
}

void Sha256::compress(const std::uint8_t* blocks, std::size_t count) {
#ifdef SCALELENS_SHA_NI
    compressShaNi(m_state.data(), blocks, count);
#else
    (void)blocks;
    (void)count;
#endif
}

void Sha256::update(const void* data, std::size_t size) {
    if (!m_hardware) {
        m_qt.addData(QByteArrayView(static_cast<const char*>(data), static_cast<qsizetype>(size)));
        return;
    }
    const auto* p = static_cast<const std::uint8_t*>(data);
    m_total += size;
    if (m_pendingSize > 0) {
        const std::size_t take = std::min(size, 64 - m_pendingSize);
        std::memcpy(m_pending.data() + m_pendingSize, p, take);
        m_pendingSize += take;
        p += take;
        size -= take;
        if (m_pendingSize < 64)
            return;
        compress(m_pending.data(), 1);
        m_pendingSize = 0;
    }
    if (size >= 64) {
        compress(p, size / 64);
        p += size / 64 * 64;
        size %= 64;
    }
    std::memcpy(m_pending.data(), p, size);
    m_pendingSize = size;
}

std::string Sha256::hexDigest() {
    if (!m_hardware)
        return m_qt.result().toHex().toStdString();
    // Padding: 0x80, zeros, then the bit length big-endian, to a multiple of 64 bytes.
    const std::uint64_t bits = m_total * 8;
    std::uint8_t tail[128] = {};
    std::memcpy(tail, m_pending.data(), m_pendingSize);
    tail[m_pendingSize] = 0x80;
    const std::size_t length = m_pendingSize + 1 + 8 <= 64 ? 64 : 128;
    for (int i = 0; i < 8; ++i)
        tail[length - 1 - static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (8 * i));
    compress(tail, length / 64);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (std::uint32_t word : m_state)
        for (int shift = 28; shift >= 0; shift -= 4)
            out.push_back(hex[(word >> shift) & 0xF]);
    return out;
}

}  // namespace scalelens::data::detail
