// wager::Projection -> Python dict: columns, values[var, year],
// segment_revenue[segment, year], events, and the per-step tables if recorded.
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "conversions.hpp"
#include "numpy_owner.hpp"

namespace wager::python {

namespace {

py::object optional_year(const std::optional<int>& y) {
  return y ? py::object(py::int_(*y)) : py::object(py::none());
}

/// docs/model.md §27: what the distress came to; None without one.
py::object distress_to_dict(const DistressResult& r, int start_year, int steps_per_year) {
  if (r.kind == ResolutionKind::none) return py::none();
  static constexpr const char* classes[n_claim_classes] = {"secured", "unsecured_debt", "contracts", "trade"};
  py::dict claims, recovered;
  for (int c = 0; c < n_claim_classes; ++c) {
    claims[classes[c]] = r.claims[c];
    recovered[classes[c]] = r.recovered[c];
  }
  py::dict out;
  out["kind"] = r.kind == ResolutionKind::reorganised ? "reorganised" : "liquidated";
  out["distress_step"] = r.distress_step;
  out["resolution_step"] = r.resolution_step;
  out["resolution_year"] = start_year + r.resolution_step / steps_per_year;
  out["claims"] = claims;
  out["recovered"] = recovered;
  out["equity"] = r.equity;
  out["going_concern_value"] = r.going_concern_value;
  out["liquidation_value"] = r.liquidation_value;
  out["cost"] = r.cost;
  // By Claimant: the facility, the term debt, then each counterparty.
  out["claimant_claims"] = r.claimant_claims;
  out["claimant_recovered"] = r.claimant_recovered;
  return out;
}

py::dict events_to_dict(const Events& e, int start_year, int steps_per_year) {
  py::dict events;
  events["first_profit_year"] = optional_year(e.first_profit_year);
  events["first_positive_fcf_year"] = optional_year(e.first_positive_fcf_year);
  events["distress_year"] = optional_year(e.default_year);  // docs/model.md §27
  events["peak_funding_need"] = e.peak_funding_need;
  events["cumulative_burn"] = e.cumulative_burn;
  events["terminal_equity_value"] = e.terminal_equity_value;
  events["terminal_dcf_value"] = e.terminal_dcf_value;
  events["terminal_equity_value_today"] = e.terminal_equity_value_today;
  events["terminal_dcf_value_today"] = e.terminal_dcf_value_today;
  events["equity_raised_total"] = e.equity_raised_total;
  events["rescue_total"] = e.rescue_total;
  events["distress"] = distress_to_dict(e.distress, start_year, steps_per_year);
  return events;
}

}  // namespace

py::dict projection_to_dict(Projection&& p, bool record_steps, int steps_per_year) {
  const auto ny = static_cast<py::ssize_t>(p.annual.n_periods);
  py::list columns;
  for (auto name : var_names()) columns.append(py::str(std::string(name)));
  py::dict out;
  out["start_year"] = p.annual.start_year;
  out["columns"] = columns;
  out["values"] = to_numpy(std::move(p.annual.values), {static_cast<py::ssize_t>(n_vars), ny});
  out["segment_revenue"] =
      to_numpy(std::move(p.annual.segment_revenue), {static_cast<py::ssize_t>(p.annual.n_segments), ny});
  out["events"] = events_to_dict(p.events, p.annual.start_year, steps_per_year);
  if (record_steps) {
    const auto ns = static_cast<py::ssize_t>(p.steps.n_periods);
    out["step_values"] = to_numpy(std::move(p.steps.values), {static_cast<py::ssize_t>(n_vars), ns});
    out["step_segment_revenue"] =
        to_numpy(std::move(p.steps.segment_revenue), {static_cast<py::ssize_t>(p.steps.n_segments), ns});
  }
  return out;
}

}  // namespace wager::python
