// Every numeric input of a Model, in one canonical order, by name and address.
// An uncertain input of a scenario moves some of these parameters (a year's
// value, an interpolated stretch of years, a whole series); the simulation
// patches them per path through this table.
#pragma once

#include <string>
#include <vector>

#include "wager/model.hpp"

namespace wager {

/// One parameter, under two names (docs/cpp.md, "Shock and parameter names").
struct ParameterRef {
  /// The core's name: "segments[0].revenue[3]", "regimes[1].raise_success",
  /// "initial_cash", "equity.target_runway". A core-name Shock::field is
  /// this without its year index ("segments[0].revenue").
  std::string name;
  double* value;
  /// The scenario format's path, as InputError::field() names the field:
  /// "segments.api.revenue.2028" (a yearly value by its calendar year),
  /// "market.regimes.bust.raise_success", "financing.initial_cash",
  /// "financing.tranches.0.amount", "compute.commitments.2027" (all
  /// contracts summed), "compute.commitments.stargate.schedule.2027" (one
  /// contract's payments, "contracts[i].payments[y]" in the core: an input
  /// on a contract moves them and the sum). Segments, regimes and
  /// contracts without a name are "[i]".
  std::string path;
};

/// The numeric fields of `m`, in a fixed order (the addresses point into `m`).
std::vector<ParameterRef> parameters(Model& m);
/// The same table without its names and paths (empty): the addresses alone,
/// for a copy of a model whose names are known (a tenth of the cost).
std::vector<ParameterRef> parameter_addresses(Model& m);

}  // namespace wager
