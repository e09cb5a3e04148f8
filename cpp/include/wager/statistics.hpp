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
#include <utility>
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

/// Whether a set of statistics keeps, per series, the range of bins that
/// hold counts. A tracked set is written only through add / add_prepared
/// and merges; its merges and clears then touch those bins alone (a short
/// run counts in a few of each series' 20,000 bins). Untracked sets (the
/// small ones written bin by bin elsewhere) span every bin.
enum class BinRange { every, tracked };

/// Sums, sums of squares and histograms of `n_series` quantities, with
/// histogram counts of type Count.
template <class Count>
struct BasicSeriesStats {
  std::size_t n_series = 0;
  int n_bins = 0;
  std::vector<int128> sum;              ///< [series], of to_fixed(v)
  std::vector<int128> sum_squares;      ///< [series], of to_fixed(v)^2
  std::vector<Count> histogram;         ///< [series][bin], zero outside each series' range
  std::vector<std::uint64_t> non_finite; ///< [series]: NaN or infinite values, left out
  /// [series]: with BinRange::tracked, the bins [first, last] that may hold
  /// counts (empty: first > last); untracked, empty vectors.
  std::vector<std::int32_t> first_bin, last_bin;

  BasicSeriesStats() = default;
  BasicSeriesStats(std::size_t n, int bins, BinRange range = BinRange::every)
      : n_series(n), n_bins(bins), sum(n, 0), sum_squares(n, 0),
        histogram(n * static_cast<std::size_t>(bins), 0), non_finite(n, 0) {
    if (range == BinRange::tracked) {
      first_bin.assign(n, bins);
      last_bin.assign(n, -1);
    }
  }

  bool tracked() const { return !first_bin.empty(); }
  /// The bins [begin, end) of `series` that may hold counts.
  std::pair<std::size_t, std::size_t> bins_in_use(std::size_t series) const {
    if (!tracked()) return {0, static_cast<std::size_t>(n_bins)};
    const std::int32_t f = first_bin[series], l = last_bin[series];
    return f > l ? std::pair<std::size_t, std::size_t>{0, 0}
                 : std::pair<std::size_t, std::size_t>{static_cast<std::size_t>(f), static_cast<std::size_t>(l) + 1};
  }

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
    widen(series, bin, bin);
    ++histogram[series * static_cast<std::size_t>(n_bins) + static_cast<std::size_t>(bin)];
  }
  /// add_prepared for n values of one series at once, those with finite[i]
  /// false counted as non-finite. The sums run in locals and are added once:
  /// the same integers, without a chain of read-modify-writes through memory.
  void add_prepared(std::size_t series, const std::int64_t* fixed, const std::int64_t* bin, const bool* finite,
                    std::size_t n) {
    int128 s = 0, s2 = 0;
    std::uint64_t bad = 0;
    std::int64_t lo = n_bins, hi = -1;
    Count* row = histogram.data() + series * static_cast<std::size_t>(n_bins);
    for (std::size_t i = 0; i < n; ++i) {
      if (finite[i]) {
        const int128 q = fixed[i];
        s += q;
        s2 += q * q;
        ++row[bin[i]];
        lo = bin[i] < lo ? bin[i] : lo;
        hi = bin[i] > hi ? bin[i] : hi;
      } else {
        ++bad;
      }
    }
    sum[series] += s;
    sum_squares[series] += s2;
    non_finite[series] += bad;
    widen(series, lo, hi);
  }
  /// Adds another set of the same shape (integer additions: any order gives
  /// the same result).
  template <class C>
  void merge(const BasicSeriesStats<C>& o) {
    for (std::size_t i = 0; i < sum.size(); ++i) {
      sum[i] += o.sum[i];
      sum_squares[i] += o.sum_squares[i];
    }
    const auto bins = static_cast<std::size_t>(n_bins);
    for (std::size_t s = 0; s < n_series; ++s) {
      const auto [b0, b1] = o.bins_in_use(s);
      add_row(s, o.histogram.data() + s * bins, b0, b1);
    }
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
    const auto [b0, b1] = o.bins_in_use(series);
    C* from = o.histogram.data() + series * static_cast<std::size_t>(n_bins);
    add_row(series, from, b0, b1);
    std::fill(from + b0, from + b1, C{0});
    o.forget_range(series);
  }
  void clear() {
    std::fill(sum.begin(), sum.end(), 0);
    std::fill(sum_squares.begin(), sum_squares.end(), 0);
    for (std::size_t s = 0; s < n_series; ++s) {
      const auto [b0, b1] = bins_in_use(s);
      Count* row = histogram.data() + s * static_cast<std::size_t>(n_bins);
      std::fill(row + b0, row + b1, Count{0});
      forget_range(s);
    }
    std::fill(non_finite.begin(), non_finite.end(), 0);
  }

 private:
  template <class>
  friend struct BasicSeriesStats;  // merges read and clear another count type

  template <class C>
  void add_row(std::size_t series, const C* from, std::size_t b0, std::size_t b1) {
    if (b0 >= b1) return;
    widen(series, static_cast<std::int64_t>(b0), static_cast<std::int64_t>(b1) - 1);
    Count* row = histogram.data() + series * static_cast<std::size_t>(n_bins);
    for (std::size_t b = b0; b < b1; ++b) row[b] += from[b];
  }
  void widen(std::size_t series, std::int64_t lo, std::int64_t hi) {
    if (!tracked() || lo > hi) return;
    first_bin[series] = static_cast<std::int32_t>(lo < first_bin[series] ? lo : first_bin[series]);
    last_bin[series] = static_cast<std::int32_t>(hi > last_bin[series] ? hi : last_bin[series]);
  }
  void forget_range(std::size_t series) {
    if (!tracked()) return;
    first_bin[series] = n_bins;
    last_bin[series] = -1;
  }
};

/// Merged statistics: 64-bit counts.
using SeriesStats = BasicSeriesStats<std::uint64_t>;
/// One thread's statistics between merges: 32-bit counts, half the memory
/// (and half the cache misses of the random histogram increments). A
/// simulation merges them before any count could reach 2^32.
using PartialSeriesStats = BasicSeriesStats<std::uint32_t>;

}  // namespace wager
