// The step engine: one step of every lane of a block, equation by equation
// (docs/model.md §3-§11), as lane loops with selects so that each vectorises.
#include "lane_stepper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "distress_at_step.hpp"  // LaneStepperT::resolve_distress_at (docs/model.md §27)
#include "distress_resolution.hpp"
#include "lane_loop.hpp"
#include "lane_param.hpp"
#include "raise_hazard.hpp"
#include "regime_pick.hpp"
#include "compute_supply.hpp"
#include "financing_rules.hpp"
#include "simd_clones.hpp"
#include "funding_score.hpp"
#include "round_price.hpp"
#include "wager/math/elementary.hpp"

namespace wager::detail {

namespace {
// Regimes a per-lane table picked from lane 0 can have (more: picked per lane).
constexpr std::size_t max_shared_pick = 8;
}  // namespace

template <int N>
LaneStepperT<N>::LaneStepperT(const PreparedModel& pm)
    : pm_(pm),
      m_(pm.model),
      resolution_steps_(resolution_steps(pm.model.resolution, pm.dt)),
      zero_normals_(pm.model.segments.size() * static_cast<std::size_t>(N), 0.0) {
  const Model& m = pm.model;
  for (const Regime& r : m.regimes) support_odds_.push_back(r.support_odds);
  for (std::size_t y = 0; y < m.supported_commitments.size(); ++y) {
    const double c = m.commitments[y];
    supported_share_.push_back(c > 0.0 ? std::min(m.supported_commitments[y] / c, 1.0) : 0.0);
  }
  const bool any_odds = std::any_of(support_odds_.begin(), support_odds_.end(), [](double p) { return p > 0.0; });
  const bool any_share =
      std::any_of(supported_share_.begin(), supported_share_.end(), [](double s) { return s > 0.0; });
  support_ = any_odds && any_share;
  score_on_ = m.equity.score.sensitivity > 0.0;
  const double g = m.resolution.terminal_growth;
  for (const Regime& r : m.regimes) {
    dcf_weight_.push_back(r.dcf_weight);
    perpetuity_.push_back((1.0 + g) / (r.discount_rate - g));
    step_log_discount_.push_back(-pm.dt * std::log1p(r.discount_rate));
    dcf_on_ = dcf_on_ || r.dcf_weight > 0.0;
  }
  if (pm.n_counterparties > 0) counterparty_after_ = counterparty_after(pm);
}

template <int N>
void LaneStepperT<N>::reset(LaneStateT<N>& s) const {
  reset_levels(s);
  s.assets.fill(m_.initial_assets);
  s.cash.fill(m_.initial_cash);
  s.debt.fill(m_.initial_debt);
  s.liquidity.fill(m_.initial_cash + m_.credit_limit);
  reset_flags(s);
}

template <int N>
void LaneStepperT<N>::reset_levels(LaneStateT<N>& s) const {
  const std::size_t n = m_.segments.size();
  s.demand_level.assign(n, LaneOf<N>{});
  s.price_level.assign(n, LaneOf<N>{});
  s.deviation.assign(n, LaneOf<N>{});
  for (std::size_t i = 0; i < n; ++i) {
    s.demand_level[i].fill(1.0);
    s.price_level[i].fill(1.0);
  }
}

template <int N>
void LaneStepperT<N>::reset_lanes(LaneStateT<N>& s, const LaneParamsT<N>& p) const {
  reset_levels(s);
  s.assets = p.initial_assets;
  s.cash = p.initial_cash;
  s.debt = p.initial_debt;
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) s.liquidity[l] = p.initial_cash[l] + p.credit_limit[l];
  reset_flags(s);
}

template <int N>
void LaneStepperT<N>::reset_flags(LaneStateT<N>& s) const {
  s.credit_drawn.fill(0.0);
  s.payable.fill(0.0);
  // The company starts with the spot capacity its first step needs.
  s.spot_secured.fill(std::numeric_limits<double>::infinity());
  s.contract_kept.fill(0.0);
  const FundingScore& fs = m_.equity.score;
  s.year_revenue.fill(0.0);
  s.year_fcf.fill(0.0);
  s.last_revenue.fill(fs.prior_revenue > 0.0 ? fs.prior_revenue : -1.0);
  s.funding_factor.fill(score_on_ ? funding_factor(fs.start, fs) : 1.0);
  s.log_discount.fill(0.0);
  const std::size_t groups = pm_.tranche_group_steps.size();
  LaneOf<N> one;
  one.fill(1.0);
  s.tranche_own_before.assign(groups, one);
  s.tranche_own_after.assign(groups, one);
  s.tranche_paid.assign(groups, LaneOf<N>{});
  s.ownership.fill(1.0);
  s.loss_carryforward.fill(0.0);
  s.training_scale.fill(1.0);
  s.opex_scale.fill(1.0);
  s.commit_scale.fill(1.0);
  s.pending_penalty.fill(0.0);
  s.penalty_share.fill(0.0);
  s.last_raise_time.fill(-1e9);
  s.cumulative_fcf.fill(0.0);
  s.peak_funding_need.fill(0.0);
  s.management_done.fill(0.0);
  s.defaulted.fill(0.0);
  s.default_step.fill(-1.0);
  s.distress.fill(DistressResult{});
}

template <int N>
template <bool PerLane>
inline void LaneStepperT<N>::pick_regime(const LaneStateT<N>& s, int k, const LaneWorldT<N>& w,
                                         StepRegimeT<N>& r, const LaneParamsT<N>& p) const {
  constexpr auto L = static_cast<std::size_t>(N);
  const auto nr = static_cast<std::size_t>(m_.regimes.size());
  const std::size_t kr = static_cast<std::size_t>(k) * nr;  // this step's row of the regime tables
  WAGER_FOR_LANES(l, L) {
    r.regime[l] = static_cast<double>(w.regime[l]);
    r.live[l] = s.defaulted[l] != 0.0 ? 0.0 : 1.0;
  }
  if constexpr (PerLane) {
    // A table no lane differs in (LaneVaries::regime_table) holds the same
    // value in every lane (lane_parameters.cpp's put fills it from models[0];
    // LaneInputs writes only the varying ones): picked as a shared one, from lane 0.
    const std::array<const LaneOf<N>*, 5> tables = {p.spot.data(), p.resale.data(), p.spread.data(), p.raise.data(),
                                                    p.multiple.data()};
    const std::array<LaneOf<N>*, 5> outs = {&r.spot, &r.resale_share, &r.spread, &r.raise_p, &r.multiple};
    std::array<double, max_shared_pick> lane0{};
    for (std::size_t t = 0; t < tables.size(); ++t) {
      if (p.varies.regime_table[t] != 0 || nr > lane0.size()) {
        pick_by_regime_lanes<N>(r.regime, tables[t], nr, *outs[t]);
        continue;
      }
      for (std::size_t j = 0; j < nr; ++j) lane0[j] = tables[t][j][0];
      pick_by_regime<N>(r.regime, lane0.data(), nr, *outs[t]);
    }
    pick_many_by_regime<N, 3>(r.regime, {pm_.regime_spot_keep.data(), pm_.regime_spot_span.data(),
                                         step_log_discount_.data()},
                              nr, {&r.spot_keep, &r.spot_span, &r.log_discount});
  } else if (w.window != nullptr) {
    // docs/model.md §25: a lane inside its window reads the shocked half of
    // each table (index regime + nr), the bits of the model of its trigger timing.
    const std::size_t n2 = 2 * nr;
    const double* t = w.window_tables;
    const auto table = [t, n2](WindowTable x) { return t + static_cast<std::size_t>(x) * n2; };
    const double shift = static_cast<double>(nr);
    WAGER_FOR_LANES(l, L) r.window_index[l] = r.regime[l] + shift * w.window[l];
    r.row_index = &r.window_index;
    pick_many_by_regime<N, 5>(r.window_index, {table(WindowTable::spot), table(WindowTable::resale),
                                            table(WindowTable::spread), table(WindowTable::raise),
                                            table(WindowTable::multiple)},
                              n2, {&r.spot, &r.resale_share, &r.spread, &r.raise_p, &r.multiple});
    pick_many_by_regime<N, 3>(r.regime, {pm_.regime_spot_keep.data(), pm_.regime_spot_span.data(),
                                         step_log_discount_.data()},
                              nr, {&r.spot_keep, &r.spot_span, &r.log_discount});
    r.raise_log_row = table(WindowTable::raise_log);
    r.raise_step_row = table(WindowTable::raise_step);
    r.row_size = n2;
  } else {
    r.row_index = &r.regime;
    r.raise_log_row = &pm_.regime_raise_log[kr];
    r.raise_step_row = &pm_.regime_raise_step[kr];
    r.row_size = nr;
    pick_many_by_regime<N, 8>(r.regime, {&pm_.regime_spot[kr], &pm_.regime_resale[kr], &pm_.regime_spread[kr],
                                         &pm_.regime_raise[kr], &pm_.regime_multiple[kr],
                                         pm_.regime_spot_keep.data(), pm_.regime_spot_span.data(),
                                         step_log_discount_.data()},
                              nr, {&r.spot, &r.resale_share, &r.spread, &r.raise_p, &r.multiple, &r.spot_keep,
                                   &r.spot_span, &r.log_discount});
  }
}

template <int N>
template <bool All, bool PerLane>
inline void LaneStepperT<N>::revenue_step(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                                          const StepRegimeT<N>& r, const LaneParamsT<N>& p) const {
  using Lane = LaneOf<N>;
  constexpr auto L = static_cast<std::size_t>(N);
  const double dt = pm_.dt;
  const std::size_t n_seg = m_.segments.size();
  const auto nr = static_cast<std::size_t>(m_.regimes.size());
  f.segment_revenue.resize(n_seg);
  auto& v = f.vars;
  const auto var = [&v](Var x) -> Lane& { return v[static_cast<std::size_t>(x)]; };
  const Lane& regime = r.regime;
  const Lane& live = r.live;

  // docs/model.md §4 (revenue and inference cost): demand and prices grow
  // continuously within the step at the regime's rates; flows use their
  // exact average over the step, tabulated per (segment, year, regime); the
  // demand shocks are §18's (common factor and segment AR(1)).
  Lane& revenue = var(Var::revenue);
  Lane& inference = var(Var::inference_cost);
  revenue.fill(0.0);
  inference.fill(0.0);
  const double* normals = w.segment_normals != nullptr ? w.segment_normals : zero_normals_.data();
  const std::size_t normal_stride = w.segment_normals != nullptr ? w.normal_stride : L;
  const bool shocks = w.factor_moves || w.segment_normals != nullptr;
  for (std::size_t i = 0; i < n_seg; ++i) {
    const Segment& seg = m_.segments[i];
    const auto plan = param<PerLane, N>(pm_.at(pm_.segment_field(i, SegmentField::revenue), k) * dt, p.plan, i);
    const auto cost_ratio =
        param<PerLane, N>(pm_.at(pm_.segment_field(i, SegmentField::inference_cost_ratio), k), p.cost_ratio, i);
    const auto beta = param<PerLane, N>(seg.demand_beta, p.beta, i);
    Lane& dl = s.demand_level[i];
    Lane& pl = s.price_level[i];
    Lane& dev = s.deviation[i];
    Lane& seg_rev = f.segment_revenue[i];
    const auto coef = param<PerLane, N>(pm_.segment_ar_coef[i], p.ar_coef, i);
    const auto vol = param<PerLane, N>(pm_.segment_ar_vol[i], p.ar_vol, i);
    const double* z = normals + i * normal_stride;
    const std::size_t g0 = pm_.growth_index(i, k, 0);
    Lane g_demand, g_price, g_volume, g_revenue;
    if constexpr (PerLane) {
      pick_many_by_regime_lanes<N, 4>(regime, {&p.growth_demand[i * nr], &p.growth_price[i * nr],
                                               &p.growth_volume[i * nr], &p.growth_revenue[i * nr]},
                                      nr, {&g_demand, &g_price, &g_volume, &g_revenue});
    } else {
      pick_many_by_regime<N, 4>(regime, {&pm_.growth_demand[g0], &pm_.growth_price[g0],
                                         &pm_.growth_mean_volume[g0], &pm_.growth_mean_revenue[g0]},
                                nr, {&g_demand, &g_price, &g_volume, &g_revenue});
    }
    // Without shocks the deviation stays exactly +0 (coef * 0 + vol * 0),
    // the log shock is exactly 0 and exp(0) = 1: the level is the demand
    // level, bit for bit, without computing the deviation or an exponential.
    Lane level;
    if (shocks) {
      WAGER_FOR_LANES(l, L) {
        const double d = coef[l] * dev[l] + vol[l] * z[l];
        level[l] = dl[l] * math::exp(beta[l] * w.factor[l] + d);
        dev[l] = live[l] != 0.0 ? d : dev[l];
      }
    } else {
      level = dl;
    }
    WAGER_FOR_LANES(l, L) {
      const double volume = plan[l] * level[l] * g_volume[l];
      const double r = plan[l] * level[l] * pl[l] * g_revenue[l];
      const bool alive = live[l] != 0.0;
      // live is exactly 1 or 0: a growth factor g * live + (1 - live) is g or
      // exactly 1, a flow times live is itself or a zero that adds nothing,
      // the selects' bits. As selects, the compiler loads the operands with
      // masks, and a masked load of a value just stored (the picks above)
      // waits for the store to reach the cache.
      const double on = live[l], off = 1.0 - live[l];
      dl[l] = dl[l] * (g_demand[l] * on + off);
      pl[l] = pl[l] * (g_price[l] * on + off);
      if constexpr (All) seg_rev[l] = alive ? r : 0.0;
      revenue[l] += r * on;
      inference[l] += volume * cost_ratio[l] * on;
    }
  }
}

// The step's compute supply in the full record (the lean one keeps only
// what the statistics read); `revenue` before the unserved share is taken.
template <int N>
[[gnu::always_inline]] inline void record_supply(std::array<LaneOf<N>, n_vars>& v, LaneFlowsT<N>& f, std::size_t l,
                                                 bool alive, const Supply& c, double revenue, double gross_profit,
                                                 double spot) {
  const auto put = [&v, l, alive](Var x, double value) { v[static_cast<std::size_t>(x)][l] = alive ? value : 0.0; };
  put(Var::gross_profit, gross_profit);
  put(Var::training_compute, c.training);
  put(Var::spot_purchases, c.bought * spot);
  put(Var::spot_premium, c.spot_premium);
  put(Var::unserved_compute, c.unserved);
  put(Var::unserved_revenue, revenue - c.revenue);
  put(Var::idle_capacity, c.idle);
  put(Var::resale_income, c.resale);
  put(Var::idle_cost_net, c.idle_cost_net);
  put(Var::owned_compute_credit, c.from_owned);
  for (auto& seg : f.segment_revenue) seg[l] = seg[l] * c.share;
}

template <int N>
template <bool All, bool PerLane>
inline void LaneStepperT<N>::operations_step(LaneStateT<N>& s, int k, LaneFlowsT<N>& f, const StepRegimeT<N>& r,
                                             const LaneParamsT<N>& p) const {
  using Lane = LaneOf<N>;
  constexpr auto L = static_cast<std::size_t>(N);
  const double dt = pm_.dt;
  auto& v = f.vars;
  const auto var = [&v](Var x) -> Lane& { return v[static_cast<std::size_t>(x)]; };
  Lane& revenue = var(Var::revenue);
  Lane& inference = var(Var::inference_cost);
  const Lane &spot = r.spot, &resale_share = r.resale_share, &spread = r.spread, &multiple = r.multiple,
             &live = r.live;
  const double planned_spot = pm_.planned_spot[static_cast<std::size_t>(k)];
  const double per_dt = 1.0 / dt;

  // Compute supply, costs, operating income, interest, tax.
  const auto global = [&](GlobalField f) { return pm_.at(pm_.global_field(f), k); };
  const auto P = [](double shared, const LaneOf<N>& own) { return param<PerLane, N>(shared, own); };
  const auto training_plan = P(global(GlobalField::training) * dt, p.training_plan);
  const auto commit_plan = P(global(GlobalField::commitments) * dt, p.commit_plan);
  const auto life = P(global(GlobalField::depreciation_life), p.life);
  const auto capex_rate = P(global(GlobalField::capex), p.capex_rate);
  const auto ku = static_cast<std::size_t>(k);
  const auto decayed = P(pm_.depreciation_decay[ku], p.decayed);
  const auto impairment_keep = P(pm_.impairment_keep[ku], p.impairment_keep);
  const auto staff_f = P(global(GlobalField::staff_fixed) * dt, p.staff_f);
  const auto staff_r = P(global(GlobalField::staff_of_revenue), p.staff_r);
  const auto sm_f = P(global(GlobalField::sales_marketing_fixed) * dt, p.sm_f);
  const auto sm_r = P(global(GlobalField::sales_marketing_of_revenue), p.sm_r);
  const auto ga_f = P(global(GlobalField::general_admin_fixed) * dt, p.ga_f);
  const auto ga_r = P(global(GlobalField::general_admin_of_revenue), p.ga_r);
  const auto sbc_f = P(global(GlobalField::stock_based_pay_fixed) * dt, p.sbc_f);
  const auto sbc_r = P(global(GlobalField::stock_based_pay_of_revenue), p.sbc_r);
  const auto debt_rate = P(global(GlobalField::debt_rate), p.debt_rate);
  const auto cash_yield = P(m_.cash_yield, p.cash_yield);
  const auto tax_rate = P(m_.tax_rate, p.tax_rate);
  const auto capacity_per_dollar = P(m_.capacity_per_dollar, p.capacity_per_dollar);
  WAGER_FOR_LANES(l, L) {
    const double capex = capex_rate[l] * dt;
    // docs/model.md §5 (compute supply): training, needed, take-or-pay commitments.
    const double training_needed = training_plan[l] * s.training_scale[l];
    const double committed = (commit_plan[l] + s.contract_kept[l] * pm_.commit_at_risk[ku]) * s.commit_scale[l];
    // docs/model.md §6 (owned capacity): exact solution over the step; an
    // impairment writes off part of the book value at the step's start
    // (booked with depreciation: both are non-cash).
    const double book_start = s.assets[l];
    const BookStep book = book_step(book_start * impairment_keep[l], capex_rate[l], life[l], decayed[l], dt);
    const double depreciation = book_start + capex - book.end;
    const double owned = capacity_per_dollar[l] * book.integral;
    double secured = s.spot_secured[l];
    // The spot that replaces what management renegotiated is arranged with it (planned).
    const double arranged = planned_spot + commit_plan[l] * (1.0 - s.commit_scale[l]);
    const Supply c = supply_compute(revenue[l], inference[l], training_needed, committed, owned, arranged, per_dt,
                                    secured, r.spot_keep[l], r.spot_span[l], spot[l], resale_share[l]);
    const double rev = c.revenue, inf = c.inference, training = c.training;
    // docs/model.md §7 (operating costs): the management cut scales opex, never stock-based pay.
    const double opex = s.opex_scale[l];
    const double staff = (staff_f[l] + staff_r[l] * rev) * opex;
    const double sm = (sm_f[l] + sm_r[l] * rev) * opex;
    const double ga = (ga_f[l] + ga_r[l] * rev) * opex;
    const double sbc = (sbc_f[l] + sbc_r[l] * rev) * 1.0;
    const double one_off = s.pending_penalty[l];  // §11 (5.): a penalty at once, or as payments fall due
    const double penalty = one_off + commit_plan[l] * s.penalty_share[l];
    // docs/model.md §8 (operating income).
    const double gross_profit = rev - inf;
    const double operating_income = gross_profit - training - c.idle_cost_net - c.spot_premium + c.from_owned - staff -
                                    sm - ga - sbc - depreciation - penalty;
    // docs/model.md §9 (interest and tax, with loss carryforward).
    const double net_interest =
        s.debt[l] * (debt_rate[l] + spread[l]) * dt - max_of(s.cash[l], 0.0) * cash_yield[l] * dt;
    const double pretax = operating_income - net_interest;
    const double lcf = s.loss_carryforward[l];
    const bool profit = pretax > 0.0;
    const double used = profit ? min_of(pretax, lcf) : 0.0;
    const double tax = profit ? tax_rate[l] * (pretax - used) : 0.0;
    const double lcf_next = profit ? lcf - used : lcf - pretax;
    // docs/model.md §10 (free cash flow): non-cash charges added back; §11 (1. Cash flow).
    const double fcf = operating_income + sbc + depreciation - capex - net_interest - tax;
    const double cash = s.cash[l] + fcf;
    const double cumulative = s.cumulative_fcf[l] + fcf;
    const bool alive = live[l] != 0.0;
    // A defaulted lane has stopped: no flows, stocks frozen.
    if constexpr (All) record_supply<N>(v, f, l, alive, c, revenue[l], gross_profit, spot[l]);
    v[static_cast<std::size_t>(Var::compute_needed)][l] = alive ? inference[l] + training_needed : 0.0;
    v[static_cast<std::size_t>(Var::commitments_paid)][l] = alive ? committed : 0.0;
    v[static_cast<std::size_t>(Var::owned_capacity)][l] = alive ? owned : 0.0;
    inference[l] = alive ? inf : 0.0;
    revenue[l] = alive ? rev : 0.0;
    s.spot_secured[l] = alive ? secured : s.spot_secured[l];
    if constexpr (All) v[static_cast<std::size_t>(Var::staff_cost)][l] = alive ? staff : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::sales_marketing)][l] = alive ? sm : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::general_admin)][l] = alive ? ga : 0.0;
    v[static_cast<std::size_t>(Var::operating_costs)][l] = alive ? staff + sm + ga : 0.0;  // lean too: §27 reads it
    if constexpr (All) v[static_cast<std::size_t>(Var::stock_based_pay)][l] = alive ? sbc : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::depreciation)][l] = alive ? depreciation : 0.0;
    v[static_cast<std::size_t>(Var::commitment_penalty)][l] = alive ? penalty : 0.0;
    f.one_off_penalty[l] = alive ? one_off : 0.0;
    v[static_cast<std::size_t>(Var::operating_income)][l] = alive ? operating_income : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::net_interest)][l] = alive ? net_interest : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::tax)][l] = alive ? tax : 0.0;
    if constexpr (All) v[static_cast<std::size_t>(Var::capex)][l] = alive ? capex : 0.0;
    v[static_cast<std::size_t>(Var::free_cash_flow)][l] = alive ? fcf : 0.0;
    s.assets[l] = alive ? book.end : s.assets[l];
    s.pending_penalty[l] = alive ? 0.0 : s.pending_penalty[l];
    s.loss_carryforward[l] = alive ? lcf_next : lcf;
    s.cash[l] = alive ? cash : s.cash[l];
    s.cumulative_fcf[l] = alive ? cumulative : s.cumulative_fcf[l];
    s.peak_funding_need[l] = alive ? max_of(s.peak_funding_need[l], -cumulative) : s.peak_funding_need[l];
    f.annualised_revenue[l] = rev / dt;
    f.valuation_multiple[l] = multiple[l];
  }
}

// The investors' view (docs/model.md §28): step k's tranche group (-1: none
// lands), the holders' share before it recorded.
template <int N>
int investors_before(const PreparedModel& pm, int k, const LaneOf<N>& ownership, std::vector<LaneOf<N>>& before) {
  const int group = pm.tranche_group_at_step.empty() ? -1 : pm.tranche_group_at_step[static_cast<std::size_t>(k)];
  if (group >= 0) before[static_cast<std::size_t>(group)] = ownership;
  return group;
}

// ... and after its tranches landed, with what they paid.
template <int N>
void investors_after(std::size_t group, const LaneOf<N>& own, const LaneOf<N>& paid, LaneStateT<N>& s) {
  s.tranche_own_after[group] = own;
  s.tranche_paid[group] = paid;
}

// Per lane, the share an at-market tranche leaves (1 where none lands),
// computed only at the steps where some lane's does: otherwise a division
// every step (with shared parameters the compiler skips it itself).
template <int N>
[[gnu::always_inline]] inline void at_market_keep_of(const LaneParamsT<N>& p, const StepRegimeT<N>& r,
                                                     const LaneOf<N>& price, const LaneOf<N>& commit_scale,
                                                     LaneOf<N>& out) {
  if (!p.any_at_market) {
    out.fill(1.0);
    return;
  }
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    const double market_value = price[l];
    const double at_market = p.tranche_at_market[l] - p.tranche_per_delivery[l] * (1.0 - commit_scale[l]);
    const bool at = (r.live[l] != 0.0) & (p.tranche_amount[l] > 0.0) & (at_market > 0.0);
    out[l] = at ? market_value / (market_value + at_market) : 1.0;
  }
}

// docs/model.md §11 (8.): the supporting suppliers' odds per lane, their
// share of the step's commitments, and whether they defer (a factor, not a
// branch, in the lane loop).
template <int N>
inline auto LaneStepperT<N>::support_terms(bool debt, int k, const StepRegimeT<N>& r) const -> SupportTerms {
  SupportTerms t;
  t.on = debt && support_;
  if (!t.on) return t;
  pick_by_regime<N>(r.regime, support_odds_.data(), support_odds_.size(), t.odds);
  t.share = supported_share_[static_cast<std::size_t>(k / m_.steps_per_year)];
  t.defers = m_.support_defers ? 1.0 : 0.0;
  return t;
}

// docs/model.md §11 (4. Equity raise): burn per lane, and the chance that a
// round closes in the step. The exponential and logarithm run only at the
// steps where some lane seeks a round (the odds are exactly 0 otherwise).
template <int N>
template <bool PerLane>
inline void LaneStepperT<N>::raise_odds(const LaneStateT<N>& s, int k, const LaneFlowsT<N>& f,
                                        const StepRegimeT<N>& r, const LaneParamsT<N>& p, LaneOf<N>& burn,
                                        LaneOf<N>& odds) const {
  constexpr auto L = static_cast<std::size_t>(N);
  const double dt = pm_.dt;
  const auto ku = static_cast<std::size_t>(k);
  const auto& v = f.vars;
  const auto P = [](double shared, const LaneOf<N>& own) { return param<PerLane, N>(shared, own); };
  const auto tranche_amount = P(pm_.tranche_amount[ku], p.tranche_amount);
  const auto per_delivery = P(pm_.tranche_per_delivery[ku], p.tranche_per_delivery);
  const auto credit_limit = P(m_.credit_limit, p.credit_limit);
  const auto trigger = P(m_.equity.trigger_runway, p.eq_trigger_runway);
  const auto interval = P(m_.equity.min_interval, p.eq_min_interval);
  const double equity_on = m_.equity.enabled ? 1.0 : 0.0;
  const double t_now = static_cast<double>(k) * dt;
  LaneOf<N> time;
  WAGER_FOR_LANES(l, L) {
    const bool alive = r.live[l] != 0.0;
    const double fcf = v[static_cast<std::size_t>(Var::free_cash_flow)][l];
    // Annualised, without a one-off cancellation penalty (a spread one is a cost like the commitments).
    const double b = max_of(-(fcf + f.one_off_penalty[l]), 0.0) / dt;
    burn[l] = b;
    const double tranche = tranche_amount[l] - per_delivery[l] * (1.0 - s.commit_scale[l]);  // §11, 3.
    const double cash = s.cash[l] + (alive & (tranche_amount[l] > 0.0) ? tranche : 0.0);
    const double undrawn = max_of(credit_limit[l] - s.credit_drawn[l], 0.0);
    const bool had_liquidity = s.cash[l] - fcf + undrawn > 0.0;  // at the step's start
    const double wait = min_of(max_of(s.last_raise_time[l] + interval[l] - 1e-12 - t_now, 0.0), dt);
    const bool can = alive & (b > 0.0) & (r.multiple[l] * f.annualised_revenue[l] > 0.0);
    const double t = seeking_time(cash, b > 0.0 ? b : 1.0, undrawn, had_liquidity, trigger[l], wait, dt);
    time[l] = can ? t * equity_on : 0.0;
  }
  // Whether any lane seeks, and for part of the step only (the order of
  // these reductions changes no value).
  int seeking = 0, partly = 0;
#pragma omp simd reduction(| : seeking, partly)
  for (std::size_t l = 0; l < L; ++l) {
    seeking |= time[l] > 0.0 ? 1 : 0;
    partly |= (time[l] > 0.0) & (time[l] < dt) ? 1 : 0;
  }
  if (seeking == 0) {
    odds.fill(0.0);
    return;
  }
  // The company's funding factor scales the regime's yearly rate (exactly
  // 1 without a score: the products keep the bits).
  const LaneOf<N>& factor = s.funding_factor;
  if constexpr (PerLane) {
    // Each lane's tables (LaneParams::raise_log, raise_step), picked as the
    // shared ones below: the same bits as a log and an exp per lane.
    const auto nr = static_cast<std::size_t>(m_.regimes.size());
    if (score_on_ || partly != 0) {
      LaneOf<N> log_keep;
      pick_by_regime_lanes<N>(r.regime, p.raise_log.data(), nr, log_keep);
      WAGER_FOR_LANES(l, L) odds[l] = round_odds(time[l], log_keep[l] * factor[l]);
    } else {
      LaneOf<N> whole;
      pick_by_regime_lanes<N>(r.regime, p.raise_step.data(), nr, whole);
      WAGER_FOR_LANES(l, L) odds[l] = time[l] > 0.0 ? whole[l] : 0.0;
    }
  } else if (score_on_) {
    LaneOf<N> log_keep;
    pick_by_regime<N>(*r.row_index, r.raise_log_row, r.row_size, log_keep);
    WAGER_FOR_LANES(l, L) odds[l] = round_odds(time[l], log_keep[l] * factor[l]);
  } else {
    // A lane seeking all step (time exactly dt) takes the tabulated odds,
    // the same bits as round_odds(dt, ...): the exponential runs only at a
    // step where some lane seeks for part of it.
    LaneOf<N> whole;
    pick_by_regime<N>(*r.row_index, r.raise_step_row, r.row_size, whole);
    if (partly == 0) {
      WAGER_FOR_LANES(l, L) odds[l] = time[l] > 0.0 ? whole[l] : 0.0;
    } else {
      LaneOf<N> log_keep;
      pick_by_regime<N>(*r.row_index, r.raise_log_row, r.row_size, log_keep);
      WAGER_FOR_LANES(l, L) odds[l] = round_odds(time[l], log_keep[l]);
    }
  }
}

// docs/model.md §11 (2.): the price of a round per lane, the market multiple
// of revenue blended with the going concern's discounted cash flow by the
// regime's dcf_weight (the multiple's value, bit for bit, with no weight).
template <int N>
template <bool PerLane>
inline void LaneStepperT<N>::round_prices(const LaneFlowsT<N>& f, const StepRegimeT<N>& r, const LaneParamsT<N>& p,
                                          LaneOf<N>& price) const {
  constexpr auto L = static_cast<std::size_t>(N);
  WAGER_FOR_LANES(l, L) price[l] = r.multiple[l] * f.annualised_revenue[l];
  if (!dcf_on_) return;
  const auto nr = static_cast<std::size_t>(m_.regimes.size());
  LaneOf<N> w, perpetuity;
  pick_by_regime<N>(r.regime, dcf_weight_.data(), nr, w);
  pick_by_regime<N>(r.regime, perpetuity_.data(), nr, perpetuity);
  const auto tax_rate = param<PerLane, N>(m_.tax_rate, p.tax_rate);
  const auto& v = f.vars;
  const auto var = [&v](Var x) -> const LaneOf<N>& { return v[static_cast<std::size_t>(x)]; };
  const LaneOf<N>&revenue = var(Var::revenue), &inference = var(Var::inference_cost),
  &owned = var(Var::owned_capacity), &opex = var(Var::operating_costs);
  const double dt = pm_.dt;
  WAGER_FOR_LANES(l, L) {
    const double flow = going_concern_flow(revenue[l], inference[l], owned[l], r.spot[l], opex[l], tax_rate[l], dt);
    price[l] = round_price(price[l], flow, perpetuity[l], w[l]);
  }
}

// Conditions combine with & rather than &&: every operand is evaluated, so
// there is no control flow in the lane loop.
template <int N>
template <bool All, bool PerLane, bool Debt>
inline void LaneStepperT<N>::financing_step(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                                            const StepRegimeT<N>& r, const LaneParamsT<N>& p) const {
  constexpr auto L = static_cast<std::size_t>(N);
  const double dt = pm_.dt;
  auto& v = f.vars;
  const auto ku = static_cast<std::size_t>(k);
  const LaneOf<N> &regime = r.regime, &raise_p = r.raise_p, &live = r.live;
  // docs/model.md §11 (financing within a step): tranches, equity,
  // management actions, debt maturities, credit and default, in that order.
  const auto P = [](double shared, const LaneOf<N>& own) { return param<PerLane, N>(shared, own); };
  const auto tranche_amount = P(pm_.tranche_amount[ku], p.tranche_amount);
  const auto tranche_at_market = P(pm_.tranche_at_market[ku], p.tranche_at_market);
  const auto per_delivery = P(pm_.tranche_per_delivery[ku], p.tranche_per_delivery);
  const auto tranche_keep = P(pm_.tranche_agreed_keep[ku], p.tranche_keep);
  const auto commitments_after = P(pm_.commitments_after[ku], p.commitments_after);
  const auto debt_due = P(pm_.debt_due[ku], p.debt_due);
  const double t_now = static_cast<double>(k) * dt;
  const double step_index = static_cast<double>(k);
  const EquityPolicy& eq = m_.equity;
  const ManagementPolicy& mg = m_.management;
  const bool management_on = mg.enabled, backstop = m_.backstop;
  const bool revolving = m_.credit_revolving;
  const CovenantTest covenant = covenant_test(m_, k);
  const auto dilution_cap = P(eq.max_dilution / (1.0 - eq.max_dilution), p.eq_dilution_cap);
  const auto credit_limit = P(m_.credit_limit, p.credit_limit);
  const auto eq_target = P(eq.target_runway, p.eq_target_runway);
  const auto eq_interval = P(eq.min_interval, p.eq_min_interval);
  const auto mg_trigger = P(mg.trigger_runway, p.mg_trigger_runway);
  const auto mg_cut_training = P(mg.cut_training, p.mg_cut_training);
  const auto mg_cut_opex = P(mg.cut_opex, p.mg_cut_opex);
  const auto mg_renegotiate = P(mg.renegotiate, p.mg_renegotiate);
  const auto mg_penalty = P(mg.penalty, p.mg_penalty);
  LaneOf<N> at_market_keep, burn_rate, odds, price;
  round_prices<PerLane>(f, r, p, price);
  if constexpr (PerLane) at_market_keep_of<N>(p, r, price, s.commit_scale, at_market_keep);
  raise_odds<PerLane>(s, k, f, r, p, burn_rate, odds);
  const double expected = w.expected_raises ? 1.0 : 0.0;
  const SupportTerms sp = support_terms(Debt, k, r);
  const auto commit_plan = P(pm_.at(pm_.global_field(GlobalField::commitments), k) * dt, p.commit_plan);
  LaneOf<N> refinance_p = raise_p;  // §11, 6.: read through the funding factor
  if (Debt && score_on_) refinance_chance(s.funding_factor, debt_due, refinance_p);
  const int group = investors_before(pm_, k, s.ownership, s.tranche_own_before);
  LaneOf<N> own_after_tranches, tranche_paid;  // read by the investors' view only
  WAGER_FOR_LANES(l, L) {
    const bool alive = live[l] != 0.0;
    const double fcf = v[static_cast<std::size_t>(Var::free_cash_flow)][l];
    const double market_value = price[l];  // §11, 2.: what a round, a tranche at market or a conversion pays for
    double own = s.ownership[l], cash = s.cash[l], debt = s.debt[l];

    // docs/model.md §11 (3. Tranches).
    const double tranche = land_tranches<PerLane>(alive, tranche_amount[l], per_delivery[l], s.commit_scale[l],
                                                  tranche_keep[l], tranche_at_market[l], market_value,
                                                  PerLane ? at_market_keep[l] : 1.0, own);
    cash = cash + tranche;
    own_after_tranches[l] = own;
    tranche_paid[l] = tranche;

    // docs/model.md §11 (4. Equity raise).
    const double burn = burn_rate[l];
    const Round round = equity_round(max_of(min_of(eq_target[l] * burn - cash, market_value * dilution_cap[l]), 0.0),
                                     odds[l], w.raise_draw[l], expected, market_value, own, s.last_raise_time[l],
                                     t_now, eq_interval[l]);
    const double raised = round.raised;
    own = round.own;
    cash = cash + raised;  // raised is 0 unless a round closed
    s.last_raise_time[l] = round.last;

    // docs/model.md §11 (5. Management actions): once, the first time the
    // runway falls below its trigger.
    const bool cut = management_on & alive & (s.management_done[l] == 0.0) & (burn > 0.0) &
                     (cash < mg_trigger[l] * burn);
    management_cut(s, l, cut, mg.penalty_upfront, commitments_after[l], mg_cut_training[l], mg_cut_opex[l], mg_renegotiate[l],
                   mg_penalty[l]);

    const double refinanced_share =
        expected * refinance_p[l] + (1.0 - expected) * (w.raise_draw[l] < refinance_p[l] ? 1.0 : 0.0);
    const DebtStep d = debt_step<Debt>(alive, debt_due[l], refinanced_share, credit_limit[l], backstop,
                                       revolving, cash, debt, s.credit_drawn[l]);
    double converted = 0.0, deferred = 0.0;
    bool distress = d.defaults;
    if constexpr (Debt) {
      const double owed = commit_plan[l] * s.commit_scale[l] * sp.share;
      const SupplierHelp h = supplier_help(
          supplier_carried(sp.on & d.defaults, cash, owed, w.raise_draw[l], sp.odds[l]), sp.defers, alive, cash,
          s.payable[l]);
      converted = h.converted, deferred = h.deferred, cash = h.cash;
      own = converted > 0.0 ? own * (market_value / (market_value + converted)) : own;
      const double liquidity = cash + max_of(credit_limit[l] - s.credit_drawn[l], 0.0);
      const bool breach = alive & !backstop & covenant_breached(covenant, s.liquidity[l], liquidity, fcf);
      s.liquidity[l] = liquidity;
      distress = (d.defaults & (cash < 0.0)) | breach;
    }
    s.defaulted[l] = distress ? 1.0 : s.defaulted[l];
    s.default_step[l] = distress ? step_index : s.default_step[l];

    s.ownership[l] = own;
    s.cash[l] = cash;
    s.debt[l] = debt;
    if constexpr (All) {
      const std::pair<Var, double> flows[] = {
          {Var::equity_raised, raised}, {Var::tranches_received, tranche}, {Var::debt_drawn, d.drawn},
          {Var::debt_repaid, d.repaid}, {Var::debt_refinanced, d.refinanced}, {Var::rescue, d.rescue},
          {Var::supplier_conversion, converted}, {Var::supplier_deferral, deferred},
          {Var::supplier_payable, s.payable[l]}};
      for (const auto& [x, value] : flows) v[static_cast<std::size_t>(x)][l] = value;
    }
    v[static_cast<std::size_t>(Var::ownership_retained)][l] = own;
    v[static_cast<std::size_t>(Var::debt)][l] = debt;
    v[static_cast<std::size_t>(Var::cash)][l] = cash;
    v[static_cast<std::size_t>(Var::regime)][l] = regime[l];
    if constexpr (All) v[static_cast<std::size_t>(Var::defaulted)][l] = s.defaulted[l];
    f.annualised_revenue[l] = alive ? f.annualised_revenue[l] : 0.0;
  }
  if (group >= 0) investors_after(static_cast<std::size_t>(group), own_after_tranches, tranche_paid, s);
}

// Every loop runs over all lanes with selects instead of branches, so that
// it vectorises; a defaulted lane computes and discards. The step's parts
// are inlined into it, so each instruction-set version has them.
template <int N>
template <bool All, bool PerLane>
inline void LaneStepperT<N>::step_body(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                                       const LaneParamsT<N>& p) const {
  StepRegimeT<N> r;
  pick_regime<PerLane>(s, k, w, r, p);
  // §13: the step's discount, at its regime's rate
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) s.log_discount[l] += r.log_discount[l];
  if (k == pm_.failure_step) {
    // docs/model.md §5: a failed supplier's estate keeps a contract priced at
    // or above the market (spot at or below the contract price), rejects the rest.
    WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) s.contract_kept[l] = r.spot[l] <= 1.0 ? 1.0 : 0.0;
  }
  revenue_step<All, PerLane>(s, k, w, f, r, p);
  operations_step<All, PerLane>(s, k, f, r, p);
  // Maturities, a revolving facility, a covenant and supporting suppliers
  // cost nothing to a model that has none.
  if (!m_.debt_maturities.empty() || m_.credit_revolving || m_.liquidity_covenant || support_) {
    financing_step<All, PerLane, true>(s, k, w, f, r, p);
  } else {
    financing_step<All, PerLane, false>(s, k, w, f, r, p);
  }
  if (score_on_) {
    const auto& v = f.vars;
    score_step(s, v[static_cast<std::size_t>(Var::revenue)], v[static_cast<std::size_t>(Var::free_cash_flow)],
               (k + 1) % m_.steps_per_year == 0, m_.equity.score);
  }
  if (m_.resolution.enabled) {
    int any = 0;
    const double kd = static_cast<double>(k);
#pragma omp simd reduction(| : any)
    for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) any |= s.default_step[l] == kd ? 1 : 0;
    if (any != 0) resolve_distress_at<PerLane>(s, k, f, r, p);
  }
}

// Blocks of `lanes` paths run the version of the machine's best instruction
// set; single paths run the baseline (there is nothing to vectorise).
template <>
WAGER_SIMD_CLONES void LaneStepperT<lanes>::step(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const {
  step_body<true, false>(s, k, w, f, shared_);
}

template <>
WAGER_SIMD_CLONES void LaneStepperT<lanes>::step_lean(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const {
  step_body<false, false>(s, k, w, f, shared_);
}

template <>
WAGER_SIMD_CLONES void LaneStepperT<lanes>::step_lean_lanes(LaneState& s, int k, const LaneWorld& w, LaneFlows& f,
                                                            const LaneParams& p) const {
  step_body<false, true>(s, k, w, f, p);
}

template <>
void LaneStepperT<1>::step(PathState& s, int k, const PathWorld& w, PathFlows& f) const {
  step_body<true, false>(s, k, w, f, shared_);
}

template <>
void LaneStepperT<1>::step_lean(PathState& s, int k, const PathWorld& w, PathFlows& f) const {
  step_body<false, false>(s, k, w, f, shared_);
}

template <int N>
void LaneStepperT<N>::step_lean_lanes(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                                      const LaneParamsT<N>& p) const {
  step_body<false, true>(s, k, w, f, p);
}

template class LaneStepperT<1>;
template class LaneStepperT<lanes>;

}  // namespace wager::detail
