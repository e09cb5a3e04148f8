"""``wager.project``: the deterministic projection of one strategy."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from wager.analyses.claimants import path_claims
from wager.analyses.distress import DistressResolution
from wager.analyses.plan_vs_actual import plan_vs_actual
from wager.analyses.renamed import warn_renamed
from wager.compile.actuals import start_from_actuals
from wager.compile.contagion import refuse_unlinked
from wager.compile.model import kernel_model, regime_path
from wager.compile.shocks import StressArg, core_shocks, stress_list
from wager.compile.uncertainty import central_scenario
from wager.kernel import core
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Summarised
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario

__all__ = ["Events", "Projection", "project"]


@dataclass(frozen=True)
class Events:
    """What happened on the projected path (years are calendar years; money in US$ bn).

    Attributes
    ----------
    first_profit_year
        First year with operating income > 0, or None.
    first_positive_fcf_year
        First year with free cash flow > 0, or None.
    distress_year
        Year of distress: the first step the company could not pay or broke
        a covenant (docs/model.md §27), or None.
    peak_funding_need
        Largest shortfall of cumulative free cash flow below zero, at step resolution.
    cumulative_burn
        Sum of -FCF over the years in which FCF < 0.
    terminal_equity_value
        Equity value at the horizon: multiple x annualised revenue + cash - debt,
        floored at 0; 0 after distress.
    terminal_dcf_value
        The same by a discounted cash flow: the last year's free cash flow,
        if positive, as a perpetuity growing at ``terminal_growth`` and
        discounted at the last regime's ``discount_rate``, + cash - debt,
        floored at 0; 0 after distress (``docs/model.md`` §13).
    terminal_equity_value_today, terminal_dcf_value_today
        Both discounted to the start, step by step at the discount rate of
        the regime of each step (``docs/model.md`` §13).
    equity_raised_total
        Equity rounds plus investor tranches received.
    rescue_total
        Money lent by the backstop.
    distress
        How the distress was resolved (claims, values, reorganised or
        liquidated, recoveries), or None without distress or with
        ``distress.resolution.enabled = false``.
    """

    first_profit_year: int | None
    first_positive_fcf_year: int | None
    distress_year: int | None
    peak_funding_need: float
    cumulative_burn: float
    terminal_equity_value: float
    terminal_dcf_value: float
    terminal_equity_value_today: float
    terminal_dcf_value_today: float
    equity_raised_total: float
    rescue_total: float
    distress: DistressResolution | None = None

    @property
    def default_year(self) -> int | None:
        """Deprecated: ``distress_year``."""
        warn_renamed("Events.default_year", "Events.distress_year")
        return self.distress_year

    def to_dict(self) -> dict[str, Any]:
        """The events as a plain dict (``distress`` a nested dict, or None)."""
        return asdict(self)

    def flat(self) -> dict[str, Any]:
        """The events as one scalar each: ``distress`` summed up as the
        resolution, its year, the claims in total, the share of them paid
        and what was left to the equity holders (None without distress)."""
        out = {k: v for k, v in self.to_dict().items() if k != "distress"}
        d = self.distress
        claims = sum(d.claims.values()) if d else None
        out["resolution"] = d.kind if d else None
        out["resolution_year"] = d.resolution_year if d else None
        out["claims"] = claims
        out["recovery_rate"] = sum(d.recovered.values()) / claims if d and claims else None
        out["equity_left"] = d.equity if d else None
        return out


@dataclass(frozen=True, repr=False)
class Projection(Exportable, Summarised):
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
        First profitable year, distress year, peak funding need, ...
    steps
        With ``steps=True``: one row per step (index ``year``, ``step`` and
        ``time`` in years from the start); flows are the step's amounts.
    stresses
        Names of the stresses applied, in order (empty: none).
    severity
        The severity they were applied at.
    plan_vs_actual
        For a scenario with reported actuals: each reported figure beside
        the plan's (``wager.plan_vs_actual``); the projection itself then
        starts after the last reported year. None without actuals.
    """

    scenario: Scenario
    annual: pd.DataFrame
    events: Events
    steps: pd.DataFrame | None = None
    stresses: tuple[str, ...] = ()
    severity: float = 1.0
    plan_vs_actual: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows (``wager.results.export.COLUMNS``): table ``annual``
        (variable = a column of ``annual``, a row per year, statistic
        ``value``) and ``events`` (variable = an event, no year; a year event
        that did not happen is a missing value); with actuals, also
        ``plan_vs_actual`` (variable = a figure, statistic ``plan``,
        ``actual``, ``difference``, ``ratio``)."""
        numeric = self.annual.select_dtypes("number")
        annual = pd.Series(numeric.stack(), name="value").to_frame()
        annual.index = annual.index.set_names(["year", "variable"])
        annual = annual.reorder_levels(["variable", "year"])
        events = {
            k: (float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan)
            for k, v in self.events.flat().items()
        }
        event_frame = pd.DataFrame({"value": events}).rename_axis("variable")
        name, stress = self.scenario.name, "+".join(self.stresses) or None
        parts = [
            tidy_rows(
                "annual", annual, strategy=name, stress=stress, index_as=("variable", "year")
            ),
            tidy_rows("events", event_frame, strategy=name, stress=stress, index_as=("variable",)),
        ]
        if self.plan_vs_actual is not None:
            gaps = self.plan_vs_actual.drop(columns="source").swaplevel()
            parts.append(
                tidy_rows("plan_vs_actual", gaps, strategy=name, index_as=("variable", "year"))
            )
        return tidy_frame(parts)

    def manifest(self) -> dict[str, Any]:
        """The manifest: the scenario, the stresses and severity applied."""
        return run_manifest(
            "projection",
            [self.scenario],
            seed=None,
            n_paths=None,
            extra={"stresses": list(self.stresses), "severity": self.severity},
        )

    def __repr__(self) -> str:
        e = self.events
        years = f"{self.annual.index[0]}-{self.annual.index[-1]}"
        under = f", stresses={list(self.stresses)}" if self.stresses else ""
        return (
            f"Projection({self.scenario.name!r}, {years}{under}: distress "
            f"{e.distress_year or 'none'}, first profit {e.first_profit_year or 'none'}, "
            f"peak funding need {e.peak_funding_need:,.1f} US$ bn)"
        )


def _frame(
    sc: Scenario, columns: list[str], values: Any, segment_revenue: Any, index: pd.Index
) -> pd.DataFrame:
    segment_cols = {f"revenue_{name}": segment_revenue[i] for i, name in enumerate(sc.segments)}
    frame = pd.DataFrame(
        {**segment_cols, **{c: values[i] for i, c in enumerate(columns)}}, index=index
    )
    names = list(sc.market.regimes)
    frame["regime"] = [names[int(i)] for i in frame["regime"]]
    # The core's "defaulted": whether the company is in distress (§27).
    frame["defaulted"] = frame["defaulted"].astype(bool)
    frame = frame.rename(columns={"defaulted": "in_distress"})
    return frame


def _events(sc: Scenario, raw: dict[str, Any]) -> Events:
    d = raw.pop("distress")
    if d is None:
        return Events(**raw, distress=None)
    by = path_claims(sc, d.pop("claimant_claims"), d.pop("claimant_recovered"))
    return Events(**raw, distress=DistressResolution(**d, claimants=by))


def _check_finite(name: str, annual: pd.DataFrame, events: dict[str, Any]) -> None:
    """Refuse a projection in which NaN or infinity appeared, saying where."""
    numbers = annual.select_dtypes("number")
    bad = ~np.isfinite(numbers.to_numpy(dtype=float))
    where = [
        f"{numbers.columns[j]} {numbers.index[i]}" for i, j in zip(*np.nonzero(bad), strict=True)
    ]
    where += [k for k, v in events.items() if isinstance(v, float) and not np.isfinite(v)]
    if where:
        shown = ", ".join(where[:6]) + (f" and {len(where) - 6} more" if len(where) > 6 else "")
        raise FloatingPointError(
            f"projection of {name}: values that are not finite numbers in {shown}; "
            "an input is too large for double precision"
        )


def project(
    scenario: Scenario | dict[str, Any],
    *,
    steps: bool = False,
    stress: StressArg = None,
    severity: float = 1.0,
) -> Projection:
    """Project one strategy deterministically.

    Uncertain inputs sit at their central values and the market stays in its
    initial regime, except in the years that ``market.path`` pins.

    Parameters
    ----------
    scenario
        A :class:`wager.Scenario` or a dict in the scenario format.
    steps
        Also return every step's values in ``.steps``.
    stress
        A stress to apply: a name (the scenario's own stresses, then the
        library's, ``wager.stresses.names()``), a :class:`wager.Stress`, or a
        list of them applied in order. A triggered shock starts at the first
        step of the regime path in its regime (``docs/stress.md``).
    severity
        Multiplies every shock: 0 = no stress, 1 = as calibrated.

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
    given = as_scenario(scenario)
    sc = start_from_actuals(given)  # from the last reported year's end
    shocks = core_shocks(stress, sc, severity)
    refuse_unlinked(shocks, "a projection")
    raw = core.project(kernel_model(central_scenario(sc)), regime_path(sc), steps, shocks)
    t = sc.time
    years = pd.RangeIndex(t.start_year, t.horizon + 1, name="year")
    annual = _frame(sc, raw["columns"], raw["values"], raw["segment_revenue"], years)
    step_frame = None
    if steps:
        k = t.steps_per_year
        n = t.n_years * k
        index = pd.MultiIndex.from_arrays(
            [[t.start_year + i // k for i in range(n)], [i % k + 1 for i in range(n)]],
            names=["year", "step"],
        )
        step_frame = _frame(
            sc, raw["columns"], raw["step_values"], raw["step_segment_revenue"], index
        )
        step_frame.insert(0, "time", [i / k for i in range(n)])
    _check_finite(sc.name, annual, raw["events"])
    return Projection(
        scenario=sc,
        annual=annual,
        events=_events(sc, raw["events"]),
        steps=step_frame,
        stresses=tuple(s.name for s in stress_list(stress, sc)),
        severity=float(severity),
        plan_vs_actual=plan_vs_actual(given) if given.actuals is not None else None,
    )
