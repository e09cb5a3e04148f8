// Shocks: a change to one model field over a stretch of time, with a shape,
// scaled by a severity. A stress is a list of shocks; the core applies them
// when it prepares a model, so a projection, every simulated path and every
// cell of a stress grid see the same arithmetic (docs/stress.md).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace wager {

enum class ShockOp : int {
  scale,  ///< x -> x (1 + a (value - 1))
  add,    ///< x -> x + a value
  set,    ///< x -> x + a (value - x)
  /// A supplier's failure, as a stress file's op "fail": only on a contract
  /// in path form ("compute.commitments.largest"), `value` the share lost
  /// (0 to 1). resolve_shocks (wager/shock_target.hpp) turns it into an
  /// addition to "commitments" with `failure` set; the engine never sees it.
  fail,
};

enum class ShockShape : int {
  step,      ///< 1 while the shock lasts
  ramp,      ///< rises linearly from 0 to 1 over `ramp` years, then 1
  recovery,  ///< 1 at the start, then halves every `half_life` years
};

/// One shock. `a` above is severity x profile(t), the profile in [0, 1]
/// evaluated at the middle of each step.
struct Shock {
  /// What is shocked. Either a path in the scenario format, as a stress file
  /// writes its `target` ("market.regimes.*.raise_success",
  /// "segments.api.revenue", "compute.commitments.largest",
  /// "financing.tranches.0.amount", "financing.initial_cash"), which
  /// resolve_shocks (wager/shock_target.hpp) expands into the core's fields;
  /// or a core name: a field of `parameters(model)` without its year index
  /// ("segments[0].revenue", "regimes[2].spot_price", "training",
  /// "tranches[1].amount", "initial_cash", "impairment"), or "backstop", a
  /// switch that op set turns to `value` (0 or 1) wherever severity x
  /// profile > 0. docs/cpp.md, "Shock and parameter names", maps one to the other.
  std::string field;
  /// Says where the shock came from in errors ("funding_freeze.shocks[0]").
  std::string label;
  ShockOp op = ShockOp::scale;
  double value = 1.0;
  /// A value per calendar year instead of `value` (empty = none).
  std::vector<double> value_by_year;
  double severity = 1.0;
  /// Start, years since 1 January of the start year; ignored with a trigger.
  double start = 0.0;
  /// Start instead at the first step at or after `trigger_after` (years)
  /// whose regime is `trigger_regime`; -1 = no trigger.
  int trigger_regime = -1;
  /// Or start at the step after the one in which strategy `trigger_strategy`
  /// of the same simulation (an index into SimulationConfig::strategies)
  /// enters distress on the same path, at or after `trigger_after`: one
  /// bet's distress spreading to another (docs/model.md §25, "Contagion");
  /// -1 = no such trigger. Not with `trigger_regime`, and not in a projection.
  int trigger_strategy = -1;
  double trigger_after = 0.0;
  double duration = std::numeric_limits<double>::infinity();  ///< years
  ShockShape shape = ShockShape::step;
  double ramp = 1.0;       ///< years (ramp)
  double half_life = 1.0;  ///< years (recovery)
  /// A supplier's failure (docs/model.md §5): a shock on `commitments` (no
  /// trigger; at most one a model) whose removed payments and capacity come
  /// back on a path whose spot price is at or below the contract price at the
  /// shock's start, because the failed supplier's estate keeps a contract
  /// worth at least the market (US Bankruptcy Code s.365).
  bool failure = false;
  /// On "commitments": the index in Model::contracts of the contract the
  /// shock changes (resolve_shocks sets it for compute.commitments.<name>);
  /// -1 = the commitments as a whole. Its supplier's claim in a distress
  /// follows the change (docs/model.md §27, 1.).
  int contract = -1;
};

/// The shock's profile in [0, 1] at time t (years since the start of the
/// horizon) for a shock that started at t0.
double shock_profile(const Shock& s, double t0, double t);

/// The value of a field after one shock: `x` at the step of `year` with
/// weight a = severity x profile.
double shock_value(const Shock& s, double x, double a, int year);

/// What fires the triggers on one path: its regimes (`regime[k * stride]`
/// is step k's), and, for each strategy of the simulation, the step at which
/// it entered distress on this path (-1: never; nullptr: none known, so a
/// shock triggered by a strategy's distress never starts).
struct PathTriggers {
  const int* regime = nullptr;
  std::size_t stride = 1;
  const int* distress_step = nullptr;
};

/// True if the shock starts on a trigger (a regime or a strategy's distress).
bool triggered(const Shock& s);

/// True if the shock moves the market regime itself (field "regime", op set,
/// value the regime's index): over its window the strategy's paths read
/// that regime instead of the world's (docs/model.md §25, "A regime
/// moved"). It changes no value of the model: only which regime a step reads.
bool moves_regime(const Shock& s);

/// The steps [first, end) at which a regime move started at `t0` (years)
/// holds: those whose middle has severity x profile >= 1/2 (a regime is not
/// moved by halves). first = end = n_steps if none.
std::pair<int, int> regime_move_steps(const Shock& s, double t0, int n_steps, double dt);

/// True if two triggered shocks start at the same step on every path.
bool same_trigger(const Shock& a, const Shock& b);

/// The start, in years, of each shock that has a trigger, along one path:
/// the start of the first step at or after its `trigger_after` in its
/// regime, or after the step in which its strategy entered distress; NaN
/// if there is none. Shocks without a trigger get their `start`.
std::vector<double> trigger_starts(const std::vector<Shock>& shocks, const PathTriggers& path, int n_steps, double dt);

/// trigger_starts along a regime path alone.
std::vector<double> trigger_starts(const std::vector<Shock>& shocks, const int* regime, std::size_t stride,
                                   int n_steps, double dt);

/// The step at which a triggered shock starts on one path, -1 if none; what
/// trigger_starts gives, as a step number.
int trigger_step(const Shock& shock, const PathTriggers& path, int n_steps, double dt);

/// trigger_step along a regime path alone.
int trigger_step(const Shock& shock, const int* regime, std::size_t stride, int n_steps, double dt);

/// True if some shock of the model's values has a trigger (a regime move's
/// does not count: it leaves the model's values alone).
bool has_trigger(const std::vector<Shock>& shocks);

/// True if some shock starts on another strategy's distress.
bool has_distress_trigger(const std::vector<Shock>& shocks);

/// Throws InputError (its field "<who>.<member>", e.g. "funding_freeze.shocks[0].severity")
/// if the shock's own numbers are not usable: an op or shape out of its
/// enum, a value, start or trigger time that is not finite, a negative
/// severity, a non-positive duration, ramp or half-life. What depends on
/// the model (the field, the trigger regime, the values per year) is
/// checked by validate(shocks, model) (wager/validation.hpp).
void check_shock(const Shock& s, const std::string& who);

/// check_shock naming the shock by its label, else its field.
void check_shock(const Shock& s);

}  // namespace wager
