// The Simulator: validates a config and prepares its inputs, builds the
// threads' scratch, runs paths as a short list of named steps (the steps live
// in their own files), and refuses non-finite results unless allowed.
#include "wager/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "chunk_runner.hpp"
#include "chunk_scheduler.hpp"
#include "outcome_merge.hpp"
#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "validation_checks.hpp"
#include "wager/require.hpp"
#include "wager/shock_target.hpp"
#include "wager/summary.hpp"
#include "wager/validation.hpp"

namespace wager {

void StrategyOutcome::merge(const StrategyOutcome& o) {
  n_paths += o.n_paths;
  series.merge(o.series);
  for (std::size_t i = 0; i < default_year.size(); ++i) default_year[i] += o.default_year[i];
  for (std::size_t i = 0; i < first_profit_year.size(); ++i) first_profit_year[i] += o.first_profit_year[i];
  distress.merge(o.distress);
  exposure.merge(o.exposure);
  investors.merge(o.investors);
  lenders.merge(o.lenders);
}

void PairOutcome::merge(const PairOutcome& o) {
  n_paths += o.n_paths;
  diff.merge(o.diff);
  for (std::size_t i = 0; i < joint_default.size(); ++i) joint_default[i] += o.joint_default[i];
  for (std::size_t i = 0; i < joint_profit.size(); ++i) joint_profit[i] += o.joint_profit[i];
  for (std::size_t i = 0; i < overtake.size(); ++i) overtake[i] += o.overtake[i];
  joint_loss.merge(o.joint_loss);
}

namespace {

// "Distributions prepare themselves": an input built field by field, or
// changed since it was prepared, is prepared here (the same bits as a
// caller's prepare: the table depends on the parameters alone).
void prepare_inputs(SimulationConfig& c) {
  for (Strategy& s : c.strategies) {
    for (UncertainInput& in : s.inputs) {
      if (!random::is_prepared(in.distribution)) random::prepare(in.distribution, in.name);
    }
  }
}

}  // namespace

Simulator::Simulator(SimulationConfig config) : config_(std::move(config)) {
  validate(config_);
  for (Strategy& s : config_.strategies) s.shocks = resolve_shocks(s.shocks, s.model);  // scenario paths: the core's
  config_.world = detail::resolved_world(config_);  // one initial regime, one count: the models'
  prepare_inputs(config_);
  const SimulationConfig& c = config_;
  for (std::size_t i = 0; i < c.strategies.size(); ++i) totals_.push_back(detail::empty_strategy_outcome(c, i));
  for (const auto& [a, b] : c.pairs) pair_totals_.push_back(detail::empty_pair_outcome(c, a, b, totals_));
  // The first thread's scratch here, so that whatever its construction
  // refuses is refused before any path runs; the others' by each thread at
  // its first chunk (in parallel, and not at all by a thread without one).
  scratch_.resize(static_cast<std::size_t>(c.n_threads));
  scratch_.front() = std::make_unique<detail::ThreadScratch>(c);
}

Simulator::~Simulator() = default;

void Simulator::run(std::int64_t begin, std::int64_t end) {
  const SimulationConfig& c = config_;
  WAGER_REQUIRE(begin >= 0 && begin <= end && end <= c.n_paths, "run: bad path range");
  if (end - begin > detail::max_paths_per_merge) {
    for (std::int64_t b = begin; b < end; b += detail::max_paths_per_merge) {
      run(b, std::min(end, b + detail::max_paths_per_merge));
    }
    return;
  }
  const detail::RunContext ctx(c, totals_);
  detail::for_each_chunk(c.n_threads, begin, end, c.chunk_paths, [&](int thread, std::int64_t lo, std::int64_t hi) {
    std::unique_ptr<detail::ThreadScratch>& mine = scratch_[static_cast<std::size_t>(thread)];
    if (!mine) mine = std::make_unique<detail::ThreadScratch>(c);  // only this thread touches its slot
    detail::run_chunk(ctx, *mine, lo, hi);
  });
  detail::merge_strategy_partials(scratch_, totals_, c.n_threads);
  detail::merge_pair_partials(scratch_, pair_totals_, c.n_threads);
}

SimulationResults Simulator::take_results() {
  if (!config_.allow_non_finite) {
    const int start = config_.strategies.front().model.start_year;
    for (std::size_t i = 0; i < totals_.size(); ++i) require_finite(totals_[i], start, std::string("strategies[") + std::to_string(i) + "]");
    for (std::size_t k = 0; k < pair_totals_.size(); ++k) require_finite(pair_totals_[k], start, std::string("pairs[") + std::to_string(k) + "]");
  }
  return {std::move(totals_), std::move(pair_totals_)};
}

SimulationResults simulate(SimulationConfig config, const std::function<bool(std::int64_t, std::int64_t)>& progress,
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
