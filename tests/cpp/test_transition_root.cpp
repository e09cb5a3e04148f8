// The per-step transition matrix (wager/transition.hpp, docs/model.md §18):
// known roots in closed form, the format's default chain, and each refusal
// naming its field.
#include <doctest/doctest.h>

#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "wager/model.hpp"
#include "wager/require.hpp"
#include "wager/transition.hpp"

namespace {

using Matrix = std::vector<double>;

Matrix times(const Matrix& a, const Matrix& b, std::size_t n) {
  Matrix c(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t l = 0; l < n; ++l) c[i * n + j] += a[i * n + l] * b[l * n + j];
  return c;
}

Matrix power(const Matrix& a, int k, std::size_t n) {
  Matrix p = a;
  for (int i = 1; i < k; ++i) p = times(p, a, n);
  return p;
}

double max_difference(const Matrix& a, const Matrix& b) {
  REQUIRE(a.size() == b.size());
  double d = 0.0;
  for (std::size_t e = 0; e < a.size(); ++e) d = std::max(d, std::abs(a[e] - b[e]));
  return d;
}

// Every entry >= 0 and every row summing to 1 within 1e-15.
void check_stochastic(const Matrix& p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    double total = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      CHECK(p[i * n + j] >= 0.0);
      total += p[i * n + j];
    }
    CHECK(std::abs(total - 1.0) <= 1e-15);
  }
}

// P = [[1-a, a], [b, 1-b]] has eigenvalues 1 and 1-a-b, and
// P^t = Pi + (1-a-b)^t (I - Pi), Pi the projector whose rows are the
// stationary law (b, a) / (a + b).
Matrix two_state_power(double a, double b, double t) {
  const double pi0 = b / (a + b), pi1 = a / (a + b), l = std::pow(1.0 - a - b, t);
  return {pi0 + l * (1.0 - pi0), pi1 - l * pi1, pi0 - l * pi0, pi1 + l * (1.0 - pi1)};
}

// exp(t Q) for the circulant generator Q = circ(-(a + b), a, b) (from regime
// i to i+1 at rate a, to i+2 at rate b): Q's eigenvalues are
// mu_j = -(a+b) + a w^j + b w^2j, w = e^(2 pi i/3), and exp(t Q) is the
// circulant whose first row is c_m = (1/3) sum_j e^(t mu_j) w^(-jm).
Matrix circulant_exp(double a, double b, double t) {
  const std::complex<double> w = std::polar(1.0, 2.0 * std::numbers::pi / 3.0);
  double c[3];
  for (int m = 0; m < 3; ++m) {
    std::complex<double> sum = 0.0;
    for (int j = 0; j < 3; ++j) {
      const std::complex<double> mu = -(a + b) + a * std::pow(w, j) + b * std::pow(w, 2 * j);
      sum += std::exp(t * mu) * std::pow(w, -j * m);
    }
    c[m] = sum.real() / 3.0;
  }
  Matrix e(9);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) e[static_cast<std::size_t>(i * 3 + j)] = c[(j - i + 3) % 3];
  return e;
}

// Runs `call`, which must throw InputError naming `field`; returns its reason.
template <class Call>
std::string refused(Call&& call, const std::string& field) {
  return wager::test::refusal(call, field).reason();
}

}  // namespace

TEST_CASE("a two-state chain's root is its closed form") {
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{0.1, 0.4}, {0.3, 0.2}, {0.05, 0.01}, {0.45, 0.5}}) {
    const Matrix yearly = two_state_power(a, b, 1.0);
    for (int k : {2, 3, 4, 12}) {
      CAPTURE(a);
      CAPTURE(b);
      CAPTURE(k);
      const Matrix root = wager::per_step_transition(yearly, 2, k);
      CHECK(max_difference(root, two_state_power(a, b, 1.0 / k)) <= 1e-14);
      CHECK(max_difference(power(root, k, 2), yearly) <= 1e-14);
      check_stochastic(root, 2);
    }
  }
}

TEST_CASE("a 3-state chain embedded in a generator: its root is exp(Q / k)") {
  // A circulant generator with complex eigenvalues (-0.6 +- 0.17i): the
  // root is real although the eigenvalues are not; exp(Q/k) is the principal
  // root since |Im mu| / k < pi.
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{0.3, 0.1}, {1.2, 0.2}, {0.05, 0.0}}) {
    const Matrix yearly = circulant_exp(a, b, 1.0);
    for (int k : {4, 12}) {
      CAPTURE(a);
      CAPTURE(k);
      const Matrix root = wager::per_step_transition(yearly, 3, k);
      CHECK(max_difference(root, circulant_exp(a, b, 1.0 / k)) <= 1e-14);
      CHECK(max_difference(power(root, k, 3), yearly) <= 1e-14);
      check_stochastic(root, 3);
    }
  }
}

TEST_CASE("the format's default chain in quarterly and monthly steps") {
  const Matrix yearly = wager::default_yearly_transition();
  // scipy.linalg.fractional_matrix_power(P, 1/k) (scipy 1.17.1), a Schur method.
  const Matrix scipy_quarterly = {0.9081301808643544,  0.07883740796550986, 0.013032411170135214,
                                  0.04837693673118564, 0.9182321594384543,  0.03339090383035992,
                                  0.007659951410736519, 0.11955439328595895, 0.8727856553033042};
  const Matrix scipy_monthly = {0.9678860757173633,   0.02776181111402748, 0.004352113168608515,
                                0.017128613082565115, 0.9709522077564762,  0.01191917916095866,
                                0.0019944810978651775, 0.04289594309872729, 0.955109575803407};
  const Matrix quarterly = wager::per_step_transition(yearly, 3, 4);
  const Matrix monthly = wager::per_step_transition(yearly, 3, 12);
  CHECK(max_difference(quarterly, scipy_quarterly) <= 1e-14);
  CHECK(max_difference(monthly, scipy_monthly) <= 1e-14);
  CHECK(max_difference(power(quarterly, 4, 3), yearly) <= 1e-14);
  CHECK(max_difference(power(monthly, 12, 3), yearly) <= 1e-14);
  check_stochastic(quarterly, 3);
  check_stochastic(monthly, 3);
  // The model's overload: its regimes and steps per year.
  const wager::Model model = wager::make_model({wager::make_segment("api", {1.0, 1.0}, {0.3, 0.3})}, 10.0, 2026,
                                               2027, 4);
  CHECK(wager::per_step_transition(yearly, model) == quarterly);
}

TEST_CASE("one step a year returns the yearly matrix itself") {
  const Matrix flips = {0.0, 1.0, 1.0, 0.0};  // no root, but none is needed
  CHECK(wager::per_step_transition(flips, 2, 1) == flips);
  CHECK(wager::per_step_transition(wager::default_yearly_transition(), 3, 1) == wager::default_yearly_transition());
}

TEST_CASE("the identity's root is the identity") {
  const Matrix identity = {1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
  CHECK(wager::per_step_transition(identity, 3, 12) == identity);
}

TEST_CASE("a matrix that is not a yearly transition matrix is refused, naming the field") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  refused([] { wager::per_step_transition({0.9, 0.1, 0.2, 0.8}, 2, 0); }, "time.steps_per_year");
  CHECK(refused([] { wager::per_step_transition({0.9, 0.1, 0.2}, 2, 4); }, "market.transition")
            .find("expected 2 x 2") != std::string::npos);
  refused([] { wager::per_step_transition({}, 0, 4); }, "market.transition");
  refused([&] { wager::per_step_transition({0.9, nan, 0.2, 0.8}, 2, 4); }, "market.transition.[0].[1]");
  refused([] { wager::per_step_transition({0.9, 0.1, 1.5, -0.5}, 2, 4); }, "market.transition.[1].[0]");
  CHECK(refused([] { wager::per_step_transition({0.9, 0.1, 0.7, 0.8}, 2, 1); }, "market.transition.[1]")
            .find("sum to 1.5") != std::string::npos);
  // Named by regime with the model's overload (fixtures: normal, bust).
  const wager::Model model = wager::test::company();
  refused([&] { wager::per_step_transition({0.9, 0.1, 0.2, std::numeric_limits<double>::infinity()}, model); },
          "market.transition.bust.bust");
  refused([&] { wager::per_step_transition({0.9, 0.2, 0.2, 0.8}, model); }, "market.transition.normal");
}

TEST_CASE("a chain with no real k-th root is refused in Python's words") {
  const std::string no_root = "has no real 4-th root per step";
  const std::string advice = "; use steps_per_year = 1";
  // Flips every year: eigenvalue -1.
  std::string why = refused([] { wager::per_step_transition({0.0, 1.0, 1.0, 0.0}, 2, 4); }, "market.transition");
  CHECK(why == no_root + advice);
  // Eigenvalue -0.5: the real iteration never converges (and stops).
  why = refused([] { wager::per_step_transition({0.3, 0.7, 0.8, 0.2}, 2, 4); }, "market.transition");
  CHECK(why == no_root + advice);
  // Eigenvalue -0.5 twice (always move, uniformly).
  why = refused([] { wager::per_step_transition({0.0, 0.5, 0.5, 0.5, 0.0, 0.5, 0.5, 0.5, 0.0}, 3, 12); },
                "market.transition");
  CHECK(why.find("use steps_per_year = 1") != std::string::npos);
  // Singular with a Jordan block at 0 (regime 0 -> 1 -> 2, which stays):
  // P^2 has rank 1 and P rank 2, so no matrix squares to P.
  why = refused([] { wager::per_step_transition({0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0}, 3, 4); },
                "market.transition");
  CHECK(why == no_root + " (it is singular, without a full set of eigenvectors for eigenvalue 0)" + advice);
}

TEST_CASE("a singular chain's root keeps its eigenvalue 0") {
  // Equal rows (regimes drawn afresh each year): P is a projector, P^k = P,
  // and the principal root (0^(1/k) = 0) is P itself.
  const Matrix halves = {0.5, 0.5, 0.5, 0.5};
  CHECK(max_difference(wager::per_step_transition(halves, 2, 4), halves) <= 1e-15);
  const Matrix always_bust = {0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0};  // wager.race(bust=100)
  CHECK(max_difference(wager::per_step_transition(always_bust, 3, 12), always_bust) <= 1e-15);
  // Two equal rows: R has eigenvalues 1, 0.9 and 0, the yearly matrix is
  // R^4, and (Sylvester's formula, with 0^t = 0 for t > 0)
  // R^t = sum over lambda of lambda^t prod_{mu != lambda} (R - mu I) / (lambda - mu).
  const Matrix r = {0.6, 0.4, 0.0, 0.6, 0.4, 0.0, 0.05, 0.05, 0.9};
  const auto r_power = [&r](double t) {
    const double eigenvalues[] = {1.0, 0.9, 0.0};
    Matrix sum(9, 0.0);
    for (double lambda : eigenvalues) {
      if (lambda == 0.0) continue;
      Matrix term = {1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
      for (double mu : eigenvalues) {
        if (mu == lambda) continue;
        Matrix factor = r;
        for (std::size_t i = 0; i < 3; ++i) factor[i * 3 + i] -= mu;
        term = times(term, factor, 3);
        for (double& v : term) v /= lambda - mu;
      }
      for (std::size_t e = 0; e < 9; ++e) sum[e] += std::pow(lambda, t) * term[e];
    }
    return sum;
  };
  const Matrix yearly = r_power(4.0);
  CHECK(max_difference(yearly, power(r, 4, 3)) <= 1e-15);
  for (int k : {4, 12}) {
    CAPTURE(k);
    const Matrix root = wager::per_step_transition(yearly, 3, k);
    CHECK(max_difference(root, r_power(4.0 / k)) <= 1e-14);
    CHECK(max_difference(power(root, k, 3), yearly) <= 1e-14);
    check_stochastic(root, 3);
  }
}

TEST_CASE("a root with negative entries is refused in Python's words") {
  // Upper triangular with a zero corner: P^2 reaches regime 2 from regime 0
  // but P does not, so the root's corner is negative (-0.00106, as scipy's).
  const Matrix yearly = {0.9, 0.1, 0.0, 0.0, 0.9, 0.1, 0.0, 0.0, 1.0};
  const std::string why = refused([&] { wager::per_step_transition(yearly, 3, 4); }, "market.transition");
  CHECK(why == "its 4-th root has negative entries (-0.0011): no chain with this step has these yearly "
               "transitions; use steps_per_year = 1");
}
