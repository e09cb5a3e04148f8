// Distributions of uncertain inputs, sampled through a Gaussian copula: each
// input gets a (correlated) standard normal z and maps it through its own
// quantile function, x = F^-1(Phi(z)).
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string>

#include "wager/random/quantile_table.hpp"

namespace wager::random {

enum class DistKind { normal, lognormal, uniform, triangular, pert, student_t };

/// One uncertain input's distribution, in canonical parameters:
///   normal: a = mean, b = sd;  lognormal: a = mu, b = sigma (of the log);
///   uniform: a = min, b = max;  triangular and pert: a = min, c = mode, b = max;
///   student_t: a = loc, b = scale, c = degrees of freedom.
/// Draws are clamped to [lower, upper], the input's allowed range.
///
/// A distribution is sampled only once prepared: make_distribution builds a
/// prepared one; prepare() prepares one built field by field (again after
/// its parameters change). The quantile functions below throw InputError on
/// one that is not (is_prepared); a simulation prepares its inputs itself.
struct Distribution {
  DistKind kind = DistKind::normal;
  double a = 0.0, b = 1.0, c = 0.0;
  double lower = -1e300, upper = 1e300;
  // Set by prepare(): the beta shape of pert / student_t and its log B(p, q).
  double shape_p = 0.0, shape_q = 0.0, log_beta = 0.0;
  /// Set by prepare() for pert and student_t: the tabulated quantile that
  /// quantile_from_normal reads (shared, read-only, between copies).
  std::shared_ptr<const QuantileTable> table;
  /// Set by prepare(): the kind and parameters the derived fields above were
  /// computed from (NaN until then), so that a change is noticed.
  struct Basis {
    DistKind kind = DistKind::normal;
    double a = std::numeric_limits<double>::quiet_NaN();
    double b = std::numeric_limits<double>::quiet_NaN();
    double c = std::numeric_limits<double>::quiet_NaN();
  } prepared_for;
};

/// Checks the parameters and fills the derived fields (with `tabulate`, the
/// quantile table of a PERT or Student t, a few milliseconds); throws
/// InputError naming `name` (the input's field path).
void prepare(Distribution& d, const std::string& name, bool tabulate = true);

/// A prepared distribution of `kind` with parameters a, b, c (see
/// Distribution) and draws clamped to [lower, upper]; throws InputError
/// naming `name` if the parameters are not usable.
Distribution make_distribution(DistKind kind, double a, double b, double c = 0.0, double lower = -1e300,
                               double upper = 1e300, const std::string& name = "distribution");

/// True when `d` was prepared (with its table, if it has one) for its
/// current kind and parameters a, b, c.
bool is_prepared(const Distribution& d);

/// True when prepare() gives `d` a quantile table (a PERT with max > min, a
/// Student t with scale > 0).
bool has_quantile_table(const Distribution& d);

/// Standard normal CDF.
double normal_cdf(double z);

/// The regularized incomplete beta function I_x(p, q), given log B(p, q).
double incomplete_beta(double x, double p, double q, double log_beta);

/// Its inverse in x (Newton steps safeguarded by bisection).
double inverse_incomplete_beta(double u, double p, double q, double log_beta);

/// x = F^-1(Phi(z)), clamped to [lower, upper]: from the distribution's
/// table when it has one and |z| <= QuantileTable::z_max (its accuracy is
/// stated there), else exact. Thread-safe, no allocation. The simulation's
/// draws. `d` must be prepared (else InputError).
double quantile_from_normal(const Distribution& d, double z);

/// The same quantile, always computed exactly (to ~1e-15 relative; the
/// table's reference). `d` must be prepared (else InputError).
double exact_quantile_from_normal(const Distribution& d, double z);

/// quantile_from_normal over n values in place, x[i] = F^-1(Phi(x[i])):
/// the same bits, with the normal's and the table's kinds vectorised. `d`
/// must be prepared (else InputError).
void quantiles_from_normals(const Distribution& d, double* x, std::size_t n);

}  // namespace wager::random
