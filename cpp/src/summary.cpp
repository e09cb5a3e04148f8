// Reading the statistics back in C++: means and standard errors from the
// exact sums, quantiles from the histograms, shares of paths by a year.
#include "wager/summary.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>
#include <string>

#include "wager/require.hpp"

namespace wager {

std::size_t series_index(StatVar v, int year_index, int n_years) {
  WAGER_REQUIRE(year_index >= 0 && year_index < n_years, "series_index: year index out of range");
  return static_cast<std::size_t>(static_cast<int>(v) * n_years + year_index);
}

std::size_t series_index(Outcome o, int n_years) {
  return static_cast<std::size_t>(n_stat_vars * n_years + static_cast<int>(o));
}

namespace {

// The paths a reader counts: all of them, or (exclude) the finite ones; a
// series with non-finite values is refused unless excluded.
std::int64_t counted_paths(const SeriesStats& stats, std::size_t series, std::int64_t n_paths, NonFinite policy,
                           const char* reader) {
  const std::uint64_t bad = stats.non_finite[series];
  if (bad == 0) return n_paths;
  if (policy == NonFinite::refuse) {
    std::ostringstream out;
    out << reader << ": series " << series << " holds non-finite values (NaN or infinity) on " << bad
        << " paths; read it with NonFinite::exclude to leave them out";
    throw NonFiniteError(out.str());
  }
  return n_paths - static_cast<std::int64_t>(bad);
}

}  // namespace

MeanSe mean_and_se(const SeriesStats& stats, std::size_t series, std::int64_t n_paths, NonFinite non_finite) {
  WAGER_REQUIRE(series < stats.n_series, "mean_and_se: series out of range");
  const std::int64_t counted = counted_paths(stats, series, n_paths, non_finite, "mean_and_se");
  MeanSe out;
  if (counted <= 0) return {std::nan(""), std::nan("")};  // no path: no mean
  // long double: 64-bit mantissas keep the 128-bit sums' leading digits.
  const long double scale = std::ldexp(1.0L, fixed_point_bits);
  const long double n = static_cast<long double>(counted);
  const long double s1 = static_cast<long double>(stats.sum[series]) / scale;
  const long double s2 = static_cast<long double>(stats.sum_squares[series]) / (scale * scale);
  out.mean = static_cast<double>(s1 / n);
  if (counted > 1) {
    const long double var = (s2 - s1 * s1 / n) / (n - 1.0L);
    out.se = static_cast<double>(std::sqrt(var > 0.0L ? var / n : 0.0L));
  }
  return out;
}

double quantile(const SeriesStats& stats, std::size_t series, double p, const HistogramSpec& spec,
                NonFinite non_finite) {
  WAGER_REQUIRE(series < stats.n_series, "quantile: series out of range");
  WAGER_REQUIRE(p > 0.0 && p < 1.0, "quantile: p must be in (0, 1)");
  counted_paths(stats, series, 0, non_finite, "quantile");  // the histogram holds the finite values only
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

double linear_quantile(const SeriesStats& stats, std::size_t series, double p, double bound, std::uint64_t zeros) {
  WAGER_REQUIRE(series < stats.n_series, "linear_quantile: series out of range");
  WAGER_REQUIRE(p > 0.0 && p < 1.0, "linear_quantile: p must be in (0, 1)");
  WAGER_REQUIRE(stats.n_bins >= 3 && bound > 0.0, "linear_quantile: needs n + 2 >= 3 bins and a bound above 0");
  const auto bins = static_cast<std::size_t>(stats.n_bins);
  const std::size_t n = bins - 2;
  const std::uint64_t* h = &stats.histogram[series * bins];
  std::uint64_t total = zeros;
  for (std::size_t b = 0; b < bins; ++b) total += h[b];
  if (total == 0) return std::nan("");
  const double target = p * static_cast<double>(total);
  // The first bin whose running count reaches the rank (an integer count
  // reaches `target` when it reaches its ceiling).
  const double rank = std::ceil(target);
  std::uint64_t cum = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    const std::uint64_t here = h[b] + (b == 0 ? zeros : 0);
    const std::uint64_t before = cum;
    cum += here;
    if (static_cast<double>(cum) < rank) continue;
    if (b == 0) return 0.0;
    if (b > n) return std::nan("");
    const double frac = std::clamp((target - static_cast<double>(before)) / static_cast<double>(here), 0.0, 1.0);
    return (static_cast<double>(b - 1) + frac) * (bound / static_cast<double>(n));
  }
  return std::nan("");  // not reached: the running count ends at total >= rank
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

namespace wager {

namespace {

constexpr const char* stat_var_names[] = {"revenue", "operating_income", "free_cash_flow", "cash"};
constexpr const char* outcome_names[] = {"cumulative_fcf",     "peak_funding_need",
                                         "terminal_equity_value", "terminal_dcf_value",
                                         "terminal_equity_value_today", "terminal_dcf_value_today"};
static_assert(std::size(stat_var_names) == n_stat_vars && std::size(outcome_names) == n_outcomes);

// The words of python/wager/analyses/simulation.py (_check_finite), so both
// say the same: "non-finite values (NaN or infinity) appeared in cash 2028
// (3 paths), ... and 2 more; 11 years simulated. ...".
void refuse_non_finite(const SeriesStats& stats, int n_years, int start_year, const std::string& where,
                       const char* what) {
  std::ostringstream list;
  std::size_t shown = 0, bad = 0;
  for (std::size_t i = 0; i < stats.non_finite.size(); ++i) {
    if (stats.non_finite[i] == 0) continue;
    if (++bad > 5) continue;
    const auto ny = static_cast<std::size_t>(n_years);
    list << (shown++ ? ", " : "");
    if (i < static_cast<std::size_t>(n_stat_vars) * ny) {
      list << stat_var_names[i / ny] << " " << start_year + static_cast<int>(i % ny);
    } else {
      list << outcome_names[i - static_cast<std::size_t>(n_stat_vars) * ny];
    }
    list << " (" << stats.non_finite[i] << " paths)";
  }
  if (bad == 0) return;
  std::ostringstream out;
  out << (where.empty() ? "" : where + ": ") << what << "non-finite values (NaN or infinity) appeared in "
      << list.str();
  if (bad > 5) out << " and " << bad - 5 << " more";
  out << "; " << n_years << " years simulated. Check the scenario for extreme inputs.";
  throw NonFiniteError(out.str());
}

}  // namespace

void require_finite(const StrategyOutcome& o, int start_year, const std::string& where) {
  refuse_non_finite(o.series, o.n_years, start_year, where, "");
}

void require_finite(const PairOutcome& p, int start_year, const std::string& where) {
  refuse_non_finite(p.diff, p.n_years, start_year, where, "in the differences b - a, ");
}

}  // namespace wager
