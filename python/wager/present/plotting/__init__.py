"""Pictures of results with matplotlib: fan charts, survival curves, the
first-profit-year distribution, the tornado, the stress heatmap and the race
payoff matrix; a bet's suppliers' exposure profiles and loss concentration.

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

from wager.present.plotting.accessor import PlotAccessor
from wager.present.plotting.common import FIGSIZE as FIGSIZE
from wager.present.plotting.distress_bars import distress_by_stress
from wager.present.plotting.exposure_charts import exposure_profiles, loss_concentration
from wager.present.plotting.fan import fan_chart
from wager.present.plotting.first_profit import first_profit_years
from wager.present.plotting.heatmap import stress_heatmap
from wager.present.plotting.joint_loss_chart import joint_losses
from wager.present.plotting.one_way_chart import one_way_tornado
from wager.present.plotting.outcome_ecdf import outcome_ecdf
from wager.present.plotting.race import RACE_CHOICES as RACE_CHOICES
from wager.present.plotting.race import race_payoff
from wager.present.plotting.survival_curves import survival
from wager.present.plotting.tornado_chart import tornado

if TYPE_CHECKING:
    from wager.present.plotting.common import SimulationResults as SimulationResults

__all__ = [
    "PlotAccessor",
    "distress_by_stress",
    "exposure_profiles",
    "fan_chart",
    "first_profit_years",
    "joint_losses",
    "loss_concentration",
    "one_way_tornado",
    "outcome_ecdf",
    "race_payoff",
    "stress_heatmap",
    "survival",
    "tornado",
]
