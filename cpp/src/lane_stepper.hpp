// The step engine over a block of paths at once (structure of arrays): each
// equation is a loop over the block's lanes, so the compiler can vectorise
// it. A projection is a block with one active lane.
#pragma once

#include <array>
#include <vector>

#include "prepared_model.hpp"
#include "wager/annual.hpp"

namespace wager::detail {

inline constexpr int lanes = 8;
using Lane = std::array<double, lanes>;

/// What the world supplies to each lane at one step.
struct LaneWorld {
  std::array<int, lanes> regime{};
  Lane raise_draw{};  ///< uniform in (0,1); a raise succeeds when draw < probability
  Lane factor{};      ///< the common demand factor's log deviation
  bool factor_moves = true;  ///< false: factor is 0 in every lane (a caller's promise)
  /// One standard normal per segment and lane, [segment][lane]; null = all zero.
  const double* segment_normals = nullptr;
};

/// The state carried from step to step, per lane.
struct LaneState {
  std::vector<Lane> demand_level, price_level, deviation;  ///< per segment
  Lane assets{}, cash{}, debt{}, credit_drawn{}, ownership{}, loss_carryforward{};
  Lane training_scale{}, opex_scale{}, commit_scale{}, pending_penalty{}, last_raise_time{};
  Lane cumulative_fcf{}, peak_funding_need{};
  // Flags and step numbers are doubles so that every lane loop is over one
  // element width and vectorises: 1.0 = yes, 0.0 = no; -1 = no default.
  Lane management_done{}, defaulted{}, default_step{};
};

/// The flows of one step, per lane (US$ bn).
struct LaneFlows {
  std::array<Lane, n_vars> vars{};
  std::vector<Lane> segment_revenue;  ///< per segment
  Lane annualised_revenue{}, valuation_multiple{};
};

class LaneStepper {
 public:
  explicit LaneStepper(const PreparedModel& pm);
  void reset(LaneState& s) const;
  /// Advances every lane over step `k` (a caller that uses fewer lanes
  /// leaves the others' world at its defaults and ignores their results).
  void step(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const;
  /// The same step, storing only the flows a simulation reads: revenue,
  /// inference cost, operating income, free cash flow, compute needed,
  /// commitments paid, owned capacity, commitment penalty, cash, debt,
  /// ownership retained and regime (the other flows are left as they were).
  void step_lean(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const;

 private:
  template <bool All>
  [[gnu::always_inline]] inline void step_body(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const;

  const PreparedModel& pm_;
  const Model& m_;
  std::vector<double> zero_normals_;  // stands in for absent segment normals
};

}  // namespace wager::detail
