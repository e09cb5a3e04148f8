#include "wager/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <optional>
#include <utility>

#include "lane_loop.hpp"
#include "lane_statistics.hpp"
#include "lane_stepper.hpp"
#include "pair_statistics.hpp"
#include "prepared_model.hpp"
#include "wager/parameters.hpp"
#include "wager/random/streams.hpp"
#include "world_block.hpp"
#include "wager/require.hpp"

#ifdef WAGER_HAVE_OPENMP
#include <omp.h>
#endif

namespace wager {

namespace {

using random::draw;
using random::four_normals;
using random::stream_inputs;

void check_world(const World& w, int n_steps) {
  WAGER_REQUIRE(w.n_regimes >= 1, "world: at least one regime");
  WAGER_REQUIRE(w.initial_regime >= 0 && w.initial_regime < w.n_regimes, "world: initial regime out of range");
  const auto nr = static_cast<std::size_t>(w.n_regimes);
  WAGER_REQUIRE(w.step_transition.empty() || w.step_transition.size() == nr * nr,
                "world: step_transition must be n_regimes x n_regimes");
  WAGER_REQUIRE(w.pinned.empty() || static_cast<int>(w.pinned.size()) == n_steps,
                "world: pinned must have one entry per step");
  for (int r : w.pinned) WAGER_REQUIRE(r >= -1 && r < w.n_regimes, "world: pinned regime out of range");
  WAGER_REQUIRE(w.factor_volatility >= 0.0 && std::isfinite(w.factor_volatility),
                "world: factor volatility must be >= 0");
  WAGER_REQUIRE(w.factor_persistence >= 0.0 && w.factor_persistence <= 1.0,
                "world: factor persistence must be in [0, 1]");
}

}  // namespace

void StrategyOutcome::merge(const StrategyOutcome& o) {
  n_paths += o.n_paths;
  series.merge(o.series);
  for (std::size_t i = 0; i < default_year.size(); ++i) default_year[i] += o.default_year[i];
  for (std::size_t i = 0; i < first_profit_year.size(); ++i) first_profit_year[i] += o.first_profit_year[i];
}

void PairOutcome::merge(const PairOutcome& o) {
  n_paths += o.n_paths;
  diff.merge(o.diff);
  for (std::size_t i = 0; i < joint_default.size(); ++i) joint_default[i] += o.joint_default[i];
  for (std::size_t i = 0; i < joint_profit.size(); ++i) joint_profit[i] += o.joint_profit[i];
  for (std::size_t i = 0; i < overtake.size(); ++i) overtake[i] += o.overtake[i];
}

/// What a simulation keeps of one path's year.
struct YearValues {
  double revenue, operating_income, free_cash_flow, cash, debt, ownership, utilisation, regime;
};

/// One thread's results for one strategy between merges.
struct PartialOutcome {
  std::int64_t n_paths = 0;
  PartialSeriesStats series;
  std::vector<std::uint64_t> default_year, first_profit_year;

  /// Adds its counts of paths and event years to `total` and zeroes them
  /// (the series merge separately, in parallel).
  void merge_counts_into(StrategyOutcome& total) {
    total.n_paths += n_paths;
    for (std::size_t i = 0; i < default_year.size(); ++i) total.default_year[i] += default_year[i];
    for (std::size_t i = 0; i < first_profit_year.size(); ++i) total.first_profit_year[i] += first_profit_year[i];
    n_paths = 0;
    std::fill(default_year.begin(), default_year.end(), 0);
    std::fill(first_profit_year.begin(), first_profit_year.end(), 0);
  }
};

/// Most paths one thread adds to a PartialOutcome before merging it: its
/// 32-bit histogram counts cannot overflow.
constexpr std::int64_t max_paths_per_merge = std::int64_t{1} << 31;

/// Everything one thread needs, allocated once and reused for every path.
struct Simulator::ThreadScratch {
  struct PerStrategy {
    Model model;  // patched per path when the strategy has uncertain inputs or triggered shocks
    std::vector<ParameterRef> params;
    std::vector<double> base_values;      // every parameter of the unshocked model
    bool per_path = false;                // each path has its own parameters
    std::vector<int> touched;             // parameter indices some input moves
    std::vector<double> touched_central;  // their central values
    std::unique_ptr<detail::PreparedModel> prepared;
    std::unique_ptr<detail::LaneStepper> stepper;      // blocks of paths
    std::unique_ptr<detail::PathStepper> path_stepper; // one path with its own parameters
    const detail::PathStepper* path_stepper_now = nullptr;  // the one the current path runs
    // With triggered shocks and no uncertain inputs, a path's model depends
    // only on when its triggers fired: one prepared model per such timing.
    struct Variant {
      std::unique_ptr<detail::PreparedModel> prepared;
      std::unique_ptr<detail::PathStepper> stepper;
    };
    std::map<std::vector<int>, Variant> variants;
    detail::LaneState state;
    detail::PathState path_state;
    std::vector<YearValues> years;  // [lane][year]
    // With pairs: what each path of the chunk being run gave, by its place
    // in the chunk: yearly statistics [path][StatVar][year], outcomes
    // [path][Outcome], and the calendar years of default and first profit
    // (-1 = never).
    std::int64_t chunk_lo = 0;
    detail::ChunkRecords chunk;
    std::vector<double> z, x;  // input normals, input values
    PartialOutcome partial;
  };
  std::vector<PerStrategy> strategies;
  std::vector<detail::PartialPair> pairs;
  std::vector<detail::WorldBlock> worlds;  // of the blocks of the chunk being run
  std::vector<std::pair<std::int64_t, int>> blocks;  // (first path, paths) of those blocks
  detail::LaneFlows flows;
  detail::PathFlows path_flows;
};

Simulator::Simulator(SimulationConfig config) : config_(std::move(config)) {
  const SimulationConfig& c = config_;
  WAGER_REQUIRE(!c.strategies.empty(), "simulation: at least one strategy");
  WAGER_REQUIRE(c.n_paths >= 0 && c.first_path >= 0, "simulation: n_paths and first_path must be >= 0");
  WAGER_REQUIRE(c.n_threads >= 1, "simulation: n_threads must be >= 1, got " << c.n_threads);
  WAGER_REQUIRE(c.chunk_paths >= 1, "simulation: chunk_paths must be >= 1");
  WAGER_REQUIRE(c.world_period >= 0 && c.world_period % detail::lanes == 0,
                "simulation: world_period must be 0 or a multiple of " << detail::lanes);
  WAGER_REQUIRE(c.world_period == 0 || c.first_path % detail::lanes == 0,
                "simulation: with world_period, first_path must be a multiple of " << detail::lanes);
  WAGER_REQUIRE(c.histogram.n_bins >= 2 && c.histogram.scale > 0 && c.histogram.bins_per_unit > 0,
                "simulation: bad histogram spec");
  const Model& first = c.strategies.front().model;
  for (const Strategy& s : c.strategies) {
    validate(s.model);
    WAGER_REQUIRE(s.model.start_year == first.start_year && s.model.n_years == first.n_years &&
                      s.model.steps_per_year == first.steps_per_year,
                  "simulation: strategies compared in one call need the same calendar");
    WAGER_REQUIRE(static_cast<int>(s.model.regimes.size()) == c.world.n_regimes,
                  "simulation: every strategy needs one effect per regime of the world");
    for (const Segment& seg : s.model.segments) {
      WAGER_REQUIRE(seg.volatility >= 0.0 && seg.persistence >= 0.0 && seg.persistence <= 1.0,
                    "segments." << seg.name << ": volatility >= 0 and persistence in [0, 1] needed");
    }
    const auto n = s.inputs.size();
    WAGER_REQUIRE(s.cholesky.empty() || s.cholesky.size() == n * n, "simulation: cholesky must be n x n");
    if (!s.input_rows.empty()) {
      WAGER_REQUIRE(n > 0 && s.input_rows.size() % n == 0, "simulation: input_rows must be rows x inputs");
      WAGER_REQUIRE(s.input_row_paths >= 1, "simulation: input_row_paths must be >= 1");
      const auto rows = static_cast<std::int64_t>(s.input_rows.size() / n);
      WAGER_REQUIRE(c.first_path + c.n_paths <= rows * s.input_row_paths,
                    "simulation: input_rows has " << rows << " rows of " << s.input_row_paths
                                                  << " paths, fewer than the paths run");
      for (double v : s.input_rows) WAGER_REQUIRE(std::isfinite(v), "simulation: input_rows must be finite");
    }
    Model probe = s.model;
    const auto n_params = parameters(probe).size();
    detail::apply_constant_shocks(probe, s.shocks);  // refuses a bad shock here, not in the parallel region
    for (const UncertainInput& in : s.inputs) {
      random::Distribution d = in.distribution;
      random::prepare(d, in.name);
      WAGER_REQUIRE(in.targets.size() == in.weights.size(), in.name << ": one weight per target");
      for (int t : in.targets) {
        WAGER_REQUIRE(t >= 0 && static_cast<std::size_t>(t) < n_params, in.name << ": target out of range");
      }
    }
  }
  check_world(c.world, first.n_steps());

  const int n_years = first.n_years;
  const auto n_series = static_cast<std::size_t>(n_stat_vars * n_years + n_outcomes);
  const auto outcome_template = [&](bool keep, std::int64_t n_paths) {
    StrategyOutcome o;
    o.n_years = n_years;
    o.series = SeriesStats(n_series, c.histogram.n_bins);
    o.default_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
    o.first_profit_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
    if (keep) {
      const auto cells = static_cast<std::size_t>(n_paths) * static_cast<std::size_t>(n_years);
      o.kept.assign(n_kept_vars, std::vector<double>(cells, 0.0));
      o.kept_default_year.assign(static_cast<std::size_t>(n_paths), -1);
      o.kept_first_profit_year.assign(static_cast<std::size_t>(n_paths), -1);
      o.kept_outcomes.assign(n_outcomes, std::vector<double>(static_cast<std::size_t>(n_paths), 0.0));
    }
    return o;
  };
  for (std::size_t i = 0; i < c.strategies.size(); ++i) totals_.push_back(outcome_template(c.keep_paths, c.n_paths));
  const auto n_strategies = static_cast<int>(c.strategies.size());
  const auto ny = static_cast<std::size_t>(n_years);
  for (const auto& [a, b] : c.pairs) {
    WAGER_REQUIRE(a >= 0 && a < n_strategies && b >= 0 && b < n_strategies,
                  "simulation: pair (" << a << ", " << b << ") names a strategy out of range");
    PairOutcome p;
    p.a = a;
    p.b = b;
    p.n_years = n_years;
    p.diff = SeriesStats(n_series, c.histogram.n_bins);
    p.joint_default.assign(4 * ny, 0);
    p.joint_profit.assign(4 * ny, 0);
    p.overtake.assign(2 * (ny + 1), 0);
    pair_totals_.push_back(std::move(p));
  }

  for (int t = 0; t < c.n_threads; ++t) {
    auto sc = std::make_unique<ThreadScratch>();
    sc->strategies.resize(c.strategies.size());
    for (std::size_t i = 0; i < c.strategies.size(); ++i) {
      const Strategy& s = c.strategies[i];
      auto& ps = sc->strategies[i];
      ps.model = s.model;
      ps.params = parameters(ps.model);
      for (const ParameterRef& p : ps.params) ps.base_values.push_back(*p.value);
      for (const UncertainInput& in : s.inputs) {
        for (int target : in.targets) {
          if (std::find(ps.touched.begin(), ps.touched.end(), target) == ps.touched.end()) ps.touched.push_back(target);
        }
      }
      for (int target : ps.touched) ps.touched_central.push_back(ps.base_values[static_cast<std::size_t>(target)]);
      ps.per_path = !s.inputs.empty() || has_trigger(s.shocks);
      detail::apply_constant_shocks(ps.model, s.shocks);
      ps.prepared = std::make_unique<detail::PreparedModel>(ps.model, &s.shocks);
      ps.stepper = std::make_unique<detail::LaneStepper>(*ps.prepared);
      ps.path_stepper = std::make_unique<detail::PathStepper>(*ps.prepared);
      ps.path_stepper_now = ps.path_stepper.get();
      ps.z.assign((s.inputs.size() + 3) / 4 * 4, 0.0);
      ps.x.assign(s.inputs.size(), 0.0);
      ps.partial.series = PartialSeriesStats(n_series, c.histogram.n_bins);
      ps.partial.default_year.assign(static_cast<std::size_t>(first.n_years) + 1, 0);
      ps.partial.first_profit_year.assign(static_cast<std::size_t>(first.n_years) + 1, 0);
      ps.years.resize(static_cast<std::size_t>(first.n_years) * detail::lanes);
      if (!c.pairs.empty()) {
        // A chunk's blocks may start mid-block: room for one more block.
        ps.chunk.resize(static_cast<std::size_t>(c.chunk_paths + detail::lanes), n_years);
      }
    }
    for (std::size_t q = 0; q < c.pairs.size(); ++q) sc->pairs.emplace_back(n_series, c.histogram.n_bins, n_years);
    scratch_.push_back(std::move(sc));
  }
}

Simulator::~Simulator() = default;

void Simulator::run(std::int64_t begin, std::int64_t end) {
  const SimulationConfig& c = config_;
  WAGER_REQUIRE(begin >= 0 && begin <= end && end <= c.n_paths, "run: bad path range");
  if (end - begin > max_paths_per_merge) {
    for (std::int64_t b = begin; b < end; b += max_paths_per_merge) run(b, std::min(end, b + max_paths_per_merge));
    return;
  }
  const Model& first = c.strategies.front().model;
  const int n_steps = first.n_steps();
  const int n_years = first.n_years;
  const int spy = first.steps_per_year;
  const double dt = first.dt();
  const World& world = c.world;

  // What the world must draw: only what some strategy uses (skipping a draw
  // never shifts another: every number has its own counter).
  bool need_segments = false;
  std::size_t max_segments = 0;
  for (const Strategy& s : c.strategies) {
    max_segments = std::max(max_segments, s.model.segments.size());
    for (const Segment& seg : s.model.segments) need_segments = need_segments || seg.volatility > 0.0;
    for (const UncertainInput& in : s.inputs) need_segments = need_segments || !in.targets.empty();
  }
  const detail::WorldPlan plan(world, n_steps, dt, need_segments ? max_segments : 0);
  const std::size_t seg_stride = plan.n_segments;

  constexpr auto L = static_cast<std::size_t>(detail::lanes);

  // Draw a path's inputs through the copula and move the parameters they drive.
  const auto draw_inputs = [&](ThreadScratch::PerStrategy& ps, const Strategy& strat, std::uint64_t path) {
    if (strat.inputs.empty()) return;
    const std::size_t n_in = strat.inputs.size();
    if (!strat.input_rows.empty()) {
      const auto row = static_cast<std::size_t>(path / static_cast<std::uint64_t>(strat.input_row_paths));
      for (std::size_t i = 0; i < n_in; ++i) ps.x[i] = strat.input_rows[row * n_in + i];
    } else {
      for (std::size_t b = 0; b < ps.z.size() / 4; ++b) four_normals(draw(c.seed, path, 0, b, stream_inputs), &ps.z[4 * b]);
      for (std::size_t i = 0; i < n_in; ++i) {
        double zi = ps.z[i];
        if (!strat.cholesky.empty()) {
          zi = 0.0;
          for (std::size_t j = 0; j <= i; ++j) zi += strat.cholesky[i * n_in + j] * ps.z[j];
        }
        ps.x[i] = random::quantile_from_normal(strat.inputs[i].distribution, zi);
      }
    }
    for (std::size_t t = 0; t < ps.touched.size(); ++t) {
      *ps.params[static_cast<std::size_t>(ps.touched[t])].value = ps.touched_central[t];
    }
    for (std::size_t i = 0; i < n_in; ++i) {
      const UncertainInput& in = strat.inputs[i];
      const double delta = ps.x[i] - in.central;
      for (std::size_t t = 0; t < in.targets.size(); ++t) {
        *ps.params[static_cast<std::size_t>(in.targets[t])].value += in.weights[t] * delta;
      }
    }
  };

  // A path with its own parameters: its inputs, then the stress's shocks,
  // triggered ones from the path's own regimes (world lane `lane`).
  const auto prepare_path = [&](const detail::WorldBlock& world, ThreadScratch::PerStrategy& ps,
                                const Strategy& strat, std::uint64_t path, std::size_t lane) {
    if (strat.shocks.empty()) {
      draw_inputs(ps, strat, path);
      ps.prepared->refresh();
      return;
    }
    if (strat.inputs.empty()) {
      // Only the triggers' timing differs between paths: reuse its model.
      const std::vector<double> starts = trigger_starts(strat.shocks, &world.regime[lane], L, n_steps, dt);
      std::vector<int> key(starts.size());
      for (std::size_t i = 0; i < starts.size(); ++i) {
        key[i] = strat.shocks[i].trigger_regime < 0 ? 0
                 : std::isnan(starts[i])            ? -1
                                                    : static_cast<int>(std::lround(starts[i] / dt));
      }
      auto it = ps.variants.find(key);
      if (it == ps.variants.end()) {
        if (ps.variants.size() >= 1024) ps.variants.clear();  // bounded memory
        ThreadScratch::PerStrategy::Variant v;
        v.prepared = std::make_unique<detail::PreparedModel>(ps.model, &strat.shocks);
        v.prepared->refresh(starts);
        v.stepper = std::make_unique<detail::PathStepper>(*v.prepared);
        it = ps.variants.emplace(std::move(key), std::move(v)).first;
      }
      ps.path_stepper_now = it->second.stepper.get();
      return;
    }
    for (std::size_t p = 0; p < ps.params.size(); ++p) *ps.params[p].value = ps.base_values[p];
    ps.model.backstop = strat.model.backstop;
    draw_inputs(ps, strat, path);
    detail::apply_constant_shocks(ps.model, strat.shocks);
    ps.prepared->refresh(trigger_starts(strat.shocks, &world.regime[lane], L, n_steps, dt));
  };

  // One path's statistics, and its kept values when asked.
  // (The outcomes' statistics are added per block by run_lanes.)
  const auto record_path = [&](ThreadScratch::PerStrategy& ps, std::size_t si, const YearValues* years,
                               const Events& e, const double (&outcomes)[n_outcomes], std::int64_t rel) {
    PartialOutcome& out = ps.partial;
    ++out.n_paths;
    const int start = first.start_year;
    ++out.default_year[static_cast<std::size_t>(e.default_year ? *e.default_year - start : n_years)];
    ++out.first_profit_year[static_cast<std::size_t>(e.first_profit_year ? *e.first_profit_year - start : n_years)];
    if (!c.pairs.empty()) {
      const auto at = static_cast<std::size_t>(rel - ps.chunk_lo);
      double* yv = ps.chunk.year_row(at);
      for (int y = 0; y < n_years; ++y) {
        const YearValues& v = years[static_cast<std::size_t>(y)];
        const double stat[n_stat_vars] = {v.revenue, v.operating_income, v.free_cash_flow, v.cash};
        for (int sv = 0; sv < n_stat_vars; ++sv) yv[static_cast<std::size_t>(sv * n_years + y)] = stat[sv];
      }
      for (int o = 0; o < n_outcomes; ++o) ps.chunk.outcomes[at * n_outcomes + static_cast<std::size_t>(o)] = outcomes[o];
      ps.chunk.default_year[at] = e.default_year ? *e.default_year : -1;
      ps.chunk.first_profit_year[at] = e.first_profit_year ? *e.first_profit_year : -1;
    }
    if (!c.keep_paths) return;
    StrategyOutcome& tot = totals_[si];
    const auto row = static_cast<std::size_t>(rel) * static_cast<std::size_t>(n_years);
    for (int y = 0; y < n_years; ++y) {
      const YearValues& yv = years[static_cast<std::size_t>(y)];
      const double kept[n_kept_vars] = {yv.revenue, yv.operating_income, yv.free_cash_flow, yv.cash,
                                        yv.debt,    yv.ownership,        yv.utilisation,      yv.regime};
      for (int v = 0; v < n_kept_vars; ++v) {
        tot.kept[static_cast<std::size_t>(v)][row + static_cast<std::size_t>(y)] = kept[v];
      }
    }
    const auto ru = static_cast<std::size_t>(rel);
    tot.kept_default_year[ru] = e.default_year ? *e.default_year : -1;
    tot.kept_first_profit_year[ru] = e.first_profit_year ? *e.first_profit_year : -1;
    for (int o = 0; o < n_outcomes; ++o) tot.kept_outcomes[static_cast<std::size_t>(o)][ru] = outcomes[o];
  };

  // Step `active` lanes of one strategy through the block's world, starting
  // at lane `offset`, summing each year as the projection's recorder does
  // (same order of additions, so a path without randomness has its bits);
  // then record each lane's statistics as the path rel0 + lane.
  // N = lanes for a block of paths sharing parameters, N = 1 for a path with
  // its own (world lane `offset`).
  const auto run_lanes = [&]<int N>(ThreadScratch& sc, const detail::WorldBlock& world, std::size_t si,
                                    std::size_t offset, int active, std::int64_t rel0) {
    using Lane = detail::LaneOf<N>;
    constexpr auto LN = static_cast<std::size_t>(N);
    auto& ps = sc.strategies[si];
    const detail::LaneStepperT<N>* stepper;
    detail::LaneStateT<N>* state;
    detail::LaneFlowsT<N>* flows;
    if constexpr (N == 1) {
      stepper = ps.path_stepper_now;
      state = &ps.path_state;
      flows = &sc.path_flows;
    } else {
      stepper = ps.stepper.get();
      state = &ps.state;
      flows = &sc.flows;
    }
    stepper->reset(*state);
    detail::LaneWorldT<N> w;
    w.factor_moves = plan.factor_vol > 0.0;
    w.normal_stride = L;  // the world block's layout
    Lane last_multiple{}, last_annual_revenue{};
    std::array<int, LN> first_profit;
    first_profit.fill(-1);
    const auto A = static_cast<std::size_t>(active);
    Lane cumulative{};  // of the years' free cash flows, in order
    for (int y = 0, n = 0; y < n_years; ++y) {
      detail::YearSumsT<N> sums;
      const Lane &revenue = sums.revenue, &income = sums.income, &fcf = sums.fcf, &needed = sums.needed,
                 &committed = sums.committed, &owned = sums.owned;
      for (int j = 0; j < spy; ++j, ++n) {
        const auto nu = static_cast<std::size_t>(n);
        for (std::size_t l = 0; l < A; ++l) {
          w.regime[l] = world.regime[nu * L + offset + l];
          w.raise_draw[l] = world.raise[nu * L + offset + l];
          w.factor[l] = world.factor[nu * L + offset + l];
        }
        w.segment_normals = need_segments ? &world.segment_normals[nu * seg_stride * L + offset] : nullptr;
        stepper->step_lean(*state, n, w, *flows);
        detail::add_step(sums, *flows, state->defaulted, last_multiple, last_annual_revenue);
      }
      const auto& v = flows->vars;
      for (std::size_t l = 0; l < A; ++l) {
        YearValues& yv = ps.years[l * static_cast<std::size_t>(n_years) + static_cast<std::size_t>(y)];
        yv.revenue = revenue[l];
        yv.operating_income = income[l];
        yv.free_cash_flow = fcf[l];
        yv.cash = v[static_cast<std::size_t>(Var::cash)][l];
        yv.debt = v[static_cast<std::size_t>(Var::debt)][l];
        yv.ownership = v[static_cast<std::size_t>(Var::ownership_retained)][l];
        yv.regime = v[static_cast<std::size_t>(Var::regime)][l];
        const double capacity = committed[l] + owned[l];
        yv.utilisation = capacity > 0.0 ? needed[l] / capacity : 0.0;
        if (first_profit[l] < 0 && income[l] > 0.0) first_profit[l] = first.start_year + y;
      }
      WAGER_FOR_LANES(l, LN) cumulative[l] += fcf[l];
      // The year's statistics for every lane: fixed-point values and bins
      // computed for all lanes at once, then added lane by lane.
      const Lane* stat_values[n_stat_vars] = {&revenue, &income, &fcf, &v[static_cast<std::size_t>(Var::cash)]};
      for (int sv = 0; sv < n_stat_vars; ++sv) {
        const Lane& x = *stat_values[sv];
        std::array<std::int64_t, LN> fixed, bin;
        detail::fixed_and_bins(x, c.histogram, fixed, bin);
        const auto series = static_cast<std::size_t>(sv * n_years + y);
        for (std::size_t l = 0; l < A; ++l) {
          if (std::isfinite(x[l])) {
            ps.partial.series.add_prepared(series, fixed[l], bin[l]);
          } else {
            ++ps.partial.series.non_finite[series];
          }
        }
      }
    }
    // The per-path outcomes, binned for the whole block at once.
    Lane outcome[n_outcomes];
    WAGER_FOR_LANES(l, LN) {
      outcome[0][l] = cumulative[l];
      outcome[1][l] = state->peak_funding_need[l];
      outcome[2][l] = state->defaulted[l] != 0.0
                          ? 0.0
                          : detail::max_of(last_multiple[l] * last_annual_revenue[l] + state->cash[l] - state->debt[l],
                                           0.0);
    }
    for (int o = 0; o < n_outcomes; ++o) {
      std::array<std::int64_t, LN> fixed, bin;
      detail::fixed_and_bins(outcome[o], c.histogram, fixed, bin);
      const auto series = static_cast<std::size_t>(n_stat_vars * n_years + o);
      for (std::size_t l = 0; l < A; ++l) {
        if (std::isfinite(outcome[o][l])) {
          ps.partial.series.add_prepared(series, fixed[l], bin[l]);
        } else {
          ++ps.partial.series.non_finite[series];
        }
      }
    }
    for (std::size_t l = 0; l < A; ++l) {
      Events e;
      if (first_profit[l] >= 0) e.first_profit_year = first_profit[l];
      if (state->defaulted[l] != 0.0) e.default_year = first.start_year + static_cast<int>(state->default_step[l]) / spy;
      e.peak_funding_need = outcome[1][l];
      e.terminal_equity_value = outcome[2][l];
      const double path_outcomes[n_outcomes] = {outcome[0][l], outcome[1][l], outcome[2][l]};
      record_path(ps, si, &ps.years[l * static_cast<std::size_t>(n_years)], e, path_outcomes,
                  rel0 + static_cast<std::int64_t>(l));
    }
  };

  // A chunk's paths in blocks that never cross a multiple of 32 (counted
  // from path 0 of the simulation, which a world period requires), their
  // worlds drawn first; then each strategy runs every block, so that its
  // statistics stay in cache across the chunk however many strategies
  // (stress grid cells) the call has.
  const auto run_chunk = [&](ThreadScratch& sc, std::int64_t lo, std::int64_t hi) {
    auto& blocks = sc.blocks;
    blocks.clear();
    for (std::int64_t p = lo; p < hi;) {
      const std::int64_t next = std::min(hi, (p / detail::lanes + 1) * detail::lanes);
      blocks.emplace_back(p, static_cast<int>(next - p));
      p = next;
    }
    const std::size_t n_blocks = blocks.size();
    if (sc.worlds.size() < n_blocks) sc.worlds.resize(n_blocks);
    for (std::size_t b = 0; b < n_blocks; ++b) {
      detail::WorldBlock& world = sc.worlds[b];
      if (world.regime.empty()) world.resize(plan);
      const std::int64_t rel = blocks[b].first;
      const std::int64_t world_path = c.world_period > 0 ? (c.first_path + rel) % c.world_period : c.first_path + rel;
      detail::draw_world_block(plan, c.seed, static_cast<std::uint64_t>(world_path), world);
    }
    for (std::size_t si = 0; si < c.strategies.size(); ++si) {
      const Strategy& strat = c.strategies[si];
      sc.strategies[si].chunk_lo = lo;
      for (std::size_t b = 0; b < n_blocks; ++b) {
        const detail::WorldBlock& world = sc.worlds[b];
        const auto [rel0, count] = blocks[b];
        if (!sc.strategies[si].per_path) {
          run_lanes.template operator()<detail::lanes>(sc, world, si, 0, count, rel0);
          continue;
        }
        // Each path has its own parameters: one lane at a time.
        for (int l = 0; l < count; ++l) {
          prepare_path(world, sc.strategies[si], strat, static_cast<std::uint64_t>(c.first_path + rel0 + l),
                       static_cast<std::size_t>(l));
          run_lanes.template operator()<1>(sc, world, si, static_cast<std::size_t>(l), 1, rel0 + l);
        }
      }
    }
    for (std::size_t q = 0; q < c.pairs.size(); ++q) {
      // Strategy b against strategy a on each path of the chunk just run.
      const auto& [a, b] = c.pairs[q];
      detail::add_pair_paths(sc.pairs[q], sc.strategies[static_cast<std::size_t>(a)].chunk,
                             sc.strategies[static_cast<std::size_t>(b)].chunk, static_cast<std::size_t>(hi - lo),
                             first.start_year, c.histogram);
    }
  };

  const std::int64_t chunk = c.chunk_paths;
  const std::int64_t n_chunks = (end - begin + chunk - 1) / chunk;
  std::exception_ptr error;
#ifdef WAGER_HAVE_OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(c.n_threads) default(none) \
    shared(begin, end, chunk, n_chunks, error, run_chunk)
#endif
  for (std::int64_t k = 0; k < n_chunks; ++k) {
#ifdef WAGER_HAVE_OPENMP
    ThreadScratch& sc = *scratch_[static_cast<std::size_t>(omp_get_thread_num())];
#else
    ThreadScratch& sc = *scratch_.front();
#endif
    // An exception must not escape the parallel region: keep the first one.
    try {
      const std::int64_t lo = begin + k * chunk;
      run_chunk(sc, lo, std::min(end, lo + chunk));
    } catch (...) {
#ifdef WAGER_HAVE_OPENMP
#pragma omp critical(wager_simulation_error)
#endif
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);

  // Integer merges: the order of threads does not matter. The series merge
  // in parallel, one thread per series (nothing in the loop can throw).
  for (std::size_t si = 0; si < totals_.size(); ++si) {
    StrategyOutcome& total = totals_[si];
    std::vector<PartialOutcome*> used;
    for (auto& sc : scratch_) {
      PartialOutcome& p = sc->strategies[si].partial;
      if (p.n_paths > 0) used.push_back(&p);
    }
    for (PartialOutcome* p : used) p->merge_counts_into(total);
    const auto n_series = static_cast<std::int64_t>(total.series.n_series);
#ifdef WAGER_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(c.n_threads) default(none) shared(total, used, n_series)
#endif
    for (std::int64_t s = 0; s < n_series; ++s) {
      for (PartialOutcome* p : used) total.series.merge_series_from(p->series, static_cast<std::size_t>(s));
    }
  }  for (std::size_t q = 0; q < pair_totals_.size(); ++q) {
    PairOutcome& total = pair_totals_[q];
    std::vector<detail::PartialPair*> used;
    for (auto& sc : scratch_) {
      detail::PartialPair& p = sc->pairs[q];
      if (p.n_paths > 0) used.push_back(&p);
    }
    for (detail::PartialPair* p : used) p->merge_counts_into(total);
    const auto n_series = static_cast<std::int64_t>(total.diff.n_series);
#ifdef WAGER_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(c.n_threads) default(none) shared(total, used, n_series)
#endif
    for (std::int64_t s = 0; s < n_series; ++s) {
      for (detail::PartialPair* p : used) total.diff.merge_series_from(p->diff, static_cast<std::size_t>(s));
    }
  }
}

SimulationResults Simulator::take_results() { return {std::move(totals_), std::move(pair_totals_)}; }

SimulationResults simulate(SimulationConfig config,
                                      const std::function<bool(std::int64_t, std::int64_t)>& progress,
                                      std::int64_t batch_paths, double grow_below_seconds) {
  WAGER_REQUIRE(batch_paths >= 1, "simulate: batch_paths must be >= 1");
  Simulator sim(std::move(config));
  const std::int64_t total = sim.config().n_paths;
  std::int64_t batch = batch_paths;
  for (std::int64_t b = 0; b < total;) {
    const std::int64_t e = std::min(total, b + batch);
    const auto start = std::chrono::steady_clock::now();
    sim.run(b, e);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (progress && !progress(e, total)) break;
    if (took.count() < grow_below_seconds) batch = std::min(batch * 2, std::int64_t{1} << 40);
    b = e;
  }
  return sim.take_results();
}

}  // namespace wager
