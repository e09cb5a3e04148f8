// A stress's shocks: their time profiles, how they change a value, and when a
// triggered shock starts on a path (docs/model.md §25, docs/stress.md).
#include "wager/shock.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "validation_checks.hpp"
#include "wager/require.hpp"

namespace wager {

// docs/model.md §25 (stresses): the profile phi(t) of a shock started at t0
// (docs/stress.md gives the shapes).
double shock_profile(const Shock& s, double t0, double t) {
  const double since = t - t0;
  if (!(since >= 0.0) || since >= s.duration) return 0.0;
  switch (s.shape) {
    case ShockShape::step:
      return 1.0;
    case ShockShape::ramp:
      return since >= s.ramp ? 1.0 : since / s.ramp;
    case ShockShape::recovery:
      return std::exp2(-since / s.half_life);
  }
  return 0.0;
}

// docs/model.md §25: scale x(1 + a(v - 1)), add x + a v, set x + a(v - x),
// with a = severity * profile.
double shock_value(const Shock& s, double x, double a, int year) {
  if (a == 0.0) return x;  // no shock: the value's own bits
  const double v = s.value_by_year.empty() ? s.value : s.value_by_year[static_cast<std::size_t>(year)];
  switch (s.op) {
    case ShockOp::scale:
      return x * (1.0 + a * (v - 1.0));
    case ShockOp::add:
      return x + a * v;
    case ShockOp::set:
      return x + a * (v - x);
    case ShockOp::fail:
      return x;  // refused by check_shock: resolve_shocks turns it into an addition
  }
  return x;
}

bool triggered(const Shock& s) { return s.trigger_regime >= 0 || s.trigger_strategy >= 0; }

bool moves_regime(const Shock& s) { return s.field == "regime"; }

std::pair<int, int> regime_move_steps(const Shock& s, double t0, int n_steps, double dt) {
  int first = 0;
  while (first < n_steps && !(s.severity * shock_profile(s, t0, (first + 0.5) * dt) >= 0.5)) ++first;
  int end = first;
  while (end < n_steps && s.severity * shock_profile(s, t0, (end + 0.5) * dt) >= 0.5) ++end;
  return {first, first < n_steps ? end : n_steps};
}

bool same_trigger(const Shock& a, const Shock& b) {
  return a.trigger_regime == b.trigger_regime && a.trigger_strategy == b.trigger_strategy &&
         a.trigger_after == b.trigger_after;
}

// docs/model.md §25 (triggered shocks): a path's first step in the trigger
// regime, or after its strategy's distress, at or after the `after` time;
// NaN = never triggered.
std::vector<double> trigger_starts(const std::vector<Shock>& shocks, const PathTriggers& path, int n_steps,
                                   double dt) {
  std::vector<double> out;
  out.reserve(shocks.size());
  for (const Shock& s : shocks) {
    double start = s.start;
    if (triggered(s)) {
      const int k = trigger_step(s, path, n_steps, dt);
      start = k < 0 ? std::numeric_limits<double>::quiet_NaN() : k * dt;
    }
    out.push_back(start);
  }
  return out;
}

std::vector<double> trigger_starts(const std::vector<Shock>& shocks, const int* regime, std::size_t stride,
                                   int n_steps, double dt) {
  return trigger_starts(shocks, PathTriggers{regime, stride, nullptr}, n_steps, dt);
}

int trigger_step(const Shock& s, const PathTriggers& path, int n_steps, double dt) {
  int k = 0;
  while (k < n_steps && k * dt < s.trigger_after - 1e-9) ++k;  // the first step at or after `after`
  if (s.trigger_strategy >= 0) {
    // §25, contagion: the market learns of a distress at the end of its step.
    if (path.distress_step == nullptr) return -1;
    const int d = path.distress_step[s.trigger_strategy];
    if (d < 0) return -1;
    k = std::max(k, d + 1);
    return k < n_steps ? k : -1;
  }
  for (; k < n_steps; ++k) {
    if (path.regime[static_cast<std::size_t>(k) * path.stride] == s.trigger_regime) return k;
  }
  return -1;
}

int trigger_step(const Shock& s, const int* regime, std::size_t stride, int n_steps, double dt) {
  return trigger_step(s, PathTriggers{regime, stride, nullptr}, n_steps, dt);
}

bool has_trigger(const std::vector<Shock>& shocks) {
  return std::any_of(shocks.begin(), shocks.end(), [](const Shock& s) { return triggered(s) && !moves_regime(s); });
}

bool has_distress_trigger(const std::vector<Shock>& shocks) {
  return std::any_of(shocks.begin(), shocks.end(), [](const Shock& s) { return s.trigger_strategy >= 0; });
}

void check_shock(const Shock& s, const std::string& who) {
  const auto refuse = [&who](const std::string& member, const std::string& reason) {
    throw InputError(who + "." + member, reason);
  };
  const auto op = static_cast<int>(s.op), shape = static_cast<int>(s.shape);
  if (op < 0 || op > static_cast<int>(ShockOp::fail)) refuse("op", std::string("not a ShockOp: ") + std::to_string(op));
  if (s.op == ShockOp::fail) {
    refuse("op", "fail names a contract's failure in a stress file's terms: call wager::resolve_shocks "
                 "(wager/shock_target.hpp) first, which turns it into the core's shock on commitments");
  }
  if (shape < 0 || shape > static_cast<int>(ShockShape::recovery)) {
    refuse("shape", std::string("not a ShockShape: ") + std::to_string(shape));
  }
  if (!std::isfinite(s.value)) refuse("value", "must be a finite number");
  if (!(std::isfinite(s.severity) && s.severity >= 0.0)) {
    refuse("severity", std::string("must be a finite number >= 0, got ") + detail::shown(s.severity));
  }
  if (!std::isfinite(s.start)) refuse("start", "must be a finite number");
  if (!std::isfinite(s.trigger_after)) refuse("trigger_after", "must be a finite number");
  if (s.trigger_strategy < -1) refuse("trigger_strategy", "a strategy's index, or -1 for none");
  if (s.trigger_strategy >= 0 && s.trigger_regime >= 0) {
    refuse("trigger_strategy", "a shock starts on a regime or on a strategy's distress, not both");
  }
  if (!(s.duration > 0.0)) refuse("duration", std::string("must be > 0 years, got ") + detail::shown(s.duration));
  if (s.shape == ShockShape::ramp && !(std::isfinite(s.ramp) && s.ramp > 0.0)) {
    refuse("ramp", std::string("must be > 0 years, got ") + detail::shown(s.ramp));
  }
  if (s.shape == ShockShape::recovery && !(std::isfinite(s.half_life) && s.half_life > 0.0)) {
    refuse("half_life", std::string("must be > 0 years, got ") + detail::shown(s.half_life));
  }
  for (std::size_t y = 0; y < s.value_by_year.size(); ++y) {
    if (!std::isfinite(s.value_by_year[y])) {
      refuse(std::string("value_by_year[") + std::to_string(y) + "]", "must be a finite number");
    }
  }
}

void check_shock(const Shock& s) { check_shock(s, s.label.empty() ? s.field : s.label); }

}  // namespace wager
