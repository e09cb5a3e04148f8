// What this build of the core is (compiler, flags, OpenMP, SIMD versions),
// for run manifests and bug reports.
#include "wager/build_info.hpp"

#include "simd_clones.hpp"

namespace wager {

std::string simd_level() {
#ifdef WAGER_HAVE_SIMD_CLONES
  // The same test, in the same order, as the clones' resolver.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512f";
  if (__builtin_cpu_supports("avx2")) return "avx2";
#endif
  return "baseline";
}

BuildInfo build_info() {
  BuildInfo b;
#if defined(__clang__)
  b.compiler = std::string("clang++ ") + __clang_version__;
#elif defined(__GNUC__)
  b.compiler = std::string("g++ ") + __VERSION__;
#else
  b.compiler = "unknown";
#endif
  b.cxx_standard = __cplusplus;
#ifdef _OPENMP
  b.openmp = true;
  b.openmp_version = _OPENMP;
#endif
#ifdef WAGER_HAVE_SIMD_CLONES
  b.simd_clones = true;
#endif
  b.fp_contract = "off";  // -ffp-contract=off is part of the target's flags
  b.rng = "Philox4x32-10 (world: regimes, raises, demand factor, segments), Philox4x64-10 (uncertain inputs)";
  return b;
}

}  // namespace wager
