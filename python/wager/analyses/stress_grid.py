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
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from wager.analyses import defaults
from wager.analyses.projection import Projection, project
from wager.analyses.renamed import warn_renamed
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.analyses.simulation import Simulation
from wager.compile.actuals import one_calendar
from wager.compile.contagion import refuse_unlinked
from wager.compile.memory import check_fits, run_bytes
from wager.compile.model import kernel_model, regime_path
from wager.compile.prepared import PreparedStrategy, distinct_scenarios, prepare_strategy
from wager.compile.shocks import StressArg, core_shocks, stress_label, stress_list
from wager.compile.uncertainty import central_scenario
from wager.kernel import core
from wager.kernel.execution import Backend
from wager.kernel.layout import HistogramSpec
from wager.kernel.progress import ProgressArg
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable
from wager.scenario import stress_library
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.stats.cell_summary import GRID_HISTOGRAM, summary_row
from wager.stats.names import DEFAULT_QUANTILES

__all__ = ["MAX_GRID_CELLS", "StressGrid", "grid_frame", "stress"]


Cell = tuple[str, str, float]
_INDEX = ("strategy", "stress", "severity")

#: Cells of one grid (strategies x stresses x severities) at most: each is
#: prepared and projected before the run, and holds about 0.8 MB of
#: statistics after it (``docs/api.md``).
MAX_GRID_CELLS = 10_000


@dataclass(frozen=True, repr=False)
class StressGrid(Exportable, Presentable):
    """The result of :func:`stress`. Money in US$ bn.

    Attributes
    ----------
    table
        One row per cell, index (strategy, stress, severity). Monte Carlo
        columns: ``p_distress`` (by the horizon, ``docs/model.md`` §27) and ``p_profit`` (first
        operating profit by the horizon), each with a 95% Wilson interval
        (``_low``, ``_high``); for each per-path outcome (cumulative_fcf,
        peak_funding_need, terminal_equity_value, terminal_dcf_value) ``_mean`` and
        ``_se``; the
        terminal equity value's 5th, 50th and 95th percentiles and its 95%
        Expected Shortfall with standard error; ``p_reorganised``,
        ``p_liquidated`` (distress resolved so by the horizon) and
        ``p_wiped_out`` (the equity holders received nothing at a resolution
        by the horizon), ``docs/model.md`` §27, with their intervals;
        ``recovery_rate``, the share of all claims paid over the distressed
        paths, and ``recovery_rate_<class>`` with its standard error
        ``recovery_rate_<class>_se`` for each claim class (secured,
        unsecured_debt, contracts, trade), as ``Simulation.recoveries``
        (NaN where the class had no claim). Deterministic stressed
        projection: ``det_distress_year``, ``det_first_profit_year`` (NaN =
        none), ``det_terminal_equity_value``, ``det_peak_funding_need``
        (:meth:`projection` gives the whole projection).
    n_paths, seed
        As given.
    """

    n_paths: int
    seed: int
    quantiles: tuple[float, ...]
    histogram: HistogramSpec
    _prepared: dict[Cell, PreparedStrategy] = field(repr=False)
    _raw: dict[Cell, dict[str, Any]] = field(repr=False)
    _stresses: dict[str, StressArg] = field(repr=False)
    #: Each cell's det_ columns (its deterministic stressed projection).
    _deterministic: dict[Cell, dict[str, float]] = field(repr=False)

    def __repr__(self) -> str:
        return f"StressGrid({len(self._raw)} cells, n_paths={self.n_paths:,}, seed={self.seed})"

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per cell, index (strategy, stress, severity): the Monte
        Carlo and deterministic columns described above. Decoded from the
        core's results when first read, then kept."""
        rows = []
        for key, r in self._raw.items():
            years = self._prepared[key].scenario.time.years
            rows.append({**summary_row(r, years, self.histogram), **self._deterministic[key]})
        index = pd.MultiIndex.from_tuples(list(self._raw), names=list(_INDEX))
        return pd.DataFrame(rows, index=index)

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The strategies' scenarios, each once, in the grid's order."""
        return tuple(distinct_scenarios(self._prepared.values()))

    @property
    def stresses(self) -> tuple[str, ...]:
        """The stress labels, in the order given."""
        return tuple(self._stresses)

    @property
    def cells(self) -> list[Cell]:
        """(strategy, stress, severity) of every cell, in the core's order."""
        return list(self._raw)

    def to_frame(self) -> pd.DataFrame:
        """The table as tidy rows (``wager.results.export.COLUMNS``)."""
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

    def p_distress_by(self, year: int) -> pd.Series:
        """P(distress by the end of ``year``) of every cell (index as ``table``)."""
        return self._share_by("default_year", year)

    def p_default_by(self, year: int) -> pd.Series:
        """Deprecated: :meth:`p_distress_by`."""
        warn_renamed("StressGrid.p_default_by", "StressGrid.p_distress_by")
        return self.p_distress_by(year)

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
        return pd.Series(out, name=f"{counts}_by_{year}").rename_axis(list(_INDEX))

    def projection(self, strategy: str, stress: str, severity: float = 1.0) -> Projection:
        """A cell's deterministic stressed projection (annual table and events)."""
        key = self._key(strategy, stress, severity)
        return project(self._prepared[key].scenario, stress=self._stresses[stress], severity=key[2])

    def unchanged(self, strategy: str, stress: str, severity: float = 1.0) -> bool:
        """Whether a cell gives exactly the ``baseline`` cell's results.

        Every Monte Carlo statistic (sums, sums of squares, histograms, event
        counts) bit for bit, and the deterministic projection's every value:
        on these paths the stress changes nothing. Needs a ``baseline`` cell
        at the same severity.
        """
        key = self._key(strategy, stress, severity)
        base = self._key(strategy, "baseline", severity)
        if not _same_raw(self._raw[key], self._raw[base]):
            return False
        a, b = self.projection(*key).annual, self.projection(*base).annual
        return bool(a.equals(b))

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
        return one_calendar([as_scenario(scenarios)])
    return one_calendar([as_scenario(s) for s in scenarios])  # from the last reported year


def _deterministic(events: dict[str, Any]) -> dict[str, float]:
    """The det_ columns from the core projection's events."""

    def year(y: int | None) -> float:
        return math.nan if y is None else float(y)

    return {
        "det_distress_year": year(events["distress_year"]),
        "det_first_profit_year": year(events["first_profit_year"]),
        "det_terminal_equity_value": float(events["terminal_equity_value"]),
        "det_peak_funding_need": float(events["peak_funding_need"]),
    }


def _same_raw(a: Any, b: Any) -> bool:
    """Two core results equal bit for bit (dicts, sequences, arrays, numbers)."""
    if isinstance(a, dict):
        return (
            isinstance(b, dict) and a.keys() == b.keys() and all(_same_raw(a[k], b[k]) for k in a)
        )
    if isinstance(a, (list, tuple)):
        return (
            isinstance(b, (list, tuple))
            and len(a) == len(b)
            and all(_same_raw(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        x, y = np.asarray(a), np.asarray(b)
        return x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes()
    return bool(a == b)


def _first_repeat(values: Sequence[float]) -> float | None:
    """The first value given twice, if any."""
    seen: set[float] = set()
    for v in values:
        if v in seen:
            return v
        seen.add(v)
    return None


def _check_grid_size(
    scs: Sequence[Scenario],
    n_stresses: int,
    n_severities: int,
    options: RunOptions,
    histogram: HistogramSpec,
) -> None:
    """Refuse a grid over :data:`MAX_GRID_CELLS`, or one whose statistics
    would not fit in memory, before any cell is prepared."""
    cells = len(scs) * n_stresses * n_severities
    if cells > MAX_GRID_CELLS:
        raise ValueError(
            f"a grid of {len(scs)} strategies x {n_stresses} stresses x {n_severities} "
            f"severities = {cells:,} cells is over the limit of {MAX_GRID_CELLS:,} cells: "
            "give fewer stresses or severities"
        )
    threads = options.n_threads if options.n_threads is not None else core.max_threads()
    needed = run_bytes(
        n_strategies=cells,
        n_pairs=0,
        n_years=max(sc.time.n_years for sc in scs),
        n_paths=options.n_paths,
        n_threads=threads,
        n_bins=histogram.n_bins,
        keep_paths=False,
    )
    check_fits(needed, f"a grid of {cells:,} cells ({options.n_paths:,} paths each)")


@documents_run_options
def stress(
    scenarios: Scenario | dict[str, Any] | Sequence[Scenario | dict[str, Any]],
    stresses: Sequence[StressArg] | None = None,
    *,
    severity: float | Sequence[float] = 1.0,
    n_paths: int = defaults.GRID_PATHS,
    seed: int = defaults.SEED,
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
        :class:`wager.Stress`, or a list of them applied together. None (the
        default): every library stress, as ``wager stress`` runs; an empty
        list: the scenarios as written.
    severity
        One severity or several (a severity sweep): every stress runs at each;
        a severity given twice is refused. A grid has at most
        :data:`MAX_GRID_CELLS` (10,000) cells, strategies x stresses x
        severities, and is refused before anything is prepared if its
        statistics would not fit in memory (``MemoryError``).
    {run: n_paths, seed, n_threads, progress, batch_paths}
    quantiles
        Probabilities of the quantile columns of a cell's :meth:`~StressGrid.simulation`.
    histogram
        Bins of the cells' histograms (quantiles, VaR, ES): 2% relative
        resolution by default; :class:`wager.kernel.layout.HistogramSpec()` gives
        a simulation's 0.2% (ten times the memory per cell).
    {run: backend}

    Returns
    -------
    StressGrid
    """
    options = RunOptions(
        n_paths, seed, n_threads, progress, batch_paths, backend, client, chunk_paths
    )  # checked before anything is prepared
    scs = _scenarios(scenarios)
    if not scs:
        raise ValueError("stress needs at least one scenario")
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ValueError(f"strategies in one grid need distinct names, got {names}")
    severities = (
        [float(severity)] if isinstance(severity, int | float) else [float(x) for x in severity]
    )
    twice = _first_repeat(severities)
    if twice is not None:
        raise ValueError(f"severity {twice:g} is given twice: each severity makes its cells once")
    if stresses is None:
        # Every library stress that acts on one bet, as `wager stress` runs.
        stresses = stress_library.one_bet_names()
    items = list(stresses) if stresses else [None]
    labels = [stress_label(item) for item in items]
    if len(set(labels)) != len(labels):
        raise ValueError(f"stresses in one grid need distinct names, got {labels}")
    probs = tuple(float(p) for p in quantiles)
    _check_grid_size(scs, len(items), len(severities), options, histogram)

    prepared: dict[Cell, PreparedStrategy] = {}
    deterministic: dict[Cell, dict[str, float]] = {}
    for sc in scs:
        base = prepare_strategy(sc)
        # The projection's model and regime path, once per strategy.
        model, path = kernel_model(central_scenario(sc)), regime_path(sc)
        for item, label in zip(items, labels, strict=True):
            stress_list(item, sc)  # unknown names fail before any run
            for sev in severities:
                key = (sc.name, label, sev)
                shocks = core_shocks(item, sc, sev)
                refuse_unlinked(shocks, f"stress grid, {sc.name}")
                prepared[key] = base.stressed(shocks)
                events = core.project(model, path, False, shocks)["events"]
                deterministic[key] = _deterministic(events)
    raws = run_cells(
        list(prepared.values()),
        options,
        what=f"stress {len(scs)} x {len(items)} x {len(severities)}",
        histogram=histogram,
    )["strategies"]
    return StressGrid(
        n_paths=options.n_paths,
        seed=options.seed,
        quantiles=probs,
        histogram=histogram,
        _prepared=prepared,
        _raw=dict(zip(prepared, raws, strict=True)),
        _stresses=dict(zip(labels, items, strict=True)),
        _deterministic=deterministic,
    )


def grid_frame(grid: StressGrid) -> pd.DataFrame:
    """The grid's table: one row per (strategy, stress, severity, statistic),
    typed as ``wager.results.export.DTYPES``."""
    return tidy_frame([tidy_rows("grid", grid.table, index_as=("strategy", "stress", "severity"))])
