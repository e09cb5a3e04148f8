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

  const detail::PreparedModel pm(m);
  // The projection is a block of paths with one active lane: the same
  // equations as every simulated path.
  const detail::LaneStepper stepper(pm);
  Projection out;
  detail::AnnualRecorder recorder(m, out.annual, config.record_steps ? &out.steps : nullptr);
  detail::LaneState state;
  detail::LaneFlows lane_flows;
  detail::StepFlows flows;
  detail::PathSnapshot snap;
  stepper.reset(state);
  detail::LaneWorld world;
  for (int k = 0; k < n_steps; ++k) {
    world.regime[0] = config.regime_path.empty() ? m.initial_regime
                                                 : config.regime_path[static_cast<std::size_t>(k)];
    world.raise_draw[0] = 0.5;  // central: a raise succeeds when its probability exceeds one half
    stepper.step(state, k, world, lane_flows, 1);
    for (std::size_t i = 0; i < n_vars; ++i) flows.vars[i] = lane_flows.vars[i][0];
    flows.segment_revenue.resize(lane_flows.segment_revenue.size());
    for (std::size_t i = 0; i < flows.segment_revenue.size(); ++i) flows.segment_revenue[i] = lane_flows.segment_revenue[i][0];
    flows.annualised_revenue = lane_flows.annualised_revenue[0];
    flows.valuation_multiple = lane_flows.valuation_multiple[0];
    snap = {state.defaulted[0], state.default_step[0], state.ownership[0], state.cash[0], state.debt[0],
            state.peak_funding_need[0]};
    recorder.record(k, flows, snap);
  }
  out.events = recorder.finish(snap);
  return out;
}

}  // namespace wager
