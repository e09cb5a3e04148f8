// The checks a simulation config must pass before anything runs: shapes,
// ranges, calendars, inputs and shocks (a bad shock is refused here, not mid-run).
#include "simulation_checks.hpp"

#include <cmath>
#include <cstdint>

#include "lane_stepper.hpp"
#include "prepared_model.hpp"
#include "wager/parameters.hpp"
#include "wager/require.hpp"

namespace wager::detail {

namespace {

void check_world(const World& w, int n_steps) {
  WAGER_REQUIRE(w.n_regimes >= 1, "world: at least one regime");
  WAGER_REQUIRE(w.initial_regime >= 0 && w.initial_regime < w.n_regimes, "world: initial regime out of range");
  const auto nr = static_cast<std::size_t>(w.n_regimes);
  WAGER_REQUIRE(w.step_transition.empty() || w.step_transition.size() == nr * nr,
                "world: step_transition must be n_regimes x n_regimes");
  WAGER_REQUIRE(w.pinned.empty() || static_cast<int>(w.pinned.size()) == n_steps,
                "world: pinned must have one entry per step");
  for (int r : w.pinned) WAGER_REQUIRE(r >= -1 && r < w.n_regimes, "world: pinned regime out of range");
  WAGER_REQUIRE(w.factor_volatility >= 0.0 && std::isfinite(w.factor_volatility),
                "world: factor volatility must be >= 0");
  WAGER_REQUIRE(w.factor_persistence >= 0.0 && w.factor_persistence <= 1.0,
                "world: factor persistence must be in [0, 1]");
}

void check_run_shape(const SimulationConfig& c) {
  WAGER_REQUIRE(!c.strategies.empty(), "simulation: at least one strategy");
  WAGER_REQUIRE(c.n_paths >= 0 && c.first_path >= 0, "simulation: n_paths and first_path must be >= 0");
  WAGER_REQUIRE(c.n_threads >= 1, "simulation: n_threads must be >= 1, got " << c.n_threads);
  WAGER_REQUIRE(c.chunk_paths >= 1, "simulation: chunk_paths must be >= 1");
  WAGER_REQUIRE(c.world_period >= 0 && c.world_period % lanes == 0,
                "simulation: world_period must be 0 or a multiple of " << lanes);
  WAGER_REQUIRE(c.world_period == 0 || c.first_path % lanes == 0,
                "simulation: with world_period, first_path must be a multiple of " << lanes);
  WAGER_REQUIRE(c.histogram.n_bins >= 2 && c.histogram.scale > 0 && c.histogram.bins_per_unit > 0,
                "simulation: bad histogram spec");
}

void check_input_rows(const SimulationConfig& c, const Strategy& s) {
  const auto n = s.inputs.size();
  WAGER_REQUIRE(n > 0 && s.input_rows.size() % n == 0, "simulation: input_rows must be rows x inputs");
  WAGER_REQUIRE(s.input_row_paths >= 1, "simulation: input_row_paths must be >= 1");
  const auto rows = static_cast<std::int64_t>(s.input_rows.size() / n);
  WAGER_REQUIRE(c.first_path + c.n_paths <= rows * s.input_row_paths,
                "simulation: input_rows has " << rows << " rows of " << s.input_row_paths
                                              << " paths, fewer than the paths run");
  for (double v : s.input_rows) WAGER_REQUIRE(std::isfinite(v), "simulation: input_rows must be finite");
}

void check_strategy(const SimulationConfig& c, const Strategy& s) {
  const Model& first = c.strategies.front().model;
  validate(s.model);
  WAGER_REQUIRE(s.model.start_year == first.start_year && s.model.n_years == first.n_years &&
                    s.model.steps_per_year == first.steps_per_year,
                "simulation: strategies compared in one call need the same calendar");
  WAGER_REQUIRE(static_cast<int>(s.model.regimes.size()) == c.world.n_regimes,
                "simulation: every strategy needs one effect per regime of the world");
  for (const Segment& seg : s.model.segments) {
    WAGER_REQUIRE(seg.volatility >= 0.0 && seg.persistence >= 0.0 && seg.persistence <= 1.0,
                  "segments." << seg.name << ": volatility >= 0 and persistence in [0, 1] needed");
  }
  const auto n = s.inputs.size();
  WAGER_REQUIRE(s.cholesky.empty() || s.cholesky.size() == n * n, "simulation: cholesky must be n x n");
  if (!s.input_rows.empty()) check_input_rows(c, s);
  Model probe = s.model;
  const auto n_params = parameters(probe).size();
  apply_constant_shocks(probe, s.shocks);  // refuses a bad shock here, not in the parallel region
  for (const UncertainInput& in : s.inputs) {
    random::Distribution d = in.distribution;
    random::prepare(d, in.name, false);
    WAGER_REQUIRE(!random::has_quantile_table(d) || in.distribution.table,
                  in.name << ": distribution not prepared (random::prepare builds its quantile table)");
    WAGER_REQUIRE(in.targets.size() == in.weights.size(), in.name << ": one weight per target");
    for (int t : in.targets) {
      WAGER_REQUIRE(t >= 0 && static_cast<std::size_t>(t) < n_params, in.name << ": target out of range");
    }
  }
}

}  // namespace

void check_config(const SimulationConfig& c) {
  check_run_shape(c);
  for (const Strategy& s : c.strategies) check_strategy(c, s);
  check_world(c.world, c.strategies.front().model.n_steps());
  const auto n_strategies = static_cast<int>(c.strategies.size());
  for (const auto& [a, b] : c.pairs) {
    WAGER_REQUIRE(a >= 0 && a < n_strategies && b >= 0 && b < n_strategies,
                  "simulation: pair (" << a << ", " << b << ") names a strategy out of range");
  }
}

}  // namespace wager::detail
