// The pybind11 module wager._core: declares the module and registers each concept.
#include <pybind11/pybind11.h>

#include "wager/build_info.hpp"
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

  // How this core was built, for run manifests and show_versions().
  const wager::BuildInfo b = wager::build_info();
  py::dict build;
  build["version"] = WAGER_VERSION;
  build["compiler"] = WAGER_COMPILER;
  build["flags"] = WAGER_CXX_FLAGS;
  build["build_type"] = WAGER_BUILD_TYPE;
#ifdef WAGER_HAVE_OPENMP
  build["openmp"] = true;
#else
  build["openmp"] = false;
#endif
  build["openmp_version"] = b.openmp_version;
  build["cxx_standard"] = b.cxx_standard;
  build["simd_clones"] = b.simd_clones;
  build["simd_level"] = wager::simd_level();
  build["fp_contract"] = b.fp_contract;
  build["rng"] = b.rng;
  m.attr("build_info") = build;
}
