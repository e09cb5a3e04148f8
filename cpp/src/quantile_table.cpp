// The tabulated quantile of PERT and Student-t inputs: exact values and
// derivatives at the nodes, a quintic per interval (docs/model.md §17).
#include "wager/random/quantile_table.hpp"

#include <cmath>
#include <numbers>

#include "wager/random/distributions.hpp"
#include "simd_clones.hpp"
#include "wager/require.hpp"

namespace wager::random {

namespace {

/// The exact quantile at one node, its first two derivatives in z.
struct Node {
  double x, dx, ddx;
  double inverted;  ///< the root the incomplete beta's inversion found (a guess for the next node)
};

// log of the standard normal density.
double log_phi(double z) { return -0.5 * z * z - 0.5 * std::log(2.0 * std::numbers::pi); }

// (p - 1) log y, which is 0 when p = 1 (also at y = 0).
double power_log(double p, double y) { return p == 1.0 ? 0.0 : (p - 1.0) * std::log(y); }
double power_ratio(double p, double y) { return p == 1.0 ? 0.0 : (p - 1.0) / y; }

// The root of I_x(p, q) = u from `guess` (the previous node's root moved by
// its Taylor step: ~1e-6 relative off), by Newton steps; the safeguarded
// inversion from scratch when there is no guess or a step goes astray.
double invert_beta(double u, double p, double q, double log_beta, double guess) {
  double x = u > 0.0 && u < 1.0 ? guess : -1.0;  // u = 0 or 1: the exact ends, from scratch
  for (int i = 0; i < 8 && x > 0.0 && x < 1.0; ++i) {
    const double f = incomplete_beta(x, p, q, log_beta) - u;
    const double density = std::exp(power_log(p, x) + power_log(q, 1.0 - x) - log_beta);
    const double step = f / density;
    if (!std::isfinite(step)) break;
    x -= step;
    if (std::fabs(step) <= 1e-15 * x && x > 0.0 && x < 1.0) return x;
  }
  return inverse_incomplete_beta(u, p, q, log_beta);
}

// The Taylor step of x from the previous node (h dx + h^2 / 2 ddx).
double taylor_step(const Node& prev, double h) { return h * prev.dx + 0.5 * h * h * prev.ddx; }

// PERT: a beta on [min, max]. With x = F^-1(Phi(z)), dx/dz = phi(z) / f(x)
// and d2x/dz2 = dx/dz (-z - (f'/f)(x) dx/dz). The smaller tail is inverted
// and the other side taken as its complement, so log f keeps its digits.
// `prev`: the node before, on the same side of the median (else null).
Node pert_node(const Distribution& d, double z, const Node* prev, double h) {
  const double u = normal_cdf(z), v = normal_cdf(-z);
  const double p = d.shape_p, q = d.shape_q, width = d.b - d.a;
  double y, w;  // the beta quantile and 1 - it
  if (u <= 0.5) {
    const double guess = prev != nullptr ? prev->inverted + taylor_step(*prev, h) / width : -1.0;
    y = invert_beta(u, p, q, d.log_beta, guess);
    w = 1.0 - y;
  } else {
    const double guess = prev != nullptr ? prev->inverted - taylor_step(*prev, h) / width : -1.0;
    w = invert_beta(v, q, p, d.log_beta, guess);
    y = 1.0 - w;
  }
  const double log_f = power_log(p, y) + power_log(q, w) - d.log_beta - std::log(width);
  const double dx = std::exp(log_phi(z) - log_f);
  const double g = (power_ratio(p, y) - power_ratio(q, w)) / width;
  return {d.a + width * y, dx, dx * (-z - g * dx), u <= 0.5 ? y : w};
}

// Student t, location a, scale b, c degrees of freedom, at z <= 0 (the
// table mirrors it: t(-z) = -t(z)). `prev`: the node before, or null.
Node student_t_node(const Distribution& d, double z, const Node* prev, double h) {
  const double u = normal_cdf(z);
  const double nu = d.c;
  // F(t) = I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2 for t < 0.
  double guess = -1.0;
  if (prev != nullptr) {
    const double t_next = (prev->x - d.a + taylor_step(*prev, h)) / d.b;
    guess = nu / (nu + t_next * t_next);
  }
  const double wv = invert_beta(2.0 * u, d.shape_p, d.shape_q, d.log_beta, guess);
  const double t = -std::sqrt(nu * (1.0 - wv) / wv);
  const double log_c = std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu) - 0.5 * std::log(nu * std::numbers::pi);
  const double log_f = log_c - 0.5 * (nu + 1.0) * std::log1p(t * t / nu) - std::log(d.b);
  const double dx = std::exp(log_phi(z) - log_f);
  const double g = -(nu + 1.0) * t / (nu + t * t) / d.b;
  return {d.a + d.b * t, dx, dx * (-z - g * dx), wv};
}

}  // namespace

WAGER_SIMD_CLONES void QuantileTable::evaluate(const double* z, double* out, std::size_t n) const {
  // operator()'s operations, lane by lane, in a loop the compiler vectorises (gathers for the coefficients).
  const double* coef = coef_.data();
  const double inv_h = inv_h_;
#pragma omp simd
  for (std::size_t l = 0; l < n; ++l) {
    const double s = (z[l] + z_max) * inv_h;
    const double sc = !(s >= 0.0) ? 0.0 : (s > static_cast<double>(intervals) ? static_cast<double>(intervals) : s);
    int i = static_cast<int>(sc);
    i = i >= intervals ? intervals - 1 : i;
    const double t = s - static_cast<double>(i);
    const double* a = coef + static_cast<std::size_t>(i) * 6;
    out[l] = a[0] + t * (a[1] + t * (a[2] + t * (a[3] + t * (a[4] + t * a[5]))));
  }
}

QuantileTable::QuantileTable(const Distribution& d) : inv_h_(intervals / (2.0 * z_max)) {
  WAGER_REQUIRE((d.kind == DistKind::pert && d.b > d.a) || (d.kind == DistKind::student_t && d.b > 0.0),
                "a quantile table needs a PERT with max > min or a Student t with scale > 0");
  const double h = 2.0 * z_max / intervals;
  std::vector<Node> nodes(intervals + 1);
  if (d.kind == DistKind::pert) {
    for (int i = 0; i <= intervals; ++i) {
      const double z = -z_max + h * i;
      // A guess from the node before on the same side of the median (z = 0 is node intervals / 2).
      const bool same_side = i > 0 && i != intervals / 2 + 1;
      nodes[static_cast<std::size_t>(i)] = pert_node(d, z, same_side ? &nodes[static_cast<std::size_t>(i - 1)] : nullptr, h);
    }
  } else {
    // Symmetric about its location: the lower half computed, the upper mirrored.
    for (int i = 0; i <= intervals / 2; ++i) {
      const double z = -z_max + h * i;
      nodes[static_cast<std::size_t>(i)] = student_t_node(d, z, i > 0 ? &nodes[static_cast<std::size_t>(i - 1)] : nullptr, h);
    }
    nodes[static_cast<std::size_t>(intervals / 2)].x = d.a;  // t(0) = 0 exactly
    for (int i = intervals / 2 + 1; i <= intervals; ++i) {
      const Node& m = nodes[static_cast<std::size_t>(intervals - i)];
      nodes[static_cast<std::size_t>(i)] = {d.a + (d.a - m.x), m.dx, -m.ddx, m.inverted};
    }
  }
  coef_.resize(static_cast<std::size_t>(intervals) * 6);
  for (std::size_t i = 0; i < static_cast<std::size_t>(intervals); ++i) {
    const Node& n0 = nodes[i];
    const Node& n1 = nodes[i + 1];
    // Quintic Hermite in t = (z - z_i) / h: values, slopes m and curvatures c in t.
    const double dy = n1.x - n0.x;
    const double m0 = h * n0.dx, m1 = h * n1.dx;
    const double c0 = h * h * n0.ddx, c1 = h * h * n1.ddx;
    double* a = &coef_[i * 6];
    a[0] = n0.x;
    a[1] = m0;
    a[2] = 0.5 * c0;
    a[3] = 10.0 * dy - 6.0 * m0 - 4.0 * m1 - 1.5 * c0 + 0.5 * c1;
    a[4] = -15.0 * dy + 8.0 * m0 + 7.0 * m1 + 1.5 * c0 - c1;
    a[5] = 6.0 * dy - 3.0 * m0 - 3.0 * m1 - 0.5 * c0 + 0.5 * c1;
  }
}

}  // namespace wager::random
