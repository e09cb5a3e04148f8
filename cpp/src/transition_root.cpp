// The per-step transition matrix: the principal real k-th root of the yearly
// one (docs/model.md §18), in plain double arithmetic.
//
// A^(1/k) = exp(log(A) / k), with log the principal logarithm, computed by
// inverse scaling and squaring (Kenney and Laub; Higham, "Functions of
// Matrices", 2008, §11.5): s principal square roots bring Y = A^(1/2^s)
// within 1/4 of I in the 1-norm, then log(A) = 2^s log(Y) and
//   log(Y) = 2 atanh(Z) = 2 (Z + Z^3/3 + Z^5/5 + ...),  Z = (Y - I)(Y + I)^-1,
// where ||Z|| <= ||Y - I|| / (2 - ||Y - I||) <= 1/7: ten terms leave a
// remainder below ||Z|| (1/7)^20 / 21 < 1e-18 ||Z||. The square roots are the
// product form of the Denman-Beavers iteration (Higham (6.17)), which
// converges to the principal root when A has no eigenvalue on the closed
// negative real axis, quadratically once close. exp(B), B = log(A) / k, is
// the Taylor series of degree 12 of B / 2^j with ||B / 2^j|| <= 1/8
// (remainder below 1e-20), squared j times. Last, Newton's method on
// X^k = A (up to 4 steps, each a linear solve in n^2 unknowns) polishes the
// root: the square roots' inverses leave an error of about u / lambda for an
// eigenvalue lambda near 0, which these steps remove.
//
// Why this and not a Schur method: matrices here are small (a handful of
// regimes), the method needs nothing but products and Gaussian elimination,
// and every operation is a fixed sequence of IEEE additions,
// multiplications and divisions (no libm, no fma under -ffp-contract=off,
// no reordered sums): the same bits on every machine.
//
// Accuracy: the root's k-th power gives A back to rounding (a residual of a
// few 1e-16); the root itself is then as accurate as its condition allows:
// within a few 1e-16 of scipy's Schur-based fractional_matrix_power for the
// format's default chain, below 5e-15 for random chains of 2-10 regimes
// whose eigenvalues are away from 0, and within about u lambda^(1/k - 1) / k
// for a smallest eigenvalue lambda near 0 (both methods alike, a few 1e-11
// at lambda = 1e-8): that is how much a rounding of A moves the exact root.
//
// Refusals: a real eigenvalue on the negative axis keeps the real iteration
// from converging (the scalar Newton map for sqrt(lambda), lambda < 0, is
// chaotic on the real line), so a cap on its iterations detects it, and a
// root whose k-th power is not A within 1e-9 is refused too. A singular A
// (equal rows) is shifted first: A^(1/k) = (A + E)^(1/k) - E, E the
// projector onto its eigenvalue 0, refused if that eigenvalue has a Jordan
// block (then no root exists).
#include "wager/transition.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "validation_checks.hpp"
#include "wager/require.hpp"
#include "wager/validation.hpp"

namespace wager {

namespace {

using detail::check_number;
using detail::refuse;
using detail::shown;
using detail::within;

using Matrix = std::vector<double>;  // n x n, row-major

constexpr double unit_roundoff = 0x1p-53;
// Square roots until ||Y - I||_1 <= this (the series' bound above).
constexpr double log_series_radius = 0.25;
constexpr int log_series_terms = 10;  // Z, Z^3, ..., Z^19
// ||B||_1 <= this before the Taylor series of exp(B).
constexpr double exp_series_radius = 0.125;
constexpr int exp_series_degree = 12;
// Caps that only a matrix without a principal root reaches: an eigenvalue
// near 0 (1e-300) needs ~12 square roots and each of them ~40 iterations.
constexpr int max_square_roots = 64;
constexpr int max_sqrt_iterations = 100;
// The iteration is in its quadratic phase below this: one more iteration
// then reaches rounding (||M - I|| goes to about ||M - I||^2 / 4).
constexpr double sqrt_quadratic_phase = 1e-8;
// A yearly matrix whose elimination meets a pivot at or below this times its
// 1-norm is taken as singular (an eigenvalue of about 1e-12 or less: its
// root, of order 1e-12^(1/k), is set to 0, changing the root's k-th power by
// about that eigenvalue).
constexpr double near_singular = 1e-12;
// The root's k-th power must give the yearly matrix back within this (a
// guard: a converged iteration gives a residual near 1e-15).
constexpr double max_residual = 1e-9;

Matrix identity(std::size_t n) {
  Matrix a(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) a[i * n + i] = 1.0;
  return a;
}

// Sums in the order of the index, so every build adds alike.
Matrix product(const Matrix& a, const Matrix& b, std::size_t n) {
  Matrix c(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double sum = 0.0;
      for (std::size_t l = 0; l < n; ++l) sum += a[i * n + l] * b[l * n + j];
      c[i * n + j] = sum;
    }
  }
  return c;
}

// The 1-norm (largest column sum of magnitudes); NaN if an entry is NaN.
double norm1(const Matrix& a, std::size_t n) {
  double largest = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    double column = 0.0;
    for (std::size_t i = 0; i < n; ++i) column += std::abs(a[i * n + j]);
    if (!(column <= largest)) largest = column;  // a NaN column wins
  }
  return largest;
}

// ||a - I||_1
double distance_from_identity(const Matrix& a, std::size_t n) {
  Matrix d = a;
  for (std::size_t i = 0; i < n; ++i) d[i * n + i] -= 1.0;
  return norm1(d, n);
}

// A pivot at or below this makes `a` singular to working precision: n u ||a||_1.
double singular_pivot(const Matrix& a, std::size_t n) {
  return static_cast<double>(n) * unit_roundoff * norm1(a, n);
}

// a^-1 by Gauss-Jordan elimination with partial pivoting (the first largest
// pivot); false if a is not finite or singular to working precision (a pivot
// at or below singular_pivot(a), or `tiny` if given).
bool invert(const Matrix& a, std::size_t n, Matrix& inverse, double tiny = -1.0) {
  if (tiny < 0.0) tiny = singular_pivot(a, n);
  if (!std::isfinite(tiny)) return false;
  Matrix w = a;
  inverse = identity(n);
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r) {
      if (std::abs(w[r * n + col]) > std::abs(w[pivot * n + col])) pivot = r;
    }
    const double p = w[pivot * n + col];
    if (!(std::abs(p) > tiny)) return false;
    if (pivot != col) {
      for (std::size_t j = 0; j < n; ++j) {
        std::swap(w[pivot * n + j], w[col * n + j]);
        std::swap(inverse[pivot * n + j], inverse[col * n + j]);
      }
    }
    for (std::size_t j = 0; j < n; ++j) {
      w[col * n + j] /= p;
      inverse[col * n + j] /= p;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col) continue;
      const double f = w[r * n + col];
      if (f == 0.0) continue;
      for (std::size_t j = 0; j < n; ++j) {
        w[r * n + j] -= f * w[col * n + j];
        inverse[r * n + j] -= f * inverse[col * n + j];
      }
    }
  }
  return true;
}

// The principal square root by the product form of the Denman-Beavers
// iteration: M_0 = Y_0 = a, Y_{i+1} = Y_i (I + M_i^-1) / 2,
// M_{i+1} = I/2 + (M_i + M_i^-1) / 4; Y_i^2 = a M_i, and M_i -> I. False if
// it does not converge within max_sqrt_iterations or an inverse fails.
bool principal_sqrt(const Matrix& a, std::size_t n, Matrix& root) {
  Matrix m = a, y = a, m_inverse;
  bool quadratic = false;
  for (int iteration = 0; iteration < max_sqrt_iterations; ++iteration) {
    if (!invert(m, n, m_inverse)) return false;
    Matrix factor = m_inverse;
    for (std::size_t i = 0; i < n; ++i) factor[i * n + i] += 1.0;
    y = product(y, factor, n);
    for (std::size_t e = 0; e < n * n; ++e) {
      y[e] *= 0.5;
      m[e] = 0.25 * m[e] + 0.25 * m_inverse[e];
    }
    for (std::size_t i = 0; i < n; ++i) m[i * n + i] += 0.5;
    if (quadratic) {
      root = y;
      return true;
    }
    const double distance = distance_from_identity(m, n);
    if (!std::isfinite(distance)) return false;
    quadratic = distance <= sqrt_quadratic_phase;
  }
  return false;
}

// The principal logarithm by inverse scaling and squaring (see the top).
bool principal_log(const Matrix& a, std::size_t n, Matrix& log) {
  Matrix y = a;
  double doubling = 1.0;  // 2^s, exact
  while (!(distance_from_identity(y, n) <= log_series_radius)) {
    if (doubling >= 0x1p64 /* 2^max_square_roots */) return false;
    Matrix root;
    if (!principal_sqrt(y, n, root)) return false;
    y = root;
    doubling *= 2.0;
  }
  // Z = (Y - I)(Y + I)^-1 (the two factors commute).
  Matrix below = y, above = y, above_inverse;
  for (std::size_t i = 0; i < n; ++i) {
    below[i * n + i] -= 1.0;
    above[i * n + i] += 1.0;
  }
  if (!invert(above, n, above_inverse)) return false;
  const Matrix z = product(below, above_inverse, n);
  const Matrix z2 = product(z, z, n);
  // sum_{t < terms} Z^(2t) / (2t + 1) by Horner's rule in Z^2, then times Z.
  Matrix sum(n * n, 0.0);
  for (int t = log_series_terms - 1; t >= 0; --t) {
    if (t < log_series_terms - 1) sum = product(z2, sum, n);
    const double coefficient = 1.0 / static_cast<double>(2 * t + 1);
    for (std::size_t i = 0; i < n; ++i) sum[i * n + i] += coefficient;
  }
  log = product(z, sum, n);
  const double factor = 2.0 * doubling;  // log A = 2^s * 2 atanh(Z)
  for (double& v : log) {
    v *= factor;
    if (!std::isfinite(v)) return false;
  }
  return true;
}

// exp(b) by scaling and squaring of its Taylor series (see the top).
Matrix exponential(const Matrix& b, std::size_t n) {
  Matrix scaled = b;
  int squarings = 0;
  for (double size = norm1(b, n); size > exp_series_radius; size *= 0.5) {
    for (double& v : scaled) v *= 0.5;
    ++squarings;
  }
  // I + B (I + B/2 (I + B/3 (... (I + B/12))))
  Matrix e = identity(n);
  for (int d = exp_series_degree; d >= 1; --d) {
    e = product(scaled, e, n);
    const double inverse_d = 1.0 / static_cast<double>(d);
    for (double& v : e) v *= inverse_d;
    for (std::size_t i = 0; i < n; ++i) e[i * n + i] += 1.0;
  }
  for (int i = 0; i < squarings; ++i) e = product(e, e, n);
  return e;
}

// a^0, a^1, ..., a^(k-1).
std::vector<Matrix> powers(const Matrix& a, int k, std::size_t n) {
  std::vector<Matrix> p{identity(n)};
  for (int i = 1; i < k; ++i) p.push_back(product(p.back(), a, n));
  return p;
}

// b - a^k, and its largest magnitude.
double residual(const std::vector<Matrix>& a_powers, const Matrix& a, const Matrix& b, std::size_t n,
                Matrix& difference) {
  const Matrix a_k = product(a_powers.back(), a, n);
  difference.assign(n * n, 0.0);
  double largest = 0.0;
  for (std::size_t e = 0; e < n * n; ++e) {
    difference[e] = b[e] - a_k[e];
    const double d = std::abs(difference[e]);
    if (!(d <= largest)) largest = d;
  }
  return largest;
}

// Solves k x = rhs (k: m x m, row-major) by Gaussian elimination with partial
// pivoting; false if k is singular to working precision.
bool solve(Matrix k, Matrix rhs, std::size_t m, Matrix& x) {
  const double tiny = singular_pivot(k, m);
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < m; ++r) {
      if (std::abs(k[r * m + col]) > std::abs(k[pivot * m + col])) pivot = r;
    }
    if (!(std::abs(k[pivot * m + col]) > tiny)) return false;
    if (pivot != col) {
      for (std::size_t j = col; j < m; ++j) std::swap(k[pivot * m + j], k[col * m + j]);
      std::swap(rhs[pivot], rhs[col]);
    }
    for (std::size_t r = col + 1; r < m; ++r) {
      const double f = k[r * m + col] / k[col * m + col];
      if (f == 0.0) continue;
      for (std::size_t j = col; j < m; ++j) k[r * m + j] -= f * k[col * m + j];
      rhs[r] -= f * rhs[col];
    }
  }
  x.assign(m, 0.0);
  for (std::size_t i = m; i-- > 0;) {
    double sum = rhs[i];
    for (std::size_t j = i + 1; j < m; ++j) sum -= k[i * m + j] * x[j];
    x[i] = sum / k[i * m + i];
  }
  return true;
}

// Newton's method on X^k = a from `root`: each step solves
// sum_{t<k} X^t D X^(k-1-t) = a - X^k for D (n^2 unknowns: as the row-major
// Kronecker system sum_t X^t (x) (X^(k-1-t))^T) and keeps the iterate with
// the smallest residual. The series leave a residual of about u / lambda for
// an eigenvalue lambda near 0 (the square roots' inverses); these steps bring
// it to rounding, as a Schur method would. Returns that residual.
double refine(Matrix& root, const Matrix& a, int k, std::size_t n) {
  constexpr int max_steps = 4;
  const std::size_t m = n * n;
  std::vector<Matrix> p = powers(root, k, n);
  Matrix difference;
  double best = residual(p, root, a, n, difference);
  for (int step = 0; step < max_steps && best > 0.0; ++step) {
    Matrix kron(m * m, 0.0);
    for (int t = 0; t < k; ++t) {
      const Matrix& left = p[static_cast<std::size_t>(t)];
      const Matrix& right = p[static_cast<std::size_t>(k - 1 - t)];
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          for (std::size_t l = 0; l < n; ++l)
            for (std::size_t c = 0; c < n; ++c) kron[(i * n + j) * m + l * n + c] += left[i * n + l] * right[c * n + j];
    }
    Matrix correction;
    if (!solve(kron, difference, m, correction)) break;
    Matrix candidate = root;
    for (std::size_t e = 0; e < m; ++e) candidate[e] += correction[e];
    std::vector<Matrix> candidate_powers = powers(candidate, k, n);
    Matrix candidate_difference;
    const double r = residual(candidate_powers, candidate, a, n, candidate_difference);
    if (!(r < 0.5 * best)) break;  // at rounding (or not converging): keep the best
    root = std::move(candidate);
    p = std::move(candidate_powers);
    difference = std::move(candidate_difference);
    best = r;
  }
  return best;
}

// A basis of the null space of a (n x n), one vector of n per free column:
// Gauss-Jordan elimination as invert() does it, a column whose largest
// remaining entry is at or below `tolerance` being free.
std::vector<std::vector<double>> null_space(const Matrix& a, std::size_t n, double tolerance) {
  Matrix w = a;
  std::vector<std::size_t> pivot_columns, free_columns;
  std::size_t rank = 0;
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = rank;
    for (std::size_t r = rank + 1; r < n; ++r) {
      if (std::abs(w[r * n + col]) > std::abs(w[pivot * n + col])) pivot = r;
    }
    if (rank == n || !(std::abs(w[pivot * n + col]) > tolerance)) {
      free_columns.push_back(col);
      continue;
    }
    if (pivot != rank) {
      for (std::size_t j = 0; j < n; ++j) std::swap(w[pivot * n + j], w[rank * n + j]);
    }
    const double p = w[rank * n + col];
    for (std::size_t j = 0; j < n; ++j) w[rank * n + j] /= p;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == rank) continue;
      const double f = w[r * n + col];
      if (f == 0.0) continue;
      for (std::size_t j = 0; j < n; ++j) w[r * n + j] -= f * w[rank * n + j];
    }
    pivot_columns.push_back(col);
    ++rank;
  }
  std::vector<std::vector<double>> basis;
  for (std::size_t f : free_columns) {
    std::vector<double> x(n, 0.0);
    x[f] = 1.0;
    for (std::size_t r = 0; r < pivot_columns.size(); ++r) x[pivot_columns[r]] = -w[r * n + f];
    basis.push_back(std::move(x));
  }
  return basis;
}

// The spectral projector onto a's eigenvalue 0 along its other eigenvalues,
// E = V (W^T V)^-1 W^T with V, W bases of the right and left null spaces;
// false if 0 is not semisimple (W^T V singular: a Jordan block at 0, no
// k-th root) or the two null spaces differ in dimension.
bool zero_projector(const Matrix& a, std::size_t n, double tolerance, Matrix& projector) {
  Matrix transposed(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) transposed[j * n + i] = a[i * n + j];
  const auto right = null_space(a, n, tolerance), left = null_space(transposed, n, tolerance);
  const std::size_t d = right.size();
  if (d == 0 || left.size() != d) return false;
  Matrix gram(d * d, 0.0), gram_inverse;
  for (std::size_t p = 0; p < d; ++p)
    for (std::size_t q = 0; q < d; ++q)
      for (std::size_t i = 0; i < n; ++i) gram[p * d + q] += left[p][i] * right[q][i];
  if (!invert(gram, d, gram_inverse)) return false;
  projector.assign(n * n, 0.0);
  for (std::size_t p = 0; p < d; ++p) {
    for (std::size_t q = 0; q < d; ++q) {
      const double g = gram_inverse[p * d + q];
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) projector[i * n + j] += right[p][i] * g * left[q][j];
    }
  }
  return true;
}

// A regime as a field path names it: its name, or "[i]" for one without.
std::string regime_label(const std::vector<std::string>& names, std::size_t i) {
  if (i < names.size() && !names[i].empty()) return names[i];
  std::string label = "[";  // appended, not "[" + ...: GCC 12's -Wrestrict misfires on that
  label += std::to_string(i);
  label += ']';
  return label;
}

void check_yearly(const Matrix& yearly, std::size_t n, int k, const std::vector<std::string>& names) {
  if (k < 1) refuse("time.steps_per_year", "must be at least 1, got " + std::to_string(k));
  if (n == 0 || yearly.size() != n * n) {
    refuse("market.transition", "expected " + std::to_string(n) + " x " + std::to_string(n) +
                                    " yearly probabilities (at least one regime), got " +
                                    std::to_string(yearly.size()));
  }
  for (std::size_t from = 0; from < n; ++from) {
    const std::string row = "market.transition." + regime_label(names, from);
    double total = 0.0;
    for (std::size_t to = 0; to < n; ++to) {
      const double p = yearly[from * n + to];
      check_number(row + "." + regime_label(names, to), p, within(0.0, 1.0));
      total += p;
    }
    if (!(std::abs(total - 1.0) <= transition_row_tolerance)) {
      refuse(row, "yearly probabilities sum to " + shown(total) + ", not 1 (within " +
                      shown(transition_row_tolerance) + ")");
    }
  }
}

[[noreturn]] void refuse_no_root(int k, const char* why) {
  refuse("market.transition",
         "has no real " + std::to_string(k) + "-th root per step" + why + "; use steps_per_year = 1");
}

std::vector<double> root_of(const Matrix& yearly, std::size_t n, int k, const std::vector<std::string>& names) {
  check_yearly(yearly, n, k, names);
  if (k == 1) return yearly;
  // A singular matrix (two equal rows, a regime every row jumps to): with E
  // the projector onto its eigenvalue 0, B = A + E has 1 there instead, and
  // A^(1/k) = B^(1/k) - E (the root of 0 is 0). Without a full set of
  // eigenvectors at 0 there is no root.
  // "Singular" allows for rounding: a matrix computed with two equal rows
  // may keep an eigenvalue of +-1e-17 (whose root rounding would decide).
  const double zero_pivot = near_singular * norm1(yearly, n);
  Matrix inverse, projector;
  const bool singular = !invert(yearly, n, inverse, zero_pivot);
  if (singular && !zero_projector(yearly, n, zero_pivot, projector)) {
    refuse_no_root(k, " (it is singular, without a full set of eigenvectors for eigenvalue 0)");
  }
  Matrix shifted = yearly;
  for (std::size_t e = 0; singular && e < n * n; ++e) shifted[e] += projector[e];
  Matrix log;
  if (!principal_log(shifted, n, log)) refuse_no_root(k, "");
  const double inverse_k = 1.0 / static_cast<double>(k);
  for (double& v : log) v *= inverse_k;
  Matrix root = exponential(log, n);
  double miss = refine(root, shifted, k, n);
  if (singular) {
    for (std::size_t e = 0; e < n * n; ++e) root[e] -= projector[e];
    Matrix difference;
    miss = residual(powers(root, k, n), root, yearly, n, difference);
  }
  if (!(miss <= max_residual)) refuse_no_root(k, "");
  double lowest = 0.0;
  for (double v : root) lowest = v < lowest ? v : lowest;
  if (lowest < -root_negative_tolerance) {
    std::ostringstream at;
    at.precision(2);  // as Python's {:.2g}
    at << lowest;
    refuse("market.transition", "its " + std::to_string(k) + "-th root has negative entries (" + at.str() +
                                    "): no chain with this step has these yearly transitions; use steps_per_year = 1");
  }
  for (std::size_t from = 0; from < n; ++from) {
    double total = 0.0;
    for (std::size_t to = 0; to < n; ++to) {
      double& p = root[from * n + to];
      if (p < 0.0) p = 0.0;
      total += p;
    }
    for (std::size_t to = 0; to < n; ++to) root[from * n + to] /= total;
  }
  return root;
}

}  // namespace

std::vector<double> per_step_transition(const std::vector<double>& yearly, std::size_t n_regimes,
                                        int steps_per_year) {
  return root_of(yearly, n_regimes, steps_per_year, {});
}

std::vector<double> per_step_transition(const std::vector<double>& yearly, const Model& model) {
  std::vector<std::string> names;
  names.reserve(model.regimes.size());
  for (const Regime& r : model.regimes) names.push_back(r.name);
  return root_of(yearly, model.regimes.size(), model.steps_per_year, names);
}

}  // namespace wager
