#include "prepared_model.hpp"

#include <cmath>

namespace wager::detail {

PreparedModel::PreparedModel(const Model& m)
    : model(m), n_steps(m.n_steps()), spy(m.steps_per_year), dt(m.dt()) {
  const auto ns = static_cast<std::size_t>(n_steps);
  tranche_amount.assign(ns, 0.0);
  tranche_post_money.assign(ns, 0.0);
  for (const Tranche& t : m.tranches) {
    // A tranche lands in the step that contains its date.
    int k = static_cast<int>(std::floor(t.time * spy + 1e-9));
    if (k < 0) k = 0;
    if (k >= n_steps) k = n_steps - 1;
    const auto ku = static_cast<std::size_t>(k);
    // Two tranches in one step: their post-money is the amount-weighted one.
    if (t.post_money > 0.0 && tranche_amount[ku] > 0.0 && tranche_post_money[ku] > 0.0) {
      const double a = tranche_amount[ku];
      tranche_post_money[ku] = (tranche_post_money[ku] * a + t.post_money * t.amount) / (a + t.amount);
    } else if (t.post_money > 0.0) {
      tranche_post_money[ku] = t.post_money;
    }
    tranche_amount[ku] += t.amount;
  }

  commitments_after.assign(ns, 0.0);
  double later = 0.0;
  for (int k = n_steps - 1; k >= 0; --k) {
    commitments_after[static_cast<std::size_t>(k)] = later;
    later += m.commitments[static_cast<std::size_t>(k / spy)] * dt;
  }

  const auto ny = static_cast<std::size_t>(m.n_years);
  segment_log_price_step.assign(m.segments.size() * ny, 0.0);
  for (std::size_t s = 0; s < m.segments.size(); ++s) {
    for (std::size_t y = 0; y < ny; ++y) {
      segment_log_price_step[s * ny + y] = std::log1p(m.segments[s].price_change[y]) * dt;
    }
  }
  regime_log_price_step.reserve(m.regimes.size());
  for (const Regime& r : m.regimes) regime_log_price_step.push_back(std::log1p(r.price_change) * dt);
}

}  // namespace wager::detail
