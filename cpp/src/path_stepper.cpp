#include "path_stepper.hpp"

#include <algorithm>
#include <cmath>

#include "wager/math/elementary.hpp"

namespace wager::detail {

namespace {
double at_year(const YearlySeries& s, int y) { return s[static_cast<std::size_t>(y)]; }

void put(StepFlows& f, Var v, double x) { f.vars[static_cast<std::size_t>(v)] = x; }
}  // namespace

PathStepper::PathStepper(const PreparedModel& pm) : pm_(pm), m_(pm.model) {}

void PathStepper::reset(PathState& s) const {
  // Field by field, so the per-segment vectors keep their memory.
  s.demand_level.assign(m_.segments.size(), 1.0);
  s.price_level.assign(m_.segments.size(), 1.0);
  s.deviation.assign(m_.segments.size(), 0.0);
  s.credit_drawn = 0.0;
  s.ownership = 1.0;
  s.loss_carryforward = 0.0;
  s.training_scale = s.opex_scale = s.commit_scale = 1.0;
  s.pending_penalty = 0.0;
  s.last_raise_time = -1e9;
  s.cumulative_fcf = 0.0;
  s.peak_funding_need = 0.0;
  s.management_done = false;
  s.defaulted = false;
  s.default_step = -1;
  s.assets = m_.initial_assets;
  s.cash = m_.initial_cash;
  s.debt = m_.initial_debt;
}

void PathStepper::step(PathState& s, int k, const StepWorld& w, StepFlows& f) const {
  const double dt = pm_.dt;
  const int y = pm_.year_of(k);
  const Regime& rg = m_.regimes[static_cast<std::size_t>(w.regime)];
  f.segment_revenue.resize(m_.segments.size());
  f.valuation_multiple = rg.valuation_multiple * at_year(m_.valuation_scale, y);
  put(f, Var::regime, static_cast<double>(w.regime));

  if (s.defaulted) {
    // A defaulted company has stopped: no flows, stocks frozen.
    std::fill(std::begin(f.vars), std::end(f.vars), 0.0);
    std::fill(f.segment_revenue.begin(), f.segment_revenue.end(), 0.0);
    put(f, Var::regime, static_cast<double>(w.regime));
    put(f, Var::cash, s.cash);
    put(f, Var::debt, s.debt);
    put(f, Var::ownership_retained, s.ownership);
    put(f, Var::defaulted, 1.0);
    return;
  }

  // Demand and prices grow continuously within the step at the regime's
  // rates; flows use their exact average over the step (docs/model.md). The
  // growth factors are tabulated per (segment, year, regime): no exp here.
  double revenue = 0.0;
  double inference = 0.0;
  for (std::size_t i = 0; i < m_.segments.size(); ++i) {
    const Segment& seg = m_.segments[i];
    const GrowthStep& gs = pm_.growth(i, y, w.regime);
    if (w.segment_normals != nullptr) {
      s.deviation[i] = pm_.segment_ar_coef[i] * s.deviation[i] + pm_.segment_ar_vol[i] * w.segment_normals[i];
    }
    // Volume off plan: the regime's demand level and the common factor (both
    // scaled by beta), plus the segment's own deviation.
    const double log_shock = seg.demand_beta * w.factor + s.deviation[i];
    const double level = s.demand_level[i] * (log_shock == 0.0 ? 1.0 : math::exp(log_shock));
    const double plan = at_year(seg.revenue, y) * dt;
    const double volume = plan * level * gs.mean_volume;
    const double r = plan * level * s.price_level[i] * gs.mean_revenue;
    s.demand_level[i] *= gs.demand;
    s.price_level[i] *= gs.price;
    f.segment_revenue[i] = r;
    revenue += r;
    inference += volume * at_year(seg.inference_cost_ratio, y);
  }

  // Compute: owned capacity first (its cost is sunk), then commitments, then spot.
  const double training = at_year(m_.training, y) * dt * s.training_scale;
  const double needed = inference + training;
  const double committed = at_year(m_.commitments, y) * dt * s.commit_scale;
  // Owned capacity: book value B decays at rate 1/life and grows with capex at
  // rate c, solved exactly over the step; capacity follows the integral of B.
  const double life = m_.depreciation_life;
  const double capex_rate = at_year(m_.capex, y);
  const double decayed = pm_.depreciation_decay;  // 1 - exp(-dt / life)
  const double book0 = s.assets;
  const double book1 = book0 * (1.0 - decayed) + capex_rate * life * decayed;
  const double book_integral = book0 * life * decayed + capex_rate * life * (dt - life * decayed);
  const double capex = capex_rate * dt;
  const double depreciation = book0 + capex - book1;
  s.assets = book1;
  const double owned = m_.capacity_per_dollar * book_integral;
  const double from_owned = std::min(needed, owned);
  const double from_commit = std::min(needed - from_owned, committed);
  const double shortfall = needed - from_owned - from_commit;
  const double idle = (committed - from_commit) + (owned - from_owned);
  const double resale = idle * rg.spot_price * rg.resale_share;
  const double spot_premium = shortfall * (rg.spot_price - 1.0);
  const double idle_cost_net = (committed - from_commit) - resale;

  // Operating costs.
  const auto cost = [&](const CostLine& c, double scale) {
    return (at_year(c.fixed, y) * dt + at_year(c.of_revenue, y) * revenue) * scale;
  };
  const double staff = cost(m_.staff, s.opex_scale);
  const double sm = cost(m_.sales_marketing, s.opex_scale);
  const double ga = cost(m_.general_admin, s.opex_scale);
  const double sbc = cost(m_.stock_based_pay, 1.0);
  const double penalty = s.pending_penalty;
  s.pending_penalty = 0.0;

  const double gross_profit = revenue - inference;
  const double operating_income = gross_profit - training - idle_cost_net - spot_premium + from_owned -
                                  staff - sm - ga - sbc - depreciation - penalty;

  // Interest, then tax on profit after losses carried forward.
  const double rate = at_year(m_.debt_rate, y) + rg.credit_spread;
  const double net_interest = s.debt * rate * dt - std::max(s.cash, 0.0) * m_.cash_yield * dt;
  const double pretax = operating_income - net_interest;
  double tax = 0.0;
  if (pretax > 0.0) {
    const double used = std::min(pretax, s.loss_carryforward);
    s.loss_carryforward -= used;
    tax = m_.tax_rate * (pretax - used);
  } else {
    s.loss_carryforward -= pretax;
  }
  const double fcf = operating_income + sbc + depreciation - capex - net_interest - tax;
  s.cash += fcf;
  s.cumulative_fcf += fcf;
  s.peak_funding_need = std::max(s.peak_funding_need, -s.cumulative_fcf);

  // Financing: committed tranches, then a raise if runway is short.
  const double annual_revenue = revenue / dt;
  const double market_value = f.valuation_multiple * annual_revenue;
  const auto ku = static_cast<std::size_t>(k);
  const double tranche = pm_.tranche_amount[ku];
  if (tranche > 0.0) {
    const double at_market = pm_.tranche_at_market[ku];
    s.ownership *= pm_.tranche_agreed_keep[ku];
    if (at_market > 0.0) s.ownership *= market_value / (market_value + at_market);
    s.cash += tranche;
  }
  // Annualised burn, without a one-off cancellation penalty.
  const double burn = std::max(-(fcf + penalty), 0.0) / dt;
  const double t_now = static_cast<double>(k) * dt;
  double raised = 0.0;
  const EquityPolicy& eq = m_.equity;
  if (eq.enabled && burn > 0.0 && s.cash < eq.trigger_runway * burn &&
      t_now - s.last_raise_time >= eq.min_interval - 1e-12 && w.raise_draw < rg.raise_success &&
      market_value > 0.0) {
    const double want = eq.target_runway * burn - s.cash;
    const double cap = market_value * eq.max_dilution / (1.0 - eq.max_dilution);
    raised = std::max(std::min(want, cap), 0.0);
    if (raised > 0.0) {
      s.ownership *= market_value / (market_value + raised);
      s.cash += raised;
      s.last_raise_time = t_now;
    }
  }

  // Management actions, once, when runway is still short after financing.
  const ManagementPolicy& mg = m_.management;
  if (mg.enabled && !s.management_done && burn > 0.0 && s.cash < mg.trigger_runway * burn) {
    s.management_done = true;
    s.training_scale *= 1.0 - mg.cut_training;
    s.opex_scale *= 1.0 - mg.cut_opex;
    const double cancelled = pm_.commitments_after[ku] * s.commit_scale * mg.renegotiate;
    s.commit_scale *= 1.0 - mg.renegotiate;
    s.pending_penalty = cancelled * mg.penalty;  // booked next step
  }

  // Credit facility, then backstop or default.
  double drawn = 0.0;
  if (s.cash < 0.0 && s.credit_drawn < m_.credit_limit) {
    drawn = std::min(-s.cash, m_.credit_limit - s.credit_drawn);
    s.credit_drawn += drawn;
    s.debt += drawn;
    s.cash += drawn;
  }
  double rescue = 0.0;
  if (s.cash < 0.0) {
    if (m_.backstop) {
      rescue = -s.cash;
      s.debt += rescue;
      s.cash = 0.0;
    } else {
      s.defaulted = true;
      s.default_step = k;
    }
  }

  put(f, Var::revenue, revenue);
  put(f, Var::inference_cost, inference);
  put(f, Var::gross_profit, gross_profit);
  put(f, Var::training_compute, training);
  put(f, Var::compute_needed, needed);
  put(f, Var::commitments_paid, committed);
  put(f, Var::owned_capacity, owned);
  put(f, Var::spot_purchases, shortfall * rg.spot_price);
  put(f, Var::spot_premium, spot_premium);
  put(f, Var::idle_capacity, idle);
  put(f, Var::resale_income, resale);
  put(f, Var::idle_cost_net, idle_cost_net);
  put(f, Var::owned_compute_credit, from_owned);
  put(f, Var::staff_cost, staff);
  put(f, Var::sales_marketing, sm);
  put(f, Var::general_admin, ga);
  put(f, Var::operating_costs, staff + sm + ga);
  put(f, Var::stock_based_pay, sbc);
  put(f, Var::depreciation, depreciation);
  put(f, Var::commitment_penalty, penalty);
  put(f, Var::operating_income, operating_income);
  put(f, Var::net_interest, net_interest);
  put(f, Var::tax, tax);
  put(f, Var::capex, capex);
  put(f, Var::free_cash_flow, fcf);
  put(f, Var::equity_raised, raised);
  put(f, Var::tranches_received, tranche);
  put(f, Var::ownership_retained, s.ownership);
  put(f, Var::debt_drawn, drawn);
  put(f, Var::rescue, rescue);
  put(f, Var::debt, s.debt);
  put(f, Var::cash, s.cash);
  put(f, Var::defaulted, s.defaulted ? 1.0 : 0.0);
  f.annualised_revenue = annual_revenue;
}

}  // namespace wager::detail
