// The totals' shapes and the integer merges of per-thread partials: the
// order of threads does not matter, so results never depend on the split.
#include "outcome_merge.hpp"

#include "exposure_bounds.hpp"

namespace wager::detail {

namespace {

std::size_t series_count(const SimulationConfig& c) {
  return static_cast<std::size_t>(n_stat_vars * c.strategies.front().model.n_years + n_outcomes);
}

// Series s of every used partial into `total`, in parallel over the series
// (nothing in the loop can throw).
void merge_series(SeriesStats& total, const std::vector<PartialSeriesStats*>& used, int n_threads) {
  const auto n_series = static_cast<std::int64_t>(total.n_series);
#ifdef WAGER_HAVE_OPENMP
#pragma omp parallel for schedule(static) num_threads(n_threads) default(none) shared(total, used, n_series)
#else
  (void)n_threads;
#endif
  for (std::int64_t s = 0; s < n_series; ++s) {
    for (PartialSeriesStats* p : used) total.merge_series_from(*p, static_cast<std::size_t>(s));
  }
}

}  // namespace

StrategyOutcome empty_strategy_outcome(const SimulationConfig& c, std::size_t strategy) {
  const Model& model = c.strategies[strategy].model;
  const int n_years = model.n_years;
  StrategyOutcome o;
  o.n_years = n_years;
  o.series = SeriesStats(series_count(c), c.histogram.n_bins, BinRange::tracked);
  o.default_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
  o.first_profit_year.assign(static_cast<std::size_t>(n_years) + 1, 0);
  o.distress.reset(n_years, n_claimants(counterparty_names(model).size()));
  o.exposure.reset(n_years, exposure_bounds(c.strategies[strategy]));
  o.investors.reset(model);
  o.lenders.reset(n_years, lender_bounds(c.strategies[strategy]), Claimant::facility);
  if (c.keep_paths) {
    const auto n_paths = static_cast<std::size_t>(c.n_paths);
    const auto cells = n_paths * static_cast<std::size_t>(n_years);
    o.kept.assign(n_kept_vars, std::vector<double>(cells, 0.0));
    o.kept_default_year.assign(n_paths, -1);
    o.kept_first_profit_year.assign(n_paths, -1);
    o.kept_outcomes.assign(n_outcomes, std::vector<double>(n_paths, 0.0));
  }
  return o;
}

PairOutcome empty_pair_outcome(const SimulationConfig& c, int a, int b, const std::vector<StrategyOutcome>& totals) {
  const int n_years = c.strategies.front().model.n_years;
  const auto ny = static_cast<std::size_t>(n_years);
  PairOutcome p;
  p.a = a;
  p.b = b;
  p.n_years = n_years;
  p.diff = SeriesStats(series_count(c), c.histogram.n_bins, BinRange::tracked);
  p.joint_default.assign(4 * ny, 0);
  p.joint_profit.assign(4 * ny, 0);
  p.overtake.assign(2 * (ny + 1), 0);
  const auto& sa = c.strategies[static_cast<std::size_t>(a)];
  const auto& sb = c.strategies[static_cast<std::size_t>(b)];
  p.joint_loss.reset(counterparty_names(sa.model), totals[static_cast<std::size_t>(a)].exposure.bound,
                     counterparty_names(sb.model), totals[static_cast<std::size_t>(b)].exposure.bound);
  return p;
}

void merge_strategy_partials(std::vector<std::unique_ptr<ThreadScratch>>& scratch,
                             std::vector<StrategyOutcome>& totals, int n_threads) {
  for (std::size_t si = 0; si < totals.size(); ++si) {
    StrategyOutcome& total = totals[si];
    std::vector<PartialSeriesStats*> used;
    for (auto& sc : scratch) {
      if (!sc) continue;  // a thread that ran no chunk
      PartialOutcome& p = sc->strategies[si].partial;
      if (p.n_paths == 0) continue;
      p.merge_counts_into(total);
      used.push_back(&p.series);
    }
    merge_series(total.series, used, n_threads);
  }
}

void merge_pair_partials(std::vector<std::unique_ptr<ThreadScratch>>& scratch, std::vector<PairOutcome>& totals,
                         int n_threads) {
  for (std::size_t q = 0; q < totals.size(); ++q) {
    PairOutcome& total = totals[q];
    std::vector<PartialSeriesStats*> used;
    for (auto& sc : scratch) {
      if (!sc) continue;
      PartialPair& p = sc->pairs[q];
      if (p.n_paths == 0) continue;
      p.merge_counts_into(total);
      used.push_back(&p.diff);
    }
    merge_series(total.diff, used, n_threads);
  }
}

}  // namespace wager::detail
