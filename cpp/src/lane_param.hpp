// A parameter the step engine reads (lane_stepper.cpp, distress_at_step.cpp).
#pragma once

#include <cstddef>
#include <vector>

#include "lane_stepper.hpp"

namespace wager::detail {

// A parameter the step reads: the shared model's value in every lane, or
// (PerLane) each lane's own. Both are indexed by lane, so one loop body
// serves both; a shared value stays a broadcast constant.
struct Shared {
  double v;
  double operator[](std::size_t) const { return v; }
};
template <bool PerLane, int N>
[[gnu::always_inline]] inline auto param(double shared, const LaneOf<N>& own) {
  if constexpr (PerLane) {
    return own.data();
  } else {
    return Shared{shared};
  }
}
// The same for a parameter of segment or regime i.
template <bool PerLane, int N>
[[gnu::always_inline]] inline auto param(double shared, const std::vector<LaneOf<N>>& own, std::size_t i) {
  if constexpr (PerLane) {
    return own[i].data();
  } else {
    return Shared{shared};
  }
}

}  // namespace wager::detail
