// From random bits to uniforms and standard normals, written here so that the
// numbers are the same with every standard library (std::normal_distribution
// is not).
#pragma once

#include <cmath>
#include <cstdint>

#include "wager/math/elementary.hpp"

namespace wager::random {

/// A uniform in the open interval (0, 1): the midpoint of one of 2^52 equal
/// cells, from the top 52 bits. Every midpoint is exact in a double, so the
/// result is never 0 or 1 and log(u) and inverse CDFs stay finite.
inline double open_uniform(std::uint64_t bits) {
  return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
}

/// A uniform in (0, 1) from 32 bits: the midpoint of one of 2^32 cells,
/// (w + 1/2) 2^-32, so between 2^-33 and 1 - 2^-33. Converted through a
/// signed int32 (exact), which vectorises without AVX-512.
inline double open_uniform32(std::uint32_t w) {
  const auto centred = static_cast<std::int32_t>(w ^ 0x80000000u);  // w - 2^31
  return (static_cast<double>(centred) + 2147483648.5) * 0x1.0p-32;
}

struct NormalPair {
  double first, second;
};

/// Box-Muller: two uniforms in (0, 1) to two independent standard normals,
/// with the project's own log and sine/cosine (same bits everywhere).
inline NormalPair box_muller(double u1, double u2) {
  const double r = std::sqrt(-2.0 * math::log(u1));
  double s, c;
  math::sincos_turns(u2, s, c);
  return {r * c, r * s};
}

inline void box_muller(double u1, double u2, double& z1, double& z2) {
  const NormalPair z = box_muller(u1, u2);
  z1 = z.first;
  z2 = z.second;
}

}  // namespace wager::random
