"""A scenario resolved for the core: its central model, its uncertain inputs
with their copula, and the shocks (a stress) or input rows (a design) of one
cell of a run."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from wager.compile.correlation import Repair, nearest_correlation, psd_cholesky
from wager.compile.model import kernel_model
from wager.compile.uncertainty import UncertainInput, find_inputs
from wager.kernel.contract import ModelDict, ShockDict, StrategyDict
from wager.kernel.execution import one_blas_thread
from wager.scenario.schema import Scenario

__all__ = ["PreparedStrategy", "distinct_scenarios", "prepare_strategy"]


@dataclass(frozen=True)
class PreparedStrategy:
    """A scenario resolved for the core: central model, inputs, copula factor."""

    scenario: Scenario
    model: ModelDict
    inputs: list[UncertainInput]
    cholesky: np.ndarray
    repair: Repair | None
    #: The core's shocks (a stress), in order; empty = none.
    shocks: tuple[ShockDict, ...] = ()
    #: Input values given instead of drawn, (rows, inputs); path p takes row
    #: p // input_row_paths. None = drawn.
    input_rows: np.ndarray | None = None
    input_row_paths: int = 1

    def core_dict(self) -> StrategyDict:
        """The strategy dict the core reads."""
        return {
            "model": self.model,
            "inputs": [i.core_dict() for i in self.inputs],
            "cholesky": self.cholesky.ravel().tolist(),
            "shocks": list(self.shocks),
            "input_rows": (
                np.asarray(self.input_rows, dtype=float).ravel().tolist()
                if self.input_rows is not None
                else []
            ),
            "input_row_paths": int(self.input_row_paths),
        }

    def stressed(self, shocks: list[ShockDict]) -> PreparedStrategy:
        """The same strategy under other shocks (see ``compile.shocks.core_shocks``)."""
        return replace(self, shocks=tuple(shocks))

    def with_input_rows(self, rows: np.ndarray, paths_per_row: int) -> PreparedStrategy:
        """The same strategy with its inputs given per path: row r of ``rows``
        (one column per input, in ``inputs`` order) for paths
        r * paths_per_row to (r + 1) * paths_per_row - 1."""
        rows = np.asarray(rows, dtype=float)
        if rows.ndim != 2 or rows.shape[1] != len(self.inputs):
            raise ValueError(f"rows must have one column per input ({len(self.inputs)})")
        return replace(self, input_rows=rows, input_row_paths=int(paths_per_row))


def distinct_scenarios(prepared: Iterable[PreparedStrategy]) -> list[Scenario]:
    """The scenarios behind prepared strategies (a grid's or a comparison's
    cells), each once, in first-seen order."""
    return list({p.scenario.name: p.scenario for p in prepared}.values())


def _copula(scenario: Scenario, inputs: list[UncertainInput]) -> tuple[np.ndarray, Repair | None]:
    unc = scenario.uncertainty
    if not unc.inputs:
        return np.zeros((0, 0)), None
    # The copula's small matrices gain nothing from BLAS threads, and BLAS
    # threads left spinning after them take cores from the kernel's.
    with one_blas_thread():
        return _factor(unc.inputs, unc.correlation, inputs)


def _factor(
    names: list[str], correlation: list[list[float]], inputs: list[UncertainInput]
) -> tuple[np.ndarray, Repair | None]:
    n = len(inputs)
    index = {inp.name: i for i, inp in enumerate(inputs)}
    given = np.array(correlation, dtype=float)
    repair = None
    smallest = float(np.linalg.eigvalsh(given).min())
    if smallest < -1e-10:  # only reachable with repair = true: the schema refuses it otherwise
        fixed = nearest_correlation(given)
        repair = Repair(
            max_change=float(np.abs(fixed - given).max()),
            frobenius_change=float(np.linalg.norm(fixed - given, "fro")),
            smallest_eigenvalue_before=smallest,
        )
        given = fixed
    full = np.eye(n)
    rows = [index[name] for name in names]
    full[np.ix_(rows, rows)] = given
    return psd_cholesky(full), repair


# What prepare_strategy finds per scenario object, while the object lives
# (nothing here holds the scenario itself). Scenarios are frozen, so one
# object always prepares the same; finding the inputs' weights builds a
# kernel model per input (about 50 ms for the 18 of compute_first), which
# repeated calls on one scenario (sweeps, notebooks, risk systems) then pay once.
_Found = tuple[ModelDict, list[UncertainInput], np.ndarray, Repair | None]
_found: dict[int, tuple[weakref.ref[Scenario], _Found]] = {}


def _forgetting(key: int, table: dict[int, Any]) -> Callable[[weakref.ref[Scenario]], None]:
    def forget(_: weakref.ref[Scenario]) -> None:
        table.pop(key, None)

    return forget


def prepare_strategy(scenario: Scenario) -> PreparedStrategy:
    """Resolve one scenario for the core (kept for the scenario object's life).

    Raises
    ------
    ValueError
        If ``scenario`` still carries reported actuals: a run starts from
        ``compile.actuals.start_from_actuals(scenario)``, which ``project``,
        ``simulate`` and ``compare`` call and other analyses do not yet.
    """
    if scenario.actuals is not None:
        raise ValueError(
            f"{scenario.name}: a scenario with reported actuals runs from the last reported "
            "year (wager.start_from_actuals(scenario)); project, simulate and compare take it "
            "as it is, this analysis does not yet: pass wager.start_from_actuals(scenario)"
        )
    key = id(scenario)
    kept = _found.get(key)
    if kept is not None and kept[0]() is scenario:
        return PreparedStrategy(scenario, *kept[1])
    centre, inputs = find_inputs(scenario)
    chol, repair = _copula(scenario, inputs)
    found: _Found = (kernel_model(centre), inputs, chol, repair)
    _found[key] = (weakref.ref(scenario, _forgetting(key, _found)), found)
    return PreparedStrategy(scenario, *found)
