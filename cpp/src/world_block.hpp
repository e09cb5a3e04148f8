// The shared random world of a block of paths: regimes, raise draws, the
// demand factor and each segment's normal innovations, per step and lane.
// Drawn once per block and read by every strategy (common random numbers).
#pragma once

#include <cstdint>
#include <vector>

#include "lane_stepper.hpp"
#include "wager/simulation.hpp"

namespace wager::detail {

/// What the world must draw, resolved once per simulation.
struct WorldPlan {
  const World* world = nullptr;
  int n_steps = 0;
  double factor_coef = 0.0;  ///< the factor's AR(1) coefficient per step
  double factor_vol = 0.0;   ///< its innovation sd per step
  std::size_t n_segments = 0;  ///< segment normals drawn per step (0 = none)
  /// Cumulative transition probabilities [from][to], summed in order.
  std::vector<double> cumulative;

  WorldPlan(const World& w, int n_steps, double dt, std::size_t n_segments);
};

/// [step][lane], and segment normals [step][segment][lane].
struct WorldBlock {
  std::vector<int> regime;
  std::vector<double> raise, factor, segment_normals;
  void resize(const WorldPlan& plan);
};

/// Draws paths first_path .. first_path + lanes - 1 into `out`.
void draw_world_block(const WorldPlan& plan, std::uint64_t seed, std::uint64_t first_path, WorldBlock& out);

}  // namespace wager::detail
