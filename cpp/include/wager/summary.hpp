// Reading a simulation's merged statistics from C++: means, standard errors,
// quantiles and probabilities (the Python package computes the same ones,
// exactly, in wager/statistics.py).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wager/simulation.hpp"
#include "wager/statistics.hpp"

namespace wager {

/// Where a per-year variable's statistics are in StrategyOutcome::series.
std::size_t series_index(StatVar v, int year_index, int n_years);
/// Where a per-path outcome's statistics are.
std::size_t series_index(Outcome o, int n_years);

/// What a reader does with a series in which NaN or infinity appeared
/// (SeriesStats::non_finite > 0): refuse it (NonFiniteError, the default),
/// or read the finite paths only, a deliberate opt-out (docs/cpp.md,
/// "Non-finite results").
enum class NonFinite : int { refuse, exclude };

struct MeanSe {
  double mean = 0.0;
  double se = 0.0;  ///< standard error of the mean
};

/// Mean and standard error of one series from its fixed-point sums, over
/// `n_paths` paths (NaN for none). A series that counted non-finite values
/// throws NonFiniteError, unless `non_finite` is exclude: then over the
/// n_paths - non_finite finite paths.
MeanSe mean_and_se(const SeriesStats& stats, std::size_t series, std::int64_t n_paths,
                   NonFinite non_finite = NonFinite::refuse);

/// Quantile p (0 < p < 1) of one series from its histogram: the bin of rank
/// p n, interpolated linearly within the bin on the asinh scale (NaN for no
/// path). Non-finite values as mean_and_se: refused, or left out with exclude.
double quantile(const SeriesStats& stats, std::size_t series, double p, const HistogramSpec& spec,
                NonFinite non_finite = NonFinite::refuse);

/// Quantile p (0 < p < 1) of one exposure or loss series (ExposureOutcome:
/// n + 2 linear_bin bins on [0, bound]): 0 when the rank p N falls in bin 0
/// (a value of exactly 0), linear within bins 1..n (within bound / n of the
/// exact quantile), NaN above the bound or with no path. `zeros` paths that
/// the histogram does not count join bin 0 (a loss histogram counts the
/// distressed paths only). The Python package's PFE and loss quantiles are
/// the same numbers (wager.stats.exposure.linear_quantiles).
double linear_quantile(const SeriesStats& stats, std::size_t series, double p, double bound,
                       std::uint64_t zeros = 0);

/// Share of paths whose event (default, first profit) came by the end of
/// year index `year_index` (counts as in StrategyOutcome::default_year).
/// The counts include paths whose values were not finite: simulate() refuses
/// such a run unless allowed (SimulationConfig::allow_non_finite).
double share_by(const std::vector<std::uint64_t>& counts, int year_index, std::int64_t n_paths);

/// Throws NonFiniteError if NaN or infinity appeared in a series of `o`,
/// naming where as Python does ("non-finite values (NaN or infinity)
/// appeared in cash 2028 (3 paths), ..."); `start_year` names the years and
/// `where` (if not empty) opens the message.
void require_finite(const StrategyOutcome& o, int start_year, const std::string& where = "");

/// The same for a pair's differences b - a.
void require_finite(const PairOutcome& p, int start_year, const std::string& where = "");

}  // namespace wager
