#include "model_from_dict.hpp"

#include <pybind11/stl.h>

#include "wager/require.hpp"

#include <string>
#include <vector>

namespace wager::python {

namespace py = pybind11;

namespace {
template <class T>
T get(const py::dict& d, const char* key) {
  return d[key].cast<T>();
}
CostLine cost_line(const py::dict& d) {
  return CostLine{get<YearlySeries>(d, "fixed"), get<YearlySeries>(d, "of_revenue")};
}
}  // namespace

Model model_from_dict(const py::dict& d) {
  Model m;
  m.start_year = get<int>(d, "start_year");
  m.n_years = get<int>(d, "n_years");
  m.steps_per_year = get<int>(d, "steps_per_year");
  for (const auto& item : get<py::list>(d, "segments")) {
    const auto s = item.cast<py::dict>();
    m.segments.push_back(Segment{get<std::string>(s, "name"), get<YearlySeries>(s, "revenue"),
                                 get<YearlySeries>(s, "inference_cost_ratio"),
                                 get<YearlySeries>(s, "price_change"), get<double>(s, "demand_beta"),
                                 get<double>(s, "volatility"), get<double>(s, "persistence")});
  }
  for (const auto& item : get<py::list>(d, "regimes")) {
    const auto r = item.cast<py::dict>();
    m.regimes.push_back(Regime{get<std::string>(r, "name"), get<double>(r, "demand_growth"),
                               get<double>(r, "price_change"), get<double>(r, "valuation_multiple"),
                               get<double>(r, "raise_success"), get<double>(r, "spot_price"),
                               get<double>(r, "resale_share"), get<double>(r, "credit_spread")});
  }
  m.initial_regime = get<int>(d, "initial_regime");
  m.training = get<YearlySeries>(d, "training");
  m.commitments = get<YearlySeries>(d, "commitments");
  m.capex = get<YearlySeries>(d, "capex");
  m.initial_assets = get<double>(d, "initial_assets");
  m.capacity_per_dollar = get<double>(d, "capacity_per_dollar");
  m.depreciation_life = get<double>(d, "depreciation_life");
  if (d.contains("impairment")) m.impairment = get<YearlySeries>(d, "impairment");
  m.staff = cost_line(get<py::dict>(d, "staff"));
  m.sales_marketing = cost_line(get<py::dict>(d, "sales_marketing"));
  m.general_admin = cost_line(get<py::dict>(d, "general_admin"));
  m.stock_based_pay = cost_line(get<py::dict>(d, "stock_based_pay"));
  m.initial_cash = get<double>(d, "initial_cash");
  m.cash_yield = get<double>(d, "cash_yield");
  for (const auto& item : get<py::list>(d, "tranches")) {
    const auto t = item.cast<py::dict>();
    m.tranches.push_back(Tranche{get<double>(t, "time"), get<double>(t, "amount"), get<double>(t, "post_money")});
  }
  m.valuation_scale = get<YearlySeries>(d, "valuation_scale");
  const auto eq = get<py::dict>(d, "equity");
  m.equity = EquityPolicy{get<bool>(eq, "enabled"), get<double>(eq, "trigger_runway"),
                          get<double>(eq, "target_runway"), get<double>(eq, "max_dilution"),
                          get<double>(eq, "min_interval")};
  m.initial_debt = get<double>(d, "initial_debt");
  m.debt_rate = get<YearlySeries>(d, "debt_rate");
  m.credit_limit = get<double>(d, "credit_limit");
  m.tax_rate = get<double>(d, "tax_rate");
  m.backstop = get<bool>(d, "backstop");
  const auto mg = get<py::dict>(d, "management");
  m.management = ManagementPolicy{get<bool>(mg, "enabled"), get<double>(mg, "trigger_runway"),
                                  get<double>(mg, "cut_training"), get<double>(mg, "cut_opex"),
                                  get<double>(mg, "renegotiate"), get<double>(mg, "penalty")};
  return m;
}

std::vector<Shock> shocks_from_list(const py::list& items) {
  std::vector<Shock> out;
  for (const auto& item : items) {
    const auto d = item.cast<py::dict>();
    Shock s;
    s.field = get<std::string>(d, "field");
    s.label = get<std::string>(d, "label");
    const auto op = get<std::string>(d, "op");
    s.op = op == "scale" ? ShockOp::scale : op == "add" ? ShockOp::add : ShockOp::set;
    WAGER_REQUIRE(op == "scale" || op == "add" || op == "set", s.label << ": unknown op " << op);
    s.value = get<double>(d, "value");
    s.value_by_year = get<std::vector<double>>(d, "value_by_year");
    s.severity = get<double>(d, "severity");
    s.start = get<double>(d, "start");
    s.trigger_regime = get<int>(d, "trigger_regime");
    s.trigger_after = get<double>(d, "trigger_after");
    s.duration = get<double>(d, "duration");
    const auto shape = get<std::string>(d, "shape");
    WAGER_REQUIRE(shape == "step" || shape == "ramp" || shape == "recovery", s.label << ": unknown shape " << shape);
    s.shape = shape == "step" ? ShockShape::step : shape == "ramp" ? ShockShape::ramp : ShockShape::recovery;
    s.ramp = get<double>(d, "ramp");
    s.half_life = get<double>(d, "half_life");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace wager::python
