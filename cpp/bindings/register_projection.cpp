#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "model_from_dict.hpp"
#include "numpy_owner.hpp"
#include "wager/projection.hpp"

namespace py = pybind11;

namespace wager::python {

namespace {
py::object optional_year(const std::optional<int>& y) {
  return y ? py::object(py::int_(*y)) : py::object(py::none());
}

py::dict project_dict(const py::dict& model, const std::vector<int>& regime_path, bool record_steps,
                      const py::list& shocks) {
  ProjectionConfig config{model_from_dict(model), regime_path, shocks_from_list(shocks), record_steps};
  Projection p;
  {
    // The projection touches no Python object.
    py::gil_scoped_release release;
    p = project(config);
  }
  const auto ny = static_cast<py::ssize_t>(p.annual.n_periods);
  py::list columns;
  for (auto name : var_names()) columns.append(py::str(std::string(name)));
  py::dict events;
  events["first_profit_year"] = optional_year(p.events.first_profit_year);
  events["first_positive_fcf_year"] = optional_year(p.events.first_positive_fcf_year);
  events["default_year"] = optional_year(p.events.default_year);
  events["peak_funding_need"] = p.events.peak_funding_need;
  events["cumulative_burn"] = p.events.cumulative_burn;
  events["terminal_equity_value"] = p.events.terminal_equity_value;
  events["equity_raised_total"] = p.events.equity_raised_total;
  events["rescue_total"] = p.events.rescue_total;

  py::dict out;
  out["start_year"] = p.annual.start_year;
  out["columns"] = columns;
  out["values"] = to_numpy(std::move(p.annual.values), {static_cast<py::ssize_t>(n_vars), ny});
  out["segment_revenue"] =
      to_numpy(std::move(p.annual.segment_revenue), {static_cast<py::ssize_t>(p.annual.n_segments), ny});
  out["events"] = events;
  if (record_steps) {
    const auto ns = static_cast<py::ssize_t>(p.steps.n_periods);
    out["step_values"] = to_numpy(std::move(p.steps.values), {static_cast<py::ssize_t>(n_vars), ns});
    out["step_segment_revenue"] =
        to_numpy(std::move(p.steps.segment_revenue), {static_cast<py::ssize_t>(p.steps.n_segments), ns});
  }
  return out;
}
}  // namespace

void register_projection(py::module_& m) {
  m.def("project", &project_dict, py::arg("model"), py::arg("regime_path") = std::vector<int>{},
        py::arg("record_steps") = false, py::arg("shocks") = py::list(),
        "Deterministic projection of one model dict, with shocks (a stress) if given; returns columns, "
        "values[var, year], segment_revenue[segment, year] and events.");
}

}  // namespace wager::python
