// The per-lane parameters of a block whose paths each have their own: each
// lane's values gathered from its prepared model, so a lane computes what its path would alone.
#include "lane_stepper.hpp"

namespace wager::detail {

// docs/model.md §17 (uncertain inputs) and §25 (triggered shocks): the
// constants of each lane's model, once per block.
template <int N>
void LaneParamsT<N>::load_block() {
  const PreparedModel& first = *models[0];
  const std::size_t n_seg = first.n_segments(), nr = first.n_regimes();
  for (auto* v : {&beta, &ar_coef, &ar_vol, &plan, &cost_ratio}) v->resize(n_seg);
  for (auto* v : {&growth_demand, &growth_price, &growth_volume, &growth_revenue}) v->resize(n_seg * nr);
  for (auto* v : {&spot, &resale, &spread, &raise, &multiple}) v->resize(nr);
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) {
    const PreparedModel& pm = *models[l];
    const Model& m = pm.model;
    initial_assets[l] = m.initial_assets;
    initial_cash[l] = m.initial_cash;
    initial_debt[l] = m.initial_debt;
    cash_yield[l] = m.cash_yield;
    tax_rate[l] = m.tax_rate;
    capacity_per_dollar[l] = m.capacity_per_dollar;
    eq_trigger_runway[l] = m.equity.trigger_runway;
    eq_target_runway[l] = m.equity.target_runway;
    eq_dilution_cap[l] = m.equity.max_dilution / (1.0 - m.equity.max_dilution);
    eq_min_interval[l] = m.equity.min_interval;
    mg_trigger_runway[l] = m.management.trigger_runway;
    mg_cut_training[l] = m.management.cut_training;
    mg_cut_opex[l] = m.management.cut_opex;
    mg_renegotiate[l] = m.management.renegotiate;
    mg_penalty[l] = m.management.penalty;
    credit_limit[l] = m.credit_limit;
    for (std::size_t i = 0; i < n_seg; ++i) {
      beta[i][l] = m.segments[i].demand_beta;
      ar_coef[i][l] = pm.segment_ar_coef[i];
      ar_vol[i][l] = pm.segment_ar_vol[i];
    }
  }
}

// The values of step k of each lane's prepared model (docs/model.md §3-§11
// read them; products with dt as the shared step forms them).
template <int N>
void LaneParamsT<N>::load_step(int k) {
  const std::size_t n_seg = plan.size(), nr = spot.size();
  const auto ku = static_cast<std::size_t>(k);
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) {
    const PreparedModel& pm = *models[l];
    const double dt = pm.dt;
    for (std::size_t i = 0; i < n_seg; ++i) {
      plan[i][l] = pm.at(pm.segment_field(i, SegmentField::revenue), k) * dt;
      cost_ratio[i][l] = pm.at(pm.segment_field(i, SegmentField::inference_cost_ratio), k);
      const std::size_t g0 = pm.growth_index(i, k, 0);
      for (std::size_t r = 0; r < nr; ++r) {
        growth_demand[i * nr + r][l] = pm.growth_demand[g0 + r];
        growth_price[i * nr + r][l] = pm.growth_price[g0 + r];
        growth_volume[i * nr + r][l] = pm.growth_mean_volume[g0 + r];
        growth_revenue[i * nr + r][l] = pm.growth_mean_revenue[g0 + r];
      }
    }
    const std::size_t kr = ku * nr;
    for (std::size_t r = 0; r < nr; ++r) {
      spot[r][l] = pm.regime_spot[kr + r];
      resale[r][l] = pm.regime_resale[kr + r];
      spread[r][l] = pm.regime_spread[kr + r];
      raise[r][l] = pm.regime_raise[kr + r];
      multiple[r][l] = pm.regime_multiple[kr + r];
    }
    const auto global = [&pm, k](GlobalField f) { return pm.at(pm.global_field(f), k); };
    training_plan[l] = global(GlobalField::training) * dt;
    commit_plan[l] = global(GlobalField::commitments) * dt;
    life[l] = global(GlobalField::depreciation_life);
    capex_rate[l] = global(GlobalField::capex);
    decayed[l] = pm.depreciation_decay[ku];
    impairment_keep[l] = pm.impairment_keep[ku];
    staff_f[l] = global(GlobalField::staff_fixed) * dt;
    staff_r[l] = global(GlobalField::staff_of_revenue);
    sm_f[l] = global(GlobalField::sales_marketing_fixed) * dt;
    sm_r[l] = global(GlobalField::sales_marketing_of_revenue);
    ga_f[l] = global(GlobalField::general_admin_fixed) * dt;
    ga_r[l] = global(GlobalField::general_admin_of_revenue);
    sbc_f[l] = global(GlobalField::stock_based_pay_fixed) * dt;
    sbc_r[l] = global(GlobalField::stock_based_pay_of_revenue);
    debt_rate[l] = global(GlobalField::debt_rate);
    tranche_amount[l] = pm.tranche_amount[ku];
    tranche_at_market[l] = pm.tranche_at_market[ku];
    tranche_keep[l] = pm.tranche_agreed_keep[ku];
    commitments_after[l] = pm.commitments_after[ku];
  }
}

template struct LaneParamsT<lanes>;

}  // namespace wager::detail
