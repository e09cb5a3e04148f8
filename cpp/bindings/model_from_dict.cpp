// Python dict -> wager::Model (the dict python/wager/kernel_config.py
// builds), every nested dict key-checked; the core re-checks values and shapes.
#include <pybind11/stl.h>

#include <string>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

namespace {

Segment segment_from_dict(const py::dict& s, const std::string& w) {
  check_keys(s, w,
             {"name", "revenue", "inference_cost_ratio", "price_change", "demand_beta", "volatility", "persistence"});
  return Segment{get<std::string>(s, "name", w),         get<YearlySeries>(s, "revenue", w),
                 get<YearlySeries>(s, "inference_cost_ratio", w), get<YearlySeries>(s, "price_change", w),
                 get<double>(s, "demand_beta", w),        get<double>(s, "volatility", w),
                 get<double>(s, "persistence", w)};
}

Regime regime_from_dict(const py::dict& r, const std::string& w) {
  check_keys(r, w,
             {"name", "demand_growth", "price_change", "valuation_multiple", "raise_success", "spot_price",
              "resale_share", "credit_spread", "discount_rate", "support_odds", "spot_lead_time", "dcf_weight"});
  return Regime{get<std::string>(r, "name", w),        get<double>(r, "demand_growth", w),
                get<double>(r, "price_change", w),     get<double>(r, "valuation_multiple", w),
                get<double>(r, "raise_success", w),    get<double>(r, "spot_price", w),
                get<double>(r, "resale_share", w),     get<double>(r, "credit_spread", w),
                get<double>(r, "discount_rate", w),    get<double>(r, "support_odds", w),
                get<double>(r, "spot_lead_time", w),   get<double>(r, "dcf_weight", w)};
}

CostLine cost_line(const py::dict& d, const char* key, const std::string& where) {
  const std::string w = field(where, key);
  const py::dict c = as_dict(d[key], w);
  check_keys(c, w, {"fixed", "of_revenue"});
  return CostLine{get<YearlySeries>(c, "fixed", w), get<YearlySeries>(c, "of_revenue", w)};
}

Tranche tranche_from_dict(const py::dict& t, const std::string& w) {
  check_keys(t, w, {"time", "amount", "post_money", "per_delivery"});
  return Tranche{get<double>(t, "time", w), get<double>(t, "amount", w), get<double>(t, "post_money", w),
                 get<bool>(t, "per_delivery", w)};
}

FundingScore score_from_dict(const py::dict& f, const std::string& w) {
  check_keys(f, w, {"sensitivity", "reference", "margin_weight", "floor", "cap", "start", "prior_revenue"});
  return FundingScore{get<double>(f, "sensitivity", w), get<double>(f, "reference", w),
                      get<double>(f, "margin_weight", w), get<double>(f, "floor", w),
                      get<double>(f, "cap", w),         get<double>(f, "start", w),
                      get<double>(f, "prior_revenue", w)};
}

EquityPolicy equity_from_dict(const py::dict& e, const std::string& w) {
  check_keys(e, w, {"enabled", "trigger_runway", "target_runway", "max_dilution", "min_interval", "score"});
  return EquityPolicy{get<bool>(e, "enabled", w), get<double>(e, "trigger_runway", w),
                      get<double>(e, "target_runway", w), get<double>(e, "max_dilution", w),
                      get<double>(e, "min_interval", w),
                      score_from_dict(as_dict(e["score"], field(w, "score")), field(w, "score"))};
}

DebtMaturity maturity_from_dict(const py::dict& t, const std::string& w) {
  check_keys(t, w, {"time", "amount"});
  return DebtMaturity{get<double>(t, "time", w), get<double>(t, "amount", w)};
}

Contract contract_from_dict(const py::dict& t, const std::string& w) {
  check_keys(t, w, {"name", "counterparty", "payments"});
  return Contract{get<std::string>(t, "name", w), get<std::string>(t, "counterparty", w),
                  get<YearlySeries>(t, "payments", w)};
}

ManagementPolicy management_from_dict(const py::dict& m, const std::string& w) {
  check_keys(m, w, {"enabled", "trigger_runway", "cut_training", "cut_opex", "renegotiate", "penalty",
                    "penalty_upfront"});
  return ManagementPolicy{get<bool>(m, "enabled", w),       get<double>(m, "trigger_runway", w),
                          get<double>(m, "cut_training", w), get<double>(m, "cut_opex", w),
                          get<double>(m, "renegotiate", w),  get<double>(m, "penalty", w),
                          get<bool>(m, "penalty_upfront", w)};
}

DistressResolution resolution_from_dict(const py::dict& r, const std::string& w) {
  check_keys(r, w, {"enabled", "duration", "cost", "terminal_growth", "asset_sale_fraction", "cap_rejection"});
  return DistressResolution{get<bool>(r, "enabled", w),          get<double>(r, "duration", w),
                            get<double>(r, "cost", w),           get<double>(r, "terminal_growth", w),
                            get<double>(r, "asset_sale_fraction", w), get<bool>(r, "cap_rejection", w)};
}

// Each item of list d[key], a dict, through `convert`.
template <class T, class F>
std::vector<T> list_of(const py::dict& d, const char* key, const std::string& where, F convert) {
  std::vector<T> out;
  const std::string w = field(where, key);
  std::size_t i = 0;
  for (const auto& h : get<py::list>(d, key, where)) {
    const std::string wi = item(w, i++);
    out.push_back(convert(as_dict(h, wi), wi));
  }
  return out;
}

}  // namespace

Model model_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where,
             {"start_year", "n_years", "steps_per_year", "segments", "regimes", "initial_regime", "training",
              "commitments", "supported_commitments", "support_defers", "contracts", "capex", "initial_assets", "capacity_per_dollar", "depreciation_life", "impairment",
              "staff", "sales_marketing", "general_admin", "stock_based_pay", "initial_cash", "cash_yield",
              "tranches", "valuation_scale", "equity", "initial_debt", "debt_rate", "debt_maturities", "credit_limit", "credit_revolving", "credit_secured", "liquidity_covenant", "min_liquidity", "tax_rate",
              "backstop", "management", "resolution"});
  Model m;
  m.start_year = get<int>(d, "start_year", where);
  m.n_years = get<int>(d, "n_years", where);
  m.steps_per_year = get<int>(d, "steps_per_year", where);
  m.segments = list_of<Segment>(d, "segments", where, segment_from_dict);
  m.regimes = list_of<Regime>(d, "regimes", where, regime_from_dict);
  m.initial_regime = get<int>(d, "initial_regime", where);
  m.training = get<YearlySeries>(d, "training", where);
  m.commitments = get<YearlySeries>(d, "commitments", where);
  m.supported_commitments = get<YearlySeries>(d, "supported_commitments", where);
  m.contracts = list_of<Contract>(d, "contracts", where, contract_from_dict);
  m.support_defers = get<bool>(d, "support_defers", where);
  m.capex = get<YearlySeries>(d, "capex", where);
  m.initial_assets = get<double>(d, "initial_assets", where);
  m.capacity_per_dollar = get<double>(d, "capacity_per_dollar", where);
  m.depreciation_life = get<double>(d, "depreciation_life", where);
  m.impairment = get<YearlySeries>(d, "impairment", where);
  m.staff = cost_line(d, "staff", where);
  m.sales_marketing = cost_line(d, "sales_marketing", where);
  m.general_admin = cost_line(d, "general_admin", where);
  m.stock_based_pay = cost_line(d, "stock_based_pay", where);
  m.initial_cash = get<double>(d, "initial_cash", where);
  m.cash_yield = get<double>(d, "cash_yield", where);
  m.tranches = list_of<Tranche>(d, "tranches", where, tranche_from_dict);
  m.debt_maturities = list_of<DebtMaturity>(d, "debt_maturities", where, maturity_from_dict);
  m.valuation_scale = get<YearlySeries>(d, "valuation_scale", where);
  m.equity = equity_from_dict(as_dict(d["equity"], field(where, "equity")), field(where, "equity"));
  m.initial_debt = get<double>(d, "initial_debt", where);
  m.debt_rate = get<YearlySeries>(d, "debt_rate", where);
  m.credit_limit = get<double>(d, "credit_limit", where);
  m.credit_revolving = get<bool>(d, "credit_revolving", where);
  m.credit_secured = get<bool>(d, "credit_secured", where);
  m.liquidity_covenant = get<bool>(d, "liquidity_covenant", where);
  m.min_liquidity = get<double>(d, "min_liquidity", where);
  m.tax_rate = get<double>(d, "tax_rate", where);
  m.backstop = get<bool>(d, "backstop", where);
  m.management = management_from_dict(as_dict(d["management"], field(where, "management")), field(where, "management"));
  m.resolution = resolution_from_dict(as_dict(d["resolution"], field(where, "resolution")), field(where, "resolution"));
  return m;
}

}  // namespace wager::python
