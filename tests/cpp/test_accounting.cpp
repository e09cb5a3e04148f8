// The accounting identities of a projection, year by year.
#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "wager/projection.hpp"

using wager::Var;

TEST_CASE("projection: flows add up to the change in cash, gross profit and free cash flow") {
  for (int spy : {1, 4, 12}) {
    wager::ProjectionConfig cfg;
    cfg.model = wager::test::company(6, spy);
    const wager::Projection p = wager::project(cfg);
    const auto& t = p.annual;
    double cash = cfg.model.initial_cash;
    for (int y = 0; y < t.n_periods; ++y) {
      CAPTURE(spy);
      CAPTURE(y);
      const auto at = [&](Var v) { return t.at(v, y); };
      CHECK(at(Var::gross_profit) == doctest::Approx(at(Var::revenue) - at(Var::inference_cost)).epsilon(1e-12));
      // Free cash flow: operating income, non-cash items back, capex, interest and tax out.
      const double fcf = at(Var::operating_income) + at(Var::stock_based_pay) + at(Var::depreciation) -
                         at(Var::capex) - at(Var::net_interest) - at(Var::tax);
      CHECK(at(Var::free_cash_flow) == doctest::Approx(fcf).epsilon(1e-12));
      // Cash moves by free cash flow plus the money that came in.
      const double in = at(Var::equity_raised) + at(Var::tranches_received) + at(Var::debt_drawn) + at(Var::rescue) +
                        at(Var::supplier_conversion) + at(Var::supplier_deferral) - at(Var::debt_repaid);
      CHECK(at(Var::cash) == doctest::Approx(cash + at(Var::free_cash_flow) + in).epsilon(1e-12));
      cash = at(Var::cash);
    }
  }
}

TEST_CASE("projection: a company with no costs and no compute keeps its revenue as cash") {
  wager::ProjectionConfig cfg;
  wager::Model m = wager::test::company(3, 4);
  for (auto* s : {&m.training, &m.commitments, &m.capex}) std::fill(s->begin(), s->end(), 0.0);
  for (auto* c : {&m.staff, &m.sales_marketing, &m.general_admin, &m.stock_based_pay}) {
    std::fill(c->fixed.begin(), c->fixed.end(), 0.0);
    std::fill(c->of_revenue.begin(), c->of_revenue.end(), 0.0);
  }
  for (auto& s : m.segments) std::fill(s.inference_cost_ratio.begin(), s.inference_cost_ratio.end(), 0.0);
  m.initial_assets = 0.0;
  m.initial_debt = 0.0;
  m.tranches.clear();
  m.tax_rate = 0.0;
  m.cash_yield = 0.0;
  cfg.model = m;
  const wager::Projection p = wager::project(cfg);
  double expected = m.initial_cash;
  for (int y = 0; y < 3; ++y) expected += p.annual.at(Var::revenue, y);
  CHECK(p.annual.at(Var::cash, 2) == doctest::Approx(expected).epsilon(1e-13));
  // Revenue follows the plan: no regime or price change in the normal regime.
  CHECK(p.annual.at(Var::revenue, 0) == doctest::Approx(6.0).epsilon(1e-13));
  // docs/model.md §13: the last year's flow (its revenue) as a perpetuity
  // growing 2% at the normal regime's 12%, plus the cash.
  const double fcf = p.annual.at(Var::free_cash_flow, 2);
  CHECK(fcf == doctest::Approx(p.annual.at(Var::revenue, 2)).epsilon(1e-13));
  CHECK(p.events.terminal_dcf_value == doctest::Approx(fcf * 1.02 / 0.10 + expected).epsilon(1e-13));
}
