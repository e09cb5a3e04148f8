// The resolution of a company in distress by hand (docs/model.md §27), and
// the sums a simulation keeps of its distressed paths.
#include <doctest/doctest.h>

#include "distress_resolution.hpp"
#include "fixtures.hpp"
#include "prepared_model.hpp"
#include "wager/require.hpp"

using wager::ClaimClass;
using wager::DistressResolution;
using wager::ResolutionKind;
using wager::detail::DistressInputs;
using wager::detail::resolve_distress;

namespace {
double claim(const wager::DistressResult& r, ClaimClass c) { return r.claims[static_cast<int>(c)]; }
double paid(const wager::DistressResult& r, ClaimClass c) { return r.recovered[static_cast<int>(c)]; }
}  // namespace

TEST_CASE("distress: a going concern sunk by its contracts is reorganised and its unsecured claims share") {
  DistressInputs in;
  in.cash = -130.0;
  in.commitments_remaining = 400.0;
  in.commitment_rate = 200.0;
  in.going_concern_flow = 36.0 * 0.79;
  in.discount_rate = 0.12;
  const DistressResolution rule;  // cost 16%, growth 2%, duration 0.75
  const auto r = resolve_distress(in, rule, 5, 3);
  const double gc = 36.0 * 0.79 * 1.02 / 0.10;
  CHECK(r.kind == ResolutionKind::reorganised);
  CHECK(r.going_concern_value == doctest::Approx(gc).epsilon(1e-14));
  CHECK(r.liquidation_value == 0.0);
  CHECK((r.distress_step == 5 && r.resolution_step == 8));
  CHECK(claim(r, ClaimClass::contracts) == 400.0);
  CHECK(claim(r, ClaimClass::trade) == 130.0);
  const double share = 0.84 * gc / 530.0;
  CHECK(paid(r, ClaimClass::contracts) == doctest::Approx(400.0 * share).epsilon(1e-14));
  CHECK(paid(r, ClaimClass::trade) == doctest::Approx(130.0 * share).epsilon(1e-14));
  CHECK(r.equity == 0.0);
  // The s.502(b)(6) cap: max(one year, 15% of 400) = 200, at most three years.
  DistressResolution capped;
  capped.cap_rejection = true;
  CHECK(claim(resolve_distress(in, capped, 5, 3), ClaimClass::contracts) == 200.0);
}

TEST_CASE("distress: a company worth more dead is liquidated and the secured claim is paid first") {
  DistressInputs in;
  in.facility_drawn = 15.0;
  in.facility_secured = true;
  in.debt = 35.0;
  in.cash = -25.0;
  in.going_concern_flow = -30.0;
  in.owned_book = 40.0;
  in.spot_price = 0.5;
  const auto r = resolve_distress(in, DistressResolution{}, 1, 1);
  CHECK(r.kind == ResolutionKind::liquidated);
  CHECK(r.liquidation_value == 10.0);  // 40 x 0.5 x 0.5
  CHECK(r.cost == doctest::Approx(1.6));
  CHECK(paid(r, ClaimClass::secured) == doctest::Approx(8.4));
  CHECK(paid(r, ClaimClass::unsecured_debt) == 0.0);
  CHECK(claim(r, ClaimClass::unsecured_debt) == 20.0);
  // By claimant: the facility's lenders take the secured recovery, the term lenders the rest.
  const auto facility = static_cast<std::size_t>(wager::Claimant::facility);
  const auto term = static_cast<std::size_t>(wager::Claimant::term_debt);
  CHECK(r.claimant_claims[facility] == 15.0);
  CHECK(r.claimant_recovered[facility] == doctest::Approx(8.4));
  CHECK(r.claimant_claims[term] == 20.0);
  CHECK(r.claimant_recovered[term] == 0.0);
}

TEST_CASE("distress: a simulation's sums count resolutions by year and add by integers") {
  DistressInputs in;
  in.cash = -10.0;
  in.going_concern_flow = 10.0;
  const auto kept = resolve_distress(in, DistressResolution{}, 2, 3);  // resolved at step 5: year 1 of quarters
  in.going_concern_flow = -1.0;
  const auto late = resolve_distress(in, DistressResolution{}, 40, 8);  // past an 11-year horizon
  wager::DistressOutcome a, b;
  a.reset(11, 2);
  b.reset(11, 2);
  a.add(kept, 11, 4);
  b.add(late, 11, 4);
  a.merge(b);
  CHECK(a.reorganisation_year[1] == 1);
  CHECK(a.liquidation_year[11] == 1);  // resolved after the horizon
  // Not wiped out by the horizon: the reorganised one left its owners
  // something, the other is resolved after it.
  CHECK(a.wipeout_year[11] == 2);
  CHECK(a.wipeout_year[1] == 0);
  CHECK(a.sums.histogram[0] == 2);  // two distressed paths
  const auto trade = static_cast<std::size_t>(wager::distress_claim_series(ClaimClass::trade));
  CHECK(a.sums.sum[trade] == wager::int128{20} * (1 << 24));
  // By the year the distress began: step 2 is year 0, step 40 year 10 (the
  // resolution years are 1 and past the horizon); each its trade claim of 10.
  const auto by = [](int year, ClaimClass c, int k) {
    return static_cast<std::size_t>(3 * (year * wager::n_claim_classes + static_cast<int>(c)) + k);
  };
  CHECK(a.by_year.n_series == static_cast<std::size_t>(3 * wager::n_claim_classes * 11));
  for (const int year : {0, 10}) {
    CHECK(a.by_year.sum[by(year, ClaimClass::trade, 0)] == wager::int128{10} * (1 << 24));
    CHECK(a.by_year.histogram[by(year, ClaimClass::trade, 0)] == 1);
  }
  CHECK(a.by_year.histogram[by(1, ClaimClass::trade, 0)] == 0);
  wager::int128 trade_by_year = 0;
  for (int year = 0; year < 11; ++year) trade_by_year += a.by_year.sum[by(year, ClaimClass::trade, 1)];
  CHECK(trade_by_year == a.sums.sum[trade + 1]);  // the recoveries by year add up
}

TEST_CASE("distress: each counterparty claims its own contracts, capped contract by contract") {
  DistressInputs in;
  in.cash = -50.0;
  in.commitments_remaining = 400.0;
  in.commitment_rate = 200.0;
  in.counterparty_remaining = {300.0, 100.0};
  in.counterparty_rate = {50.0, 150.0};
  in.going_concern_flow = 10.0;
  in.discount_rate = 0.12;
  const auto r = resolve_distress(in, DistressResolution{}, 0, 3);
  const auto first = static_cast<std::size_t>(wager::Claimant::first_counterparty);
  REQUIRE(r.claimant_claims.size() == first + 2);
  CHECK(r.claimant_claims[first] == 300.0);
  CHECK(r.claimant_claims[first + 1] == 100.0);
  // The pro-rata share of the unsecured pool: 0.84 x 10 x 1.02 / 0.10 over 450.
  const double share = 0.84 * 10.0 * 1.02 / 0.10 / 450.0;
  CHECK(r.claimant_recovered[first] == doctest::Approx(300.0 * share).epsilon(1e-14));
  CHECK(r.claimant_recovered[first + 1] == doctest::Approx(100.0 * share).epsilon(1e-14));
  // Capped one by one: max(50, 45) = 50 and min(100, max(150, 15)) = 100,
  // not the aggregate's max(200, 60) = 200.
  DistressResolution capped;
  capped.cap_rejection = true;
  const auto c = resolve_distress(in, capped, 0, 3);
  CHECK(c.claimant_claims[first] == 50.0);
  CHECK(c.claimant_claims[first + 1] == 100.0);
  CHECK(claim(c, ClaimClass::contracts) == 150.0);
}

TEST_CASE("distress: a counterparty's claim is its share of the commitments due after the step") {
  wager::Model m = wager::test::company(3, 4);
  m.commitments = {10.0, 20.0, 40.0};
  // Supplier A holds two contracts: its claim is their sum.
  m.contracts = {{"a1", "A", {4.0, 0.0, 10.0}}, {"b", "B", {6.0, 0.0, 30.0}}, {"a2", "A", {0.0, 20.0, 0.0}}};
  wager::validate(m);
  CHECK(wager::counterparty_names(m) == std::vector<std::string>{"A", "B"});
  const wager::detail::PreparedModel pm(m);
  REQUIRE(pm.n_counterparties == 2);
  DistressInputs in;
  // After step 2 of year 0: one quarter of year 0, then years 1 and 2; owed in full and half again.
  wager::detail::counterparty_commitments(in, pm, nullptr, 2, 1.5, 0.0);
  CHECK(in.counterparty_remaining[0] == doctest::Approx(1.5 * (4.0 / 4 + 20.0 + 10.0)).epsilon(1e-14));
  CHECK(in.counterparty_remaining[1] == doctest::Approx(1.5 * (6.0 / 4 + 0.0 + 30.0)).epsilon(1e-14));
  CHECK(in.counterparty_rate[0] == doctest::Approx(1.5 * 4.0).epsilon(1e-14));
  CHECK(in.counterparty_rate[1] == doctest::Approx(1.5 * 6.0).epsilon(1e-14));
  // The table of a shared model gives the same bits as summing at the step.
  const auto after = wager::detail::counterparty_after(pm);
  for (int k = 0; k < pm.n_steps; ++k) {
    DistressInputs a, b;
    wager::detail::counterparty_commitments(a, pm, nullptr, k, 1.25, 0.0);
    wager::detail::counterparty_commitments(b, pm, after.data(), k, 1.25, 0.0);
    CHECK(a.counterparty_remaining == b.counterparty_remaining);
    CHECK(a.counterparty_rate == b.counterparty_rate);
  }
  // Contracts that do not add up to the commitments are refused, naming the year.
  m.contracts[1].payments[2] = 31.0;
  CHECK_THROWS_WITH_AS(wager::validate(m), doctest::Contains("compute.commitments.2027"), wager::InputError);
}

namespace {
// A shock from `start` (years) on the commitments: one contract's (index) or all of them (-1).
wager::Shock commitments_shock(wager::ShockOp op, double value, double start, int contract) {
  wager::Shock s;
  s.field = "commitments";
  s.op = op;
  s.value = value;
  s.start = start;
  s.contract = contract;
  return s;
}
}  // namespace

TEST_CASE("distress: a shock on one contract moves its supplier's claim, not the others'") {
  wager::Model m = wager::test::company(3, 4);
  m.commitments = {10.0, 20.0, 40.0};
  m.contracts = {{"a", "A", {4.0, 20.0, 10.0}}, {"b", "B", {6.0, 0.0, 30.0}}};
  // Contract b cut to nothing from year 1 (an addition of -p_y, as resolve_shocks writes it).
  wager::Shock cut = commitments_shock(wager::ShockOp::add, 0.0, 1.0, 1);
  cut.value_by_year = {-6.0, -0.0, -30.0};
  const std::vector<wager::Shock> shocks = {cut};
  const wager::detail::PreparedModel pm(m, &shocks);
  DistressInputs in;
  // After step 2 of year 0: A is owed a quarter of 4, then 20 and 10; B a quarter of 6 only.
  wager::detail::counterparty_commitments(in, pm, nullptr, 2, 1.0, 0.0);
  CHECK(in.counterparty_remaining[0] == doctest::Approx(4.0 / 4 + 20.0 + 10.0).epsilon(1e-14));
  CHECK(in.counterparty_remaining[1] == doctest::Approx(6.0 / 4).epsilon(1e-14));
  // In year 2, A is the only supplier left: all of the step's payments are its.
  wager::detail::counterparty_commitments(in, pm, nullptr, 8, 1.0, 0.0);
  CHECK(in.counterparty_rate[0] == doctest::Approx(10.0).epsilon(1e-14));
  CHECK(in.counterparty_rate[1] == 0.0);
  CHECK(in.counterparty_remaining[0] == doctest::Approx(3.0 * 10.0 / 4).epsilon(1e-14));
  CHECK(in.counterparty_remaining[1] == 0.0);
  // The claims add up to the shocked commitments due after the step.
  CHECK(in.counterparty_remaining[0] + in.counterparty_remaining[1] ==
        doctest::Approx(pm.commitments_after[8]).epsilon(1e-14));
}

TEST_CASE("distress: a shock on the commitments as a whole moves each supplier's claim in proportion") {
  wager::Model m = wager::test::company(3, 4);
  m.commitments = {10.0, 20.0, 40.0};
  m.contracts = {{"a", "A", {4.0, 20.0, 10.0}}, {"b", "B", {6.0, 0.0, 30.0}}};
  const std::vector<wager::Shock> shocks = {commitments_shock(wager::ShockOp::scale, 0.5, 0.0, -1)};
  const wager::detail::PreparedModel pm(m, &shocks);
  DistressInputs in;
  wager::detail::counterparty_commitments(in, pm, nullptr, 2, 1.0, 0.0);
  CHECK(in.counterparty_remaining[0] == doctest::Approx(0.5 * (4.0 / 4 + 20.0 + 10.0)).epsilon(1e-14));
  CHECK(in.counterparty_remaining[1] == doctest::Approx(0.5 * (6.0 / 4 + 0.0 + 30.0)).epsilon(1e-14));
  CHECK(in.counterparty_rate[1] == doctest::Approx(0.5 * 6.0).epsilon(1e-14));
}

TEST_CASE("distress: a failed supplier's contract its estate kept is still owed to it") {
  wager::Model m = wager::test::company(3, 4);
  m.commitments = {10.0, 20.0, 40.0};
  m.contracts = {{"a", "A", {4.0, 20.0, 10.0}}, {"b", "B", {6.0, 0.0, 30.0}}};
  // Supplier B fails at the start of year 1, all of its contract lost (fail 1: -p_y).
  wager::Shock fail = commitments_shock(wager::ShockOp::add, 0.0, 1.0, 1);
  fail.value_by_year = {-6.0, -0.0, -30.0};
  fail.failure = true;
  const std::vector<wager::Shock> shocks = {fail};
  const wager::detail::PreparedModel pm(m, &shocks);
  REQUIRE(pm.failure_counterparty == 1);
  CHECK(pm.at_risk_after[4] == doctest::Approx(30.0).epsilon(1e-14));  // year 2's 30, after step 4
  DistressInputs rejected, kept;
  wager::detail::counterparty_commitments(rejected, pm, nullptr, 4, 1.0, 0.0);
  wager::detail::counterparty_commitments(kept, pm, nullptr, 4, 1.0, 1.0);
  CHECK(rejected.counterparty_remaining[1] == 0.0);
  CHECK(kept.counterparty_remaining[1] == doctest::Approx(30.0).epsilon(1e-14));
  CHECK(kept.counterparty_remaining[0] == rejected.counterparty_remaining[0]);
  CHECK(kept.counterparty_rate[1] == doctest::Approx(0.0).epsilon(1e-14));  // year 1: nothing due to B
  wager::detail::counterparty_commitments(kept, pm, nullptr, 8, 1.0, 1.0);
  CHECK(kept.counterparty_rate[1] == doctest::Approx(30.0).epsilon(1e-14));
}
