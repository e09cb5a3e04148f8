// docs/model.md §28 (exposure): the suppliers' exposure and loss sums, their
// merge, and the bounds of their histograms.
#include "wager/exposure.hpp"

#include <algorithm>

#include "distress_resolution.hpp"
#include "exposure_bounds.hpp"
#include "wager/math/elementary.hpp"
#include "wager/shock.hpp"

namespace wager {

void ExposureOutcome::reset(int years, const std::vector<double>& bounds, Claimant first) {
  n_years = years;
  first_claimant = static_cast<std::size_t>(first);
  n_counterparties = bounds.size();
  bound = bounds;
  const auto ny = static_cast<std::size_t>(years);
  exposure = SeriesStats(n_counterparties * ny, exposure_bins + 2);
  loss = SeriesStats(n_counterparties, exposure_bins + 2);
  loss_by_year = SeriesStats(2 * n_counterparties * ny, 1);
}

void ExposureOutcome::merge(const ExposureOutcome& o) {
  exposure.merge(o.exposure);
  loss.merge(o.loss);
  loss_by_year.merge(o.loss_by_year);
}

void ExposureOutcome::clear() {
  exposure.clear();
  loss.clear();
  loss_by_year.clear();
}

void ExposureOutcome::add_distress(const DistressResult& r, int steps_per_year) {
  const std::size_t first = first_claimant;
  if (n_counterparties == 0 || r.claimant_claims.size() < first + n_counterparties) return;
  const auto ny = static_cast<std::size_t>(n_years);
  const auto y = static_cast<std::size_t>(std::min(r.distress_step / steps_per_year, n_years - 1));
  // §13: the discount factor from the start to the end of the distress step.
  const double today = math::exp(r.log_discount);
  for (std::size_t c = 0; c < n_counterparties; ++c) {
    const double lost = r.claimant_claims[first + c] - r.claimant_recovered[first + c];
    if (!(lost - lost == 0.0)) {  // NaN or infinite: counted, not summed
      ++loss.non_finite[c];
      continue;
    }
    loss.add_prepared(c, to_fixed(lost), linear_bin(lost, bound[c], exposure_bins));
    loss_by_year.add_prepared(2 * c * ny + y, to_fixed(lost), 0);
    loss_by_year.add_prepared((2 * c + 1) * ny + y, to_fixed(lost * today), 0);
  }
}

}  // namespace wager

namespace wager::detail {

std::vector<double> exposure_bounds(const PreparedModel& pm, bool per_path) {
  const std::size_t n = pm.n_counterparties;
  std::vector<double> bound(n, 0.0);
  if (n == 0) return bound;
  // Every payment from the first step on, by supplier (due after step -1).
  due_after(pm, -1, bound.data());
  if (pm.failure_counterparty >= 0 && !pm.at_risk_after.empty()) {
    bound[static_cast<std::size_t>(pm.failure_counterparty)] += pm.commit_at_risk[0] + pm.at_risk_after[0];
  }
  // The owed share (commit_scale + penalty_share) is at most 1 (§11, 5.);
  // a path with its own parameters may owe more than the shared model.
  for (double& b : bound) b *= per_path ? 2.0 : 1.0;
  return bound;
}

std::vector<double> lender_bounds(const Model& m, bool per_path) {
  if (!(m.initial_debt > 0.0) && !(m.credit_limit > 0.0)) return {};
  // The facility is drawn up to its limit; the term debt only falls from
  // its start (a backstop's rescue may lift it beyond: its quantiles NaN).
  const double scale = per_path ? 2.0 : 1.0;
  return {scale * std::max(m.credit_limit, 0.0), scale * std::max(m.initial_debt, 0.0)};
}

std::vector<double> lender_bounds(const Strategy& s) {
  Model model = s.model;
  apply_constant_shocks(model, s.shocks);
  return lender_bounds(model, !s.inputs.empty() || has_trigger(s.shocks));
}

std::vector<double> exposure_bounds(const Strategy& s) {
  if (counterparty_names(s.model).empty()) return {};
  Model model = s.model;
  apply_constant_shocks(model, s.shocks);
  const PreparedModel pm(model, &s.shocks);
  return exposure_bounds(pm, !s.inputs.empty() || has_trigger(s.shocks));
}

}  // namespace wager::detail
