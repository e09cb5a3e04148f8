// The suppliers' parts of the commitments step by step, after a model's
// shocks (docs/model.md §27, 1.): a distress claim splits the commitments
// still due by them, so a shock on one contract moves its supplier's claim.
#pragma once

#include <cstddef>
#include <vector>

#include "wager/model.hpp"

namespace wager::detail {

class ClaimSplit {
 public:
  /// The parts as the contracts plan them, no step moved yet.
  void reset(const Model& m, int n_steps);
  /// A shock's change `delta` (US$ bn / year) to the commitments at step k:
  /// all of it to one contract's supplier, or (contract -1, the commitments
  /// as a whole) to each supplier in proportion to its part at the step.
  void move(int contract, int k, double delta);
  /// Each supplier's share of the commitments at each step, [k * n + c]: the
  /// planned year's shares where no shock moved the step (bit for bit as
  /// planned), else the moved parts' (a negative part counts as 0).
  void shares(std::vector<double>& out) const;
  /// The planned shares by year, [y * n + c]: every step's when yearly().
  const std::vector<double>& year_shares() const { return year_share_; }

  std::size_t n_counterparties() const { return n_; }
  /// No step moved: every step's shares are its year's.
  bool yearly() const { return moved_.empty(); }
  /// The supplier of contract `contract` (an index into Model::contracts).
  int counterparty_of(int contract) const { return of_contract_[static_cast<std::size_t>(contract)]; }

 private:
  std::size_t n_ = 0;
  bool mapped_ = false;  ///< of_contract_ and n_ set (the model's contracts are fixed)
  int n_steps_ = 0;
  int spy_ = 1;
  std::vector<int> of_contract_;     ///< contract -> supplier (counterparty_names order)
  std::vector<double> year_share_;   ///< [y * n + c]: the planned shares
  std::vector<double> parts_;        ///< [k * n + c]: US$ bn / year, after the moves (laid out at the first)
  std::vector<char> moved_;          ///< per step: a shock changed it (empty: none did)
  std::vector<double> year_part_;    ///< [y * n + c]: reset()'s scratch, kept for its room
};

}  // namespace wager::detail
