// The block runner: lanes of a block through the shared world, summing each
// year as the projection does (same order of additions, so a path without randomness has its bits).
#include "block_runner.hpp"

#include <iterator>

#include "exposure_recorder.hpp"
#include "lane_loop.hpp"
#include "path_parameters.hpp"
#include "path_recorder.hpp"
#include "year_accumulator.hpp"

namespace wager::detail {

namespace {

// Step `n` of the world, every lane (the world block draws all of them; lanes
// past the block's paths compute and are discarded), in vector copies.
void load_world_step(const RunContext& ctx, const WorldBlock& world, const StrategyScratch& ps, int n,
                     LaneWorld& w) {
  constexpr auto L = static_cast<std::size_t>(lanes);  // the world block's layout
  const auto nu = static_cast<std::size_t>(n);
  const int* regime = &world.regime[nu * L];
  const double* raise = &world.raise[nu * L];
  const double* factor = &world.factor[nu * L];
  WAGER_FOR_LANES(l, L) {
    w.regime[l] = regime[l];
    w.raise_draw[l] = raise[l];
    w.factor[l] = factor[l];
  }
  w.segment_normals = ctx.need_segments ? &world.segment_normals[nu * ctx.plan.n_segments * L] : nullptr;
  if (ps.regime_move != nullptr) {
    // docs/model.md §25, a regime moved: the lane reads the moved regime in its window.
    const int to = static_cast<int>(ps.regime_move->value);
    WAGER_FOR_LANES(l, L) w.regime[l] = n >= ps.move_first[l] && n < ps.move_end[l] ? to : w.regime[l];
  }
}

// docs/model.md §25: step n's regime tables, unshocked then with the
// window's shocks on, [table][2 x regimes]; and which lanes are inside
// their window at step n.
void load_window_step(StrategyScratch& ps, int n, LaneParams& lp, LaneWorld& w) {
  const PreparedModel& off = *ps.prepared;
  const PreparedModel& on = *ps.prepared_on;
  const std::size_t nr = off.n_regimes();
  const std::size_t row = static_cast<std::size_t>(n) * nr;
  const std::vector<double> PreparedModel::*tables[] = {
      &PreparedModel::regime_spot,     &PreparedModel::regime_resale,    &PreparedModel::regime_spread,
      &PreparedModel::regime_raise,    &PreparedModel::regime_multiple,  &PreparedModel::regime_raise_log,
      &PreparedModel::regime_raise_step};
  static_assert(std::size(tables) == static_cast<std::size_t>(WindowTable::count_));
  double* out = ps.window_tables.data();
  for (const auto table : tables) {
    for (std::size_t r = 0; r < nr; ++r) {
      out[r] = (off.*table)[row + r];
      out[nr + r] = (on.*table)[row + r];
    }
    out += 2 * nr;
  }
  lp.update_window(n);
  w.window = lp.active.data();
  w.window_tables = ps.window_tables.data();
}

}  // namespace

void run_lanes(const RunContext& ctx, ThreadScratch& sc, const WorldBlock& world, std::size_t si, int active,
               std::int64_t rel0) {
  StrategyScratch& ps = sc.strategies[si];
  const LaneStepper& stepper = *ps.stepper;
  LaneState& state = ps.state;
  LaneFlows& flows = sc.flows;
  LaneParams& params = ps.lane_params;
  const bool own = ps.per_path;  // each lane its own parameters (loaded by prepare_block)
  if (own) {
    stepper.reset_lanes(state, params);
  } else {
    stepper.reset(state);
  }
  if (ps.regime_window) lane_windows(ctx, world, ps, active, params);
  if (ps.regime_move != nullptr) lane_regime_moves(ctx, world, ps, active);
  LaneWorld w;
  w.factor_moves = ctx.plan.factor_vol > 0.0;
  w.normal_stride = static_cast<std::size_t>(lanes);
  const auto A = static_cast<std::size_t>(active);
  YearAccumulatorT<lanes> acc;
  Lane cumulative{};  // of the years' free cash flows, in order
  for (int y = 0, n = 0; y < ctx.n_years; ++y) {
    acc.start_year();
    for (int j = 0; j < ctx.steps_per_year; ++j, ++n) {
      load_world_step(ctx, world, ps, n, w);
      if (own) {
        params.load_step(n);
        stepper.step_lean_lanes(state, n, w, flows, params);
      } else {
        if (ps.regime_window) load_window_step(ps, n, params, w);
        stepper.step_lean(state, n, w, flows);
      }
      acc.add_step(flows, state.defaulted);
    }
    acc.end_year(ctx.start_year + y, A);
    record_year(ctx, ps, y, acc, flows, A);
    if (ps.exposure_on) record_exposure(ctx, ps, y, state, params, own, A);  // docs/model.md §28
    if (ps.lenders_on) record_lenders(ps, y, state, A);
    const Lane& fcf = acc.sums().fcf;
    WAGER_FOR_LANES(l, static_cast<std::size_t>(lanes)) cumulative[l] += fcf[l];
  }
  record_paths(ctx, ps, si, acc, state, flows, cumulative, A, rel0);
  if (ps.distress_source) {
    // docs/model.md §25, contagion: what the strategies it triggers read.
    for (std::size_t l = 0; l < A; ++l) {
      ps.chunk_distress_step[ps.block_at + l] = state.defaulted[l] != 0.0 ? static_cast<int>(state.default_step[l]) : -1;
    }
  }
}

}  // namespace wager::detail
