"""``wager.simulate``: Monte Carlo of one strategy, with honest statistics."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from wager.analyses import defaults
from wager.analyses.claimants import claimants_table
from wager.analyses.distress import recoveries_by_year_table, recoveries_table, resolution_table
from wager.analyses.exposure import (
    expected_loss_table,
    exposure_table,
    lender_exposure_table,
    lender_loss_table,
)
from wager.analyses.investors import investors_table
from wager.analyses.renamed import warn_renamed
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.compile.actuals import start_from_actuals
from wager.compile.correlation import Repair
from wager.compile.prepared import PreparedStrategy, prepare_strategy
from wager.compile.shocks import StressArg, core_shocks, stress_label
from wager.kernel.execution import Backend
from wager.kernel.layout import KEPT_VARIABLES, OUTCOMES, STAT_VARIABLES, HistogramSpec
from wager.kernel.progress import ProgressArg
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.stats.estimators import (
    cumulative,
    join_int128,
    mean_and_se,
    quantiles,
    tail_risk,
    wilson_interval,
)
from wager.stats.names import DEFAULT_QUANTILES, quantile_column

__all__ = ["Paths", "Simulation", "simulate", "simulation_frame"]

RISK_LEVELS = (0.95, 0.99)


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
    first_profit_year, distress_year
        Per path: the calendar year, or -1 when it never happened.
    outcomes
        ``{outcome: array (path,)}``: cumulative_fcf, peak_funding_need,
        terminal_equity_value.
    """

    years: np.ndarray
    annual: dict[str, np.ndarray]
    first_profit_year: np.ndarray
    distress_year: np.ndarray
    outcomes: dict[str, np.ndarray]

    @property
    def default_year(self) -> np.ndarray:
        """Deprecated: ``distress_year``."""
        warn_renamed("Paths.default_year", "Paths.distress_year")
        return self.distress_year


@dataclass(frozen=True, repr=False)
class Simulation(Exportable, Presentable):
    """The result of :func:`simulate`. Money in US$ bn.

    Attributes
    ----------
    annual
        Index (variable, year); columns ``mean``, ``se`` (standard error of the
        mean) and one column per quantile (``q5``, ``q25``, ...).
    distress_probability, profit_probability
        Index year; P(distress by year t) (``docs/model.md`` §27: the first
        step the company cannot pay or breaks a covenant), P(first profit by
        year t), with a 95% Wilson interval (``low``, ``high``).
    distress_year, first_profit_year
        Index year, then ``never``; the share of paths (``probability``) and
        the count.
    resolution, recoveries
        How distress was resolved (``docs/model.md`` §27): P(distress),
        P(reorganised), P(liquidated), P(equity wiped out) by year; the mean
        claim, recovery and recovery rate by claim class.
    exposure, expected_loss
        Each supplier's exposure per year (EE, PFE at 95% and 99%) and its
        loss at a distress (EAD, expected loss, discounted, 99% quantile;
        ``docs/model.md`` §28).
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

    Exports: ``to_frame()`` (tidy, ``wager.results.export.COLUMNS``), ``to_xarray()``,
    ``to_parquet()``, ``to_csv()``, ``to_json()``, each with ``manifest()``.
    """

    scenario: Scenario
    n_paths: int
    seed: int
    quantiles: tuple[float, ...]
    correlation_repair: Repair | None
    raw: dict[str, Any] = field(repr=False)
    stress: str | None = None
    severity: float = 1.0
    #: The bins of ``raw``'s histograms (the tables decode them).
    histogram: HistogramSpec = field(default_factory=HistogramSpec, repr=False)

    # The tables are decoded from ``raw`` when first read, then kept: a call
    # that reads one table (or none) pays for that one only. functools'
    # cached_property stores in the instance dict, which a frozen dataclass
    # leaves writable.

    @cached_property
    def annual(self) -> pd.DataFrame:
        """Index (variable, year); columns ``mean``, ``se`` (standard error of
        the mean) and one column per quantile (``q5``, ``q25``, ...)."""
        years = self.scenario.time.years
        index = pd.MultiIndex.from_product(
            [list(STAT_VARIABLES), years], names=["variable", "year"]
        )
        return self._table(slice(0, self._n_annual), index)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Index outcome (cumulative_fcf, peak_funding_need,
        terminal_equity_value); ``mean``, ``se`` and quantiles."""
        rows = slice(self._n_annual, self._n_annual + len(OUTCOMES))
        return self._table(rows, pd.Index(list(OUTCOMES), name="outcome"))

    @cached_property
    def distress_probability(self) -> pd.DataFrame:
        """Index year; P(distress by year t), with a 95% Wilson interval
        (``low``, ``high``)."""
        return self._curve(self.raw["default_year"])

    def outcome_distribution(self, outcome: str = "terminal_dcf_value_today") -> pd.DataFrame:
        """The distribution function of a per-path outcome, from its histogram.

        Parameters
        ----------
        outcome
            One of the ``outcomes`` index (e.g. ``terminal_dcf_value_today``).

        Returns
        -------
        pandas.DataFrame
            ``value`` (US$ bn, a bin's upper edge) and ``probability``, the
            share of paths whose outcome lies below it; one row per occupied
            bin, in increasing order, plus the lower edge of the first at 0.
            Exact at the edges; between them the outcome lies somewhere in
            the bin (relative width about 1 / ``histogram.bins_per_unit``).
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"no outcome {outcome!r}; known: {', '.join(OUTCOMES)}")
        cum = self._cumulative[self._n_annual + OUTCOMES.index(outcome)]
        n = int(cum[-1])
        counts = np.diff(cum, prepend=np.uint64(0))
        occupied = np.flatnonzero(counts)
        if n == 0 or occupied.size == 0:
            return pd.DataFrame({"value": [], "probability": []})
        spec = self.histogram
        edges = spec.value(np.concatenate([[occupied[0]], occupied + 1]))
        probability = np.concatenate([[0.0], cum[occupied] / n])
        return pd.DataFrame({"value": edges, "probability": probability})

    @cached_property
    def surviving_cash(self) -> pd.DataFrame:
        """Year-end cash of the paths not in distress by that year: index
        year; ``paths`` (how many), then the simulation's quantile columns.

        A path in distress keeps the negative cash it had when distress began
        (docs/model.md §27), so the all-path quantiles of ``annual`` mix
        frozen and live cash. A path not in distress ends every step with
        cash >= 0 (§11), so when the paths with negative cash are exactly
        the distressed ones (same count), the live paths are the top
        ``paths`` of the histogram and their quantile u is the all-path
        quantile at rank D + u (N - D): exact up to the histogram's
        resolution. Where a distress left cash positive (a covenant breach,
        §11 item 9) that ordering fails and the year's quantiles are NaN.
        """
        years = self.scenario.time.years
        n, spec = self.n_paths, self.histogram
        first = STAT_VARIABLES.index("cash") * len(years)
        counts = np.cumsum(np.asarray(self.raw["default_year"], dtype=np.int64)[: len(years)])
        columns = [quantile_column(p) for p in self.quantiles]
        rows = []
        for i in range(len(years)):
            cum = self._cumulative[first + i]
            d = int(counts[i])
            alive = n - d
            row = dict.fromkeys(columns, np.nan)
            if alive > 0 and int(cum[spec.n_bins // 2 - 1]) == d and int(cum[-1]) == n:
                levels = [(d + p * alive) / n for p in self.quantiles]
                q = quantiles(self.raw["histogram"][first + i], spec, levels, cum=cum)[0]
                row = dict(zip(columns, q, strict=True))
            rows.append({"paths": alive, **row})
        return pd.DataFrame(rows, index=pd.Index(years, name="year"))

    @property
    def default_probability(self) -> pd.DataFrame:
        """Deprecated: ``distress_probability``."""
        warn_renamed("Simulation.default_probability", "Simulation.distress_probability")
        return self.distress_probability

    @cached_property
    def profit_probability(self) -> pd.DataFrame:
        """Index year; P(first profit by year t), with a 95% Wilson interval
        (``low``, ``high``)."""
        return self._curve(self.raw["first_profit_year"])

    @cached_property
    def distress_year(self) -> pd.DataFrame:
        """Index year, then ``never``; the share of paths (``probability``)
        and the count."""
        return self._distribution(self.raw["default_year"])

    @property
    def default_year(self) -> pd.DataFrame:
        """Deprecated: ``distress_year``."""
        warn_renamed("Simulation.default_year", "Simulation.distress_year")
        return self.distress_year

    @cached_property
    def first_profit_year(self) -> pd.DataFrame:
        """Index year, then ``never``; the share of paths (``probability``)
        and the count."""
        return self._distribution(self.raw["first_profit_year"])

    @cached_property
    def resolution(self) -> pd.DataFrame:
        """Index year; P(distress), P(reorganised), P(liquidated) and
        P(equity wiped out) by the end of each year, with 95% Wilson
        intervals (``docs/model.md`` §27)."""
        return resolution_table(self.raw, list(self.scenario.time.years), self.n_paths)

    @cached_property
    def recoveries(self) -> pd.DataFrame:
        """Index claim class (then ``equity``); over the distressed paths, the
        mean claim and recovery, the recovery rate and its standard error
        (``docs/model.md`` §27)."""
        return recoveries_table(self.raw)

    @cached_property
    def recoveries_by_year(self) -> pd.DataFrame:
        """Index (year, claim class): the same as :attr:`recoveries` over the
        paths whose distress began in each year (their claims are valued at
        that step), so that a bust year's recoveries read apart from a
        normal year's (``docs/model.md`` §27); ``paths`` is their number."""
        return recoveries_by_year_table(self.raw, list(self.scenario.time.years))

    @cached_property
    def claimants(self) -> pd.DataFrame:
        """Index (kind, claimant): the facility's and the term debt's lenders
        and each commitment's counterparty; over the distressed paths, the
        class, the mean claim and recovery, the recovery rate and its
        standard error (``docs/model.md`` §27)."""
        return claimants_table(self.scenario, self.raw)

    @cached_property
    def exposure(self) -> pd.DataFrame:
        """Index (counterparty, year): each supplier's exposure at the year's
        end over every path (``docs/model.md`` §28): ``ee``, ``ee_se``,
        ``pfe95``, ``pfe99``; and the expected loss of the distresses that
        began in that year, ``el``, ``el_se``, ``el_discounted``,
        ``el_discounted_se``. Empty without contracts."""
        return exposure_table(self.scenario, self.raw, list(self.scenario.time.years))

    @cached_property
    def expected_loss(self) -> pd.DataFrame:
        """Index counterparty: each supplier's exposure at default and loss
        over the horizon (``docs/model.md`` §28): ``ead``, ``ead_all_paths``,
        ``el``, ``el_se``, ``el_discounted``, ``el_discounted_se``,
        ``loss_q99``, ``bin_width`` (the quantiles' accuracy), ``paths``
        (distressed). Empty without contracts."""
        return expected_loss_table(self.scenario, self.raw)

    @cached_property
    def lender_exposure(self) -> pd.DataFrame:
        """Index (kind, lender, year), kind ``facility`` or ``term_debt``:
        each lender's exposure at the year's end (the facility's drawn
        part; a term lender's share of the term debt outstanding) and the
        loss of the distresses that began that year, with the columns of
        :attr:`exposure` (``docs/model.md`` §28, lenders). Empty without debt."""
        return lender_exposure_table(self.scenario, self.raw, list(self.scenario.time.years))

    @cached_property
    def lender_loss(self) -> pd.DataFrame:
        """Index (kind, lender): each lender's exposure at default and loss
        over the horizon, with the columns of :attr:`expected_loss`."""
        return lender_loss_table(self.scenario, self.raw)

    @cached_property
    def investors(self) -> pd.DataFrame:
        """Index tranche: each committed tranche's investor, date and amount,
        and over every path what it paid, its stake at the horizon after
        dilution, that stake's value (undiscounted and today), the multiple
        on the money paid, and its loss: ``el``, ``p_loss``, ``loss_q99``
        (``docs/model.md`` §28, investors). Empty without tranches."""
        return investors_table(self.scenario, self.raw)

    @cached_property
    def risk(self) -> pd.DataFrame:
        """Index (outcome, level); ``var``, ``var_se``, ``es``, ``es_se``: the
        lower-tail Value-at-Risk (the level the quantity falls below with
        probability 1 - level) and Expected Shortfall (the mean below it)."""
        counts = self.raw["histogram"]
        cum = self._cumulative
        rows = []
        for i, name in enumerate(OUTCOMES):
            if name == "peak_funding_need":
                continue  # a need, not a level: its risk is its upper quantiles, in `outcomes`
            series = self._n_annual + i
            for level in RISK_LEVELS:
                var, var_se, es, es_se = tail_risk(
                    counts[series], self.histogram, level, cum=cum[series]
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
        return pd.DataFrame(rows).set_index(["outcome", "level"])

    @cached_property
    def paths(self) -> Paths | None:
        """Every path's values with ``keep_paths=True``, else None."""
        raw = self.raw
        if "kept" not in raw:
            return None
        return Paths(
            years=np.asarray(self.scenario.time.years),
            annual=dict(zip(KEPT_VARIABLES, raw["kept"], strict=True)),
            first_profit_year=raw["kept_first_profit_year"],
            distress_year=raw["kept_default_year"],
            outcomes=dict(zip(OUTCOMES, raw["kept_outcomes"], strict=True)),
        )

    @property
    def _n_annual(self) -> int:
        return len(STAT_VARIABLES) * len(self.scenario.time.years)

    @cached_property
    def _moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard error of every series (annual, then outcomes)."""
        raw = self.raw
        return mean_and_se(
            join_int128(raw["sum"]), join_int128(raw["sum_squares"]), int(raw["n_paths"])
        )

    @cached_property
    def _cumulative(self) -> np.ndarray:
        return cumulative(self.raw["histogram"])

    @cached_property
    def _quantiles(self) -> np.ndarray:
        """(series, quantile): every series' quantiles."""
        return quantiles(
            self.raw["histogram"], self.histogram, self.quantiles, cum=self._cumulative
        )

    def _table(self, rows: slice, index: pd.Index) -> pd.DataFrame:
        mean, se = self._moments
        q = self._quantiles
        frame = pd.DataFrame({"mean": mean[rows], "se": se[rows]}, index=index)
        for j, p in enumerate(self.quantiles):
            frame[quantile_column(p)] = q[rows, j]
        return frame

    def _distribution(self, counts: np.ndarray) -> pd.DataFrame:
        counts = np.asarray(counts, dtype=np.int64)
        n = self.n_paths
        index = pd.Index([*self.scenario.time.years, "never"], name="year", dtype=object)
        return pd.DataFrame(
            {"probability": counts / n if n else np.nan, "count": counts}, index=index
        )

    def _curve(self, counts: np.ndarray) -> pd.DataFrame:
        years = self.scenario.time.years
        n = self.n_paths
        cum = np.cumsum(np.asarray(counts, dtype=np.int64)[: len(years)])
        lo, hi = wilson_interval(cum, n) if n else (np.nan, np.nan)
        return pd.DataFrame(
            {"probability": cum / n if n else np.nan, "low": lo, "high": hi},
            index=pd.Index(years, name="year"),
        )

    def to_frame(self) -> pd.DataFrame:
        """Every table of the result as tidy rows (``wager.results.export.COLUMNS``)."""
        return simulation_frame(self)

    def __repr__(self) -> str:
        under = f", stress={self.stress!r}" if self.stress else ""
        dp = self.distress_probability
        last = int(dp.index[-1]) if len(dp) else self.scenario.time.horizon
        p = float(dp["probability"].iloc[-1]) if len(dp) else float("nan")
        return (
            f"Simulation({self.scenario.name!r}{under}, n_paths={self.n_paths:,}, "
            f"seed={self.seed}: P(distress by {last}) = {p:.4f})"
        )

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
        """One strategy's merged core results; its tables are decoded when
        first read. Non-finite values are refused and values beyond the
        histogram's range warned of here, at once (they read raw counts)."""
        years = strategy.scenario.time.years
        _check_finite(raw["non_finite"], years)
        _check_range(raw["histogram"], years, histogram)
        return cls(
            scenario=strategy.scenario,
            n_paths=int(raw["n_paths"]),
            seed=seed,
            quantiles=tuple(probs),
            correlation_repair=strategy.repair,
            raw=raw,
            stress=stress,
            severity=float(severity),
            histogram=histogram,
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


@documents_run_options
def simulate(
    scenario: Scenario | dict[str, Any],
    n_paths: int = defaults.PATHS,
    seed: int = defaults.SEED,
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
    {run: n_paths, seed, n_threads}
    keep_paths
        Also return every path's values (``.paths``); memory grows with
        n_paths (8 x 8 bytes per path-year plus 32 bytes per path: 736 bytes
        per path for 11 years).
    {run: progress}
    quantiles
        Probabilities of the quantile columns.
    {run: batch_paths}
    stress
        A stress to apply on every path: a name (the scenario's own
        stresses, then the library's), a :class:`wager.Stress`, or a list of
        them applied in order. The stress changes the model, not the random
        numbers: the same seed draws the same world with and without it. A
        triggered shock starts on each path at its own first step in the
        trigger's regime; such a strategy runs path by path (slower).
    severity
        Multiplies every shock: 0 = no stress (bit for bit), 1 = as calibrated.
    {run: backend}

    Returns
    -------
    Simulation
    """
    options = RunOptions(
        n_paths, seed, n_threads, progress, batch_paths, backend, client, chunk_paths
    )  # checked before anything is prepared
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    probs = tuple(float(p) for p in quantiles)
    if not all(0.0 < p < 1.0 for p in probs):
        raise ValueError(f"quantiles must lie strictly between 0 and 1, got {probs}")
    strategy = prepare_strategy(sc).stressed(core_shocks(stress, sc, severity))
    histogram = HistogramSpec()
    raw = run_cells(
        [strategy],
        options,
        what=f"simulate {sc.name}",
        keep_paths=keep_paths,
        histogram=histogram,
    )["strategies"][0]
    label = None if stress is None else stress_label(stress)
    return Simulation.from_core(
        strategy,
        raw,
        seed=options.seed,
        probs=probs,
        histogram=histogram,
        stress=label,
        severity=severity,
    )


def simulation_frame(sim: Simulation) -> pd.DataFrame:
    """annual (variable x year), distress_probability and profit_probability
    (year), distress_year and first_profit_year (year, missing = never),
    outcomes (variable = outcome), risk (variable = outcome, statistic
    ``var_0.95``, ``es_se_0.99``, ...), resolution (year; statistic
    ``distress``, ``reorganised``, ... and their interval ends) and
    recoveries (variable = claim class), claimants, exposure (variable =
    counterparty, year) and expected_loss (variable = counterparty); typed as
    ``wager.results.export.DTYPES``."""
    # One row per outcome; statistic "var_0.95", "es_se_0.99", ...
    risk = pd.DataFrame(
        {
            f"{stat}_{level:g}": sim.risk[stat].xs(level, level="level")
            for level in sim.risk.index.unique("level")
            for stat in sim.risk.columns
        }
    )
    # One row per claimant, "variable" = "<kind>: <claimant>"; the class apart.
    claimant_frame = sim.claimants.drop(columns="class")
    claimant_frame.index = pd.Index([f"{k}: {c}" for k, c in claimant_frame.index])
    # The lenders likewise: "variable" = "<kind>: <lender>".
    lender_loss = sim.lender_loss.copy()
    lender_loss.index = pd.Index([f"{k}: {c}" for k, c in lender_loss.index])
    lender_exposure = sim.lender_exposure.copy()
    lender_exposure.index = pd.MultiIndex.from_tuples(
        [(f"{k}: {c}", y) for k, c, y in lender_exposure.index], names=["variable", "year"]
    )
    tables: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = [
        ("annual", sim.annual, ("variable", "year")),
        ("distress_probability", sim.distress_probability, ("year",)),
        ("profit_probability", sim.profit_probability, ("year",)),
        ("distress_year", sim.distress_year, ("year",)),
        ("first_profit_year", sim.first_profit_year, ("year",)),
        ("outcomes", sim.outcomes, ("variable",)),
        ("risk", risk, ("variable",)),
        ("resolution", sim.resolution, ("year",)),
        ("recoveries", sim.recoveries, ("variable",)),
        ("recoveries_by_year", sim.recoveries_by_year, ("year", "variable")),
        ("claimants", claimant_frame, ("variable",)),
        ("exposure", sim.exposure, ("variable", "year")),
        ("expected_loss", sim.expected_loss, ("variable",)),
        ("investors", sim.investors.drop(columns="investor"), ("variable",)),
        ("lender_exposure", lender_exposure, ("variable", "year")),
        ("lender_loss", lender_loss, ("variable",)),
    ]
    return tidy_frame(
        tidy_rows(
            name,
            frame,
            strategy=sim.scenario.name,
            stress=sim.stress,
            severity=sim.severity,
            index_as=index_as,
        )
        for name, frame, index_as in tables
    )
