"""``wager.compare``: strategies side by side on the same random numbers.

Every strategy runs under every stress in one core call, on the same paths
of the same world, and the core also accumulates, path by path, each
strategy's difference from a reference strategy. Intervals on a difference
come from those paired differences, so they are as narrow as the pairing
makes them: the common world cancels out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from wager.analyses import defaults
from wager.analyses.calibration_spread import (
    AS_GIVEN,
    CalibrationSpread,
    calibration_variants,
    run_rows,
    spread_from_rows,
    spread_years,
)
from wager.analyses.distress import recoveries_table, resolution_table
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.analyses.simulation import Simulation, simulation_frame
from wager.compile.actuals import one_calendar
from wager.compile.contagion import link_contagion
from wager.compile.prepared import PreparedStrategy, distinct_scenarios, prepare_strategy
from wager.compile.shocks import StressArg, core_shocks, stress_label, stress_list
from wager.kernel.execution import Backend
from wager.kernel.layout import OUTCOMES, STAT_VARIABLES, HistogramSpec
from wager.kernel.progress import ProgressArg
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.stats.estimators import cumulative, join_int128, mean_and_se
from wager.stats.names import DEFAULT_QUANTILES
from wager.stats.recovery import CLAIM_CLASSES, overall_recovery

__all__ = ["Comparison", "compare", "comparison_frame"]

#: Two-sided normal quantile of the intervals on differences (95%).
_Z = float(stats.norm.ppf(0.975))


@dataclass(frozen=True, repr=False)
class Comparison(Exportable, Presentable):
    """The result of :func:`compare`. Money in US$ bn.

    Attributes
    ----------
    strategies
        Names, in the order given; ``reference`` is the one every other is
        compared with (B - A with A the reference).
    stresses
        Stress labels, in the order given.
    n_paths, seed
        As given.
    calibration_spread
        How far P(distress) and P(first profit) move across the
        calibration's evidence (``compare(..., calibration_spread=True)``;
        :class:`~wager.analyses.calibration_spread.CalibrationSpread`), or None.
    """

    strategies: tuple[str, ...]
    reference: str
    stresses: tuple[str, ...]
    n_paths: int
    seed: int
    severity: float
    quantiles: tuple[float, ...]
    histogram: HistogramSpec
    years: tuple[int, ...]
    _prepared: dict[tuple[str, str], PreparedStrategy] = field(repr=False)
    _raw: dict[tuple[str, str], dict[str, Any]] = field(repr=False)
    _pairs: dict[tuple[str, str], dict[str, Any]] = field(repr=False)
    calibration_spread: CalibrationSpread | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"Comparison({' vs '.join(self.strategies)}, stresses={list(self.stresses)}, "
            f"n_paths={self.n_paths:,}, seed={self.seed})"
        )

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The strategies' scenarios, in the order of ``strategies``."""
        return tuple(self._prepared[(s, self.stresses[0])].scenario for s in self.strategies)

    def simulation(self, strategy: str, stress: str | None = None) -> Simulation:
        """One strategy's full Monte Carlo result under one stress."""
        key = (strategy, stress if stress is not None else self.stresses[0])
        if key not in self._raw:
            raise KeyError(
                f"no result for {key}; strategies {self.strategies}, stresses {self.stresses}"
            )
        return Simulation.from_core(
            self._prepared[key],
            self._raw[key],
            seed=self.seed,
            probs=self.quantiles,
            histogram=self.histogram,
            stress=key[1],
            severity=self.severity,
        )

    def to_frame(self) -> pd.DataFrame:
        """summary, overtake and every strategy's simulation as tidy rows
        (and the calibration spread's tables, when it was run)."""
        return comparison_frame(self)

    def manifest(self) -> dict[str, Any]:
        """The run manifest: version, build, seed, paths, scenario hashes, stresses, time."""
        return run_manifest(
            "comparison",
            distinct_scenarios(self._prepared.values()),
            seed=self.seed,
            n_paths=self.n_paths,
            extra={
                "reference": self.reference,
                "stresses": list(self.stresses),
                "severity": self.severity,
                "quantiles": list(self.quantiles),
                **(
                    {"calibration_spread": self.calibration_spread.manifest_entry()}
                    if self.calibration_spread is not None
                    else {}
                ),
            },
        )

    def _others(self) -> list[str]:
        return [s for s in self.strategies if s != self.reference]

    def summary(self) -> pd.DataFrame:
        """Every metric under every stress: the reference A, each other
        strategy B, and B - A with a 95% interval from the paired differences.

        Index (stress, metric). Columns: the reference's name; then for each
        other strategy B its name, ``B - A``, ``B - A low`` and ``B - A high``.
        Metrics: P(distress by the horizon), P(first operating profit by the
        horizon); what distress came to (``docs/model.md`` §27), each
        strategy's own and B - A without an interval: P(reorganised),
        P(liquidated) and P(wiped out) (the equity holders receive nothing)
        by the horizon, and the recovery rate (total paid / total claimed
        over the distressed paths; NaN without a claim) of each claim class
        (``recovery rate secured``, ``... unsecured_debt``, ``... contracts``,
        ``... trade``) and of all claims (``recovery rate all claims``);
        P(A avoids distress and B does not), and the reverse,
        the means of the per-path outcomes, and the means of the per-year
        variables in the last year. Differences of means are mean paired
        differences +- 1.96 standard errors; differences of probabilities
        are the paired proportions' difference +- 1.96 standard errors
        (Wald, with the paired variance).
        """
        a = self.reference
        last = self.years[-1]
        rows: dict[tuple[str, str], dict[str, float]] = {}
        for stress in self.stresses:
            for b in self._others():
                pair = self._pairs[(b, stress)]
                n = int(pair["n_paths"])
                for name, joint in (
                    ("P(distress by {y})", "joint_default"),
                    ("P(profit by {y})", "joint_profit"),
                ):
                    c = np.asarray(pair[joint][-1], dtype=float)  # (a, b): 00, 01, 10, 11
                    pa, pb = (c[2] + c[3]) / n, (c[1] + c[3]) / n
                    d = pb - pa
                    se = math.sqrt(max((c[1] + c[2]) / n - d * d, 0.0) / n)
                    self._put(rows, stress, name.format(y=last), a, b, pa, pb, d, se)
                # docs/model.md §27: how distress was resolved and what the
                # claims recovered, each strategy's own (no paired interval:
                # the pairs do not track resolutions or claims).
                for metric, va, vb in self._distress_outcomes(a, b, stress):
                    self._put(rows, stress, metric, a, b, va, vb, vb - va)
                c = np.asarray(pair["joint_default"][-1], dtype=float)
                self._put(
                    rows,
                    stress,
                    f"P({b} in distress, {a} not, by {last})",
                    a,
                    b,
                    math.nan,
                    c[1] / n,
                )
                self._put(
                    rows,
                    stress,
                    f"P({a} in distress, {b} not, by {last})",
                    a,
                    b,
                    math.nan,
                    c[2] / n,
                )
                s1 = join_int128(pair["sum"])
                s2 = join_int128(pair["sum_squares"])
                diff_mean, diff_se = mean_and_se(s1, s2, n)
                mean_a = self._means((a, stress))
                mean_b = self._means((b, stress))
                n_years = len(self.years)
                series = {
                    f"mean {o}": len(STAT_VARIABLES) * n_years + i for i, o in enumerate(OUTCOMES)
                }
                series.update(
                    {
                        f"mean {v} {last}": i * n_years + n_years - 1
                        for i, v in enumerate(STAT_VARIABLES)
                    }
                )
                for metric, s in series.items():
                    self._put(
                        rows, stress, metric, a, b, mean_a[s], mean_b[s], diff_mean[s], diff_se[s]
                    )
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index = pd.MultiIndex.from_tuples(out.index, names=["stress", "metric"])
        return out

    @staticmethod
    def _put(
        rows: dict[tuple[str, str], dict[str, float]],
        stress: str,
        metric: str,
        a: str,
        b: str,
        va: float,
        vb: float,
        d: float = math.nan,
        se: float = math.nan,
    ) -> None:
        row = rows.setdefault((stress, metric), {})
        if not math.isnan(va):
            row[a] = va
        row[b] = vb
        row[f"{b} - {a}"] = d
        row[f"{b} - {a} low"] = d - _Z * se
        row[f"{b} - {a} high"] = d + _Z * se

    def _distress_outcomes(self, a: str, b: str, stress: str) -> list[tuple[str, float, float]]:
        """(metric, A's value, B's value) of what distress came to by the
        horizon: the shares of paths reorganised, liquidated and with the
        equity holders wiped out (as ``Simulation.resolution``), then the
        recovery rate of each claim class (as ``Simulation.recoveries``) and
        of all claims together."""
        raws = [self._raw[(s, stress)] for s in (a, b)]
        years = list(self.years)
        resolved = [resolution_table(r, years, int(r["n_paths"])).iloc[-1] for r in raws]
        recovered = [recoveries_table(r)["recovery_rate"] for r in raws]
        last = self.years[-1]
        out = []
        for event in ("reorganised", "liquidated", "wiped_out"):
            va, vb = (float(r[event]) for r in resolved)
            out.append((f"P({event.replace('_', ' ')} by {last})", va, vb))
        for c in CLAIM_CLASSES:
            va, vb = (float(r[c]) for r in recovered)
            out.append((f"recovery rate {c}", va, vb))
        va, vb = (overall_recovery(r["distress"]) for r in raws)
        out.append(("recovery rate all claims", va, vb))
        return out

    def _means(self, key: tuple[str, str]) -> np.ndarray:
        raw = self._raw[key]
        mean, _ = mean_and_se(
            join_int128(raw["sum"]), join_int128(raw["sum_squares"]), int(raw["n_paths"])
        )
        return mean

    def overtake(self, strategy: str | None = None, stress: str | None = None) -> pd.DataFrame:
        """When one strategy's cumulative free cash flow overtakes the other's.

        Index: calendar year, then ``never``. Columns: the share of paths on
        which the strategy behind at the end of the first year is first ahead
        at the end of that year, one column for each direction.
        """
        b = strategy or self._others()[0]
        pair = self._pairs[(b, stress or self.stresses[0])]
        counts = np.asarray(pair["overtake"], dtype=float) / int(pair["n_paths"])
        index = pd.Index([*self.years, "never"], name="year", dtype=object)
        a = self.reference
        return pd.DataFrame(
            {f"{b} overtakes {a}": counts[0], f"{a} overtakes {b}": counts[1]}, index=index
        )

    def dominance(self, stress: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
        """First-order stochastic dominance of terminal equity value.

        For each other strategy B against the reference A: the largest
        excess of each one's distribution function over the other's (over
        the histogram's bin edges), and whether it stays below the one-sided
        two-sample Kolmogorov-Smirnov critical value at ``alpha``
        (sqrt(-ln(alpha) (n + m) / (2 n m))). B dominates A when B's
        distribution function never rises above A's beyond that margin.
        The samples are paired, not independent: the critical value is a
        guide, not an exact test.
        """
        st = stress or self.stresses[0]
        a = self.reference
        series = len(STAT_VARIABLES) * len(self.years) + OUTCOMES.index("terminal_equity_value")
        ha = self._raw[(a, st)]["histogram"][series]
        fa = cumulative(ha) / max(int(self._raw[(a, st)]["n_paths"]), 1)
        rows = {}
        for b in self._others():
            raw_b = self._raw[(b, st)]
            fb = cumulative(raw_b["histogram"][series]) / max(int(raw_b["n_paths"]), 1)
            n, m = int(self._raw[(a, st)]["n_paths"]), int(raw_b["n_paths"])
            crit = math.sqrt(-math.log(alpha) * (n + m) / (2 * n * m)) if n and m else math.nan
            b_over, a_over = float(np.max(fb - fa)), float(np.max(fa - fb))
            rows[b] = {
                f"max(F_{b} - F_{a})": b_over,
                f"max(F_{a} - F_{b})": a_over,
                "critical value": crit,
                f"{b} dominates {a}": b_over <= crit,
                f"{a} dominates {b}": a_over <= crit,
            }
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("strategy")

    def expected_shortfall(self, stress: str | None = None) -> pd.DataFrame:
        """Each strategy's VaR and Expected Shortfall (95% and 99%) with
        standard errors, of cumulative free cash flow and terminal equity value."""
        st = stress or self.stresses[0]
        return pd.concat(
            {s: self.simulation(s, st).risk for s in self.strategies}, names=["strategy"]
        )


@documents_run_options
def compare(
    *scenarios: Scenario | dict[str, Any],
    n_paths: int = defaults.PATHS,
    seed: int = defaults.SEED,
    stresses: Sequence[StressArg] = defaults.COMPARE_STRESSES,
    severity: float = 1.0,
    reference: int | str = 0,
    n_threads: int | None = None,
    progress: ProgressArg = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    batch_paths: int | None = None,
    histogram: HistogramSpec | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
    calibration_spread: bool = False,
) -> Comparison:
    """Compare strategies on the same random numbers, under one or more stresses.

    Parameters
    ----------
    *scenarios
        Two or more strategies (``compare(a, b, c, ...)``); they must share a
        market and a calendar.
    {run: n_paths, seed, n_threads, progress, batch_paths}
    quantiles
        Probabilities of the quantile columns.
    stresses
        Stress names (the scenarios' own, then the library's), ``wager.Stress``
        objects, or lists applied together; every strategy runs under each.
    severity
        Of every stress.
    reference
        The strategy every other is compared with (its position or name).
    histogram
        Bins of the histograms (default: a simulation's, 0.2% resolution).
    {run: backend}
    calibration_spread
        Also run the comparison once per calibration variant
        (:func:`~wager.analyses.calibration_spread.calibration_variants`:
        each calibration input of the market at an end of its evidence,
        ``docs/calibration.md``, "Bounds"), on the same seed and paths, and
        keep how far P(distress) and P(first profit) move in
        ``.calibration_spread``: it multiplies the run time by the number of
        runs (1 + the variants, 10). Not a confidence interval
        (``docs/results.md``, "The calibration spread").

    Returns
    -------
    Comparison
        ``.summary()`` has A, B and B - A with paired intervals for every
        metric and stress.
    """
    options = RunOptions(
        n_paths, seed, n_threads, progress, batch_paths, backend, client, chunk_paths
    )  # checked before anything is prepared
    if len(scenarios) == 1 and isinstance(scenarios[0], list | tuple):
        raise TypeError(
            "compare takes the strategies as separate arguments: compare(a, b), or "
            "compare(*strategies) for a list"
        )
    scs = one_calendar([as_scenario(s) for s in scenarios])  # from the last reported year
    if len(scs) < 2:
        raise ValueError("compare needs at least two strategies")
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ValueError(f"strategies compared need distinct names, got {names}")
    ref = names[reference] if isinstance(reference, int) else reference
    if ref not in names:
        raise ValueError(f"reference {reference!r} is not one of {names}")
    items = list(stresses) if stresses else [None]
    labels = [stress_label(item) for item in items]
    if len(set(labels)) != len(labels):
        raise ValueError(f"stresses need distinct names, got {labels}")
    spec = histogram or HistogramSpec()
    # The variants' scenarios before any run: one that cannot be varied
    # (regimes other than the presets' three) is refused at once.
    variants = calibration_variants() if calibration_spread else ()
    varied = {v.name: [v.apply(sc) for sc in scs] for v in variants}

    prepared: dict[tuple[str, str], PreparedStrategy] = {}
    for sc in scs:
        base = prepare_strategy(sc)
        for item, label in zip(items, labels, strict=True):
            stress_list(item, sc)
            prepared[(sc.name, label)] = base.stressed(core_shocks(item, sc, severity))
    prepared = link_contagion(prepared)  # docs/model.md §25, contagion
    keys = list(prepared)
    pair_keys = [(b, label) for label in labels for b in names if b != ref]
    out = run_cells(
        list(prepared.values()),
        options,
        what=f"compare {len(scs)} x {len(items)}",
        histogram=spec,
        pairs=[(keys.index((ref, label)), keys.index((b, label))) for b, label in pair_keys],
    )
    result = Comparison(
        strategies=tuple(names),
        reference=ref,
        stresses=tuple(labels),
        n_paths=options.n_paths,
        seed=options.seed,
        severity=float(severity),
        quantiles=tuple(float(p) for p in quantiles),
        histogram=spec,
        years=tuple(scs[0].time.years),
        _prepared=prepared,
        _raw=dict(zip(keys, out["strategies"], strict=True)),
        _pairs=dict(zip(pair_keys, out["pairs"], strict=True)),
    )
    if not calibration_spread:
        return result
    # The variants are comparisons of their own, each on the same seed and
    # paths; only their numbers are kept, not each run's statistics.
    years = spread_years(scs[0])
    rows = {AS_GIVEN: run_rows(result, names, labels, years)}
    for v in variants:
        run = compare(
            *varied[v.name],
            n_paths=n_paths,
            seed=seed,
            stresses=stresses,
            severity=severity,
            reference=reference,
            n_threads=n_threads,
            progress=progress,
            quantiles=quantiles,
            batch_paths=batch_paths,
            histogram=histogram,
            backend=backend,
            client=client,
            chunk_paths=chunk_paths,
        )
        rows[v.name] = run_rows(run, names, labels, years)
    spread = spread_from_rows(
        rows,
        variants,
        scenarios=scs,
        stresses=labels,
        n_paths=options.n_paths,
        seed=options.seed,
        severity=float(severity),
    )
    return replace(result, calibration_spread=spread)


def comparison_frame(c: Comparison) -> pd.DataFrame:
    """summary (stress x metric as variable; statistic = column), overtake
    (stress x year) and every strategy's simulation under every stress;
    typed as ``wager.results.export.DTYPES``."""
    summary = c.summary()
    parts = [tidy_rows("summary", summary, index_as=("stress", "variable"))]
    for stress in c.stresses:
        for b in c.strategies:
            if b != c.reference:
                parts.append(
                    tidy_rows("overtake", c.overtake(b, stress), stress=stress, strategy=b)
                )
        for s in c.strategies:
            parts.append(simulation_frame(c.simulation(s, stress)))
    if c.calibration_spread is not None:
        parts += c.calibration_spread.frame_parts()
    return tidy_frame(parts)
