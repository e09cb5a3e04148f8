// A loop over the lanes of a block, which the compiler must vectorise:
// `omp simd` asserts that lanes are independent (no lane reads what another
// writes), so no run-time alias checks and no early unrolling stand in the
// way. There is no reduction across lanes, so the order of every operation
// is the same as in scalar code.
#pragma once

#include <cstddef>

#define WAGER_FOR_LANES(l, n) _Pragma("omp simd") for (std::size_t l = 0; l < (n); ++l)

namespace wager::detail {
/// std::min and std::max by value: the same result (b < a ? b : a and
/// a < b ? b : a), but no reference to select, which would turn a select
/// inside a lane loop into a masked gather.
inline double min_of(double a, double b) { return b < a ? b : a; }
inline double max_of(double a, double b) { return a < b ? b : a; }
}  // namespace wager::detail
