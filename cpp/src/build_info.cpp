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

}  // namespace wager
