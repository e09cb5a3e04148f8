// A Model's preconditions: every series the right length, every field in
// range, refused with InputError naming the field before any run.
#include <algorithm>
#include <cmath>
#include <string>

#include "wager/model.hpp"
#include "wager/require.hpp"

namespace wager {

namespace {
void check_series(const YearlySeries& s, int n_years, const std::string& name) {
  WAGER_REQUIRE(static_cast<int>(s.size()) == n_years,
                name << ": expected " << n_years << " yearly values, got " << s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    WAGER_REQUIRE(std::isfinite(s[i]), name << "[" << i << "]: not a finite number");
  }
}
void check_cost(const CostLine& c, int n_years, const std::string& name) {
  check_series(c.fixed, n_years, name + ".fixed");
  check_series(c.of_revenue, n_years, name + ".of_revenue");
}
// Each counterparty's commitments, and their sum: the model's commitments.
void check_counterparties(const Model& m) {
  if (m.counterparties.empty()) return;
  YearlySeries total(static_cast<std::size_t>(m.n_years), 0.0);
  for (std::size_t c = 0; c < m.counterparties.size(); ++c) {
    const auto& cp = m.counterparties[c];
    const std::string name = "counterparties[" + std::to_string(c) + "].commitments";
    check_series(cp.commitments, m.n_years, name);
    for (std::size_t y = 0; y < cp.commitments.size(); ++y) {
      WAGER_REQUIRE(cp.commitments[y] >= 0.0, name << "[" << y << "] must be >= 0, got " << cp.commitments[y]);
      total[y] += cp.commitments[y];
    }
  }
  for (std::size_t y = 0; y < total.size(); ++y) {
    const double c = m.commitments[y];
    WAGER_REQUIRE(std::abs(total[y] - c) <= 1e-9 * std::max(1.0, std::abs(c)),
                  "counterparties' commitments in year " << y << " sum to " << total[y]
                                                         << ", not the commitments' " << c);
  }
}
}  // namespace

void validate(const Model& m) {
  WAGER_REQUIRE(m.n_years >= 1, "n_years must be >= 1, got " << m.n_years);
  WAGER_REQUIRE(m.steps_per_year == 1 || m.steps_per_year == 4 || m.steps_per_year == 12,
                "steps_per_year must be 1, 4 or 12, got " << m.steps_per_year);
  WAGER_REQUIRE(!m.segments.empty(), "segments: at least one revenue segment is needed");
  for (const Segment& s : m.segments) {
    check_series(s.revenue, m.n_years, "segments." + s.name + ".revenue");
    check_series(s.inference_cost_ratio, m.n_years, "segments." + s.name + ".inference_cost_ratio");
    check_series(s.price_change, m.n_years, "segments." + s.name + ".price_change");
    for (double pc : s.price_change) {
      WAGER_REQUIRE(pc > -1.0, "segments." + s.name + ".price_change must be > -1, got " << pc);
    }
  }
  WAGER_REQUIRE(!m.regimes.empty(), "regimes: at least one regime is needed");
  WAGER_REQUIRE(m.initial_regime >= 0 && m.initial_regime < static_cast<int>(m.regimes.size()),
                "initial_regime out of range: " << m.initial_regime);
  for (const Regime& r : m.regimes) {
    WAGER_REQUIRE(r.price_change > -1.0, "regimes." << r.name << ".price_change must be > -1");
    WAGER_REQUIRE(r.valuation_multiple >= 0.0, "regimes." << r.name << ".valuation_multiple must be >= 0");
    WAGER_REQUIRE(r.support_odds >= 0.0 && r.support_odds <= 1.0,
                  "regimes." << r.name << ".support_odds must be in [0, 1], got " << r.support_odds);
    WAGER_REQUIRE(r.dcf_weight >= 0.0 && r.dcf_weight <= 1.0,
                  "regimes." << r.name << ".dcf_weight must be in [0, 1], got " << r.dcf_weight);
    WAGER_REQUIRE(std::isfinite(r.discount_rate) && r.discount_rate > m.resolution.terminal_growth,
                  "regimes." << r.name << ".discount_rate must exceed resolution.terminal_growth ("
                             << m.resolution.terminal_growth << "), got " << r.discount_rate);
    WAGER_REQUIRE(std::isfinite(r.spot_lead_time) && r.spot_lead_time >= 0.0,
                  "regimes." << r.name << ".spot_lead_time must be a number >= 0, got " << r.spot_lead_time);
  }
  WAGER_REQUIRE(std::isfinite(m.min_liquidity) && m.min_liquidity >= 0.0,
                "min_liquidity must be a number >= 0, got " << m.min_liquidity);
  const DistressResolution& res = m.resolution;
  WAGER_REQUIRE(std::isfinite(res.duration) && res.duration >= 0.0 && res.duration <= 10.0,
                "resolution.duration must be in [0, 10] years, got " << res.duration);
  WAGER_REQUIRE(res.cost >= 0.0 && res.cost <= 1.0, "resolution.cost must be in [0, 1], got " << res.cost);
  WAGER_REQUIRE(std::isfinite(res.terminal_growth) && res.terminal_growth > -1.0,
                "resolution.terminal_growth must be a number > -1, got " << res.terminal_growth);
  WAGER_REQUIRE(res.asset_sale_fraction >= 0.0 && res.asset_sale_fraction <= 1.0,
                "resolution.asset_sale_fraction must be in [0, 1], got " << res.asset_sale_fraction);
  check_series(m.training, m.n_years, "training");
  check_series(m.commitments, m.n_years, "commitments");
  check_series(m.capex, m.n_years, "capex");
  if (!m.supported_commitments.empty()) {
    check_series(m.supported_commitments, m.n_years, "supported_commitments");
    for (std::size_t y = 0; y < m.supported_commitments.size(); ++y) {
      const double v = m.supported_commitments[y];
      // Compared with the commitments as a share when stepping (a stress may shrink them).
      WAGER_REQUIRE(v >= 0.0, "supported_commitments[" << y << "] must be >= 0, got " << v);
    }
  }
  check_counterparties(m);
  check_series(m.debt_rate, m.n_years, "debt_rate");
  check_series(m.valuation_scale, m.n_years, "valuation_scale");
  check_cost(m.staff, m.n_years, "staff");
  check_cost(m.sales_marketing, m.n_years, "sales_marketing");
  check_cost(m.general_admin, m.n_years, "general_admin");
  check_cost(m.stock_based_pay, m.n_years, "stock_based_pay");
  if (!m.impairment.empty()) {
    check_series(m.impairment, m.n_years, "impairment");
    for (double v : m.impairment) WAGER_REQUIRE(v >= 0.0 && v <= 1.0, "impairment must be in [0, 1], got " << v);
  }
  WAGER_REQUIRE(m.depreciation_life > 0.0, "depreciation_life must be > 0, got " << m.depreciation_life);
  WAGER_REQUIRE(m.equity.max_dilution >= 0.0 && m.equity.max_dilution < 1.0,
                "equity.max_dilution must be in [0, 1), got " << m.equity.max_dilution);
  const FundingScore& fs = m.equity.score;
  WAGER_REQUIRE(std::isfinite(fs.sensitivity) && fs.sensitivity >= 0.0,
                "equity.score.sensitivity must be finite and >= 0, got " << fs.sensitivity);
  WAGER_REQUIRE(std::isfinite(fs.floor) && std::isfinite(fs.cap) && fs.floor <= fs.cap,
                "equity.score.floor must be <= equity.score.cap, both finite, got " << fs.floor << " and " << fs.cap);
  WAGER_REQUIRE(std::isfinite(fs.reference) && std::isfinite(fs.start) && std::isfinite(fs.margin_weight) &&
                    fs.margin_weight >= 0.0,
                "equity.score.reference, start and margin_weight (>= 0) must be finite");
  WAGER_REQUIRE(std::isfinite(fs.prior_revenue) && fs.prior_revenue >= 0.0,
                "equity.score.prior_revenue must be finite and >= 0, got " << fs.prior_revenue);
  for (const Tranche& t : m.tranches) {
    WAGER_REQUIRE(t.time >= 0.0 && t.time < m.n_years, "tranche time " << t.time << " outside the horizon");
    WAGER_REQUIRE(t.amount >= 0.0, "tranche amount must be >= 0, got " << t.amount);
    WAGER_REQUIRE(!(t.per_delivery && t.post_money > 0.0),
                  "a tranche paid per delivery is priced at market: it cannot have a post_money");
  }
}

}  // namespace wager
