// A small company built in code, for the C++ tests: two segments, regimes,
// take-or-pay commitments, a tranche, debt, equity raises.
#pragma once

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "wager/model.hpp"
#include "wager/require.hpp"
#include "wager/simulation.hpp"

namespace wager::test {

inline YearlySeries series(int n, double first, double growth) {
  YearlySeries s;
  double v = first;
  for (int i = 0; i < n; ++i, v *= growth) s.push_back(v);
  return s;
}

inline Model company(int n_years = 6, int steps_per_year = 4) {
  Model m;
  m.start_year = 2025;
  m.n_years = n_years;
  m.steps_per_year = steps_per_year;
  const YearlySeries zeros(static_cast<std::size_t>(n_years), 0.0);
  m.segments.push_back({"enterprise", series(n_years, 4.0, 1.6), YearlySeries(zeros.size(), 0.35), zeros, 1.0, 0.2, 0.8});
  m.segments.push_back({"consumer", series(n_years, 2.0, 1.4), YearlySeries(zeros.size(), 0.55), zeros, 1.2, 0.3, 0.7});
  Regime normal;
  normal.name = "normal";
  Regime bust;
  bust.name = "bust";
  bust.demand_growth = -0.3;
  bust.price_change = -0.15;
  bust.valuation_multiple = 5.0;
  bust.raise_success = 0.2;
  bust.spot_price = 0.25;
  bust.credit_spread = 0.05;
  m.regimes = {normal, bust};
  m.training = series(n_years, 2.0, 1.3);
  m.commitments = series(n_years, 3.0, 1.2);
  m.capex = series(n_years, 0.5, 1.1);
  m.initial_assets = 2.0;
  m.staff = {series(n_years, 1.0, 1.2), YearlySeries(zeros.size(), 0.05)};
  m.sales_marketing = {series(n_years, 0.5, 1.1), YearlySeries(zeros.size(), 0.08)};
  m.general_admin = {YearlySeries(zeros.size(), 0.4), zeros};
  m.stock_based_pay = {YearlySeries(zeros.size(), 0.3), YearlySeries(zeros.size(), 0.02)};
  m.initial_cash = 6.0;
  m.tranches.push_back({1.5, 3.0, 0.0});
  m.valuation_scale = YearlySeries(zeros.size(), 1.0);
  m.initial_debt = 1.0;
  m.debt_rate = YearlySeries(zeros.size(), 0.07);
  m.credit_limit = 2.0;
  return m;
}

/// A world where the market moves between normal and bust.
inline World world_for(const Model& m, double factor_vol = 0.2) {
  World w;
  w.n_regimes = static_cast<int>(m.regimes.size());
  const double q = 1.0 / m.steps_per_year;  // a rough per-step chain; exactness is Python's job
  w.step_transition = {1.0 - 0.1 * q, 0.1 * q, 0.4 * q, 1.0 - 0.4 * q};
  w.factor_volatility = factor_vol;
  w.factor_persistence = 0.8;
  return w;
}

/// Runs `call`, which must throw InputError naming `field`; returns the error.
template <class Call>
InputError refusal(Call&& call, const std::string& field) {
  try {
    call();
  } catch (const InputError& e) {
    CHECK(e.field() == field);
    return e;
  }
  FAIL("no InputError naming " << field);
  return InputError("");
}

}  // namespace wager::test
