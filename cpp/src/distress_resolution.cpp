// docs/model.md §27 (distress and its resolution).
#include "distress_resolution.hpp"

#include <algorithm>
#include <cmath>

namespace wager {

void DistressOutcome::reset(int n_years, int n_claimants) {
  const auto cells = static_cast<std::size_t>(n_years) + 1;
  reorganisation_year.assign(cells, 0);
  liquidation_year.assign(cells, 0);
  wipeout_year.assign(cells, 0);
  sums = SeriesStats(n_distress_series, 1);
  claimants = SeriesStats(3 * static_cast<std::size_t>(n_claimants), 1);
  by_year = SeriesStats(3 * static_cast<std::size_t>(n_claim_classes) * static_cast<std::size_t>(n_years), 1);
}

void DistressOutcome::merge(const DistressOutcome& o) {
  for (std::size_t i = 0; i < reorganisation_year.size(); ++i) {
    reorganisation_year[i] += o.reorganisation_year[i];
    liquidation_year[i] += o.liquidation_year[i];
    wipeout_year[i] += o.wipeout_year[i];
  }
  sums.merge(o.sums);
  claimants.merge(o.claimants);
  by_year.merge(o.by_year);
}

namespace {
// A claim, its recovery and their sum (whose variance gives the two's
// covariance), into series first, first + 1 and first + 2 of `stats`.
void add_claim(SeriesStats& stats, std::size_t first, double claim, double recovered) {
  const std::int64_t x = to_fixed(claim), y = to_fixed(recovered);
  stats.add_prepared(first, x, 0);
  stats.add_prepared(first + 1, y, 0);
  const int128 both = int128{x} + y;
  stats.sum[first + 2] += both;
  stats.sum_squares[first + 2] += both * both;
  ++stats.histogram[first + 2];
}
}  // namespace

void DistressOutcome::add(const DistressResult& r, int n_years, int steps_per_year) {
  const int year = r.resolution_step / steps_per_year;
  const auto cell = static_cast<std::size_t>(year < n_years ? year : n_years);
  const auto never = static_cast<std::size_t>(n_years);
  ++(r.kind == ResolutionKind::reorganised ? reorganisation_year : liquidation_year)[cell];
  ++wipeout_year[r.equity > 0.0 ? never : cell];
  const auto put = [this](int series, double v) {
    sums.add_prepared(static_cast<std::size_t>(series), to_fixed(v), 0);
  };
  // The year the distress began: its claims are valued at that step.
  const int began = std::min(std::max(r.distress_step, 0) / steps_per_year, n_years - 1);
  for (int c = 0; c < n_claim_classes; ++c) {
    const auto first = static_cast<std::size_t>(distress_claim_series(static_cast<ClaimClass>(c)));
    add_claim(sums, first, r.claims[c], r.recovered[c]);
    add_claim(by_year, static_cast<std::size_t>(3 * (began * n_claim_classes + c)), r.claims[c], r.recovered[c]);
  }
  for (std::size_t i = 0; i < r.claimant_claims.size(); ++i) {
    add_claim(claimants, 3 * i, r.claimant_claims[i], r.claimant_recovered[i]);
  }
  put(static_cast<int>(DistressSeries::equity), r.equity);
  put(static_cast<int>(DistressSeries::going_concern_value), r.going_concern_value);
  put(static_cast<int>(DistressSeries::liquidation_value), r.liquidation_value);
  put(static_cast<int>(DistressSeries::cost), r.cost);
}

}  // namespace wager

namespace wager::detail {

int resolution_steps(const DistressResolution& rule, double dt) {
  // A duration within 1e-9 of a whole number of steps is that number.
  return static_cast<int>(std::ceil(rule.duration / dt - 1e-9));
}

namespace {

// The payments of `pm` after step k by supplier, summed backward from the
// last step: within a year, each run of steps with equal shares (latest
// step first) is added to `out` as its sum times the shares, and a run
// ends at each year's first step. `out` is then due_after(t - 1) at each
// year start t: `at_year_start(t, out)` sees it. One pass gives every
// year's end (due_after_year_ends) to the bits of due_after.
template <class AtYearStart>
void walk_due(const PreparedModel& pm, int k, double* out, AtYearStart&& at_year_start) {
  const std::size_t n = pm.n_counterparties;
  const double* pay = &pm.step_values[static_cast<std::size_t>(pm.global_field(GlobalField::commitments)) *
                                      static_cast<std::size_t>(pm.n_steps)];
  std::fill(out, out + n, 0.0);
  double run = 0.0;
  const double* share = nullptr;
  const auto flush = [&] {
    for (std::size_t c = 0; c < n; ++c) out[c] += run * share[c];
    run = 0.0;
    share = nullptr;
  };
  for (int t = pm.n_steps - 1; t > k; --t) {
    const double* here = pm.share_at(t);
    if (share != nullptr && !pm.counterparty_share_yearly && !std::equal(here, here + n, share)) flush();
    share = here;
    run += pay[t] * pm.dt;
    if (t % pm.spy == 0) {
      flush();
      at_year_start(t, out);
    }
  }
  if (share != nullptr) flush();
}

}  // namespace

// docs/model.md §27, 1.: O(steps x suppliers).
void due_after(const PreparedModel& pm, int k, double* out) {
  walk_due(pm, k, out, [](int, const double*) {});
}

void due_after_year_ends(const PreparedModel& pm, double* out) {
  const std::size_t n = pm.n_counterparties;
  const int n_years = (pm.n_steps + pm.spy - 1) / pm.spy;
  // The walk sums into the last year's row (nothing is due after its end),
  // copied at each year start into the row of the year before.
  double* sums = out + static_cast<std::size_t>(n_years - 1) * n;
  walk_due(pm, -1, sums, [&](int t, const double* due) {
    if (t > 0) std::copy_n(due, n, out + static_cast<std::size_t>(t / pm.spy - 1) * n);
  });
  // A year whose end is the last step (or past it) owes nothing after it.
  for (int y = 0; y < n_years; ++y) {
    if ((y + 1) * pm.spy >= pm.n_steps) std::fill(out + static_cast<std::size_t>(y) * n, out + (static_cast<std::size_t>(y) + 1) * n, 0.0);
  }
}

std::vector<double> counterparty_after(const PreparedModel& pm) {
  const std::size_t n = pm.n_counterparties;
  std::vector<double> after(static_cast<std::size_t>(pm.n_steps) * n, 0.0);
  for (int k = 0; k < pm.n_steps; ++k) due_after(pm, k, &after[static_cast<std::size_t>(k) * n]);
  return after;
}

void counterparty_commitments(DistressInputs& in, const PreparedModel& pm, const double* after, int k,
                              double owed_share, double kept) {
  const std::size_t n = pm.n_counterparties;
  in.counterparty_remaining.resize(n);
  double* later = in.counterparty_remaining.data();
  if (after != nullptr) {
    std::copy_n(after + static_cast<std::size_t>(k) * n, n, later);
  } else {
    due_after(pm, k, later);
  }
  counterparty_commitments_from(in, pm, later, k, owed_share, kept);
}

void supplier_remaining(const PreparedModel& pm, const double* later_due, int k, double owed_share, double kept,
                        double* out) {
  const std::size_t n = pm.n_counterparties;
  for (std::size_t c = 0; c < n; ++c) out[c] = later_due[c] * owed_share;
  if (kept > 0.0 && pm.failure_counterparty >= 0) {
    // The failed supplier's estate kept its contract (docs/model.md §5): its
    // payments are still due to it.
    out[static_cast<std::size_t>(pm.failure_counterparty)] +=
        kept * pm.at_risk_after[static_cast<std::size_t>(k)] * owed_share;
  }
}

void counterparty_commitments_from(DistressInputs& in, const PreparedModel& pm, const double* later_due, int k,
                                   double owed_share, double kept) {
  const std::size_t n = pm.n_counterparties;
  in.counterparty_remaining.resize(n);
  in.counterparty_rate.resize(n);
  supplier_remaining(pm, later_due, k, owed_share, kept, in.counterparty_remaining.data());
  const auto ku = static_cast<std::size_t>(k);
  const double now = pm.at(pm.global_field(GlobalField::commitments), k);
  const double* share = pm.share_at(k);
  for (std::size_t c = 0; c < n; ++c) in.counterparty_rate[c] = now * share[c] * owed_share;
  if (kept > 0.0 && pm.failure_counterparty >= 0) {
    const auto c = static_cast<std::size_t>(pm.failure_counterparty);
    in.counterparty_rate[c] += kept * pm.commit_at_risk[ku] / pm.dt * owed_share;
  }
}

namespace {
// s.502(b)(6): the payments of the greater of one year and 15% of the
// remaining term, at most three years (payments stand in for the term).
double capped_claim(double remaining, double rate) {
  const double r = std::max(rate, 0.0);
  return std::min(remaining, std::min(std::max(r, 0.15 * remaining), 3.0 * r));
}
}  // namespace

DistressResult resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step,
                                int steps) {
  DistressResult r;
  resolve_distress(in, rule, distress_step, steps, r);
  return r;
}

void resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step, int steps,
                      DistressResult& r) {
  r.distress_step = distress_step;
  r.resolution_step = distress_step + steps;
  auto& claims = r.claims;
  const auto at = [](ClaimClass c) { return static_cast<std::size_t>(c); };
  // Claims (§27, 1.).
  const double secured = in.facility_secured ? std::max(std::min(in.facility_drawn, in.debt), 0.0) : 0.0;
  claims[at(ClaimClass::secured)] = secured;
  claims[at(ClaimClass::unsecured_debt)] = std::max(in.debt - secured, 0.0);
  double contracts = std::max(in.commitments_remaining, 0.0);
  if (rule.cap_rejection) contracts = capped_claim(contracts, in.commitment_rate);
  // Each counterparty's claim (§27, 1.); capped, each contract by itself.
  const std::size_t n_cp = in.counterparty_remaining.size();
  r.claimant_claims.assign(static_cast<std::size_t>(n_claimants(n_cp)), 0.0);
  auto& by = r.claimant_claims;
  const auto first_cp = static_cast<std::size_t>(Claimant::first_counterparty);
  for (std::size_t c = 0; c < n_cp; ++c) {
    const double owed = std::max(in.counterparty_remaining[c], 0.0);
    by[first_cp + c] = rule.cap_rejection ? capped_claim(owed, in.counterparty_rate[c]) : owed;
  }
  if (rule.cap_rejection && n_cp > 0) {
    contracts = 0.0;
    for (std::size_t c = 0; c < n_cp; ++c) contracts += by[first_cp + c];
  }
  const double facility = std::min(std::max(in.facility_drawn, 0.0), std::max(in.debt, 0.0));
  by[static_cast<std::size_t>(Claimant::facility)] = facility;
  by[static_cast<std::size_t>(Claimant::term_debt)] = std::max(in.debt - facility, 0.0);
  claims[at(ClaimClass::contracts)] = contracts;
  claims[at(ClaimClass::trade)] = std::max(-in.cash, 0.0) + std::max(in.payable, 0.0);
  // Values (§27, 2.): a growing perpetuity of the going concern's cash flow;
  // owned capacity sold at a fraction of its market value.
  const double g = rule.terminal_growth;
  r.going_concern_value = std::max(in.going_concern_flow, 0.0) * (1.0 + g) / (in.discount_rate - g);
  r.liquidation_value = std::max(in.owned_book, 0.0) * in.spot_price * rule.asset_sale_fraction;
  // The decision (§27, 3.): the larger value, reorganisation on a tie.
  const bool reorganise = r.going_concern_value > 0.0 && r.going_concern_value >= r.liquidation_value;
  r.kind = reorganise ? ResolutionKind::reorganised : ResolutionKind::liquidated;
  // Cash left (distress from a covenant breach) belongs to the estate too.
  const double value = (reorganise ? r.going_concern_value : r.liquidation_value) + std::max(in.cash, 0.0);
  r.cost = value * rule.cost;
  double left = value - r.cost;
  // Priority (§27, 4.): secured first, then the unsecured classes pro rata, then equity.
  r.recovered[at(ClaimClass::secured)] = std::min(left, secured);
  left -= r.recovered[at(ClaimClass::secured)];
  const double pool = claims[at(ClaimClass::unsecured_debt)] + contracts + claims[at(ClaimClass::trade)];
  const double paid = std::min(left, pool);
  const double share = pool > 0.0 ? paid / pool : 0.0;
  for (ClaimClass c : {ClaimClass::unsecured_debt, ClaimClass::contracts, ClaimClass::trade}) {
    r.recovered[at(c)] = claims[at(c)] * share;
  }
  r.equity = left - paid;
  // Each claimant: the secured facility its class's recovery, the others their pro-rata share.
  r.claimant_recovered.resize(by.size());
  for (std::size_t i = 0; i < by.size(); ++i) r.claimant_recovered[i] = by[i] * share;
  if (secured > 0.0) r.claimant_recovered[static_cast<std::size_t>(Claimant::facility)] = r.recovered[at(ClaimClass::secured)];
}

}  // namespace wager::detail
