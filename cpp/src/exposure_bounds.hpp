// The top of each supplier's exposure and loss histograms (docs/model.md
// §28): a bound on what any path can owe it, the same in every thread,
// batch and chunk of a simulation.
#pragma once

#include <vector>

#include "prepared_model.hpp"
#include "wager/simulation.hpp"

namespace wager::detail {

/// Per supplier (counterparty_names order) of `pm`: its payments from the
/// first step to the horizon, its failed contract's included, times 2 if
/// `per_path` (paths with their own parameters may owe more). Empty
/// without contracts.
std::vector<double> exposure_bounds(const PreparedModel& pm, bool per_path);

/// The same for strategy `s`: its model with its constant shocks, per_path
/// when it has uncertain inputs or triggered shocks.
std::vector<double> exposure_bounds(const Strategy& s);

/// The lenders' (docs/model.md §28, lenders): the facility's limit and the
/// term debt at the start, times 2 if `per_path`; empty without either.
std::vector<double> lender_bounds(const Model& m, bool per_path);
/// The same for strategy `s`, as exposure_bounds(s).
std::vector<double> lender_bounds(const Strategy& s);

}  // namespace wager::detail
