// The validator's vocabulary (docs/cpp.md, "Validation"): a number or a
// yearly series checked against a range, refused with InputError naming the
// field's dotted path and the value, in the words of the scenario format.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "wager/model.hpp"
#include "wager/simulation.hpp"

namespace wager::detail {

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

/// An interval of allowed values; an open end excludes its bound. The
/// default is every finite number.
struct Range {
  double lo = -unbounded;
  double hi = unbounded;
  bool lo_open = false;
  bool hi_open = false;
};

inline Range at_least(double lo) { return {lo, unbounded, false, false}; }
inline Range above(double lo) { return {lo, unbounded, true, false}; }
inline Range within(double lo, double hi) { return {lo, hi, false, false}; }

/// `v` as the messages show it (%g: 0.25, 1e+300, nan, inf).
std::string shown(double v);

/// Throws InputError(field, reason).
[[noreturn]] void refuse(const std::string& field, const std::string& reason);

/// Refuses `v` unless it is a finite number in `range`.
void check_number(const std::string& field, double v, const Range& range = {});

/// The field of year index `i` of a yearly series: "<field>.<calendar year>".
std::string year_field(const std::string& field, const Model& m, std::size_t i);

/// Refuses a series without one value per year of the horizon, or with a
/// value that is not a finite number in `range` (named by its year).
void check_series(const std::string& field, const YearlySeries& s, const Model& m, const Range& range = {});

/// `prefix` + "." + name, or prefix + "[i]" for an unnamed item.
std::string item_field(const std::string& prefix, const std::string& name, std::size_t i);

/// The config's world with its defaults resolved: initial_regime -1 and
/// n_regimes 0 become the first strategy's (validate() checked they agree).
World resolved_world(const SimulationConfig& c);

}  // namespace wager::detail
