// Tracked bin ranges: the same counts, sums and merges as histograms that
// span every bin, whatever order values and merges come in.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "wager/statistics.hpp"

namespace {

using wager::BinRange;
using wager::HistogramSpec;
using wager::PartialSeriesStats;
using wager::SeriesStats;

const std::vector<double> values = {0.0, 1.5, -3.0, 250.0, 1.5, -0.25, 12.0, 7.5e5, -2.0e4, 0.01};

}  // namespace

TEST_CASE("tracked ranges: adds, merges and clears give the counts of untracked statistics") {
  const HistogramSpec spec;
  PartialSeriesStats tracked(3, spec.n_bins, BinRange::tracked), every(3, spec.n_bins);
  for (std::size_t i = 0; i < values.size(); ++i) {
    tracked.add(i % 3, values[i], spec);
    every.add(i % 3, values[i], spec);
  }
  CHECK(tracked.histogram == every.histogram);
  // Series 0 holds values 0, 3, 6, 9: its range runs from the lowest bin to the highest.
  const auto [b0, b1] = tracked.bins_in_use(0);
  CHECK(b0 == static_cast<std::size_t>(spec.bin(0.0)));
  CHECK(b1 == static_cast<std::size_t>(spec.bin(250.0)) + 1);
  CHECK(every.bins_in_use(0).first == 0);
  CHECK(every.bins_in_use(0).second == static_cast<std::size_t>(spec.n_bins));

  SeriesStats total_t(3, spec.n_bins, BinRange::tracked), total_e(3, spec.n_bins);
  for (std::size_t s = 0; s < 3; ++s) {
    total_t.merge_series_from(tracked, s);
    total_e.merge_series_from(every, s);
  }
  CHECK(total_t.histogram == total_e.histogram);
  CHECK(total_t.sum == total_e.sum);
  CHECK(total_t.sum_squares == total_e.sum_squares);
  // The partial is cleared, its ranges forgotten: counting again starts from zero.
  std::uint64_t left = 0;
  for (const std::uint32_t c : tracked.histogram) left += c;
  CHECK(left == 0);
  CHECK(tracked.bins_in_use(1).first == tracked.bins_in_use(1).second);

  // A second batch merged into the totals widens their ranges.
  tracked.add(2, -9.0e5, spec);
  every.add(2, -9.0e5, spec);
  total_t.merge_series_from(tracked, 2);
  total_e.merge_series_from(every, 2);
  CHECK(total_t.histogram == total_e.histogram);
  CHECK(total_t.bins_in_use(2).first == static_cast<std::size_t>(spec.bin(-9.0e5)));

  // A whole-set merge of tracked into untracked (and the reverse) keeps every count.
  SeriesStats merged_t(3, spec.n_bins, BinRange::tracked), merged_e(3, spec.n_bins);
  merged_t.merge(total_e);
  merged_e.merge(total_t);
  CHECK(merged_t.histogram == total_e.histogram);
  CHECK(merged_e.histogram == total_e.histogram);
  merged_t.clear();
  std::uint64_t after_clear = 0;
  for (const std::uint64_t c : merged_t.histogram) after_clear += c;
  CHECK(after_clear == 0);
}

TEST_CASE("tracked ranges: a non-finite value counts apart and widens nothing") {
  const HistogramSpec spec;
  PartialSeriesStats s(1, spec.n_bins, BinRange::tracked);
  const std::int64_t fixed[2] = {0, 0}, bin[2] = {5, 9};
  const bool finite[2] = {false, false};
  s.add_prepared(0, fixed, bin, finite, 2);
  CHECK(s.non_finite[0] == 2);
  CHECK(s.bins_in_use(0).first == s.bins_in_use(0).second);
}
