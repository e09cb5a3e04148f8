// One chunk of paths on one thread: its blocks, their shared worlds, every
// strategy over every block, then the pairs' path-by-path comparison.
#pragma once

#include <cstdint>

#include "run_context.hpp"
#include "thread_scratch.hpp"

namespace wager::detail {

/// Runs paths [lo, hi) (relative to the config's first_path) into `sc`.
void run_chunk(const RunContext& ctx, ThreadScratch& sc, std::int64_t lo, std::int64_t hi);

}  // namespace wager::detail
