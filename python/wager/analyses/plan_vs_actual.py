"""``wager.plan_vs_actual``: each reported figure beside the plan's
projection of it (``docs/scenarios.md``, "Reported actuals")."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wager.compile.actuals import PlanPath, plan_path, reported_revenue, start_from_actuals
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario

__all__ = ["PLAN_VS_ACTUAL_COLUMNS", "plan_vs_actual", "start_from_actuals"]

#: The table's columns: the plan's value, the reported one, actual - plan,
#: actual / plan (missing when the plan is 0), and the year's source.
PLAN_VS_ACTUAL_COLUMNS = ("plan", "actual", "difference", "ratio", "source")


def _planned(plan: PlanPath, figure: str, year: int) -> float:
    if figure.startswith("revenue_"):
        return float(plan.segment_revenue[figure[len("revenue_") :]][plan.years.index(year)])
    if figure == "gross_margin":
        revenue = plan.at("revenue", year)
        return plan.at("gross_profit", year) / revenue if revenue else float("nan")
    if figure == "funding_raised":
        return plan.at("equity_raised", year) + plan.at("tranches_received", year)
    return plan.at(figure, year)


def _reported(scenario: Scenario, year: int, plan: PlanPath) -> dict[str, float]:
    assert scenario.actuals is not None
    row = scenario.actuals.years[year]
    out: dict[str, float] = {}
    by_segment = reported_revenue(scenario, year, plan)
    if row.revenue:  # a total's split is the plan's: not a reported figure
        out.update({f"revenue_{s}": v for s, v in by_segment.items()})
    if row.total_revenue is not None:
        out["revenue"] = float(row.total_revenue)
    elif set(row.revenue) == set(scenario.segments):
        out["revenue"] = sum(by_segment.values())
    out.update(row.figures())
    return out


def plan_vs_actual(scenario: Scenario | dict[str, Any]) -> pd.DataFrame:
    """Each reported figure beside the plan's projection of the same year.

    The plan is the scenario without its actuals, projected deterministically
    (``wager.project`` of it: uncertain inputs at their central values, the
    market in its initial regime).

    Parameters
    ----------
    scenario
        A :class:`wager.Scenario` (or a dict in the scenario format) with
        ``actuals``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year`` and ``figure`` (``revenue_<segment>``,
        ``revenue``, ``gross_margin``, ``free_cash_flow``,
        ``funding_raised``, ``cash``, ``debt``: the projection's columns
        of those names; ``funding_raised`` is its
        ``equity_raised + tranches_received``), in the order reported;
        columns ``plan``, ``actual``, ``difference`` (actual - plan),
        ``ratio`` (actual / plan, missing when the plan is 0) and
        ``source``. Money in US$ bn; a margin as a fraction.

    Raises
    ------
    ValueError
        If the scenario has no actuals.

    Examples
    --------
    >>> import wager
    >>> sc = wager.load_scenario("examples/profitability_actuals_2025.toml")  # doctest: +SKIP
    >>> wager.plan_vs_actual(sc).loc[(2025, "gross_margin")]  # doctest: +SKIP
    """
    sc = as_scenario(scenario)
    if sc.actuals is None:
        raise ValueError(f"{sc.name}: the scenario has no actuals to set against its plan")
    plan = plan_path(sc)
    rows: list[dict[str, Any]] = []
    for year in sorted(sc.actuals.years):
        source = sc.actuals.years[year].source
        for figure, actual in _reported(sc, year, plan).items():
            planned = _planned(plan, figure, year)
            gap = actual - planned
            if abs(gap) <= 1e-9 * max(abs(actual), abs(planned), 1.0):
                gap = 0.0  # the core's rounding of a figure reported as planned
            rows.append(
                {
                    "year": year,
                    "figure": figure,
                    "plan": planned,
                    "actual": actual,
                    "difference": gap,
                    "ratio": actual / planned if planned else np.nan,
                    "source": source,
                }
            )
    frame = pd.DataFrame(rows, columns=["year", "figure", *PLAN_VS_ACTUAL_COLUMNS])
    return frame.set_index(["year", "figure"])
