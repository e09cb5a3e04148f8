// docs/model.md §11 (4. Equity raise): a round is sought over time, not at
// step boundaries. Within a step cash falls linearly; the company seeks a
// round once its runway is below the trigger, may close one once the
// minimum interval since the last has passed, and a round that closes
// after its cash and undrawn facility ran out comes too late. Rounds close
// at the regime's yearly rate (a hazard), so the chance of a round over a
// year does not depend on the step size.
#pragma once

#include "lane_loop.hpp"
#include "wager/math/elementary.hpp"

namespace wager::detail {

/// The time within a step of length dt (years) during which a round is
/// sought, allowed and still useful. `cash` is the cash at the step's end
/// before the round, `burn` > 0 the step's burn per year, `undrawn` the
/// facility still available, `wait` the part of the step before the minimum
/// interval has passed. A company that had liquidity at the step's start
/// and ran out of it within the step needed the round before then; one that
/// started without any lives on what others carry (suppliers, a backstop)
/// until the step's end, and may close a round until then.
[[gnu::always_inline]] inline double seeking_time(double cash, double burn, double undrawn, bool had_liquidity,
                                                  double trigger, double wait, double dt) {
  const double per_burn = 1.0 / burn;
  const double seek = min_of(max_of(trigger - cash * per_burn, 0.0), dt);       // runway below the trigger
  const double ran_out = min_of(max_of(-(cash + undrawn) * per_burn, 0.0), dt);  // after liquidity ran out
  const double late = had_liquidity ? ran_out : 0.0;
  return max_of(min_of(seek, dt - wait) - late, 0.0);
}

/// The chance that a round closes within `time` years at a yearly success
/// probability p, from log_keep = log(1 - p): 1 - (1 - p)^time (0 for no
/// time; 1 for p = 1, log_keep = -inf, and any time).
[[gnu::always_inline]] inline double round_odds(double time, double log_keep) {
  const double odds = 1.0 - math::exp(time * log_keep);
  return time > 0.0 ? odds : 0.0;
}

/// The odds' tables of a yearly success probability p, for a step of
/// length dt: log_keep = log(1 - p), and the odds of a round sought for the
/// whole step, round_odds(dt, log_keep) (the same bits). One formula for
/// the prepared model's tables and each lane's (LaneInputs).
struct RaiseOddsEntry {
  double log_keep, whole_step;
};
[[gnu::always_inline]] inline RaiseOddsEntry raise_odds_entry(double p, double dt) {
  const double log_keep = math::log(1.0 - p);
  return {log_keep, 1.0 - math::exp(dt * log_keep)};
}

/// A round of `amount` (>= 0) priced at pre-money `market_value`: in a
/// simulation it closes when the draw is below its odds; in the projection
/// (expected = 1) it raises the amount times the odds and moves the time of
/// the last round toward now by them, from no further back than one interval.
/// With expected = 0 or 1 exactly, the products are the selects' bits.
struct Round {
  double raised, own, last;
};
[[gnu::always_inline]] inline Round equity_round(double amount, double odds, double draw, double expected,
                                                 double market_value, double own, double last, double t_now,
                                                 double interval) {
  const double closes = draw < odds ? 1.0 : 0.0;
  const double weight = expected * odds + (1.0 - expected);  // exactly 1 in a simulation
  const double raised = amount * weight * (expected + (1.0 - expected) * closes);  // 0 where the odds are 0
  const bool did_raise = raised > 0.0;
  const double recent = max_of(last, t_now - interval);
  return {raised, did_raise ? own * (market_value / (market_value + raised)) : own,
          did_raise ? t_now - (1.0 - weight) * (t_now - recent) : last};
}

}  // namespace wager::detail
