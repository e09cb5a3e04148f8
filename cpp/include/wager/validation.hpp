// One validator for every input the core takes (docs/cpp.md, "Validation"):
// each entry point (project, simulate, Simulator) calls it before anything
// runs, and a caller may call it earlier. A refusal throws InputError whose
// field() is the field's path as a scenario file spells it
// ("financing.initial_cash", "segments.api.revenue.2027",
// "market.transition.bust.normal"), so C++ and Python refuse the same inputs
// in the same words. Fields a scenario file does not have are named by their
// C++ path ("regime_path", "strategies[1].inputs[0].targets", "n_threads").
#pragma once

#include <vector>

#include "wager/model.hpp"
#include "wager/projection.hpp"
#include "wager/shock.hpp"
#include "wager/simulation.hpp"

namespace wager {

/// The rows of a transition matrix must sum to 1 within this (the scenario
/// format's tolerance for market.transition).
inline constexpr double transition_row_tolerance = 1e-9;

// validate(const Model&) is declared in wager/model.hpp.

/// A world for strategies whose model is `model` (docs/model.md §2): its
/// number of regimes and initial regime agree with the model's (-1 and 0
/// stand for the model's), the per-step transition matrix is stochastic,
/// pinned regimes exist, the demand factor's numbers are in range.
void validate(const World& world, const Model& model);

/// A stress on `model`: each shock's numbers, its field (one the core can
/// shock), its trigger regime, its values per year, and the rules of a
/// supplier's failure. Named by the shock's label, else "shocks[i]".
void validate(const std::vector<Shock>& shocks, const Model& model);

/// One strategy: its model, its stress, its uncertain inputs (their
/// distributions' parameters, central values, targets and weights), the
/// copula's Cholesky factor (lower-triangular) and its design rows' shape.
void validate(const Strategy& strategy);

/// A projection: its model, its regime path and its stress.
void validate(const ProjectionConfig& config);

/// A simulation: its strategies (one calendar and one set of regime names
/// among them), its world, its pairs and its run settings. Errors inside a
/// strategy say which ("strategies[1]: financing.initial_cash: ...").
void validate(const SimulationConfig& config);

}  // namespace wager
