// A path's own parameters: its uncertain inputs drawn through the copula (or
// read from design rows), then the stress's shocks, triggered ones from its regimes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "world_block.hpp"

namespace wager::detail {

/// Sets the parameters `ps.model` gets from the inputs of path `path`
/// (counted from the simulation's path 0).
void draw_inputs(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed, std::uint64_t path);

/// Makes `ps.path_stepper_now` the stepper of path `path`, whose world is
/// lane `lane` of `world`.
void prepare_path(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, const Strategy& strat,
                  std::uint64_t path, std::size_t lane);

}  // namespace wager::detail
