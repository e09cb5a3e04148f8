// The model's numeric parameters as one named table, which uncertain inputs
// and shocks address by index (docs/model.md §17, §25).
#include "wager/parameters.hpp"

namespace wager {

namespace {
void add(std::vector<ParameterRef>& out, const std::string& name, double& v) { out.push_back({name, &v}); }
void add_series(std::vector<ParameterRef>& out, const std::string& name, YearlySeries& s) {
  for (std::size_t i = 0; i < s.size(); ++i) add(out, name + "[" + std::to_string(i) + "]", s[i]);
}
void add_cost(std::vector<ParameterRef>& out, const std::string& name, CostLine& c) {
  add_series(out, name + ".fixed", c.fixed);
  add_series(out, name + ".of_revenue", c.of_revenue);
}
}  // namespace

std::vector<ParameterRef> parameters(Model& m) {
  std::vector<ParameterRef> out;
  for (std::size_t i = 0; i < m.segments.size(); ++i) {
    Segment& s = m.segments[i];
    const std::string p = "segments[" + std::to_string(i) + "]";
    add_series(out, p + ".revenue", s.revenue);
    add_series(out, p + ".inference_cost_ratio", s.inference_cost_ratio);
    add_series(out, p + ".price_change", s.price_change);
    add(out, p + ".demand_beta", s.demand_beta);
    add(out, p + ".volatility", s.volatility);
    add(out, p + ".persistence", s.persistence);
  }
  for (std::size_t i = 0; i < m.regimes.size(); ++i) {
    Regime& r = m.regimes[i];
    const std::string p = "regimes[" + std::to_string(i) + "]";
    add(out, p + ".demand_growth", r.demand_growth);
    add(out, p + ".price_change", r.price_change);
    add(out, p + ".valuation_multiple", r.valuation_multiple);
    add(out, p + ".raise_success", r.raise_success);
    add(out, p + ".spot_price", r.spot_price);
    add(out, p + ".resale_share", r.resale_share);
    add(out, p + ".credit_spread", r.credit_spread);
  }
  add_series(out, "training", m.training);
  add_series(out, "commitments", m.commitments);
  add_series(out, "capex", m.capex);
  add(out, "initial_assets", m.initial_assets);
  add(out, "capacity_per_dollar", m.capacity_per_dollar);
  add(out, "depreciation_life", m.depreciation_life);
  add_series(out, "impairment", m.impairment);
  add_cost(out, "staff", m.staff);
  add_cost(out, "sales_marketing", m.sales_marketing);
  add_cost(out, "general_admin", m.general_admin);
  add_cost(out, "stock_based_pay", m.stock_based_pay);
  add(out, "initial_cash", m.initial_cash);
  add(out, "cash_yield", m.cash_yield);
  for (std::size_t i = 0; i < m.tranches.size(); ++i) {
    const std::string p = "tranches[" + std::to_string(i) + "]";
    add(out, p + ".amount", m.tranches[i].amount);
    add(out, p + ".post_money", m.tranches[i].post_money);
  }
  add_series(out, "valuation_scale", m.valuation_scale);
  add(out, "equity.trigger_runway", m.equity.trigger_runway);
  add(out, "equity.target_runway", m.equity.target_runway);
  add(out, "equity.max_dilution", m.equity.max_dilution);
  add(out, "equity.min_interval", m.equity.min_interval);
  add(out, "initial_debt", m.initial_debt);
  add_series(out, "debt_rate", m.debt_rate);
  add(out, "credit_limit", m.credit_limit);
  add(out, "tax_rate", m.tax_rate);
  add(out, "management.trigger_runway", m.management.trigger_runway);
  add(out, "management.cut_training", m.management.cut_training);
  add(out, "management.cut_opex", m.management.cut_opex);
  add(out, "management.renegotiate", m.management.renegotiate);
  add(out, "management.penalty", m.management.penalty);
  return out;
}

}  // namespace wager
