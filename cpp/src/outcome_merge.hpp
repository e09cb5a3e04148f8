// The totals a simulation returns: their empty shapes, and the integer
// merges of the threads' partial results into them (order-free, so exact).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "thread_scratch.hpp"
#include "wager/simulation.hpp"

namespace wager::detail {

/// A strategy's empty totals, with room for kept paths when c.keep_paths.
StrategyOutcome empty_strategy_outcome(const SimulationConfig& c, std::size_t strategy);
/// Pair (a, b)'s empty totals; its joint losses take the suppliers' bounds
/// from the strategies' totals.
PairOutcome empty_pair_outcome(const SimulationConfig& c, int a, int b, const std::vector<StrategyOutcome>& totals);

/// Adds every thread's partials to the totals and zeroes them; the series
/// merge in parallel, one thread per series.
void merge_strategy_partials(std::vector<std::unique_ptr<ThreadScratch>>& scratch,
                             std::vector<StrategyOutcome>& totals, int n_threads);
void merge_pair_partials(std::vector<std::unique_ptr<ThreadScratch>>& scratch, std::vector<PairOutcome>& totals,
                         int n_threads);

}  // namespace wager::detail
