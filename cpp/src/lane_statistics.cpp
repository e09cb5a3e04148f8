// The fixed-point values and histogram bins of a block's lanes, compiled for
// each instruction set (the same bits in every one).
#include "lane_statistics.hpp"

#include "lane_loop.hpp"
#include "simd_clones.hpp"

namespace wager::detail {

WAGER_SIMD_CLONES void fixed_and_bins(const Lane& v, const HistogramSpec& spec,
                                      std::array<std::int64_t, lanes>& fixed, std::array<std::int64_t, lanes>& bin) {
  const HistogramSpec s = spec;  // a local copy: no aliasing with the outputs
  WAGER_FOR_LANES(l, static_cast<std::size_t>(lanes)) {
    fixed[l] = to_fixed(v[l]);
    bin[l] = s.bin(v[l]);
  }
}

}  // namespace wager::detail
