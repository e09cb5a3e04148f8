// docs/model.md §27, 1. (each supplier's claim).
#include "claim_split.hpp"

#include <algorithm>

namespace wager::detail {

void ClaimSplit::reset(const Model& m, int n_steps) {
  // Suppliers in counterparty_names' order (first appearance), without
  // building the names: a lane's model is reset once per path.
  n_steps_ = n_steps;
  spy_ = m.steps_per_year;
  if (!mapped_) {
    // A model's contracts and their suppliers never change (only the payments do).
    for (std::size_t i = 0; i < m.contracts.size(); ++i) {
      std::size_t j = 0;
      while (j < i && m.contracts[j].counterparty != m.contracts[i].counterparty) ++j;
      of_contract_.push_back(j < i ? of_contract_[j] : static_cast<int>(n_++));
    }
    mapped_ = true;
  }
  const auto n_years = static_cast<std::size_t>(m.n_years);
  std::vector<double>& year_part = year_part_;
  year_part.assign(n_years * n_, 0.0);
  for (std::size_t i = 0; i < m.contracts.size(); ++i) {
    const auto c = static_cast<std::size_t>(of_contract_[i]);
    for (std::size_t y = 0; y < n_years; ++y) year_part[y * n_ + c] += m.contracts[i].payments[y];
  }
  year_share_.assign(n_years * n_, 0.0);
  for (std::size_t y = 0; y < n_years; ++y) {
    double total = 0.0;
    for (std::size_t c = 0; c < n_; ++c) total += year_part[y * n_ + c];
    for (std::size_t c = 0; c < n_; ++c) year_share_[y * n_ + c] = total > 0.0 ? year_part[y * n_ + c] / total : 0.0;
  }
  moved_.clear();  // the parts per step are laid out at the first move
}

void ClaimSplit::move(int contract, int k, double delta) {
  if (delta == 0.0 || n_ == 0) return;
  if (moved_.empty()) {
    const auto ns = static_cast<std::size_t>(n_steps_);
    parts_.resize(ns * n_);
    for (std::size_t t = 0; t < ns; ++t) {
      std::copy_n(&year_part_[(t / static_cast<std::size_t>(spy_)) * n_], n_, &parts_[t * n_]);
    }
    moved_.assign(ns, 0);
  }
  const auto ku = static_cast<std::size_t>(k);
  double* part = &parts_[ku * n_];
  moved_[ku] = 1;
  if (contract >= 0) {
    part[static_cast<std::size_t>(counterparty_of(contract))] += delta;
    return;
  }
  double total = 0.0;
  for (std::size_t c = 0; c < n_; ++c) total += std::max(part[c], 0.0);
  if (!(total > 0.0)) return;  // nothing to split by: no supplier is owed at the step
  for (std::size_t c = 0; c < n_; ++c) part[c] += delta * (std::max(part[c], 0.0) / total);
}

void ClaimSplit::shares(std::vector<double>& out) const {
  const auto ns = static_cast<std::size_t>(n_steps_);
  out.resize(ns * n_);
  for (std::size_t k = 0; k < ns; ++k) {
    double* share = &out[k * n_];
    if (moved_.empty() || !moved_[k]) {
      std::copy_n(&year_share_[(k / static_cast<std::size_t>(spy_)) * n_], n_, share);
      continue;
    }
    const double* part = &parts_[k * n_];
    double total = 0.0;
    for (std::size_t c = 0; c < n_; ++c) total += std::max(part[c], 0.0);
    for (std::size_t c = 0; c < n_; ++c) share[c] = total > 0.0 ? std::max(part[c], 0.0) / total : 0.0;
  }
}

}  // namespace wager::detail
