// The projection's recorder: one path's steps summed into its annual (and
// per-step) table, and its events; year sums shared with the simulation.
#include <algorithm>
#include <array>
#include <utility>

#include "annual_recorder.hpp"
#include "wager/math/elementary.hpp"

namespace wager::detail {

namespace {
// Stocks are read at year end; ratios are formed at year end; the rest are flows.
constexpr bool is_stock(Var v) {
  return v == Var::ownership_retained || v == Var::debt || v == Var::cash || v == Var::regime ||
         v == Var::defaulted || v == Var::supplier_payable;
}
constexpr bool is_derived(Var v) {
  return v == Var::utilisation || v == Var::dilution || v == Var::valuation;
}
template <bool (*Pred)(Var)>
constexpr auto select() {
  std::array<std::size_t, n_vars> out{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < n_vars; ++i) {
    if (Pred(static_cast<Var>(i))) out[n++] = i;
  }
  return std::pair{out, n};
}
constexpr bool is_flow(Var v) { return !is_stock(v) && !is_derived(v); }
constexpr auto flows = select<is_flow>();
constexpr auto stocks = select<is_stock>();
}  // namespace

AnnualRecorder::AnnualRecorder(const Model& m, AnnualTable& table, AnnualTable* steps)
    : m_(m), t_(table), steps_(steps) {
  // Reuse the table's memory when it already has the right shape (one per path in a simulation).
  if (t_.n_periods == m.n_years && t_.n_segments == m.segments.size() && !t_.values.empty()) {
    t_.start_year = m.start_year;
    std::fill(t_.values.begin(), t_.values.end(), 0.0);
    std::fill(t_.segment_revenue.begin(), t_.segment_revenue.end(), 0.0);
  } else {
    t_ = AnnualTable(m.start_year, m.n_years, m.segments.size());
  }
  if (steps_ != nullptr) *steps_ = AnnualTable(m.start_year, m.n_steps(), m.segments.size());
}

void AnnualRecorder::record_step(int k, const PathFlows& f, const PathState& s) {
  AnnualTable& st = *steps_;
  for (std::size_t i = 0; i < n_vars; ++i) st.at(static_cast<Var>(i), k) = f.vars[i][0];
  const auto n = static_cast<std::size_t>(st.n_periods);
  for (std::size_t sg = 0; sg < st.n_segments; ++sg) {
    st.segment_revenue[sg * n + static_cast<std::size_t>(k)] = f.segment_revenue[sg][0];
  }
  st.at(Var::utilisation, k) = utilisation(f.vars[static_cast<std::size_t>(Var::compute_needed)][0],
                                           f.vars[static_cast<std::size_t>(Var::commitments_paid)][0],
                                           f.vars[static_cast<std::size_t>(Var::owned_capacity)][0]);
  st.at(Var::dilution, k) =
      ownership_at_step_start_ > 0.0 ? 1.0 - s.ownership[0] / ownership_at_step_start_ : 0.0;
  st.at(Var::valuation, k) = s.defaulted[0] != 0.0 ? 0.0 : f.valuation_multiple[0] * f.annualised_revenue[0];
  ownership_at_step_start_ = s.ownership[0];
}

void AnnualRecorder::record(int k, const PathFlows& f, const PathState& s) {
  if (steps_ != nullptr) record_step(k, f, s);
  const int y = k / m_.steps_per_year;
  const bool first_of_year = k % m_.steps_per_year == 0;
  const bool last_of_year = (k + 1) % m_.steps_per_year == 0;
  if (first_of_year) {
    years_.start_year();
    ownership_at_year_start_ = (y == 0) ? 1.0 : t_.at(Var::ownership_retained, y - 1);
  }
  const auto ny = static_cast<std::size_t>(t_.n_periods);
  double* row = t_.values.data() + static_cast<std::size_t>(y);
  for (std::size_t j = 0; j < flows.second; ++j) row[flows.first[j] * ny] += f.vars[flows.first[j]][0];
  for (std::size_t j = 0; j < stocks.second; ++j) row[stocks.first[j] * ny] = f.vars[stocks.first[j]][0];
  for (std::size_t sg = 0; sg < t_.n_segments; ++sg) {
    t_.segment_revenue[sg * ny + static_cast<std::size_t>(y)] += f.segment_revenue[sg][0];
  }
  years_.add_step(f, s.defaulted);
  if (last_of_year) {
    years_.end_year(t_.start_year + y, 1);
    t_.at(Var::utilisation, y) = years_.utilisation(0);
    t_.at(Var::dilution, y) =
        ownership_at_year_start_ > 0.0 ? 1.0 - t_.at(Var::ownership_retained, y) / ownership_at_year_start_ : 0.0;
    t_.at(Var::valuation, y) = s.defaulted[0] != 0.0 ? 0.0 : f.valuation_multiple[0] * f.annualised_revenue[0];
  }
}

Events AnnualRecorder::finish(const PathState& s) const {
  Events e;
  e.first_profit_year = years_.first_profit_year(0);
  for (int y = 0; y < t_.n_periods; ++y) {
    const int year = t_.start_year + y;
    if (!e.first_positive_fcf_year && t_.at(Var::free_cash_flow, y) > 0.0) e.first_positive_fcf_year = year;
    e.cumulative_burn += std::max(-t_.at(Var::free_cash_flow, y), 0.0);
    e.equity_raised_total += t_.at(Var::equity_raised, y) + t_.at(Var::tranches_received, y);
    e.rescue_total += t_.at(Var::rescue, y);
  }
  if (s.defaulted[0] != 0.0) e.default_year = t_.start_year + static_cast<int>(s.default_step[0]) / m_.steps_per_year;
  e.distress = s.distress[0];
  e.peak_funding_need = s.peak_funding_need[0];
  LaneOf<1> terminal;
  years_.terminal_equity_values(s, terminal);
  e.terminal_equity_value = terminal[0];
  const int last = t_.n_periods - 1;
  LaneOf<1> regime{t_.at(Var::regime, last)};
  years_.terminal_dcf_values(s, regime, m_, terminal);
  e.terminal_dcf_value = terminal[0];
  const double today = math::exp(s.log_discount[0]);
  e.terminal_equity_value_today = e.terminal_equity_value * today;
  e.terminal_dcf_value_today = e.terminal_dcf_value * today;
  return e;
}

}  // namespace wager::detail
