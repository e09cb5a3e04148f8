// A model resolved to per-step arrays, computed once and shared read-only by
// every path.
#pragma once

#include <cstddef>
#include <vector>

#include "wager/model.hpp"

namespace wager::detail {

struct PreparedModel {
  const Model& model;
  int n_steps;
  int spy;
  double dt;
  std::vector<double> tranche_amount;           ///< per step, US$ bn
  std::vector<double> tranche_at_market;        ///< per step: the part priced at market
  std::vector<double> tranche_agreed_keep;      ///< per step: prod of (1 - amount / agreed post-money)
  std::vector<double> commitments_after;        ///< per step: sum of commitments of later steps
  std::vector<double> segment_log_price_rate;   ///< [segment][year]: log(1 + price_change), 1/yr
  std::vector<double> regime_log_price_rate;    ///< [regime]: log(1 + price_change), 1/yr

  double depreciation_decay = 0.0;              ///< 1 - exp(-dt / depreciation_life)
  /// How one step moves a segment, [segment][year][regime] (growth_index):
  /// exp(beta g dt), the demand level's growth over the step; exp(p dt), the
  /// price level's; the averages of exp(beta g s) and exp((beta g + p) s)
  /// over s in [0, dt], which turn levels into the step's volume and revenue.
  std::vector<double> growth_demand, growth_price, growth_mean_volume, growth_mean_revenue;
  std::vector<double> segment_ar_coef;          ///< per segment: persistence ^ dt
  std::vector<double> segment_ar_vol;           ///< per segment: innovation sd per step
  /// Per regime, for gathers by lane: spot price, resale share, credit
  /// spread, raise success; and [year][regime] the valuation multiple times
  /// the year's valuation scale.
  std::vector<double> regime_spot, regime_resale, regime_spread, regime_raise, year_regime_multiple;

  explicit PreparedModel(const Model& m);
  /// Recomputes every array from the model (after its values changed);
  /// reuses the arrays' memory.
  void refresh();

  int year_of(int step) const { return step / spy; }
  std::size_t growth_index(std::size_t segment, int year, int regime) const {
    const std::size_t nr = model.regimes.size();
    return (segment * static_cast<std::size_t>(model.n_years) + static_cast<std::size_t>(year)) * nr +
           static_cast<std::size_t>(regime);
  }
  double seg_log_price_rate(std::size_t s, int year) const {
    return segment_log_price_rate[s * static_cast<std::size_t>(model.n_years) +
                                  static_cast<std::size_t>(year)];
  }
};

}  // namespace wager::detail
