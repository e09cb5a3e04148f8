// What every step of one Simulator::run reads and nobody changes: the
// config, its calendar, and the world plan (what the shared world must draw).
#pragma once

#include <vector>

#include "wager/simulation.hpp"
#include "world_block.hpp"

namespace wager::detail {

struct RunContext {
  const SimulationConfig& config;
  /// The call's totals: with keep_paths each path writes its own cells there.
  std::vector<StrategyOutcome>& totals;
  int n_steps, n_years, steps_per_year, start_year;
  double dt;
  /// Whether the world draws segment normals (some strategy reads them).
  bool need_segments;
  WorldPlan plan;
  /// The order the strategies run in over a chunk: those whose distress
  /// triggers another's shocks before it (docs/model.md §25, contagion).
  std::vector<std::size_t> order;

  RunContext(const SimulationConfig& c, std::vector<StrategyOutcome>& totals_);
};

}  // namespace wager::detail
