// Shock profiles and severity 0.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

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

TEST_CASE("a shock started by another strategy's distress starts at the step after it, at or after its time") {
  // docs/model.md §25, contagion: the market learns of a distress at the end of its step.
  wager::Shock s;
  s.trigger_strategy = 1;
  const int regime[44] = {};
  int distress[2] = {-1, -1};
  const wager::PathTriggers path{regime, 1, distress};
  const double dt = 0.25;
  CHECK(wager::trigger_step(s, path, 44, dt) == -1);  // the source never in distress
  distress[1] = 3;
  CHECK(wager::trigger_step(s, path, 44, dt) == 4);
  s.trigger_after = 2.0;  // not before step 8
  CHECK(wager::trigger_step(s, path, 44, dt) == 8);
  distress[1] = 20;
  CHECK(wager::trigger_step(s, path, 44, dt) == 21);
  distress[1] = 43;  // the last step: nothing left to start
  CHECK(wager::trigger_step(s, path, 44, dt) == -1);
  distress[1] = 20;
  const std::vector<double> starts = wager::trigger_starts({s, wager::Shock{}}, path, 44, dt);
  CHECK(starts[0] == 21 * dt);
  CHECK(starts[1] == 0.0);  // no trigger: its start
  // Without the strategies' distress known (a projection), it never starts.
  CHECK(wager::trigger_step(s, regime, 1, 44, dt) == -1);
  CHECK(wager::triggered(s));
  CHECK(wager::has_distress_trigger({s}));
  CHECK_FALSE(wager::has_distress_trigger({wager::Shock{}}));
}

TEST_CASE("a regime move holds where severity x profile is at least one half") {
  wager::Shock s;
  s.field = "regime";
  s.op = wager::ShockOp::set;
  s.value = 2.0;
  s.duration = 1.0;
  CHECK(wager::moves_regime(s));
  CHECK_FALSE(wager::has_trigger({s}));  // it changes no value of the model
  using Steps = std::pair<int, int>;
  CHECK(wager::regime_move_steps(s, 0.5, 44, 0.25) == Steps{2, 6});  // steps whose middle is in [0.5, 1.5)
  CHECK(wager::regime_move_steps(s, 10.9, 44, 0.25) == Steps{44, 44});  // past the horizon's last middle
  s.severity = 0.5;
  CHECK(wager::regime_move_steps(s, 0.5, 44, 0.25) == Steps{2, 6});
  s.severity = 0.49;
  CHECK(wager::regime_move_steps(s, 0.5, 44, 0.25) == Steps{44, 44});
  s.severity = 1.0;
  s.trigger_regime = 1;
  CHECK_FALSE(wager::has_trigger({s}));
}
