// wager._core.project: one deterministic projection of a model dict, with a
// stress's shocks if given (the GIL released while it runs).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <vector>

#include "conversions.hpp"
#include "wager/projection.hpp"

namespace py = pybind11;

namespace wager::python {

namespace {

py::dict project_dict(const py::dict& model, const std::vector<int>& regime_path, bool record_steps,
                      const py::list& shocks) {
  ProjectionConfig config{model_from_dict(model), regime_path, shocks_from_list(shocks), record_steps};
  Projection p;
  {
    // The projection touches no Python object.
    py::gil_scoped_release release;
    p = project(config);
  }
  return projection_to_dict(std::move(p), record_steps, config.model.steps_per_year);
}

}  // namespace

void register_projection(py::module_& m) {
  m.def("project", &project_dict, py::arg("model"), py::arg("regime_path") = std::vector<int>{},
        py::arg("record_steps") = false, py::arg("shocks") = py::list(),
        "Deterministic projection of one model dict, with shocks (a stress) if given; returns columns, "
        "values[var, year], segment_revenue[segment, year] and events.");
}

}  // namespace wager::python
