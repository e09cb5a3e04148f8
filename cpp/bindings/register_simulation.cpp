// wager._core.simulate, simulate_paired and parameters: Monte Carlo over a
// config dict (GIL released, progress and Ctrl-C between batches), a model's parameters.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "conversions.hpp"
#include "dict_keys.hpp"
#include "numpy_owner.hpp"
#include "wager/parameters.hpp"
#include "wager/simulation.hpp"

namespace py = pybind11;

namespace wager::python {

namespace {

struct Run {
  SimulationResults results;
  std::int64_t n_paths = 0;
  bool keep_paths = false;
};

Run run_simulation(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                   double grow_below_seconds) {
  SimulationConfig c = config_from_dict(config);
  Run run{{}, c.n_paths, c.keep_paths};
  // Between batches, with the GIL taken back: Ctrl-C, then the progress callable.
  // A Python error stops the run and is raised once the core has returned.
  std::unique_ptr<py::error_already_set> error;
  const auto between_batches = [&](std::int64_t done, std::int64_t all) {
    py::gil_scoped_acquire acquire;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) progress(done, all);
      return true;
    } catch (py::error_already_set& e) {
      error = std::make_unique<py::error_already_set>(std::move(e));
      return false;
    }
  };
  {
    // The kernel touches no Python object while it runs.
    py::gil_scoped_release release;
    run.results = simulate(std::move(c), between_batches, batch_paths, grow_below_seconds);
  }
  if (error) throw std::move(*error);
  return run;
}

py::list strategy_list(Run& run) {
  py::list out;
  for (auto& o : run.results.strategies) out.append(strategy_outcome_to_dict(std::move(o), run.n_paths, run.keep_paths));
  return out;
}

py::list simulate_dict(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                       double grow_below_seconds) {
  Run run = run_simulation(config, progress, batch_paths, grow_below_seconds);
  return strategy_list(run);
}

py::dict simulate_paired_dict(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                              double grow_below_seconds) {
  Run run = run_simulation(config, progress, batch_paths, grow_below_seconds);
  py::dict out;
  out["strategies"] = strategy_list(run);
  py::list pairs;
  for (auto& p : run.results.pairs) pairs.append(pair_outcome_to_dict(std::move(p)));
  out["pairs"] = pairs;
  return out;
}

py::tuple parameters_of(const py::dict& model) {
  Model m = model_from_dict(model);
  py::list names;
  std::vector<double> values;
  for (const ParameterRef& p : parameters(m)) {
    names.append(p.name);
    values.push_back(*p.value);
  }
  const auto n = static_cast<py::ssize_t>(values.size());
  return py::make_tuple(names, to_numpy(std::move(values), {n}));
}

}  // namespace

void register_simulation(py::module_& m) {
  m.def("simulate", &simulate_dict, py::arg("config"), py::arg("progress") = py::none(),
        py::arg("batch_paths") = 65536, py::arg("grow_below_seconds") = 0.0,
        "Monte Carlo over a config dict; returns one dict of merged statistics per strategy.");
  m.def("simulate_paired", &simulate_paired_dict, py::arg("config"), py::arg("progress") = py::none(),
        py::arg("batch_paths") = 65536, py::arg("grow_below_seconds") = 0.0,
        "Monte Carlo over a config dict with pairs; returns {'strategies': [...], 'pairs': [...]}, "
        "each pair the statistics of strategy b minus strategy a path by path.");
  m.def("parameters", &parameters_of, py::arg("model"),
        "Names and values of a model's numeric parameters, in the core's canonical order.");
}

}  // namespace wager::python
