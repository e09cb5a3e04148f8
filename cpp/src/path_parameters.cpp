// A path's own parameters: uncertain inputs through the copula, design rows,
// and triggered-shock variants (one prepared model per trigger timing).
#include "path_parameters.hpp"

#include <cmath>
#include <utility>
#include <vector>

#include "wager/random/distributions.hpp"
#include "wager/random/streams.hpp"
#include "wager/shock.hpp"

namespace wager::detail {

namespace {

// docs/model.md §17 (uncertain inputs): independent standard normals,
// correlated by the lower-triangular Cholesky factor (a Gaussian copula),
// then each input's quantile.
void draw_copula(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed, std::uint64_t path) {
  const std::size_t n_in = strat.inputs.size();
  for (std::size_t b = 0; b < ps.z.size() / 4; ++b) {
    random::four_normals(random::draw(seed, path, 0, b, random::stream_inputs), &ps.z[4 * b]);
  }
  for (std::size_t i = 0; i < n_in; ++i) {
    double zi = ps.z[i];
    if (!strat.cholesky.empty()) {
      zi = 0.0;
      for (std::size_t j = 0; j <= i; ++j) zi += strat.cholesky[i * n_in + j] * ps.z[j];
    }
    ps.x[i] = random::quantile_from_normal(strat.inputs[i].distribution, zi);
  }
}

// docs/model.md §25 (design rows): path p takes row p / input_row_paths.
void read_design_row(StrategyScratch& ps, const Strategy& strat, std::uint64_t path) {
  const std::size_t n_in = strat.inputs.size();
  const auto row = static_cast<std::size_t>(path / static_cast<std::uint64_t>(strat.input_row_paths));
  for (std::size_t i = 0; i < n_in; ++i) ps.x[i] = strat.input_rows[row * n_in + i];
}

// Only the triggers' timing differs between paths: reuse the prepared model
// of that timing (memory bounded by clearing at 1024 timings).
void use_trigger_variant(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps,
                         const Strategy& strat, std::size_t lane) {
  const std::vector<double> starts =
      trigger_starts(strat.shocks, &world.regime[lane], static_cast<std::size_t>(lanes), ctx.n_steps, ctx.dt);
  std::vector<int> key(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    key[i] = strat.shocks[i].trigger_regime < 0 ? 0
             : std::isnan(starts[i])            ? -1
                                                : static_cast<int>(std::lround(starts[i] / ctx.dt));
  }
  auto it = ps.variants.find(key);
  if (it == ps.variants.end()) {
    if (ps.variants.size() >= 1024) ps.variants.clear();
    StrategyScratch::Variant v;
    v.prepared = std::make_unique<PreparedModel>(ps.model, &strat.shocks);
    v.prepared->refresh(starts);
    v.stepper = std::make_unique<PathStepper>(*v.prepared);
    it = ps.variants.emplace(std::move(key), std::move(v)).first;
  }
  ps.path_stepper_now = it->second.stepper.get();
}

}  // namespace

void draw_inputs(StrategyScratch& ps, const Strategy& strat, std::uint64_t seed, std::uint64_t path) {
  if (strat.inputs.empty()) return;
  if (!strat.input_rows.empty()) {
    read_design_row(ps, strat, path);
  } else {
    draw_copula(ps, strat, seed, path);
  }
  // docs/model.md §17: each parameter an input moves is its central value
  // plus, per input in order, weight * (input - input's central value).
  for (std::size_t t = 0; t < ps.touched.size(); ++t) {
    *ps.params[static_cast<std::size_t>(ps.touched[t])].value = ps.touched_central[t];
  }
  for (std::size_t i = 0; i < strat.inputs.size(); ++i) {
    const UncertainInput& in = strat.inputs[i];
    const double delta = ps.x[i] - in.central;
    for (std::size_t t = 0; t < in.targets.size(); ++t) {
      *ps.params[static_cast<std::size_t>(in.targets[t])].value += in.weights[t] * delta;
    }
  }
}

void prepare_path(const RunContext& ctx, const WorldBlock& world, StrategyScratch& ps, const Strategy& strat,
                  std::uint64_t path, std::size_t lane) {
  if (strat.shocks.empty()) {
    draw_inputs(ps, strat, ctx.config.seed, path);
    ps.prepared->refresh();
    return;
  }
  if (strat.inputs.empty()) {
    use_trigger_variant(ctx, world, ps, strat, lane);
    return;
  }
  // Inputs and shocks: the unshocked parameters, the path's inputs, then the shocks.
  for (std::size_t p = 0; p < ps.params.size(); ++p) *ps.params[p].value = ps.base_values[p];
  ps.model.backstop = strat.model.backstop;
  draw_inputs(ps, strat, ctx.config.seed, path);
  apply_constant_shocks(ps.model, strat.shocks);
  ps.prepared->refresh(
      trigger_starts(strat.shocks, &world.regime[lane], static_cast<std::size_t>(lanes), ctx.n_steps, ctx.dt));
}

}  // namespace wager::detail
