"""The built-in strategies, shipped as scenario files beside this module.

- ``profitability``: the Anthropic-like bet (enterprise-first, break even in 2028).
- ``compute_first``: the OpenAI-like bet (~1.4 trillion of compute commitments).
"""

from __future__ import annotations

from importlib import resources

from wager.scenario.errors import ScenarioError
from wager.scenario.loader import parse_scenario_text
from wager.scenario.schema import Scenario

__all__ = ["load", "names", "text"]


def names() -> list[str]:
    """Names of the built-in presets, sorted."""
    files = resources.files(__package__)
    return sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))


def text(name: str) -> str:
    """The text of the preset's scenario file (TOML)."""
    if name not in names():
        raise ScenarioError(
            f"preset {name!r}", [("", f"unknown preset; known: {', '.join(names())}")]
        )
    return resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def load(name: str) -> Scenario:
    """Load a built-in preset by name.

    Parameters
    ----------
    name
        One of :func:`names`.
    """
    return parse_scenario_text(text(name), "toml", source=f"preset {name}")
