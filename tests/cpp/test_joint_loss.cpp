// Two bets' losses to one supplier on the same paths (docs/model.md §28,
// "The joint view"): suppliers matched by name, the grid's cells and the
// combined loss's bins by hand, and merges that give the same integers in
// any order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "wager/joint_loss.hpp"

namespace {

// Bet a serves X (bound 100) and Y (40); bet b serves Z (10) and X (60).
wager::JointLossOutcome outcome() {
  wager::JointLossOutcome j;
  j.reset({"X", "Y"}, {100.0, 40.0}, {"Z", "X"}, {10.0, 60.0});
  return j;
}

}  // namespace

TEST_CASE("the suppliers of either bet are matched by name, a's first") {
  const wager::JointLossOutcome j = outcome();
  REQUIRE(j.size() == 3);
  CHECK(j.of_a == std::vector<int>{0, 1, -1});
  CHECK(j.of_b == std::vector<int>{1, -1, 0});
  CHECK(j.bound_a == std::vector<double>{100.0, 40.0, 0.0});
  CHECK(j.bound_b == std::vector<double>{60.0, 0.0, 10.0});
  CHECK(j.grid.n_series == 3);
  CHECK(j.grid.n_bins == 22 * 22);
  CHECK(j.combined.n_series == 3 * (wager::exposure_bins + 2));
}

TEST_CASE("a path's two losses land in their cell and their sum's bin") {
  wager::JointLossOutcome j = outcome();
  // X: 30 on a (bin 1 + floor(30 x 20 / 100) = 7), 45 on b (1 + floor(45 x
  // 20 / 60) = 16); combined 75 of 160: bin 1 + floor(75 x 1000 / 160) = 469.
  const double la[] = {30.0, 0.0};
  const double lb[] = {2.5, 45.0};
  j.add(la, lb);
  CHECK(j.grid.histogram[0 * 484 + 7 * 22 + 16] == 1);
  CHECK(j.grid.sum[0] == wager::to_fixed(30.0) + wager::to_fixed(45.0));
  const std::size_t fine = wager::exposure_bins + 2;
  CHECK(j.combined.histogram[0 * fine + 469] == 1);
  CHECK(j.combined.sum[0 * fine + 469] == wager::to_fixed(75.0));
  // Y: no loss on a, not b's supplier: cell (0, 0), bin 0.
  CHECK(j.grid.histogram[1 * 484 + 0] == 1);
  CHECK(j.combined.histogram[1 * fine + 0] == 1);
  // Z: b's only, 2.5 of 10: cell (0, 1 + floor(2.5 x 20 / 10) = 6); combined
  // on [0, 10]: bin 1 + 250 = 251.
  CHECK(j.grid.histogram[2 * 484 + 0 * 22 + 6] == 1);
  CHECK(j.combined.histogram[2 * fine + 251] == 1);
  // A loss above the bound: the last cell on that side.
  const double big[] = {150.0, 0.0};
  j.add(big, lb);
  CHECK(j.grid.histogram[0 * 484 + 21 * 22 + 16] == 1);
}

TEST_CASE("joint losses merge to the same integers in any order") {
  const double paths[3][2][2] = {{{30.0, 1.0}, {0.0, 45.0}}, {{0.0, 0.0}, {7.0, 0.0}}, {{99.0, 40.0}, {3.0, 60.0}}};
  wager::JointLossOutcome all = outcome(), first = outcome(), second = outcome();
  for (int p = 0; p < 3; ++p) {
    all.add(paths[p][0], paths[p][1]);
    (p == 1 ? second : first).add(paths[p][0], paths[p][1]);
  }
  wager::JointLossOutcome merged = outcome();
  merged.merge(second);
  merged.merge(first);
  CHECK(merged.grid.sum == all.grid.sum);
  CHECK(merged.grid.sum_squares == all.grid.sum_squares);
  CHECK(merged.grid.histogram == all.grid.histogram);
  CHECK(merged.combined.sum == all.combined.sum);
  CHECK(merged.combined.histogram == all.combined.histogram);
  all.clear();
  CHECK(all.grid.sum == outcome().grid.sum);
}
