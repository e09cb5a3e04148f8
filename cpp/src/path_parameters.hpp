// A path's own parameters: its uncertain inputs drawn through the copula (or
// read from design rows), then the stress's shocks, triggered ones from its regimes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "world_block.hpp"

namespace wager::detail {

/// The inputs' values of paths first_path .. first_path + count - 1 (counted
/// from the simulation's path 0) into ps.x[input][lane].
void draw_input_values(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed, std::uint64_t first_path,
                       std::size_t count);

/// Sets `params` (of a model) to the values lane `lane`'s inputs (ps.x) give them.
void apply_inputs(StrategyScratch& ps, std::vector<ParameterRef>& params, const Strategy& strat, std::size_t lane);

/// What differs between the lanes of strategy `strat` (model `m`, its
/// parameter table `params`): the step values its inputs and triggered shocks move.
LaneVaries lane_varies(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params);
/// The same, for its inputs alone.
LaneVaries input_varies(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params);

/// What the strategy's shocks move (triggered or not): the per-step values
/// that can change inside a year. Every other one is its year's value.
LaneVaries shock_varies(const Model& m, const Strategy& strat);

/// Whether a strategy's shocks fit lanes that take their inputs directly
/// (LaneInputs; model `m`, its parameter table `params`): no constant both
/// move, and no triggered shock unless they share one window (`window`:
/// shared_window) whose values and tables the inputs leave alone, and that
/// moves none of the inputs'. The shared model (with the window's) carries
/// the shocks on everything else; LaneInputs applies the others to its lanes' values, and
/// a lane's commitments' model (LaneInputs::commitment_models) those on the
/// commitments, in the prepared model's order, so the bits are those of a
/// model per lane with the inputs applied before the shocks.
bool shocks_fit_lane_inputs(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params,
                            bool window);

/// Dated shock `s`'s weight (severity x profile) at each step of model `m`.
std::vector<double> shock_step_weights(const Shock& s, const Model& m);

/// What the strategy's dated shocks move with weights that change inside a
/// year (a ramp, a start or an end between year starts): the fields
/// (LaneVaries::fields) and the values and tables made from them.
LaneVaries shocks_within_years(const Model& m, const Strategy& strat);

/// Whether the triggered shocks of a strategy without uncertain inputs
/// (prepared as `pm`) share one window: one trigger (regime and earliest
/// time), one duration, a step shape, and fields whose values at a step
/// depend only on the shock's weight at that step (not the commitments,
/// whose payments still to come depend on the whole window; not a
/// supplier's failure). Then a lane's model at a step is the unshocked one
/// or the one with the shocks on, by whether the step is in its window.
bool shared_window(const PreparedModel& pm, const std::vector<Shock>& shocks);

/// Whether the triggered shocks move only the regimes' tables of spot price,
/// resale share, credit spread, raise success and valuation multiple.
bool regime_tables_only(const Model& m, const std::vector<Shock>& shocks);

/// Each lane's window (LaneParams::window_first, window_end) in a block of
/// `count` paths whose worlds are `world`'s lanes, for ps.window's trigger:
/// from the step the trigger fires to the first step whose middle is past
/// the window's duration.
void lane_windows(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, int count,
                  LaneParams& lp);

/// docs/model.md §25, a regime moved: each lane's steps in the moved regime
/// (ps.move_first, ps.move_end), from its trigger (read on the world's
/// regimes or a source's distress) or the move's date.
void lane_regime_moves(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, int count);

/// Points each lane of `ps.lane_params` at the prepared model of its path
/// (paths first_path .. first_path + count - 1, their worlds the lanes of
/// `world`) and loads the block's constants.
void prepare_block(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, const Strategy& strat,
                   std::uint64_t first_path, int count);

}  // namespace wager::detail
