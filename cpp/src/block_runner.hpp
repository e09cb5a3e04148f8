// The block runner: steps lanes of one strategy through a block's shared
// world, year by year, and hands each year and each path to the recorder.
#pragma once

#include <cstddef>
#include <cstdint>

#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "world_block.hpp"

namespace wager::detail {

/// Steps `active` lanes of strategy `si` through `world`, and records lane l
/// as the path rel0 + l. With per-path parameters (ps.per_path) each lane
/// reads its own, which prepare_block has set.
void run_lanes(const RunContext& ctx, ThreadScratch& sc, const WorldBlock& world, std::size_t si, int active,
               std::int64_t rel0);

}  // namespace wager::detail
