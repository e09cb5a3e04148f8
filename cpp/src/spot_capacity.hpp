// docs/model.md §5 (spot capacity): compute the plan does not foresee takes
// time to find. The spot capacity the plan buys is arranged in advance; any
// need beyond it (a supplier lost, a renegotiated contract, demand above
// plan) is secured at the regime's lead time L: the capacity in place moves
// toward the need at rate 1/L, and the compute it cannot yet serve is lost.
#pragma once

#include <vector>

#include "lane_loop.hpp"
#include "wager/model.hpp"

namespace wager::detail {

/// What a lead time L (years) does over one step of length dt, for a need
/// held constant over the step: the gap between need and capacity in place
/// keeps `keep` = exp(-dt / L) of itself, and leaves `span` = L (1 - keep)
/// years of it unserved. L = 0: the need is met at once (keep = span = 0).
struct SpotLag {
  double keep = 0.0;
  double span = 0.0;
};
SpotLag spot_lag(double lead_time, double dt);

/// The spot compute (US$ bn at contract price) each step of the plan buys:
/// the plan's compute needed (planned revenue times the cost ratio, plus
/// training) beyond its owned capacity and commitments, from the model's
/// yearly inputs, with no regime effect, shock or management action. Its
/// arithmetic is the step engine's, so that a lane on plan needs exactly it.
std::vector<double> planned_spot(const Model& m);

/// One step of the spot capacity secured beyond the plan. `extra_rate` is
/// the step's need for it (US$ bn / year), `secured` the capacity in place at
/// the step's start (updated to the step's end); returns the compute left
/// unserved (US$ bn). A need at or below what is in place is met in full,
/// and what is in place falls to it at once (unused spot is released).
[[gnu::always_inline]] inline double unserved_spot(double extra_rate, double& secured, double keep, double span) {
  const double gap = max_of(extra_rate - secured, 0.0);
  secured = extra_rate - gap * keep;
  return gap * span;
}

/// A step's compute and revenue once the spot beyond the plan's has been
/// sought: what is left unserved is taken from inference first (training
/// keeps its compute), and revenue falls in proportion to the inference lost.
struct Served {
  double revenue, inference, training;
  double bought;    ///< spot compute bought, at contract price
  double unserved;  ///< compute needed but not secured
  double share;     ///< of revenue served (each segment's too)
};
[[gnu::always_inline]] inline Served serve_compute(double revenue, double inference, double training,
                                                   double shortfall, double planned, double per_dt,
                                                   double& secured, double keep, double span) {
  const double unserved = unserved_spot(max_of(shortfall - planned, 0.0) * per_dt, secured, keep, span);
  const double lost_inference = min_of(unserved, inference);
  const double share = 1.0 - lost_inference / (inference > 0.0 ? inference : 1.0);
  return {revenue * share,       inference - lost_inference, training - (unserved - lost_inference),
          shortfall - unserved, unserved,                   share};
}

}  // namespace wager::detail
