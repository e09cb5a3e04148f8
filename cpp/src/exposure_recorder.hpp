// Each supplier's exposure at a year's end (docs/model.md §28), for the
// lanes of a block: what it would claim if the company fell into distress
// then, before any cap; 0 on a lane already in distress.
#pragma once

#include <cstddef>

#include "lane_stepper.hpp"
#include "run_context.hpp"
#include "thread_scratch.hpp"

namespace wager::detail {

/// Year `y`'s end (its last step) of the first `active` lanes of `state`
/// into ps.partial.exposure; `per_lane`: each lane's model is params.models[l]
/// (else the strategy's shared model). Only for a strategy with contracts.
void record_exposure(const RunContext& ctx, StrategyScratch& ps, int y, const LaneState& state,
                     const LaneParams& params, bool per_lane, std::size_t active);

/// The lenders' exposure at year `y`'s end into ps.partial.lenders: the
/// facility's drawn part and the rest of the debt, as distress_resolution
/// would split the claim then; 0 on a lane already in distress.
void record_lenders(StrategyScratch& ps, int y, const LaneState& state, std::size_t active);

}  // namespace wager::detail
