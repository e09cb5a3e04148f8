// exp, log and the sine and cosine of a fraction of a turn, written here so
// that they inline (glibc's are calls), give the same bits on every machine
// and standard library, and stay within a few ulp of the correctly rounded
// result. Plain double arithmetic only: no fma, so -ffp-contract=off keeps
// every build bit-identical.
//
// Every function is branch-free (edge cases are selected at the end, never
// branched to) and uses only 64-bit integer operations beside the double
// ones, so a loop over paths that calls them vectorises: the same code gives
// the same bits whether it runs one value at a time or 2, 4 or 8 per
// instruction.
#pragma once

#include <bit>
#include <cstdint>
#include <limits>

namespace wager::math {

namespace detail {
/// 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an
/// integer, which then sits in the low bits of the sum's representation.
inline constexpr double round_magic = 6755399441055744.0;

/// x rounded to the nearest integer (ties to even), for |x| < 2^51.
inline double round_to_integer(double x) { return (x + round_magic) - round_magic; }

/// That integer as an int64 (the sum's low bits), for |x| < 2^51.
inline std::int64_t integer_of_rounded(double x) {
  return std::bit_cast<std::int64_t>(x + round_magic) - std::bit_cast<std::int64_t>(round_magic);
}

/// An int64 of magnitude below 2^51 as a double: exact, and vectorisable
/// without AVX-512's int64 conversions.
inline double to_double(std::int64_t i) {
  return std::bit_cast<double>(std::bit_cast<std::int64_t>(round_magic) + i) - round_magic;
}

/// 2^k for -1022 <= k <= 1023.
inline double pow2(std::int64_t k) { return std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52); }
}  // namespace detail

/// e^x to within ~2 ulp for |x| < 708; 0 at or below -745, +inf above 709.78.
inline double exp(double x) {
  constexpr double hi = 709.78, lo = -745.0;
  const double xc = x > hi ? hi : (x > lo ? x : lo);  // NaN takes lo; selected out below
  // x = n ln2 + r with |r| <= ln2 / 2, ln2 split in two so n ln2_hi is exact.
  constexpr double inv_ln2 = 1.4426950408889634;
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double nd = xc * inv_ln2;
  const double n = detail::round_to_integer(nd);
  const double r = (xc - n * ln2_hi) - n * ln2_lo;
  // Taylor series of e^r to degree 13: remainder below 2e-17 for |r| <= 0.347.
  // Evaluated by Estrin's scheme (pairs, then pairs of pairs): a dependency
  // chain of 8 operations instead of Horner's 26, so the processor overlaps
  // the work of neighbouring values.
  // The small terms h = sum of r^(k-2) / k!, k = 2..13, first; the sum
  // 1 + (r + r^2 h) last, so only its final rounding matters.
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double e0 = 0.5 + r * (1.0 / 6.0);
  const double e1 = 1.0 / 24.0 + r * (1.0 / 120.0);
  const double e2 = 1.0 / 720.0 + r * (1.0 / 5040.0);
  const double e3 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
  const double e4 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
  const double e5 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
  const double h = ((e0 + r2 * e1) + r4 * (e2 + r2 * e3)) + r8 * (e4 + r2 * e5);
  const double p = 1.0 + (r + r2 * h);
  // Scale by 2^k in two halves, so subnormal and near-overflow results stay right.
  const std::int64_t k = detail::integer_of_rounded(nd);
  const std::int64_t k1 = k >> 1;
  const double e = p * detail::pow2(k1) * detail::pow2(k - k1);
  const double big = x > hi ? std::numeric_limits<double>::infinity() : e;
  const double small = x > lo ? big : 0.0;
  return x != x ? x : small;
}

/// Natural logarithm to within ~2 ulp for positive x (subnormals included);
/// -inf at 0, NaN below 0 and for NaN, +inf at +inf.
inline double log(double x) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // Subnormals are scaled into the normal range first.
  const bool subnormal = x < 0x1p-1022;
  const double xs = subnormal ? x * 0x1p54 : x;
  const auto bits = std::bit_cast<std::uint64_t>(xs);
  std::int64_t e = static_cast<std::int64_t>(bits >> 52) - (subnormal ? 1023 + 54 : 1023);
  // m in [1, 2), then folded to [sqrt(1/2), sqrt(2)).
  const double m1 = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  const bool fold = m1 > 1.4142135623730951;
  const double m = fold ? m1 * 0.5 : m1;
  e += fold ? 1 : 0;
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: odd series to s^23.
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  // q(z) = sum of z^i / (2 i + 3), i = 0..10, by Estrin's scheme (see exp).
  const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double a0 = 1.0 / 3.0 + z * (1.0 / 5.0);
  const double a1 = 1.0 / 7.0 + z * (1.0 / 9.0);
  const double a2 = 1.0 / 11.0 + z * (1.0 / 13.0);
  const double a3 = 1.0 / 15.0 + z * (1.0 / 17.0);
  const double a4 = 1.0 / 19.0 + z * (1.0 / 21.0);
  const double q = ((a0 + z2 * a1) + z4 * (a2 + z2 * a3)) + z8 * (a4 + z2 * (1.0 / 23.0));
  const double log_m = 2.0 * s + 2.0 * s * (z * q);
  constexpr double ln2_hi = 6.93147180369123816490e-01;
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double de = detail::to_double(e);
  const double result = de * ln2_hi + (log_m + de * ln2_lo);
  const double top = x == inf ? inf : result;
  const double zero = x == 0.0 ? -inf : std::numeric_limits<double>::quiet_NaN();
  return x > 0.0 ? top : zero;
}

/// sin(2 pi u) and cos(2 pi u) for u in [0, 1), to within ~2 ulp. Taking the
/// angle as a fraction of a turn makes the range reduction exact.
inline void sincos_turns(double u, double& s, double& c) {
  // The nearest eighth of a turn o, and the remainder t in [-1/16, 1/16] of a turn.
  const double u8 = u * 8.0;  // exact
  const double od = detail::round_to_integer(u8);
  const std::int64_t o = detail::integer_of_rounded(u8);
  const double t = (u8 - od) * 0.125;  // exact
  constexpr double two_pi = 6.283185307179586;
  const double a = t * two_pi;  // |a| <= pi / 8
  const double a2 = a * a;
  // Taylor series to a^17 (sin) and a^16 (cos): remainder below 1e-18.
  // Estrin's scheme in b = a^2 (see exp).
  const double b = a2, b2 = b * b, b4 = b2 * b2;
  const double s0 = 1.0 / 6.0 - b * (1.0 / 120.0);
  const double s1 = 1.0 / 5040.0 - b * (1.0 / 362880.0);
  const double s2 = 1.0 / 39916800.0 - b * (1.0 / 6227020800.0);
  const double s3 = 1.0 / 1307674368000.0 - b * (1.0 / 355687428096000.0);
  const double ps = (s0 + b2 * s1) + b4 * (s2 + b2 * s3);  // sin a = a - a^3 ps
  const double sa = a - a * a2 * ps;
  const double c0 = -0.5 + b * (1.0 / 24.0);
  const double c1 = -1.0 / 720.0 + b * (1.0 / 40320.0);
  const double c2 = -1.0 / 3628800.0 + b * (1.0 / 479001600.0);
  const double c3 = -1.0 / 87178291200.0 + b * (1.0 / 20922789888000.0);
  const double pc = (c0 + b2 * c1) + b4 * (c2 + b2 * c3);  // cos a = 1 + a^2 pc
  const double ca = 1.0 + a2 * pc;
  // Rotate by o eighths of a turn: an odd o first turns by one eighth, then
  // (o / 2) mod 4 quarter turns swap and negate (negation is exact).
  constexpr double h = 0.70710678118654752440;  // sqrt(1/2)
  const bool odd = (o & 1) != 0;
  const double x = odd ? h * (sa + ca) : sa;
  const double y = odd ? h * (ca - sa) : ca;
  const std::int64_t quarter = (o >> 1) & 3;
  const bool swap = (quarter & 1) != 0;
  const double sx = swap ? y : x;
  const double cy = swap ? x : y;
  s = (quarter & 2) != 0 ? -sx : sx;
  c = ((quarter + 1) & 2) != 0 ? -cy : cy;
}

}  // namespace wager::math
