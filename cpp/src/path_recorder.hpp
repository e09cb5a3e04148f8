// The recorder of a simulation: what a block's years and outcomes add to the
// thread's partial statistics, and what each path leaves (kept values, chunk records).
#pragma once

#include <cstddef>
#include <cstdint>

#include "run_context.hpp"
#include "thread_scratch.hpp"
#include "year_accumulator.hpp"

namespace wager::detail {

/// Year `y` of the first `active` lanes, just summed in `acc` (with the
/// year's last flows `flows`): their YearValues and per-year statistics.
template <int N>
void record_year(const RunContext& ctx, StrategyScratch& ps, int y, const YearAccumulatorT<N>& acc,
                 const LaneFlowsT<N>& flows, std::size_t active);

/// After the last year: the outcomes of the first `active` lanes (their
/// statistics per block), then each lane's events and records as path rel0 + lane.
template <int N>
void record_paths(const RunContext& ctx, StrategyScratch& ps, std::size_t si, const YearAccumulatorT<N>& acc,
                  const LaneStateT<N>& state, const LaneFlowsT<N>& flows, const LaneOf<N>& cumulative_fcf,
                  std::size_t active, std::int64_t rel0);

extern template void record_year<1>(const RunContext&, StrategyScratch&, int, const YearAccumulatorT<1>&,
                                    const LaneFlowsT<1>&, std::size_t);
extern template void record_year<lanes>(const RunContext&, StrategyScratch&, int, const YearAccumulatorT<lanes>&,
                                        const LaneFlowsT<lanes>&, std::size_t);
extern template void record_paths<1>(const RunContext&, StrategyScratch&, std::size_t, const YearAccumulatorT<1>&,
                                     const LaneStateT<1>&, const LaneFlowsT<1>&, const LaneOf<1>&, std::size_t,
                                     std::int64_t);
extern template void record_paths<lanes>(const RunContext&, StrategyScratch&, std::size_t,
                                         const YearAccumulatorT<lanes>&, const LaneStateT<lanes>&,
                                         const LaneFlowsT<lanes>&, const LaneOf<lanes>&, std::size_t, std::int64_t);

}  // namespace wager::detail
