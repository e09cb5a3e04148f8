// A model resolved to per-step arrays, computed once and shared read-only by
// every path.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "wager/model.hpp"

namespace wager::detail {

struct PreparedModel {
  const Model& model;
  int n_steps;
  int spy;
  double dt;
  std::vector<double> tranche_amount;      ///< per step, US$ bn
  std::vector<double> tranche_post_money;  ///< per step; 0 = at market
  std::vector<double> commitments_after;   ///< per step: sum of commitments of later steps
  std::vector<double> segment_log_price_step;  ///< [segment][year]: log(1+pc) * dt
  std::vector<double> regime_log_price_step;   ///< [regime]: log(1+pc) * dt

  explicit PreparedModel(const Model& m);

  int year_of(int step) const { return step / spy; }
  double seg_log_price(std::size_t s, int year) const {
    return segment_log_price_step[s * static_cast<std::size_t>(model.n_years) +
                                  static_cast<std::size_t>(year)];
  }
};

}  // namespace wager::detail
