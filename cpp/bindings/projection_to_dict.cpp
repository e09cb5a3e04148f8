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

py::dict events_to_dict(const Events& e) {
  py::dict events;
  events["first_profit_year"] = optional_year(e.first_profit_year);
  events["first_positive_fcf_year"] = optional_year(e.first_positive_fcf_year);
  events["default_year"] = optional_year(e.default_year);
  events["peak_funding_need"] = e.peak_funding_need;
  events["cumulative_burn"] = e.cumulative_burn;
  events["terminal_equity_value"] = e.terminal_equity_value;
  events["equity_raised_total"] = e.equity_raised_total;
  events["rescue_total"] = e.rescue_total;
  return events;
}

}  // namespace

py::dict projection_to_dict(Projection&& p, bool record_steps) {
  const auto ny = static_cast<py::ssize_t>(p.annual.n_periods);
  py::list columns;
  for (auto name : var_names()) columns.append(py::str(std::string(name)));
  py::dict out;
  out["start_year"] = p.annual.start_year;
  out["columns"] = columns;
  out["values"] = to_numpy(std::move(p.annual.values), {static_cast<py::ssize_t>(n_vars), ny});
  out["segment_revenue"] =
      to_numpy(std::move(p.annual.segment_revenue), {static_cast<py::ssize_t>(p.annual.n_segments), ny});
  out["events"] = events_to_dict(p.events);
  if (record_steps) {
    const auto ns = static_cast<py::ssize_t>(p.steps.n_periods);
    out["step_values"] = to_numpy(std::move(p.steps.values), {static_cast<py::ssize_t>(n_vars), ns});
    out["step_segment_revenue"] =
        to_numpy(std::move(p.steps.segment_revenue), {static_cast<py::ssize_t>(p.steps.n_segments), ns});
  }
  return out;
}

}  // namespace wager::python
