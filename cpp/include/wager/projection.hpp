// The deterministic projection of one strategy along one market path.
#pragma once

#include <vector>

#include "wager/annual.hpp"
#include "wager/model.hpp"

namespace wager {

/// Everything one projection needs.
struct ProjectionConfig {
  Model model;
  /// Regime index per step (size model.n_steps()); empty = the model's
  /// initial regime throughout.
  std::vector<int> regime_path;
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

/// Runs the step engine once, with every uncertain input at its central value.
Projection project(const ProjectionConfig& config);

}  // namespace wager
