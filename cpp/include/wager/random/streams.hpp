// Which counter each random number of a simulation comes from.
//
// Every number a path uses is a pure function of (seed, path, ...), never of
// the strategy, the thread or the batch. Strategies in one call share them
// (common random numbers) and a run split across machines reproduces them.
//
// - The world (regime chain, raise draws, demand factor, segment deviations):
//   Philox4x32-10, key {seed low 32 bits, seed high 32 bits}, counter
//   {path low 32 bits, path high 32 bits, step, (stream_world << 24) | block}.
//   Block 0 of a step: word 0 the regime transition, word 1 the raise draw,
//   words 2-3 one Box-Muller pair: the demand factor's normal, then segment
//   0's. Block b >= 1: two Box-Muller pairs, segments 4b - 3 .. 4b.
// - Uncertain inputs (once per path): Philox4x64-10, key {seed, "wager"},
//   counter {path, 0, block, stream_inputs}: four normals for inputs
//   4 block .. 4 block + 3 (two Box-Muller pairs on 52-bit uniforms).
#pragma once

#include <cstdint>

#include "wager/random/philox.hpp"
#include "wager/random/uniform_normal.hpp"

namespace wager::random {

inline constexpr std::uint32_t stream_world = 0;
inline constexpr std::uint64_t stream_inputs = 2;
inline constexpr std::uint64_t key_tag = 0x7761676572ull;  // "wager"

inline Philox4x32Key world_key(std::uint64_t seed) {
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

inline Philox4x32Ctr world_counter(std::uint64_t path, std::uint32_t step, std::uint32_t block) {
  return {static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32), step,
          (stream_world << 24) | block};
}

inline Philox4x64Ctr draw(std::uint64_t seed, std::uint64_t path, std::uint64_t a, std::uint64_t b,
                          std::uint64_t stream) {
  return philox4x64({path, a, b, stream}, {seed, key_tag});
}

/// Four standard normals from one block (two Box-Muller pairs).
inline void four_normals(const Philox4x64Ctr& bits, double* z) {
  box_muller(open_uniform(bits[0]), open_uniform(bits[1]), z[0], z[1]);
  box_muller(open_uniform(bits[2]), open_uniform(bits[3]), z[2], z[3]);
}

}  // namespace wager::random
