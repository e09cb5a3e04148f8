"""Builds the core's simulation config from scenarios: the strategies, their
uncertain inputs and copula, and the shared world."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import _core
from .correlation import Repair, nearest_correlation, psd_cholesky
from .kernel_config import kernel_model
from .memory import check_fits, run_bytes
from .scenario.schema import Scenario
from .statistics import HistogramSpec
from .uncertainty import UncertainInput, find_inputs
from .world import world_dict

__all__ = ["PreparedStrategy", "distinct_scenarios", "prepare_strategy", "simulation_config"]


@dataclass(frozen=True)
class PreparedStrategy:
    """A scenario resolved for the core: central model, inputs, copula factor."""

    scenario: Scenario
    model: dict[str, Any]
    inputs: list[UncertainInput]
    cholesky: np.ndarray
    repair: Repair | None
    #: The core's shocks (a stress), in order; empty = none.
    shocks: tuple[dict[str, Any], ...] = ()
    #: Input values given instead of drawn, (rows, inputs); path p takes row
    #: p // input_row_paths. None = drawn.
    input_rows: np.ndarray | None = None
    input_row_paths: int = 1

    def core_dict(self) -> dict[str, Any]:
        """The strategy dict the core reads."""
        return {
            "model": self.model,
            "inputs": [i.core_dict() for i in self.inputs],
            "cholesky": self.cholesky.ravel().tolist(),
            "shocks": list(self.shocks),
            **(
                {
                    "input_rows": np.asarray(self.input_rows, dtype=float).ravel().tolist(),
                    "input_row_paths": int(self.input_row_paths),
                }
                if self.input_rows is not None
                else {}
            ),
        }

    def stressed(self, shocks: list[dict[str, Any]]) -> PreparedStrategy:
        """The same strategy under other shocks (see ``stress_resolve.core_shocks``)."""
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
    n = len(inputs)
    if not unc.inputs:
        return np.zeros((0, 0)), None
    index = {inp.name: i for i, inp in enumerate(inputs)}
    given = np.array(unc.correlation, dtype=float)
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
    rows = [index[name] for name in unc.inputs]
    full[np.ix_(rows, rows)] = given
    return psd_cholesky(full), repair


def prepare_strategy(scenario: Scenario) -> PreparedStrategy:
    """Resolve one scenario for the core."""
    centre, inputs = find_inputs(scenario)
    chol, repair = _copula(scenario, inputs)
    return PreparedStrategy(scenario, kernel_model(centre), inputs, chol, repair)


def simulation_config(
    strategies: Sequence[PreparedStrategy],
    *,
    n_paths: int,
    seed: int,
    n_threads: int | None,
    keep_paths: bool,
    first_path: int = 0,
    chunk_paths: int = 256,
    histogram: HistogramSpec | None = None,
    world_period: int = 0,
    pairs: Sequence[tuple[int, int]] = (),
) -> dict[str, Any]:
    """The config dict of one ``_core.simulate`` call."""
    histogram = histogram or HistogramSpec()
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be in [0, 2**64), got {seed}")
    if n_paths < 0:
        raise ValueError(f"n_paths must be >= 0, got {n_paths}")
    threads = n_threads if n_threads is not None else _core.max_threads()
    if threads < 1:
        raise ValueError(f"n_threads must be >= 1, got {threads}")
    if not _core.build_info["openmp"] and n_threads not in (None, 1):
        warnings.warn(
            f"this build of wager has no OpenMP: n_threads={n_threads} is ignored (one thread)",
            RuntimeWarning,
            stacklevel=3,
        )
        threads = 1
    if strategies:
        years = strategies[0].scenario.time.n_years
        needed = run_bytes(
            n_strategies=len(strategies),
            n_pairs=len(pairs),
            n_years=years,
            n_paths=n_paths,
            n_threads=threads,
            n_bins=histogram.n_bins,
            keep_paths=keep_paths,
        )
        check_fits(needed, f"a run of {n_paths:,} paths x {len(strategies)} strategies")
    return {
        "strategies": [s.core_dict() for s in strategies],
        "world": world_dict([s.scenario for s in strategies]),
        "seed": int(seed),
        "n_paths": int(n_paths),
        "first_path": int(first_path),
        "n_threads": int(threads),
        "chunk_paths": int(chunk_paths),
        "keep_paths": bool(keep_paths),
        "histogram": histogram.core_dict(),
        "world_period": int(world_period),
        "pairs": [(int(a), int(b)) for a, b in pairs],
    }
