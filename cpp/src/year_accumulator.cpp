// The block version of the yearly accumulator's step, compiled for each
// instruction set (see simd_clones.hpp); the rest is inline in the header.
#include "year_accumulator.hpp"

#include "simd_clones.hpp"

namespace wager::detail {

WAGER_SIMD_CLONES void add_step(YearSumsT<lanes>& y, const LaneFlows& f, const Lane& defaulted, Lane& last_multiple,
                                Lane& last_annual_revenue) {
  add_step_body(y, f, defaulted, last_multiple, last_annual_revenue);
}

}  // namespace wager::detail
