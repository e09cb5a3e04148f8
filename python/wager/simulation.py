"""``wager.simulate``: Monte Carlo of one strategy, with honest statistics."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .correlation import Repair
from .execution import Backend, run
from .export import Exportable
from .manifest import run_manifest
from .presentable import Presentable
from .progress import ProgressArg
from .projection import as_scenario
from .result_frames import simulation_frame
from .scenario.schema import Scenario
from .simulation_config import PreparedStrategy, prepare_strategy, simulation_config
from .statistics import (
    HistogramSpec,
    cumulative,
    join_int128,
    mean_and_se,
    quantiles,
    tail_risk,
    wilson_interval,
)
from .stress_resolve import StressArg, core_shocks, stress_label

__all__ = ["DEFAULT_QUANTILES", "STAT_VARIABLES", "Paths", "Simulation", "simulate"]

DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Per-year variables with mean, standard error and quantiles (core order).
STAT_VARIABLES = ("revenue", "operating_income", "free_cash_flow", "cash")
#: Per-path outcomes with mean, standard error and quantiles (core order).
OUTCOMES = ("cumulative_fcf", "peak_funding_need", "terminal_equity_value")
#: Per-year variables kept for every path with keep_paths (core order).
KEPT_VARIABLES = (
    "revenue",
    "operating_income",
    "free_cash_flow",
    "cash",
    "debt",
    "ownership_retained",
    "utilisation",
    "regime",
)
RISK_LEVELS = (0.95, 0.99)


def _qname(p: float) -> str:
    return f"q{round(p * 100, 6):g}".replace(".", "_")


@dataclass(frozen=True)
class Paths:
    """Every path's values (``keep_paths=True``), as views on the core's arrays.

    Attributes
    ----------
    years
        Calendar years (columns of the per-year arrays).
    annual
        ``{variable: array (path, year)}`` for revenue, operating_income,
        free_cash_flow, cash, debt, ownership_retained, utilisation, and regime
        (the index of the regime at year end, in ``market.regimes`` order).
    first_profit_year, default_year
        Per path: the calendar year, or -1 when it never happened.
    outcomes
        ``{outcome: array (path,)}``: cumulative_fcf, peak_funding_need,
        terminal_equity_value.
    """

    years: np.ndarray
    annual: dict[str, np.ndarray]
    first_profit_year: np.ndarray
    default_year: np.ndarray
    outcomes: dict[str, np.ndarray]


@dataclass(frozen=True)
class Simulation(Exportable, Presentable):
    """The result of :func:`simulate`. Money in US$ bn.

    Attributes
    ----------
    annual
        Index (variable, year); columns ``mean``, ``se`` (standard error of the
        mean) and one column per quantile (``q5``, ``q25``, ...).
    default_probability, profit_probability
        Index year; P(default by year t), P(first profit by year t), with a
        95% Wilson interval (``low``, ``high``).
    default_year, first_profit_year
        Index year, then ``never``; the share of paths (``probability``) and
        the count.
    outcomes
        Index outcome (cumulative_fcf, peak_funding_need,
        terminal_equity_value); ``mean``, ``se`` and quantiles.
    risk
        Index (outcome, level); ``var``, ``var_se``, ``es``, ``es_se``: the
        lower-tail Value-at-Risk (the level the quantity falls below with
        probability 1 - level) and Expected Shortfall (the mean below it).
    paths
        Every path's values with ``keep_paths=True``, else None.
    correlation_repair
        What repairing the input correlation matrix changed, if it was repaired.
    stress, severity
        The stress applied (its label; None = none) and its severity.

    Exports: ``to_frame()`` (tidy, ``wager.export.COLUMNS``), ``to_xarray()``,
    ``to_parquet()``, ``to_csv()``, ``to_json()``, each with ``manifest()``.
    """

    scenario: Scenario
    n_paths: int
    seed: int
    quantiles: tuple[float, ...]
    annual: pd.DataFrame
    default_probability: pd.DataFrame
    profit_probability: pd.DataFrame
    default_year: pd.DataFrame
    first_profit_year: pd.DataFrame
    outcomes: pd.DataFrame
    risk: pd.DataFrame
    paths: Paths | None
    correlation_repair: Repair | None
    raw: dict[str, Any]
    stress: str | None = None
    severity: float = 1.0

    def to_frame(self) -> pd.DataFrame:
        """Every table of the result as tidy rows (``wager.export.COLUMNS``)."""
        return simulation_frame(self)

    def manifest(self) -> dict[str, Any]:
        """The run manifest: version, build, seed, paths, scenario hash, time."""
        return run_manifest(
            "simulation",
            [self.scenario],
            seed=self.seed,
            n_paths=self.n_paths,
            extra={
                "stress": self.stress,
                "severity": self.severity,
                "quantiles": list(self.quantiles),
            },
        )

    @classmethod
    def from_core(
        cls,
        strategy: PreparedStrategy,
        raw: dict[str, Any],
        *,
        seed: int,
        probs: Sequence[float],
        histogram: HistogramSpec,
        stress: str | None = None,
        severity: float = 1.0,
    ) -> Simulation:
        """Statistics from one strategy's merged core results."""
        sc = strategy.scenario
        years = sc.time.years
        n_years = len(years)
        n = int(raw["n_paths"])
        _check_finite(raw["non_finite"], years)
        _check_range(raw["histogram"], years, histogram)
        mean, se = mean_and_se(join_int128(raw["sum"]), join_int128(raw["sum_squares"]), n)
        cum = cumulative(raw["histogram"])
        q = quantiles(raw["histogram"], histogram, probs, cum=cum)
        qcols = [_qname(p) for p in probs]
        n_annual = len(STAT_VARIABLES) * n_years

        def table(rows: slice, index: pd.Index) -> pd.DataFrame:
            frame = pd.DataFrame({"mean": mean[rows], "se": se[rows]}, index=index)
            for j, col in enumerate(qcols):
                frame[col] = q[rows, j]
            return frame

        annual = table(
            slice(0, n_annual),
            pd.MultiIndex.from_product([list(STAT_VARIABLES), years], names=["variable", "year"]),
        )
        outcomes = table(
            slice(n_annual, n_annual + len(OUTCOMES)), pd.Index(list(OUTCOMES), name="outcome")
        )

        def by_year(counts: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
            counts = np.asarray(counts, dtype=np.int64)
            index = pd.Index([*years, "never"], name="year", dtype=object)
            dist = pd.DataFrame(
                {"probability": counts / n if n else np.nan, "count": counts}, index=index
            )
            cum = np.cumsum(counts[:n_years])
            lo, hi = wilson_interval(cum, n) if n else (np.nan, np.nan)
            curve = pd.DataFrame(
                {"probability": cum / n if n else np.nan, "low": lo, "high": hi},
                index=pd.Index(years, name="year"),
            )
            return dist, curve

        default_year, default_probability = by_year(raw["default_year"])
        first_profit_year, profit_probability = by_year(raw["first_profit_year"])

        rows = []
        for i, name in enumerate(OUTCOMES):
            if name == "peak_funding_need":
                continue  # a need, not a level: its risk is its upper quantiles, in `outcomes`
            for level in RISK_LEVELS:
                var, var_se, es, es_se = tail_risk(
                    raw["histogram"][n_annual + i], histogram, level, cum=cum[n_annual + i]
                )
                rows.append(
                    {
                        "outcome": name,
                        "level": level,
                        "var": var,
                        "var_se": var_se,
                        "es": es,
                        "es_se": es_se,
                    }
                )
        risk = pd.DataFrame(rows).set_index(["outcome", "level"])

        paths = None
        if "kept" in raw:
            paths = Paths(
                years=np.asarray(years),
                annual=dict(zip(KEPT_VARIABLES, raw["kept"], strict=True)),
                first_profit_year=raw["kept_first_profit_year"],
                default_year=raw["kept_default_year"],
                outcomes=dict(zip(OUTCOMES, raw["kept_outcomes"], strict=True)),
            )
        return cls(
            scenario=sc,
            n_paths=n,
            seed=seed,
            quantiles=tuple(probs),
            annual=annual,
            default_probability=default_probability,
            profit_probability=profit_probability,
            default_year=default_year,
            first_profit_year=first_profit_year,
            outcomes=outcomes,
            risk=risk,
            paths=paths,
            correlation_repair=strategy.repair,
            raw=raw,
            stress=stress,
            severity=float(severity),
        )


def _check_finite(counts: np.ndarray, years: Sequence[int]) -> None:
    """Refuse a result in which NaN or infinity appeared, saying where."""
    bad = np.flatnonzero(counts)
    if not bad.size:
        return
    n_years = len(years)
    names = [f"{var} {year}" for var in STAT_VARIABLES for year in years] + list(OUTCOMES)
    where = ", ".join(f"{names[i]} ({int(counts[i])} paths)" for i in bad[:5])
    raise FloatingPointError(
        f"non-finite values (NaN or infinity) appeared in {where}"
        + (f" and {bad.size - 5} more" if bad.size > 5 else "")
        + f"; {n_years} years simulated. Check the scenario for extreme inputs."
    )


def _check_range(counts: np.ndarray, years: Sequence[int], spec: HistogramSpec) -> None:
    """Warn when values fell beyond the statistics' range (the outer bins)."""
    outside = counts[:, 0] + counts[:, -1]
    bad = np.flatnonzero(outside)
    if not bad.size:
        return
    names = [f"{var} {year}" for var in STAT_VARIABLES for year in years] + list(OUTCOMES)
    limit = float(spec.value(spec.n_bins - 1))
    where = ", ".join(f"{names[i]} ({int(outside[i])} paths)" for i in bad[:5])
    warnings.warn(
        f"values beyond +-{limit:.3g} US$ bn in {where}: quantiles there are bounds, "
        "and means and standard errors are of values clamped at +-8.4e6",
        RuntimeWarning,
        stacklevel=3,
    )


def simulate(
    scenario: Scenario | dict[str, Any],
    n_paths: int = 10_000,
    seed: int = 0,
    n_threads: int | None = None,
    keep_paths: bool = False,
    progress: ProgressArg = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    batch_paths: int | None = None,
    stress: StressArg = None,
    severity: float = 1.0,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> Simulation:
    """Monte Carlo simulation of one strategy.

    Each path draws the uncertain inputs once, then steps through a random
    world: the market regime follows its Markov chain, the common demand
    factor and each segment's own deviation follow AR(1) processes, and
    equity raises succeed with the regime's probability.

    Parameters
    ----------
    scenario
        A :class:`wager.Scenario` or a dict in the scenario format.
    n_paths
        Number of paths.
    seed
        The same seed gives bit-identical results whatever ``n_threads`` and
        ``batch_paths``.
    n_threads
        Threads (default: all cores OpenMP sees).
    keep_paths
        Also return every path's values (``.paths``); memory grows with
        n_paths (8 x 8 bytes per path-year plus 32 bytes per path: 736 bytes
        per path for 11 years).
    progress
        None: a bar on an interactive terminal for long runs; True / False:
        always / never; a callable: receives ``(done, total)`` between batches.
    quantiles
        Probabilities of the quantile columns.
    batch_paths
        Paths per batch between progress reports and Ctrl-C checks. None
        (default): batches start at 65,536 paths and double while a batch
        takes under 0.25 s, so a fast run pauses rarely and a slow one still
        reports and stops within about half a second. Results never depend
        on the batches.
    stress
        A stress to apply on every path: a name (the scenario's own
        stresses, then the library's), a :class:`wager.Stress`, or a list of
        them applied in order. The stress changes the model, not the random
        numbers: the same seed draws the same world with and without it. A
        triggered shock starts on each path at its own first step in the
        trigger's regime; such a strategy runs path by path (slower).
    severity
        Multiplies every shock: 0 = no stress (bit for bit), 1 = as calibrated.
    backend, client, chunk_paths
        ``"local"`` (threads in this process) or ``"dask"`` (chunks of paths
        on a ``distributed`` cluster: ``client``, or a local cluster if
        None; ``chunk_paths`` per task). The same results, bit for bit
        (``docs/scaling.md``).

    Returns
    -------
    Simulation
    """
    sc = as_scenario(scenario)
    probs = tuple(float(p) for p in quantiles)
    if not all(0.0 < p < 1.0 for p in probs):
        raise ValueError(f"quantiles must lie strictly between 0 and 1, got {probs}")
    # The small matrices of the preparation gain nothing from BLAS threads,
    # and BLAS threads left spinning after them take cores from the kernel's.
    with threadpool_limits(limits=1, user_api="blas"):
        strategy = prepare_strategy(sc).stressed(core_shocks(stress, sc, severity))
        histogram = HistogramSpec()
        config = simulation_config(
            [strategy],
            n_paths=n_paths,
            seed=seed,
            n_threads=n_threads,
            keep_paths=keep_paths,
            histogram=histogram,
        )
        raw = run(
            config,
            progress=progress,
            what=f"simulate {sc.name}",
            batch_paths=batch_paths,
            backend=backend,
            client=client,
            chunk_paths=chunk_paths,
        )["strategies"][0]
    label = None if stress is None else stress_label(stress)
    return Simulation.from_core(
        strategy, raw, seed=seed, probs=probs, histogram=histogram, stress=label, severity=severity
    )
