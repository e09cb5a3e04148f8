#include "prepared_model.hpp"

#include <algorithm>
#include <cmath>

namespace wager::detail {

PreparedModel::PreparedModel(const Model& m)
    : model(m), n_steps(m.n_steps()), spy(m.steps_per_year), dt(m.dt()) {
  refresh();
}

void PreparedModel::refresh() {
  const Model& m = model;
  const auto ns = static_cast<std::size_t>(n_steps);
  tranche_amount.assign(ns, 0.0);
  tranche_at_market.assign(ns, 0.0);
  tranche_agreed_keep.assign(ns, 1.0);
  for (const Tranche& t : m.tranches) {
    // A tranche lands in the step that contains its date.
    const int k = std::clamp(static_cast<int>(std::floor(t.time * spy + 1e-9)), 0, n_steps - 1);
    const auto ku = static_cast<std::size_t>(k);
    tranche_amount[ku] += t.amount;
    if (t.post_money > 0.0) {
      // Each agreed tranche sells its share of what the others left.
      tranche_agreed_keep[ku] *= 1.0 - std::min(t.amount / t.post_money, 1.0);
    } else {
      tranche_at_market[ku] += t.amount;
    }
  }

  commitments_after.assign(ns, 0.0);
  double later = 0.0;
  for (int k = n_steps - 1; k >= 0; --k) {
    commitments_after[static_cast<std::size_t>(k)] = later;
    later += m.commitments[static_cast<std::size_t>(k / spy)] * dt;
  }

  const auto ny = static_cast<std::size_t>(m.n_years);
  segment_log_price_rate.assign(m.segments.size() * ny, 0.0);
  for (std::size_t s = 0; s < m.segments.size(); ++s) {
    for (std::size_t y = 0; y < ny; ++y) {
      segment_log_price_rate[s * ny + y] = std::log1p(m.segments[s].price_change[y]);
    }
  }
  regime_log_price_rate.clear();
  for (const Regime& r : m.regimes) regime_log_price_rate.push_back(std::log1p(r.price_change));

  depreciation_decay = -std::expm1(-dt / m.depreciation_life);

  // Mean of exp(x s) over s in [0, 1]: turns a growth rate into the average
  // level over a step, so flows integrate exactly whatever the step size.
  const auto mean_growth = [](double x) { return x == 0.0 ? 1.0 : std::expm1(x) / x; };
  growth_demand.clear();
  growth_price.clear();
  growth_mean_volume.clear();
  growth_mean_revenue.clear();
  for (std::size_t s = 0; s < m.segments.size(); ++s) {
    const double beta = m.segments[s].demand_beta;
    for (std::size_t y = 0; y < ny; ++y) {
      for (std::size_t r = 0; r < m.regimes.size(); ++r) {
        const double g = m.regimes[r].demand_growth;
        const double p = segment_log_price_rate[s * ny + y] + regime_log_price_rate[r];
        growth_demand.push_back(std::exp(beta * g * dt));
        growth_price.push_back(std::exp(p * dt));
        growth_mean_volume.push_back(mean_growth(beta * g * dt));
        growth_mean_revenue.push_back(mean_growth((beta * g + p) * dt));
      }
    }
  }

  regime_spot.clear();
  regime_resale.clear();
  regime_spread.clear();
  regime_raise.clear();
  year_regime_multiple.clear();
  for (const Regime& r : m.regimes) {
    regime_spot.push_back(r.spot_price);
    regime_resale.push_back(r.resale_share);
    regime_spread.push_back(r.credit_spread);
    regime_raise.push_back(r.raise_success);
  }
  for (std::size_t y = 0; y < ny; ++y) {
    for (const Regime& r : m.regimes) year_regime_multiple.push_back(r.valuation_multiple * m.valuation_scale[y]);
  }

  // Exact discretisation of a yearly AR(1) x' = phi x + sigma e to steps of
  // dt: the same stationary variance sigma^2 / (1 - phi^2), or a random walk
  // with variance sigma^2 per year when phi = 1.
  segment_ar_coef.clear();
  segment_ar_vol.clear();
  for (const Segment& s : m.segments) {
    const double phi = s.persistence;
    const double coef = std::pow(phi, dt);
    const double var = phi < 1.0 ? s.volatility * s.volatility * (1.0 - coef * coef) / (1.0 - phi * phi)
                                 : s.volatility * s.volatility * dt;
    segment_ar_coef.push_back(coef);
    segment_ar_vol.push_back(std::sqrt(var));
  }
}

}  // namespace wager::detail
