// Results with NaN or infinity are an error, never silent zeros (issue 20):
// the readers of the statistics refuse a series that counted them unless told
// to leave them out; a simulation refuses them unless allowed; a projection's
// require_finite names where. And distributions cannot be sampled unprepared,
// while a simulation prepares its inputs itself, to the same bits.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "fixtures.hpp"
#include "wager/projection.hpp"
#include "wager/random/distributions.hpp"
#include "wager/require.hpp"
#include "wager/simulation.hpp"
#include "wager/summary.hpp"

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// A valid model whose valuation overflows: 1.7e308 times a revenue > 1 is infinite.
wager::Model overflowing() {
  wager::Model m = wager::test::company();
  for (wager::Regime& r : m.regimes) r.valuation_multiple = 1.7e308;
  return m;
}

}  // namespace

TEST_CASE("non-finite: mean_and_se and quantile refuse a series with NaN, or leave it out when told") {
  const wager::HistogramSpec spec;
  wager::SeriesStats stats(2, spec.n_bins);
  for (double v : {1.0, 2.0, not_a_number, 3.0}) stats.add(0, v, spec);
  for (double v : {1.0, 2.0, 3.0, 4.0}) stats.add(1, v, spec);
  CHECK(stats.non_finite[0] == 1);
  CHECK_THROWS_AS(wager::mean_and_se(stats, 0, 4), wager::NonFiniteError);
  CHECK_THROWS_AS(wager::quantile(stats, 0, 0.5, spec), wager::NonFiniteError);
  // The finite paths 1, 2, 3: mean 2, sample sd 1, standard error 1 / sqrt(3).
  const wager::MeanSe finite = wager::mean_and_se(stats, 0, 4, wager::NonFinite::exclude);
  CHECK(finite.mean == 2.0);
  CHECK(finite.se == doctest::Approx(1.0 / std::sqrt(3.0)).epsilon(1e-12));
  CHECK(wager::quantile(stats, 0, 0.5, spec, wager::NonFinite::exclude) == doctest::Approx(2.0).epsilon(3e-3));
  // A series without them reads as before: 1..4, mean 2.5, se sqrt(5/3) / 2.
  const wager::MeanSe clean = wager::mean_and_se(stats, 1, 4);
  CHECK(clean.mean == 2.5);
  CHECK(clean.se == doctest::Approx(std::sqrt(5.0 / 3.0) / 2.0).epsilon(1e-12));
  CHECK(std::isnan(wager::mean_and_se(stats, 1, 0).mean));  // no path: no mean, not 0
}

TEST_CASE("non-finite: a simulation whose values overflow is refused, naming where, unless allowed") {
  wager::SimulationConfig c;
  wager::Strategy s;
  s.model = overflowing();
  c.strategies.push_back(s);
  c.world = wager::test::world_for(s.model);
  c.seed = 5;
  c.n_paths = 64;
  try {
    wager::simulate(c);
    FAIL("no NonFiniteError");
  } catch (const wager::NonFiniteError& e) {
    const std::string what = e.what();
    CHECK(what.rfind("strategies[0]: non-finite values (NaN or infinity) appeared in ", 0) == 0);
    CHECK(what.find("terminal_equity_value (") != std::string::npos);
    CHECK(what.find("6 years simulated") != std::string::npos);
  }
  c.allow_non_finite = true;
  const wager::StrategyOutcome o = wager::simulate(c).strategies.front();
  const auto tev = wager::series_index(wager::Outcome::terminal_equity_value, o.n_years);
  CHECK(o.series.non_finite[tev] > 0);
  CHECK_THROWS_AS(wager::mean_and_se(o.series, tev, o.n_paths), wager::NonFiniteError);
  const auto cash = wager::series_index(wager::StatVar::cash, 0, o.n_years);
  CHECK(o.series.non_finite[cash] == 0);
  CHECK(std::isfinite(wager::mean_and_se(o.series, cash, o.n_paths).mean));
}

TEST_CASE("non-finite: require_finite names a projection's values that overflowed") {
  wager::ProjectionConfig p;
  p.model = overflowing();
  const wager::Projection out = wager::project(p);  // returned as computed
  CHECK(std::isinf(out.annual.at(wager::Var::valuation, 0)));
  try {
    wager::require_finite(out);
    FAIL("no NonFiniteError");
  } catch (const wager::NonFiniteError& e) {
    CHECK(std::string(e.what()).rfind("projection: values that are not finite numbers in valuation 2025", 0) == 0);
  }
  p.model = wager::test::company();
  CHECK_NOTHROW(wager::require_finite(wager::project(p)));
}

TEST_CASE("distributions: unprepared ones cannot be sampled; make_distribution prepares") {
  using wager::random::DistKind;
  wager::random::Distribution d;
  d.kind = DistKind::pert;
  d.a = 0.05;
  d.b = 0.4;
  d.c = 0.2;
  CHECK_FALSE(wager::random::is_prepared(d));
  CHECK_THROWS_AS(wager::random::quantile_from_normal(d, 0.3), wager::InputError);
  CHECK_THROWS_AS(wager::random::exact_quantile_from_normal(d, 0.3), wager::InputError);
  double x = 0.3;
  CHECK_THROWS_AS(wager::random::quantiles_from_normals(d, &x, 1), wager::InputError);
  const auto made = wager::random::make_distribution(DistKind::pert, 0.05, 0.4, 0.2);
  CHECK(wager::random::is_prepared(made));
  wager::random::prepare(d, "d");
  CHECK(wager::random::quantile_from_normal(d, 0.3) == wager::random::quantile_from_normal(made, 0.3));
  d.b = 0.5;  // changed since: no longer prepared for its parameters
  CHECK_FALSE(wager::random::is_prepared(d));
  CHECK_THROWS_AS(wager::random::quantile_from_normal(d, 0.3), wager::InputError);
  CHECK_THROWS_AS(wager::random::make_distribution(DistKind::uniform, 1.0, 0.0), wager::InputError);
}

TEST_CASE("distributions: a simulation prepares its inputs itself, to the bits of prepared ones") {
  wager::SimulationConfig c;
  wager::Strategy s;
  s.model = wager::test::company();
  wager::UncertainInput in;
  in.name = "financing.initial_cash";
  in.distribution.kind = wager::random::DistKind::pert;
  in.distribution.a = 3.0;
  in.distribution.b = 9.0;
  in.distribution.c = 6.0;
  in.central = s.model.initial_cash;
  in.targets = {0};  // segments[0].revenue[0]: any parameter will do
  in.weights = {0.1};
  s.inputs = {in};
  c.strategies.push_back(s);
  c.world = wager::test::world_for(s.model);
  c.seed = 9;
  c.n_paths = 256;
  wager::SimulationConfig prepared = c;
  wager::random::prepare(prepared.strategies[0].inputs[0].distribution, in.name);
  const auto a = wager::simulate(c).strategies.front();
  const auto b = wager::simulate(prepared).strategies.front();
  CHECK(a.series.sum == b.series.sum);
  CHECK(a.series.histogram == b.series.histogram);
}
