// Distributions of uncertain inputs, sampled through a Gaussian copula: each
// input gets a (correlated) standard normal z and maps it through its own
// quantile function, x = F^-1(Phi(z)).
#pragma once

#include <string>

namespace wager::random {

enum class DistKind { normal, lognormal, uniform, triangular, pert, student_t };

/// One uncertain input's distribution, in canonical parameters:
///   normal: a = mean, b = sd;  lognormal: a = mu, b = sigma (of the log);
///   uniform: a = min, b = max;  triangular and pert: a = min, c = mode, b = max;
///   student_t: a = loc, b = scale, c = degrees of freedom.
/// Draws are clamped to [lower, upper], the input's allowed range.
struct Distribution {
  DistKind kind = DistKind::normal;
  double a = 0.0, b = 1.0, c = 0.0;
  double lower = -1e300, upper = 1e300;
  // Set by prepare(): the beta shape of pert / student_t and its log B(p, q).
  double shape_p = 0.0, shape_q = 0.0, log_beta = 0.0;
};

/// Checks the parameters and fills the derived fields; throws InputError.
void prepare(Distribution& d, const std::string& name);

/// Standard normal CDF.
double normal_cdf(double z);

/// The regularized incomplete beta function I_x(p, q), given log B(p, q).
double incomplete_beta(double x, double p, double q, double log_beta);

/// Its inverse in x (Newton steps safeguarded by bisection).
double inverse_incomplete_beta(double u, double p, double q, double log_beta);

/// x = F^-1(Phi(z)), clamped to [lower, upper]. Thread-safe, no allocation.
double quantile_from_normal(const Distribution& d, double z);

}  // namespace wager::random
