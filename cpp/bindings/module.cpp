// The pybind11 module wager._core: declares the module and registers each concept.
#include <pybind11/pybind11.h>

#include "wager/require.hpp"

namespace py = pybind11;

namespace wager::python {
void register_projection(py::module_& m);
void register_simulation(py::module_& m);
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "wager's C++ core (private: use the wager package).";
  py::register_exception<wager::InputError>(m, "InputError", PyExc_ValueError);
  wager::python::register_projection(m);
  wager::python::register_simulation(m);

  py::dict build;
  build["version"] = WAGER_VERSION;
  build["compiler"] = WAGER_COMPILER;
#ifdef WAGER_HAVE_OPENMP
  build["openmp"] = true;
#else
  build["openmp"] = false;
#endif
  m.attr("build_info") = build;
}
