// The per-path statistics' arithmetic for a block of paths at once: the
// fixed-point value and histogram bin of each lane, in one vectorised loop.
#pragma once

#include <array>
#include <cstdint>

#include "lane_loop.hpp"
#include "lane_stepper.hpp"
#include "wager/statistics.hpp"

namespace wager::detail {

/// to_fixed and spec.bin of every lane (meaningless for a non-finite value,
/// which the caller counts instead).
void fixed_and_bins(const Lane& v, const HistogramSpec& spec, std::array<std::int64_t, lanes>& fixed,
                    std::array<std::int64_t, lanes>& bin);

/// The same for a single path.
inline void fixed_and_bins(const LaneOf<1>& v, const HistogramSpec& spec, std::array<std::int64_t, 1>& fixed,
                           std::array<std::int64_t, 1>& bin) {
  fixed[0] = to_fixed(v[0]);
  bin[0] = spec.bin(v[0]);
}

}  // namespace wager::detail
