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

template <class U>
struct PhiloxConstants;
template <>
struct PhiloxConstants<std::uint32_t> {
  using Wide = std::uint64_t;
  static constexpr int bits = 32;
  static constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  static constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
};
template <>
struct PhiloxConstants<std::uint64_t> {
  using Wide = u128;
  static constexpr int bits = 64;
  static constexpr std::uint64_t m0 = 0xD2E7470EE14C6C93ull, m1 = 0xCA5A826395121157ull;
  static constexpr std::uint64_t w0 = 0x9E3779B97F4A7C15ull, w1 = 0xBB67AE8584CAA73Bull;
};

/// Philox4 rounds on words U: multiply, split into high and low halves, mix
/// with the key, bump the key by the Weyl constants between rounds.
template <class U>
std::array<U, 4> philox4(std::array<U, 4> c, std::array<U, 2> k, int rounds) {
  using C = PhiloxConstants<U>;
  using W = typename C::Wide;
  for (int r = 0; r < rounds; ++r) {
    if (r > 0) {
      k[0] += C::w0;
      k[1] += C::w1;
    }
    const W p0 = static_cast<W>(C::m0) * c[0];
    const W p1 = static_cast<W>(C::m1) * c[2];
    const auto hi0 = static_cast<U>(p0 >> C::bits), lo0 = static_cast<U>(p0);
    const auto hi1 = static_cast<U>(p1 >> C::bits), lo1 = static_cast<U>(p1);
    c = {static_cast<U>(hi1 ^ c[1] ^ k[0]), lo1, static_cast<U>(hi0 ^ c[3] ^ k[1]), lo0};
  }
  return c;
}
}  // namespace detail

/// Philox4x32 with `rounds` rounds (10 is the standard).
inline Philox4x32Ctr philox4x32(Philox4x32Ctr c, Philox4x32Key k, int rounds = 10) {
  return detail::philox4<std::uint32_t>(c, k, rounds);
}

/// Philox4x64 with `rounds` rounds (10 is the standard; numpy.random.Philox).
inline Philox4x64Ctr philox4x64(Philox4x64Ctr c, Philox4x64Key k, int rounds = 10) {
  return detail::philox4<std::uint64_t>(c, k, rounds);
}

}  // namespace wager::random
