"""The defaults of every run, one set for the Python API and the ``wager``
command (``docs/api.md``, "Defaults"): a call and the command with the same
arguments do the same run.

Path counts follow the standard error they buy: with 100,000 paths a
probability near 20% is known to about 0.13 points (one standard error),
enough to separate the presets' 1.6% from 21.6% many times over and to read
a stress's effect of a point; a grid runs many cells, so 10,000 per cell
(0.4 points); a race runs four profiles per lab, 20,000 each.
"""

from __future__ import annotations

__all__ = [
    "COMPARE_STRESSES",
    "GRID_PATHS",
    "PATHS",
    "PRESETS",
    "RACE_PATHS",
    "SEED",
    "SENSITIVITY_PATHS",
]

#: Paths of a simulation and of each cell of a comparison.
PATHS = 100_000
#: Paths of each cell of a stress grid (``wager.stress``, ``wager stress``).
GRID_PATHS = 10_000
#: Paths of each profile of a race.
RACE_PATHS = 20_000
#: Paths of each design row of a tornado, a reverse stress test's search.
SENSITIVITY_PATHS = 10_000
#: The seed: results are reproducible by default.
SEED = 0
#: The stresses a comparison runs: the baseline, a burst bubble, a two-year
#: funding freeze and a replay of the 2000-2002 telecom bust.
COMPARE_STRESSES = ("baseline", "ai_bubble_burst", "funding_freeze", "telecom_2001")
#: The strategies a command compares when given none, in this order.
PRESETS = ("profitability", "compute_first")
