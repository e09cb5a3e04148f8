// The validator of what a run takes beside a Model (docs/cpp.md,
// "Validation"): the shared world, a stress's shocks, uncertain inputs, and
// the projection's and the simulation's configs, each refused naming the field.
#include <cmath>
#include <cstdint>
#include <string>

#include "lane_stepper.hpp"
#include "prepared_model.hpp"
#include "validation_checks.hpp"
#include "wager/parameters.hpp"
#include "wager/require.hpp"
#include "wager/shock_target.hpp"
#include "wager/validation.hpp"

namespace wager {

namespace {

using detail::at_least;
using detail::check_number;
using detail::refuse;
using detail::shown;
using detail::within;

std::string regime_name(const Model& m, std::size_t r) {
  return m.regimes[r].name.empty() ? std::string("[") + std::to_string(r) + "]" : m.regimes[r].name;
}

// market.transition: n x n per-step probabilities, each row summing to 1.
void check_transition(const World& w, const Model& m) {
  const std::size_t nr = m.regimes.size();
  if (w.step_transition.empty()) return;
  if (w.step_transition.size() != nr * nr) {
    refuse("market.transition", std::string("expected ") + std::to_string(nr) + " x " + std::to_string(nr) +
                                    " per-step probabilities, got " + std::to_string(w.step_transition.size()));
  }
  for (std::size_t from = 0; from < nr; ++from) {
    const std::string row = std::string("market.transition.") + regime_name(m, from);
    double total = 0.0;
    for (std::size_t to = 0; to < nr; ++to) {
      const double p = w.step_transition[from * nr + to];
      check_number(row + "." + regime_name(m, to), p, within(0.0, 1.0));
      total += p;
    }
    if (!(std::abs(total - 1.0) <= transition_row_tolerance)) {
      refuse(row, std::string("per-step probabilities sum to ") + shown(total) + ", not 1 (within " +
                      shown(transition_row_tolerance) + ")");
    }
  }
}

// market.path: a regime index per step, or -1 where the chain decides.
void check_pinned(const World& w, const Model& m) {
  if (w.pinned.empty()) return;
  const int n_steps = m.n_steps(), nr = static_cast<int>(m.regimes.size());
  if (static_cast<int>(w.pinned.size()) != n_steps) {
    refuse("market.path", std::string("expected one entry per step (") + std::to_string(n_steps) + "), got " +
                              std::to_string(w.pinned.size()));
  }
  for (int k = 0; k < n_steps; ++k) {
    const int r = w.pinned[static_cast<std::size_t>(k)];
    if (r < -1 || r >= nr) {
      refuse(std::string("market.path.") + std::to_string(m.start_year + k / m.steps_per_year),
             std::string("step ") + std::to_string(k) + " pins regime " + std::to_string(r) + "; the regimes are 0 to " +
                 std::to_string(nr - 1) + " (-1: not pinned)");
    }
  }
}

// A shock's field: a step field, a parameter of the model, or the backstop switch.
void check_shock_field(const Shock& s, const std::string& who, const Model& m,
                       const std::vector<ParameterRef>& params) {
  if (s.field == "backstop" || detail::step_field_index(m, s.field) >= 0) return;
  if (moves_regime(s)) {
    // docs/model.md §25, a regime moved: op set to a regime's index, one value.
    const double nr = static_cast<double>(m.regimes.size());
    if (s.op != ShockOp::set || !(s.value >= 0.0 && s.value < nr) || s.value != std::floor(s.value)) {
      refuse(who + ".value", "a regime move sets the regime: op set, value a regime's index (0 to " +
                                 std::to_string(m.regimes.size() - 1) + "), got " + std::to_string(s.value));
    }
    if (!s.value_by_year.empty()) refuse(who + ".value_by_year", "a regime move has one regime, not one a year");
    if (s.shape != ShockShape::step) refuse(who + ".shape", "a regime moves for a stretch of time: shape step");
    return;
  }
  for (const ParameterRef& p : params) {
    if (p.name == s.field) return;
  }
  refuse(who + ".field", "unknown field '" + s.field +
                             "': a name of parameters(model) without its year index (\"segments[0].revenue\", "
                             "\"initial_cash\"), \"backstop\" or \"regime\"");
}

void check_shock_on_model(const Shock& s, const std::string& who, const Model& m, int& failures) {
  const int nr = static_cast<int>(m.regimes.size());
  if (s.trigger_regime < -1 || s.trigger_regime >= nr) {
    refuse(who + ".trigger_regime", std::string("regime ") + std::to_string(s.trigger_regime) + " is not one of the " +
                                        std::to_string(nr) + " regimes (-1: no trigger)");
  }
  if (!s.value_by_year.empty() && static_cast<int>(s.value_by_year.size()) != m.n_years) {
    refuse(who + ".value_by_year", std::string("expected one value per year (") + std::to_string(m.n_years) + "), got " +
                                       std::to_string(s.value_by_year.size()));
  }
  if (s.failure) {
    if (s.field != "commitments" || triggered(s)) {
      refuse(who + ".failure", "a supplier's failure is a shock on commitments at a date, without a trigger");
    }
    if (++failures > 1) refuse(who + ".failure", "at most one supplier's failure a model");
  }
}

void check_input(const UncertainInput& in, const std::string& who, std::size_t n_params) {
  random::Distribution d = in.distribution;
  random::prepare(d, who, false);  // its parameters' rules; the Simulator prepares it if need be
  if (!std::isfinite(in.central)) refuse(who, std::string("its central value must be a finite number, got ") + shown(in.central));
  if (in.targets.size() != in.weights.size()) {
    refuse(who, std::string("one weight per target: ") + std::to_string(in.targets.size()) + " targets, " +
                    std::to_string(in.weights.size()) + " weights");
  }
  for (std::size_t t = 0; t < in.targets.size(); ++t) {
    const int target = in.targets[t];
    if (target < 0 || static_cast<std::size_t>(target) >= n_params) {
      refuse(who, std::string("target ") + std::to_string(target) + " is not a parameter of the model (0 to " +
                      std::to_string(n_params - 1) + ")");
    }
    if (!std::isfinite(in.weights[t])) refuse(who, std::string("weight ") + std::to_string(t) + " must be a finite number");
  }
}

// The copula's factor: n x n, finite, lower-triangular with a non-negative diagonal.
void check_cholesky(const Strategy& s) {
  const std::size_t n = s.inputs.size();
  if (s.cholesky.empty()) return;
  if (s.cholesky.size() != n * n) {
    refuse("cholesky", std::string("expected ") + std::to_string(n) + " x " + std::to_string(n) + " entries, one row per input, got " +
                           std::to_string(s.cholesky.size()));
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const double c = s.cholesky[i * n + j];
      const std::string at = std::string("cholesky[") + std::to_string(i) + "][" + std::to_string(j) + "]";
      check_number(at, c);
      if (j > i && c != 0.0) {
        refuse(at, "must be 0: the factor is lower-triangular (the Cholesky factor of the correlation, not the matrix)");
      }
      if (j == i && c < 0.0) refuse(at, std::string("a Cholesky factor's diagonal is >= 0, got ") + shown(c));
    }
  }
}

void check_input_rows(const Strategy& s) {
  if (s.input_rows.empty()) return;
  const std::size_t n = s.inputs.size();
  if (n == 0 || s.input_rows.size() % n != 0) {
    refuse("input_rows", std::string("expected rows of ") + std::to_string(n) + " values (one per input), got " +
                             std::to_string(s.input_rows.size()) + " values");
  }
  if (s.input_row_paths < 1) refuse("input_row_paths", std::string("must be >= 1, got ") + std::to_string(s.input_row_paths));
  for (std::size_t k = 0; k < s.input_rows.size(); ++k) {
    check_number(std::string("input_rows[") + std::to_string(k / n) + "][" + std::to_string(k % n) + "]", s.input_rows[k]);
  }
}

void check_run_settings(const SimulationConfig& c) {
  if (c.strategies.empty()) refuse("strategies", "at least one strategy is needed");
  if (c.n_paths < 0) refuse("n_paths", std::string("must be >= 0, got ") + std::to_string(c.n_paths));
  if (c.first_path < 0) refuse("first_path", std::string("must be >= 0, got ") + std::to_string(c.first_path));
  if (c.n_threads < 1) refuse("n_threads", std::string("must be >= 1, got ") + std::to_string(c.n_threads));
  if (c.chunk_paths < 1) refuse("chunk_paths", std::string("must be >= 1, got ") + std::to_string(c.chunk_paths));
  const std::string lanes = std::to_string(detail::lanes);
  if (c.world_period < 0 || c.world_period % detail::lanes != 0) {
    refuse("world_period", "must be 0 or a multiple of " + lanes + ", got " + std::to_string(c.world_period));
  }
  if (c.world_period != 0 && c.first_path % detail::lanes != 0) {
    refuse("first_path", "with a world_period, must be a multiple of " + lanes + ", got " + std::to_string(c.first_path));
  }
  check_number("histogram.scale", c.histogram.scale, {0.0, detail::unbounded, true, false});
  check_number("histogram.bins_per_unit", c.histogram.bins_per_unit, {0.0, detail::unbounded, true, false});
  if (c.histogram.n_bins < 2) refuse("histogram.n_bins", std::string("must be >= 2, got ") + std::to_string(c.histogram.n_bins));
}

// What strategies simulated together share: one calendar, one set of regimes.
void check_alike(const SimulationConfig& c, const Strategy& s) {
  const Model& first = c.strategies.front().model;
  const Model& m = s.model;
  if (m.start_year != first.start_year || m.n_years != first.n_years || m.steps_per_year != first.steps_per_year) {
    refuse("time", "strategies simulated together need the same calendar as strategies[0]");
  }
  if (m.regimes.size() != first.regimes.size()) {
    refuse("market.regimes", std::to_string(m.regimes.size()) + " regimes, strategies[0] has " +
                                 std::to_string(first.regimes.size()) + ": strategies simulated together share one world");
  }
  for (std::size_t r = 0; r < m.regimes.size(); ++r) {
    if (m.regimes[r].name != first.regimes[r].name) {
      refuse("market.regimes", std::string("regime ") + std::to_string(r) + " is '" + m.regimes[r].name + "', strategies[0]'s '" +
                                   first.regimes[r].name + "': strategies simulated together share one world");
    }
  }
  if (m.initial_regime != first.initial_regime) {
    refuse("market.initial", std::string("starts in regime '") + regime_name(m, static_cast<std::size_t>(m.initial_regime)) +
                                 "', strategies[0] in '" +
                                 regime_name(first, static_cast<std::size_t>(first.initial_regime)) +
                                 "': strategies simulated together share one world");
  }
  if (!s.input_rows.empty() && !s.inputs.empty()) {
    const auto rows = static_cast<std::int64_t>(s.input_rows.size() / s.inputs.size());
    if (c.first_path + c.n_paths > rows * s.input_row_paths) {
      refuse("input_rows", std::to_string(rows) + " rows of " + std::to_string(s.input_row_paths) +
                               " paths, fewer than the paths run (to " + std::to_string(c.first_path + c.n_paths) + ")");
    }
  }
}

}  // namespace

void validate(const World& w, const Model& m) {
  const int nr = static_cast<int>(m.regimes.size());
  if (w.n_regimes != 0 && w.n_regimes != nr) {
    refuse("market.regimes", std::string("the world has ") + std::to_string(w.n_regimes) + " regimes, the model " +
                                 std::to_string(nr) + ": one Regime per regime of the world (0: the model's)");
  }
  if (w.initial_regime != -1 && w.initial_regime != m.initial_regime) {
    refuse("market.initial", std::string("the world starts in regime ") + std::to_string(w.initial_regime) + ", the model in " +
                                 std::to_string(m.initial_regime) +
                                 ": one initial regime (World::initial_regime = -1 takes the model's)");
  }
  check_transition(w, m);
  check_pinned(w, m);
  check_number("market.demand_factor.volatility", w.factor_volatility, at_least(0.0));
  check_number("market.demand_factor.persistence", w.factor_persistence, within(0.0, 1.0));
}

void validate(const std::vector<Shock>& written, const Model& m) {
  if (written.empty()) return;
  // Targets written as scenario paths are checked as the core's shocks they
  // expand to (wager/shock_target.hpp; project and simulate expand them too).
  const std::vector<Shock> shocks = resolve_shocks(written, m);
  Model probe = m;
  const std::vector<ParameterRef> params = parameters(probe);
  int failures = 0;
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const Shock& s = shocks[i];
    const std::string who = s.label.empty() ? std::string("shocks[") + std::to_string(i) + "]" : s.label;
    check_shock(s, who);
    if (s.contract < -1 || s.contract >= static_cast<int>(m.contracts.size())) {
      refuse(who + ".contract", std::string("not one of the model's ") + std::to_string(m.contracts.size()) +
                                    " contracts (-1: the commitments as a whole)");
    }
    if (s.contract >= 0 && s.field != "commitments") {
      refuse(who + ".contract", "names a contract on " + s.field + ": only a shock on commitments has one");
    }
    if (s.failure && s.contract < 0 && !m.contracts.empty()) {
      refuse(who + ".contract", "a supplier's failure names the contract that fails (an index into the model's contracts)");
    }
    check_shock_field(s, who, m, params);
    check_shock_on_model(s, who, m, failures);
  }
  detail::apply_constant_shocks(probe, shocks);  // the rules of shocks on constants (one date, no trigger)
}

void validate(const Strategy& s) {
  validate(s.model);
  validate(s.shocks, s.model);
  Model probe = s.model;
  const std::size_t n_params = parameters(probe).size();
  for (std::size_t i = 0; i < s.inputs.size(); ++i) {
    const UncertainInput& in = s.inputs[i];
    check_input(in, in.name.empty() ? std::string("inputs[") + std::to_string(i) + "]" : in.name, n_params);
  }
  check_cholesky(s);
  check_input_rows(s);
}

namespace {

// At most one regime move a strategy (docs/model.md §25): two would overlap.
void check_regime_moves(const std::vector<Shock>& shocks, const std::string& where) {
  int moves = 0;
  for (std::size_t k = 0; k < shocks.size(); ++k) {
    if (moves_regime(shocks[k]) && ++moves > 1) {
      refuse(where + "shocks[" + std::to_string(k) + "].field", "at most one regime move a strategy");
    }
  }
}

}  // namespace

void validate(const ProjectionConfig& c) {
  const Model& m = c.model;
  validate(m);
  const int n_steps = m.n_steps(), nr = static_cast<int>(m.regimes.size());
  if (!c.regime_path.empty() && static_cast<int>(c.regime_path.size()) != n_steps) {
    refuse("regime_path", std::string("expected one regime per step (") + std::to_string(n_steps) + "), got " +
                              std::to_string(c.regime_path.size()));
  }
  for (std::size_t k = 0; k < c.regime_path.size(); ++k) {
    const int r = c.regime_path[k];
    if (r < 0 || r >= nr) {
      refuse(std::string("regime_path[") + std::to_string(k) + "]",
             std::string("regime ") + std::to_string(r) + " is not one of the " + std::to_string(nr) + " regimes");
    }
  }
  validate(c.shocks, m);
  check_regime_moves(c.shocks, "");
  for (std::size_t i = 0; i < c.shocks.size(); ++i) {
    if (c.shocks[i].trigger_strategy >= 0) {
      refuse(std::string("shocks[") + std::to_string(i) + "].trigger_strategy",
             "a projection has one strategy: a shock started by another's distress needs a simulation of both");
    }
  }
}

namespace {

// docs/model.md §25, contagion: a shock of strategy `i` started by strategy
// j's distress; j runs first, so it cannot itself be started by another's.
void check_distress_triggers(const SimulationConfig& c, std::size_t i) {
  const std::vector<Shock>& shocks = c.strategies[i].shocks;
  const auto n = static_cast<int>(c.strategies.size());
  for (std::size_t k = 0; k < shocks.size(); ++k) {
    const int j = shocks[k].trigger_strategy;
    if (j < 0) continue;
    const std::string who = std::string("strategies[") + std::to_string(i) + "].shocks[" + std::to_string(k) +
                            "].trigger_strategy";
    if (j >= n) {
      refuse(who, std::string("strategy ") + std::to_string(j) + " is out of range (0 to " + std::to_string(n - 1) + ")");
    }
    if (j == static_cast<int>(i)) refuse(who, "a strategy's distress cannot start its own shocks");
    if (has_distress_trigger(c.strategies[static_cast<std::size_t>(j)].shocks)) {
      refuse(who, std::string("strategy ") + std::to_string(j) +
                      " has shocks started by another's distress itself: a contagion goes one way");
    }
  }
}

}  // namespace

void validate(const SimulationConfig& c) {
  check_run_settings(c);
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    const std::string where = std::string("strategies[") + std::to_string(i) + "]";
    try {
      validate(c.strategies[i]);
      check_alike(c, c.strategies[i]);
    } catch (const InputError& e) {
      if (e.field().empty()) throw InputError(where + ": " + e.what());
      throw InputError(e.field(), e.reason(), where);
    }
  }
  validate(c.world, c.strategies.front().model);
  for (std::size_t i = 0; i < c.strategies.size(); ++i) {
    check_distress_triggers(c, i);
    check_regime_moves(c.strategies[i].shocks, "strategies[" + std::to_string(i) + "].");
  }
  const auto n = static_cast<int>(c.strategies.size());
  for (std::size_t k = 0; k < c.pairs.size(); ++k) {
    const auto [a, b] = c.pairs[k];
    if (a < 0 || a >= n || b < 0 || b >= n) {
      refuse(std::string("pairs[") + std::to_string(k) + "]", std::string("(") + std::to_string(a) + ", " + std::to_string(b) +
                                                    ") names a strategy out of range (0 to " + std::to_string(n - 1) + ")");
    }
  }
}

namespace detail {

World resolved_world(const SimulationConfig& c) {
  World w = c.world;
  if (c.strategies.empty()) return w;
  const Model& m = c.strategies.front().model;
  if (w.initial_regime == -1) w.initial_regime = m.initial_regime;
  if (w.n_regimes == 0) w.n_regimes = static_cast<int>(m.regimes.size());
  return w;
}

}  // namespace detail

}  // namespace wager
