// Python dict -> wager::World (world_dict in python/wager/world.py): the
// regime chain and the common demand factor every strategy of a call shares.
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

World world_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where,
             {"initial_regime", "n_regimes", "step_transition", "pinned", "factor_volatility", "factor_persistence"});
  World w;
  w.initial_regime = get<int>(d, "initial_regime", where);
  w.n_regimes = get<int>(d, "n_regimes", where);
  w.step_transition = get<std::vector<double>>(d, "step_transition", where);
  w.pinned = get<std::vector<int>>(d, "pinned", where);
  w.factor_volatility = get<double>(d, "factor_volatility", where);
  w.factor_persistence = get<double>(d, "factor_persistence", where);
  return w;
}

}  // namespace wager::python
