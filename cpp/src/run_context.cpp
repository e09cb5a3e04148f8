// Resolves once per run what the world must draw: only what some strategy
// uses (skipping a draw never shifts another: every number has its own counter).
#include "run_context.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "wager/parameters.hpp"
#include "wager/shock.hpp"

namespace wager::detail {

namespace {

bool segments_drawn(const SimulationConfig& c) {
  for (const Strategy& s : c.strategies) {
    for (const Segment& seg : s.model.segments) {
      if (seg.volatility > 0.0) return true;
    }
    if (s.inputs.empty()) continue;
    // An input that moves a segment's volatility gives its paths noise (a
    // draw of 0 needs none: with no noise the level is the demand level, bit
    // for bit, as the step engine notes).
    Model probe = s.model;
    const std::vector<ParameterRef> params = parameters(probe);
    for (const UncertainInput& in : s.inputs) {
      for (const int t : in.targets) {
        const std::string& name = params[static_cast<std::size_t>(t)].name;
        if (name.rfind("segments[", 0) == 0 && name.ends_with(".volatility")) return true;
      }
    }
  }
  return false;
}

std::size_t most_segments(const SimulationConfig& c) {
  std::size_t n = 0;
  for (const Strategy& s : c.strategies) n = std::max(n, s.model.segments.size());
  return n;
}

// docs/model.md §25, contagion: a source never has distress triggers of its
// own (validate), so the strategies without them first, in their order.
std::vector<std::size_t> run_order(const SimulationConfig& c) {
  std::vector<std::size_t> order;
  for (int late = 0; late < 2; ++late) {
    for (std::size_t i = 0; i < c.strategies.size(); ++i) {
      if (has_distress_trigger(c.strategies[i].shocks) == (late == 1)) order.push_back(i);
    }
  }
  return order;
}

}  // namespace

RunContext::RunContext(const SimulationConfig& c, std::vector<StrategyOutcome>& totals_)
    : config(c),
      totals(totals_),
      n_steps(c.strategies.front().model.n_steps()),
      n_years(c.strategies.front().model.n_years),
      steps_per_year(c.strategies.front().model.steps_per_year),
      start_year(c.strategies.front().model.start_year),
      dt(c.strategies.front().model.dt()),
      need_segments(segments_drawn(c)),
      plan(c.world, n_steps, dt, need_segments ? most_segments(c) : 0),
      order(run_order(c)) {}

}  // namespace wager::detail
