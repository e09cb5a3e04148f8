// Two bets' losses to the same supplier on the same paths (docs/model.md
// §28, "The joint view"): a coarse two-dimensional histogram of the pair of
// losses, and a fine one of their sum with each bin's sums, from which the
// combined loss's quantile and expected shortfall are read. Integer counts
// and fixed-point sums, so it merges by integer addition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wager/exposure.hpp"
#include "wager/statistics.hpp"

namespace wager {

/// Bins of each side of the joint loss grid on [0, its bound]: a 5%
/// resolution, enough to see whether large losses come together.
inline constexpr int joint_loss_grid_bins = 20;
/// Cells of the grid: (grid bins + 2)^2, linear_bin's 0 and overflow bins on each side.
inline constexpr int joint_loss_grid_cells = (joint_loss_grid_bins + 2) * (joint_loss_grid_bins + 2);

/// The joint losses of pair (a, b) to each supplier of either bet, with
/// counts of type Count (32-bit in one thread's partials, 64-bit merged).
template <class Count>
struct BasicJointLoss {
  /// [k]: supplier k's place among a's and b's suppliers (counterparty_names
  /// order; -1 when it is not that bet's). a's suppliers first, then b's
  /// that a does not have.
  std::vector<int> of_a, of_b;
  /// [k]: the tops of a's and b's loss histograms for supplier k
  /// (ExposureOutcome::bound; 0 when it is not that bet's supplier).
  std::vector<double> bound_a, bound_b;
  /// Series k: the combined loss La + Lb of every path (sums of to_fixed(La)
  /// + to_fixed(Lb)); histogram bin ga * (grid bins + 2) + gb, ga and gb
  /// the linear_bin of La and Lb on [0, bound] in joint_loss_grid_bins.
  BasicSeriesStats<Count> grid;
  /// Series k * (exposure_bins + 2) + c: the paths whose combined loss falls
  /// in bin c (linear_bin on [0, bound_a + bound_b] in exposure_bins), with
  /// the sum and sum of squares of that loss; one histogram bin (the count).
  BasicSeriesStats<Count> combined;

  std::size_t size() const { return of_a.size(); }

  /// Matches a's suppliers with b's by name; every sum zero.
  void reset(const std::vector<std::string>& names_a, const std::vector<double>& bounds_a,
             const std::vector<std::string>& names_b, const std::vector<double>& bounds_b) {
    of_a.clear();
    of_b.clear();
    for (std::size_t i = 0; i < names_a.size(); ++i) {
      of_a.push_back(static_cast<int>(i));
      of_b.push_back(-1);
      for (std::size_t j = 0; j < names_b.size(); ++j) {
        if (names_b[j] == names_a[i]) of_b.back() = static_cast<int>(j);
      }
    }
    for (std::size_t j = 0; j < names_b.size(); ++j) {
      bool shared = false;
      for (const std::string& n : names_a) shared = shared || n == names_b[j];
      if (shared) continue;
      of_a.push_back(-1);
      of_b.push_back(static_cast<int>(j));
    }
    bound_a.assign(size(), 0.0);
    bound_b.assign(size(), 0.0);
    for (std::size_t k = 0; k < size(); ++k) {
      if (of_a[k] >= 0) bound_a[k] = bounds_a[static_cast<std::size_t>(of_a[k])];
      if (of_b[k] >= 0) bound_b[k] = bounds_b[static_cast<std::size_t>(of_b[k])];
    }
    grid = BasicSeriesStats<Count>(size(), joint_loss_grid_cells);
    combined = BasicSeriesStats<Count>(size() * static_cast<std::size_t>(exposure_bins + 2), 1);
  }

  /// One path's losses: `la` by a's suppliers, `lb` by b's (indexed as
  /// counterparty_names; null when the bet has none).
  void add(const double* la, const double* lb) {
    constexpr auto side = static_cast<std::int64_t>(joint_loss_grid_bins + 2);
    const auto fine = static_cast<std::size_t>(exposure_bins + 2);
    for (std::size_t k = 0; k < size(); ++k) {
      const double x = of_a[k] >= 0 ? la[static_cast<std::size_t>(of_a[k])] : 0.0;
      const double y = of_b[k] >= 0 ? lb[static_cast<std::size_t>(of_b[k])] : 0.0;
      if (!(x - x == 0.0) || !(y - y == 0.0)) {  // NaN or infinite: counted, not summed
        ++grid.non_finite[k];
        ++combined.non_finite[k * fine];
        continue;
      }
      const std::int64_t fixed = to_fixed(x) + to_fixed(y);
      const std::int64_t cell = linear_bin(x, bound_a[k], joint_loss_grid_bins) * side +
                                linear_bin(y, bound_b[k], joint_loss_grid_bins);
      grid.add_prepared(k, fixed, cell);
      const std::int64_t bin = linear_bin(x + y, bound_a[k] + bound_b[k], exposure_bins);
      combined.add_prepared(k * fine + static_cast<std::size_t>(bin), fixed, 0);
    }
  }

  template <class C>
  void merge(const BasicJointLoss<C>& o) {
    grid.merge(o.grid);
    combined.merge(o.combined);
  }
  void clear() {
    grid.clear();
    combined.clear();
  }
};

/// Merged joint losses: 64-bit counts.
using JointLossOutcome = BasicJointLoss<std::uint64_t>;

}  // namespace wager
