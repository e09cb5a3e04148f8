// What one thread of a simulation owns and reuses for every path: per
// strategy its model, steppers, lane state, path records and partial results.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "distress_resolution.hpp"
#include "lane_inputs.hpp"
#include "lane_stepper.hpp"
#include "pair_statistics.hpp"
#include "prepared_model.hpp"
#include "wager/parameters.hpp"
#include "wager/simulation.hpp"
#include "wager/statistics.hpp"
#include "world_block.hpp"

namespace wager::detail {

/// What a simulation keeps of one path's year.
struct YearValues {
  double revenue, operating_income, free_cash_flow, cash, debt, ownership, utilisation, regime;
};

/// One thread's results for one strategy between merges.
struct PartialOutcome {
  std::int64_t n_paths = 0;
  PartialSeriesStats series;
  std::vector<std::uint64_t> default_year, first_profit_year;
  DistressOutcome distress;
  ExposureOutcome exposure;  // docs/model.md §28 (no series without contracts)
  InvestorOutcome investors;  // docs/model.md §28 (no series without tranches)
  ExposureOutcome lenders;    // docs/model.md §28 (no series without debt)

  /// Adds its counts of paths and event years to `total` and zeroes them
  /// (the series merge separately, in parallel).
  void merge_counts_into(StrategyOutcome& total);
};

/// Most paths one thread adds to a PartialOutcome before merging it: its
/// 32-bit histogram counts cannot overflow.
inline constexpr std::int64_t max_paths_per_merge = std::int64_t{1} << 31;

/// One thread's everything for one strategy.
struct StrategyScratch {
  Model model;  // patched per path when the strategy has uncertain inputs or triggered shocks
  std::vector<ParameterRef> params;
  std::vector<double> base_values;      // every parameter of the unshocked model
  bool per_path = false;                // each path has its own parameters
  std::vector<int> touched;             // parameter indices some input moves
  std::vector<double> touched_central;  // their central values
  std::unique_ptr<PreparedModel> prepared;
  std::unique_ptr<LaneStepper> stepper;  // blocks of paths
  // With uncertain inputs: each lane's own model, patched per path.
  struct LaneModel {
    Model model;
    std::vector<ParameterRef> params;  // point into model
    std::unique_ptr<PreparedModel> prepared;
  };
  std::vector<std::unique_ptr<LaneModel>> lane_models;  // unless `inputs` (then no model per lane)
  std::unique_ptr<LaneInputs> inputs;  // the inputs straight into the lanes (LaneInputs::direct)
  RefreshScope input_scope;  // what the inputs move: a lane model's refresh per path
  RefreshScope commitment_scope;  // the commitments alone (LaneInputs::commitment_models)
  // The inputs that move the commitments or a contract's payments, and the
  // (parameter, central value) pairs they move: a lane's model needs no other.
  std::vector<std::size_t> commitment_inputs;
  std::vector<std::pair<int, double>> commitment_central;
  // With triggered shocks and no uncertain inputs, a path's model depends
  // only on when its triggers fired: one prepared model per such timing.
  std::map<std::vector<int>, std::unique_ptr<PreparedModel>> variants;
  std::vector<int> trigger_key;  // the lane's trigger timing being looked up
  // Instead of `variants`, when the triggered shocks share one window
  // (shared_window): the model with every triggered shock on at full
  // weight at every step (LaneParams::on), its shocks, and the first
  // triggered shock (the window's trigger and profile).
  std::vector<Shock> shocks_on;
  std::unique_ptr<PreparedModel> prepared_on;
  const Shock* window = nullptr;
  // The window's shocks move only regime tables: the blocks run the shared
  // step (not per_path), which picks each lane's regime tables inside or
  // outside its window from window_tables (LaneWorld::window_tables).
  bool regime_window = false;
  std::vector<double> window_tables;
  LaneParams lane_params;  // per_path: the block's lanes' own parameters
  LaneState state;
  std::vector<YearValues> years;  // [lane][year]
  // With pairs: what each path of the chunk being run gave (ChunkRecords),
  // by its place in the chunk, which starts at path chunk_lo.
  std::int64_t chunk_lo = 0;
  ChunkRecords chunk;
  // docs/model.md §25, contagion. A strategy whose distress triggers another
  // one's shocks keeps, per path of the chunk, its distress step (-1: none).
  bool distress_source = false;
  std::vector<int> chunk_distress_step;
  // A strategy with such shocks: each strategy's chunk_distress_step (null
  // unless a source), the block's first path's place in the chunk, and the
  // lane being looked up's distress steps, [strategy] (PathTriggers).
  std::vector<const std::vector<int>*> sources;
  // docs/model.md §25, a regime moved: the strategy's regime move (null:
  // none), and each lane's steps [first, end) in the moved regime.
  const Shock* regime_move = nullptr;
  std::array<int, lanes> move_first{}, move_end{};
  std::size_t block_at = 0;
  std::vector<int> lane_distress_step;
  std::vector<double> u, z, x;  // the inputs' uniforms, normals and values, [input][lane]
  PartialOutcome partial;
  // docs/model.md §28: the suppliers' exposure at each year's end is recorded
  // (the strategy has contracts), and the inputs it is computed into.
  bool exposure_on = false;
  bool lenders_on = false;  // the lenders' exposure (docs/model.md §28)
  DistressInputs exposure_inputs;
  std::vector<Lane> exposure_values;  // [supplier][lane]
  // Lanes with their own models: each one's payments due after every year's
  // end, [(lane * n_years + year) * suppliers + c] (due_after_year_ends).
  std::vector<double> exposure_lane_after;

  StrategyScratch(const SimulationConfig& c, const Strategy& s);
};

/// Everything one thread needs, allocated once and reused for every path.
struct ThreadScratch {
  std::vector<StrategyScratch> strategies;
  std::vector<PartialPair> pairs;
  std::vector<WorldBlock> worlds;                    // of the blocks of the chunk being run
  std::vector<std::pair<std::int64_t, int>> blocks;  // (first path, paths) of those blocks
  LaneFlows flows;

  explicit ThreadScratch(const SimulationConfig& c);
};

}  // namespace wager::detail
