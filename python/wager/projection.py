"""``wager.project``: the deterministic projection of one strategy."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from . import _core
from .kernel_config import kernel_model, regime_path
from .scenario.loader import scenario_from_dict
from .scenario.schema import Scenario

__all__ = ["Events", "Projection", "as_scenario", "project"]


@dataclass(frozen=True)
class Events:
    """What happened on the projected path (years are calendar years; money in US$ bn).

    Attributes
    ----------
    first_profit_year
        First year with operating income > 0, or None.
    first_positive_fcf_year
        First year with free cash flow > 0, or None.
    default_year
        Year cash ran out with no financing, or None.
    peak_funding_need
        Largest shortfall of cumulative free cash flow below zero, at step resolution.
    cumulative_burn
        Sum of -FCF over the years in which FCF < 0.
    terminal_equity_value
        Equity value at the horizon: multiple x annualised revenue + cash - debt, >= 0; 0 after default.
    equity_raised_total
        Equity rounds plus investor tranches received.
    rescue_total
        Money lent by the backstop.
    """

    first_profit_year: int | None
    first_positive_fcf_year: int | None
    default_year: int | None
    peak_funding_need: float
    cumulative_burn: float
    terminal_equity_value: float
    equity_raised_total: float
    rescue_total: float

    def to_dict(self) -> dict[str, Any]:
        """The events as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class Projection:
    """A deterministic projection.

    Attributes
    ----------
    scenario
        The scenario projected.
    annual
        One row per calendar year (index ``year``); money in US$ bn. Columns:
        ``revenue_<segment>`` for each segment, then the core's variables
        (see ``docs/model.md``).
    events
        First profitable year, default year, peak funding need, ...
    """

    scenario: Scenario
    annual: pd.DataFrame
    events: Events


def as_scenario(scenario: Scenario | dict[str, Any]) -> Scenario:
    """Accept a Scenario or a plain dict (validated, raising ScenarioError)."""
    if isinstance(scenario, Scenario):
        return scenario
    return scenario_from_dict(scenario)


def project(scenario: Scenario | dict[str, Any]) -> Projection:
    """Project one strategy deterministically.

    Uncertain inputs sit at their central values and the market stays in its
    initial regime, except in the years that ``market.path`` pins.

    Parameters
    ----------
    scenario
        A :class:`wager.Scenario` or a dict in the scenario format.

    Returns
    -------
    Projection
        ``.annual`` (pandas DataFrame indexed by year) and ``.events``.

    Examples
    --------
    >>> import wager
    >>> p = wager.project(wager.presets.load("compute_first"))
    >>> round(p.annual.loc[2028, "operating_income"])
    -74
    """
    sc = as_scenario(scenario)
    raw = _core.project(kernel_model(sc), regime_path(sc))
    years = pd.RangeIndex(sc.time.start_year, sc.time.horizon + 1, name="year")
    segment_cols = {
        f"revenue_{name}": raw["segment_revenue"][i] for i, name in enumerate(sc.segments)
    }
    data = {**segment_cols, **{c: raw["values"][i] for i, c in enumerate(raw["columns"])}}
    annual = pd.DataFrame(data, index=years)
    annual["regime"] = [list(sc.market.regimes)[int(i)] for i in annual["regime"]]
    annual["defaulted"] = annual["defaulted"].astype(bool)
    return Projection(scenario=sc, annual=annual, events=Events(**raw["events"]))
