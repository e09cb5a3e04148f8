// step_field_index parses a field's path: every name the model has gives the
// index the table's order gives it, and nothing else matches.
#include <doctest/doctest.h>

#include <string>

#include "fixtures.hpp"
#include "prepared_model.hpp"

namespace {

using wager::detail::step_field_index;
using wager::detail::step_field_index_count;

}  // namespace

TEST_CASE("step_field_index: each segment, regime and global field at its place in the table") {
  const wager::Model m = wager::test::company(6, 4);
  const int n_seg = static_cast<int>(m.segments.size()), n_reg = static_cast<int>(m.regimes.size());
  REQUIRE(n_seg >= 1);
  REQUIRE(n_reg >= 2);
  const char* segment[] = {"revenue", "inference_cost_ratio", "price_change"};
  const char* regime[] = {"demand_growth", "price_change", "valuation_multiple", "raise_success",
                          "spot_price",    "resale_share", "credit_spread"};
  int expected = 0;
  for (int i = 0; i < n_seg; ++i) {
    for (const char* f : segment) CHECK(step_field_index(m, "segments[" + std::to_string(i) + "]." + f) == expected++);
  }
  for (int r = 0; r < n_reg; ++r) {
    for (const char* f : regime) CHECK(step_field_index(m, "regimes[" + std::to_string(r) + "]." + f) == expected++);
  }
  CHECK(step_field_index(m, "training") == expected);
  CHECK(step_field_index(m, "valuation_scale") == step_field_index_count(m) - 1);
}

TEST_CASE("step_field_index: malformed or out-of-range paths match nothing") {
  const wager::Model m = wager::test::company(6, 4);
  const std::string n_seg = std::to_string(m.segments.size()), n_reg = std::to_string(m.regimes.size());
  for (const std::string& bad :
       {"segments[" + n_seg + "].revenue", "regimes[" + n_reg + "].spot_price", std::string("segments[00].revenue"),
        std::string("segments[-0].revenue"), std::string("segments[].revenue"), std::string("segments[0]revenue"),
        std::string("segments[0].revenues"), std::string("segments[0]."), std::string("segments[0"),
        std::string("segments[1x].revenue"), std::string("regimes[0].revenue"), std::string("segments[0].credit_spread"),
        std::string("Training"), std::string("training "), std::string("staff"), std::string("")}) {
    CHECK_MESSAGE(step_field_index(m, bad) == -1, bad);
  }
}
