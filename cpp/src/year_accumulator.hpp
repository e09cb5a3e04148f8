// The yearly accumulator of one path or one block of paths, shared by the
// projection's recorder and the simulation, so both sum in one order (same bits).
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "lane_loop.hpp"
#include "lane_stepper.hpp"

namespace wager::detail {

/// A year's running sums of the flows the year-end ratios and events read, per lane.
template <int N>
struct YearSumsT {
  LaneOf<N> revenue{}, income{}, fcf{}, needed{}, committed{}, owned{};
};

/// Adds a step's flows to the year's sums; keeps the valuation multiple and
/// annualised revenue of the lanes still alive (for terminal equity value).
template <int N>
[[gnu::always_inline]] inline void add_step_body(YearSumsT<N>& y, const LaneFlowsT<N>& f, const LaneOf<N>& defaulted,
                                                 LaneOf<N>& last_multiple, LaneOf<N>& last_annual_revenue) {
  const auto& v = f.vars;
  const auto at = [&v](Var x) -> const LaneOf<N>& { return v[static_cast<std::size_t>(x)]; };
  const LaneOf<N>&revenue = at(Var::revenue), &income = at(Var::operating_income), &fcf = at(Var::free_cash_flow),
                  &needed = at(Var::compute_needed), &committed = at(Var::commitments_paid),
                  &owned = at(Var::owned_capacity);
  // docs/model.md §12 (annual aggregation): flows are summed over the year's
  // steps, in step order, from 0.
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    y.revenue[l] += revenue[l];
    y.income[l] += income[l];
    y.fcf[l] += fcf[l];
    y.needed[l] += needed[l];
    y.committed[l] += committed[l];
    y.owned[l] += owned[l];
    // docs/model.md §13 (terminal_equity_value): the multiple and annualised
    // revenue of the last step before any default.
    last_multiple[l] = defaulted[l] == 0.0 ? f.valuation_multiple[l] : last_multiple[l];
    last_annual_revenue[l] = defaulted[l] == 0.0 ? f.annualised_revenue[l] : last_annual_revenue[l];
  }
}

/// add_step_body for a block, in the machine's best instruction set.
void add_step(YearSumsT<lanes>& y, const LaneFlows& f, const Lane& defaulted, Lane& last_multiple,
              Lane& last_annual_revenue);

inline void add_step(YearSumsT<1>& y, const PathFlows& f, const LaneOf<1>& defaulted, LaneOf<1>& last_multiple,
                     LaneOf<1>& last_annual_revenue) {
  add_step_body(y, f, defaulted, last_multiple, last_annual_revenue);
}

/// docs/model.md §5 and §12 (utilisation): compute needed over capacity held;
/// with no capacity held there is nothing to utilise, reported as 0.
inline double utilisation(double needed, double committed, double owned) {
  const double capacity = committed + owned;
  return capacity > 0.0 ? needed / capacity : 0.0;
}

/// docs/model.md §13 (terminal_equity_value): the whole company's value at
/// the horizon, never negative; 0 after a default.
inline double terminal_equity_value(double defaulted, double last_multiple, double last_annual_revenue, double cash,
                                    double debt) {
  return defaulted != 0.0 ? 0.0 : max_of(last_multiple * last_annual_revenue + cash - debt, 0.0);
}

/// docs/model.md §13 (terminal_dcf_value): the last year's free cash flow,
/// when positive, as a growing perpetuity at the last regime's discount
/// rate, plus cash less debt; never negative; 0 after distress.
inline double terminal_dcf_value(double defaulted, double last_fcf, double discount_rate, double growth, double cash,
                                 double debt) {
  const double perpetuity = max_of(last_fcf, 0.0) * (1.0 + growth) / (discount_rate - growth);
  return defaulted != 0.0 ? 0.0 : max_of(perpetuity + cash - debt, 0.0);
}

/// One path's (N = 1) or one block's years: the current year's sums, the
/// first year with an operating profit, and what terminal equity value needs.
template <int N>
class YearAccumulatorT {
 public:
  YearAccumulatorT() { first_profit_.fill(-1); }

  void start_year() { sums_ = YearSumsT<N>{}; }
  void add_step(const LaneFlowsT<N>& f, const LaneOf<N>& defaulted) {
    detail::add_step(sums_, f, defaulted, last_multiple_, last_annual_revenue_);
  }
  /// docs/model.md §13 (first_profit_year): the first calendar year whose
  /// summed operating income is > 0, for the first `active` lanes.
  void end_year(int calendar_year, std::size_t active) {
    for (std::size_t l = 0; l < active; ++l) {
      if (first_profit_[l] < 0 && sums_.income[l] > 0.0) first_profit_[l] = calendar_year;
    }
  }

  const YearSumsT<N>& sums() const { return sums_; }
  double utilisation(std::size_t l) const {
    return detail::utilisation(sums_.needed[l], sums_.committed[l], sums_.owned[l]);
  }
  std::optional<int> first_profit_year(std::size_t l) const {
    return first_profit_[l] >= 0 ? std::optional<int>(first_profit_[l]) : std::nullopt;
  }
  /// Terminal equity value of every lane, from the lanes' final state.
  void terminal_equity_values(const LaneStateT<N>& s, LaneOf<N>& out) const {
    WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
      out[l] = detail::terminal_equity_value(s.defaulted[l], last_multiple_[l], last_annual_revenue_[l], s.cash[l],
                                             s.debt[l]);
    }
  }
  /// Terminal DCF value of every lane after the last year, with `regime`
  /// the lanes' regime in the last step (an index into `m.regimes`).
  void terminal_dcf_values(const LaneStateT<N>& s, const LaneOf<N>& regime, const Model& m, LaneOf<N>& out) const {
    const double g = m.resolution.terminal_growth;
    for (std::size_t l = 0; l < static_cast<std::size_t>(N); ++l) {
      const double rho = m.regimes[static_cast<std::size_t>(regime[l])].discount_rate;
      out[l] = detail::terminal_dcf_value(s.defaulted[l], sums_.fcf[l], rho, g, s.cash[l], s.debt[l]);
    }
  }

 private:
  YearSumsT<N> sums_;
  LaneOf<N> last_multiple_{}, last_annual_revenue_{};
  std::array<int, static_cast<std::size_t>(N)> first_profit_;
};

using PathYearAccumulator = YearAccumulatorT<1>;
using BlockYearAccumulator = YearAccumulatorT<lanes>;

}  // namespace wager::detail
