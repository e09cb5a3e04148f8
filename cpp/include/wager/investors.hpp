// Each committed investor tranche's stake (docs/model.md §28, investors):
// what it paid, the share of the company it holds at the horizon after the
// later rounds' dilution, what that share is worth, and what the investor
// loses; summed over the paths of a simulation in fixed point and integer
// counts, so that it merges by integer addition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/exposure.hpp"
#include "wager/model.hpp"
#include "wager/statistics.hpp"

namespace wager {

/// The sums kept per tranche, in this order.
enum class InvestorSeries : int {
  invested,     ///< what it paid on the path (0 if the company was in distress before it landed)
  stake,        ///< its share of the company at the horizon (or at the distress)
  value,        ///< the stake times the terminal equity value (or the equity's recovery at a distress)
  value_today,  ///< value discounted to the start along the path's regimes
  loss,         ///< max(invested - value, 0)
  value_dcf,        ///< the stake times the terminal DCF value (or the equity's recovery at a distress)
  value_dcf_today,  ///< value_dcf discounted to the start
  loss_dcf,         ///< max(invested - value_dcf, 0)
  count_
};
inline constexpr int n_investor_series = static_cast<int>(InvestorSeries::count_);

/// What a simulation's paths add up to for the committed tranches
/// (Model::tranches, in order; none: every vector empty). Merges by
/// integer addition.
struct InvestorOutcome {
  std::size_t n_tranches = 0;
  /// [t]: the top of tranche t's loss histogram, twice its planned amount
  /// (a path's own amount may exceed the plan). Not summed by merge.
  std::vector<double> bound;
  /// [t * n_investor_series + s]: the sums of InvestorSeries s; one bin (the count).
  SeriesStats sums;
  /// [t]: the loss, every path; exposure_bins + 2 linear_bin bins on [0, bound].
  SeriesStats loss;

  /// Shapes for `model`'s tranches, every sum zero.
  void reset(const Model& model) {
    n_tranches = model.tranches.size();
    bound.clear();
    for (const Tranche& t : model.tranches) bound.push_back(2.0 * t.amount);
    sums = SeriesStats(n_tranches * static_cast<std::size_t>(n_investor_series), 1);
    loss = SeriesStats(n_tranches, exposure_bins + 2);
  }
  void merge(const InvestorOutcome& o) {
    sums.merge(o.sums);
    loss.merge(o.loss);
  }
  void clear() {
    sums.clear();
    loss.clear();
  }
  /// Tranche t on one path: what it paid, its stake, and the company's
  /// equity by the multiple and by DCF, and the discount factor to the start.
  void add(std::size_t t, double invested, double stake, double equity, double equity_dcf, double today) {
    const double value = stake * equity, value_dcf = stake * equity_dcf;
    const double lost = invested > value ? invested - value : 0.0;
    const double lost_dcf = invested > value_dcf ? invested - value_dcf : 0.0;
    const double v[n_investor_series] = {invested,  stake,         value,   value * today,
                                         lost,      value_dcf,     value_dcf * today, lost_dcf};
    const std::size_t first = t * static_cast<std::size_t>(n_investor_series);
    // A NaN or infinite value (x - x is not 0) is counted, not summed, as in SeriesStats::add.
    for (std::size_t s = 0; s < static_cast<std::size_t>(n_investor_series); ++s) {
      if (v[s] - v[s] == 0.0) {
        sums.add_prepared(first + s, to_fixed(v[s]), 0);
      } else {
        ++sums.non_finite[first + s];
      }
    }
    if (lost - lost == 0.0) {
      loss.add_prepared(t, to_fixed(lost), linear_bin(lost, bound[t], exposure_bins));
    } else {
      ++loss.non_finite[t];
    }
  }
};

}  // namespace wager
