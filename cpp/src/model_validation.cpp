// validate(Model): every field of a strategy checked against the scenario
// format's rules (docs/scenarios.md), refused with InputError naming the field
// as a scenario file spells it, so C++ and Python refuse the same models.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "validation_checks.hpp"
#include "wager/model.hpp"
#include "wager/require.hpp"

namespace wager {

namespace {

using detail::above;
using detail::at_least;
using detail::check_number;
using detail::check_series;
using detail::item_field;
using detail::refuse;
using detail::shown;
using detail::within;

// time: the scenario's years 1900-2200, steps of a year, a quarter or a month.
void check_calendar(const Model& m) {
  if (m.start_year < 1900 || m.start_year > 2200) {
    refuse("time.start_year", std::string("must be in [1900, 2200], got ") + std::to_string(m.start_year));
  }
  if (m.n_years < 1 || m.n_years > 2200 - m.start_year + 1) {
    refuse("time.horizon", std::string("the horizon must hold 1 to ") + std::to_string(2200 - m.start_year + 1) +
                               " years (to 2200), got n_years = " + std::to_string(m.n_years));
  }
  if (m.steps_per_year != 1 && m.steps_per_year != 4 && m.steps_per_year != 12) {
    refuse("time.steps_per_year", std::string("must be 1, 4 or 12, got ") + std::to_string(m.steps_per_year));
  }
}

// Names key the scenario's tables: each once.
template <class Items>
void check_unique_names(const std::string& table, const Items& items) {
  std::set<std::string> seen;
  for (const auto& item : items) {
    if (!item.name.empty() && !seen.insert(item.name).second) refuse(table, "the name '" + item.name + "' is given twice");
  }
}

void check_segments(const Model& m) {
  if (m.segments.empty()) refuse("segments", "at least one revenue segment is needed");
  check_unique_names("segments", m.segments);
  for (std::size_t i = 0; i < m.segments.size(); ++i) {
    const Segment& s = m.segments[i];
    const std::string at = item_field("segments", s.name, i);
    check_series(at + ".revenue", s.revenue, m, at_least(0.0));
    check_series(at + ".inference_cost_ratio", s.inference_cost_ratio, m, at_least(0.0));
    check_series(at + ".price_change", s.price_change, m, above(-1.0));
    check_number(at + ".demand_beta", s.demand_beta, at_least(0.0));
    check_number(at + ".volatility", s.volatility, at_least(0.0));
    check_number(at + ".persistence", s.persistence, within(0.0, 1.0));
  }
}

void check_regime(const Model& m, const Regime& r, const std::string& at, const std::string& odds) {
  check_number(at + ".demand_growth", r.demand_growth);
  check_number(at + ".price_change", r.price_change, above(-1.0));
  check_number(at + ".valuation_multiple", r.valuation_multiple, at_least(0.0));
  check_number(at + ".raise_success", r.raise_success, within(0.0, 1.0));
  check_number(at + ".spot_price", r.spot_price, at_least(0.0));
  check_number(at + ".resale_share", r.resale_share, within(0.0, 1.0));
  check_number(at + ".credit_spread", r.credit_spread, within(-0.05, 1.0));
  check_number(at + ".discount_rate", r.discount_rate, {-1.0, 1.0, true, false});
  if (!(r.discount_rate > m.resolution.terminal_growth)) {
    refuse(at + ".discount_rate", shown(r.discount_rate) + " must exceed distress.resolution.terminal_growth (" +
                                      shown(m.resolution.terminal_growth) +
                                      "): a going concern's value would be infinite");
  }
  check_number(at + ".spot_lead_time", r.spot_lead_time, within(0.0, 10.0));
  check_number(at + ".dcf_weight", r.dcf_weight, within(0.0, 1.0));
  check_number(odds, r.support_odds, within(0.0, 1.0));
}

void check_regimes(const Model& m) {
  if (m.regimes.empty()) refuse("market.regimes", "at least one regime is needed");
  check_unique_names("market.regimes", m.regimes);
  const auto n = static_cast<int>(m.regimes.size());
  if (m.initial_regime < 0 || m.initial_regime >= n) {
    refuse("market.initial", std::string("regime index ") + std::to_string(m.initial_regime) + " is not one of the " +
                                 std::to_string(n) + " regimes (0 to " + std::to_string(n - 1) + ")");
  }
  for (std::size_t i = 0; i < m.regimes.size(); ++i) {
    const Regime& r = m.regimes[i];
    check_regime(m, r, item_field("market.regimes", r.name, i),
                 item_field("distress.supplier_support.odds", r.name, i));
  }
}

// Each contract's payments, and their sum: the model's commitments.
void check_contracts(const Model& m) {
  if (m.contracts.empty()) return;
  check_unique_names("compute.commitments", m.contracts);
  YearlySeries total(static_cast<std::size_t>(m.n_years), 0.0);
  for (std::size_t c = 0; c < m.contracts.size(); ++c) {
    const Contract& k = m.contracts[c];
    const std::string at = item_field("compute.commitments", k.name, c);
    if (k.counterparty.empty()) refuse(at + ".counterparty", "a contract names its supplier");
    check_series(at + ".schedule", k.payments, m, at_least(0.0));
    for (std::size_t y = 0; y < total.size(); ++y) total[y] += k.payments[y];
  }
  for (std::size_t y = 0; y < total.size(); ++y) {
    const double c = m.commitments[y];
    if (!(std::abs(total[y] - c) <= 1e-9 * std::max(1.0, std::abs(c)))) {
      refuse(detail::year_field("compute.commitments", m, y),
             std::string("the contracts' payments sum to ") + shown(total[y]) + ", not the commitments' " + shown(c));
    }
  }
}

// The supporting suppliers' part of the commitments (docs/model.md §11, 8.).
void check_supported(const Model& m) {
  if (m.supported_commitments.empty()) return;
  const std::string at = "distress.supplier_support.counterparties";
  check_series(at, m.supported_commitments, m, at_least(0.0));
  for (std::size_t y = 0; y < m.supported_commitments.size(); ++y) {
    const double v = m.supported_commitments[y], c = m.commitments[y];
    if (v > c + 1e-9 * std::max(1.0, c)) {
      refuse(detail::year_field(at, m, y),
             std::string("their commitments, ") + shown(v) + ", exceed all the commitments, " + shown(c));
    }
  }
}

void check_compute(const Model& m) {
  check_series("compute.training", m.training, m, at_least(0.0));
  check_series("compute.commitments", m.commitments, m, at_least(0.0));
  check_contracts(m);
  check_supported(m);
  check_series("compute.capex", m.capex, m, at_least(0.0));
  check_number("compute.initial_assets", m.initial_assets, at_least(0.0));
  check_number("compute.capacity_per_dollar", m.capacity_per_dollar, at_least(0.0));
  check_number("compute.depreciation_life", m.depreciation_life, {0.0, 50.0, true, false});
  if (!m.impairment.empty()) check_series("compute.impairment", m.impairment, m, within(0.0, 1.0));
}

void check_costs(const Model& m) {
  const std::pair<const char*, const CostLine*> lines[] = {{"costs.staff", &m.staff},
                                                           {"costs.sales_marketing", &m.sales_marketing},
                                                           {"costs.general_admin", &m.general_admin},
                                                           {"costs.stock_based_pay", &m.stock_based_pay}};
  for (const auto& [name, line] : lines) {
    check_series(std::string(name) + ".fixed", line->fixed, m, at_least(0.0));
    check_series(std::string(name) + ".of_revenue", line->of_revenue, m, at_least(0.0));
  }
}

void check_tranches(const Model& m) {
  for (std::size_t i = 0; i < m.tranches.size(); ++i) {
    const Tranche& t = m.tranches[i];
    const std::string at = std::string("financing.tranches[") + std::to_string(i) + "]";
    check_number(at + ".year", t.time, {0.0, static_cast<double>(m.n_years), false, true});
    check_number(at + ".amount", t.amount, at_least(0.0));
    check_number(at + ".post_money", t.post_money, at_least(0.0));
    if (t.per_delivery && t.post_money > 0.0) {
      refuse(at + ".per_delivery", "a tranche paid per delivery is priced at market: it cannot have a post_money");
    }
  }
}

void check_equity(const Model& m) {
  const EquityPolicy& e = m.equity;
  check_number("financing.equity.trigger_runway", e.trigger_runway, at_least(0.0));
  check_number("financing.equity.target_runway", e.target_runway, at_least(0.0));
  if (e.target_runway < e.trigger_runway) {
    refuse("financing.equity.target_runway", shown(e.target_runway) + " is below trigger_runway " +
                                                 shown(e.trigger_runway) + ": a raise would never reach its trigger");
  }
  check_number("financing.equity.max_dilution", e.max_dilution, {0.0, 1.0, false, true});
  check_number("financing.equity.min_interval", e.min_interval, at_least(0.0));
  const FundingScore& s = e.score;
  check_number("financing.equity.score.sensitivity", s.sensitivity, within(0.0, 20.0));
  check_number("financing.equity.score.reference", s.reference, within(-10.0, 10.0));
  check_number("financing.equity.score.margin_weight", s.margin_weight, within(0.0, 10.0));
  check_number("financing.equity.score.floor", s.floor, within(-10.0, 10.0));
  check_number("financing.equity.score.cap", s.cap, within(-10.0, 10.0));
  if (s.floor > s.cap) refuse("financing.equity.score.floor", shown(s.floor) + " is above cap " + shown(s.cap));
  check_number("financing.equity.score.start", s.start, within(-10.0, 10.0));
  check_number("financing.equity.score.prior_revenue", s.prior_revenue, at_least(0.0));
}

void check_debt(const Model& m) {
  check_number("financing.debt.initial", m.initial_debt, at_least(0.0));
  check_series("financing.debt.rate", m.debt_rate, m, above(-1.0));
  check_number("financing.debt.credit_limit", m.credit_limit, at_least(0.0));
  check_number("financing.debt.min_liquidity", m.min_liquidity, at_least(0.0));
  double due = 0.0;
  for (std::size_t i = 0; i < m.debt_maturities.size(); ++i) {
    const DebtMaturity& d = m.debt_maturities[i];
    const std::string at = std::string("financing.debt.maturities[") + std::to_string(i) + "]";
    check_number(at + ".year", d.time, {0.0, static_cast<double>(m.n_years), false, true});
    check_number(at + ".amount", d.amount, above(0.0));
    due += d.amount;
  }
  if (due > m.initial_debt * (1.0 + 1e-12)) {
    refuse("financing.debt.maturities", shown(due) + " falls due but the initial debt is " + shown(m.initial_debt) +
                                            ": the maturities describe the debt held at the start");
  }
}

void check_financing(const Model& m) {
  check_number("financing.initial_cash", m.initial_cash, at_least(0.0));
  check_number("financing.cash_yield", m.cash_yield, within(0.0, 1.0));
  check_tranches(m);
  check_series("financing.valuation_scale", m.valuation_scale, m, at_least(0.0));
  check_equity(m);
  check_debt(m);
  check_number("tax.rate", m.tax_rate, within(0.0, 1.0));
}

void check_distress(const Model& m) {
  const ManagementPolicy& g = m.management;
  check_number("distress.management.trigger_runway", g.trigger_runway, at_least(0.0));
  check_number("distress.management.cut_training", g.cut_training, within(0.0, 1.0));
  check_number("distress.management.cut_opex", g.cut_opex, within(0.0, 1.0));
  check_number("distress.management.renegotiate", g.renegotiate, within(0.0, 1.0));
  check_number("distress.management.penalty", g.penalty, within(0.0, 1.0));
  const DistressResolution& r = m.resolution;
  check_number("distress.resolution.duration", r.duration, within(0.0, 10.0));
  check_number("distress.resolution.cost", r.cost, within(0.0, 1.0));
  check_number("distress.resolution.terminal_growth", r.terminal_growth, {-1.0, 1.0, true, true});
  check_number("distress.resolution.asset_sale_fraction", r.asset_sale_fraction, within(0.0, 1.0));
}

}  // namespace

void validate(const Model& m) {
  check_calendar(m);
  check_segments(m);
  check_distress(m);  // before the regimes: their discount rates must exceed the terminal growth
  check_regimes(m);
  check_compute(m);
  check_costs(m);
  check_financing(m);
}

}  // namespace wager
