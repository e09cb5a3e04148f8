// Shock targets in the scenario format's path form ("market.regimes.*.spot_price",
// "segments.api.revenue", "compute.commitments.largest"): the strings a stress
// file uses, resolved against a Model into the core's own fields, exactly as
// Python's wager.compile.shocks expands them (docs/stress.md, "Targets").
#pragma once

#include <string>
#include <vector>

#include "wager/model.hpp"
#include "wager/shock.hpp"

namespace wager {

/// How the model uses a shocked field (docs/stress.md, "Targets").
enum class ShockTargetKind : int {
  step,      ///< varies in time: read at every step
  date,      ///< acts at one date (the start, or a tranche's date)
  constant,  ///< one value for the whole horizon: a whole-horizon step shock only
  flag,      ///< a switch (distress.backstop): op set, value 0 or 1
};

/// One core field a scenario path reaches.
struct ShockTarget {
  std::string field;  ///< the core's name ("regimes[2].spot_price", "commitments", "initial_cash")
  ShockTargetKind kind = ShockTargetKind::step;
  /// For compute.commitments.<...>: the index in Model::contracts of the
  /// contract the shock changes; -1 otherwise.
  int contract = -1;
};

/// True if `field` is written in the scenario format's path form: its first
/// key is a scenario table (segments, market, compute, costs, financing,
/// tax, distress) followed by a dot. The core's own names
/// ("segments[0].revenue", "initial_cash", "backstop") are not.
bool is_scenario_path(const std::string& field);

/// The core fields `path` reaches in `model`, in the scenario's order: `*`
/// every segment, regime, contract or tranche; `largest` the contract with
/// the largest total payments over the horizon or the tranche with the
/// largest amount (the first on a tie; none if there is none). Segments,
/// regimes and contracts are named by their `name`, tranches by their index.
/// A contract is one of Model::contracts, named as in the scenario. Throws InputError(`who`.field,
/// "'<path>': <reason>") for a path the model cannot resolve, the reason in
/// the words of Python's StressError.
std::vector<ShockTarget> shock_targets(const std::string& path, const Model& model,
                                       const std::string& who = "shock");

/// The shocks with every field in path form replaced by the core shocks it
/// expands to, in order (one per field reached; none for `largest` without
/// a contract or tranche); a shock in the core's names is kept as it is.
/// A shock on a contract becomes, as in Python, an addition to
/// "commitments" by year (scale v: (v - 1) p_y, set v: v - p_y, add v: v,
/// fail v: -v p_y, p_y the contract's payments) with `contract` set;
/// ShockOp::fail also sets `failure`. Throws InputError naming the shock
/// (its label, else "shocks[i]") for an unknown name, an op the field cannot
/// take (a switch takes set 0 or 1; fail only on a contract, at a date,
/// value in [0, 1]) or a timing it cannot take (a constant: a step from 0
/// with no duration or trigger; a field acting at one date: no trigger).
std::vector<Shock> resolve_shocks(const std::vector<Shock>& shocks, const Model& model);

}  // namespace wager
