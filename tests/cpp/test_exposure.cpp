// The suppliers' exposure and loss sums (docs/model.md §28): their bins,
// a distressed path's losses, and merges that give the same integers in any
// order and split, in a simulation for any number of threads.
#include <doctest/doctest.h>

#include <cmath>

#include "exposure_bounds.hpp"
#include "fixtures.hpp"
#include "prepared_model.hpp"
#include "wager/exposure.hpp"
#include "wager/simulation.hpp"
#include "wager/summary.hpp"
#include "wager/validation.hpp"

namespace {

wager::ExposureOutcome outcome() {
  wager::ExposureOutcome e;
  e.reset(3, {100.0, 40.0});
  return e;
}

// A distressed path: supplier 0 claims 60 and recovers 15, supplier 1 claims 8 and recovers 2.
wager::DistressResult distressed(int step, double log_discount) {
  wager::DistressResult r;
  r.kind = wager::ResolutionKind::liquidated;
  r.distress_step = step;
  r.log_discount = log_discount;
  r.claimant_claims = {0.0, 0.0, 60.0, 8.0};
  r.claimant_recovered = {0.0, 0.0, 15.0, 2.0};
  return r;
}

void same(const wager::ExposureOutcome& a, const wager::ExposureOutcome& b) {
  for (auto s : {&wager::ExposureOutcome::exposure, &wager::ExposureOutcome::loss,
                 &wager::ExposureOutcome::loss_by_year}) {
    CHECK((a.*s).sum == (b.*s).sum);
    CHECK((a.*s).sum_squares == (b.*s).sum_squares);
    CHECK((a.*s).histogram == (b.*s).histogram);
  }
}

}  // namespace

TEST_CASE("exposure: linear bins on [0, bound], zero and above the bound apart") {
  using wager::linear_bin;
  CHECK(linear_bin(0.0, 100.0, 1000) == 0);
  CHECK(linear_bin(-1.0, 100.0, 1000) == 0);
  CHECK(linear_bin(1e-9, 100.0, 1000) == 1);
  CHECK(linear_bin(0.05, 100.0, 1000) == 1);
  CHECK(linear_bin(0.15, 100.0, 1000) == 2);
  CHECK(linear_bin(99.95, 100.0, 1000) == 1000);
  CHECK(linear_bin(100.0, 100.0, 1000) == 1000);
  CHECK(linear_bin(100.01, 100.0, 1000) == 1001);
  CHECK(linear_bin(1.0, 0.0, 1000) == 1001);  // no payments: anything positive is above
}

TEST_CASE("exposure: quantiles read from the linear bins, by hand") {
  // Supplier 0 (bound 100, 1,000 bins of width 0.1): 50 paths at 0, 40 at
  // 2.55 (bin 26, (2.5, 2.6]), 10 at 250 (above the bound).
  wager::ExposureOutcome e = outcome();
  for (int i = 0; i < 50; ++i) e.add_exposure(0, 1, 0.0);
  for (int i = 0; i < 40; ++i) e.add_exposure(0, 1, 2.55);
  for (int i = 0; i < 10; ++i) e.add_exposure(0, 1, 250.0);
  const std::size_t s = 1;  // supplier 0, year 1
  // Rank 50 of 100 is the last zero; rank 70 is 20 of the 40 in bin 26:
  // 2.5 + (70 - 50) / 40 x 0.1; rank 95 is above the bound.
  CHECK(wager::linear_quantile(e.exposure, s, 0.5, 100.0) == 0.0);
  CHECK(wager::linear_quantile(e.exposure, s, 0.7, 100.0) == doctest::Approx(2.55).epsilon(1e-12));
  CHECK(std::isnan(wager::linear_quantile(e.exposure, s, 0.95, 100.0)));
  // 100 more paths at 0 that the histogram does not count: rank 180 of 200
  // is 30 of the 40 in bin 26.
  CHECK(wager::linear_quantile(e.exposure, s, 0.7, 100.0, 100) == 0.0);
  CHECK(wager::linear_quantile(e.exposure, s, 0.9, 100.0, 100) == doctest::Approx(2.575).epsilon(1e-12));
  // No path: NaN; a level outside (0, 1) is refused.
  CHECK(std::isnan(wager::linear_quantile(e.exposure, 0, 0.5, 100.0)));
  CHECK_THROWS(wager::linear_quantile(e.exposure, s, 1.0, 100.0));
}

TEST_CASE("exposure: a distressed path's losses, by year and discounted") {
  auto e = outcome();
  e.add_distress(distressed(5, -0.5), 4);  // step 5 of quarterly steps: year 1
  const auto fixed = [](double v) { return wager::int128{wager::to_fixed(v)}; };
  CHECK(e.loss.sum[0] == fixed(45.0));
  CHECK(e.loss.sum[1] == fixed(6.0));
  CHECK(e.loss.histogram[0 * (wager::exposure_bins + 2) + 451] == 1);  // 45 of 100 in 1000 bins
  // [(2 c + d) * 3 + y]
  CHECK(e.loss_by_year.sum[0 * 3 + 1] == fixed(45.0));
  CHECK(e.loss_by_year.sum[1 * 3 + 1] == fixed(45.0 * std::exp(-0.5)));
  CHECK(e.loss_by_year.sum[2 * 3 + 1] == fixed(6.0));
  CHECK(e.loss_by_year.sum[0 * 3 + 0] == 0);
  CHECK(e.loss_by_year.histogram[0 * 3 + 1] == 1);
}

TEST_CASE("exposure: merges add integers, so any order and split gives the same sums") {
  const double values[] = {0.0, 12.5, 99.99, 100.0, 150.0, 3.25, 40.0};
  auto all = outcome(), a = outcome(), b = outcome(), ba = outcome();
  for (int i = 0; i < 7; ++i) {
    auto& part = i % 2 == 0 ? a : b;
    for (std::size_t c = 0; c < 2; ++c) {
      all.add_exposure(c, i % 3, values[i]);
      part.add_exposure(c, i % 3, values[i]);
    }
    all.add_distress(distressed(i, -0.1 * i), 4);
    part.add_distress(distressed(i, -0.1 * i), 4);
  }
  ba.merge(b);
  ba.merge(a);
  a.merge(b);
  same(all, a);
  same(all, ba);
  CHECK(all.exposure.histogram[0 * (wager::exposure_bins + 2) + 0] == 1);     // 0 in year 0
  CHECK(all.exposure.histogram[1 * (wager::exposure_bins + 2) + 1001] == 1);  // 150 > 100 in year 1
  all.clear();
  same(all, outcome());
}

TEST_CASE("exposure: a simulation's sums are the same for 1 and 2 threads and a split run") {
  wager::SimulationConfig c;
  wager::Strategy s;
  s.model = wager::test::company();
  const auto ny = static_cast<std::size_t>(s.model.n_years);
  s.model.commitments.assign(ny, 0.0);
  s.model.contracts = {{"a", "A", std::vector<double>(ny, 6.0)}, {"b", "B", std::vector<double>(ny, 2.0)}};
  for (std::size_t y = 0; y < ny; ++y) s.model.commitments[y] = 8.0;
  wager::validate(s.model);
  c.strategies.push_back(s);
  c.world = wager::test::world_for(s.model);
  c.seed = 7;
  c.n_paths = 3000;
  c.n_threads = 1;
  const auto one = wager::simulate(c).strategies.front();
  REQUIRE(one.exposure.n_counterparties == 2);
  // The bounds: each supplier's payments over the horizon.
  CHECK(one.exposure.bound[0] == doctest::Approx(6.0 * static_cast<double>(ny)).epsilon(1e-12));
  CHECK(one.exposure.bound[1] == doctest::Approx(2.0 * static_cast<double>(ny)).epsilon(1e-12));
  c.n_threads = 2;
  same(one.exposure, wager::simulate(c).strategies.front().exposure);
  auto first = c, second = c;
  first.n_paths = 1100;
  second.first_path = 1100;
  second.n_paths = 1900;
  auto split = wager::simulate(first).strategies.front();
  split.merge(wager::simulate(second).strategies.front());
  same(one.exposure, split.exposure);
}
