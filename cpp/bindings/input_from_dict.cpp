// Python dict -> wager::UncertainInput (UncertainInput.core_dict() in
// python/wager/uncertainty.py): a distribution and the parameters it moves.
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

UncertainInput input_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where, {"name", "distribution", "central", "targets", "weights"});
  UncertainInput u;
  u.name = get<std::string>(d, "name", where);
  const std::string wd = field(where, "distribution");
  u.distribution = distribution_from_dict(as_dict(d["distribution"], wd), wd);
  random::prepare(u.distribution, u.name);
  u.central = get<double>(d, "central", where);
  u.targets = get<std::vector<int>>(d, "targets", where);
  u.weights = get<std::vector<double>>(d, "weights", where);
  return u;
}

}  // namespace wager::python
