// The market's reading of the company and the price of a round
// (docs/model.md §11, 2. and 4.): known answers of the lane functions.
#include <doctest/doctest.h>

#include <cmath>

#include "funding_score.hpp"
#include "round_price.hpp"

namespace {

using wager::detail::funding_factor;
using wager::detail::going_concern_flow;
using wager::detail::round_price;
using wager::detail::scaled_chance;
using wager::detail::trailing_score;

}  // namespace

TEST_CASE("the trailing score is growth plus the weighted margin, each within +-1000%") {
  CHECK(trailing_score(150.0, 100.0, -30.0, 1.0) == doctest::Approx(0.5 - 0.2).epsilon(1e-15));
  CHECK(trailing_score(150.0, 100.0, -30.0, 1.0 / 3.0) == doctest::Approx(0.5 - 0.2 / 3.0).epsilon(1e-15));
  // No revenue the year before: the most growth counted; none now and a loss: the lowest margin.
  CHECK(trailing_score(5.0, 0.0, 1.0, 1.0) == doctest::Approx(10.0 + 0.2));
  CHECK(trailing_score(0.0, 5.0, -1.0, 1.0) == doctest::Approx(-1.0 - 10.0));
  CHECK(trailing_score(0.0, 0.0, 0.0, 1.0) == 0.0);
  CHECK(std::isfinite(trailing_score(1e-300, 1e-300, -1e300, 2.0)));
}

TEST_CASE("the funding factor is exp(k (clip(S) - S0)) and scales a chance as a hazard") {
  wager::FundingScore f;  // k 1.5, S0 0.4, [-1, 1]
  CHECK(funding_factor(0.4, f) == 1.0);
  CHECK(funding_factor(0.0, f) == doctest::Approx(std::exp(-0.6)).epsilon(1e-15));
  CHECK(funding_factor(7.0, f) == doctest::Approx(std::exp(0.9)).epsilon(1e-15));
  CHECK(funding_factor(-7.0, f) == doctest::Approx(std::exp(-2.1)).epsilon(1e-15));
  CHECK(scaled_chance(0.6, 1.0) == doctest::Approx(0.6).epsilon(1e-15));
  CHECK(scaled_chance(0.6, 2.0) == doctest::Approx(1.0 - 0.16).epsilon(1e-15));
  CHECK(scaled_chance(1.0, 0.1) == 1.0);
  CHECK(scaled_chance(0.0, 5.0) == 0.0);
}

TEST_CASE("a round is priced at the multiple blended with the going concern's DCF") {
  // Revenue 10 in a quarter, inference 4 of which 1 owned, spot 1.5, opex 2,
  // tax 20%: (10 - 3 x 1.5 - 2) x 0.8 / 0.25 = 11.2 a year.
  const double flow = going_concern_flow(10.0, 4.0, 1.0, 1.5, 2.0, 0.2, 0.25);
  CHECK(flow == doctest::Approx(11.2).epsilon(1e-15));
  CHECK(going_concern_flow(1.0, 4.0, 0.0, 1.0, 2.0, 0.2, 1.0) == -5.0);  // a loss is not taxed
  const double perpetuity = 1.02 / (0.12 - 0.02);
  CHECK(round_price(400.0, flow, perpetuity, 0.25) == doctest::Approx(0.75 * 400.0 + 0.25 * 11.2 * 10.2));
  CHECK(round_price(400.0, -5.0, perpetuity, 0.5) == 200.0);  // a negative flow is worth nothing
  CHECK(round_price(400.0, flow, perpetuity, 0.0) == 400.0);  // the multiple's value, bit for bit
}
