// Strategy b against strategy a on the same paths: what each path of a chunk
// gave each strategy, and the paired statistics (b - a) accumulated from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/simulation.hpp"
#include "wager/statistics.hpp"

namespace wager::detail {

/// What each path of the chunk being run gave one strategy, by its place in
/// the chunk.
struct ChunkRecords {
  int n_years = 0;
  std::vector<double> years;     ///< [path][StatVar][year]
  std::vector<double> outcomes;  ///< [path][Outcome]
  std::vector<int> default_year, first_profit_year;  ///< calendar years, -1 = never
  std::size_t n_counterparties = 0;
  /// [path][supplier]: each supplier's loss at the path's distress (0 without one).
  std::vector<double> losses;

  void resize(std::size_t paths, int years_per_path, std::size_t counterparties);
  double* loss_row(std::size_t at) { return &losses[at * n_counterparties]; }
  const double* loss_row(std::size_t at) const { return &losses[at * n_counterparties]; }
  double* year_row(std::size_t at) {
    return &years[at * static_cast<std::size_t>(n_years) * n_stat_vars];
  }
};

/// One thread's results for one pair between merges.
struct PartialPair {
  std::int64_t n_paths = 0;
  PartialSeriesStats diff;
  std::vector<std::uint64_t> joint_default, joint_profit, overtake;
  BasicJointLoss<std::uint32_t> joint_loss;

  PartialPair(std::size_t n_series, int n_bins, int n_years);
  /// Adds its counts to `total` and zeroes them (the series merge separately).
  void merge_counts_into(PairOutcome& total);
};

/// Adds b - a for the first `n` paths of the chunk: the fixed-point
/// differences of every per-year statistic and outcome (so a pair's sums
/// are exactly b's minus a's), the joint default and profit counts by year,
/// the year one overtakes the other on cumulative free cash flow, and the
/// two bets' losses to each supplier (docs/model.md §28, "The joint view").
void add_pair_paths(PartialPair& out, const ChunkRecords& a, const ChunkRecords& b, std::size_t n,
                    int start_year, const HistogramSpec& spec);

}  // namespace wager::detail
