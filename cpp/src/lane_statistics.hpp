// The per-path statistics' arithmetic for a block of paths at once: the
// fixed-point value and histogram bin of each lane, in one vectorised loop.
#pragma once

#include <array>
#include <cstdint>

#include "lane_loop.hpp"
#include "lane_stepper.hpp"
#include "wager/statistics.hpp"

namespace wager::detail {

/// to_fixed and spec.bin of every lane (meaningless for a non-finite value,
/// which the caller counts instead).
void fixed_and_bins(const Lane& v, const HistogramSpec& spec, std::array<std::int64_t, lanes>& fixed,
                    std::array<std::int64_t, lanes>& bin);

/// A year's running sums of one block's flows, per lane.
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
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    y.revenue[l] += revenue[l];
    y.income[l] += income[l];
    y.fcf[l] += fcf[l];
    y.needed[l] += needed[l];
    y.committed[l] += committed[l];
    y.owned[l] += owned[l];
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

/// The same for a single path.
inline void fixed_and_bins(const LaneOf<1>& v, const HistogramSpec& spec, std::array<std::int64_t, 1>& fixed,
                           std::array<std::int64_t, 1>& bin) {
  fixed[0] = to_fixed(v[0]);
  bin[0] = spec.bin(v[0]);
}

}  // namespace wager::detail
