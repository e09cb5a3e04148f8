"""Scenario files: the schema, the series they use, and the loaders."""

from __future__ import annotations

from wager.scenario.loader import load_scenario, parse_scenario_text, scenario_from_dict
from wager.scenario.schema import Scenario

__all__ = ["Scenario", "load_scenario", "parse_scenario_text", "scenario_from_dict"]
