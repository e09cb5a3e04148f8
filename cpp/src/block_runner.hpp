// The block runner: steps lanes of one strategy through a block's shared
// world, year by year, and hands each year and each path to the recorder.
#pragma once

#include <cstddef>
#include <cstdint>

#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "world_block.hpp"

namespace wager::detail {

/// Steps `active` lanes of strategy `si` through `world` from world lane
/// `offset`, and records lane l as the path rel0 + l. N = lanes for a block
/// of paths sharing parameters; N = 1 for a path with its own (its stepper
/// is ps.path_stepper_now).
template <int N>
void run_lanes(const RunContext& ctx, ThreadScratch& sc, const WorldBlock& world, std::size_t si, std::size_t offset,
               int active, std::int64_t rel0);

extern template void run_lanes<1>(const RunContext&, ThreadScratch&, const WorldBlock&, std::size_t, std::size_t,
                                  int, std::int64_t);
extern template void run_lanes<lanes>(const RunContext&, ThreadScratch&, const WorldBlock&, std::size_t,
                                      std::size_t, int, std::int64_t);

}  // namespace wager::detail
