// The uncertain inputs' distributions: each prepared once, then sampled as
// F^-1(Phi(z)) from the copula's normal z (docs/model.md §17).
#include "wager/random/distributions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

#include "wager/require.hpp"

namespace wager::random {

namespace {

// exact_quantile_from_normal without its check (the callers check once).
double exact_quantile(const Distribution& d, double z);

// Continued fraction for the incomplete beta (modified Lentz).
double beta_continued_fraction(double x, double p, double q) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-15;
  double c = 1.0;
  double d = 1.0 - (p + q) * x / (p + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 400; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (q - m) * x / ((p + m2 - 1.0) * (p + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(p + m) * (p + q + m) * x / ((p + m2) * (p + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < eps) break;
  }
  return h;
}

// Each quantile takes u = Phi(z) and its complement v = 1 - u, both computed
// directly (erfc), so the upper tail keeps its digits.
double triangular_quantile(double u, double v, double lo, double mode, double hi) {
  const double f = (mode - lo) / (hi - lo);
  if (u < f) return lo + std::sqrt(u * (hi - lo) * (mode - lo));
  return hi - std::sqrt(v * (hi - lo) * (hi - mode));
}

double beta_quantile(double u, double v, double p, double q, double log_beta) {
  // I^-1_u(p, q) = 1 - I^-1_v(q, p): invert the smaller tail.
  if (u <= 0.5) return inverse_incomplete_beta(u, p, q, log_beta);
  return 1.0 - inverse_incomplete_beta(v, q, p, log_beta);
}

double student_t_quantile(double u, double v, double nu, double p, double q, double log_beta) {
  // F(t) = I_{nu / (nu + t^2)}(nu / 2, 1 / 2) / 2 for t < 0.
  const double tail = std::min(u, v);
  const double w = inverse_incomplete_beta(2.0 * tail, p, q, log_beta);
  const double t = std::sqrt(nu * (1.0 - w) / w);
  return u < 0.5 ? -t : t;
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double incomplete_beta(double x, double p, double q, double log_beta) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(p * std::log(x) + q * std::log1p(-x) - log_beta);
  if (x < (p + 1.0) / (p + q + 2.0)) return front * beta_continued_fraction(x, p, q) / p;
  return 1.0 - front * beta_continued_fraction(1.0 - x, q, p) / q;
}

double inverse_incomplete_beta(double u, double p, double q, double log_beta) {
  if (u <= 0.0) return 0.0;
  if (u >= 1.0) return 1.0;
  double lo = 0.0, hi = 1.0;
  double x = p / (p + q);
  for (int i = 0; i < 2000; ++i) {
    const double f = incomplete_beta(x, p, q, log_beta) - u;
    if (f < 0.0) {
      lo = x;
    } else {
      hi = x;
    }
    // A relative width: roots far below 1e-15 (heavy tails) keep their digits.
    if (hi - lo <= 1e-15 * hi) break;
    const double density = std::exp((p - 1.0) * std::log(x) + (q - 1.0) * std::log1p(-x) - log_beta);
    // Safeguard: a Newton step that leaves the bracket becomes a bisection,
    // geometric while the bracket spans orders of magnitude.
    const double mid = lo > 0.0 ? (hi / lo > 4.0 ? std::sqrt(lo * hi) : 0.5 * (lo + hi)) : hi / 16.0;
    double next = density > 0.0 ? x - f / density : mid;
    if (!(next > lo && next < hi)) next = mid;
    if (std::fabs(next - x) <= 1e-16 * x) {
      x = next;
      break;
    }
    x = next;
  }
  return x;
}

bool has_quantile_table(const Distribution& d) {
  return (d.kind == DistKind::pert && d.b > d.a) || (d.kind == DistKind::student_t && d.b > 0.0);
}

namespace {

// The parameters' own rules (docs/model.md §17), each refused naming the input.
void check_parameters(const Distribution& d, const std::string& name) {
  const auto refuse = [&name](const std::string& reason) { throw InputError(name, reason); };
  if (!(std::isfinite(d.a) && std::isfinite(d.b) && std::isfinite(d.c))) {
    refuse("distribution parameters must be finite");
  }
  if (!(d.lower <= d.upper)) refuse("empty allowed range");
  std::ostringstream why;
  switch (d.kind) {
    case DistKind::normal:
    case DistKind::lognormal:
      if (!(d.b >= 0.0)) why << "the spread must be >= 0, got " << d.b;
      break;
    case DistKind::uniform:
      if (!(d.a <= d.b)) why << "min " << d.a << " above max " << d.b;
      break;
    case DistKind::triangular:
    case DistKind::pert:
      if (!(d.a <= d.c && d.c <= d.b)) why << "need min <= mode <= max";
      break;
    case DistKind::student_t:
      if (!(d.b >= 0.0)) why << "the scale must be >= 0, got " << d.b;
      if (!(d.c > 0.0)) why << "degrees of freedom must be > 0, got " << d.c;
      break;
    default:
      why << "unknown distribution kind " << static_cast<int>(d.kind);
  }
  if (!why.str().empty()) refuse(why.str());
}

}  // namespace

void prepare(Distribution& d, const std::string& name, bool tabulate) {
  check_parameters(d, name);
  if (d.kind == DistKind::pert && d.b > d.a) {
    // PERT: a beta on [min, max] with shapes 1 + 4 (mode - min) / (max - min), ...
    d.shape_p = 1.0 + 4.0 * (d.c - d.a) / (d.b - d.a);
    d.shape_q = 1.0 + 4.0 * (d.b - d.c) / (d.b - d.a);
    d.log_beta = std::lgamma(d.shape_p) + std::lgamma(d.shape_q) - std::lgamma(d.shape_p + d.shape_q);
  }
  if (d.kind == DistKind::student_t) {
    d.shape_p = 0.5 * d.c;
    d.shape_q = 0.5;
    d.log_beta = std::lgamma(d.shape_p) + std::lgamma(d.shape_q) - std::lgamma(d.shape_p + d.shape_q);
  }
  d.table.reset();
  d.prepared_for = {d.kind, d.a, d.b, d.c};
  if (tabulate && has_quantile_table(d)) d.table = std::make_shared<const QuantileTable>(d);
}

Distribution make_distribution(DistKind kind, double a, double b, double c, double lower, double upper,
                               const std::string& name) {
  Distribution d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.c = c;
  d.lower = lower;
  d.upper = upper;
  prepare(d, name);
  return d;
}

bool is_prepared(const Distribution& d) {
  const Distribution::Basis& p = d.prepared_for;
  return p.kind == d.kind && p.a == d.a && p.b == d.b && p.c == d.c && (!has_quantile_table(d) || d.table);
}

namespace {

void require_prepared(const Distribution& d) {
  if (!is_prepared(d)) {
    throw InputError(
        "distribution: not prepared for its parameters; build it with random::make_distribution or call "
        "random::prepare after setting them");
  }
}

}  // namespace

double quantile_from_normal(const Distribution& d, double z) {
  require_prepared(d);
  if (d.table && std::fabs(z) <= QuantileTable::z_max) return std::clamp((*d.table)(z), d.lower, d.upper);
  return exact_quantile(d, z);
}

void quantiles_from_normals(const Distribution& d, double* x, std::size_t n) {
  require_prepared(d);
  if (d.table) {
    // quantile_from_normal: the table within its range, the exact quantile beyond.
    std::array<double, 64> z;
    for (std::size_t i0 = 0; i0 < n; i0 += z.size()) {
      const std::size_t m = std::min(z.size(), n - i0);
      double* xi = x + i0;
      std::copy_n(xi, m, z.data());
      d.table->evaluate(z.data(), xi, m);
      for (std::size_t i = 0; i < m; ++i) {
        xi[i] = std::fabs(z[i]) <= QuantileTable::z_max ? std::clamp(xi[i], d.lower, d.upper)
                                                        : exact_quantile(d, z[i]);
      }
    }
    return;
  }
  if (d.kind == DistKind::normal) {
    const double a = d.a, b = d.b, lo = d.lower, hi = d.upper;
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) {
      const double v = a + b * x[i];
      x[i] = v < lo ? lo : (hi < v ? hi : v);  // std::clamp
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) x[i] = exact_quantile(d, x[i]);
}

double exact_quantile_from_normal(const Distribution& d, double z) {
  require_prepared(d);
  return exact_quantile(d, z);
}

namespace {

double exact_quantile(const Distribution& d, double z) {
  // Phi(z) and its complement (two erfc) only for the kinds that read them.
  const bool cdf = d.kind != DistKind::normal && d.kind != DistKind::lognormal;
  const double u = cdf ? normal_cdf(z) : 0.0;
  const double v = d.kind != DistKind::uniform && cdf ? normal_cdf(-z) : 0.0;
  double x = 0.0;
  switch (d.kind) {
    case DistKind::normal:
      x = d.a + d.b * z;
      break;
    case DistKind::lognormal:
      x = std::exp(d.a + d.b * z);
      break;
    case DistKind::uniform:
      x = d.a + (d.b - d.a) * u;
      break;
    case DistKind::triangular:
      x = d.b > d.a ? triangular_quantile(u, v, d.a, d.c, d.b) : d.a;
      break;
    case DistKind::pert:
      x = d.b > d.a ? d.a + (d.b - d.a) * beta_quantile(u, v, d.shape_p, d.shape_q, d.log_beta) : d.a;
      break;
    case DistKind::student_t:
      x = d.a + d.b * student_t_quantile(u, v, d.c, d.shape_p, d.shape_q, d.log_beta);
      break;
  }
  return std::clamp(x, d.lower, d.upper);
}

}  // namespace

}  // namespace wager::random
