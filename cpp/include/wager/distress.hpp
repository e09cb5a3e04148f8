// What a company's distress comes to (docs/model.md §27): the claims against
// it by class, the values that decide between reorganisation and
// liquidation, and what each class recovers; per path, and summed over the
// paths of a simulation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wager/statistics.hpp"

namespace wager {

/// Claims in the order of their priority; the unsecured classes rank equally.
enum class ClaimClass : int {
  secured,         ///< the credit facility drawn (a first lien on the company's value)
  unsecured_debt,  ///< the rest of the debt
  contracts,       ///< rejected commitments: the payments still due, capped when asked
  trade,           ///< what the company could not pay at the step it failed
  count_
};
inline constexpr int n_claim_classes = static_cast<int>(ClaimClass::count_);

enum class ResolutionKind : int { none, reorganised, liquidated };

/// Who holds a claim, beside the classes: the credit facility's lenders,
/// the term debt's, then each of counterparty_names(model) (the suppliers,
/// for their rejected contracts), in that order.
enum class Claimant : int { facility, term_debt, first_counterparty };
inline constexpr int n_claimants(std::size_t n_counterparties) {
  return static_cast<int>(Claimant::first_counterparty) + static_cast<int>(n_counterparties);
}

/// One path's distress, valued at the step it began.
struct DistressResult {
  ResolutionKind kind = ResolutionKind::none;
  int distress_step = -1;     ///< the step it could not pay
  int resolution_step = -1;   ///< distress_step + the duration in steps (may lie past the horizon)
  double claims[n_claim_classes] = {};
  double recovered[n_claim_classes] = {};
  double equity = 0.0;               ///< what is left to the equity holders
  double going_concern_value = 0.0;  ///< the cash flow discounted as a growing perpetuity
  double liquidation_value = 0.0;    ///< owned capacity sold at a fraction of its market value
  double cost = 0.0;                 ///< consumed by the process
  /// log of the discount factor from the start to the end of the distress
  /// step along the path's regimes (§13); set by the simulation's step engine.
  double log_discount = 0.0;
  /// By Claimant: what each was owed and was paid (the facility's class is
  /// `secured` when secured, else `unsecured_debt`).
  std::vector<double> claimant_claims, claimant_recovered;
};

/// The sums a simulation keeps of its distressed paths, one series each:
/// per claim class the claim, the recovery and their sum (whose variance
/// gives the covariance of the two, for the recovery rate's standard error),
/// then the equity's recovery, the two values and the cost.
enum class DistressSeries : int {
  equity = 3 * n_claim_classes,
  going_concern_value,
  liquidation_value,
  cost,
  count_
};
inline constexpr int n_distress_series = static_cast<int>(DistressSeries::count_);
inline constexpr int distress_claim_series(ClaimClass c) { return 3 * static_cast<int>(c); }

/// What the distressed paths of a simulation add up to. Merges by integer addition.
struct DistressOutcome {
  /// Distressed paths by [year] of resolution, then [n_years] = resolved
  /// after the horizon (paths never distressed are not counted).
  std::vector<std::uint64_t> reorganisation_year, liquidation_year;
  /// Distressed paths by [year] the equity holders were left with nothing,
  /// then [n_years] = not by the horizon.
  std::vector<std::uint64_t> wipeout_year;
  /// DistressSeries of every distressed path (one histogram bin: its count
  /// is the number of distressed paths).
  SeriesStats sums;
  /// Per Claimant: its claim, its recovery and their sum (as `sums` for a class).
  SeriesStats claimants;
  /// Per year the distress began and claim class, series
  /// [(year * n_claim_classes + class) * 3 + k]: the claim (k = 0), the
  /// recovery (1) and their sum (2), as `sums` (one bin: the count).
  SeriesStats by_year;

  void reset(int n_years, int n_claimants);
  void merge(const DistressOutcome& o);
  /// Adds one distressed path whose distress began in the horizon of `n_years` of `steps_per_year`.
  void add(const DistressResult& r, int n_years, int steps_per_year);
};

}  // namespace wager
