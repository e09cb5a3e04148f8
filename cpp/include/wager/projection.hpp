// The deterministic projection of one strategy along one market path.
#pragma once

#include <vector>

#include "wager/annual.hpp"
#include "wager/model.hpp"
#include "wager/shock.hpp"

namespace wager {

/// Everything one projection needs.
struct ProjectionConfig {
  Model model;
  /// Regime index per step (size model.n_steps()); empty = the model's
  /// initial regime throughout.
  std::vector<int> regime_path;
  /// Shocks, in the order they apply (a stress). A triggered shock starts
  /// at the first step of `regime_path` in its regime (docs/stress.md).
  std::vector<Shock> shocks;
  /// Also return every step's values (`Projection::steps`).
  bool record_steps = false;
};

struct Projection {
  AnnualTable annual;
  /// Per-step values when requested: the same variables, one column per step
  /// (flows are the step's amounts, not annualised). Empty otherwise.
  AnnualTable steps;
  Events events;
};

/// Runs the step engine once, with every uncertain input at its central
/// value. Validates the config first (validate(const ProjectionConfig&),
/// wager/validation.hpp): throws InputError naming the field.
///
/// The values are returned as computed: valid inputs can still overflow
/// (a valuation multiple of 1e308), so call require_finite() on the result
/// before reading its events (docs/cpp.md, "Non-finite results").
Projection project(const ProjectionConfig& config);

/// Throws NonFiniteError if a value of `p` (its annual table, its per-step
/// table, its events) is NaN or infinite, naming where ("valuation 2025").
void require_finite(const Projection& p);

}  // namespace wager
