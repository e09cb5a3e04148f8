// docs/model.md §5 (compute supply): owned capacity first (its cost is sunk),
// then the take-or-pay commitments, then spot; spot beyond the plan's is
// found at the regime's lead time (spot_capacity.hpp), and idle capacity is
// resold at the spot price, never above the contract price.
#pragma once

#include "lane_loop.hpp"
#include "spot_capacity.hpp"

namespace wager::detail {

/// docs/model.md §6 (owned capacity): the book value `book0` (after any
/// impairment) over one step with capex at `capex_rate`, solved exactly:
/// the book at the step's end and its integral over the step.
struct BookStep {
  double end, integral;
};
[[gnu::always_inline]] inline BookStep book_step(double book0, double capex_rate, double life, double decayed,
                                                 double dt) {
  return {book0 * (1.0 - decayed) + capex_rate * life * decayed,
          book0 * life * decayed + capex_rate * life * (dt - life * decayed)};
}

/// Compute needed taken from owned capacity first (its cost is sunk), then
/// from the commitments; the rest is short.
struct Allocation {
  double from_owned, from_commit, shortfall;
};
[[gnu::always_inline]] inline Allocation allocate(double needed, double owned, double committed) {
  const double from_owned = min_of(needed, owned);
  const double from_commit = min_of(needed - from_owned, committed);
  return {from_owned, from_commit, needed - from_owned - from_commit};
}

/// One step's compute supply, for one lane (US$ bn at contract price).
struct Supply {
  double revenue, inference, training;  ///< served (spot_capacity.hpp's Served)
  double from_owned, bought, unserved, idle, resale, spot_premium, idle_cost_net;
  double share;  ///< of revenue served (each segment's too)
};

/// `secured`: the spot capacity in place beyond the plan, updated to the
/// step's end; `keep`, `span`: the regime's SpotLag.
[[gnu::always_inline]] inline Supply supply_compute(double revenue, double inference, double training,
                                                    double committed, double owned, double planned, double per_dt,
                                                    double& secured, double keep, double span, double spot,
                                                    double resale_share) {
  const Allocation a = allocate(inference + training, owned, committed);
  const Served sv = serve_compute(revenue, inference, training, a.shortfall, planned, per_dt, secured, keep, span);
  const double idle = (committed - a.from_commit) + (owned - a.from_owned);
  const double resale = idle * min_of(spot, 1.0) * resale_share;  // never above the contract price
  return {sv.revenue,  sv.inference, sv.training,           a.from_owned,
          sv.bought,   sv.unserved,  idle,                  resale,
          sv.bought * (spot - 1.0), (committed - a.from_commit) - resale, sv.share};
}

}  // namespace wager::detail
