// The deterministic projection: one path, one lane, through the step engine
// and the annual recorder, with shocks if given.
#include "wager/projection.hpp"

#include "annual_recorder.hpp"
#include "lane_stepper.hpp"
#include "prepared_model.hpp"
#include "wager/require.hpp"

namespace wager {

Projection project(const ProjectionConfig& config) {
  const Model& m = config.model;
  validate(m);
  const int n_steps = m.n_steps();
  WAGER_REQUIRE(config.regime_path.empty() || static_cast<int>(config.regime_path.size()) == n_steps,
                "regime_path: expected " << n_steps << " steps, got " << config.regime_path.size());
  for (int r : config.regime_path) {
    WAGER_REQUIRE(r >= 0 && r < static_cast<int>(m.regimes.size()),
                  "regime_path: regime index " << r << " out of range");
  }

  // Shocks on constants change the model; the others apply step by step.
  Model shocked = m;
  detail::apply_constant_shocks(shocked, config.shocks);
  detail::PreparedModel pm(shocked, &config.shocks);
  if (has_trigger(config.shocks)) {
    std::vector<int> path = config.regime_path;
    if (path.empty()) path.assign(static_cast<std::size_t>(n_steps), m.initial_regime);
    pm.refresh(trigger_starts(config.shocks, path.data(), 1, n_steps, m.dt()));
  }
  // The projection is a block of paths with one active lane: the same
  // equations as every simulated path.
  const detail::PathStepper stepper(pm);
  Projection out;
  detail::AnnualRecorder recorder(shocked, out.annual, config.record_steps ? &out.steps : nullptr);
  detail::PathState state;
  detail::PathFlows lane_flows;
  stepper.reset(state);
  detail::PathWorld world;
  world.factor_moves = false;  // a projection has no demand factor
  world.expected_raises = true;  // central: rounds and refinancings at their expected size (§11, 4. and 6.)
  for (int k = 0; k < n_steps; ++k) {
    world.regime[0] = config.regime_path.empty() ? m.initial_regime
                                                 : config.regime_path[static_cast<std::size_t>(k)];
    world.raise_draw[0] = 0.5;  // central: suppliers carry a shortfall when their odds exceed one half
    stepper.step(state, k, world, lane_flows);
    recorder.record(k, lane_flows, state);
  }
  out.events = recorder.finish(state);
  return out;
}

}  // namespace wager
