// The step engine: advances one path by one step. Shared by the projection
// and (later) the Monte Carlo engine, so both run the same equations.
#pragma once

#include <cstddef>
#include <vector>

#include "prepared_model.hpp"
#include "wager/annual.hpp"

namespace wager::detail {

/// What the world supplies to a path at one step.
struct StepWorld {
  int regime = 0;
  double raise_draw = 0.5;  ///< uniform in (0,1); a raise succeeds when draw < probability
  double factor = 0.0;      ///< the common demand factor's log deviation
  /// One standard normal per segment for its own deviation; null = none.
  const double* segment_normals = nullptr;
};

/// The state carried from step to step.
struct PathState {
  std::vector<double> demand_level;  ///< per segment: D^beta, the regimes' demand level
  std::vector<double> price_level;   ///< per segment: unit price / plan
  std::vector<double> deviation;  ///< per segment: own AR(1) log deviation
  double assets = 0.0;            ///< book value of owned capacity
  double cash = 0.0;
  double debt = 0.0;
  double credit_drawn = 0.0;      ///< drawn on the committed facility
  double ownership = 1.0;         ///< fraction still held by start-year owners
  double loss_carryforward = 0.0;
  double training_scale = 1.0;
  double opex_scale = 1.0;
  double commit_scale = 1.0;
  double pending_penalty = 0.0;
  double last_raise_time = -1e9;
  double cumulative_fcf = 0.0;
  double peak_funding_need = 0.0;
  bool management_done = false;
  bool defaulted = false;
  int default_step = -1;
};

/// The flows of one step (US$ bn), the quantities recorded per year.
struct StepFlows {
  std::vector<double> segment_revenue;
  double vars[n_vars] = {};
  double annualised_revenue = 0.0;
  double valuation_multiple = 0.0;
};

class PathStepper {
 public:
  explicit PathStepper(const PreparedModel& pm);

  void reset(PathState& s) const;
  /// Advances `s` over step `k` and writes the step's flows into `f`.
  void step(PathState& s, int k, const StepWorld& w, StepFlows& f) const;

 private:
  const PreparedModel& pm_;
  const Model& m_;
};

/// Accumulates steps into an AnnualTable and the path's Events.
class AnnualRecorder {
 public:
  /// `steps`, when given, also receives one column per step.
  AnnualRecorder(const Model& m, AnnualTable& table, AnnualTable* steps = nullptr);
  void record(int k, const StepFlows& f, const PathState& s);
  Events finish(const PathState& s) const;

 private:
  void record_step(int k, const StepFlows& f, const PathState& s);
  const Model& m_;
  AnnualTable& t_;
  AnnualTable* steps_;
  double ownership_at_year_start_ = 1.0;
  double ownership_at_step_start_ = 1.0;
  double last_annualised_revenue_ = 0.0;
  double last_multiple_ = 0.0;
};

}  // namespace wager::detail
