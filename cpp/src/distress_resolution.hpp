// The resolution of one company in distress (docs/model.md §27), from its
// state at the step it could not pay.
#pragma once

#include "wager/distress.hpp"
#include "wager/model.hpp"

namespace wager::detail {

/// A company's state at the step it could not pay (US$ bn; rates per year).
struct DistressInputs {
  double credit_drawn = 0.0;           ///< the facility drawn, if secured (else 0)
  double debt = 0.0;                   ///< all debt, the facility included
  double cash = 0.0;                   ///< < 0: the step's obligations left unpaid; > 0: the estate's (a covenant breach)
  double commitments_remaining = 0.0;  ///< payments due after this step, penalties included
  double commitment_rate = 0.0;        ///< the current payments, per year
  double going_concern_flow = 0.0;     ///< the cash flow of the business without its commitments, per year
  double discount_rate = 0.12;         ///< the regime's
  double owned_book = 0.0;             ///< book value of owned capacity
  double spot_price = 1.0;             ///< the regime's spot price / contract price
};

/// Claims, values, the decision and the recoveries; `distress_step` and
/// `steps` (the duration in steps) date it.
DistressResult resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step,
                                int steps);

/// The duration of `rule` in whole steps of `dt` years (rounded up).
int resolution_steps(const DistressResolution& rule, double dt);

}  // namespace wager::detail
