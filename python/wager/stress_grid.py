"""``wager.stress``: every strategy x stress x severity in one parallel core
call, all on the same random numbers.

Each cell of the grid is a strategy under a stress at a severity; the core
runs all cells as strategies of one simulation, so they share one world
(regimes, demand factor, raise draws) path by path: differences between
cells are differences the stresses make, not noise. Each cell also gets its
deterministic stressed projection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from . import _core
from .execution import Backend, run
from .export import Exportable
from .kernel_config import kernel_model, regime_path
from .manifest import run_manifest
from .presentable import Presentable
from .progress import ProgressArg
from .projection import Projection, as_scenario, project
from .result_frames import grid_frame
from .scenario.schema import Scenario
from .simulation import DEFAULT_QUANTILES, OUTCOMES, STAT_VARIABLES, Simulation
from .simulation_config import (
    PreparedStrategy,
    distinct_scenarios,
    prepare_strategy,
    simulation_config,
)
from .statistics import (
    HistogramSpec,
    cumulative,
    join_int128,
    mean_and_se,
    quantiles,
    tail_risk,
    wilson_interval,
)
from .stress_resolve import StressArg, core_shocks, stress_label, stress_list
from .uncertainty import central_scenario

__all__ = ["GRID_HISTOGRAM", "StressGrid", "stress", "stress_label", "summary_row"]

#: Histograms of a grid: 2% relative resolution (bins_per_unit 50) over the
#: same range as a simulation's, so that hundreds of cells fit in memory
#: (47 series x 2,000 bins per cell).
GRID_HISTOGRAM = HistogramSpec(scale=0.01, bins_per_unit=50.0, n_bins=2000)

Cell = tuple[str, str, float]


@dataclass(frozen=True)
class StressGrid(Exportable, Presentable):
    """The result of :func:`stress`. Money in US$ bn.

    Attributes
    ----------
    table
        One row per cell, index (strategy, stress, severity). Monte Carlo
        columns: ``p_default`` (by the horizon) and ``p_profit`` (first
        operating profit by the horizon), each with a 95% Wilson interval
        (``_low``, ``_high``); for each per-path outcome (cumulative_fcf,
        peak_funding_need, terminal_equity_value) ``_mean`` and ``_se``; the
        terminal equity value's 5th, 50th and 95th percentiles and its 95%
        Expected Shortfall with standard error. Deterministic stressed
        projection: ``det_default_year``, ``det_first_profit_year`` (NaN =
        none), ``det_terminal_equity_value``, ``det_peak_funding_need``
        (:meth:`projection` gives the whole projection).
    n_paths, seed
        As given.
    """

    table: pd.DataFrame
    n_paths: int
    seed: int
    quantiles: tuple[float, ...]
    histogram: HistogramSpec
    _prepared: dict[Cell, PreparedStrategy] = field(repr=False)
    _raw: dict[Cell, dict[str, Any]] = field(repr=False)
    _stresses: dict[str, StressArg] = field(repr=False)

    @property
    def cells(self) -> list[Cell]:
        """(strategy, stress, severity) of every cell, in the core's order."""
        return list(self._raw)

    def to_frame(self) -> pd.DataFrame:
        """The table as tidy rows (``wager.export.COLUMNS``)."""
        return grid_frame(self)

    def manifest(self) -> dict[str, Any]:
        """The run manifest: version, build, seed, paths, scenario hashes, stresses, time."""
        return run_manifest(
            "stress_grid",
            distinct_scenarios(self._prepared.values()),
            seed=self.seed,
            n_paths=self.n_paths,
            extra={
                "stresses": list(self._stresses),
                "severities": sorted({k[2] for k in self._raw}),
                "histogram": self.histogram.core_dict(),
            },
        )

    def p_default_by(self, year: int) -> pd.Series:
        """P(default by the end of ``year``) of every cell (index as ``table``)."""
        return self._share_by("default_year", year)

    def p_profit_by(self, year: int) -> pd.Series:
        """P(first operating profit by the end of ``year``) of every cell."""
        return self._share_by("first_profit_year", year)

    def _share_by(self, counts: str, year: int) -> pd.Series:
        out = {}
        for key, raw in self._raw.items():
            first = self._prepared[key].scenario.time.start_year
            n = int(raw["n_paths"])
            upto = max(0, min(year - first + 1, len(raw[counts]) - 1))
            out[key] = float(np.sum(raw[counts][:upto])) / n if n else math.nan
        return pd.Series(out, name=f"{counts}_by_{year}").rename_axis(self.table.index.names)

    def projection(self, strategy: str, stress: str, severity: float = 1.0) -> Projection:
        """A cell's deterministic stressed projection (annual table and events)."""
        key = self._key(strategy, stress, severity)
        return project(self._prepared[key].scenario, stress=self._stresses[stress], severity=key[2])

    def _key(self, strategy: str, stress: str, severity: float) -> Cell:
        key = (strategy, stress, float(severity))
        if key not in self._raw:
            raise KeyError(f"no cell {key}; cells: {self.cells}")
        return key

    def simulation(self, strategy: str, stress: str, severity: float = 1.0) -> Simulation:
        """A cell's full Monte Carlo result (per-year bands, curves, risk)."""
        key = self._key(strategy, stress, severity)
        return Simulation.from_core(
            self._prepared[key],
            self._raw[key],
            seed=self.seed,
            probs=self.quantiles,
            histogram=self.histogram,
            stress=stress,
            severity=key[2],
        )


def _scenarios(
    scenarios: Scenario | dict[str, Any] | Sequence[Scenario | dict[str, Any]],
) -> list[Scenario]:
    if isinstance(scenarios, Scenario | dict):
        return [as_scenario(scenarios)]
    return [as_scenario(s) for s in scenarios]


def summary_row(raw: dict[str, Any], years: list[int], spec: HistogramSpec) -> dict[str, float]:
    """A grid cell's Monte Carlo columns (see :class:`StressGrid`) from the core's results."""
    n = int(raw["n_paths"])
    n_years = len(years)
    row: dict[str, float] = {}
    for name, counts in (
        ("p_default", raw["default_year"]),
        ("p_profit", raw["first_profit_year"]),
    ):
        hit = np.array([n - int(counts[n_years])])
        low, high = wilson_interval(hit, n)
        row[name], row[f"{name}_low"], row[f"{name}_high"] = hit[0] / n, low[0], high[0]
    first = len(STAT_VARIABLES) * n_years
    rows = slice(first, first + len(OUTCOMES))
    s1 = join_int128((raw["sum"][0][rows], raw["sum"][1][rows]))
    s2 = join_int128((raw["sum_squares"][0][rows], raw["sum_squares"][1][rows]))
    mean, se = mean_and_se(s1, s2, n)
    for i, outcome in enumerate(OUTCOMES):
        row[f"{outcome}_mean"], row[f"{outcome}_se"] = float(mean[i]), float(se[i])
    tev = raw["histogram"][first + OUTCOMES.index("terminal_equity_value")]
    cum = cumulative(tev)
    q = quantiles(tev, spec, [0.05, 0.5, 0.95], cum=cum)[0]
    row["terminal_equity_value_q5"], row["terminal_equity_value_q50"] = q[0], q[1]
    row["terminal_equity_value_q95"] = q[2]
    _, _, es, es_se = tail_risk(tev, spec, 0.95, cum=cum)
    row["terminal_equity_value_es95"], row["terminal_equity_value_es95_se"] = es, es_se
    return row


def _deterministic(events: dict[str, Any]) -> dict[str, float]:
    """The det_ columns from the core projection's events."""

    def year(y: int | None) -> float:
        return math.nan if y is None else float(y)

    return {
        "det_default_year": year(events["default_year"]),
        "det_first_profit_year": year(events["first_profit_year"]),
        "det_terminal_equity_value": float(events["terminal_equity_value"]),
        "det_peak_funding_need": float(events["peak_funding_need"]),
    }


def stress(
    scenarios: Scenario | dict[str, Any] | Sequence[Scenario | dict[str, Any]],
    stresses: Sequence[StressArg] = ("baseline",),
    *,
    severity: float | Sequence[float] = 1.0,
    n_paths: int = 10_000,
    seed: int = 0,
    n_threads: int | None = None,
    progress: ProgressArg = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    batch_paths: int | None = None,
    histogram: HistogramSpec = GRID_HISTOGRAM,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> StressGrid:
    """Run every strategy under every stress (and severity) in one core call.

    Parameters
    ----------
    scenarios
        One scenario or several (they must share one market: the same world).
    stresses
        Each item a stress name (the scenario's own, then the library's), a
        :class:`wager.Stress`, or a list of them applied together.
    severity
        One severity or several (a severity sweep): every stress runs at each.
    n_paths, seed, n_threads, progress, quantiles, batch_paths
        As for :func:`wager.simulate`. Every cell sees the same random
        numbers: the stress changes the model, not the draws.
    histogram
        Bins of the cells' histograms (quantiles, VaR, ES): 2% relative
        resolution by default; :class:`wager.statistics.HistogramSpec()` gives
        a simulation's 0.2% (ten times the memory per cell).
    backend, client, chunk_paths
        ``"local"`` (threads in this process) or ``"dask"`` (chunks of paths
        on a ``distributed`` cluster: ``client``, or a local cluster if
        None; ``chunk_paths`` per task). The same results, bit for bit
        (``docs/scaling.md``).

    Returns
    -------
    StressGrid
    """
    scs = _scenarios(scenarios)
    if not scs:
        raise ValueError("stress needs at least one scenario")
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ValueError(f"strategies in one grid need distinct names, got {names}")
    severities = (
        [float(severity)] if isinstance(severity, int | float) else [float(x) for x in severity]
    )
    items = list(stresses) if stresses else [None]
    labels = [stress_label(item) for item in items]
    if len(set(labels)) != len(labels):
        raise ValueError(f"stresses in one grid need distinct names, got {labels}")
    probs = tuple(float(p) for p in quantiles)

    prepared: dict[Cell, PreparedStrategy] = {}
    deterministic: dict[Cell, dict[str, float]] = {}
    with threadpool_limits(limits=1, user_api="blas"):
        for sc in scs:
            base = prepare_strategy(sc)
            # The projection's model and regime path, once per strategy.
            model, path = kernel_model(central_scenario(sc)), regime_path(sc)
            for item, label in zip(items, labels, strict=True):
                stress_list(item, sc)  # unknown names fail before any run
                for sev in severities:
                    key = (sc.name, label, sev)
                    shocks = core_shocks(item, sc, sev)
                    prepared[key] = base.stressed(shocks)
                    events = _core.project(model, path, False, shocks)["events"]
                    deterministic[key] = _deterministic(events)
        config = simulation_config(
            list(prepared.values()),
            n_paths=n_paths,
            seed=seed,
            n_threads=n_threads,
            keep_paths=False,
            histogram=histogram,
        )
        what = f"stress {len(scs)} x {len(items)} x {len(severities)}"
        raws = run(
            config,
            progress=progress,
            what=what,
            batch_paths=batch_paths,
            backend=backend,
            client=client,
            chunk_paths=chunk_paths,
        )["strategies"]
    raw = dict(zip(prepared, raws, strict=True))
    rows = []
    for key, r in raw.items():
        years = prepared[key].scenario.time.years
        rows.append({**summary_row(r, years, histogram), **deterministic[key]})
    index = pd.MultiIndex.from_tuples(list(raw), names=["strategy", "stress", "severity"])
    return StressGrid(
        table=pd.DataFrame(rows, index=index),
        n_paths=n_paths,
        seed=seed,
        quantiles=probs,
        histogram=histogram,
        _prepared=prepared,
        _raw=raw,
        _stresses=dict(zip(labels, items, strict=True)),
    )
