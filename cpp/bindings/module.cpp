// The pybind11 module wager._core: declares the module and its errors
// (InputError, NonFiniteError), and registers each topic (one register_<topic>.cpp each).
#include <pybind11/pybind11.h>

#include "wager/require.hpp"

namespace py = pybind11;

namespace wager::python {
void register_projection(py::module_& m);
void register_simulation(py::module_& m);
void register_random(py::module_& m);
void register_math(py::module_& m);
void register_build(py::module_& m);
}  // namespace wager::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "wager's C++ core (private: use the wager package).";
  py::register_exception<wager::InputError>(m, "InputError", PyExc_ValueError);
  // A simulation whose values overflowed (SimulationConfig::allow_non_finite
  // false): a FloatingPointError, as the package's own checks raise.
  py::register_exception<wager::NonFiniteError>(m, "NonFiniteError", PyExc_FloatingPointError);
  wager::python::register_projection(m);
  wager::python::register_simulation(m);
  wager::python::register_random(m);
  wager::python::register_math(m);
  wager::python::register_build(m);
}
