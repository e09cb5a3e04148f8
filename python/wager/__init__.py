"""wager: project, stress-test and compare the finances of strategic bets.

>>> import wager
>>> wager.presets.names()
['compute_first', 'profitability']

The package is layered (``docs/architecture.md``): ``scenario`` ->
``presets``/``stresses`` -> ``kernel`` -> ``compile`` -> ``stats`` ->
``results`` -> ``analyses`` -> ``present`` -> ``cli``, each importing only
those before it. This module, outside the layers, gathers the public names
and hands the presentation layer to the results.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wager import presets, stresses
from wager._version import __version__
from wager.analyses.calibration_spread import CalibrationSpread
from wager.analyses.circular import without_investor
from wager.analyses.comparison import Comparison, compare
from wager.analyses.exposure_view import ExposureResult, exposure
from wager.analyses.one_way import OneWaySensitivity, sensitivity
from wager.analyses.plan_vs_actual import plan_vs_actual, start_from_actuals
from wager.analyses.projection import Events, Projection, project
from wager.analyses.race import Race, race, race_sweep
from wager.analyses.reverse_stress import ReverseStress, distance_to_default, reverse_stress
from wager.analyses.run import estimate_run_time
from wager.analyses.sensitivity import SobolIndices, Tornado, sobol, tornado
from wager.analyses.simulation import Simulation, simulate
from wager.analyses.stress_grid import StressGrid, stress
from wager.kernel.versions import show_versions
from wager.present.headline import headline
from wager.results.errors import ResultsFileError
from wager.results.export import read_results
from wager.results.presentation import Presenters, register_presenters
from wager.scenario import Scenario, load_scenario
from wager.scenario.default_inputs import ScenarioDefaultInputWarning
from wager.scenario.errors import ScenarioError
from wager.scenario.migration import ScenarioMigrationWarning
from wager.scenario.stress_schema import Shock, Stress
from wager.scenario.workbook import values_from_excel

__all__ = [
    "CalibrationSpread",
    "Comparison",
    "Events",
    "ExposureResult",
    "OneWaySensitivity",
    "Projection",
    "Race",
    "ResultsFileError",
    "ReverseStress",
    "Scenario",
    "ScenarioDefaultInputWarning",
    "ScenarioError",
    "ScenarioMigrationWarning",
    "Shock",
    "Simulation",
    "SobolIndices",
    "Stress",
    "StressGrid",
    "Tornado",
    "__version__",
    "compare",
    "distance_to_default",
    "estimate_run_time",
    "exposure",
    "headline",
    "load_scenario",
    "plan_vs_actual",
    "presets",
    "project",
    "race",
    "race_sweep",
    "read_results",
    "reverse_stress",
    "sensitivity",
    "show_versions",
    "simulate",
    "sobol",
    "start_from_actuals",
    "stress",
    "stresses",
    "tornado",
    "values_from_excel",
    "without_investor",
]


# The presentation layer, imported when a result is first drawn or reported.
def _plot(result: Any) -> Any:
    from wager.present.plotting import PlotAccessor

    return PlotAccessor(result)


def _report(result: Any, path: str | os.PathLike[str], title: str | None) -> Path:
    from wager.present.report import write_report

    return write_report(result, path, title)


def _summary_html(result: Any) -> str:
    from wager.present.report import summary_html

    return summary_html(result)


register_presenters(Presenters(plot=_plot, report=_report, summary_html=_summary_html))
