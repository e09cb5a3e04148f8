#include "wager/statistics.hpp"

#include <algorithm>

namespace wager {

void SeriesStats::merge(const SeriesStats& o) {
  for (std::size_t i = 0; i < sum.size(); ++i) {
    sum[i] += o.sum[i];
    sum_squares[i] += o.sum_squares[i];
  }
  for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += o.histogram[i];
  for (std::size_t i = 0; i < non_finite.size(); ++i) non_finite[i] += o.non_finite[i];
}

void SeriesStats::clear() {
  std::fill(sum.begin(), sum.end(), 0);
  std::fill(sum_squares.begin(), sum_squares.end(), 0);
  std::fill(histogram.begin(), histogram.end(), 0);
  std::fill(non_finite.begin(), non_finite.end(), 0);
}

}  // namespace wager
