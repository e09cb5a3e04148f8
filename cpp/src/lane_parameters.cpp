// The per-lane parameters of a block whose paths each have their own: each
// lane's values gathered from its prepared model, so a lane computes what its path would alone.
#include "lane_stepper.hpp"
#include "lane_inputs.hpp"
#include "lane_loop.hpp"
#include "simd_clones.hpp"

#include <bit>
#include <cstdint>

namespace wager::detail {

// docs/model.md §17 (uncertain inputs) and §25 (triggered shocks): the
// constants of each lane's model, once per block.
template <int N>
void LaneParamsT<N>::load_block() {
  const PreparedModel& first = *models[0];
  const std::size_t n_seg = first.n_segments(), nr = first.n_regimes();
  for (auto* v : {&beta, &ar_coef, &ar_vol, &plan, &cost_ratio}) v->resize(n_seg);
  for (auto* v : {&growth_demand, &growth_price, &growth_volume, &growth_revenue}) v->resize(n_seg * nr);
  for (auto* v : {&spot, &resale, &spread, &raise, &raise_log, &raise_step, &multiple}) v->resize(nr);
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

// x[l] = inside where active[l] is 1, outside where 0: in the machine's
// widest vectors (this file's loops are otherwise baseline).
WAGER_SIMD_CLONES void select_window(const double* active, double inside, double outside, double* x) {
  WAGER_FOR_LANES(l, static_cast<std::size_t>(lanes)) x[l] = active[l] != 0.0 ? inside : outside;
}

namespace {

// Lane l's value of `get` into x[l] (in a shared window, the window's
// model's value or the unshocked one's, by the lane's `active`), or, when
// the lanes share it, lane 0's into every lane when it changes (compared
// bit for bit).
template <int N, class Get>
void put(const LaneParamsT<N>& p, bool varies, LaneOf<N>& x, Get get) {
  if (varies && p.on != nullptr) {
    select_window(p.active.data(), get(*p.on), get(*p.models[0]), x.data());
    return;
  }
  if (varies) {
    for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) x[l] = get(*p.models[l]);
    return;
  }
  const double v = get(*p.models[0]);
  if (std::bit_cast<std::uint64_t>(x[0]) != std::bit_cast<std::uint64_t>(v)) x.fill(v);
}

// Whether every lane's growth entries at [segment][step] index sk repeat the step before's.
template <int N>
bool repeats_step(const LaneParamsT<N>& p, std::size_t sk) {
  // In a window, a lane that entered or left its window takes the other model's entries.
  if (p.on != nullptr) return !p.window_moved && p.on->growth_repeats[sk] != 0 && p.models[0]->growth_repeats[sk] != 0;
  bool all = true;
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) all = all && p.models[l]->growth_repeats[sk] != 0;
  return all;
}

}  // namespace

// The values of step k of each lane's prepared model (docs/model.md §3-§11
// read them; products with dt as the shared step forms them).
template <int N>
void LaneParamsT<N>::load_step(int k) {
  // Inside a year only what a shock moves can change: the rest holds the
  // year's values, loaded at its first step (PreparedModel fills a step
  // field from its year's value).
  if (on != nullptr) update_window(k);
  const bool inside_year = k % models[0]->spy != 0;
  if (!(inside_year && varies.yearly)) {
    load_fields(k, inside_year ? &within_year : nullptr);
    // The inputs' values, each year's; inside a year what a dated shock moved.
    if (inputs != nullptr) {
      if (inside_year) {
        inputs->load_within(*this, k);
      } else {
        inputs->load_year(*this, k);
      }
    }
  }
  load_step_tables(k);
}

// The lanes inside their window at step k (docs/model.md §25).
template <int N>
void LaneParamsT<N>::update_window(int k) {
  const double kd = static_cast<double>(k);
  int moved = 0;
#pragma omp simd reduction(| : moved)
  for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) {
    const double now = (kd >= window_first[l]) & (kd < window_end[l]) ? 1.0 : 0.0;
    moved |= now != active[l] ? 1 : 0;
    active[l] = now;
  }
  window_moved = k == 0 || moved != 0;
}

template <int N>
void LaneParamsT<N>::load_fields(int k, const LaneVaries* only) {
  const std::size_t n_seg = plan.size(), nr = spot.size();
  const auto ku = static_cast<std::size_t>(k);
  const double dt = models[0]->dt;
  // With `inputs`, the values its inputs move are its to load (load_step);
  // a triggered window's are loaded here.
  const LaneVaries* by_inputs = inputs != nullptr ? &inputs->vary : nullptr;
  const auto load = [by_inputs](std::vector<char> LaneVaries::*what, std::size_t i) {
    return by_inputs == nullptr || (by_inputs->*what)[i] == 0;
  };
  for (std::size_t i = 0; i < n_seg; ++i) {
    const int f_rev = models[0]->segment_field(i, SegmentField::revenue);
    const int f_icr = models[0]->segment_field(i, SegmentField::inference_cost_ratio);
    if ((only == nullptr || only->plan[i] != 0) && load(&LaneVaries::plan, i)) {
      put<N>(*this, varies.plan[i] != 0, plan[i], [&](const PreparedModel& pm) { return pm.at(f_rev, k) * dt; });
    }
    if ((only == nullptr || only->cost_ratio[i] != 0) && load(&LaneVaries::cost_ratio, i)) {
      put<N>(*this, varies.cost_ratio[i] != 0, cost_ratio[i], [&](const PreparedModel& pm) { return pm.at(f_icr, k); });
    }
    if ((only != nullptr && only->growth[i] == 0) || !load(&LaneVaries::growth, i)) continue;
    const std::size_t sk = i * static_cast<std::size_t>(models[0]->n_steps) + ku;
    const bool g = varies.growth[i] != 0;
    if (g && k > 0 && repeats_step<N>(*this, sk)) {
      continue;  // every lane's growth entries are those of step k - 1, loaded then
    }
    for (std::size_t r = 0; r < nr; ++r) {
      const std::size_t j = i * nr + r;
      // A lane's entries of step k are at its source step (PreparedModel::growth_source).
      const auto at = [i, r, sk](const PreparedModel& pm) { return pm.growth_index(i, pm.growth_source[sk], r); };
      put<N>(*this, g, growth_demand[j], [&at](const PreparedModel& pm) { return pm.growth_demand[at(pm)]; });
      put<N>(*this, g, growth_price[j], [&at](const PreparedModel& pm) { return pm.growth_price[at(pm)]; });
      put<N>(*this, g, growth_volume[j], [&at](const PreparedModel& pm) { return pm.growth_mean_volume[at(pm)]; });
      put<N>(*this, g, growth_revenue[j], [&at](const PreparedModel& pm) { return pm.growth_mean_revenue[at(pm)]; });
    }
  }
  const auto& rt = varies.regime_table;
  const auto table = [only, by_inputs](std::size_t t) {
    return (only == nullptr || only->regime_table[t] != 0) && (by_inputs == nullptr || by_inputs->regime_table[t] == 0);
  };
  for (std::size_t r = 0; r < nr; ++r) {
    const std::size_t i = ku * nr + r;
    if (table(0)) put<N>(*this, rt[0] != 0, spot[r], [i](const PreparedModel& pm) { return pm.regime_spot[i]; });
    if (table(1)) put<N>(*this, rt[1] != 0, resale[r], [i](const PreparedModel& pm) { return pm.regime_resale[i]; });
    if (table(2)) put<N>(*this, rt[2] != 0, spread[r], [i](const PreparedModel& pm) { return pm.regime_spread[i]; });
    if (table(3)) {
      put<N>(*this, rt[3] != 0, raise[r], [i](const PreparedModel& pm) { return pm.regime_raise[i]; });
      put<N>(*this, rt[3] != 0, raise_log[r], [i](const PreparedModel& pm) { return pm.regime_raise_log[i]; });
      put<N>(*this, rt[3] != 0, raise_step[r], [i](const PreparedModel& pm) { return pm.regime_raise_step[i]; });
    }
    if (table(4)) put<N>(*this, rt[4] != 0, multiple[r], [i](const PreparedModel& pm) { return pm.regime_multiple[i]; });
  }
  const auto varies_global = [this](GlobalField f) { return varies.global[static_cast<std::size_t>(f)] != 0; };
  const auto global_wanted = [this, only, &load](GlobalField f) {
    return (only == nullptr || only->global[static_cast<std::size_t>(f)] != 0) &&
           load(&LaneVaries::global, static_cast<std::size_t>(f));
  };
  const auto global = [&](LaneOf<N>& x, GlobalField f, bool times_dt) {
    if (!global_wanted(f)) return;
    put<N>(*this, varies_global(f), x, [f, k, dt, times_dt](const PreparedModel& pm) {
      const double v = pm.at(pm.global_field(f), k);
      return times_dt ? v * dt : v;
    });
  };
  for (const LaneGlobal<N>& g : lane_globals<N>) global(this->*g.member, g.field, g.times_dt);
  // Each table varies with the field it is made from (PreparedModel::refresh).
  if (global_wanted(GlobalField::depreciation_life)) {
    put<N>(*this, varies_global(GlobalField::depreciation_life), decayed,
           [ku](const PreparedModel& pm) { return pm.depreciation_decay[ku]; });
  }
  if (global_wanted(GlobalField::impairment)) {
    put<N>(*this, varies_global(GlobalField::impairment), impairment_keep,
           [ku](const PreparedModel& pm) { return pm.impairment_keep[ku]; });
  }
}

// The values that change at every step, not only with the year: the
// tranches landing in step k, the commitments still to pay after it (§11).
template <int N>
void LaneParamsT<N>::load_step_tables(int k) {
  const auto ku = static_cast<std::size_t>(k);
  const bool tv = varies.tranches;
  put<N>(*this, tv, tranche_amount, [ku](const PreparedModel& pm) { return pm.tranche_amount[ku]; });
  put<N>(*this, tv, tranche_at_market, [ku](const PreparedModel& pm) { return pm.tranche_at_market[ku]; });
  put<N>(*this, tv, tranche_per_delivery, [ku](const PreparedModel& pm) { return pm.tranche_per_delivery[ku]; });
  put<N>(*this, tv, tranche_keep, [ku](const PreparedModel& pm) { return pm.tranche_agreed_keep[ku]; });
  any_at_market = tranche_at_market[0] > 0.0;  // the same in every lane unless the tranches vary
  for (std::size_t l = 1; tv && l < static_cast<std::size_t>(N); ++l) any_at_market = any_at_market || tranche_at_market[l] > 0.0;
  const bool cv = varies.global[static_cast<std::size_t>(GlobalField::commitments)] != 0;
  if (cv && on != nullptr) {
    // The inputs' (each lane's commitments' model); a window never moves the commitments (shared_window).
    for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) commitments_after[l] = models[l]->commitments_after[ku];
  } else {
    put<N>(*this, cv, commitments_after, [ku](const PreparedModel& pm) { return pm.commitments_after[ku]; });
  }
  put<N>(*this, false, debt_due, [ku](const PreparedModel& pm) { return pm.debt_due[ku]; });
}

template struct LaneParamsT<lanes>;

}  // namespace wager::detail
