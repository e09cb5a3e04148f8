// Mergeable, order-free statistics of many paths.
//
// Sums are kept in 128-bit fixed point and histograms as integer counts, so
// adding partial results in any order (threads, batches, Dask chunks) gives
// the same bits: no floating-point sum depends on how the paths were split.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/math/elementary.hpp"

namespace wager {

__extension__ using int128 = __int128;

/// Values are rounded to multiples of 2^-24 (US$ bn: about 6e-8) before summing.
inline constexpr int fixed_point_bits = 24;
/// Values beyond +-2^23 US$ bn (8.4e6, far beyond any company) are clamped
/// before summing: a square is then below 2^94, so 2^33 (8.6e9) paths of
/// them still fit in a signed 128-bit sum.
inline constexpr double fixed_point_limit = 8388608.0;

/// v in units of 2^-24, rounded to the nearest integer (ties to even), for
/// finite v. Branch-free, so a loop over paths vectorises.
inline std::int64_t to_fixed(double v) {
  // Multiplying by a power of two is exact; |x| <= 2^47 rounds exactly.
  const double c = v < -fixed_point_limit ? -fixed_point_limit : (v > fixed_point_limit ? fixed_point_limit : v);
  return math::detail::integer_of_rounded(c * 16777216.0);  // 2^fixed_point_bits
}
static_assert(fixed_point_bits == 24, "to_fixed multiplies by 2^24");

/// A histogram on the asinh scale: bin b holds values with
/// floor(asinh(v / scale) * bins_per_unit) = b - n_bins / 2, so its relative
/// width is about 1 / bins_per_unit for |v| >> scale. The outer bins catch
/// everything beyond the range.
struct HistogramSpec {
  double scale = 0.01;          ///< US$ bn
  double bins_per_unit = 500.0; ///< 0.2% relative resolution
  int n_bins = 20000;           ///< covers |v| up to scale * sinh(n_bins / 2 / bins_per_unit) = 2.4e6

  /// The bin of a finite v. Branch-free, so a loop over paths vectorises.
  std::int64_t bin(double v) const {
    // asinh through the project's own log (inlined; bins need ~1e-9 accuracy).
    // |v| / scale is capped at 1e150 (so a * a stays finite): anything that
    // large lands in the top bin either way.
    const double a0 = std::fabs(v / scale);
    const double a = a0 < 1e150 ? a0 : 1e150;
    const double y = std::copysign(math::log(a + std::sqrt(a * a + 1.0)), v) * bins_per_unit;
    const double r = math::detail::round_to_integer(y);  // |y| < 2^51
    const double x = (r > y ? r - 1.0 : r) + static_cast<double>(n_bins / 2);  // floor(y) + n_bins / 2
    const double top = static_cast<double>(n_bins - 1);
    return math::detail::integer_of_rounded(x < 0.0 ? 0.0 : (x > top ? top : x));
  }
  double lower_edge(int b) const { return scale * std::sinh((b - n_bins / 2) / bins_per_unit); }
};

/// Sums, sums of squares and histograms of `n_series` quantities, with
/// histogram counts of type Count.
template <class Count>
struct BasicSeriesStats {
  std::size_t n_series = 0;
  int n_bins = 0;
  std::vector<int128> sum;              ///< [series], of to_fixed(v)
  std::vector<int128> sum_squares;      ///< [series], of to_fixed(v)^2
  std::vector<Count> histogram;         ///< [series][bin]
  std::vector<std::uint64_t> non_finite; ///< [series]: NaN or infinite values, left out

  BasicSeriesStats() = default;
  BasicSeriesStats(std::size_t n, int bins)
      : n_series(n), n_bins(bins), sum(n, 0), sum_squares(n, 0),
        histogram(n * static_cast<std::size_t>(bins), 0), non_finite(n, 0) {}

  void add(std::size_t series, double v, const HistogramSpec& spec) {
    if (!std::isfinite(v)) {  // counted, so the caller can say where it appeared
      ++non_finite[series];
      return;
    }
    add_prepared(series, to_fixed(v), spec.bin(v));
  }
  /// Adds a finite value already turned into to_fixed(v) and spec.bin(v)
  /// (by a caller that computes those for many values at once).
  void add_prepared(std::size_t series, std::int64_t fixed, std::int64_t bin) {
    const int128 q = fixed;
    sum[series] += q;
    sum_squares[series] += q * q;
    ++histogram[series * static_cast<std::size_t>(n_bins) + static_cast<std::size_t>(bin)];
  }
  /// add_prepared for n values of one series at once, those with finite[i]
  /// false counted as non-finite. The sums run in locals and are added once:
  /// the same integers, without a chain of read-modify-writes through memory.
  void add_prepared(std::size_t series, const std::int64_t* fixed, const std::int64_t* bin, const bool* finite,
                    std::size_t n) {
    int128 s = 0, s2 = 0;
    std::uint64_t bad = 0;
    Count* row = histogram.data() + series * static_cast<std::size_t>(n_bins);
    for (std::size_t i = 0; i < n; ++i) {
      if (finite[i]) {
        const int128 q = fixed[i];
        s += q;
        s2 += q * q;
        ++row[bin[i]];
      } else {
        ++bad;
      }
    }
    sum[series] += s;
    sum_squares[series] += s2;
    non_finite[series] += bad;
  }
  /// Adds another set of the same shape (integer additions: any order gives
  /// the same result).
  template <class C>
  void merge(const BasicSeriesStats<C>& o) {
    for (std::size_t i = 0; i < sum.size(); ++i) {
      sum[i] += o.sum[i];
      sum_squares[i] += o.sum_squares[i];
    }
    for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += o.histogram[i];
    for (std::size_t i = 0; i < non_finite.size(); ++i) non_finite[i] += o.non_finite[i];
  }
  /// merge() for one series only, and that series of `o` cleared: merges of
  /// different series may run in parallel.
  template <class C>
  void merge_series_from(BasicSeriesStats<C>& o, std::size_t series) {
    sum[series] += o.sum[series];
    sum_squares[series] += o.sum_squares[series];
    non_finite[series] += o.non_finite[series];
    o.sum[series] = o.sum_squares[series] = 0;
    o.non_finite[series] = 0;
    const std::size_t bins = static_cast<std::size_t>(n_bins), row = series * bins;
    for (std::size_t b = 0; b < bins; ++b) histogram[row + b] += o.histogram[row + b];
    std::fill(o.histogram.begin() + static_cast<std::ptrdiff_t>(row),
              o.histogram.begin() + static_cast<std::ptrdiff_t>(row + bins), C{0});
  }
  void clear() {
    std::fill(sum.begin(), sum.end(), 0);
    std::fill(sum_squares.begin(), sum_squares.end(), 0);
    std::fill(histogram.begin(), histogram.end(), 0);
    std::fill(non_finite.begin(), non_finite.end(), 0);
  }
};

/// Merged statistics: 64-bit counts.
using SeriesStats = BasicSeriesStats<std::uint64_t>;
/// One thread's statistics between merges: 32-bit counts, half the memory
/// (and half the cache misses of the random histogram increments). A
/// simulation merges them before any count could reach 2^32.
using PartialSeriesStats = BasicSeriesStats<std::uint32_t>;

}  // namespace wager
