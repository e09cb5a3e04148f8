// Philox4x32-10 over N counters at once (one per path of a block). Lane l
// gives exactly philox4x32(counter of lane l, key).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wager/random/philox.hpp"

namespace wager::random {

/// The number of counters philox4x32_block advances at once (a block of paths).
inline constexpr std::size_t philox_block_lanes = 32;

template <std::size_t N>
struct Philox4x32Lanes {
  std::array<std::uint32_t, N> w0, w1, w2, w3;  ///< word i of each lane's block
};

/// Ten Philox4x32 rounds on every lane's counter, in place, written as loops
/// over the lanes (the compiler vectorises each round, widening the words to
/// 64 bits for the multiplies). Any N; the reference for philox4x32_block.
template <std::size_t N>
inline void philox4x32_lanes(Philox4x32Lanes<N>& c, Philox4x32Key key) {
  using C = detail::PhiloxConstants<std::uint32_t>;
  std::array<std::uint32_t, N> w0 = c.w0, w1 = c.w1, w2 = c.w2, w3 = c.w3;
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; ++r) {
#pragma omp simd
    for (std::size_t l = 0; l < N; ++l) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(C::m0) * w0[l];
      const std::uint64_t p1 = static_cast<std::uint64_t>(C::m1) * w2[l];
      const auto n0 = static_cast<std::uint32_t>(p1 >> 32) ^ w1[l] ^ k0;
      const auto n2 = static_cast<std::uint32_t>(p0 >> 32) ^ w3[l] ^ k1;
      w1[l] = static_cast<std::uint32_t>(p1);
      w3[l] = static_cast<std::uint32_t>(p0);
      w0[l] = n0;
      w2[l] = n2;
    }
    k0 += C::w0;
    k1 += C::w1;
  }
  c.w0 = w0;
  c.w1 = w1;
  c.w2 = w2;
  c.w3 = w3;
}

/// The same as philox4x32_lanes for a block of philox_block_lanes counters,
/// about twice as fast: on x86-64 the rounds are written with AVX-512 or AVX2
/// intrinsics (picked when the library loads), multiplying the even and odd
/// 32-bit words in place instead of widening them. Integer arithmetic only,
/// so every version gives the same bits.
void philox4x32_block(Philox4x32Lanes<philox_block_lanes>& c, Philox4x32Key key);

}  // namespace wager::random
