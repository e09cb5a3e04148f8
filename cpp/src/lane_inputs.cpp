// Uncertain inputs into lane parameters without a model per lane: the moved
// parameters as vectors over the block's lanes, then the step fields and the
// tables made from them (docs/model.md §17).
#include "lane_inputs.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "lane_loop.hpp"
#include "path_parameters.hpp"
#include "raise_hazard.hpp"

namespace wager::detail {

namespace {

constexpr auto L = static_cast<std::size_t>(lanes);
constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();

struct NamedConstant {
  const char* name;
  LaneConstant what;
};
constexpr NamedConstant named_constants[] = {
    {"initial_assets", LaneConstant::initial_assets},
    {"initial_cash", LaneConstant::initial_cash},
    {"initial_debt", LaneConstant::initial_debt},
    {"cash_yield", LaneConstant::cash_yield},
    {"tax_rate", LaneConstant::tax_rate},
    {"capacity_per_dollar", LaneConstant::capacity_per_dollar},
    {"equity.trigger_runway", LaneConstant::eq_trigger_runway},
    {"equity.target_runway", LaneConstant::eq_target_runway},
    {"equity.max_dilution", LaneConstant::eq_max_dilution},
    {"equity.min_interval", LaneConstant::eq_min_interval},
    {"management.trigger_runway", LaneConstant::mg_trigger_runway},
    {"management.cut_training", LaneConstant::mg_cut_training},
    {"management.cut_opex", LaneConstant::mg_cut_opex},
    {"management.renegotiate", LaneConstant::mg_renegotiate},
    {"management.penalty", LaneConstant::mg_penalty},
    {"credit_limit", LaneConstant::credit_limit},
};

// The lane member a constant loads into (eq_max_dilution and demand_beta are transformed or indexed).
Lane* constant_member(LaneParams& lp, LaneConstant c) {
  switch (c) {
    case LaneConstant::initial_assets: return &lp.initial_assets;
    case LaneConstant::initial_cash: return &lp.initial_cash;
    case LaneConstant::initial_debt: return &lp.initial_debt;
    case LaneConstant::cash_yield: return &lp.cash_yield;
    case LaneConstant::tax_rate: return &lp.tax_rate;
    case LaneConstant::capacity_per_dollar: return &lp.capacity_per_dollar;
    case LaneConstant::eq_trigger_runway: return &lp.eq_trigger_runway;
    case LaneConstant::eq_target_runway: return &lp.eq_target_runway;
    case LaneConstant::eq_min_interval: return &lp.eq_min_interval;
    case LaneConstant::mg_trigger_runway: return &lp.mg_trigger_runway;
    case LaneConstant::mg_cut_training: return &lp.mg_cut_training;
    case LaneConstant::mg_cut_opex: return &lp.mg_cut_opex;
    case LaneConstant::mg_renegotiate: return &lp.mg_renegotiate;
    case LaneConstant::mg_penalty: return &lp.mg_penalty;
    case LaneConstant::credit_limit: return &lp.credit_limit;
    default: return nullptr;
  }
}

// docs/model.md §4: the mean of exp(x s) over s in [0, 1] (PreparedModel::refresh_growth).
double mean_growth(double x) { return x == 0.0 ? 1.0 : std::expm1(x) / x; }

// docs/model.md §11 (4.): each lane's raise odds tables (raise_odds_entry,
// the prepared model's formula).
void raise_odds_tables(const Lane& raise, double dt, Lane& log_keep, Lane& whole_step) {
  WAGER_FOR_LANES(l, static_cast<std::size_t>(lanes)) {
    const RaiseOddsEntry e = raise_odds_entry(raise[l], dt);
    log_keep[l] = e.log_keep;
    whole_step[l] = e.whole_step;
  }
}

}  // namespace

LaneInputs::LaneInputs(const PreparedModel& shared, const Strategy& strat, const std::vector<ParameterRef>& params,
                       const std::vector<int>& touched, const std::vector<double>& touched_central, bool window)
    : central(touched_central), n_years(shared.model.n_years) {
  const Model& m = shared.model;
  // Dated shocks are the same on every lane: the shared model carries them,
  // and the lanes apply those on their inputs' values (shocks_fit_lane_inputs).
  direct = !strat.inputs.empty() && (window || !has_trigger(strat.shocks));
  vary = input_varies(m, strat, params);
  const auto ny = static_cast<std::size_t>(n_years);
  field_year_slot.assign(static_cast<std::size_t>(step_field_index_count(m)) * ny, -1);
  const int commitments = step_field_index(m, "commitments");
  for (std::size_t s = 0; s < touched.size(); ++s) {
    std::string name = params[static_cast<std::size_t>(touched[s])].name;
    std::size_t y0 = 0, y1 = ny;  // the years it holds: a series' one year, a constant's all
    if (!name.empty() && name.back() == ']') {
      const std::size_t open = name.rfind('[');
      y0 = std::stoul(name.substr(open + 1));
      y1 = y0 + 1;
      name.erase(open);
    }
    const int f = step_field_index(m, name);
    if (f >= 0) {
      commitment_models = commitment_models || f == commitments;
      for (std::size_t y = y0; y < y1 && y < ny; ++y) field_year_slot[static_cast<std::size_t>(f) * ny + y] = static_cast<int>(s);
      continue;
    }
    const auto* named = std::find_if(std::begin(named_constants), std::end(named_constants),
                                     [&name](const NamedConstant& c) { return name == c.name; });
    if (named != std::end(named_constants)) {
      constants.push_back({s, named->what, 0});
    } else if (name.rfind("segments[", 0) == 0 && name.ends_with(".demand_beta")) {
      constants.push_back({s, LaneConstant::demand_beta, std::stoul(name.substr(9))});
    } else if (name.rfind("contracts[", 0) == 0) {
      commitment_models = true;  // a contract's own payments: its supplier's claim, in the lane's model
    } else {
      direct = false;  // a tranche's terms, a segment's volatility or persistence: a model per lane
    }
  }
  if (direct && !strat.shocks.empty()) direct = shocks_fit_lane_inputs(m, strat, params, window);
  for (const UncertainInput& in : strat.inputs) {
    auto& t = terms.emplace_back();
    for (std::size_t j = 0; j < in.targets.size(); ++j) {
      const auto at = std::find(touched.begin(), touched.end(), in.targets[j]);
      t.emplace_back(static_cast<std::size_t>(at - touched.begin()), in.weights[j]);
    }
    input_central.push_back(in.central);
  }
  values.resize(central.size());
  const std::size_t n_growth = m.segments.size() * m.regimes.size();
  Lane unset{};
  unset.fill(nan_);
  for (auto* v : {&key_demand, &key_price, &key_revenue}) v->assign(n_growth, unset);
  key_segment_rate.assign(m.segments.size(), unset);
  segment_rate.assign(m.segments.size(), Lane{});
  key_regime_rate.assign(m.regimes.size(), unset);
  regime_rate.assign(m.regimes.size(), Lane{});
  key_life = unset;
  key_impairment = unset;
  find_field_shocks(m, strat);
  find_repeats(shared);
}

void LaneInputs::find_field_shocks(const Model& m, const Strategy& strat) {
  const auto n_fields = static_cast<std::size_t>(step_field_index_count(m));
  field_shocks.assign(n_fields, {});
  field_bounds.clear();
  for (std::size_t f = 0; f < n_fields; ++f) field_bounds.push_back(step_field_bounds(m, static_cast<int>(f)));
  shock_step_weight.assign(strat.shocks.size(), {});
  shocks_ = &strat.shocks;
  if (!direct || strat.shocks.empty()) return;
  const auto ny = static_cast<std::size_t>(n_years);
  for (std::size_t i = 0; i < strat.shocks.size(); ++i) {
    const int f = step_field_index(m, strat.shocks[i].field);
    if (f < 0) continue;
    const auto fu = static_cast<std::size_t>(f);
    const bool lanes_hold = std::any_of(field_year_slot.begin() + static_cast<std::ptrdiff_t>(fu * ny),
                                        field_year_slot.begin() + static_cast<std::ptrdiff_t>((fu + 1) * ny),
                                        [](int slot) { return slot >= 0; });
    if (!lanes_hold) continue;  // the shared model's values, shocked there
    field_shocks[fu].push_back(i);
    shock_step_weight[i] = shock_step_weights(strat.shocks[i], m);
  }
  within = shocks_within_years(m, strat);
  if (std::none_of(within.fields.begin(), within.fields.end(), [](char c) { return c != 0; })) return;
  // The steps inside a year at which a weight of a shock on such a field moved.
  within_moves.assign(static_cast<std::size_t>(m.n_steps()), 0);
  for (const Shock& sh : strat.shocks) {
    const int f = step_field_index(m, sh.field);
    if (f < 0 || within.fields[static_cast<std::size_t>(f)] == 0) continue;
    const std::vector<double> w = shock_step_weights(sh, m);
    for (std::size_t k = 1; k < w.size(); ++k) {
      const bool moved = std::bit_cast<std::uint64_t>(w[k]) != std::bit_cast<std::uint64_t>(w[k - 1]);
      if (moved && k % static_cast<std::size_t>(m.steps_per_year) != 0) within_moves[k] = 1;
    }
  }
}

// PreparedModel::fill_step_values on lane values `v` of step field f at
// step k of `year`: each shock in order (shock_value), then the field's range.
void LaneInputs::apply_shocks(int f, int k, int year, const Lane& v, Lane& out) const {
  static_cast<std::array<double, L>&>(out) = v;
  const auto y = static_cast<std::size_t>(year);
  for (const std::size_t i : field_shocks[static_cast<std::size_t>(f)]) {
    const Shock& s = (*shocks_)[i];
    const double a = shock_step_weight[i][static_cast<std::size_t>(k)];
    if (a == 0.0) continue;  // shock_value: the value's own bits
    const double value = s.value_by_year.empty() ? s.value : s.value_by_year[y];
    if (s.op == ShockOp::scale) {
      const double factor = 1.0 + a * (value - 1.0);
      WAGER_FOR_LANES(l, L) out[l] = out[l] * factor;
    } else if (s.op == ShockOp::add) {
      const double move = a * value;
      WAGER_FOR_LANES(l, L) out[l] = out[l] + move;
    } else if (s.op == ShockOp::set) {
      WAGER_FOR_LANES(l, L) out[l] = out[l] + a * (value - out[l]);
    }
  }
  const FieldBounds b = field_bounds[static_cast<std::size_t>(f)];
  WAGER_FOR_LANES(l, L) out[l] = std::clamp(out[l], b.lo, b.hi);
}

void LaneInputs::find_repeats(const PreparedModel& shared) {
  // Whether slots a and b hold the same values in every lane. Per slot, how it is computed: its central value and its (input, weight) terms.
  std::vector<std::vector<std::pair<std::size_t, double>>> how(central.size());
  for (std::size_t i = 0; i < terms.size(); ++i) {
    for (const auto& [slot, w] : terms[i]) how[slot].emplace_back(i, w);
  }
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  const auto alike = [&](int a, int b) {
    if (a < 0 || b < 0) return false;  // the model's values: compared in find_repeats
    if (a == b) return true;
    const auto sa = static_cast<std::size_t>(a), sb = static_cast<std::size_t>(b);
    if (bits(central[sa]) != bits(central[sb]) || how[sa].size() != how[sb].size()) return false;
    for (std::size_t t = 0; t < how[sa].size(); ++t) {
      if (how[sa][t].first != how[sb][t].first || bits(how[sa][t].second) != bits(how[sb][t].second)) return false;
    }
    return true;
  };
  const auto ny = static_cast<std::size_t>(n_years);
  const std::size_t n_fields = field_year_slot.size() / ny;
  same_as_before.assign(field_year_slot.size(), 0);
  for (std::size_t f = 0; f < n_fields; ++f) {
    for (std::size_t y = 1; y < ny; ++y) {
      const int a = field_year_slot[f * ny + y], b = field_year_slot[f * ny + y - 1];
      const int k = static_cast<int>(y) * shared.spy;
      const bool model_same = a < 0 && b < 0 &&
                              bits(shared.at(static_cast<int>(f), k)) == bits(shared.at(static_cast<int>(f), k - shared.spy));
      // A lane value a shock moves (apply_shocks) may differ between two years of one slot.
      // The lanes may hold a value of the year before's last step (load_within).
      const bool shocked = (!field_shocks[f].empty() && (a >= 0 || b >= 0)) || (!within.fields.empty() && within.fields[f] != 0);
      same_as_before[f * ny + y] = static_cast<char>(!shocked && (model_same || alike(a, b)));
    }
  }
}

void LaneInputs::compute_values(const double* x) {
  // apply_inputs' sums, per lane, in its order: the central value, then
  // weight * (input - input's central value) per input.
  for (std::size_t s = 0; s < values.size(); ++s) values[s].fill(central[s]);
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const double* xi = x + i * L;
    const double c = input_central[i];
    for (const auto& [slot, w] : terms[i]) {
      Lane& v = values[slot];
      WAGER_FOR_LANES(l, L) v[l] += w * (xi[l] - c);
    }
  }
}

void LaneInputs::load_constants(LaneParams& lp) const {
  for (const ConstantSlot& c : constants) {
    const Lane& v = values[c.slot];
    if (c.what == LaneConstant::eq_max_dilution) {
      WAGER_FOR_LANES(l, L) lp.eq_dilution_cap[l] = v[l] / (1.0 - v[l]);
    } else if (c.what == LaneConstant::demand_beta) {
      static_cast<std::array<double, L>&>(lp.beta[c.segment]) = v;
    } else {
      static_cast<std::array<double, L>&>(*constant_member(lp, c.what)) = v;
    }
  }
}

// Step field f in step k's year, per lane (times dt for a flow over the step).
void LaneInputs::field(const PreparedModel& pm, int f, int k, bool times_dt, Lane& out) const {
  const int s = field_year_slot[static_cast<std::size_t>(f) * static_cast<std::size_t>(n_years) +
                                static_cast<std::size_t>(pm.year_of(k))];
  const double dt = pm.dt;
  if (s < 0) {
    const double v = pm.at(f, k);
    out.fill(times_dt ? v * dt : v);
    return;
  }
  const Lane& v = values[static_cast<std::size_t>(s)];
  if (!field_shocks[static_cast<std::size_t>(f)].empty()) {
    apply_shocks(f, k, pm.year_of(k), v, out);
    if (times_dt) WAGER_FOR_LANES(l, L) out[l] = out[l] * dt;
    return;
  }
  if (times_dt) {
    WAGER_FOR_LANES(l, L) out[l] = v[l] * dt;
  } else {
    static_cast<std::array<double, L>&>(out) = v;
  }
}

// The same into a lane value that holds the year before's, unless equal to
// it (inside a year, `only`: recomputed).
void LaneInputs::load(const PreparedModel& pm, int f, int k, bool times_dt, Lane& out, const LaneVaries* only) const {
  if (only != nullptr || !same(f, pm.year_of(k))) field(pm, f, k, times_dt, out);
}

void LaneInputs::load(LaneParams& lp, int k, const LaneVaries* only) {
  const PreparedModel& pm = *lp.models[0];  // the shared model: the values no input moves
  const LaneVaries& v = vary;
  const auto wanted = [only](const std::vector<char>& lanes_vary, const std::vector<char>& moved, std::size_t i) {
    return lanes_vary[i] != 0 && (only == nullptr || moved[i] != 0);
  };
  for (std::size_t i = 0; i < pm.n_segments(); ++i) {
    if (wanted(v.plan, only ? only->plan : v.plan, i)) {
      load(pm, pm.segment_field(i, SegmentField::revenue), k, true, lp.plan[i], only);
    }
    if (wanted(v.cost_ratio, only ? only->cost_ratio : v.cost_ratio, i)) {
      load(pm, pm.segment_field(i, SegmentField::inference_cost_ratio), k, false, lp.cost_ratio[i], only);
    }
  }
  load_regime_tables(lp, pm, k, only);
  load_globals(lp, pm, k, only);
  load_growth(lp, pm, k, only);
}

void LaneInputs::load_regime_tables(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only) {
  std::array<char, 5> rt = vary.regime_table;
  for (std::size_t t = 0; only != nullptr && t < rt.size(); ++t) rt[t] = static_cast<char>(rt[t] != 0 && only->regime_table[t] != 0);
  const auto kept = [this, &pm, k, only](int f) { return only == nullptr && same(f, pm.year_of(k)); };
  for (std::size_t r = 0; r < pm.n_regimes(); ++r) {
    if (rt[0] != 0) field(pm, pm.regime_field(r, RegimeField::spot_price), k, false, lp.spot[r]);
    if (rt[1] != 0) field(pm, pm.regime_field(r, RegimeField::resale_share), k, false, lp.resale[r]);
    if (rt[2] != 0) field(pm, pm.regime_field(r, RegimeField::credit_spread), k, false, lp.spread[r]);
    // With the odds' tables (LaneParams::raise_log, raise_step), only when
    // the value moved from the year before: once a block for a constant one.
    const int raise = pm.regime_field(r, RegimeField::raise_success);
    if (rt[3] != 0 && !kept(raise)) {
      field(pm, raise, k, false, lp.raise[r]);
      raise_odds_tables(lp.raise[r], pm.dt, lp.raise_log[r], lp.raise_step[r]);
    }
    const int vm = pm.regime_field(r, RegimeField::valuation_multiple), scale = pm.global_field(GlobalField::valuation_scale);
    if (rt[4] != 0 && !(kept(vm) && kept(scale))) {
      // §11 (2. Market value): the multiple carries the valuation scale.
      field(pm, vm, k, false, a_);
      field(pm, scale, k, false, b_);
      Lane& out = lp.multiple[r];
      WAGER_FOR_LANES(l, L) out[l] = a_[l] * b_[l];
    }
  }
}

void LaneInputs::load_globals(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only) {
  const auto varies = [this, only](GlobalField f) {
    const auto i = static_cast<std::size_t>(f);
    return vary.global[i] != 0 && (only == nullptr || only->global[i] != 0);
  };
  // LaneParams' own list; the commitments never vary here (LaneInputs::direct).
  for (const LaneGlobal<lanes>& g : lane_globals<lanes>) {
    if (varies(g.field)) load(pm, pm.global_field(g.field), k, g.times_dt, lp.*g.member, only);
  }
  const double dt = pm.dt;
  // docs/model.md §6 (owned capacity): q = 1 - exp(-dt / life), and the
  // book kept after impairment, (1 - m)^dt (PreparedModel::refresh_depreciation).
  const int year = pm.year_of(k);
  const auto kept = [this, only, year](int f) { return only == nullptr && same(f, year); };
  if (varies(GlobalField::depreciation_life) && !kept(pm.global_field(GlobalField::depreciation_life))) {
    for (std::size_t l = 0; l < L; ++l) {
      const double life = lp.life[l];
      if (life == key_life[l]) continue;
      key_life[l] = life;
      lp.decayed[l] = -std::expm1(-dt / life);
    }
  }
  if (varies(GlobalField::impairment) && !kept(pm.global_field(GlobalField::impairment))) {
    field(pm, pm.global_field(GlobalField::impairment), k, false, a_);
    for (std::size_t l = 0; l < L; ++l) {
      if (a_[l] == key_impairment[l]) continue;
      key_impairment[l] = a_[l];
      lp.impairment_keep[l] = std::pow(1.0 - a_[l], dt);
    }
  }
}

void LaneInputs::load_growth(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only) {
  const double dt = pm.dt;
  const std::size_t nr = pm.n_regimes();
  // Nothing to do when no segment's growth varies, or when every input of
  // the growth tables is the year before's in every lane (the tables then are).
  const int year = pm.year_of(k);
  const auto grows = [this, only](std::size_t i) {
    return vary.growth[i] != 0 && (only == nullptr || only->growth[i] != 0);
  };
  bool any = false, moved = only != nullptr;
  for (std::size_t i = 0; i < pm.n_segments(); ++i) {
    if (!grows(i)) continue;
    any = true;
    moved = moved || !same(pm.segment_field(i, SegmentField::price_change), year);
  }
  for (std::size_t r = 0; r < nr; ++r) {
    moved = moved || !same(pm.regime_field(r, RegimeField::price_change), year) ||
            !same(pm.regime_field(r, RegimeField::demand_growth), year);
  }
  if (!any || !moved) return;
  // docs/model.md §4 (PreparedModel::refresh_growth): the price changes as
  // log rates; each table entry recomputed only in the lanes whose key
  // moved (at a year start inside a block, usually none).
  demand_growth_.resize(nr);
  for (std::size_t r = 0; r < nr; ++r) {
    field(pm, pm.regime_field(r, RegimeField::price_change), k, false, a_);
    rate_of(a_, key_regime_rate[r], regime_rate[r]);
    field(pm, pm.regime_field(r, RegimeField::demand_growth), k, false, demand_growth_[r]);
  }
  for (std::size_t i = 0; i < pm.n_segments(); ++i) {
    if (!grows(i)) continue;
    field(pm, pm.segment_field(i, SegmentField::price_change), k, false, a_);
    rate_of(a_, key_segment_rate[i], segment_rate[i]);
    const Lane& beta = lp.beta[i];
    const Lane& sr = segment_rate[i];
    for (std::size_t r = 0; r < nr; ++r) {
      const Lane& g = demand_growth_[r];
      const Lane& rr = regime_rate[r];
      const std::size_t j = i * nr + r;
      Lane& kd = key_demand[j];
      Lane& kp = key_price[j];
      Lane& kr = key_revenue[j];
      int changed = 0;
#pragma omp simd reduction(| : changed)
      for (std::size_t l = 0; l < L; ++l) {
        const double p = sr[l] + rr[l];
        a_[l] = beta[l] * g[l] * dt;          // the demand's key
        b_[l] = p * dt;                       // the price's
        c_[l] = (beta[l] * g[l] + p) * dt;    // the revenue's
        changed |= static_cast<int>(!(a_[l] == kd[l]) || !(b_[l] == kp[l]) || !(c_[l] == kr[l]));
      }
      if (changed == 0) continue;
      for (std::size_t l = 0; l < L; ++l) {
        if (!(a_[l] == kd[l])) {
          kd[l] = a_[l];
          lp.growth_demand[j][l] = std::exp(a_[l]);
          lp.growth_volume[j][l] = mean_growth(a_[l]);
        }
        if (!(b_[l] == kp[l])) {
          kp[l] = b_[l];
          lp.growth_price[j][l] = std::exp(b_[l]);
        }
        if (!(c_[l] == kr[l])) {
          kr[l] = c_[l];
          lp.growth_revenue[j][l] = mean_growth(c_[l]);
        }
      }
    }
  }
}

// log1p of each lane's price change in x, recomputed where it moved.
void LaneInputs::rate_of(const Lane& x, Lane& key, Lane& rate) {
  int moved = 0;
#pragma omp simd reduction(| : moved)
  for (std::size_t l = 0; l < L; ++l) moved |= static_cast<int>(!(x[l] == key[l]));
  if (moved == 0) return;
  for (std::size_t l = 0; l < L; ++l) {
    if (x[l] == key[l]) continue;
    key[l] = x[l];
    rate[l] = std::log1p(x[l]);
  }
}

}  // namespace wager::detail
