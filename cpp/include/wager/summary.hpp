// Reading a simulation's merged statistics from C++: means, standard errors,
// quantiles and probabilities (the Python package computes the same ones,
// exactly, in wager/statistics.py).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/simulation.hpp"
#include "wager/statistics.hpp"

namespace wager {

/// Where a per-year variable's statistics are in StrategyOutcome::series.
std::size_t series_index(StatVar v, int year_index, int n_years);
/// Where a per-path outcome's statistics are.
std::size_t series_index(Outcome o, int n_years);

struct MeanSe {
  double mean = 0.0;
  double se = 0.0;  ///< standard error of the mean
};

/// Mean and standard error of one series from its fixed-point sums.
MeanSe mean_and_se(const SeriesStats& stats, std::size_t series, std::int64_t n_paths);

/// Quantile p (0 < p < 1) of one series from its histogram: the bin of rank
/// p n, interpolated linearly within the bin on the asinh scale.
double quantile(const SeriesStats& stats, std::size_t series, double p, const HistogramSpec& spec);

/// Share of paths whose event (default, first profit) came by the end of
/// year index `year_index` (counts as in StrategyOutcome::default_year).
double share_by(const std::vector<std::uint64_t>& counts, int year_index, std::int64_t n_paths);

}  // namespace wager
