// Python dict -> wager::SimulationConfig (simulation_config in
// python/wager/simulation_config.py): the run's settings and its strategies.
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

namespace {

// Optional: design rows (StrategySpec.core_dict sends them only for a design).
Strategy strategy_from_dict(const py::dict& d, const std::string& w) {
  check_keys(d, w, {"model", "inputs", "cholesky", "shocks"},
             {{"input_rows", "[] = inputs drawn through the copula"}, {"input_row_paths", "1"}});
  Strategy s;
  s.model = model_from_dict(as_dict(d["model"], field(w, "model")), field(w, "model"));
  std::size_t i = 0;
  for (const auto& h : get<py::list>(d, "inputs", w)) {
    const std::string wi = item(field(w, "inputs"), i++);
    s.inputs.push_back(input_from_dict(as_dict(h, wi), wi));
  }
  s.cholesky = get<std::vector<double>>(d, "cholesky", w);
  s.shocks = shocks_from_list(get<py::list>(d, "shocks", w), field(w, "shocks"));
  if (d.contains("input_rows")) s.input_rows = get<std::vector<double>>(d, "input_rows", w);
  if (d.contains("input_row_paths")) s.input_row_paths = get<std::int64_t>(d, "input_row_paths", w);
  return s;
}

}  // namespace

SimulationConfig config_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where,
             {"strategies", "world", "seed", "n_paths", "first_path", "n_threads", "chunk_paths", "keep_paths",
              "histogram", "world_period", "pairs"});
  SimulationConfig c;
  std::size_t i = 0;
  for (const auto& h : get<py::list>(d, "strategies", where)) {
    const std::string wi = item(field(where, "strategies"), i++);
    c.strategies.push_back(strategy_from_dict(as_dict(h, wi), wi));
  }
  c.world = world_from_dict(as_dict(d["world"], field(where, "world")), field(where, "world"));
  c.seed = get<std::uint64_t>(d, "seed", where);
  c.n_paths = get<std::int64_t>(d, "n_paths", where);
  c.first_path = get<std::int64_t>(d, "first_path", where);
  c.n_threads = get<int>(d, "n_threads", where);
  c.chunk_paths = get<int>(d, "chunk_paths", where);
  c.keep_paths = get<bool>(d, "keep_paths", where);
  c.histogram = histogram_from_dict(as_dict(d["histogram"], field(where, "histogram")), field(where, "histogram"));
  c.world_period = get<std::int64_t>(d, "world_period", where);
  c.pairs = get<std::vector<std::pair<int, int>>>(d, "pairs", where);
  return c;
}

}  // namespace wager::python
