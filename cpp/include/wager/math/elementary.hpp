// exp, log and the sine and cosine of a fraction of a turn, written here so
// that they inline (glibc's are calls), give the same bits on every machine
// and standard library, and stay within a few ulp of the correctly rounded
// result. Plain double arithmetic only: no fma, so -ffp-contract=off keeps
// every build bit-identical.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

namespace wager::math {

/// e^x to within ~2 ulp for |x| < 708; 0 below -745, +inf above 709.8.
inline double exp(double x) {
  if (!(x > -745.0)) return x != x ? x : 0.0;
  if (x > 709.78) return std::numeric_limits<double>::infinity();
  // x = n ln2 + r with |r| <= ln2 / 2, ln2 split in two so n ln2_hi is exact.
  constexpr double inv_ln2 = 1.4426950408889634;
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double nd = x * inv_ln2;
  const double n = static_cast<double>(static_cast<std::int64_t>(nd + (nd >= 0.0 ? 0.5 : -0.5)));
  const double r = (x - n * ln2_hi) - n * ln2_lo;
  // Taylor series of e^r to degree 13: remainder below 2e-17 for |r| <= 0.347.
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // Scale by 2^n in two halves, so subnormal and near-overflow results stay right.
  const auto k = static_cast<std::int64_t>(n);
  const std::int64_t k1 = k / 2;
  const std::int64_t k2 = k - k1;
  const double s1 = std::bit_cast<double>(static_cast<std::uint64_t>(k1 + 1023) << 52);
  const double s2 = std::bit_cast<double>(static_cast<std::uint64_t>(k2 + 1023) << 52);
  return p * s1 * s2;
}

/// Natural logarithm to within ~2 ulp for positive, normal x.
inline double log(double x) {
  if (!(x > 0.0)) return x == 0.0 ? -std::numeric_limits<double>::infinity()
                                  : std::numeric_limits<double>::quiet_NaN();
  if (x == std::numeric_limits<double>::infinity()) return x;
  std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  int e = static_cast<int>(bits >> 52) - 1023;
  if (e == -1023) {  // subnormal: normalise first
    x *= 0x1p54;
    bits = std::bit_cast<std::uint64_t>(x);
    e = static_cast<int>(bits >> 52) - 1023 - 54;
  }
  // m in [1, 2), then folded to [sqrt(1/2), sqrt(2)).
  double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    ++e;
  }
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: odd series to s^23.
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  double q = 1.0 / 23.0;
  q = q * z + 1.0 / 21.0;
  q = q * z + 1.0 / 19.0;
  q = q * z + 1.0 / 17.0;
  q = q * z + 1.0 / 15.0;
  q = q * z + 1.0 / 13.0;
  q = q * z + 1.0 / 11.0;
  q = q * z + 1.0 / 9.0;
  q = q * z + 1.0 / 7.0;
  q = q * z + 1.0 / 5.0;
  q = q * z + 1.0 / 3.0;
  const double log_m = 2.0 * s + 2.0 * s * (z * q);
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double de = static_cast<double>(e);
  return de * ln2_hi + (log_m + de * ln2_lo);
}

/// sin(2 pi u) and cos(2 pi u) for u in [0, 1), to within ~2 ulp. Taking the
/// angle as a fraction of a turn makes the range reduction exact.
inline void sincos_turns(double u, double& s, double& c) {
  // Octant of the turn, and the remainder t in [-1/16, 1/16] of a turn.
  const double u8 = u * 8.0;  // exact
  const auto o = static_cast<int>(u8 + 0.5);
  const double t = (u8 - static_cast<double>(o)) * 0.125;  // exact
  constexpr double two_pi = 6.283185307179586;
  const double a = t * two_pi;  // |a| <= pi / 8
  const double a2 = a * a;
  // Taylor series to a^17 (sin) and a^16 (cos): remainder below 1e-18.
  double ps = -1.0 / 355687428096000.0;
  ps = ps * a2 + 1.0 / 1307674368000.0;
  ps = ps * a2 - 1.0 / 6227020800.0;
  ps = ps * a2 + 1.0 / 39916800.0;
  ps = ps * a2 - 1.0 / 362880.0;
  ps = ps * a2 + 1.0 / 5040.0;
  ps = ps * a2 - 1.0 / 120.0;
  ps = ps * a2 + 1.0 / 6.0;
  const double sa = a - a * a2 * ps;
  double pc = 1.0 / 20922789888000.0;
  pc = pc * a2 - 1.0 / 87178291200.0;
  pc = pc * a2 + 1.0 / 479001600.0;
  pc = pc * a2 - 1.0 / 3628800.0;
  pc = pc * a2 + 1.0 / 40320.0;
  pc = pc * a2 - 1.0 / 720.0;
  pc = pc * a2 + 1.0 / 24.0;
  pc = pc * a2 - 0.5;
  const double ca = 1.0 + a2 * pc;
  // Rotate by o eighths of a turn: (sin, cos)(a + o pi / 4).
  constexpr double h = 0.70710678118654752440;  // sqrt(1/2)
  switch (o & 7) {
    case 0: s = sa; c = ca; break;
    case 1: s = h * (sa + ca); c = h * (ca - sa); break;
    case 2: s = ca; c = -sa; break;
    case 3: s = h * (ca - sa); c = -h * (sa + ca); break;
    case 4: s = -sa; c = -ca; break;
    case 5: s = -h * (sa + ca); c = h * (sa - ca); break;
    case 6: s = -ca; c = sa; break;
    default: s = h * (sa - ca); c = h * (sa + ca); break;
  }
}

}  // namespace wager::math
