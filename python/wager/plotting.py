"""``wager.plotting``: the public name of the pictures, kept where users found
it. The pictures live in the presentation layer, ``wager.present.plotting``;
this module, like ``wager/__init__.py``, stands outside the layers."""

from __future__ import annotations

from wager.present.plotting import (
    FIGSIZE,
    RACE_CHOICES,
    PlotAccessor,
    distress_by_stress,
    fan_chart,
    first_profit_years,
    joint_losses,
    outcome_ecdf,
    race_payoff,
    stress_heatmap,
    survival,
    tornado,
)
from wager.present.plotting.exposure_charts import exposure_profiles, loss_concentration

__all__ = [
    "FIGSIZE",
    "RACE_CHOICES",
    "PlotAccessor",
    "distress_by_stress",
    "exposure_profiles",
    "fan_chart",
    "first_profit_years",
    "joint_losses",
    "loss_concentration",
    "outcome_ecdf",
    "race_payoff",
    "stress_heatmap",
    "survival",
    "tornado",
]
