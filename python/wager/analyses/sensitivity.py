"""Which assumption matters most: a tornado (one input at a time) and Sobol
indices (all at once), over a scenario's uncertain inputs.

Both run as one core call. The inputs are given per path instead of drawn
(``PreparedStrategy.with_input_rows``), and every design row sees the same
random worlds (regime chain, demand factor, raise draws): differences
between rows are the inputs' doing. A row's metric is its mean over those
worlds:

- ``terminal_equity_value``: mean terminal equity value, US$ bn;
- ``p_distress``: P(distress by ``year``);
- ``first_profit_year``: mean first year of operating profit, a path that
  never turns a profit counting as the year after the horizon.

Sobol indices use SALib's sampling (Saltelli's scheme on a scrambled Sobol
sequence) and analysis (bootstrap confidence intervals): install
``wager[sensitivity]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from scipy import stats

from wager.analyses.renamed import metric_name
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.compile.actuals import start_from_actuals
from wager.compile.prepared import PreparedStrategy, prepare_strategy
from wager.compile.uncertainty import distribution_dict
from wager.kernel import core
from wager.kernel.contract import whole_number
from wager.kernel.execution import Backend
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable, Summarised
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.stats.cell_summary import GRID_HISTOGRAM, summary_row
from wager.stats.estimators import join_int128, mean_and_se

__all__ = ["SENSITIVITY_METRICS", "SobolIndices", "Tornado", "sobol", "tornado"]

SensitivityMetric = Literal["terminal_equity_value", "p_distress", "first_profit_year"]
SENSITIVITY_METRICS = ("terminal_equity_value", "p_distress", "first_profit_year")

#: Worlds are drawn in blocks of 32 paths: a design row's paths come in multiples of it.
_LANES = 32


@dataclass(frozen=True, repr=False)
class Tornado(Exportable, Presentable):
    """The result of :func:`tornado`.

    Attributes
    ----------
    table
        One row per uncertain input, ranked by ``swing`` (largest first):
        the input at its low and high percentiles (``low_input``,
        ``high_input``), the metric there (``low``, ``high``) with standard
        errors (``low_se``, ``high_se``), ``swing`` = |high - low| and
        ``swing_se``, its standard error from the paired differences (both
        ends run on the same worlds, so it is far smaller than the ends'
        own errors suggest).
    central, central_se
        The metric with every input at its central value.
    """

    metric: str
    year: int
    percentiles: tuple[float, float]
    central: float
    central_se: float
    table: pd.DataFrame
    n_paths: int
    seed: int
    scenario: Scenario

    def __repr__(self) -> str:
        top = ", ".join(map(str, self.table.index[:3]))
        return (
            f"Tornado({self.scenario.name!r}, {self.metric}: central {self.central:.4g}; "
            f"largest swings: {top})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The tornado as tidy rows: table ``tornado`` (variable = input), and
        the central value (table ``tornado_central``); typed as
        ``wager.results.export.DTYPES``."""
        central = pd.DataFrame(
            {"value": [self.central], "se": [self.central_se]}, index=["central"]
        )
        return tidy_frame(
            [
                tidy_rows(
                    "tornado", self.table, strategy=self.scenario.name, index_as=("variable",)
                ),
                tidy_rows(
                    "tornado_central", central, strategy=self.scenario.name, index_as=("variable",)
                ),
            ]
        )

    def manifest(self) -> dict[str, Any]:
        """The run manifest."""
        return run_manifest(
            "tornado",
            [self.scenario],
            seed=self.seed,
            n_paths=self.n_paths,
            extra={"metric": self.metric, "year": self.year, "percentiles": list(self.percentiles)},
        )


@dataclass(frozen=True, repr=False)
class SobolIndices(Exportable, Summarised):
    """The result of :func:`sobol`.

    Attributes
    ----------
    table
        One row per input: first-order index ``S1`` and total index ``ST``,
        each with the half-width of its confidence interval (``S1_conf``,
        ``ST_conf``, at ``conf_level``; SALib's bootstrap).
    samples
        The input values run, one row per design point (SALib's order).
    values
        The metric at each design point.
    """

    metric: str
    year: int
    conf_level: float
    table: pd.DataFrame
    samples: pd.DataFrame
    values: np.ndarray
    n_base: int
    paths_per_sample: int
    seed: int
    scenario: Scenario

    def __repr__(self) -> str:
        return f"SobolIndices({self.metric}: {len(self.table)} inputs, S1 and ST)"

    def to_frame(self) -> pd.DataFrame:
        """The indices as tidy rows (table ``sobol``, variable = input), typed as
        ``wager.results.export.DTYPES``."""
        return tidy_frame(
            [tidy_rows("sobol", self.table, strategy=self.scenario.name, index_as=("variable",))]
        )

    def manifest(self) -> dict[str, Any]:
        """The run manifest."""
        return run_manifest(
            "sobol",
            [self.scenario],
            seed=self.seed,
            n_paths=len(self.values) * self.paths_per_sample,
            extra={
                "metric": self.metric,
                "year": self.year,
                "n_base": self.n_base,
                "paths_per_sample": self.paths_per_sample,
                "conf_level": self.conf_level,
            },
        )


def _prepared(scenario: Scenario | dict[str, Any]) -> tuple[Scenario, PreparedStrategy]:
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    prepared = prepare_strategy(sc)
    if not prepared.inputs:
        raise ValueError(
            f"{sc.name}: no uncertain inputs (give some fields a distribution); "
            "wager.sensitivity moves any input by +/-x% without distributions"
        )
    return sc, prepared


def _year(sc: Scenario, year: int | None) -> int:
    by = sc.time.horizon if year is None else whole_number(year, "year")
    if not sc.time.start_year <= by <= sc.time.horizon:
        raise ValueError(f"year {by} is outside the horizon {sc.time.start_year}-{sc.time.horizon}")
    return by


def _check_metric(metric: str) -> SensitivityMetric:
    """``metric``, its old name (``p_default``) read as the new one."""
    metric = metric_name(metric)
    if metric not in SENSITIVITY_METRICS:
        raise ValueError(f"metric must be one of {', '.join(SENSITIVITY_METRICS)}, got {metric!r}")
    return cast(SensitivityMetric, metric)


def _quantiles(prepared: PreparedStrategy, u: np.ndarray) -> np.ndarray:
    """Input values at probabilities u (rows, inputs), through each input's distribution."""
    z = stats.norm.ppf(np.clip(u, 1e-12, 1 - 1e-12))
    cols = [
        np.asarray(core.distribution_quantiles(distribution_dict(inp.distribution), z[:, i]))
        for i, inp in enumerate(prepared.inputs)
    ]
    return np.column_stack(cols)


def _cell_metric(raw: dict[str, Any], metric: str, sc: Scenario, year: int) -> tuple[float, float]:
    """The metric of one cell and its standard error, from the core's merged results."""
    n = int(raw["n_paths"])
    t = sc.time
    if metric == "p_distress":
        p = float(np.sum(raw["default_year"][: year - t.start_year + 1])) / n
        return p, math.sqrt(p * (1 - p) / n)
    if metric == "first_profit_year":
        years = np.arange(t.start_year, t.horizon + 2, dtype=float)  # never = horizon + 1
        counts = np.asarray(raw["first_profit_year"], dtype=float)
        mean = float(counts @ years) / n
        var = float(counts @ (years - mean) ** 2) / max(n - 1, 1)
        return mean, math.sqrt(var / n)
    row = summary_row(raw, t.years, GRID_HISTOGRAM)
    return row["terminal_equity_value_mean"], row["terminal_equity_value_se"]


def _swing_se(
    pair: dict[str, Any], metric: str, sc: Scenario, year: int, low_se: float, high_se: float
) -> float:
    """Standard error of high - low from the paired differences (both ends
    run on the same worlds); for first_profit_year, which the pairs do not
    carry, the unpaired sqrt(low_se^2 + high_se^2), an upper bound here."""
    n = int(pair["n_paths"])
    if n == 0:
        return math.nan
    if metric == "terminal_equity_value":
        s1, s2 = join_int128(pair["sum"]), join_int128(pair["sum_squares"])
        _, se = mean_and_se(s1, s2, n)
        return float(se[4 * len(sc.time.years) + 2])
    if metric == "p_distress":
        c = np.asarray(pair["joint_default"][year - sc.time.start_year], dtype=float)
        d = (c[1] - c[2]) / n
        return math.sqrt(max((c[1] + c[2]) / n - d * d, 0.0) / n)
    return math.hypot(low_se, high_se)


@documents_run_options
def tornado(
    scenario: Scenario | dict[str, Any],
    metric: SensitivityMetric = "terminal_equity_value",
    *,
    year: int | None = None,
    percentiles: tuple[float, float] = (0.1, 0.9),
    n_paths: int = 10_000,
    seed: int = 0,
    n_threads: int | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> Tornado:
    """Each uncertain input alone at its low and high percentile, the others
    central, ranked by the swing of ``metric``.

    Parameters
    ----------
    scenario
        A scenario with uncertain inputs.
    metric
        ``terminal_equity_value``, ``p_distress`` (by ``year``; ``docs/model.md`` §27) or
        ``first_profit_year``.
    year
        For ``p_distress`` (default: the horizon).
    percentiles
        The low and high probabilities (default the 10th and 90th percentiles).
    {run: n_paths, seed, n_threads}
    {run: backend}
    """
    options = RunOptions(
        n_paths, seed, n_threads, backend=backend, client=client, chunk_paths=chunk_paths
    )  # checked before anything is prepared
    metric = _check_metric(metric)
    sc, prepared = _prepared(scenario)
    by = _year(sc, year)
    lo_p, hi_p = (float(p) for p in percentiles)
    if not 0.0 < lo_p < hi_p < 1.0:
        raise ValueError(f"percentiles must satisfy 0 < low < high < 1, got {percentiles}")
    k = len(prepared.inputs)
    central = np.array([inp.central for inp in prepared.inputs])
    ends = _quantiles(prepared, np.tile([[lo_p], [hi_p]], (1, k)))
    rows = [central]
    for i in range(k):
        for end in (0, 1):
            row = central.copy()
            row[i] = ends[end, i]
            rows.append(row)
    strategies = [prepared.with_input_rows(r[None, :], max(options.n_paths, 1)) for r in rows]
    out = run_cells(
        strategies,
        options,
        what=f"tornado {sc.name}",
        histogram=GRID_HISTOGRAM,
        pairs=[(1 + 2 * i, 2 + 2 * i) for i in range(k)],  # each input's high minus its low
    )
    values = [_cell_metric(r, metric, sc, by) for r in out["strategies"]]
    swing_se = [
        _swing_se(pair, metric, sc, by, values[1 + 2 * i][1], values[2 + 2 * i][1])
        for i, pair in enumerate(out["pairs"])
    ]
    table = pd.DataFrame(
        {
            "low_input": ends[0],
            "high_input": ends[1],
            "low": [values[1 + 2 * i][0] for i in range(k)],
            "low_se": [values[1 + 2 * i][1] for i in range(k)],
            "high": [values[2 + 2 * i][0] for i in range(k)],
            "high_se": [values[2 + 2 * i][1] for i in range(k)],
        },
        index=pd.Index([inp.name for inp in prepared.inputs], name="input"),
    )
    table["swing"] = (table["high"] - table["low"]).abs()
    table["swing_se"] = swing_se
    table = table.sort_values("swing", ascending=False, kind="stable")
    return Tornado(
        metric=metric,
        year=by,
        percentiles=(lo_p, hi_p),
        central=values[0][0],
        central_se=values[0][1],
        table=table,
        n_paths=options.n_paths,
        seed=options.seed,
        scenario=sc,
    )


def _path_metric(raw: dict[str, Any], metric: str, sc: Scenario, year: int) -> np.ndarray:
    if metric == "terminal_equity_value":
        return np.asarray(raw["kept_outcomes"][2], dtype=float)
    if metric == "p_distress":
        d = np.asarray(raw["kept_default_year"])
        return ((d >= 0) & (d <= year)).astype(float)
    first = np.asarray(raw["kept_first_profit_year"], dtype=float)
    return np.where(first < 0, sc.time.horizon + 1, first)


@documents_run_options
def sobol(
    scenario: Scenario | dict[str, Any],
    metric: SensitivityMetric = "terminal_equity_value",
    *,
    year: int | None = None,
    n_base: int = 256,
    paths_per_sample: int = 32,
    seed: int = 0,
    n_threads: int | None = None,
    conf_level: float = 0.95,
    num_resamples: int = 200,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> SobolIndices:
    """Sobol first-order and total indices of ``metric`` over the uncertain inputs.

    SALib draws ``n_base x (k + 2)`` design points for k inputs (Saltelli's
    scheme, scrambled Sobol sequence, no second-order terms); each point
    runs ``paths_per_sample`` random worlds (the same worlds for every
    point), all points in one core call; SALib estimates the indices and
    their bootstrap confidence intervals.

    Parameters
    ----------
    metric, year
        As for :func:`tornado`.
    n_base
        SALib's N: a power of 2.
    paths_per_sample
        Worlds per design point, a multiple of 32. The inner Monte Carlo
        noise adds to the metric's variance as if it were an input's; with
        no randomness but the inputs, 32 identical worlds cost little.
    conf_level, num_resamples
        SALib's bootstrap.
    seed
        Of the worlds and of SALib's scrambled Sobol sequence: the same seed
        gives bit-identical results whatever ``n_threads`` and the backend.
    {run: n_threads, backend}

    Raises
    ------
    ValueError
        If the scenario correlates its inputs: Sobol indices assume
        independent inputs.
    ImportError
        Without SALib (``pip install 'wager[sensitivity]'``).
    """
    try:
        from SALib.analyze import sobol as sobol_analyze
        from SALib.sample import sobol as sobol_sample
    except ImportError as err:  # pragma: no cover - the test extra installs SALib
        raise ImportError("Sobol indices need SALib: pip install 'wager[sensitivity]'") from err
    # The counts and the run options, checked before anything is prepared.
    n_base = whole_number(n_base, "n_base", minimum=2)
    paths_per_sample = whole_number(paths_per_sample, "paths_per_sample", minimum=1)
    num_resamples = whole_number(num_resamples, "num_resamples", minimum=1)
    options = RunOptions(
        0, seed, n_threads, backend=backend, client=client, chunk_paths=chunk_paths
    )
    seed = options.seed
    metric = _check_metric(metric)
    sc, prepared = _prepared(scenario)
    if sc.uncertainty.inputs:
        raise ValueError(
            f"{sc.name}: Sobol indices assume independent inputs, and uncertainty.inputs "
            "correlates some; use the tornado, or remove the correlations"
        )
    if paths_per_sample < _LANES or paths_per_sample % _LANES:
        raise ValueError(f"paths_per_sample must be a multiple of {_LANES}, got {paths_per_sample}")
    if n_base < 2 or n_base & (n_base - 1):
        raise ValueError(f"n_base must be a power of 2, got {n_base}")
    by = _year(sc, year)
    names = [inp.name for inp in prepared.inputs]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = sobol_sample.sample(problem, n_base, calc_second_order=False, scramble=True, seed=seed)
    x = _quantiles(prepared, u)
    n_rows = x.shape[0]
    raw = run_cells(
        [prepared.with_input_rows(x, paths_per_sample)],
        replace(options, n_paths=n_rows * paths_per_sample),
        what=f"sobol {sc.name}",
        keep_paths=True,
        histogram=GRID_HISTOGRAM,
        world_period=paths_per_sample,
    )["strategies"][0]
    y = _path_metric(raw, metric, sc, by).reshape(n_rows, paths_per_sample).mean(axis=1)
    result = sobol_analyze.analyze(
        problem,
        y,
        calc_second_order=False,
        num_resamples=num_resamples,
        conf_level=conf_level,
        print_to_console=False,
        seed=seed,
    )
    table = pd.DataFrame(
        {k: np.asarray(result[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")},
        index=pd.Index(names, name="input"),
    )
    return SobolIndices(
        metric=metric,
        year=by,
        conf_level=conf_level,
        table=table,
        samples=pd.DataFrame(x, columns=names),
        values=y,
        n_base=n_base,
        paths_per_sample=paths_per_sample,
        seed=seed,
        scenario=sc,
    )
