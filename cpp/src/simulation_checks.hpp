// The checks a simulation config must pass before anything runs, so that no
// bad input is found inside a parallel region.
#pragma once

#include "wager/simulation.hpp"

namespace wager::detail {

/// Throws InputError naming the first problem of `c`.
void check_config(const SimulationConfig& c);

}  // namespace wager::detail
