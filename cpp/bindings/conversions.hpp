// The bindings' conversions between Python dicts and the core's types, one
// concept per .cpp (*_from_dict.cpp, *_to_dict.cpp); `where` names the dict in errors.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wager/model.hpp"
#include "wager/projection.hpp"
#include "wager/random/distributions.hpp"
#include "wager/shock.hpp"
#include "wager/simulation.hpp"
#include "wager/statistics.hpp"

namespace wager::python {

// Python -> core (python/wager/kernel_config.py, stress_resolve.py, world.py,
// uncertainty.py, statistics.py, simulation_config.py produce these dicts).
Model model_from_dict(const pybind11::dict& d, const std::string& where = "model");
std::vector<Shock> shocks_from_list(const pybind11::list& items, const std::string& where = "shocks");
random::Distribution distribution_from_dict(const pybind11::dict& d, const std::string& where);
UncertainInput input_from_dict(const pybind11::dict& d, const std::string& where);
World world_from_dict(const pybind11::dict& d, const std::string& where);
HistogramSpec histogram_from_dict(const pybind11::dict& d, const std::string& where);
SimulationConfig config_from_dict(const pybind11::dict& d, const std::string& where = "config");

// core -> Python.
pybind11::dict projection_to_dict(Projection&& p, bool record_steps, int steps_per_year);
pybind11::dict strategy_outcome_to_dict(StrategyOutcome&& o, std::int64_t n_paths, bool keep);
pybind11::dict pair_outcome_to_dict(PairOutcome&& o);

}  // namespace wager::python
