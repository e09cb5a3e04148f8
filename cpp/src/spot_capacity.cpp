#include "spot_capacity.hpp"

#include <cmath>
#include <cstddef>

#include "compute_supply.hpp"

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
  // exact path, with the step engine's own functions (compute_supply.hpp).
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
    const BookStep b = book_step(book * keep, m.capex[y], life, decayed, dt);
    out[static_cast<std::size_t>(k)] = allocate(needed, m.capacity_per_dollar * b.integral, committed).shortfall;
    book = b.end;
  }
  return out;
}

}  // namespace wager::detail
