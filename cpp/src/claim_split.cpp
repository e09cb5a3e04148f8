// docs/model.md §27, 1. (each supplier's claim).
#include "claim_split.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace wager::detail {

void ClaimSplit::reset(const Model& m, int n_steps) {
  const std::vector<std::string> names = counterparty_names(m);
  n_ = names.size();
  n_steps_ = n_steps;
  spy_ = m.steps_per_year;
  of_contract_.clear();
  for (const Contract& c : m.contracts) {
    of_contract_.push_back(static_cast<int>(std::distance(names.begin(), std::find(names.begin(), names.end(), c.counterparty))));
  }
  const auto n_years = static_cast<std::size_t>(m.n_years);
  std::vector<double> year_part(n_years * n_, 0.0);
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
  const auto ns = static_cast<std::size_t>(n_steps);
  parts_.resize(ns * n_);
  for (std::size_t k = 0; k < ns; ++k) {
    const std::size_t y = k / static_cast<std::size_t>(spy_);
    std::copy_n(&year_part[y * n_], n_, &parts_[k * n_]);
  }
  moved_.assign(ns, 0);
}

void ClaimSplit::move(int contract, int k, double delta) {
  if (delta == 0.0 || n_ == 0) return;
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
    if (!moved_[k]) {
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
