"""``result.plot``: the pictures that apply to a result, as methods."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from wager.analyses.comparison import Comparison
from wager.analyses.exposure_view import ExposureResult
from wager.analyses.one_way import OneWaySensitivity
from wager.analyses.sensitivity import Tornado
from wager.analyses.simulation import Simulation
from wager.analyses.stress_grid import StressGrid
from wager.present.plotting.distress_bars import distress_by_stress
from wager.present.plotting.exposure_charts import exposure_profiles, loss_concentration
from wager.present.plotting.fan import fan_chart
from wager.present.plotting.first_profit import first_profit_years
from wager.present.plotting.heatmap import stress_heatmap
from wager.present.plotting.joint_loss_chart import joint_losses
from wager.present.plotting.one_way_chart import one_way_tornado
from wager.present.plotting.outcome_ecdf import outcome_ecdf
from wager.present.plotting.race import race_payoff
from wager.present.plotting.survival_curves import survival
from wager.present.plotting.tornado_chart import tornado

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class PlotAccessor:
    """``result.plot``: the pictures that apply to a result, as methods.

    Each method returns a :class:`matplotlib.figure.Figure` and takes the
    keyword arguments of the function it calls.

    ========================  =============================================
    result                    methods
    ========================  =============================================
    Simulation, Comparison    ``fan``, ``survival``, ``first_profit``
    Tornado                   ``tornado``
    OneWaySensitivity         ``tornado`` (of one metric: ``metric=``)
    StressGrid                ``heatmap``
    ExposureResult            ``profiles``, ``concentration``,
                              ``joint`` (two bets)
    race payoff matrix        ``race`` (a DataFrame, or an object with a
                              ``matrix`` DataFrame and ``equilibria``)
    ========================  =============================================

    Parameters
    ----------
    result
        The result to draw.

    Raises
    ------
    TypeError
        From a method that does not apply to the result's type.
    """

    def __init__(self, result: object) -> None:
        self._result = result

    def __repr__(self) -> str:
        kinds = ", ".join(self.kinds()) or "none"
        return f"<PlotAccessor of {type(self._result).__name__}: {kinds}>"

    def kinds(self) -> list[str]:
        """The methods that apply to the wrapped result."""
        r = self._result
        if isinstance(r, Comparison):
            return ["fan", "survival", "first_profit", "ecdf", "distress_by_stress"]
        if isinstance(r, Simulation | Mapping):
            return ["fan", "survival", "first_profit", "ecdf"]
        if isinstance(r, Tornado | OneWaySensitivity):
            return ["tornado"]
        if isinstance(r, StressGrid):
            return ["heatmap"]
        if isinstance(r, ExposureResult):
            return ["profiles", "concentration", *(["joint"] if len(r.strategies) > 1 else [])]
        if isinstance(r, pd.DataFrame) or isinstance(getattr(r, "matrix", None), pd.DataFrame):
            return ["race"]
        return []

    def _check(self, kind: str) -> Any:
        if kind not in self.kinds():
            available = ", ".join(f"plot.{k}()" for k in self.kinds()) or "none"
            raise TypeError(
                f"plot.{kind}() does not apply to a {type(self._result).__name__}; "
                f"it has {available}"
            )
        return self._result

    def fan(self, variable: str = "cash", **kwargs: Any) -> Figure:
        """Fan chart of ``variable`` (:func:`fan_chart`)."""
        return fan_chart(self._check("fan"), variable, **kwargs)

    def survival(self, **kwargs: Any) -> Figure:
        """Survival curves (:func:`survival`)."""
        return survival(self._check("survival"), **kwargs)

    def first_profit(self, **kwargs: Any) -> Figure:
        """First-profit-year distribution (:func:`first_profit_years`)."""
        return first_profit_years(self._check("first_profit"), **kwargs)

    def ecdf(self, outcome: str = "terminal_dcf_value_today", **kwargs: Any) -> Figure:
        """Distribution functions of a per-path outcome (:func:`outcome_ecdf`)."""
        return outcome_ecdf(self._check("ecdf"), outcome, **kwargs)

    def distress_by_stress(self, **kwargs: Any) -> Figure:
        """P(distress) per stress and strategy (:func:`distress_by_stress`)."""
        return distress_by_stress(self._check("distress_by_stress"), **kwargs)

    def tornado(self, **kwargs: Any) -> Figure:
        """The tornado (:func:`tornado`; of a one-way sensitivity, :func:`one_way_tornado`)."""
        r = self._check("tornado")
        if isinstance(r, OneWaySensitivity):
            return one_way_tornado(r, **kwargs)
        return tornado(r, **kwargs)

    def heatmap(self, severity: float = 1.0, value: str = "p_distress", **kwargs: Any) -> Figure:
        """Strategy x stress heatmap (:func:`stress_heatmap`)."""
        return stress_heatmap(self._check("heatmap"), severity, value, **kwargs)

    def race(self, value: str = "terminal_equity_value", **kwargs: Any) -> Figure:
        """Race payoff matrix (:func:`race_payoff`)."""
        r = self._check("race")
        if isinstance(r, pd.DataFrame):
            return race_payoff(r, value, **kwargs)
        kwargs.setdefault("equilibria", getattr(r, "equilibria", None))
        return race_payoff(r.matrix, value, **kwargs)

    def profiles(self, **kwargs: Any) -> Figure:
        """Each supplier's exposure over the years (:func:`exposure_profiles`)."""
        return exposure_profiles(self._check("profiles"), **kwargs)

    def concentration(self, **kwargs: Any) -> Figure:
        """Who carries the expected loss (:func:`loss_concentration`)."""
        return loss_concentration(self._check("concentration"), **kwargs)

    def joint(self, **kwargs: Any) -> Figure:
        """Each shared supplier's losses on both bets (:func:`joint_losses`)."""
        return joint_losses(self._check("joint"), **kwargs)
