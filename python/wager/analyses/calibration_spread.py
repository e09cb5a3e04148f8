"""How far a comparison's answer moves across the calibration's own evidence:
``wager.compare(..., calibration_spread=True)`` (issue 16, item 7).

The comparison is run again once per :class:`CalibrationVariant`, each
setting one calibration input of every strategy's scenario at the low or
high end the evidence allows (``wager.scenario.calibration_bounds``,
``docs/calibration.md``, "Bounds"), or the transition matrix of another set
of episodes counted as busts. The market is shared, so every strategy gets
the same change; every run uses the same seed and path count, so the
variants differ by the input, not by the draws' luck alone.

This is not a confidence interval. The Monte Carlo intervals say how sure
each run's number is; the spread says how far the number moves when one
calibration input (or the episode set as a whole) moves across the range of
its evidence, the others held at the presets' values. Nothing says the
truth lies inside it, nor how likely each end is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.scenario.calibration_bounds import (
    BOUNDS,
    EPISODE_SETS,
    REGIMES,
    EpisodeSet,
    bound,
    transition_table,
    yearly_matrix,
)
from wager.scenario.distribution import Distribution
from wager.scenario.schema import Scenario

__all__ = [
    "AS_GIVEN",
    "CalibrationSpread",
    "CalibrationVariant",
    "calibration_variants",
    "run_rows",
    "spread_from_rows",
    "spread_years",
]

#: The run of the scenarios as given (for the presets, the calibration's central point).
AS_GIVEN = "as given"
#: The year of the second distress probability, beside the horizon's.
MID_YEAR = 2030

_TRANSITION = "market.transition"
_BUST_RAISE = "market.regimes.bust.raise_success"
_BUST_MULTIPLE = "market.regimes.bust.valuation_multiple"


@dataclass(frozen=True)
class CalibrationVariant:
    """One calibration input moved to one end of its evidence, for every strategy.

    Attributes
    ----------
    name
        Short, as tables show it.
    parameter
        The :data:`~wager.scenario.calibration_bounds.BOUNDS` key it moves,
        or ``episodes`` for an episode set (bust entry and length together).
    field
        The scenario field it sets.
    value
        The input's value (the bust multiple as a multiple of ``normal``'s);
        None for an episode set.
    episodes
        The episode set, for ``parameter == "episodes"``.
    """

    name: str
    parameter: str
    field: str
    value: float | None = None
    episodes: EpisodeSet | None = None

    def values(self, scenario: Scenario) -> dict[str, Any]:
        """The field path and value it sets in ``scenario`` (as ``Scenario.with_values``)."""
        _check_regimes(scenario)
        if self.field == _TRANSITION:
            return {_TRANSITION: transition_table(self._matrix())}
        assert self.value is not None
        if self.field == _BUST_MULTIPLE:
            normal = scenario.market.regimes["normal"].valuation_multiple
            level = normal.central() if isinstance(normal, Distribution) else float(normal)
            return {_BUST_MULTIPLE: self.value * level}
        return {self.field: self.value}

    def apply(self, scenario: Scenario) -> Scenario:
        """``scenario`` with this variant's value set (validated again)."""
        return scenario.with_values(self.values(scenario))

    def _matrix(self) -> Any:
        if self.episodes is not None:
            return self.episodes.matrix
        central = {b.key: b.central for b in BOUNDS}
        assert self.value is not None
        central[self.parameter] = self.value
        return yearly_matrix(
            central["bust_entry"],
            central["bust_years"],
            central["boom_entry"],
            central["boom_years"],
        )


def _check_regimes(scenario: Scenario) -> None:
    names = sorted(scenario.market.regimes)
    if names != sorted(REGIMES):
        raise ValueError(
            f"{scenario.name}: market.regimes: the calibration spread moves the presets' "
            f"three regimes {', '.join(REGIMES)} (docs/calibration.md); this scenario has "
            f"{', '.join(names)}"
        )


def calibration_variants() -> tuple[CalibrationVariant, ...]:
    """The variants a calibration spread runs, besides the scenarios as given.

    The two other episode sets as wholes (the bust's entry rate and length
    come together from the count: ``docs/calibration.md``, "Bounds"); the
    boom's entry rate and length each at half and twice the presets'
    (assumptions); the bust's yearly chance of a round at 0.50 and 0.62 (the
    droughts); the bust multiple at 0.50 of ``normal``'s (its low end, 0.22,
    is the presets' own value, so the run as given stands for it).
    """
    out = [
        CalibrationVariant(f"episodes: {e.name}", "episodes", _TRANSITION, episodes=e)
        for e in (EPISODE_SETS[0], EPISODE_SETS[2])
    ]
    for key, label in (("boom_entry", "boom entry {:g}/yr"), ("boom_years", "boom length {:g} yr")):
        b = bound(key)
        out += [CalibrationVariant(label.format(v), key, _TRANSITION, v) for v in (b.low, b.high)]
    b = bound("bust_raise_success")
    for v in (b.low, b.high):
        out.append(CalibrationVariant(f"bust round chance {v:.2f}", b.key, _BUST_RAISE, v))
    b = bound("bust_multiple")
    out += [
        CalibrationVariant(f"bust multiple {v:.2f}", b.key, _BUST_MULTIPLE, v)
        for v in (b.low, b.high)
        if v != b.central
    ]
    return tuple(out)


class _Simulated(Protocol):
    """What the spread reads of a run: a comparison's strategies under its stresses."""

    def simulation(self, strategy: str, stress: str | None = None) -> Any: ...


def _metrics(years: Sequence[int]) -> list[tuple[str, str, int]]:
    """(column, the Simulation curve, year): distress by each year, profit by the horizon."""
    out = [(f"P(distress by {y})", "distress_probability", y) for y in years]
    return [*out, (f"P(profit by {years[-1]})", "profit_probability", years[-1])]


@dataclass(frozen=True, repr=False)
class CalibrationSpread(Exportable):
    """How far a comparison's answer moves across the calibration's evidence.

    Not a confidence interval: see :mod:`wager.analyses.calibration_spread`.

    Attributes
    ----------
    table
        Index (stress, strategy, variant), the run ``as given`` first; for
        each metric (``P(distress by 2030)``, ``P(distress by <horizon>)``,
        ``P(profit by <horizon>)``: a first operating profit) the share of
        paths and its 95% Wilson interval (``<metric> low``, ``<metric> high``).
    variants
        The variants, in the order of the table (without the run as given).
    strategies, stresses, n_paths, seed, severity
        Of the comparison; every variant ran with the same.
    years
        The years of the distress probabilities (2030 where the horizon
        reaches it, and the horizon).
    """

    table: pd.DataFrame
    variants: tuple[CalibrationVariant, ...]
    strategies: tuple[str, ...]
    stresses: tuple[str, ...]
    years: tuple[int, ...]
    n_paths: int
    seed: int
    severity: float
    scenarios: tuple[Scenario, ...]

    def __repr__(self) -> str:
        return (
            f"CalibrationSpread({', '.join(self.strategies)}, {len(self.variants)} variants, "
            f"stresses={list(self.stresses)}, n_paths={self.n_paths:,}, seed={self.seed})"
        )

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics of ``table``, in order."""
        return tuple(m for m, _, _ in _metrics(self.years))

    @property
    def n_runs(self) -> int:
        """Runs of the comparison: the scenarios as given and each variant."""
        return 1 + len(self.variants)

    def runs(self, stress: str, strategy: str) -> pd.DataFrame:
        """The rows of ``table`` of one stress and strategy, index the variant."""
        index = self.table.index
        mask = (index.get_level_values("stress") == stress) & (
            index.get_level_values("strategy") == strategy
        )
        if not mask.any():
            raise KeyError(
                f"no run of {strategy!r} under {stress!r}; strategies {self.strategies}, "
                f"stresses {self.stresses}"
            )
        return self.table[mask].droplevel(["stress", "strategy"])

    def range_of(self, stress: str, strategy: str, metric: str) -> dict[str, float | str]:
        """One row of :meth:`ranges`, as a dict."""
        runs = self.runs(stress, strategy)
        col = runs[metric]
        return {
            AS_GIVEN: float(col[AS_GIVEN]),
            "low": float(runs[f"{metric} low"][AS_GIVEN]),
            "high": float(runs[f"{metric} high"][AS_GIVEN]),
            "min": float(col.min()),
            "max": float(col.max()),
            "min at": str(col.idxmin()),
            "max at": str(col.idxmax()),
        }

    def ranges(self) -> pd.DataFrame:
        """For each stress, strategy and metric: the run as given with its 95%
        interval (``as given``, ``low``, ``high``), and the smallest and largest
        value across every run (``min``, ``max``) with the variant that gave
        each (``min at``, ``max at``)."""
        rows = {
            (stress, strategy, m): self.range_of(stress, strategy, m)
            for stress in self.stresses
            for strategy in self.strategies
            for m in self.metrics
        }
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index = pd.MultiIndex.from_tuples(out.index, names=["stress", "strategy", "metric"])
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: table ``calibration_spread`` (variable = the variant,
        statistic = the metric or its interval's end) and
        ``calibration_spread_range`` (variable = the metric; as given, its
        interval, min and max); typed as ``wager.results.export.DTYPES``."""
        return tidy_frame(self.frame_parts())

    def frame_parts(self) -> list[pd.DataFrame]:
        """:meth:`to_frame`'s parts, for a comparison's own export."""
        numbers = self.ranges().drop(columns=["min at", "max at"])
        return [
            tidy_rows(
                "calibration_spread", self.table, index_as=("stress", "strategy", "variable")
            ),
            tidy_rows(
                "calibration_spread_range", numbers, index_as=("stress", "strategy", "variable")
            ),
        ]

    def manifest_entry(self) -> dict[str, Any]:
        """What a manifest records of the spread: each variant's field and value."""
        return {
            "variants": [
                {
                    "name": v.name,
                    "parameter": v.parameter,
                    "field": v.field,
                    "value": v.value,
                    "episodes": None if v.episodes is None else v.episodes.name,
                }
                for v in self.variants
            ],
        }

    def manifest(self) -> dict[str, Any]:
        """The run manifest: a comparison's, with the variants under ``calibration_spread``."""
        return run_manifest(
            "comparison",
            list(self.scenarios),
            seed=self.seed,
            n_paths=self.n_paths,
            extra={
                "stresses": list(self.stresses),
                "severity": self.severity,
                "calibration_spread": self.manifest_entry(),
            },
        )


def spread_years(scenario: Scenario) -> tuple[int, ...]:
    """The years of a spread's distress probabilities: 2030 where the horizon
    reaches it, and the horizon."""
    horizon = scenario.time.horizon
    return tuple(sorted({y for y in (MID_YEAR, horizon) if y in scenario.time.years}))


def run_rows(
    run: _Simulated, strategies: Sequence[str], stresses: Sequence[str], years: Sequence[int]
) -> dict[tuple[str, str], dict[str, float]]:
    """One run's row of the table per (stress, strategy): each metric of
    :meth:`CalibrationSpread.metrics` with its 95% interval."""
    rows = {}
    for stress in stresses:
        for strategy in strategies:
            sim = run.simulation(strategy, stress)
            row: dict[str, float] = {}
            for column, curve, year in _metrics(years):
                r = getattr(sim, curve).loc[year]
                row[column] = float(r["probability"])
                row[f"{column} low"] = float(r["low"])
                row[f"{column} high"] = float(r["high"])
            rows[(stress, strategy)] = row
    return rows


def spread_from_rows(
    rows: Mapping[str, Mapping[tuple[str, str], dict[str, float]]],
    variants: Sequence[CalibrationVariant],
    *,
    scenarios: Sequence[Scenario],
    stresses: Sequence[str],
    n_paths: int,
    seed: int,
    severity: float,
) -> CalibrationSpread:
    """The spread of runs already made: ``rows`` maps :data:`AS_GIVEN` and
    each variant's name to its :func:`run_rows`."""
    names = [AS_GIVEN, *(v.name for v in variants)]
    strategies = [sc.name for sc in scenarios]
    table = pd.DataFrame.from_dict(
        {
            (stress, strategy, name): rows[name][(stress, strategy)]
            for stress in stresses
            for strategy in strategies
            for name in names
        },
        orient="index",
    )
    table.index = pd.MultiIndex.from_tuples(table.index, names=["stress", "strategy", "variant"])
    return CalibrationSpread(
        table=table,
        variants=tuple(variants),
        strategies=tuple(strategies),
        stresses=tuple(stresses),
        years=spread_years(scenarios[0]),
        n_paths=n_paths,
        seed=seed,
        severity=severity,
        scenarios=tuple(scenarios),
    )
