// Uncertain inputs taken straight into the lanes (LaneInputs) give the bits
// of a model per lane: the same run with one more input, of weight 0 on a
// segment's volatility, takes the model-per-lane route, and must agree bit
// for bit on every statistic.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "wager/parameters.hpp"
#include "wager/random/distributions.hpp"
#include "wager/simulation.hpp"

namespace {

int index_of(wager::Model& m, const std::string& name) {
  const auto params = wager::parameters(m);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return static_cast<int>(i);
  }
  FAIL("no parameter " << name);
  return -1;
}

wager::UncertainInput normal_input(wager::Model& m, const std::string& name, double mean, double sd,
                                   const std::vector<std::pair<std::string, double>>& targets) {
  wager::UncertainInput in;
  in.name = name;
  in.distribution.kind = wager::random::DistKind::normal;
  in.distribution.a = mean;
  in.distribution.b = sd;
  wager::random::prepare(in.distribution, name);
  in.central = mean;
  for (const auto& [target, weight] : targets) {
    in.targets.push_back(index_of(m, target));
    in.weights.push_back(weight);
  }
  return in;
}

// Inputs on every kind of value LaneInputs loads: one year of a series, a
// whole series, a stretch with unequal weights, regime effects, the
// valuation scale, depreciation, the growth tables' inputs and constants.
wager::Strategy strategy_with_inputs() {
  wager::Strategy s;
  s.model = wager::test::company();
  wager::Model& m = s.model;
  const auto whole = [&m](const std::string& series, double weight) {
    std::vector<std::pair<std::string, double>> t;
    for (int y = 0; y < m.n_years; ++y) t.emplace_back(series + "[" + std::to_string(y) + "]", weight);
    return t;
  };
  s.inputs.push_back(normal_input(m, "revenue_2027", 0.0, 1.0, {{"segments[0].revenue[2]", 1.0}}));
  s.inputs.push_back(normal_input(m, "cost_ratio", 0.0, 0.05, whole("segments[1].inference_cost_ratio", 1.0)));
  s.inputs.push_back(normal_input(m, "price", 0.0, 0.03, whole("segments[0].price_change", 1.0)));
  s.inputs.push_back(normal_input(m, "training_ramp", 0.0, 0.5,
                                  {{"training[1]", 0.5}, {"training[2]", 1.0}, {"training[3]", 1.0}}));
  s.inputs.push_back(normal_input(m, "bust_growth", -0.3, 0.05, {{"regimes[1].demand_growth", 1.0}}));
  s.inputs.push_back(normal_input(m, "bust_price", -0.15, 0.03, {{"regimes[1].price_change", 1.0}}));
  s.inputs.push_back(normal_input(m, "bust_multiple", 5.0, 1.0, {{"regimes[1].valuation_multiple", 1.0}}));
  s.inputs.push_back(normal_input(m, "bust_raise", 0.2, 0.05, {{"regimes[1].raise_success", 1.0}}));
  s.inputs.push_back(normal_input(m, "spot", 0.25, 0.05, {{"regimes[1].spot_price", 1.0}, {"regimes[0].spot_price", 0.5}}));
  s.inputs.push_back(normal_input(m, "spread", 0.05, 0.01, {{"regimes[1].credit_spread", 1.0}}));
  s.inputs.push_back(normal_input(m, "scale_2028", 1.0, 0.1, {{"valuation_scale[3]", 1.0}}));
  s.inputs.push_back(normal_input(m, "life", 6.0, 0.5, {{"depreciation_life", 1.0}}));
  s.inputs.push_back(normal_input(m, "capex", 0.0, 0.1, whole("capex", 1.0)));
  s.inputs.push_back(normal_input(m, "staff", 0.0, 0.2, whole("staff.fixed", 1.0)));
  s.inputs.push_back(normal_input(m, "debt_rate", 0.0, 0.01, whole("debt_rate", 1.0)));
  s.inputs.push_back(normal_input(m, "cash", 6.0, 1.0, {{"initial_cash", 1.0}}));
  s.inputs.push_back(normal_input(m, "tax", 0.21, 0.03, {{"tax_rate", 1.0}}));
  s.inputs.push_back(normal_input(m, "dilution", 0.25, 0.03, {{"equity.max_dilution", 1.0}}));
  s.inputs.push_back(normal_input(m, "beta", 1.2, 0.1, {{"segments[1].demand_beta", 1.0}}));
  // The constants' values in the model are their inputs' central values.
  m.regimes[1].spot_price = 0.25;
  m.regimes[0].spot_price = 1.0;
  m.depreciation_life = 6.0;
  m.tax_rate = 0.21;
  m.equity.max_dilution = 0.25;
  m.segments[1].demand_beta = 1.2;
  return s;
}

wager::SimulationConfig config(const wager::Strategy& s) {
  wager::SimulationConfig c;
  c.strategies.push_back(s);
  c.world = wager::test::world_for(s.model);
  c.seed = 7;
  c.n_paths = 3001;  // not a multiple of the block: a partial block too
  c.n_threads = 2;
  return c;
}

}  // namespace

TEST_CASE("uncertain inputs: straight into the lanes, the bits of a model per lane") {
  const wager::Strategy direct = strategy_with_inputs();
  wager::Strategy per_lane = direct;
  // Weight 0 on a volatility: no value changes, but a segment's AR(1)
  // coefficients then vary by lane, which LaneInputs leaves to a model per lane.
  per_lane.inputs.push_back(normal_input(per_lane.model, "no_effect", 0.0, 1.0, {{"segments[0].volatility", 0.0}}));
  const auto a = wager::simulate(config(direct)).strategies.front();
  const auto b = wager::simulate(config(per_lane)).strategies.front();
  CHECK(a.n_paths == 3001);
  CHECK(a.series.sum == b.series.sum);
  CHECK(a.series.sum_squares == b.series.sum_squares);
  CHECK(a.series.histogram == b.series.histogram);
  CHECK(a.default_year == b.default_year);
  CHECK(a.first_profit_year == b.first_profit_year);
  // The inputs moved the results: the run differs from one without them.
  wager::Strategy none = direct;
  none.inputs.clear();
  const auto c = wager::simulate(config(none)).strategies.front();
  CHECK(a.series.sum != c.series.sum);
}
