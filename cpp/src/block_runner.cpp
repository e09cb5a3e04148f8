// The block runner: lanes of a block through the shared world, summing each
// year as the projection does (same order of additions, so a path without randomness has its bits).
#include "block_runner.hpp"

#include "lane_loop.hpp"
#include "path_recorder.hpp"
#include "year_accumulator.hpp"

namespace wager::detail {

namespace {

// Step `n` of the world for lanes offset .. offset + active - 1.
template <int N>
void load_world_step(const RunContext& ctx, const WorldBlock& world, int n, std::size_t offset, std::size_t active,
                     LaneWorldT<N>& w) {
  constexpr auto L = static_cast<std::size_t>(lanes);  // the world block's layout
  const auto nu = static_cast<std::size_t>(n);
  for (std::size_t l = 0; l < active; ++l) {
    w.regime[l] = world.regime[nu * L + offset + l];
    w.raise_draw[l] = world.raise[nu * L + offset + l];
    w.factor[l] = world.factor[nu * L + offset + l];
  }
  w.segment_normals = ctx.need_segments ? &world.segment_normals[nu * ctx.plan.n_segments * L + offset] : nullptr;
}

}  // namespace

template <int N>
void run_lanes(const RunContext& ctx, ThreadScratch& sc, const WorldBlock& world, std::size_t si, std::size_t offset,
               int active, std::int64_t rel0) {
  StrategyScratch& ps = sc.strategies[si];
  const LaneStepperT<N>* stepper;
  LaneStateT<N>* state;
  LaneFlowsT<N>* flows;
  if constexpr (N == 1) {
    stepper = ps.path_stepper_now;
    state = &ps.path_state;
    flows = &sc.path_flows;
  } else {
    stepper = ps.stepper.get();
    state = &ps.state;
    flows = &sc.flows;
  }
  stepper->reset(*state);
  LaneWorldT<N> w;
  w.factor_moves = ctx.plan.factor_vol > 0.0;
  w.normal_stride = static_cast<std::size_t>(lanes);
  const auto A = static_cast<std::size_t>(active);
  YearAccumulatorT<N> acc;
  LaneOf<N> cumulative{};  // of the years' free cash flows, in order
  for (int y = 0, n = 0; y < ctx.n_years; ++y) {
    acc.start_year();
    for (int j = 0; j < ctx.steps_per_year; ++j, ++n) {
      load_world_step(ctx, world, n, offset, A, w);
      stepper->step_lean(*state, n, w, *flows);
      acc.add_step(*flows, state->defaulted);
    }
    acc.end_year(ctx.start_year + y, A);
    record_year(ctx, ps, y, acc, *flows, A);
    const LaneOf<N>& fcf = acc.sums().fcf;
    WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) cumulative[l] += fcf[l];
  }
  record_paths(ctx, ps, si, acc, *state, cumulative, A, rel0);
}

template void run_lanes<1>(const RunContext&, ThreadScratch&, const WorldBlock&, std::size_t, std::size_t, int,
                           std::int64_t);
template void run_lanes<lanes>(const RunContext&, ThreadScratch&, const WorldBlock&, std::size_t, std::size_t, int,
                               std::int64_t);

}  // namespace wager::detail
