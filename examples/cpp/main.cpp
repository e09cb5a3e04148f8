// A lender's view of a data-centre tenant, in C++ only: build the tenant's
// plan in code, project it, simulate it under market regimes, and run a
// small stress grid (the same paths for every stress).
#include <cstdio>
#include <string>
#include <vector>

#include "wager/projection.hpp"
#include "wager/shock.hpp"
#include "wager/simulation.hpp"
#include "wager/summary.hpp"

namespace {

wager::YearlySeries grow(int n, double first, double rate) {
  wager::YearlySeries s;
  for (int i = 0; i < n; ++i, first *= 1.0 + rate) s.push_back(first);
  return s;
}

// An AI tenant with 6 years of plan, quarterly steps, US$ bn.
wager::Model tenant() {
  const int n = 6;
  wager::Model m;
  m.start_year = 2026;
  m.n_years = n;
  m.steps_per_year = 4;
  const wager::YearlySeries zero(n, 0.0);
  m.segments.push_back({"api", grow(n, 8.0, 0.5), wager::YearlySeries(n, 0.4), zero, 1.0, 0.25, 0.8});
  wager::Regime normal, bust;
  normal.name = "normal";
  bust.name = "bust";
  bust.demand_growth = -0.3;
  bust.price_change = -0.15;
  bust.valuation_multiple = 5.0;
  bust.raise_success = 0.2;
  bust.spot_price = 0.25;
  bust.credit_spread = 0.05;
  m.regimes = {normal, bust};
  m.training = grow(n, 3.0, 0.2);
  m.commitments = grow(n, 4.0, 0.25);  // the lender's take-or-pay contract
  m.capex = zero;
  m.staff = {grow(n, 1.5, 0.15), wager::YearlySeries(n, 0.05)};
  m.sales_marketing = {wager::YearlySeries(n, 0.8), wager::YearlySeries(n, 0.06)};
  m.general_admin = {wager::YearlySeries(n, 0.5), zero};
  m.stock_based_pay = {wager::YearlySeries(n, 0.6), zero};
  m.initial_cash = 10.0;
  m.valuation_scale = wager::YearlySeries(n, 1.0);
  m.debt_rate = wager::YearlySeries(n, 0.08);
  return m;
}

wager::World market() {
  wager::World w;
  w.n_regimes = 2;
  // Per quarter: 3% chance normal -> bust, 15% bust -> normal.
  w.step_transition = {0.97, 0.03, 0.15, 0.85};
  w.factor_volatility = 0.2;
  w.factor_persistence = 0.8;
  return w;
}

wager::Shock shock(const char* field, wager::ShockOp op, double value, double start, double years) {
  wager::Shock s;
  s.field = field;
  s.label = field;
  s.op = op;
  s.value = value;
  s.start = start;
  s.duration = years;
  return s;
}

}  // namespace

int main() {
  const wager::Model plan = tenant();

  // 1. The plan, deterministically.
  wager::ProjectionConfig projection;
  projection.model = plan;
  const wager::Projection p = wager::project(projection);
  std::printf("Plan (US$ bn)\n year  revenue  operating_income     cash\n");
  for (int y = 0; y < plan.n_years; ++y) {
    std::printf(" %4d %8.1f %17.1f %8.1f\n", plan.start_year + y, p.annual.at(wager::Var::revenue, y),
                p.annual.at(wager::Var::operating_income, y), p.annual.at(wager::Var::cash, y));
  }
  std::printf(" distress year: %s\n\n", p.events.default_year ? std::to_string(*p.events.default_year).c_str() : "none");

  // 2. and 3. One simulation: the plan and two stresses, on the same paths.
  const std::vector<std::pair<std::string, std::vector<wager::Shock>>> stresses = {
      {"baseline", {}},
      {"funding freeze 2027-28", {shock("regimes[0].raise_success", wager::ShockOp::set, 0.0, 1.0, 2.0),
                                  shock("regimes[1].raise_success", wager::ShockOp::set, 0.0, 1.0, 2.0)}},
      {"demand -30% from 2027", {shock("segments[0].revenue", wager::ShockOp::scale, 0.7, 1.0, 99.0)}},
  };
  wager::SimulationConfig config;
  for (const auto& [name, shocks] : stresses) {
    wager::Strategy s;
    s.model = plan;
    s.shocks = shocks;
    config.strategies.push_back(s);
  }
  config.world = market();
  config.seed = 7;
  config.n_paths = 200000;
  config.n_threads = 2;
  const wager::SimulationResults results = wager::simulate(config);

  const int last = plan.n_years - 1;
  std::printf("Monte Carlo: %lld paths, seed %llu, the same paths for every stress\n",
              static_cast<long long>(config.n_paths), static_cast<unsigned long long>(config.seed));
  std::printf(" %-24s %18s %26s\n", "stress", "P(distress by 2031)", "terminal equity value (se)");
  for (std::size_t i = 0; i < stresses.size(); ++i) {
    const wager::StrategyOutcome& o = results.strategies[i];
    const double p_distress = wager::share_by(o.default_year, last, o.n_paths);
    const wager::MeanSe tev =
        wager::mean_and_se(o.series, wager::series_index(wager::Outcome::terminal_equity_value, plan.n_years), o.n_paths);
    std::printf(" %-24s %18.4f %18.1f (%.1f)\n", stresses[i].first.c_str(), p_distress, tev.mean, tev.se);
  }
  return 0;
}
