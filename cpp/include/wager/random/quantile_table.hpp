// A quantile function tabulated once per input, for the distributions whose
// exact quantile is an iterative inversion (PERT's beta, Student's t): each
// draw then costs a table read and a polynomial instead of ~5 microseconds
// of Newton steps on a continued fraction (docs/model.md §17).
#pragma once

#include <cstddef>
#include <vector>

namespace wager::random {

struct Distribution;

/// x = F^-1(Phi(z)) for |z| <= z_max, by piecewise quintic Hermite
/// interpolation in z on a uniform grid: at each node the exact quantile, and
/// its first and second derivatives in z (from the density), so the
/// interpolant is C2 and its error O(h^6). Accuracy, measured against the
/// exact quantile over every interval (tests/test_samplers.py): within
/// 1e-12 of the distribution's scale for the PERT shapes and Student t with
/// df >= 2 up to |z| = 8.75, the range of the simulation's normals.
class QuantileTable {
 public:
  static constexpr int intervals = 1024;
  static constexpr double z_max = 8.75;  ///< Box-Muller normals from 53-bit uniforms stay below 8.6

  /// `d` is prepared (random::prepare), of kind pert or student_t, with a
  /// positive width or scale.
  explicit QuantileTable(const Distribution& d);

  /// operator() at each z[i] into out[i], any z (an index out of the table
  /// is clamped to its ends: the caller replaces those beyond z_max).
  void evaluate(const double* z, double* out, std::size_t n) const;

  /// The interpolated quantile at z, |z| <= z_max (unclamped).
  double operator()(double z) const {
    const double s = (z + z_max) * inv_h_;
    int i = static_cast<int>(s);
    i = i < 0 ? 0 : (i >= intervals ? intervals - 1 : i);
    const double t = s - static_cast<double>(i);
    const double* a = &coef_[static_cast<std::size_t>(i) * 6];
    return a[0] + t * (a[1] + t * (a[2] + t * (a[3] + t * (a[4] + t * a[5]))));
  }

 private:
  double inv_h_;
  std::vector<double> coef_;  ///< per interval, the polynomial in t = (z - z_i) / h, lowest degree first
};

}  // namespace wager::random
