"""wager: project, stress-test and compare the finances of strategic bets.

>>> import wager
>>> wager.presets.names()
['compute_first', 'profitability']
"""

from __future__ import annotations

from . import presets, stresses
from .errors import ScenarioError
from .projection import Events, Projection, project
from .scenario import Scenario, load_scenario
from .scenario.stress_schema import Shock, Stress
from .simulation import Simulation, simulate
from .stress_grid import StressGrid, stress

__version__ = "0.1.0"

__all__ = [
    "Events",
    "Projection",
    "Scenario",
    "ScenarioError",
    "Shock",
    "Simulation",
    "Stress",
    "StressGrid",
    "__version__",
    "load_scenario",
    "presets",
    "project",
    "simulate",
    "stress",
    "stresses",
]
