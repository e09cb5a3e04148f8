// The step engine's distress at a step (docs/model.md §27): the lanes whose
// distress began at step k, resolved one by one from their state at that
// step. Rare, so outside the vectorised loops; a file of its own, included
// by lane_stepper.cpp only, so that it compiles (and inlines) as before.
#pragma once

#include <algorithm>

#include "distress_resolution.hpp"
#include "lane_param.hpp"
#include "lane_stepper.hpp"
#include "round_price.hpp"

namespace wager::detail {

// docs/model.md §27: the lanes whose distress began at step k, resolved from
// their state at that step (the step's flows are still theirs). Rare, so
// lane by lane, outside the vectorised loops.
template <int N>
template <bool PerLane>
void LaneStepperT<N>::resolve_distress_at(LaneStateT<N>& s, int k, const LaneFlowsT<N>& f,
                                          const StepRegimeT<N>& r, const LaneParamsT<N>& p) const {
  const double dt = pm_.dt;
  const auto ku = static_cast<std::size_t>(k);
  const auto global = [&](GlobalField g) { return pm_.at(pm_.global_field(g), k); };
  const auto P = [](double shared, const LaneOf<N>& own) { return param<PerLane, N>(shared, own); };
  const auto commit_plan = P(global(GlobalField::commitments) * dt, p.commit_plan);
  const auto commitments_after = P(pm_.commitments_after[ku], p.commitments_after);
  const auto tax_rate = P(m_.tax_rate, p.tax_rate);
  const auto& v = f.vars;
  const auto var = [&v](Var x, std::size_t l) { return v[static_cast<std::size_t>(x)][l]; };
  DistressInputs in;  // every field set per lane; its vectors keep their room
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) {
    if (s.default_step[l] != static_cast<double>(k)) continue;
    in.facility_drawn = s.credit_drawn[l];
    in.facility_secured = m_.credit_secured;
    in.debt = s.debt[l];
    in.cash = s.cash[l];
    in.payable = s.payable[l];
    // The kept payments and the spread penalties on the cancelled ones (§11, 5.).
    const double owed_share = s.commit_scale[l] + s.penalty_share[l];
    // A supplier's contract is still owed before it fails, and after if its
    // estate kept it (§5).
    const PreparedModel& own = PerLane ? *p.models[l] : pm_;
    const double kept = own.failure_step < 0 ? 0.0 : k < own.failure_step ? 1.0 : s.contract_kept[l];
    in.commitments_remaining = (commitments_after[l] + kept * own.at_risk_after[ku]) * owed_share;
    in.commitment_rate = (commit_plan[l] + kept * own.commit_at_risk[ku]) * owed_share / dt;
    if (own.n_counterparties > 0) {
      const double* after = &own == &pm_ ? counterparty_after_.data() : nullptr;
      counterparty_commitments(in, own, after, k, owed_share, kept);
    }
    // The business without commitments or training: revenue, less the
    // inference compute beyond owned capacity bought at the spot price and
    // the cash operating costs; taxed when positive; per year.
    in.going_concern_flow = going_concern_flow(var(Var::revenue, l), var(Var::inference_cost, l),
                                               var(Var::owned_capacity, l), r.spot[l],
                                               var(Var::operating_costs, l), tax_rate[l], dt);
    in.discount_rate = m_.regimes[static_cast<std::size_t>(r.regime[l])].discount_rate;
    in.owned_book = s.assets[l];
    in.spot_price = r.spot[l];
    resolve_distress(in, m_.resolution, k, resolution_steps_, s.distress[l]);
    s.distress[l].log_discount = s.log_discount[l];  // §28: a loss discounted to the start
  }
}

}  // namespace wager::detail
