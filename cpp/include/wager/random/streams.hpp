// Which counter each random number of a simulation comes from.
//
// Counter {path, a, b, stream} under key {seed, "wager"}: every number a path
// uses is a pure function of (seed, path, ...), never of the strategy, the
// thread or the batch. Strategies in one call share them (common random
// numbers) and a run split across machines reproduces them.
#pragma once

#include <cstdint>

#include "wager/random/philox.hpp"
#include "wager/random/uniform_normal.hpp"

namespace wager::random {

/// {path, step, 0}: [0] regime transition, [1] raise success, [2..3] demand factor.
inline constexpr std::uint64_t stream_world = 0;
/// {path, step, block}: four normals for segments 4 block .. 4 block + 3.
inline constexpr std::uint64_t stream_segments = 1;
/// {path, 0, block}: four normals for uncertain inputs 4 block .. 4 block + 3.
inline constexpr std::uint64_t stream_inputs = 2;
inline constexpr std::uint64_t key_tag = 0x7761676572ull;  // "wager"

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
