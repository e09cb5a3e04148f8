// Shock profiles and severity 0.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "fixtures.hpp"
#include "wager/projection.hpp"
#include "wager/require.hpp"
#include "wager/shock.hpp"

TEST_CASE("shock profiles follow their formulas") {
  wager::Shock s;
  s.duration = 2.0;
  CHECK(wager::shock_profile(s, 1.0, 0.9) == 0.0);
  CHECK(wager::shock_profile(s, 1.0, 1.1) == 1.0);
  CHECK(wager::shock_profile(s, 1.0, 3.0) == 0.0);
  s.shape = wager::ShockShape::ramp;
  s.ramp = 0.5;
  CHECK(wager::shock_profile(s, 1.0, 1.25) == doctest::Approx(0.5));
  CHECK(wager::shock_profile(s, 1.0, 2.0) == 1.0);
  s.shape = wager::ShockShape::recovery;
  s.half_life = 0.5;
  s.duration = std::numeric_limits<double>::infinity();
  CHECK(wager::shock_profile(s, 0.0, 1.0) == doctest::Approx(0.25));
}

TEST_CASE("severity 0 gives the unshocked projection bit for bit; severity 1 moves the target") {
  wager::ProjectionConfig base;
  base.model = wager::test::company();
  wager::ProjectionConfig shocked = base;
  wager::Shock s;
  s.field = "training";
  s.op = wager::ShockOp::scale;
  s.value = 0.5;
  s.severity = 0.0;
  shocked.shocks = {s};
  const auto a = wager::project(base), b = wager::project(shocked);
  CHECK(a.annual.values == b.annual.values);
  shocked.shocks.front().severity = 1.0;
  const auto c = wager::project(shocked);
  CHECK(c.annual.at(wager::Var::training_compute, 0) ==
        doctest::Approx(0.5 * a.annual.at(wager::Var::training_compute, 0)).epsilon(1e-14));
  shocked.shocks.front().field = "no_such_field";
  CHECK_THROWS_AS(wager::project(shocked), wager::InputError);
}
