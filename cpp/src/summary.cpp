// Reading the statistics back in C++: means and standard errors from the
// exact sums, quantiles from the histograms, shares of paths by a year.
#include "wager/summary.hpp"

#include <cmath>

#include "wager/require.hpp"

namespace wager {

std::size_t series_index(StatVar v, int year_index, int n_years) {
  WAGER_REQUIRE(year_index >= 0 && year_index < n_years, "series_index: year index out of range");
  return static_cast<std::size_t>(static_cast<int>(v) * n_years + year_index);
}

std::size_t series_index(Outcome o, int n_years) {
  return static_cast<std::size_t>(n_stat_vars * n_years + static_cast<int>(o));
}

MeanSe mean_and_se(const SeriesStats& stats, std::size_t series, std::int64_t n_paths) {
  WAGER_REQUIRE(series < stats.n_series, "mean_and_se: series out of range");
  MeanSe out;
  if (n_paths <= 0) return out;
  // long double: 64-bit mantissas keep the 128-bit sums' leading digits.
  const long double scale = std::ldexp(1.0L, fixed_point_bits);
  const long double n = static_cast<long double>(n_paths);
  const long double s1 = static_cast<long double>(stats.sum[series]) / scale;
  const long double s2 = static_cast<long double>(stats.sum_squares[series]) / (scale * scale);
  out.mean = static_cast<double>(s1 / n);
  if (n_paths > 1) {
    const long double var = (s2 - s1 * s1 / n) / (n - 1.0L);
    out.se = static_cast<double>(std::sqrt(var > 0.0L ? var / n : 0.0L));
  }
  return out;
}

double quantile(const SeriesStats& stats, std::size_t series, double p, const HistogramSpec& spec) {
  WAGER_REQUIRE(series < stats.n_series, "quantile: series out of range");
  WAGER_REQUIRE(p > 0.0 && p < 1.0, "quantile: p must be in (0, 1)");
  const auto bins = static_cast<std::size_t>(stats.n_bins);
  const std::uint64_t* h = &stats.histogram[series * bins];
  std::uint64_t n = 0;
  for (std::size_t b = 0; b < bins; ++b) n += h[b];
  if (n == 0) return std::nan("");
  const double target = p * static_cast<double>(n);
  std::uint64_t before = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    if (static_cast<double>(before + h[b]) >= target) {
      const double frac = h[b] > 0 ? (target - static_cast<double>(before)) / static_cast<double>(h[b]) : 0.0;
      const double pos = static_cast<double>(b) + (frac < 0.0 ? 0.0 : (frac > 1.0 ? 1.0 : frac));
      return spec.scale * std::sinh((pos - static_cast<double>(spec.n_bins / 2)) / spec.bins_per_unit);
    }
    before += h[b];
  }
  return spec.lower_edge(spec.n_bins - 1);
}

double share_by(const std::vector<std::uint64_t>& counts, int year_index, std::int64_t n_paths) {
  WAGER_REQUIRE(year_index >= 0 && static_cast<std::size_t>(year_index) + 1 < counts.size(),
                "share_by: year index out of range");
  if (n_paths <= 0) return std::nan("");
  std::uint64_t k = 0;
  for (int y = 0; y <= year_index; ++y) k += counts[static_cast<std::size_t>(y)];
  return static_cast<double>(k) / static_cast<double>(n_paths);
}

}  // namespace wager
