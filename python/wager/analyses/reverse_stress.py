"""Reverse stress tests: the smallest severity of a stress that breaks a
strategy, found by bisection on common random numbers; and the distance to
default (the credit term; here: to distress, docs/model.md §27), the
smallest uniform revenue haircut that puts the plan in distress.

Every evaluation uses the same seed, so the metric is a deterministic
function of the severity (the draws do not change with it) and bisection is
well defined. The coarse sweep that brackets the crossing also checks that
the metric moves one way with the severity, and the result says so when it
does not.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from wager.analyses.projection import Projection, project
from wager.analyses.renamed import metric_name
from wager.analyses.run import RunOptions, documents_run_options
from wager.analyses.stress_grid import stress as stress_grid
from wager.compile.actuals import start_from_actuals
from wager.compile.shocks import StressArg, stress_label
from wager.kernel.contract import whole_number
from wager.results.presentation import Summarised
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.scenario.stress_schema import Stress

__all__ = ["MAX_SWEEP", "METRICS", "ReverseStress", "distance_to_default", "reverse_stress"]

#: Severities of the coarse pass at most (one grid of that many cells).
MAX_SWEEP = 1_000

Metric = Literal["p_distress", "p_profit", "terminal_equity_value_mean", "deterministic_distress"]

#: Each metric and the direction in which it "breaks": p_distress rises to
#: the threshold; p_profit and the mean terminal equity value fall to it;
#: deterministic_distress is the stressed projection entering distress (no
#: threshold). The event is docs/model.md §27's distress.
METRICS: dict[str, str] = {
    "p_distress": ">=",
    "p_profit": "<=",
    "terminal_equity_value_mean": "<=",
    "deterministic_distress": "enters distress",
}


@dataclass(frozen=True, repr=False)
class ReverseStress(Summarised):
    """The result of :func:`reverse_stress`.

    Attributes
    ----------
    found
        Whether the metric crossed the threshold within [0, max_severity].
    severity
        The smallest severity tested at which the metric has crossed (the
        upper end of ``bracket``); NaN if not found.
    bracket
        (lower, upper): the metric has not crossed at lower and has at upper;
        upper - lower <= the tolerance.
    monotone
        False if some evaluation moved against the severity (the metric is
        then not a one-way function of the severity and the crossing found
        is the first on the sweep, not necessarily the only one).
    evaluations
        Every severity evaluated and the metric there, in evaluation order.
    projection
        The deterministic stressed projection at ``severity`` (None if not
        found).
    """

    metric: str
    threshold: float
    year: int
    found: bool
    severity: float
    bracket: tuple[float, float]
    monotone: bool
    evaluations: pd.DataFrame
    projection: Projection | None
    note: str

    def __repr__(self) -> str:
        at = f"severity {self.severity:.4g}" if self.found else "not found"
        return (
            f"ReverseStress({self.metric} crossing {self.threshold:g} by {self.year}: {at}, "
            f"{len(self.evaluations)} evaluations)"
        )


def _crossed(metric: str, value: float, threshold: float) -> bool:
    if metric == "deterministic_distress":
        return value > 0.5
    return value >= threshold if METRICS[metric] == ">=" else value <= threshold


def _evaluator(
    sc: Scenario,
    item: StressArg,
    metric: str,
    year: int,
    mc: dict[str, Any],
) -> Callable[[list[float]], list[float]]:
    if metric == "deterministic_distress":

        def det(severities: list[float]) -> list[float]:
            out = []
            for s in severities:
                d = project(sc, stress=item, severity=s).events.distress_year
                out.append(float(d is not None and d <= year))
            return out

        return det

    label = stress_label(item)

    def run(severities: list[float]) -> list[float]:
        grid = stress_grid(sc, [item], severity=severities, **mc)
        if metric == "p_distress":
            by = grid.p_distress_by(year)
            return [float(by[(sc.name, label, s)]) for s in severities]
        if metric == "p_profit":
            by = grid.p_profit_by(year)
            return [float(by[(sc.name, label, s)]) for s in severities]
        col = grid.table[metric]
        return [float(col[(sc.name, label, s)]) for s in severities]

    return run


@documents_run_options
def reverse_stress(
    scenario: Scenario | dict[str, Any],
    stress: StressArg,
    metric: Metric = "p_distress",
    threshold: float = 0.5,
    *,
    year: int | None = None,
    max_severity: float = 4.0,
    tolerance: float = 0.01,
    sweep: int = 9,
    n_paths: int = 10_000,
    seed: int = 0,
    n_threads: int | None = None,
) -> ReverseStress:
    """The smallest severity of ``stress`` at which ``metric`` crosses ``threshold``.

    Parameters
    ----------
    scenario
        The strategy.
    stress
        A stress name, a :class:`wager.Stress`, or a list applied together.
    metric
        ``p_distress`` (P(distress by ``year``) >= threshold), ``p_profit``
        (P(first profit by ``year``) <= threshold),
        ``terminal_equity_value_mean`` (<= threshold, US$ bn), or
        ``deterministic_distress`` (the stressed projection enters distress
        by ``year``; threshold unused). The names before schema version 3,
        ``p_default`` and ``deterministic_default``, still work and warn.
    year
        Calendar year for the probabilities and the deterministic distress
        (default: the horizon).
    max_severity
        The search covers severities 0 to this.
    tolerance
        Width of the final bracket, in severity.
    sweep
        Severities of the first, coarse pass (evenly spaced, 0 included), a
        whole number from 2 to :data:`MAX_SWEEP` (1,000); for a Monte Carlo
        metric they run in one grid call.
    {run: n_paths, seed, n_threads}

    Returns
    -------
    ReverseStress
    """
    options = RunOptions(n_paths, seed, n_threads)  # checked before anything runs
    sweep = whole_number(sweep, "sweep", minimum=2, maximum=MAX_SWEEP)
    metric = cast(Metric, metric_name(metric))
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    for name, value in (("max_severity", max_severity), ("tolerance", tolerance)):
        if not (math.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    by = sc.time.horizon if year is None else whole_number(year, "year")
    if not sc.time.start_year <= by <= sc.time.horizon:
        raise ValueError(f"year {by} is outside the horizon {sc.time.start_year}-{sc.time.horizon}")
    mc = {
        "n_paths": options.n_paths,
        "seed": options.seed,
        "n_threads": options.n_threads,
        "progress": False,
    }
    evaluate = _evaluator(sc, stress, metric, by, mc)
    sign = -1.0 if METRICS[metric] == "<=" else 1.0  # so that "worse" is "larger"

    severities = [float(x) for x in np.linspace(0.0, max_severity, sweep)]
    values = evaluate(severities)
    seen: list[tuple[float, float]] = list(zip(severities, values, strict=True))
    monotone = all(sign * (b - a) >= 0 for a, b in itertools.pairwise(values))
    hits = [i for i, v in enumerate(values) if _crossed(metric, v, threshold)]

    def result(found: bool, lo: float, hi: float, note: str) -> ReverseStress:
        table = pd.DataFrame(seen, columns=["severity", metric])
        ordered = sorted(seen)
        ok = monotone and all(sign * (b[1] - a[1]) >= 0 for a, b in itertools.pairwise(ordered))
        at = project(sc, stress=stress, severity=hi) if found else None
        return ReverseStress(
            metric=metric,
            threshold=float(threshold),
            year=by,
            found=found,
            severity=hi if found else math.nan,
            bracket=(lo, hi),
            monotone=ok,
            evaluations=table,
            projection=at,
            note=note,
        )

    if not hits:
        return result(
            False, max_severity, math.inf, f"not crossed at severities up to {max_severity:g}"
        )
    first = hits[0]
    if first == 0:
        return result(True, 0.0, 0.0, "crossed without any stress (severity 0)")
    lo, hi = severities[first - 1], severities[first]
    v_lo, v_hi = values[first - 1], values[first]
    while hi - lo > tolerance:
        mid = 0.5 * (lo + hi)
        v = evaluate([mid])[0]
        seen.append((mid, v))
        if sign * (v - v_lo) < 0 or sign * (v_hi - v) < 0:
            monotone = False
        if _crossed(metric, v, threshold):
            hi, v_hi = mid, v
        else:
            lo, v_lo = mid, v
    return result(True, lo, hi, "")


def distance_to_default(
    scenario: Scenario | dict[str, Any],
    *,
    year: int | None = None,
    tolerance: float = 1e-4,
    new_equity: bool = True,
) -> ReverseStress:
    """The smallest uniform haircut to revenue that puts the plan in distress
    (``docs/model.md`` §27; "distance to default" is the credit term).

    Every segment's revenue is scaled by (1 - h) over the whole horizon in
    the deterministic projection; ``severity`` of the result is h (0.2 = a
    20% haircut), found by bisection to ``tolerance``.

    Parameters
    ----------
    new_equity
        True: the plan raises equity as its scenario says (a raise succeeds
        in the projection when its regime's probability exceeds one half, at
        the regime's multiple of revenue, so a company that can always sell
        shares is far from distress). False: no equity raise succeeds over the
        whole horizon: the distance on the company's own cash, tranches and
        credit.
    """
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    if not new_equity:
        fin = sc.financing
        equity = fin.equity.model_copy(update={"enabled": False})
        sc = sc.model_copy(update={"financing": fin.model_copy(update={"equity": equity})})
    haircut = Stress.model_validate(
        {
            "name": "revenue_haircut",
            "title": "Uniform revenue haircut",
            "shocks": [{"target": "segments.*.revenue", "op": "scale", "value": 0.0}],
        }
    )
    return reverse_stress(
        sc,
        haircut,
        "deterministic_distress",
        year=year,
        max_severity=1.0,
        tolerance=tolerance,
        sweep=11,
    )
