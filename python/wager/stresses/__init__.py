"""The library of named stresses, shipped as one TOML file per stress beside
this module (``docs/stress.md`` documents each: narrative, shocks, source).

>>> import wager
>>> "funding_freeze" in wager.stresses.names()
True
"""

from __future__ import annotations

from wager.scenario.stress_library import (
    StressError,
    load,
    names,
    one_bet_names,
    parse_stress,
    text,
)

__all__ = ["StressError", "load", "names", "one_bet_names", "parse_stress", "text"]
