"""Pictures of results with matplotlib: fan charts, survival curves, the
first-profit-year distribution, the tornado, the stress heatmap and the race
payoff matrix.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot: nothing is shown, no global list of open figures grows, and the
caller saves it (``fig.savefig("cash.svg")``) or lets a notebook display it.
matplotlib is imported only when a picture is drawn, so ``import wager``
does not need it (``pip install 'wager[plot]'``). Money is in US$ bn.

>>> import wager
>>> from wager.plotting import fan_chart
>>> sim = wager.simulate(wager.presets.load("compute_first"), n_paths=2_000, progress=False)
>>> fan_chart(sim, "cash").savefig("cash.png")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .accessor import PlotAccessor
from .common import FIGSIZE as FIGSIZE
from .fan import fan_chart
from .first_profit import first_profit_years
from .heatmap import stress_heatmap
from .race import RACE_CHOICES as RACE_CHOICES
from .race import race_payoff
from .survival_curves import survival
from .tornado_chart import tornado

if TYPE_CHECKING:
    from .common import SimulationResults as SimulationResults

__all__ = [
    "PlotAccessor",
    "fan_chart",
    "first_profit_years",
    "race_payoff",
    "stress_heatmap",
    "survival",
    "tornado",
]
