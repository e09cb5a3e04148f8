// wager._core.build_info, simd_level and max_threads: how this core was
// built and what it runs on, for run manifests and show_versions().
#include <pybind11/pybind11.h>

#include "wager/build_info.hpp"

#ifdef WAGER_HAVE_OPENMP
#include <omp.h>
#endif

namespace py = pybind11;

namespace wager::python {

namespace {

py::dict build_dict() {
  const BuildInfo b = build_info();
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
  build["simd_level"] = simd_level();
  build["fp_contract"] = b.fp_contract;
  build["rng"] = b.rng;
  return build;
}

}  // namespace

void register_build(py::module_& m) {
  m.attr("build_info") = build_dict();
  m.def("simd_level", &simd_level,
        "The instruction set the core's hot loops use on this machine: avx512f, avx2 or baseline.");
  m.def("max_threads", []() {
#ifdef WAGER_HAVE_OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
  });
}

}  // namespace wager::python
