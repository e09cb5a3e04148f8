// Every numeric input of a Model, in one canonical order, by name and address.
// An uncertain input of a scenario moves some of these parameters (a year's
// value, an interpolated stretch of years, a whole series); the simulation
// patches them per path through this table.
#pragma once

#include <string>
#include <vector>

#include "wager/model.hpp"

namespace wager {

struct ParameterRef {
  std::string name;  ///< the core's name, e.g. "segments[0].revenue[3]", "initial_cash", "equity.target_runway"
  double* value;
};

/// The numeric fields of `m`, in a fixed order (the addresses point into `m`).
std::vector<ParameterRef> parameters(Model& m);

}  // namespace wager
