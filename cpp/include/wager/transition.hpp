// The per-step regime transition matrix of a chain given per year
// (docs/model.md §18): the principal real k-th root of the yearly matrix,
// k = steps per year, so that k steps make exactly the yearly transitions.
// A scenario file gives market.transition per year and World::step_transition
// is per step; this is the conversion between them (the Python package calls
// the same function).
#pragma once

#include <cstddef>
#include <vector>

#include "wager/model.hpp"

namespace wager {

/// Entries of the root below -root_negative_tolerance refuse the matrix; those
/// between it and 0 are rounding, set to 0 (the row then renormalised).
inline constexpr double root_negative_tolerance = 1e-10;

/// The per-step transition matrix P with P^k = `yearly` (k = steps_per_year):
/// the principal k-th root, real and row-stochastic, n x n row-major
/// [from][to], as World::step_transition takes it. k = 1 returns `yearly`.
///
/// Method (docs/model.md §18): the principal logarithm by inverse scaling
/// and squaring (principal square roots by the product form of the
/// Denman-Beavers iteration until within 1/4 of I in the 1-norm, then the
/// series 2 atanh((Y - I)(Y + I)^-1)), divided by k, the exponential by
/// scaling and squaring of its Taylor series, and up to 4 Newton steps on
/// X^k = yearly; then entries in [-1e-10, 0) are set to 0 and each row divided
/// by its sum. A singular matrix whose eigenvalue 0 has a full set of
/// eigenvectors (equal rows) has a root (0's root is 0: equal rows step as
/// themselves). Plain double arithmetic (no LAPACK, no libm): the same bits on
/// every machine. The root's k-th power gives `yearly` back to rounding (a
/// few 1e-16); the root is within a few 1e-16 of scipy's
/// fractional_matrix_power for the format's default matrix, and as accurate
/// as its condition allows near a singular matrix. Microseconds for a few
/// regimes, under a millisecond for 10.
///
/// Throws InputError naming
/// - "time.steps_per_year" if `steps_per_year` < 1;
/// - "market.transition" if `yearly` does not hold n x n numbers (n >= 1), or
///   "market.transition.[i].[j]" / "market.transition.[i]" for an entry that
///   is not a finite number in [0, 1] / a row that does not sum to 1 within
///   transition_row_tolerance (wager/validation.hpp);
/// - "market.transition" if the matrix has no real principal k-th root (an
///   eigenvalue on the negative real axis, or 0 with a Jordan block: the
///   iteration does not converge, or the root's k-th power misses `yearly`
///   by more than 1e-9; a chain that flips every year is one), or if its
///   root has an entry below -root_negative_tolerance (no chain with steps
///   of 1/k year has these yearly transitions). Both reasons end
///   "use steps_per_year = 1".
std::vector<double> per_step_transition(const std::vector<double>& yearly, std::size_t n_regimes,
                                        int steps_per_year);

/// The same for `model`: its number of regimes and its steps per year, and
/// errors naming rows and entries by regime ("market.transition.bust.normal").
/// For example, the default chain in quarterly steps:
///   world.step_transition = per_step_transition(default_yearly_transition(), model);
std::vector<double> per_step_transition(const std::vector<double>& yearly, const Model& model);

}  // namespace wager
