// Sums one path's steps into years (the projection's annual table) and reads
// its events off them.
#pragma once

#include <cstddef>
#include <vector>

#include "wager/annual.hpp"
#include "wager/model.hpp"

namespace wager::detail {

/// The flows of one step (US$ bn), the quantities recorded per year.
struct StepFlows {
  std::vector<double> segment_revenue;
  double vars[n_vars] = {};
  double annualised_revenue = 0.0;
  double valuation_multiple = 0.0;
};

/// What the recorder reads of a path's state after a step.
struct PathSnapshot {
  bool defaulted = false;
  int default_step = -1;
  double ownership = 1.0;
  double cash = 0.0;
  double debt = 0.0;
  double peak_funding_need = 0.0;
};

/// Accumulates steps into an AnnualTable and the path's Events.
class AnnualRecorder {
 public:
  /// `steps`, when given, also receives one column per step.
  AnnualRecorder(const Model& m, AnnualTable& table, AnnualTable* steps = nullptr);
  void record(int k, const StepFlows& f, const PathSnapshot& s);
  Events finish(const PathSnapshot& s) const;

 private:
  void record_step(int k, const StepFlows& f, const PathSnapshot& s);
  const Model& m_;
  AnnualTable& t_;
  AnnualTable* steps_;
  double ownership_at_year_start_ = 1.0;
  double ownership_at_step_start_ = 1.0;
  double last_annualised_revenue_ = 0.0;
  double last_multiple_ = 0.0;
};

}  // namespace wager::detail
