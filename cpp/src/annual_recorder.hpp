// Sums one path's steps into years (the projection's annual table) and reads
// its events off them; the sums events and ratios read come from the shared YearAccumulatorT.
#pragma once

#include "lane_stepper.hpp"
#include "year_accumulator.hpp"
#include "wager/annual.hpp"
#include "wager/model.hpp"

namespace wager::detail {

/// Accumulates one path's steps into an AnnualTable and the path's Events.
class AnnualRecorder {
 public:
  /// `steps`, when given, also receives one column per step.
  AnnualRecorder(const Model& m, AnnualTable& table, AnnualTable* steps = nullptr);
  void record(int k, const PathFlows& f, const PathState& s);
  Events finish(const PathState& s) const;

 private:
  void record_step(int k, const PathFlows& f, const PathState& s);
  const Model& m_;
  AnnualTable& t_;
  AnnualTable* steps_;
  double ownership_at_year_start_ = 1.0;
  double ownership_at_step_start_ = 1.0;
  PathYearAccumulator years_;  // utilisation, first profit, terminal equity value: as the simulation
};

}  // namespace wager::detail
