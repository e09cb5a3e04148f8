// The recorder of a simulation: per-year and per-path statistics of a block
// (fixed point and bins for all lanes at once), kept values and chunk records.
#include "path_recorder.hpp"

#include <array>
#include <cmath>

#include "lane_loop.hpp"
#include "lane_statistics.hpp"
#include "wager/math/elementary.hpp"

namespace wager::detail {

namespace {

// One value per lane into series `series`: fixed-point values and bins
// computed for all lanes at once, then added lane by lane (docs/model.md §21).
template <int N>
void add_lanes(PartialSeriesStats& stats, std::size_t series, const LaneOf<N>& x, const HistogramSpec& spec,
               std::size_t active) {
  constexpr auto LN = static_cast<std::size_t>(N);
  std::array<std::int64_t, LN> fixed, bin;
  std::array<bool, LN> finite;
  fixed_and_bins(x, spec, fixed, bin);
  // x - x is 0 exactly for a finite x and NaN otherwise: std::isfinite's
  // answer, in a form that vectorises.
  WAGER_FOR_LANES(l, LN) finite[l] = x[l] - x[l] == 0.0;
  stats.add_prepared(series, fixed.data(), bin.data(), finite.data(), active);
}

// With pairs: what the path gave, by its place in the chunk.
void record_chunk(const RunContext& ctx, StrategyScratch& ps, const YearValues* years, const Events& e,
                  const double (&outcomes)[n_outcomes], std::int64_t rel) {
  const int n_years = ctx.n_years;
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

// With pairs: each supplier's loss at the path's distress (0 without one),
// by its place in the chunk.
void record_losses(StrategyScratch& ps, const DistressResult& r, std::int64_t rel) {
  double* row = ps.chunk.loss_row(static_cast<std::size_t>(rel - ps.chunk_lo));
  const std::size_t n = ps.chunk.n_counterparties;
  const auto first = static_cast<std::size_t>(Claimant::first_counterparty);
  const bool lost = r.kind != ResolutionKind::none && r.claimant_claims.size() >= first + n;
  for (std::size_t c = 0; c < n; ++c) {
    row[c] = lost ? r.claimant_claims[first + c] - r.claimant_recovered[first + c] : 0.0;
  }
}

// docs/model.md §28 (investors): each tranche's stake at the horizon, its
// holders' share after its step diluted by every later round alike, valued
// at the terminal equity value, or at a distress at the equity's recovery.
template <int N>
void record_investors(StrategyScratch& ps, const LaneStateT<N>& s, double terminal_value, double terminal_dcf,
                      std::size_t l) {
  const PreparedModel& pm = *ps.prepared;
  const DistressResult& r = s.distress[l];
  const bool distressed = r.kind != ResolutionKind::none;
  const double equity = distressed ? r.equity : terminal_value;
  const double equity_dcf = distressed ? r.equity : terminal_dcf;
  const double today = math::exp(distressed ? r.log_discount : s.log_discount[l]);
  const double own_now = s.ownership[l];
  for (std::size_t t = 0; t < ps.partial.investors.n_tranches; ++t) {
    const auto g = static_cast<std::size_t>(pm.tranche_group[t]);
    const double w = pm.tranche_group_weight[t];
    const double before = s.tranche_own_before[g][l], after = s.tranche_own_after[g][l];
    // The new shares of its step: 1 - after / before of the company, split by planned amounts.
    const double bought = before > 0.0 ? (1.0 - after / before) * w : 0.0;
    const double stake = after > 0.0 ? bought * own_now / after : 0.0;
    ps.partial.investors.add(t, s.tranche_paid[g][l] * w, stake, equity, equity_dcf, today);
  }
}

// With keep_paths: the path's values into its own cells of the totals.
void record_kept(const RunContext& ctx, std::size_t si, const YearValues* years, const Events& e,
                 const double (&outcomes)[n_outcomes], std::int64_t rel) {
  const int n_years = ctx.n_years;
  StrategyOutcome& tot = ctx.totals[si];
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
}

// One path's event counts, and its records when asked. (The outcomes'
// statistics are added per block.)
void record_path(const RunContext& ctx, StrategyScratch& ps, std::size_t si, const YearValues* years,
                 const Events& e, const double (&outcomes)[n_outcomes], std::int64_t rel) {
  PartialOutcome& out = ps.partial;
  ++out.n_paths;
  const int start = ctx.start_year;
  const int n_years = ctx.n_years;
  ++out.default_year[static_cast<std::size_t>(e.default_year ? *e.default_year - start : n_years)];
  ++out.first_profit_year[static_cast<std::size_t>(e.first_profit_year ? *e.first_profit_year - start : n_years)];
  if (!ctx.config.pairs.empty()) record_chunk(ctx, ps, years, e, outcomes, rel);
  if (ctx.config.keep_paths) record_kept(ctx, si, years, e, outcomes, rel);
}

}  // namespace

template <int N>
void record_year(const RunContext& ctx, StrategyScratch& ps, int y, const YearAccumulatorT<N>& acc,
                 const LaneFlowsT<N>& flows, std::size_t active) {
  const int n_years = ctx.n_years;
  const YearSumsT<N>& sums = acc.sums();
  const auto& v = flows.vars;
  const auto stock = [&v](Var x) -> const LaneOf<N>& { return v[static_cast<std::size_t>(x)]; };
  // docs/model.md §12 (annual aggregation): flows summed, stocks at year end.
  // The per-path records are read only by pairs and keep_paths.
  const bool keep_years = !ctx.config.pairs.empty() || ctx.config.keep_paths;
  for (std::size_t l = 0; keep_years && l < active; ++l) {
    YearValues& yv = ps.years[l * static_cast<std::size_t>(n_years) + static_cast<std::size_t>(y)];
    yv.revenue = sums.revenue[l];
    yv.operating_income = sums.income[l];
    yv.free_cash_flow = sums.fcf[l];
    yv.cash = stock(Var::cash)[l];
    yv.debt = stock(Var::debt)[l];
    yv.ownership = stock(Var::ownership_retained)[l];
    yv.regime = stock(Var::regime)[l];
    yv.utilisation = acc.utilisation(l);
  }
  const LaneOf<N>* stat_values[n_stat_vars] = {&sums.revenue, &sums.income, &sums.fcf, &stock(Var::cash)};
  for (int sv = 0; sv < n_stat_vars; ++sv) {
    add_lanes<N>(ps.partial.series, static_cast<std::size_t>(sv * n_years + y), *stat_values[sv],
                 ctx.config.histogram, active);
  }
}

template <int N>
void record_paths(const RunContext& ctx, StrategyScratch& ps, std::size_t si, const YearAccumulatorT<N>& acc,
                  const LaneStateT<N>& state, const LaneFlowsT<N>& flows, const LaneOf<N>& cumulative_fcf,
                  std::size_t active,
                  std::int64_t rel0) {
  // docs/model.md §21 (per-path outcomes): the sum of the years' free cash
  // flows, peak funding need and the terminal equity value by the multiple
  // and by a discounted cash flow (as in §13).
  LaneOf<N> outcome[n_outcomes];
  outcome[0] = cumulative_fcf;
  outcome[1] = state.peak_funding_need;
  acc.terminal_equity_values(state, outcome[2]);
  acc.terminal_dcf_values(state, flows.vars[static_cast<std::size_t>(Var::regime)], ps.model, outcome[3]);
  // §13: both discounted to the start along the path's regimes.
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    const double today = math::exp(state.log_discount[l]);
    outcome[4][l] = outcome[2][l] * today;
    outcome[5][l] = outcome[3][l] * today;
  }
  for (int o = 0; o < n_outcomes; ++o) {
    add_lanes<N>(ps.partial.series, static_cast<std::size_t>(n_stat_vars * ctx.n_years + o), outcome[o],
                 ctx.config.histogram, active);
  }
  for (std::size_t l = 0; l < active; ++l) {
    Events e;
    e.first_profit_year = acc.first_profit_year(l);
    // docs/model.md §13 (default_year): the year of the defaulting step.
    if (state.defaulted[l] != 0.0) {
      e.default_year = ctx.start_year + static_cast<int>(state.default_step[l]) / ctx.steps_per_year;
    }
    // docs/model.md §27: how its distress was resolved.
    if (state.distress[l].kind != ResolutionKind::none) {
      ps.partial.distress.add(state.distress[l], ctx.n_years, ctx.steps_per_year);
      if (ps.exposure_on) ps.partial.exposure.add_distress(state.distress[l], ctx.steps_per_year);  // §28
      if (ps.lenders_on) ps.partial.lenders.add_distress(state.distress[l], ctx.steps_per_year);
    }
    if (ps.partial.investors.n_tranches > 0) record_investors(ps, state, outcome[2][l], outcome[3][l], l);  // §28
    if (ps.exposure_on && !ctx.config.pairs.empty()) {
      record_losses(ps, state.distress[l], rel0 + static_cast<std::int64_t>(l));  // §28, the joint view
    }
    e.peak_funding_need = outcome[1][l];
    e.terminal_equity_value = outcome[2][l];
    e.terminal_dcf_value = outcome[3][l];
    e.terminal_equity_value_today = outcome[4][l];
    e.terminal_dcf_value_today = outcome[5][l];
    double path_outcomes[n_outcomes];
    for (int o = 0; o < n_outcomes; ++o) path_outcomes[o] = outcome[o][l];
    record_path(ctx, ps, si, &ps.years[l * static_cast<std::size_t>(ctx.n_years)], e, path_outcomes,
                rel0 + static_cast<std::int64_t>(l));
  }
}

template void record_year<1>(const RunContext&, StrategyScratch&, int, const YearAccumulatorT<1>&,
                             const LaneFlowsT<1>&, std::size_t);
template void record_year<lanes>(const RunContext&, StrategyScratch&, int, const YearAccumulatorT<lanes>&,
                                 const LaneFlowsT<lanes>&, std::size_t);
template void record_paths<1>(const RunContext&, StrategyScratch&, std::size_t, const YearAccumulatorT<1>&,
                              const LaneStateT<1>&, const LaneFlowsT<1>&, const LaneOf<1>&, std::size_t,
                                     std::int64_t);
template void record_paths<lanes>(const RunContext&, StrategyScratch&, std::size_t, const YearAccumulatorT<lanes>&,
                                  const LaneStateT<lanes>&, const LaneFlowsT<lanes>&, const LaneOf<lanes>&,
                                  std::size_t, std::int64_t);

}  // namespace wager::detail
