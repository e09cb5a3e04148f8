"""wager: project, stress-test and compare the finances of strategic bets.

>>> import wager
>>> wager.presets.names()
['compute_first', 'profitability']
"""

from __future__ import annotations

from . import presets, stresses
from ._version import __version__
from .comparison import Comparison, compare
from .errors import ScenarioError
from .export import read_results
from .projection import Events, Projection, project
from .race import Race, race, race_sweep
from .reverse_stress import ReverseStress, distance_to_default, reverse_stress
from .scenario import Scenario, load_scenario
from .scenario.stress_schema import Shock, Stress
from .sensitivity import SobolIndices, Tornado, sobol, tornado
from .simulation import Simulation, simulate
from .stress_grid import StressGrid, stress
from .versions import show_versions

__all__ = [
    "Comparison",
    "Events",
    "Projection",
    "Race",
    "ReverseStress",
    "Scenario",
    "ScenarioError",
    "Shock",
    "Simulation",
    "SobolIndices",
    "Stress",
    "StressGrid",
    "Tornado",
    "__version__",
    "compare",
    "distance_to_default",
    "load_scenario",
    "presets",
    "project",
    "race",
    "race_sweep",
    "read_results",
    "reverse_stress",
    "show_versions",
    "simulate",
    "sobol",
    "stress",
    "stresses",
    "tornado",
]
