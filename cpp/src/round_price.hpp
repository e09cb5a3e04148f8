// docs/model.md §11 (2. Market value) and §27 (2.): the price of a round.
// The market prices the company at its regime's multiple of revenue; a
// discounted cash flow prices the business it runs today, without its
// commitments or its training (the going concern of a distress). A regime's
// `dcf_weight` blends the two.
#pragma once

#include "lane_loop.hpp"

namespace wager::detail {

/// The going concern's cash flow per year in a step of length dt: revenue,
/// less the inference compute beyond owned capacity bought at the spot
/// price, less the cash operating costs, taxed when positive.
[[gnu::always_inline]] inline double going_concern_flow(double revenue, double inference, double owned,
                                                        double spot, double operating_costs, double tax_rate,
                                                        double dt) {
  const double beyond = max_of(inference - owned, 0.0);
  const double before_tax = revenue - beyond * spot - operating_costs;
  return (before_tax > 0.0 ? before_tax * (1.0 - tax_rate) : before_tax) / dt;
}

/// The price of a round: (1 - w) x the market value + w x the going
/// concern's value, max(flow, 0) x perpetuity (the regime's (1 + g) / (rho - g)).
[[gnu::always_inline]] inline double round_price(double market_value, double flow, double perpetuity, double w) {
  return (1.0 - w) * market_value + w * (max_of(flow, 0.0) * perpetuity);
}

}  // namespace wager::detail
