// A Model with the scenario format's defaults (docs/scenarios.md): the
// segments and regimes it starts from, and make_model, which sizes every
// yearly series to the horizon so that the result validates.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "wager/model.hpp"

namespace wager {

std::vector<std::string> counterparty_names(const Model& model) {
  std::vector<std::string> out;
  for (const Contract& c : model.contracts) {
    if (std::find(out.begin(), out.end(), c.counterparty) == out.end()) out.push_back(c.counterparty);
  }
  return out;
}

Segment make_segment(std::string name, YearlySeries revenue, YearlySeries inference_cost_ratio) {
  Segment s;
  s.name = std::move(name);
  s.price_change.assign(revenue.size(), 0.0);
  s.revenue = std::move(revenue);
  s.inference_cost_ratio = std::move(inference_cost_ratio);
  return s;  // demand_beta, volatility and persistence: Segment's defaults, the format's
}

// wager.scenario.regime_defaults (python/wager/scenario/regime_defaults.py)
// gives the values and their sources; a field it leaves out takes Regime's
// default, the format's.
std::vector<Regime> default_regimes() {
  Regime boom;
  boom.name = "boom";
  boom.demand_growth = 0.10;
  boom.valuation_multiple = 35.0;
  boom.raise_success = 0.99999375;
  boom.spot_price = 1.3;
  boom.resale_share = 0.8;
  boom.discount_rate = 0.10;
  boom.spot_lead_time = 0.75;
  boom.dcf_weight = 0.0;
  Regime normal;
  normal.name = "normal";
  Regime bust;
  bust.name = "bust";
  bust.demand_growth = -0.30;
  bust.price_change = -0.15;
  bust.valuation_multiple = 5.0;
  bust.raise_success = 0.5904;
  bust.spot_price = 0.25;
  bust.resale_share = 0.3;
  bust.credit_spread = 0.05;
  bust.discount_rate = 0.17;
  bust.spot_lead_time = 0.05;
  bust.dcf_weight = 0.5;
  return {boom, normal, bust};
}

std::vector<double> default_yearly_transition() {
  return {0.70, 0.25, 0.05,   // from boom
          0.15, 0.75, 0.10,   // from normal
          0.05, 0.35, 0.60};  // from bust
}

Model make_model(std::vector<Segment> segments, double initial_cash, int start_year, int horizon, int steps_per_year) {
  Model m;
  m.start_year = start_year;
  m.n_years = horizon - start_year + 1;
  m.steps_per_year = steps_per_year;
  m.segments = std::move(segments);
  m.regimes = default_regimes();
  m.initial_regime = 1;  // "normal", the format's market.initial
  const auto n = static_cast<std::size_t>(m.n_years > 0 ? m.n_years : 0);
  const YearlySeries zeros(n, 0.0);
  m.training = m.commitments = m.capex = m.impairment = zeros;
  m.staff = m.sales_marketing = m.general_admin = m.stock_based_pay = CostLine{zeros, zeros};
  m.initial_cash = initial_cash;
  m.valuation_scale.assign(n, 1.0);
  m.debt_rate.assign(n, 0.08);
  validate(m);
  return m;
}

}  // namespace wager
