// Spot capacity beyond the plan and a supplier's failure (docs/model.md §5),
// through the public projection API.
#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "spot_capacity.hpp"
#include "wager/projection.hpp"
#include "wager/require.hpp"
#include "wager/shock.hpp"

namespace {

double year_sum(const wager::Projection& p, wager::Var v, int year) { return p.annual.at(v, year); }

// The fixture company with all its commitments failing on 1 January 2027
// (year 2): a regime path of one regime throughout.
wager::ProjectionConfig failing(int regime) {
  wager::ProjectionConfig c;
  c.model = wager::test::company();
  c.regime_path.assign(static_cast<std::size_t>(c.model.n_steps()), regime);
  wager::Shock s;
  s.field = "commitments";
  s.op = wager::ShockOp::scale;
  s.value = 0.0;
  s.start = 2.0;
  s.failure = true;
  c.shocks = {s};
  return c;
}

}  // namespace

TEST_CASE("spot lag: the gap keeps exp(-dt/L) of itself and leaves L (1 - exp(-dt/L)) unserved") {
  const auto lag = wager::detail::spot_lag(0.2, 0.25);
  CHECK(lag.keep == doctest::Approx(std::exp(-1.25)).epsilon(1e-15));
  CHECK(lag.span == doctest::Approx(0.2 * (1.0 - std::exp(-1.25))).epsilon(1e-15));
  const auto none = wager::detail::spot_lag(0.0, 0.25);
  CHECK(none.keep == 0.0);
  CHECK(none.span == 0.0);
  double secured = 0.0;
  CHECK(wager::detail::unserved_spot(40.0, secured, lag.keep, lag.span) == doctest::Approx(40.0 * lag.span));
  CHECK(secured == doctest::Approx(40.0 * (1.0 - lag.keep)));
  // A need below what is in place is met, and the rest released.
  CHECK(wager::detail::unserved_spot(5.0, secured, lag.keep, lag.span) == 0.0);
  CHECK(secured == 5.0);
}

TEST_CASE("a supplier's failure: kept where spot is at or below the contract price, rejected above") {
  const auto plain = [](int regime) {
    wager::ProjectionConfig c = failing(regime);
    c.shocks.clear();
    return wager::project(c);
  };
  // Regime 0 (normal, spot 1): the estate keeps the contract, nothing changes.
  CHECK(wager::project(failing(0)).annual.values == plain(0).annual.values);
  // Regime 1 (bust, spot 0.25): kept too.
  CHECK(wager::project(failing(1)).annual.values == plain(1).annual.values);
  // Spot above the contract price: rejected from 2027, its capacity found at
  // the regime's lead time.
  wager::ProjectionConfig boom = failing(0);
  boom.model.regimes[0].spot_price = 1.3;
  boom.model.regimes[0].spot_lead_time = 0.75;
  const auto p = wager::project(boom);
  CHECK(year_sum(p, wager::Var::commitments_paid, 1) > 0.0);
  CHECK(year_sum(p, wager::Var::commitments_paid, 2) == 0.0);
  CHECK(year_sum(p, wager::Var::unserved_compute, 2) > 0.0);
  CHECK(year_sum(p, wager::Var::unserved_compute, 1) == 0.0);
}

TEST_CASE("a supplier's failure must be a dated shock on commitments, at most one") {
  wager::ProjectionConfig c = failing(0);
  c.shocks.front().field = "training";
  CHECK_THROWS_AS(wager::project(c), wager::InputError);
  c = failing(0);
  c.shocks.push_back(c.shocks.front());
  CHECK_THROWS_AS(wager::project(c), wager::InputError);
}
