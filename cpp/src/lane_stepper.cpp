#include "lane_stepper.hpp"

#include <algorithm>
#include <cmath>

#include "wager/math/elementary.hpp"

namespace wager::detail {

namespace {
double at_year(const YearlySeries& s, int y) { return s[static_cast<std::size_t>(y)]; }
}  // namespace

LaneStepper::LaneStepper(const PreparedModel& pm) : pm_(pm), m_(pm.model) {}

void LaneStepper::reset(LaneState& s) const {
  const std::size_t n = m_.segments.size();
  s.demand_level.assign(n, Lane{});
  s.price_level.assign(n, Lane{});
  s.deviation.assign(n, Lane{});
  for (std::size_t i = 0; i < n; ++i) {
    s.demand_level[i].fill(1.0);
    s.price_level[i].fill(1.0);
  }
  s.assets.fill(m_.initial_assets);
  s.cash.fill(m_.initial_cash);
  s.debt.fill(m_.initial_debt);
  s.credit_drawn.fill(0.0);
  s.ownership.fill(1.0);
  s.loss_carryforward.fill(0.0);
  s.training_scale.fill(1.0);
  s.opex_scale.fill(1.0);
  s.commit_scale.fill(1.0);
  s.pending_penalty.fill(0.0);
  s.last_raise_time.fill(-1e9);
  s.cumulative_fcf.fill(0.0);
  s.peak_funding_need.fill(0.0);
  s.management_done.fill(false);
  s.defaulted.fill(false);
  s.default_step.fill(-1);
}

void LaneStepper::step(LaneState& s, int k, const LaneWorld& w, LaneFlows& f, int active) const {
  const double dt = pm_.dt;
  const int y = pm_.year_of(k);
  const int n = active;
  const std::size_t n_seg = m_.segments.size();
  f.segment_revenue.resize(n_seg);
  auto& v = f.vars;
  const auto var = [&v](Var x) -> Lane& { return v[static_cast<std::size_t>(x)]; };

  // The regime's parameters, gathered per lane.
  Lane spot, resale_share, spread, raise_p, multiple, live;
  const double vscale = at_year(m_.valuation_scale, y);
  for (int l = 0; l < n; ++l) {
    const Regime& rg = m_.regimes[static_cast<std::size_t>(w.regime[static_cast<std::size_t>(l)])];
    spot[l] = rg.spot_price;
    resale_share[l] = rg.resale_share;
    spread[l] = rg.credit_spread;
    raise_p[l] = rg.raise_success;
    multiple[l] = rg.valuation_multiple * vscale;
    live[l] = s.defaulted[static_cast<std::size_t>(l)] ? 0.0 : 1.0;
  }

  // Revenue and inference by segment. Demand and prices grow continuously
  // within the step at the regime's rates; flows use their exact average
  // over the step, tabulated per (segment, year, regime) (docs/model.md).
  Lane& revenue = var(Var::revenue);
  Lane& inference = var(Var::inference_cost);
  for (int l = 0; l < n; ++l) revenue[l] = inference[l] = 0.0;
  for (std::size_t i = 0; i < n_seg; ++i) {
    const Segment& seg = m_.segments[i];
    const double plan = at_year(seg.revenue, y) * dt;
    const double cost_ratio = at_year(seg.inference_cost_ratio, y);
    Lane& dl = s.demand_level[i];
    Lane& pl = s.price_level[i];
    Lane& dev = s.deviation[i];
    Lane& seg_rev = f.segment_revenue[i];
    const double coef = pm_.segment_ar_coef[i];
    const double vol = pm_.segment_ar_vol[i];
    for (int l = 0; l < n; ++l) {
      const GrowthStep& gs = pm_.growth(i, y, w.regime[static_cast<std::size_t>(l)]);
      double d = dev[l];
      if (w.segment_normals != nullptr) d = coef * d + vol * w.segment_normals[i * lanes + static_cast<std::size_t>(l)];
      const double log_shock = seg.demand_beta * w.factor[l] + d;
      const double level = dl[l] * (log_shock == 0.0 ? 1.0 : math::exp(log_shock));
      const double volume = plan * level * gs.mean_volume;
      const double r = plan * level * pl[l] * gs.mean_revenue;
      const bool alive = live[l] != 0.0;
      dev[l] = alive ? d : dev[l];
      dl[l] = alive ? dl[l] * gs.demand : dl[l];
      pl[l] = alive ? pl[l] * gs.price : pl[l];
      seg_rev[l] = alive ? r : 0.0;
      revenue[l] += alive ? r : 0.0;
      inference[l] += alive ? volume * cost_ratio : 0.0;
    }
  }

  // Compute supply, costs, operating income, interest, tax: branch-free.
  const double training_plan = at_year(m_.training, y) * dt;
  const double commit_plan = at_year(m_.commitments, y) * dt;
  const double life = m_.depreciation_life;
  const double capex_rate = at_year(m_.capex, y);
  const double decayed = pm_.depreciation_decay;
  const double capex = capex_rate * dt;
  const auto fixed = [&](const CostLine& c) { return at_year(c.fixed, y) * dt; };
  const auto rate_of = [&](const CostLine& c) { return at_year(c.of_revenue, y); };
  const double staff_f = fixed(m_.staff), staff_r = rate_of(m_.staff);
  const double sm_f = fixed(m_.sales_marketing), sm_r = rate_of(m_.sales_marketing);
  const double ga_f = fixed(m_.general_admin), ga_r = rate_of(m_.general_admin);
  const double sbc_f = fixed(m_.stock_based_pay), sbc_r = rate_of(m_.stock_based_pay);
  const double debt_rate = at_year(m_.debt_rate, y);
  const double cash_yield = m_.cash_yield;
  const double tax_rate = m_.tax_rate;
  for (int l = 0; l < n; ++l) {
    const double rev = revenue[l];
    const double inf = inference[l];
    const double training = training_plan * s.training_scale[l];
    const double needed = inf + training;
    const double committed = commit_plan * s.commit_scale[l];
    const double book0 = s.assets[l];
    const double book1 = book0 * (1.0 - decayed) + capex_rate * life * decayed;
    const double book_integral = book0 * life * decayed + capex_rate * life * (dt - life * decayed);
    const double depreciation = book0 + capex - book1;
    const double owned = m_.capacity_per_dollar * book_integral;
    const double from_owned = std::min(needed, owned);
    const double from_commit = std::min(needed - from_owned, committed);
    const double shortfall = needed - from_owned - from_commit;
    const double idle = (committed - from_commit) + (owned - from_owned);
    const double resale = idle * spot[l] * resale_share[l];
    const double spot_premium = shortfall * (spot[l] - 1.0);
    const double idle_cost_net = (committed - from_commit) - resale;
    const double opex = s.opex_scale[l];
    const double staff = (staff_f + staff_r * rev) * opex;
    const double sm = (sm_f + sm_r * rev) * opex;
    const double ga = (ga_f + ga_r * rev) * opex;
    const double sbc = (sbc_f + sbc_r * rev) * 1.0;
    const double penalty = s.pending_penalty[l];
    const double gross_profit = rev - inf;
    const double operating_income = gross_profit - training - idle_cost_net - spot_premium + from_owned - staff - sm -
                                    ga - sbc - depreciation - penalty;
    const double net_interest =
        s.debt[l] * (debt_rate + spread[l]) * dt - std::max(s.cash[l], 0.0) * cash_yield * dt;
    const double pretax = operating_income - net_interest;
    const double lcf = s.loss_carryforward[l];
    const double used = pretax > 0.0 ? std::min(pretax, lcf) : 0.0;
    const double tax = pretax > 0.0 ? tax_rate * (pretax - used) : 0.0;
    const double lcf_next = pretax > 0.0 ? lcf - used : lcf - pretax;
    const double fcf = operating_income + sbc + depreciation - capex - net_interest - tax;
    const double cash = s.cash[l] + fcf;
    const double cumulative = s.cumulative_fcf[l] + fcf;
    const bool alive = live[l] != 0.0;
    // A defaulted lane has stopped: no flows, stocks frozen.
    const auto keep = [alive](double x) { return alive ? x : 0.0; };
    var(Var::inference_cost)[l] = inf;
    var(Var::gross_profit)[l] = keep(gross_profit);
    var(Var::training_compute)[l] = keep(training);
    var(Var::compute_needed)[l] = keep(needed);
    var(Var::commitments_paid)[l] = keep(committed);
    var(Var::owned_capacity)[l] = keep(owned);
    var(Var::spot_purchases)[l] = keep(shortfall * spot[l]);
    var(Var::spot_premium)[l] = keep(spot_premium);
    var(Var::idle_capacity)[l] = keep(idle);
    var(Var::resale_income)[l] = keep(resale);
    var(Var::idle_cost_net)[l] = keep(idle_cost_net);
    var(Var::owned_compute_credit)[l] = keep(from_owned);
    var(Var::staff_cost)[l] = keep(staff);
    var(Var::sales_marketing)[l] = keep(sm);
    var(Var::general_admin)[l] = keep(ga);
    var(Var::operating_costs)[l] = keep(staff + sm + ga);
    var(Var::stock_based_pay)[l] = keep(sbc);
    var(Var::depreciation)[l] = keep(depreciation);
    var(Var::commitment_penalty)[l] = keep(penalty);
    var(Var::operating_income)[l] = keep(operating_income);
    var(Var::net_interest)[l] = keep(net_interest);
    var(Var::tax)[l] = keep(tax);
    var(Var::capex)[l] = keep(capex);
    var(Var::free_cash_flow)[l] = keep(fcf);
    s.assets[l] = alive ? book1 : s.assets[l];
    s.pending_penalty[l] = alive ? 0.0 : s.pending_penalty[l];
    s.loss_carryforward[l] = alive ? lcf_next : lcf;
    s.cash[l] = alive ? cash : s.cash[l];
    s.cumulative_fcf[l] = alive ? cumulative : s.cumulative_fcf[l];
    s.peak_funding_need[l] = alive ? std::max(s.peak_funding_need[l], -cumulative) : s.peak_funding_need[l];
    f.annualised_revenue[l] = rev / dt;
    f.valuation_multiple[l] = multiple[l];
  }

  // Financing, management actions, credit and default: branchy, lane by lane.
  const auto ku = static_cast<std::size_t>(k);
  const double tranche_amount = pm_.tranche_amount[ku];
  const double tranche_at_market = pm_.tranche_at_market[ku];
  const double tranche_keep = pm_.tranche_agreed_keep[ku];
  const double t_now = static_cast<double>(k) * dt;
  const EquityPolicy& eq = m_.equity;
  const ManagementPolicy& mg = m_.management;
  for (int l = 0; l < n; ++l) {
    const auto lu = static_cast<std::size_t>(l);
    double tranche = 0.0, raised = 0.0, drawn = 0.0, rescue = 0.0;
    if (live[l] != 0.0) {
      const double fcf = var(Var::free_cash_flow)[l];
      const double penalty = var(Var::commitment_penalty)[l];
      const double market_value = multiple[l] * f.annualised_revenue[l];
      if (tranche_amount > 0.0) {
        tranche = tranche_amount;
        s.ownership[l] *= tranche_keep;
        if (tranche_at_market > 0.0) s.ownership[l] *= market_value / (market_value + tranche_at_market);
        s.cash[l] += tranche;
      }
      // Annualised burn, without a one-off cancellation penalty.
      const double burn = std::max(-(fcf + penalty), 0.0) / dt;
      if (eq.enabled && burn > 0.0 && s.cash[l] < eq.trigger_runway * burn &&
          t_now - s.last_raise_time[l] >= eq.min_interval - 1e-12 && w.raise_draw[l] < raise_p[l] &&
          market_value > 0.0) {
        const double want = eq.target_runway * burn - s.cash[l];
        const double cap = market_value * eq.max_dilution / (1.0 - eq.max_dilution);
        raised = std::max(std::min(want, cap), 0.0);
        if (raised > 0.0) {
          s.ownership[l] *= market_value / (market_value + raised);
          s.cash[l] += raised;
          s.last_raise_time[l] = t_now;
        }
      }
      if (mg.enabled && !s.management_done[lu] && burn > 0.0 && s.cash[l] < mg.trigger_runway * burn) {
        s.management_done[lu] = true;
        s.training_scale[l] *= 1.0 - mg.cut_training;
        s.opex_scale[l] *= 1.0 - mg.cut_opex;
        const double cancelled = pm_.commitments_after[ku] * s.commit_scale[l] * mg.renegotiate;
        s.commit_scale[l] *= 1.0 - mg.renegotiate;
        s.pending_penalty[l] = cancelled * mg.penalty;  // booked next step
      }
      if (s.cash[l] < 0.0 && s.credit_drawn[l] < m_.credit_limit) {
        drawn = std::min(-s.cash[l], m_.credit_limit - s.credit_drawn[l]);
        s.credit_drawn[l] += drawn;
        s.debt[l] += drawn;
        s.cash[l] += drawn;
      }
      if (s.cash[l] < 0.0) {
        if (m_.backstop) {
          rescue = -s.cash[l];
          s.debt[l] += rescue;
          s.cash[l] = 0.0;
        } else {
          s.defaulted[lu] = true;
          s.default_step[lu] = k;
        }
      }
    }
    var(Var::equity_raised)[l] = raised;
    var(Var::tranches_received)[l] = tranche;
    var(Var::debt_drawn)[l] = drawn;
    var(Var::rescue)[l] = rescue;
    var(Var::ownership_retained)[l] = s.ownership[l];
    var(Var::debt)[l] = s.debt[l];
    var(Var::cash)[l] = s.cash[l];
    var(Var::regime)[l] = static_cast<double>(w.regime[lu]);
    var(Var::defaulted)[l] = s.defaulted[lu] ? 1.0 : 0.0;
    if (live[l] == 0.0) f.annualised_revenue[l] = 0.0;
  }
}

}  // namespace wager::detail
