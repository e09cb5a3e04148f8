// The model's numeric parameters as one named table, which uncertain inputs
// and shocks address by index (docs/model.md §17, §25); each under the core's
// name and the scenario format's path (docs/cpp.md, "Shock and parameter names").
#include "wager/parameters.hpp"

#include <string>
#include <string_view>

#include "validation_checks.hpp"

namespace wager {

namespace {

// A name or path in up to three parts, joined only when the table is named:
// parameter_addresses builds a lane's table once per thread and per call.
struct Name {
  std::string_view a, b = {}, c = {};
  std::string str() const {
    std::string out;
    out.reserve(a.size() + b.size() + c.size());
    return out.append(a).append(b).append(c);
  }
};

struct Table {
  const Model& m;
  bool named = true;  // false: addresses alone (parameter_addresses)
  std::vector<ParameterRef> out;

  void add(const Name& name, const Name& path, double& v) {
    out.push_back(named ? ParameterRef{name.str(), &v, path.str()} : ParameterRef{{}, &v, {}});
  }
  // A yearly series: "<name>[i]" in the core, "<path>.<calendar year>" in the scenario.
  void series(const Name& name, const Name& path, YearlySeries& s) {
    if (!named) {
      for (double& v : s) out.push_back({{}, &v, {}});
      return;
    }
    const std::string n = name.str(), at = path.str();
    for (std::size_t i = 0; i < s.size(); ++i) {
      out.push_back({n + "[" + std::to_string(i) + "]", &s[i], detail::year_field(at, m, i)});
    }
  }
  void cost(std::string_view name, CostLine& c) {
    series({name, ".fixed"}, {"costs.", name, ".fixed"}, c.fixed);
    series({name, ".of_revenue"}, {"costs.", name, ".of_revenue"}, c.of_revenue);
  }
  // An item's core prefix and scenario path ("segments[0]", "segments.api"),
  // empty for an unnamed table.
  std::string item(const std::string& core, std::size_t i) const {
    return named ? core + "[" + std::to_string(i) + "]" : std::string();
  }
};

std::vector<ParameterRef> table(Model& m, bool named);

}  // namespace

std::vector<ParameterRef> parameters(Model& m) { return table(m, true); }

std::vector<ParameterRef> parameter_addresses(Model& m) { return table(m, false); }

namespace {

std::vector<ParameterRef> table(Model& m, bool named) {
  Table t{m, named, {}};
  // Room for every entry (at least): one reallocation-free pass.
  const std::size_t series = 3 * m.segments.size() + m.contracts.size() + 8 + 4 + 2;
  t.out.reserve(series * static_cast<std::size_t>(m.n_years) + 3 * m.segments.size() + 7 * m.regimes.size() +
                2 * m.tranches.size() + 24);
  const auto field = [&t](const std::string& prefix, const std::string& name, std::size_t i) {
    return t.named ? detail::item_field(prefix, name, i) : std::string();
  };
  for (std::size_t i = 0; i < m.segments.size(); ++i) {
    Segment& s = m.segments[i];
    const std::string p = t.item("segments", i), at = field("segments", s.name, i);
    t.series({p, ".revenue"}, {at, ".revenue"}, s.revenue);
    t.series({p, ".inference_cost_ratio"}, {at, ".inference_cost_ratio"}, s.inference_cost_ratio);
    t.series({p, ".price_change"}, {at, ".price_change"}, s.price_change);
    t.add({p, ".demand_beta"}, {at, ".demand_beta"}, s.demand_beta);
    t.add({p, ".volatility"}, {at, ".volatility"}, s.volatility);
    t.add({p, ".persistence"}, {at, ".persistence"}, s.persistence);
  }
  for (std::size_t i = 0; i < m.regimes.size(); ++i) {
    Regime& r = m.regimes[i];
    const std::string p = t.item("regimes", i), at = field("market.regimes", r.name, i);
    t.add({p, ".demand_growth"}, {at, ".demand_growth"}, r.demand_growth);
    t.add({p, ".price_change"}, {at, ".price_change"}, r.price_change);
    t.add({p, ".valuation_multiple"}, {at, ".valuation_multiple"}, r.valuation_multiple);
    t.add({p, ".raise_success"}, {at, ".raise_success"}, r.raise_success);
    t.add({p, ".spot_price"}, {at, ".spot_price"}, r.spot_price);
    t.add({p, ".resale_share"}, {at, ".resale_share"}, r.resale_share);
    t.add({p, ".credit_spread"}, {at, ".credit_spread"}, r.credit_spread);
  }
  t.series({"training"}, {"compute.training"}, m.training);
  t.series({"commitments"}, {"compute.commitments"}, m.commitments);  // all contracts summed
  // Each contract's own payments, which its supplier's claim follows
  // (docs/model.md §27, 1.); an input on a contract moves them and the sum.
  for (std::size_t i = 0; i < m.contracts.size(); ++i) {
    Contract& c = m.contracts[i];
    const std::string p = t.item("contracts", i), at = field("compute.commitments", c.name, i);
    t.series({p, ".payments"}, {at, ".schedule"}, c.payments);
  }
  t.series({"capex"}, {"compute.capex"}, m.capex);
  t.add({"initial_assets"}, {"compute.initial_assets"}, m.initial_assets);
  t.add({"capacity_per_dollar"}, {"compute.capacity_per_dollar"}, m.capacity_per_dollar);
  t.add({"depreciation_life"}, {"compute.depreciation_life"}, m.depreciation_life);
  t.series({"impairment"}, {"compute.impairment"}, m.impairment);
  t.cost("staff", m.staff);
  t.cost("sales_marketing", m.sales_marketing);
  t.cost("general_admin", m.general_admin);
  t.cost("stock_based_pay", m.stock_based_pay);
  t.add({"initial_cash"}, {"financing.initial_cash"}, m.initial_cash);
  t.add({"cash_yield"}, {"financing.cash_yield"}, m.cash_yield);
  for (std::size_t i = 0; i < m.tranches.size(); ++i) {
    const std::string p = t.item("tranches", i), at = t.named ? "financing.tranches." + std::to_string(i) : "";
    t.add({p, ".amount"}, {at, ".amount"}, m.tranches[i].amount);
    t.add({p, ".post_money"}, {at, ".post_money"}, m.tranches[i].post_money);
  }
  t.series({"valuation_scale"}, {"financing.valuation_scale"}, m.valuation_scale);
  t.add({"equity.trigger_runway"}, {"financing.equity.trigger_runway"}, m.equity.trigger_runway);
  t.add({"equity.target_runway"}, {"financing.equity.target_runway"}, m.equity.target_runway);
  t.add({"equity.max_dilution"}, {"financing.equity.max_dilution"}, m.equity.max_dilution);
  t.add({"equity.min_interval"}, {"financing.equity.min_interval"}, m.equity.min_interval);
  t.add({"initial_debt"}, {"financing.debt.initial"}, m.initial_debt);
  t.series({"debt_rate"}, {"financing.debt.rate"}, m.debt_rate);
  t.add({"credit_limit"}, {"financing.debt.credit_limit"}, m.credit_limit);
  t.add({"tax_rate"}, {"tax.rate"}, m.tax_rate);
  t.add({"management.trigger_runway"}, {"distress.management.trigger_runway"}, m.management.trigger_runway);
  t.add({"management.cut_training"}, {"distress.management.cut_training"}, m.management.cut_training);
  t.add({"management.cut_opex"}, {"distress.management.cut_opex"}, m.management.cut_opex);
  t.add({"management.renegotiate"}, {"distress.management.renegotiate"}, m.management.renegotiate);
  t.add({"management.penalty"}, {"distress.management.penalty"}, m.management.penalty);
  return std::move(t.out);
}

}  // namespace

}  // namespace wager
