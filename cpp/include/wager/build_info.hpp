// What this build of the core runs with on this machine.
#pragma once

#include <string>

namespace wager {

/// The instruction set the hot loops run with here: "avx512f", "avx2" or
/// "baseline" (the loader's choice among the compiled versions; "baseline"
/// also when the build has no per-ISA versions).
std::string simd_level();

}  // namespace wager
