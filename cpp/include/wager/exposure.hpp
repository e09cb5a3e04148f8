// Each supplier's exposure to the company (docs/model.md §28): what it is
// still owed at each year's end, and what it loses when the company falls
// into distress; summed over the paths of a simulation in fixed point and
// integer counts, so that it merges by integer addition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/distress.hpp"
#include "wager/statistics.hpp"

namespace wager {

/// Bins of an exposure or loss histogram between 0 and a supplier's bound
/// (ExposureOutcome::bound): a quantile read from it is within
/// bound / exposure_bins of the exact one.
inline constexpr int exposure_bins = 1000;

/// The histogram bin of v >= 0 on [0, bound] in n equal bins: 0 for v <= 0
/// (exactly 0 in practice) or NaN, 1 + floor(v n / bound) (at most n) for
/// 0 < v <= bound, n + 1 above the bound. n + 2 bins in all. Selects and
/// the rounding of wager/math/elementary.hpp, no branches and no int64
/// conversion, so a loop over lanes vectorises on any instruction set.
inline std::int64_t linear_bin(double v, double bound, int n) {
  const bool inside = (v > 0.0) & (v <= bound);  // false for NaN
  const double scaled = inside ? v * (static_cast<double>(n) / bound) : 0.0;
  const double top = static_cast<double>(n - 1);
  const double s = scaled < top ? scaled : top;  // in [0, n - 1]
  const double r = math::detail::round_to_integer(s);
  const double floor = r > s ? r - 1.0 : r;
  const double b = inside ? 1.0 + floor : (v > bound ? static_cast<double>(n) + 1.0 : 0.0);
  return math::detail::integer_of_rounded(b);
}

/// What a simulation's paths add up to for the suppliers of the
/// commitments (counterparty_names(model); none: every vector empty), or
/// for the lenders (the facility's and the term debt's, first_claimant 0).
/// Merges by integer addition.
struct ExposureOutcome {
  int n_years = 0;
  std::size_t n_counterparties = 0;
  /// The Claimant of counterparty 0 in a DistressResult's claimant_claims.
  std::size_t first_claimant = static_cast<std::size_t>(Claimant::first_counterparty);
  /// Per supplier, the top of its histograms (US$ bn): its payments over
  /// the horizon (its estate's kept contract included), times 2 when the
  /// paths have their own parameters (exposure_bounds). Not summed by merge.
  std::vector<double> bound;
  /// [c * n_years + y]: supplier c's exposure at the end of year y, every
  /// path (0 after its distress); histograms of exposure_bins + 2 linear_bin bins.
  SeriesStats exposure;
  /// [c]: supplier c's loss (its claim less its recovery) at the distress,
  /// the distressed paths only; the same bins (the other paths' zeros are
  /// the paths not counted).
  SeriesStats loss;
  /// [(2 c + d) * n_years + y]: the loss (d = 0) and the loss discounted to
  /// the start (d = 1) of the paths whose distress began in year y; one bin
  /// (their count).
  SeriesStats loss_by_year;

  /// Shapes for `n_years` and one bound per supplier (the claimants from
  /// `first`), every sum zero.
  void reset(int years, const std::vector<double>& bounds,
             Claimant first = Claimant::first_counterparty);
  void merge(const ExposureOutcome& o);
  void clear();
  /// Supplier c's exposure `v` at the end of year y of one path.
  void add_exposure(std::size_t c, int y, double v) {
    exposure.add_prepared(c * static_cast<std::size_t>(n_years) + static_cast<std::size_t>(y), to_fixed(v),
                          linear_bin(v, bound[c], exposure_bins));
  }
  /// One distressed path's losses, from its claimants' claims and recoveries.
  void add_distress(const DistressResult& r, int steps_per_year);
};

}  // namespace wager
