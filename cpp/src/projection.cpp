// The deterministic projection: one path, one lane, through the step engine
// and the annual recorder, with shocks if given.
#include "wager/projection.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "annual_recorder.hpp"
#include "lane_stepper.hpp"
#include "prepared_model.hpp"
#include "wager/require.hpp"
#include "wager/shock_target.hpp"
#include "wager/validation.hpp"

namespace wager {

Projection project(const ProjectionConfig& config) {
  const Model& m = config.model;
  validate(config);
  const int n_steps = m.n_steps();
  const std::vector<Shock> shocks = resolve_shocks(config.shocks, m);  // scenario paths: the core's

  // Shocks on constants change the model; the others apply step by step.
  Model shocked = m;
  detail::apply_constant_shocks(shocked, shocks);
  detail::PreparedModel pm(shocked, &shocks);
  std::vector<int> path = config.regime_path;
  if (path.empty()) path.assign(static_cast<std::size_t>(n_steps), m.initial_regime);
  if (has_trigger(shocks)) pm.refresh(trigger_starts(shocks, path.data(), 1, n_steps, m.dt()));
  // docs/model.md §25, a regime moved: its trigger reads the path before the move.
  std::vector<int> moved = path;
  for (const Shock& s : shocks) {
    if (!moves_regime(s)) continue;
    const int k0 = triggered(s) ? trigger_step(s, path.data(), 1, n_steps, m.dt()) : 0;
    if (k0 < 0) continue;
    const auto [first, end] = regime_move_steps(s, triggered(s) ? k0 * m.dt() : s.start, n_steps, m.dt());
    for (int k = first; k < end; ++k) moved[static_cast<std::size_t>(k)] = static_cast<int>(s.value);
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
    world.regime[0] = moved[static_cast<std::size_t>(k)];
    world.raise_draw[0] = 0.5;  // central: suppliers carry a shortfall when their odds exceed one half
    stepper.step(state, k, world, lane_flows);
    recorder.record(k, lane_flows, state);
  }
  out.events = recorder.finish(state);
  return out;
}

}  // namespace wager

namespace wager {

namespace {

// "<variable> <year>" (in a per-step table "<variable> step <k>") of each value that is not finite.
void list_non_finite(const AnnualTable& t, bool per_step, std::vector<std::string>& where) {
  const auto period = [&](int k) {
    std::string text = per_step ? " step " : " ";
    text += std::to_string(per_step ? k : t.start_year + k);
    return text;
  };
  const auto& names = var_names();
  for (int k = 0; k < t.n_periods; ++k) {  // period by period, as Python lists a projection's
    for (std::size_t v = 0; v < n_vars; ++v) {
      if (!std::isfinite(t.at(static_cast<Var>(v), k))) where.push_back(std::string(names[v]) + period(k));
    }
  }
  for (std::size_t s = 0; s < t.n_segments; ++s) {
    for (int k = 0; k < t.n_periods; ++k) {
      const double v = t.segment_revenue[s * static_cast<std::size_t>(t.n_periods) + static_cast<std::size_t>(k)];
      if (!std::isfinite(v)) where.push_back(std::string("segment ") + std::to_string(s) + " revenue" + period(k));
    }
  }
}

}  // namespace

void require_finite(const Projection& p) {
  std::vector<std::string> where;
  list_non_finite(p.annual, false, where);
  list_non_finite(p.steps, true, where);
  const Events& e = p.events;
  const std::pair<const char*, double> events[] = {
      {"peak_funding_need", e.peak_funding_need},
      {"cumulative_burn", e.cumulative_burn},
      {"terminal_equity_value", e.terminal_equity_value},
      {"terminal_dcf_value", e.terminal_dcf_value},
      {"terminal_equity_value_today", e.terminal_equity_value_today},
      {"terminal_dcf_value_today", e.terminal_dcf_value_today},
      {"equity_raised_total", e.equity_raised_total},
      {"rescue_total", e.rescue_total}};
  for (const auto& [name, v] : events) {
    if (!std::isfinite(v)) where.emplace_back(name);
  }
  if (where.empty()) return;
  std::string shown;
  for (std::size_t i = 0; i < where.size() && i < 6; ++i) shown += (i ? ", " : "") + where[i];
  if (where.size() > 6) shown += std::string(" and ") + std::to_string(where.size() - 6) + " more";
  throw NonFiniteError("projection: values that are not finite numbers in " + shown +
                       "; an input is too large for double precision");
}

}  // namespace wager
