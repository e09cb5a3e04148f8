// The tabulated quantile of PERT and Student-t inputs against the exact one,
// to the accuracy docs/model.md §17 states, and what the simulation refuses.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "wager/random/distributions.hpp"
#include "wager/require.hpp"

namespace {

wager::random::Distribution prepared(wager::random::DistKind kind, double a, double b, double c) {
  wager::random::Distribution d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.c = c;
  wager::random::prepare(d, "test");
  return d;
}

// Largest |table - exact| over 16 points per interval of the table, over `scale(x)`.
template <class Scale>
double worst_error(const wager::random::Distribution& d, Scale scale) {
  using wager::random::QuantileTable;
  double worst = 0.0;
  const int n = QuantileTable::intervals * 16;
  for (int i = 0; i <= n; ++i) {
    const double z = -QuantileTable::z_max + 2.0 * QuantileTable::z_max * i / n;
    const double exact = wager::random::exact_quantile_from_normal(d, z);
    const double table = wager::random::quantile_from_normal(d, z);
    worst = std::max(worst, std::fabs(table - exact) / scale(exact));
  }
  return worst;
}

}  // namespace

TEST_CASE("quantile table: PERT within 1e-13 of its width") {
  using wager::random::DistKind;
  const auto d = prepared(DistKind::pert, 0.05, 0.4, 0.2);  // min, max, mode
  REQUIRE(d.table != nullptr);
  CHECK(worst_error(d, [](double) { return 0.35; }) <= 1e-13);
}

TEST_CASE("quantile table: Student t within 1e-9 of max(|x - loc|, scale)") {
  using wager::random::DistKind;
  for (const double df : {1.0, 4.0, 30.0}) {
    const auto d = prepared(DistKind::student_t, 0.1, 0.03, df);  // loc, scale, df
    REQUIRE(d.table != nullptr);
    CHECK(worst_error(d, [](double x) { return std::max(std::fabs(x - 0.1), 0.03); }) <= 1e-9);
  }
}

TEST_CASE("quantile table: only for a PERT with a width or a Student t with a scale") {
  using wager::random::DistKind;
  CHECK(prepared(DistKind::normal, 0.0, 1.0, 0.0).table == nullptr);
  CHECK(prepared(DistKind::pert, 1.0, 1.0, 1.0).table == nullptr);  // min = max
  const auto normal = prepared(DistKind::normal, 0.0, 1.0, 0.0);
  CHECK_THROWS_AS(wager::random::QuantileTable{normal}, wager::InputError);
}

TEST_CASE("quantiles_from_normals: the bits of quantile_from_normal value by value, every kind") {
  using wager::random::DistKind;
  std::vector<double> z;
  for (int i = -1000; i <= 1000; ++i) z.push_back(i * 0.0097);  // -9.7 .. 9.7: both sides of the table's range
  for (double edge : {8.75, -8.75, 8.7500000001, -8.7500000001, 0.0, -0.0, 1e-300}) z.push_back(edge);
  for (const auto& d : {prepared(DistKind::pert, 0.05, 0.4, 0.2), prepared(DistKind::student_t, 0.1, 0.03, 5.0),
                        prepared(DistKind::normal, 0.0, 0.03, 0.0), prepared(DistKind::lognormal, 2.0, 0.3, 0.0),
                        prepared(DistKind::uniform, -0.06, 0.03, 0.0), prepared(DistKind::triangular, 4.0, 8.0, 6.0)}) {
    CAPTURE(static_cast<int>(d.kind));
    std::vector<double> x = z;
    wager::random::quantiles_from_normals(d, x.data(), x.size());
    for (std::size_t i = 0; i < z.size(); ++i) {
      CAPTURE(z[i]);
      CHECK(std::bit_cast<std::uint64_t>(x[i]) == std::bit_cast<std::uint64_t>(wager::random::quantile_from_normal(d, z[i])));
    }
  }
}
