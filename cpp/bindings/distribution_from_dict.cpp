// Python dict -> random::Distribution (Distribution.core_spec() in
// python/wager/scenario/distribution.py): kind, parameters a, b, c and the range.
#include <string>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

namespace {

random::DistKind dist_kind(const std::string& k, const std::string& where) {
  if (k == "normal") return random::DistKind::normal;
  if (k == "lognormal") return random::DistKind::lognormal;
  if (k == "uniform") return random::DistKind::uniform;
  if (k == "triangular") return random::DistKind::triangular;
  if (k == "pert") return random::DistKind::pert;
  if (k == "student_t") return random::DistKind::student_t;
  throw InputError(where + ": unknown distribution kind: " + k);
}

}  // namespace

random::Distribution distribution_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where, {"kind", "a", "b", "c", "lower", "upper"});
  random::Distribution out;
  out.kind = dist_kind(get<std::string>(d, "kind", where), where);
  out.a = get<double>(d, "a", where);
  out.b = get<double>(d, "b", where);
  out.c = get<double>(d, "c", where);
  out.lower = get<double>(d, "lower", where);
  out.upper = get<double>(d, "upper", where);
  return out;
}

}  // namespace wager::python
