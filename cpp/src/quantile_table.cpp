// The tabulated quantile of PERT and Student-t inputs: exact values and
// derivatives at the nodes, a quintic per interval (docs/model.md §17).
#include "wager/random/quantile_table.hpp"

#include <cmath>
#include <numbers>

#include "wager/random/distributions.hpp"
#include "wager/require.hpp"

namespace wager::random {

namespace {

/// The exact quantile at one node, its first two derivatives in z.
struct Node {
  double x, dx, ddx;
};

// log of the standard normal density.
double log_phi(double z) { return -0.5 * z * z - 0.5 * std::log(2.0 * std::numbers::pi); }

// (p - 1) log y, which is 0 when p = 1 (also at y = 0).
double power_log(double p, double y) { return p == 1.0 ? 0.0 : (p - 1.0) * std::log(y); }
double power_ratio(double p, double y) { return p == 1.0 ? 0.0 : (p - 1.0) / y; }

// PERT: a beta on [min, max]. With x = F^-1(Phi(z)), dx/dz = phi(z) / f(x)
// and d2x/dz2 = dx/dz (-z - (f'/f)(x) dx/dz). The smaller tail is inverted
// and the other side taken as its complement, so log f keeps its digits.
Node pert_node(const Distribution& d, double z) {
  const double u = normal_cdf(z), v = normal_cdf(-z);
  const double p = d.shape_p, q = d.shape_q, width = d.b - d.a;
  double y, w;  // the beta quantile and 1 - it
  if (u <= 0.5) {
    y = inverse_incomplete_beta(u, p, q, d.log_beta);
    w = 1.0 - y;
  } else {
    w = inverse_incomplete_beta(v, q, p, d.log_beta);
    y = 1.0 - w;
  }
  const double log_f = power_log(p, y) + power_log(q, w) - d.log_beta - std::log(width);
  const double dx = std::exp(log_phi(z) - log_f);
  const double g = (power_ratio(p, y) - power_ratio(q, w)) / width;
  return {d.a + width * y, dx, dx * (-z - g * dx)};
}

// Student t, location a, scale b, c degrees of freedom.
Node student_t_node(const Distribution& d, double z) {
  const double u = normal_cdf(z), v = normal_cdf(-z);
  const double nu = d.c;
  const double tail = u < v ? u : v;
  const double wv = inverse_incomplete_beta(2.0 * tail, d.shape_p, d.shape_q, d.log_beta);
  const double t_abs = std::sqrt(nu * (1.0 - wv) / wv);
  const double t = u < 0.5 ? -t_abs : t_abs;
  const double log_c = std::lgamma(0.5 * (nu + 1.0)) - std::lgamma(0.5 * nu) - 0.5 * std::log(nu * std::numbers::pi);
  const double log_f = log_c - 0.5 * (nu + 1.0) * std::log1p(t * t / nu) - std::log(d.b);
  const double dx = std::exp(log_phi(z) - log_f);
  const double g = -(nu + 1.0) * t / (nu + t * t) / d.b;
  return {d.a + d.b * t, dx, dx * (-z - g * dx)};
}

}  // namespace

QuantileTable::QuantileTable(const Distribution& d) : inv_h_(intervals / (2.0 * z_max)) {
  WAGER_REQUIRE((d.kind == DistKind::pert && d.b > d.a) || (d.kind == DistKind::student_t && d.b > 0.0),
                "a quantile table needs a PERT with max > min or a Student t with scale > 0");
  const double h = 2.0 * z_max / intervals;
  std::vector<Node> nodes(intervals + 1);
  for (int i = 0; i <= intervals; ++i) {
    const double z = -z_max + h * i;
    nodes[static_cast<std::size_t>(i)] = d.kind == DistKind::pert ? pert_node(d, z) : student_t_node(d, z);
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
