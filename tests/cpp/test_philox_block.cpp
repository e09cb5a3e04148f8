// The hand-vectorised Philox block against the scalar generator, lane by
// lane, for every version this processor runs (docs/performance.md).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "philox_block.hpp"
#include "wager/random/philox.hpp"

namespace {

using wager::random::Philox4x32Key;
using Block = wager::random::Philox4x32Lanes<wager::random::philox_block_lanes>;

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::vector<wager::random::PhiloxBlockFunction> versions() {
  std::vector<wager::random::PhiloxBlockFunction> v{wager::random::philox4x32_block_portable,
                                                    wager::random::philox4x32_block};
#if defined(WAGER_HAVE_SIMD_CLONES)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) v.push_back(wager::random::philox4x32_block_avx2);
  if (__builtin_cpu_supports("avx512f")) v.push_back(wager::random::philox4x32_block_avx512);
#endif
  return v;
}

}  // namespace

TEST_CASE("every Philox block version gives the known answer for counter and key zero") {
  for (const auto f : versions()) {
    Block b{};
    f(b, Philox4x32Key{0, 0});
    for (std::size_t l = 0; l < wager::random::philox_block_lanes; ++l) {
      CHECK(b.w0[l] == 0x6627e8d5u);
      CHECK(b.w1[l] == 0xe169c58du);
      CHECK(b.w2[l] == 0xbc57ac4cu);
      CHECK(b.w3[l] == 0x9b00dbd8u);
    }
  }
}

TEST_CASE("every Philox block version equals philox4x32 lane by lane") {
  std::uint64_t seed = 2026;
  const auto fs = versions();
  CHECK(fs.size() >= 2);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t k = splitmix(seed);
    const Philox4x32Key key{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32)};
    Block in{};
    for (std::size_t l = 0; l < wager::random::philox_block_lanes; ++l) {
      const std::uint64_t a = splitmix(seed), b = splitmix(seed);
      in.w0[l] = static_cast<std::uint32_t>(a);
      in.w1[l] = static_cast<std::uint32_t>(a >> 32);
      in.w2[l] = static_cast<std::uint32_t>(b);
      in.w3[l] = static_cast<std::uint32_t>(b >> 32);
    }
    for (const auto f : fs) {
      Block out = in;
      f(out, key);
      for (std::size_t l = 0; l < wager::random::philox_block_lanes; ++l) {
        const auto want = wager::random::philox4x32({in.w0[l], in.w1[l], in.w2[l], in.w3[l]}, key);
        REQUIRE(out.w0[l] == want[0]);
        REQUIRE(out.w1[l] == want[1]);
        REQUIRE(out.w2[l] == want[2]);
        REQUIRE(out.w3[l] == want[3]);
      }
    }
  }
}
