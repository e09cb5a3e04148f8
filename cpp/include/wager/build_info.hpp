// What this build of the core runs with on this machine.
#pragma once

#include <string>

namespace wager {

/// The instruction set the hot loops run with here: "avx512f", "avx2" or
/// "baseline" (the loader's choice among the compiled versions; "baseline"
/// also when the build has no per-ISA versions).
std::string simd_level();

/// How this core was built: compiler, language standard, OpenMP, the
/// floating-point contract and the random number generators.
struct BuildInfo {
  std::string compiler;        ///< e.g. "g++ 12.2.0"
  long cxx_standard = 0;       ///< __cplusplus
  bool openmp = false;
  int openmp_version = 0;      ///< _OPENMP (yyyymm), 0 without OpenMP
  bool simd_clones = false;    ///< hot loops compiled for AVX-512, AVX2 and the baseline
  std::string fp_contract;     ///< "off": no fused multiply-add, the same bits everywhere
  std::string rng;
};

BuildInfo build_info();

}  // namespace wager
