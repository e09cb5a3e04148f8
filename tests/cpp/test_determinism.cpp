// The same seed gives the same bits for any number of threads and batches.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "wager/simulation.hpp"
#include "wager/summary.hpp"

namespace {

wager::SimulationConfig config(int threads) {
  wager::SimulationConfig c;
  wager::Strategy s;
  s.model = wager::test::company();
  c.strategies.push_back(s);
  c.world = wager::test::world_for(s.model);
  c.seed = 42;
  c.n_paths = 5000;
  c.n_threads = threads;
  return c;
}

void same(const wager::StrategyOutcome& a, const wager::StrategyOutcome& b) {
  CHECK(a.n_paths == b.n_paths);
  CHECK(a.series.sum == b.series.sum);
  CHECK(a.series.sum_squares == b.series.sum_squares);
  CHECK(a.series.histogram == b.series.histogram);
  CHECK(a.default_year == b.default_year);
  CHECK(a.first_profit_year == b.first_profit_year);
}

}  // namespace

TEST_CASE("simulate: identical results for 1, 2, 3 and 4 threads and any batch size") {
  const auto base = wager::simulate(config(1)).strategies.front();
  CHECK(base.n_paths == 5000);
  for (int threads : {2, 3, 4}) {
    CAPTURE(threads);
    same(base, wager::simulate(config(threads)).strategies.front());
  }
  for (std::int64_t batch : {1, 777, 4096}) {
    CAPTURE(batch);
    same(base, wager::simulate(config(2), {}, batch).strategies.front());
  }
}

TEST_CASE("simulate: a run split by first_path is the whole run") {
  auto first = config(2), second = config(2);
  first.n_paths = 2000;
  second.first_path = 2000;
  second.n_paths = 3000;
  auto a = wager::simulate(first).strategies.front();
  a.merge(wager::simulate(second).strategies.front());
  same(wager::simulate(config(1)).strategies.front(), a);
}

TEST_CASE("summary: means and probabilities read off the statistics") {
  const auto c = config(2);
  const auto out = wager::simulate(c).strategies.front();
  const int ny = c.strategies.front().model.n_years;
  const auto cash = wager::mean_and_se(out.series, wager::series_index(wager::StatVar::cash, ny - 1, ny), out.n_paths);
  CHECK(std::isfinite(cash.mean));
  CHECK(cash.se > 0.0);
  const double q5 = wager::quantile(out.series, wager::series_index(wager::StatVar::cash, ny - 1, ny), 0.05, c.histogram);
  const double q95 = wager::quantile(out.series, wager::series_index(wager::StatVar::cash, ny - 1, ny), 0.95, c.histogram);
  CHECK(q5 <= cash.mean);
  CHECK(cash.mean <= q95);
  const double p = wager::share_by(out.default_year, ny - 1, out.n_paths);
  CHECK(p >= 0.0);
  CHECK(p <= 1.0);
}
