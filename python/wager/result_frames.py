"""Each result as one tidy frame (the columns of ``wager.export.COLUMNS``):
what ``to_frame()`` returns and every export writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .export import tidy_rows

if TYPE_CHECKING:  # the results import this module
    from .comparison import Comparison
    from .simulation import Simulation
    from .stress_grid import StressGrid

__all__ = ["comparison_frame", "grid_frame", "simulation_frame"]


def simulation_frame(sim: Simulation) -> pd.DataFrame:
    """annual (variable x year), default_probability and profit_probability
    (year), default_year and first_profit_year (year, missing = never),
    outcomes (variable = outcome) and risk (variable = outcome, statistic
    ``var_0.95``, ``es_se_0.99``, ...)."""
    # One row per outcome; statistic "var_0.95", "es_se_0.99", ...
    risk = pd.DataFrame(
        {
            f"{stat}_{level:g}": sim.risk[stat].xs(level, level="level")
            for level in sim.risk.index.unique("level")
            for stat in sim.risk.columns
        }
    )
    tables: list[tuple[str, pd.DataFrame, tuple[str, ...]]] = [
        ("annual", sim.annual, ("variable", "year")),
        ("default_probability", sim.default_probability, ("year",)),
        ("profit_probability", sim.profit_probability, ("year",)),
        ("default_year", sim.default_year, ("year",)),
        ("first_profit_year", sim.first_profit_year, ("year",)),
        ("outcomes", sim.outcomes, ("variable",)),
        ("risk", risk, ("variable",)),
    ]
    parts = [
        tidy_rows(
            name,
            frame,
            strategy=sim.scenario.name,
            stress=sim.stress,
            severity=sim.severity,
            index_as=index_as,
        )
        for name, frame, index_as in tables
    ]
    return pd.concat(parts, ignore_index=True)


def grid_frame(grid: StressGrid) -> pd.DataFrame:
    """The grid's table: one row per (strategy, stress, severity, statistic)."""
    return tidy_rows("grid", grid.table, index_as=("strategy", "stress", "severity"))


def comparison_frame(c: Comparison) -> pd.DataFrame:
    """summary (stress x metric as variable; statistic = column), overtake
    (stress x year) and every strategy's simulation under every stress."""
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
    return pd.concat(parts, ignore_index=True)
