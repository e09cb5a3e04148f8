// Philox4x32-10 and Philox4x64-10 counter-based generators (Salmon et al.,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11), as in Random123.
// A block of random bits is a pure function of (counter, key): paths and
// steps get their own counters, so any thread can draw any path's numbers.
#pragma once

#include <array>
#include <cstdint>

namespace wager::random {

using Philox4x32Ctr = std::array<std::uint32_t, 4>;
using Philox4x32Key = std::array<std::uint32_t, 2>;
using Philox4x64Ctr = std::array<std::uint64_t, 4>;
using Philox4x64Key = std::array<std::uint64_t, 2>;

namespace detail {
__extension__ using u128 = unsigned __int128;

inline void mulhilo32(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}
inline void mulhilo64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi, std::uint64_t& lo) {
  const u128 p = static_cast<u128>(a) * b;
  hi = static_cast<std::uint64_t>(p >> 64);
  lo = static_cast<std::uint64_t>(p);
}
}  // namespace detail

/// Philox4x32 with `rounds` rounds (10 is the standard).
inline Philox4x32Ctr philox4x32(Philox4x32Ctr c, Philox4x32Key k, int rounds = 10) {
  constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int r = 0; r < rounds; ++r) {
    if (r > 0) {
      k[0] += w0;
      k[1] += w1;
    }
    std::uint32_t hi0, lo0, hi1, lo1;
    detail::mulhilo32(m0, c[0], hi0, lo0);
    detail::mulhilo32(m1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
  }
  return c;
}

/// Philox4x64 with `rounds` rounds (10 is the standard; numpy.random.Philox).
inline Philox4x64Ctr philox4x64(Philox4x64Ctr c, Philox4x64Key k, int rounds = 10) {
  constexpr std::uint64_t m0 = 0xD2E7470EE14C6C93ull, m1 = 0xCA5A826395121157ull;
  constexpr std::uint64_t w0 = 0x9E3779B97F4A7C15ull, w1 = 0xBB67AE8584CAA73Bull;
  for (int r = 0; r < rounds; ++r) {
    if (r > 0) {
      k[0] += w0;
      k[1] += w1;
    }
    std::uint64_t hi0, lo0, hi1, lo1;
    detail::mulhilo64(m0, c[0], hi0, lo0);
    detail::mulhilo64(m1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
  }
  return c;
}

}  // namespace wager::random
