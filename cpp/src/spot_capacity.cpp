#include "spot_capacity.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace wager::detail {

SpotLag spot_lag(double lead_time, double dt) {
  if (!(lead_time > 0.0)) return {};
  const double keep = std::exp(-dt / lead_time);
  return {keep, lead_time * -std::expm1(-dt / lead_time)};
}

std::vector<double> planned_spot(const Model& m) {
  const int n_steps = m.n_steps();
  const double dt = m.dt();
  std::vector<double> out(static_cast<std::size_t>(n_steps), 0.0);
  // docs/model.md §6: owned capacity from the planned capex and the book's
  // exact path, as in LaneStepperT::operations_step with its values on plan.
  const double life = m.depreciation_life;
  const double decayed = -std::expm1(-dt / life);
  double book = m.initial_assets;
  for (int k = 0; k < n_steps; ++k) {
    const auto y = static_cast<std::size_t>(k / m.steps_per_year);
    double inference = 0.0;
    for (const Segment& s : m.segments) inference += s.revenue[y] * dt * s.inference_cost_ratio[y];
    const double training = m.training[y] * dt;
    const double needed = inference + training;
    const double committed = m.commitments[y] * dt;
    const double keep = m.impairment.empty() ? 1.0 : std::pow(1.0 - m.impairment[y], dt);
    const double capex_rate = m.capex[y];
    const double book0 = book * keep;
    const double book1 = book0 * (1.0 - decayed) + capex_rate * life * decayed;
    const double integral = book0 * life * decayed + capex_rate * life * (dt - life * decayed);
    const double owned = m.capacity_per_dollar * integral;
    const double from_owned = std::min(needed, owned);
    const double from_commit = std::min(needed - from_owned, committed);
    out[static_cast<std::size_t>(k)] = needed - from_owned - from_commit;
    book = book1;
  }
  return out;
}

}  // namespace wager::detail
