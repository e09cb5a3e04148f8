// docs/model.md §27 (distress and its resolution).
#include "distress_resolution.hpp"

#include <algorithm>
#include <cmath>

namespace wager {

void DistressOutcome::reset(int n_years) {
  const auto cells = static_cast<std::size_t>(n_years) + 1;
  reorganisation_year.assign(cells, 0);
  liquidation_year.assign(cells, 0);
  wipeout_year.assign(cells, 0);
  sums = SeriesStats(n_distress_series, 1);
}

void DistressOutcome::merge(const DistressOutcome& o) {
  for (std::size_t i = 0; i < reorganisation_year.size(); ++i) {
    reorganisation_year[i] += o.reorganisation_year[i];
    liquidation_year[i] += o.liquidation_year[i];
    wipeout_year[i] += o.wipeout_year[i];
  }
  sums.merge(o.sums);
}

void DistressOutcome::add(const DistressResult& r, int n_years, int steps_per_year) {
  const int year = r.resolution_step / steps_per_year;
  const auto cell = static_cast<std::size_t>(year < n_years ? year : n_years);
  const auto never = static_cast<std::size_t>(n_years);
  ++(r.kind == ResolutionKind::reorganised ? reorganisation_year : liquidation_year)[cell];
  ++wipeout_year[r.equity > 0.0 ? never : cell];
  const auto put = [this](int series, double v) {
    sums.add_prepared(static_cast<std::size_t>(series), to_fixed(v), 0);
  };
  for (int c = 0; c < n_claim_classes; ++c) {
    const int first = distress_claim_series(static_cast<ClaimClass>(c));
    put(first, r.claims[c]);
    put(first + 1, r.recovered[c]);
    // The sum of the two fixed-point values, so that its variance is exactly theirs.
    const int128 both = int128{to_fixed(r.claims[c])} + to_fixed(r.recovered[c]);
    sums.sum[static_cast<std::size_t>(first + 2)] += both;
    sums.sum_squares[static_cast<std::size_t>(first + 2)] += both * both;
    ++sums.histogram[static_cast<std::size_t>(first + 2)];
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

DistressResult resolve_distress(const DistressInputs& in, const DistressResolution& rule, int distress_step,
                                int steps) {
  DistressResult r;
  r.distress_step = distress_step;
  r.resolution_step = distress_step + steps;
  auto& claims = r.claims;
  const auto at = [](ClaimClass c) { return static_cast<std::size_t>(c); };
  // Claims (§27, 1.).
  const double secured = std::max(std::min(in.credit_drawn, in.debt), 0.0);
  claims[at(ClaimClass::secured)] = secured;
  claims[at(ClaimClass::unsecured_debt)] = std::max(in.debt - secured, 0.0);
  double contracts = std::max(in.commitments_remaining, 0.0);
  if (rule.cap_rejection) {
    // s.502(b)(6): the payments of the greater of one year and 15% of the
    // remaining term, at most three years (payments stand in for the term).
    const double rate = std::max(in.commitment_rate, 0.0);
    contracts = std::min(contracts, std::min(std::max(rate, 0.15 * contracts), 3.0 * rate));
  }
  claims[at(ClaimClass::contracts)] = contracts;
  claims[at(ClaimClass::trade)] = std::max(-in.cash, 0.0);
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
  return r;
}

}  // namespace wager::detail
