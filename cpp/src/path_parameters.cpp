// A path's own parameters: uncertain inputs through the copula, design rows,
// and triggered-shock variants (one prepared model per trigger timing), for a block of lanes.
#include "path_parameters.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "lane_loop.hpp"
#include "simd_clones.hpp"
#include "wager/random/distributions.hpp"
#include "wager/random/streams.hpp"
#include "wager/shock.hpp"

namespace wager::detail {

namespace {

constexpr auto L = static_cast<std::size_t>(lanes);

// docs/model.md §17 (uncertain inputs): independent standard normals,
// correlated by the lower-triangular Cholesky factor (a Gaussian copula),
// then each input's quantile; for the block's lanes at once, into x[input][lane].
// The bits are a lane's own (lanes never mix), so the same as one path at a time.
WAGER_SIMD_CLONES void draw_copula(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed,
                                   std::uint64_t first_path, std::size_t count) {
  const std::size_t n_in = strat.inputs.size();
  double* z = ps.z.data();  // [normal][lane]
  double* u = ps.u.data();  // [normal][lane]: the uniforms, normals' Box-Muller pairs from them
  for (std::size_t b = 0; b < ps.z.size() / (4 * L); ++b) {
    for (std::size_t l = 0; l < count; ++l) {
      const random::Philox4x64Ctr bits = random::draw(seed, first_path + l, 0, b, random::stream_inputs);
      for (std::size_t j = 0; j < 4; ++j) u[(4 * b + j) * L + l] = random::open_uniform(bits[j]);
    }
  }
  for (std::size_t pair = 0; pair < ps.z.size() / (2 * L); ++pair) {
    const double* u1 = u + 2 * pair * L;
    const double* u2 = u1 + L;
    double* z1 = z + 2 * pair * L;
    double* z2 = z1 + L;
    WAGER_FOR_LANES(l, L) random::box_muller(u1[l], u2[l], z1[l], z2[l]);
  }
  for (std::size_t i = 0; i < n_in; ++i) {
    double* xi = &ps.x[i * L];
    if (strat.cholesky.empty()) {
      WAGER_FOR_LANES(l, L) xi[l] = z[i * L + l];
    } else {
      WAGER_FOR_LANES(l, L) xi[l] = 0.0;
      for (std::size_t j = 0; j <= i; ++j) {
        const double c = strat.cholesky[i * n_in + j];
        const double* zj = z + j * L;
        WAGER_FOR_LANES(l, L) xi[l] += c * zj[l];
      }
    }
    const random::Distribution& d = strat.inputs[i].distribution;
    random::quantiles_from_normals(d, xi, count);
  }
}

// docs/model.md §25 (design rows): path p takes row p / input_row_paths.
void read_design_rows(StrategyScratch& ps, const Strategy& strat, std::uint64_t first_path, std::size_t count) {
  const std::size_t n_in = strat.inputs.size();
  for (std::size_t l = 0; l < count; ++l) {
    const auto row = static_cast<std::size_t>((first_path + l) / static_cast<std::uint64_t>(strat.input_row_paths));
    for (std::size_t i = 0; i < n_in; ++i) ps.x[i * L + l] = strat.input_rows[row * n_in + i];
  }
}

// docs/model.md §25: what fires lane `lane`'s triggers: its regimes and,
// for a contagion, each source strategy's distress step on its path.
PathTriggers lane_triggers(const WorldBlock& world, StrategyScratch& ps, std::size_t lane) {
  PathTriggers t{&world.regime[lane], L, nullptr};
  if (ps.sources.empty()) return t;
  for (std::size_t j = 0; j < ps.sources.size(); ++j) {
    ps.lane_distress_step[j] = ps.sources[j] != nullptr ? (*ps.sources[j])[ps.block_at + lane] : -1;
  }
  t.distress_step = ps.lane_distress_step.data();
  return t;
}

// Only the triggers' timing differs between paths: the prepared model of
// that timing, made once (memory bounded: the caller clears the cache
// between blocks once it holds 1024 timings).
const PreparedModel* trigger_variant(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps,
                                     const Strategy& strat, std::size_t lane) {
  // The key: per shock, the step its trigger fires at (-1: never; 0 without
  // a trigger), into a buffer kept between lanes (no allocation when the
  // timing was seen before).
  std::vector<int>& key = ps.trigger_key;
  key.resize(strat.shocks.size());
  const PathTriggers path = lane_triggers(world, ps, lane);
  for (std::size_t i = 0; i < strat.shocks.size(); ++i) {
    const Shock& s = strat.shocks[i];
    if (!triggered(s)) {
      key[i] = 0;
      continue;
    }
    // A stress's shocks usually share their trigger: scan the path once.
    std::size_t j = 0;
    while (j < i && !(triggered(strat.shocks[j]) && same_trigger(strat.shocks[j], s))) {
      ++j;
    }
    key[i] = j < i ? key[j] : trigger_step(s, path, ctx.n_steps, ctx.dt);
  }
  auto it = ps.variants.find(key);
  if (it == ps.variants.end()) {
    auto prepared = std::make_unique<PreparedModel>(ps.model, &strat.shocks);
    prepared->refresh(trigger_starts(strat.shocks, path, ctx.n_steps, ctx.dt));
    it = ps.variants.emplace(key, std::move(prepared)).first;
  }
  return it->second.get();
}

// A lane's own model: the path's inputs, then the stress's shocks (triggered
// ones from the lane's regimes), resolved per step.
const PreparedModel* lane_model(const WorldBlock& world, StrategyScratch& ps, const Strategy& strat,
                                int n_steps, double dt, std::size_t lane) {
  StrategyScratch::LaneModel& lm = *ps.lane_models[lane];
  if (strat.shocks.empty()) {
    apply_inputs(ps, lm.params, strat, lane);
    lm.prepared->refresh(ps.input_scope);  // only what the inputs move
    return lm.prepared.get();
  }
  // Inputs and shocks: the unshocked parameters, the path's inputs, then the shocks.
  for (std::size_t p = 0; p < lm.params.size(); ++p) *lm.params[p].value = ps.base_values[p];
  lm.model.backstop = strat.model.backstop;
  apply_inputs(ps, lm.params, strat, lane);
  apply_constant_shocks(lm.model, strat.shocks);
  lm.prepared->refresh(trigger_starts(strat.shocks, lane_triggers(world, ps, lane), n_steps, dt));
  return lm.prepared.get();
}

}  // namespace

void draw_input_values(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed, std::uint64_t first_path,
                       std::size_t count) {
  if (strat.inputs.empty()) return;
  if (!strat.input_rows.empty()) {
    read_design_rows(ps, strat, first_path, count);
  } else {
    draw_copula(ps, strat, seed, first_path, count);
  }
}

void apply_inputs(StrategyScratch& ps, std::vector<ParameterRef>& params, const Strategy& strat, std::size_t lane) {
  // docs/model.md §17: each parameter an input moves is its central value
  // plus, per input in order, weight * (input - input's central value).
  for (std::size_t t = 0; t < ps.touched.size(); ++t) {
    *params[static_cast<std::size_t>(ps.touched[t])].value = ps.touched_central[t];
  }
  for (std::size_t i = 0; i < strat.inputs.size(); ++i) {
    const UncertainInput& in = strat.inputs[i];
    const double delta = ps.x[i * L + lane] - in.central;
    for (std::size_t t = 0; t < in.targets.size(); ++t) {
      *params[static_cast<std::size_t>(in.targets[t])].value += in.weights[t] * delta;
    }
  }
}

namespace {

// apply_inputs for the inputs that move the commitments alone (the only
// parameters a lane's model is read for when its lanes take their inputs
// directly): each such parameter, then its inputs' terms in apply_inputs'
// order, so the same bits.
void apply_commitment_inputs(StrategyScratch& ps, std::vector<ParameterRef>& params, const Strategy& strat,
                             std::size_t lane) {
  for (const auto& [target, central] : ps.commitment_central) *params[static_cast<std::size_t>(target)].value = central;
  for (const std::size_t i : ps.commitment_inputs) {
    const UncertainInput& in = strat.inputs[i];
    const double delta = ps.x[i * L + lane] - in.central;
    for (std::size_t t = 0; t < in.targets.size(); ++t) {
      *params[static_cast<std::size_t>(in.targets[t])].value += in.weights[t] * delta;
    }
  }
}

// Marks what a step field moves: docs/model.md §4 (a segment's plan, cost
// ratio, growth), §3 (regime effects), §5-§11 (global fields).
void mark_step_field(LaneVaries& v, const Model& m, int f) {
  const int ns = static_cast<int>(SegmentField::count_), nrf = static_cast<int>(RegimeField::count_);
  const int seg_fields = ns * static_cast<int>(m.segments.size());
  const int reg_fields = nrf * static_cast<int>(m.regimes.size());
  if (f < seg_fields) {
    const auto i = static_cast<std::size_t>(f / ns);
    const auto kind = static_cast<SegmentField>(f % ns);
    (kind == SegmentField::revenue ? v.plan : kind == SegmentField::inference_cost_ratio ? v.cost_ratio : v.growth)[i] = 1;
  } else if (f < seg_fields + reg_fields) {
    const auto kind = static_cast<RegimeField>((f - seg_fields) % nrf);
    if (kind == RegimeField::demand_growth || kind == RegimeField::price_change) {
      std::fill(v.growth.begin(), v.growth.end(), 1);
    } else {
      const std::size_t t = kind == RegimeField::spot_price      ? 0
                            : kind == RegimeField::resale_share  ? 1
                            : kind == RegimeField::credit_spread ? 2
                            : kind == RegimeField::raise_success ? 3
                                                                 : 4;  // valuation_multiple
      v.regime_table[t] = 1;
    }
  } else if (m.valuation_scale.size() > 0 && f == seg_fields + reg_fields + static_cast<int>(GlobalField::valuation_scale)) {
    v.regime_table[4] = 1;  // the multiple carries the scale
  } else {
    v.global[static_cast<std::size_t>(f - seg_fields - reg_fields)] = 1;
  }
}

// A LaneVaries of model m's size with nothing marked.
LaneVaries nothing_varies(const Model& m) {
  LaneVaries v;
  v.plan.assign(m.segments.size(), 0);
  v.cost_ratio.assign(m.segments.size(), 0);
  v.growth.assign(m.segments.size(), 0);
  v.global.assign(static_cast<std::size_t>(GlobalField::count_), 0);
  return v;
}

}  // namespace

LaneVaries lane_varies(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params) {
  LaneVaries v = input_varies(m, strat, params);
  v.yearly = strat.shocks.empty();  // PreparedModel::fill_step_values: each step its year's value
  for (const Shock& s : strat.shocks) {
    const int f = step_field_index(m, s.field);
    if (triggered(s) && f >= 0) mark_step_field(v, m, f);
  }
  return v;
}

LaneVaries input_varies(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params) {
  LaneVaries v = nothing_varies(m);
  v.fields.assign(static_cast<std::size_t>(step_field_index_count(m)), 0);
  for (const UncertainInput& in : strat.inputs) {
    for (const int t : in.targets) {
      std::string name = params[static_cast<std::size_t>(t)].name;
      if (!name.empty() && name.back() == ']') name.erase(name.rfind('['));  // a year of a series
      const int f = step_field_index(m, name);
      if (f >= 0) {
        mark_step_field(v, m, f);
        v.fields[static_cast<std::size_t>(f)] = 1;
      } else if (name.rfind("segments[", 0) == 0 && name.ends_with(".demand_beta")) {
        v.growth[std::stoul(name.substr(9))] = 1;
      } else if (name.rfind("tranches[", 0) == 0) {
        v.tranches = true;
      } else if (name.rfind("segments[", 0) == 0 && (name.ends_with(".volatility") || name.ends_with(".persistence"))) {
        v.segment_ar = true;
      }
      // Other parameters are constants of the model, loaded per block.
    }
  }
  return v;
}

LaneVaries shock_varies(const Model& m, const Strategy& strat) {
  LaneVaries v = nothing_varies(m);
  for (const Shock& s : strat.shocks) {
    const int f = step_field_index(m, s.field);
    if (f >= 0) mark_step_field(v, m, f);  // a shock's profile moves its field step by step
  }
  return v;
}

std::vector<double> shock_step_weights(const Shock& s, const Model& m) {
  // PreparedModel::fill_step_values' weight at step k, from the shock's start.
  std::vector<double> w(static_cast<std::size_t>(m.n_steps()));
  const double dt = m.dt();
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = s.severity * shock_profile(s, s.start, (static_cast<double>(k) + 0.5) * dt);
  return w;
}

LaneVaries shocks_within_years(const Model& m, const Strategy& strat) {
  LaneVaries v = nothing_varies(m);
  v.fields.assign(static_cast<std::size_t>(step_field_index_count(m)), 0);
  const auto spy = static_cast<std::size_t>(m.steps_per_year);
  for (const Shock& s : strat.shocks) {
    const int f = step_field_index(m, s.field);
    if (f < 0 || triggered(s)) continue;
    const std::vector<double> w = shock_step_weights(s, m);
    bool inside = false;
    for (std::size_t k = 1; k < w.size() && !inside; ++k) {
      inside = k % spy != 0 && std::bit_cast<std::uint64_t>(w[k]) != std::bit_cast<std::uint64_t>(w[k - 1]);
    }
    if (!inside) continue;
    mark_step_field(v, m, f);
    v.fields[static_cast<std::size_t>(f)] = 1;
  }
  return v;
}

bool shocks_fit_lane_inputs(const Model& m, const Strategy& strat, const std::vector<ParameterRef>& params,
                            bool window) {
  if (has_trigger(strat.shocks)) {
    if (!window) return false;
    // The window's models hold the triggered shocks' values and tables; the
    // inputs must leave those alone, and the shocks what the inputs move.
    const LaneVaries in = input_varies(m, strat, params);
    LaneVaries on = nothing_varies(m);
    for (const Shock& s : strat.shocks) {
      const int f = step_field_index(m, s.field);
      if (triggered(s) && f >= 0) mark_step_field(on, m, f);
    }
    const auto meet = [](const std::vector<char>& a, const std::vector<char>& b) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != 0 && b[i] != 0) return true;
      }
      return false;
    };
    if (meet(in.plan, on.plan) || meet(in.cost_ratio, on.cost_ratio) || meet(in.growth, on.growth) ||
        meet(in.global, on.global)) {
      return false;
    }
    for (std::size_t t = 0; t < in.regime_table.size(); ++t) {
      if (in.regime_table[t] != 0 && on.regime_table[t] != 0) return false;
    }
  }
  for (const Shock& s : strat.shocks) {
    if (step_field_index(m, s.field) >= 0) continue;
    // A constant both move (apply_constant_shocks names it as the parameter table does).
    for (const UncertainInput& input : strat.inputs) {
      for (const int t : input.targets) {
        if (params[static_cast<std::size_t>(t)].name == s.field) return false;
      }
    }
  }
  return true;
}

bool shared_window(const PreparedModel& pm, const std::vector<Shock>& shocks) {
  const Model& m = pm.model;
  const int commitments = pm.global_field(GlobalField::commitments);
  const Shock* first = nullptr;
  for (const Shock& s : shocks) {
    if (!triggered(s) || moves_regime(s)) continue;
    const int f = step_field_index(m, s.field);
    if (f < 0 || f == commitments || s.failure || s.shape != ShockShape::step) return false;
    if (first != nullptr && !(same_trigger(*first, s) && first->duration == s.duration)) {
      return false;
    }
    if (first == nullptr) first = &s;
  }
  return first != nullptr;
}

bool regime_tables_only(const Model& m, const std::vector<Shock>& shocks) {
  LaneVaries v = nothing_varies(m);
  for (const Shock& s : shocks) {
    const int f = step_field_index(m, s.field);
    if (triggered(s) && f >= 0) mark_step_field(v, m, f);
  }
  const auto none = [](const std::vector<char>& x) { return std::all_of(x.begin(), x.end(), [](char c) { return c == 0; }); };
  return none(v.plan) && none(v.cost_ratio) && none(v.growth) && none(v.global);
}

// docs/model.md §25: each lane's window, from the step its trigger fires to
// the first step whose middle is past the duration (the steps at which the
// model of its trigger timing has the shocks at full weight).
void lane_windows(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, int count, LaneParams& lp) {
  const Shock& s = *ps.window;
  const double never = static_cast<double>(ctx.n_steps);
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t lane = l < static_cast<std::size_t>(count) ? l : 0;  // lanes past the paths: any window
    const int k0 = trigger_step(s, lane_triggers(world, ps, lane), ctx.n_steps, ctx.dt);
    if (k0 < 0) {
      lp.window_first[l] = lp.window_end[l] = never;
      continue;
    }
    const double t0 = k0 * ctx.dt;  // trigger_starts' start
    int k = k0;
    while (k < ctx.n_steps && s.severity * shock_profile(s, t0, (k + 0.5) * ctx.dt) != 0.0) ++k;
    lp.window_first[l] = static_cast<double>(k0);
    lp.window_end[l] = static_cast<double>(k);
  }
}

void lane_regime_moves(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, int count) {
  const Shock& s = *ps.regime_move;
  for (std::size_t l = 0; l < L; ++l) {
    const std::size_t lane = l < static_cast<std::size_t>(count) ? l : 0;  // lanes past the paths: any
    int first = ctx.n_steps, end = ctx.n_steps;
    if (!triggered(s)) {
      std::tie(first, end) = regime_move_steps(s, s.start, ctx.n_steps, ctx.dt);
    } else if (const int k0 = trigger_step(s, lane_triggers(world, ps, lane), ctx.n_steps, ctx.dt); k0 >= 0) {
      std::tie(first, end) = regime_move_steps(s, k0 * ctx.dt, ctx.n_steps, ctx.dt);
    }
    ps.move_first[l] = first;
    ps.move_end[l] = end;
  }
}

void prepare_block(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, const Strategy& strat,
                   std::uint64_t first_path, int count) {
  LaneParams& lp = ps.lane_params;
  if (strat.inputs.empty() && ps.variants.size() + lanes > 1024) ps.variants.clear();
  draw_input_values(ps, strat, ctx.config.seed, first_path, static_cast<std::size_t>(count));
  if (ps.prepared_on && !ps.inputs) {
    lp.models.fill(ps.prepared.get());
    lp.on = ps.prepared_on.get();
    lane_windows(ctx, world, ps, count, lp);
    lp.load_block();
    return;
  }
  if (ps.inputs) {
    // Every lane on the shared model (and the window's, triggered shocks
    // on), its inputs' values straight into the lanes.
    ps.inputs->compute_values(ps.x.data());
    lp.models.fill(ps.prepared.get());
    if (ps.prepared_on) {
      lp.on = ps.prepared_on.get();
      lane_windows(ctx, world, ps, count, lp);
    }
    if (ps.inputs->commitment_models) {
      // Each lane's model, refreshed for the commitments alone: the payments
      // still due after each step and the suppliers' parts are its own.
      for (int l = 0; l < count; ++l) {
        const auto lane = static_cast<std::size_t>(l);
        StrategyScratch::LaneModel& lm = *ps.lane_models[lane];
        apply_commitment_inputs(ps, lm.params, strat, lane);
        lm.prepared->refresh(ps.commitment_scope);
        lp.models[lane] = lm.prepared.get();
      }
      for (std::size_t l = static_cast<std::size_t>(count); l < static_cast<std::size_t>(lanes); ++l) {
        lp.models[l] = lp.models[0];
      }
    }
    lp.load_block();
    ps.inputs->load_constants(lp);
    return;
  }
  for (int l = 0; l < count; ++l) {
    const auto lane = static_cast<std::size_t>(l);
    lp.models[lane] = strat.inputs.empty() ? trigger_variant(ctx, world, ps, strat, lane)
                                           : lane_model(world, ps, strat, ctx.n_steps, ctx.dt, lane);
  }
  // Lanes past the block's paths compute and are discarded: any model will do.
  for (std::size_t l = static_cast<std::size_t>(count); l < static_cast<std::size_t>(lanes); ++l) {
    lp.models[l] = lp.models[0];
  }
  lp.load_block();
}

}  // namespace wager::detail
