// docs/model.md §11 (6.-9.): one lane's financing rules after the equity
// round, as plain functions of its numbers, so that the step engine's lane
// loop inlines them: the debt's step (maturities, the credit facility, the
// backstop, a revolving facility's sweep), the management actions, the
// covenant test and the supporting suppliers' help.
#pragma once

#include <cstddef>
#include <limits>

#include "lane_loop.hpp"
#include "wager/model.hpp"

namespace wager::detail {

// docs/model.md §11 (3. Tranches): committed tranches land whatever the
// market does; those paid per delivery follow the commitments kept (the
// undelivered part is exactly 0 for the others). Returns what landed and
// multiplies `own` by what the holders keep: the agreed tranches' share,
// then the at-market ones' (with PerLane, the caller's `lane_market_keep`).
template <bool PerLane>
[[gnu::always_inline]] inline double land_tranches(bool alive, double amount, double per_delivery,
                                                  double commit_scale, double agreed_keep, double at_market,
                                                  double market_value, double lane_market_keep, double& own) {
  const bool got = alive & (amount > 0.0);
  const double undelivered = per_delivery * (1.0 - commit_scale);
  const double tranche = got ? amount - undelivered : 0.0;
  // A factor of exactly 1 (a sum with 0) where none lands: see the management actions.
  own = own * (got ? agreed_keep : 1.0);
  if constexpr (PerLane) {
    own = own * lane_market_keep;
  } else {
    const double market = at_market - undelivered;
    own = own * (got & (market > 0.0) ? market_value / (market_value + market) : 1.0);
  }
  return tranche;
}

// One lane's debt after the equity and management steps (docs/model.md §11,
// 6.-8.): a maturity refinanced when the market would fund the company (the
// raise's draw against the regime's raise success; `refinanced_share` 1 or
// 0, or in the projection that chance itself) or repaid from cash; the
// credit facility; the backstop or default; a revolving facility's sweep of
// positive cash. Subtracting a zero payment changes no bit, and adding a zero
// draw changes nothing but -0 to +0, so a lane without maturities or a
// revolving facility has the bits it had without them.
struct DebtStep {
  double repaid, refinanced, drawn, rescue;
  bool defaults;
};
// With Debt false (neither feature in the model) only the credit facility
// and default remain: the code and bits of a model without them.
template <bool Debt>
[[gnu::always_inline]] inline DebtStep debt_step(bool alive, double due_in_step, double refinanced_share, double limit,
                                                 bool backstop, bool revolving, double& cash, double& debt,
                                                 double& credit_drawn) {
  double repaid = 0.0, refinanced = 0.0, swept = 0.0;
  if constexpr (Debt) {
    const double due = alive ? due_in_step : 0.0;
    // A share of exactly 1 or 0 gives the bits of a select (0 x a payment >= 0 is +0).
    repaid = (1.0 - refinanced_share) * min_of(due, max_of(debt, 0.0));  // no more than is owed
    refinanced = refinanced_share * due;
    cash = cash - repaid;
    debt = debt - repaid;
  }
  const bool draw = alive & (cash < 0.0) & (credit_drawn < limit);
  const double drawn = draw ? min_of(-cash, limit - credit_drawn) : 0.0;
  credit_drawn = credit_drawn + drawn;
  debt = debt + drawn;
  cash = cash + drawn;
  const bool short_cash = alive & (cash < 0.0);
  const bool rescued = short_cash & backstop;
  const double rescue = rescued ? -cash : 0.0;
  debt = debt + rescue;
  cash = rescued ? 0.0 : cash;
  if constexpr (Debt) {
    swept = revolving & alive & (cash > 0.0) ? min_of(cash, credit_drawn) : 0.0;
    credit_drawn = credit_drawn - swept;
    debt = debt - swept;
    cash = cash - swept;
  }
  return {repaid + swept, refinanced, drawn, rescue, (short_cash & !backstop) != 0};
}

// docs/model.md §11 (5. Management actions) on lane l, when it cuts. Products
// with a factor of exactly 1 (a sum with 0) where nothing is cut: the selects'
// bits without their masked loads and stores, which stall (docs/performance.md).
template <class State>
[[gnu::always_inline]] inline void management_cut(State& s, std::size_t l, bool cut, bool upfront,
                                                  double commitments_after, double cut_training, double cut_opex,
                                                  double renegotiate, double penalty) {
  const double share_before = s.commit_scale[l];
  const double cancelled = commitments_after * share_before * renegotiate;
  s.management_done[l] = max_of(s.management_done[l], cut ? 1.0 : 0.0);
  s.training_scale[l] = s.training_scale[l] * (cut ? 1.0 - cut_training : 1.0);
  s.opex_scale[l] = s.opex_scale[l] * (cut ? 1.0 - cut_opex : 1.0);
  s.commit_scale[l] = s.commit_scale[l] * (cut ? 1.0 - renegotiate : 1.0);
  // A lane that cuts is alive, so its pending penalty was just booked (0).
  // Upfront: the penalty on every later cancelled payment, booked next step.
  // Spread: per unit of planned commitments, the cancelled share times the
  // penalty rate, paid each later step (commit_scale is the share kept before the cut).
  s.pending_penalty[l] = s.pending_penalty[l] + (cut & upfront ? cancelled * penalty : 0.0);
  s.penalty_share[l] = s.penalty_share[l] + (cut & !upfront ? share_before * renegotiate * penalty : 0.0);
}

// docs/model.md §11 (9. Covenant): the calendar quarter ends in step k, as
// fractions of it: inside it (annual steps: 1/4 and 3/4 bound the three,
// liquidity moving linearly in between) and at its end.
// Only arithmetic in the lane loop (an invariant select stops it vectorising):
// a test that does not apply adds +inf, no covenant is a minimum of -inf.
struct CovenantTest {
  double min_liquidity, q_first, q_last, inner_off, end_off;
};
inline CovenantTest covenant_test(const Model& m, int k) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const bool inside = m.steps_per_year == 1;
  const bool at_end = m.steps_per_year != 12 || (k + 1) % 3 == 0;
  return {m.liquidity_covenant ? m.min_liquidity : -inf, 0.25, 0.75, inside ? 0.0 : inf, at_end ? 0.0 : inf};
}
// Whether liquidity falls below the minimum at a quarter end of the step:
// inside it, last step's plus the step's flow so far; at its end, `liquidity`.
[[gnu::always_inline]] inline bool covenant_breached(const CovenantTest& c, double before, double liquidity,
                                                     double fcf) {
  const double inner = min_of(before + c.q_first * fcf, before + c.q_last * fcf) + c.inner_off;
  return min_of(inner, liquidity + c.end_off) < c.min_liquidity;
}
// docs/model.md §11 (8.): what is missing, carried (converted into equity or
// deferred) when it is no more than the step's payments to the supporting
// suppliers and they agree (the raise's draw); help that would not save the
// company is not given.
[[gnu::always_inline]] inline double supplier_carried(bool short_cash, double cash, double owed, double draw,
                                                     double odds) {
  return short_cash & (-cash <= owed) & (draw < odds) ? -cash : 0.0;
}
// What the suppliers carry, converted (defers = 0) or deferred (defers = 1)
// into `payable`, which positive cash repays at the step's end.
struct SupplierHelp {
  double converted, deferred, cash;
};
[[gnu::always_inline]] inline SupplierHelp supplier_help(double carried, double defers, bool alive, double cash,
                                                         double& payable) {
  cash = cash + carried;
  const double repaid = alive ? min_of(max_of(cash, 0.0), payable) : 0.0;
  const double deferred = carried * defers - repaid;
  payable = payable + deferred;
  return {carried * (1.0 - defers), deferred, cash - repaid};
}

}  // namespace wager::detail
