"""The scenario schema: one strategy's inputs, with their units.

Money is in US$ billions (``US$ bn``); flows are annual amounts in the year
they fall; rates are fractions per year. Every model forbids unknown keys,
refuses NaN and infinity, and takes numbers only where numbers are meant
(``"1.5"`` and ``true`` are not numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, PrivateAttr, StringConstraints, model_validator

from wager.scenario import stress_library as library
from wager.scenario.actuals_schema import Actuals, actuals_problems
from wager.scenario.counterparty_schema import CounterpartyName, CounterpartySize
from wager.scenario.default_inputs import unknown_acknowledgement
from wager.scenario.distress_schema import Distress, Management
from wager.scenario.distribution import (
    UDilution,
    UFloat,
    UFraction,
    ULife,
    UNonNeg,
    UPositive,
    URate,
    USpread,
    distribution_leaves,
    path_name,
)
from wager.scenario.document import OVERRIDES_LABEL, ScenarioDocument, validated
from wager.scenario.funding_schema import FundingScore
from wager.scenario.migration import SCHEMA_VERSION, migrate
from wager.scenario.origin import ScenarioOrigin
from wager.scenario.overrides import Override
from wager.scenario.regime_defaults import REGIME_DEFAULTS, TRANSITION_DEFAULTS
from wager.scenario.schema_base import Fraction, Name, NonNeg, Year
from wager.scenario.schema_base import Strict as _Strict
from wager.scenario.schema_base import fail as _fail
from wager.scenario.schema_base import fail_all as _fail_all
from wager.scenario.schema_base import num as _num
from wager.scenario.schema_base import table_years as _table_years
from wager.scenario.schema_base import whole_number as _whole_number
from wager.scenario.series import (
    FractionSeries,
    MoneySeries,
    RateSeries,
    RatioSeries,
    SeriesValue,
)
from wager.scenario.stress_limits import expansion_problem, keys_reached, reserved_name_problem
from wager.scenario.stress_schema import Shock, Stress

__all__ = [
    "Commitment",
    "Compute",
    "CostLine",
    "Costs",
    "Debt",
    "DemandFactor",
    "Distress",
    "Equity",
    "Financing",
    "Management",
    "Market",
    "Regime",
    "Scenario",
    "Segment",
    "Tax",
    "Time",
    "Tranche",
    "Uncertainty",
]


class Time(_Strict):
    """The calendar of the projection."""

    start_year: Year = Field(2025, description="First calendar year projected.")
    horizon: Year = Field(2035, description="Last calendar year projected (inclusive).")
    steps_per_year: Annotated[Literal[1, 4, 12], BeforeValidator(_whole_number)] = Field(
        4, description="Steps per year: 1 (annual), 4 (quarterly) or 12 (monthly)."
    )

    @property
    def n_years(self) -> int:
        """Number of calendar years in the horizon."""
        return self.horizon - self.start_year + 1

    @property
    def years(self) -> list[int]:
        """The calendar years of the horizon."""
        return list(range(self.start_year, self.horizon + 1))


class Segment(_Strict):
    """A revenue segment: a planned path and what moves it off plan."""

    kind: Literal["enterprise", "consumer", "other"] = Field(
        "other", description="What kind of customers the segment serves (for shares and reports)."
    )
    description: str = Field("", description="Free text.")
    revenue: MoneySeries = Field(description="Planned revenue, US$ bn per year.")
    inference_cost_ratio: RatioSeries = Field(
        description=(
            "Inference compute used per dollar of planned revenue (US$ of compute at contract "
            "price / US$ of revenue); 1 - gross margin on plan."
        )
    )
    price_change: RateSeries = Field(
        0.0,
        description=(
            "Extra change in the unit price beyond the plan, fraction per year "
            "(-0.3 = prices 30% lower each year than planned). Moves revenue, not inference cost."
        ),
    )
    demand_beta: UNonNeg = Field(
        1.0,
        description=(
            "Exposure of the segment's volume to the common demand level (regimes) and the "
            "common demand factor."
        ),
    )
    volatility: UNonNeg = Field(
        0.0,
        description=(
            "Volatility of the segment's own log deviation from plan, per sqrt(year) "
            "(Monte Carlo; 0 = none)."
        ),
    )
    persistence: UFraction = Field(
        0.8,
        description="Yearly AR(1) coefficient of that deviation: 1 = a random walk, 0 = no memory.",
    )


class Regime(_Strict):
    """What a market regime does to the strategy while it lasts."""

    demand_growth: UFloat = Field(
        0.0, description="Added to the log growth of every segment's volume, per year."
    )
    price_change: URate = Field(0.0, description="Change in unit prices, fraction per year.")
    valuation_multiple: UNonNeg = Field(
        20.0, description="Equity value / annualised revenue at which money is raised."
    )
    raise_success: UFraction = Field(
        0.9999,
        description=(
            "Chance that a company seeking an equity round for a whole year closes one "
            "(a yearly rate; the projection raises each round times its chance)."
        ),
    )
    spot_price: UNonNeg = Field(
        1.0, description="Spot compute price / contract price, for buying and for reselling."
    )
    resale_share: UFraction = Field(
        0.5,
        description=(
            "Share of idle capacity that finds a buyer at the spot price "
            "(capped at the contract price)."
        ),
    )
    credit_spread: USpread = Field(0.0, description="Added to the debt rate, fraction per year.")
    discount_rate: float = Field(
        0.12,
        gt=-1.0,
        le=1.0,
        description=(
            "Discount rate of a distressed company's going-concern cash flow while this "
            "regime lasts, fraction per year (docs/model.md §27)."
        ),
    )
    spot_lead_time: float = Field(
        0.2,
        ge=0.0,
        le=10.0,
        description=(
            "Mean time to secure spot compute beyond the plan's, years (docs/model.md §5): "
            "compute not yet secured is not served, and the revenue it would earn is lost. "
            "0 = at once."
        ),
    )
    dcf_weight: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description=(
            "Weight of the going concern's discounted cash flow in the price of a round, a "
            "tranche at market or a conversion, against the market multiple (docs/model.md "
            "§11, 2.). 0 = the multiple alone."
        ),
    )


def _default_regimes() -> dict[str, Regime]:
    # The values and their reasons: wager.scenario.regime_defaults.
    return {name: Regime(**values) for name, values in REGIME_DEFAULTS.items()}


def _default_transition() -> dict[str, dict[str, float]]:
    # An uncited assumption (wager.scenario.regime_defaults): a scenario left
    # at it is warned of (wager.scenario.default_inputs).
    return {row: dict(to) for row, to in TRANSITION_DEFAULTS.items()}


class DemandFactor(_Strict):
    """The common AI-demand factor: one log deviation shared by every segment of
    every strategy in a simulation (scaled by each segment's ``demand_beta``)."""

    volatility: NonNeg = Field(0.0, description="Volatility of the factor, per sqrt(year).")
    persistence: Fraction = Field(
        0.8, description="Yearly AR(1) coefficient: 1 = a random walk, 0 = no memory."
    )


class Market(_Strict):
    """Market regimes, shared by every strategy compared in one call."""

    initial: Name = Field("normal", description="Regime at the start, held in a projection.")
    regimes: dict[Name, Regime] = Field(
        default_factory=_default_regimes, description="The regimes and their effects, by name."
    )
    transition: dict[Name, dict[Name, Fraction]] = Field(
        default_factory=_default_transition,
        description="Per-year transition probabilities, row = from, column = to; rows sum to 1.",
    )
    demand_factor: DemandFactor = Field(
        default_factory=DemandFactor, description="The common demand factor (Monte Carlo)."
    )
    path: dict[Year, Name] = Field(
        default_factory=dict,
        description="Pinned regimes by calendar year (each holds the whole year).",
    )

    @model_validator(mode="before")
    @classmethod
    def _path_years(cls, data: Any) -> Any:
        if isinstance(data, dict) and "path" in data:
            data = {**data, "path": _table_years("path", data["path"])}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Market:
        names = set(self.regimes)
        if not names:
            raise _fail("regimes", "at least one regime is needed")
        if self.initial not in names:
            raise _fail("initial", f"unknown regime {self.initial!r}; known: {sorted(names)}")
        for year, regime in self.path.items():
            if regime not in names:
                raise _fail(f"path.{year}", f"unknown regime {regime!r}; known: {sorted(names)}")
        if set(self.transition) != names:
            raise _fail("transition", f"needs one row per regime {sorted(names)}")
        for row_name, row in self.transition.items():
            if set(row) - names:
                raise _fail(f"transition.{row_name}", f"unknown regimes {sorted(set(row) - names)}")
            total = sum(row.values())
            if abs(total - 1.0) > 1e-9:
                raise _fail(f"transition.{row_name}", f"probabilities sum to {total:g}, not 1")
        return self


class Commitment(_Strict):
    """A take-or-pay compute contract: paid whether the capacity is used or not."""

    name: Name = Field(description="Identifier of the contract.")
    counterparty: str = Field(description="Supplier or partner.")
    description: str = Field("", description="Free text.")
    schedule: dict[Year, UNonNeg] | None = Field(
        None, description="Payments by calendar year, US$ bn; or give total, start and end."
    )
    total: UNonNeg | None = Field(
        None, description="Contract total, US$ bn, paid evenly from start to end."
    )
    start: Year | None = Field(None, description="First year of payments.")
    end: Year | None = Field(None, description="Last year of payments (inclusive).")

    @model_validator(mode="before")
    @classmethod
    def _schedule_years(cls, data: Any) -> Any:
        if isinstance(data, dict) and "schedule" in data:
            data = {**data, "schedule": _table_years("schedule", data["schedule"])}
        return data

    @model_validator(mode="after")
    def _one_form(self) -> Commitment:
        flat = (self.total, self.start, self.end)
        if self.schedule is not None and any(v is not None for v in flat):
            raise _fail("schedule", "give either schedule or total/start/end, not both")
        if self.schedule is not None and not self.schedule:
            raise _fail("schedule", "a schedule needs at least one year")
        if self.schedule is None:
            if any(v is None for v in flat):
                raise _fail("total", "give a schedule, or all of total, start and end")
            assert self.start is not None and self.end is not None
            if self.end < self.start:
                raise _fail("end", f"end {self.end} is before start {self.start}")
        return self

    def payment_years(self) -> list[int]:
        """The calendar years with a payment."""
        if self.schedule is not None:
            return sorted(self.schedule)
        assert self.start is not None and self.end is not None
        return list(range(self.start, self.end + 1))

    def payments(self) -> dict[int, float]:
        """Payments by calendar year, US$ bn (uncertain amounts at their central values)."""
        if self.schedule is not None:
            return {y: _num(v) for y, v in self.schedule.items()}
        assert self.total is not None
        years = self.payment_years()
        return {y: _num(self.total) / len(years) for y in years}


class Compute(_Strict):
    """Compute: training budget, take-or-pay commitments and owned capacity."""

    training: MoneySeries = Field(0.0, description="Training compute budget, US$ bn per year.")
    commitments: list[Commitment] = Field(
        default_factory=list, description="Take-or-pay contracts."
    )
    capex: MoneySeries = Field(0.0, description="Capex on owned capacity, US$ bn per year.")
    initial_assets: UNonNeg = Field(
        0.0, description="Book value of owned capacity at start, US$ bn."
    )
    capacity_per_dollar: UNonNeg = Field(
        1.0 / 6.0,
        description="Compute (US$ per year at contract price) provided per US$ of book value.",
    )
    depreciation_life: ULife = Field(
        6.0,
        description=(
            "Mean life of owned capacity, years: the book value decays continuously at "
            "rate 1/life (not straight-line)."
        ),
    )
    impairment: FractionSeries = Field(
        0.0,
        description=(
            "Fraction of owned capacity's book value written off per year, on top of "
            "depreciation (non-cash; reported with depreciation). 0 = none."
        ),
    )


class CostLine(_Strict):
    """An operating cost with a fixed and a revenue-linked part."""

    fixed: MoneySeries = Field(0.0, description="Fixed part, US$ bn per year.")
    of_revenue: RatioSeries = Field(0.0, description="Variable part, fraction of revenue.")


class Costs(_Strict):
    """Operating costs other than compute."""

    staff: CostLine = Field(default_factory=CostLine, description="Cash staff costs.")
    sales_marketing: CostLine = Field(default_factory=CostLine, description="Sales and marketing.")
    general_admin: CostLine = Field(
        default_factory=CostLine, description="General and administrative."
    )
    stock_based_pay: CostLine = Field(
        default_factory=CostLine, description="Stock-based pay: an expense, not a cash outflow."
    )


class Tranche(_Strict):
    """A committed investor tranche."""

    investor: str = Field(description="Who pays.")
    year: Year = Field(description="Calendar year the money arrives.")
    month: Annotated[int, Field(ge=1, le=12)] = Field(1, description="Month it arrives (1-12).")
    amount: UNonNeg = Field(description="US$ bn.")
    post_money: UPositive | None = Field(
        None, description="Agreed post-money valuation, US$ bn; none = at the market multiple."
    )
    per_delivery: bool = Field(
        False,
        description=(
            "Vendor financing paid as capacity is delivered (docs/model.md §11, 3.): the "
            "amount scales with the share of the commitments the company still takes after "
            "management renegotiates. Only at market (no post_money)."
        ),
    )

    @model_validator(mode="after")
    def _per_delivery_at_market(self) -> Tranche:
        if self.per_delivery and self.post_money is not None:
            raise _fail(
                "per_delivery",
                "a tranche paid per delivery is priced at market: it cannot have a post_money",
            )
        return self


class Equity(_Strict):
    """When and how much equity the strategy raises."""

    enabled: bool = Field(True, description="Whether the strategy raises equity at all.")
    trigger_runway: UNonNeg = Field(1.0, description="Raise when cash < this many years of burn.")
    target_runway: UNonNeg = Field(2.0, description="Raise enough for this many years of burn.")
    max_dilution: UDilution = Field(
        0.25, description="Largest fraction of the company sold in one round."
    )
    min_interval: UNonNeg = Field(0.5, description="Years between two rounds, at least.")
    score: FundingScore = Field(
        default_factory=FundingScore,
        description="How the odds of a round read the company (docs/model.md §11, 4.).",
    )

    @model_validator(mode="after")
    def _target_above_trigger(self) -> Equity:
        if _num(self.target_runway) < _num(self.trigger_runway):
            raise _fail(
                "target_runway",
                f"{_num(self.target_runway):g} is below trigger_runway "
                f"{_num(self.trigger_runway):g}: "
                "a raise would never reach its trigger",
            )
        return self


class DebtMaturity(_Strict):
    """A principal payment of the debt held at the start (docs/model.md §11, 6.)."""

    lender: str = Field("", description="Who is owed (a label).")
    year: Year = Field(description="Calendar year the payment falls due.")
    month: Annotated[int, Field(ge=1, le=12)] = Field(1, description="Month it falls due (1-12).")
    amount: Annotated[float, Field(gt=0)] = Field(description="Principal due, US$ bn.")


class Debt(_Strict):
    """Debt and a committed credit facility."""

    initial: UNonNeg = Field(0.0, description="Debt at start, US$ bn.")
    rate: RateSeries = Field(0.08, description="Interest rate, fraction per year (before spread).")
    credit_limit: UNonNeg = Field(
        0.0,
        description="Size of a committed facility, US$ bn: drawn when cash would go negative.",
    )
    credit_lenders: str = Field(
        "",
        description=(
            "Who provides the facility (a label for its claim in a distress, "
            "docs/model.md §27); empty: 'credit facility'."
        ),
    )
    revolving: bool = Field(
        False,
        description=(
            "Whether the facility revolves: what is drawn is repaid from positive cash at the "
            "end of each step and can be drawn again. False: draws are never repaid."
        ),
    )
    maturities: list[DebtMaturity] = Field(
        default_factory=list,
        description=(
            "When the initial debt falls due: each payment is refinanced if the market "
            "would fund the company that step, else repaid from cash."
        ),
    )
    secured: bool = Field(
        False,
        description=(
            "Whether the facility is secured: its draws are paid first in a distress "
            "(docs/model.md §27). False: they rank with the other unsecured claims."
        ),
    )
    min_liquidity: float | None = Field(
        None,
        ge=0.0,
        description=(
            "A minimum-liquidity covenant, US$ bn: cash plus the undrawn facility, tested at "
            "every calendar quarter end; below it the company is in distress. None: no covenant."
        ),
    )


class Financing(_Strict):
    """Cash and the ways to fund losses."""

    initial_cash: UNonNeg = Field(description="Cash at the start of the first year, US$ bn.")
    cash_yield: UFraction = Field(0.04, description="Interest earned on cash, fraction per year.")
    tranches: list[Tranche] = Field(default_factory=list, description="Committed investor money.")
    valuation_scale: RatioSeries = Field(
        1.0,
        description=(
            "Multiplies the regime's valuation multiple in each year: a maturing company "
            "trades at a lower multiple of revenue."
        ),
    )
    equity: Equity = Field(default_factory=Equity, description="Equity-raising policy.")
    debt: Debt = Field(default_factory=Debt, description="Debt.")


class Tax(_Strict):
    """Corporate tax, once profitable, on profits net of losses carried forward."""

    rate: UFraction = Field(0.21, description="Tax rate on pre-tax profit.")


class Uncertainty(_Strict):
    """Correlations between uncertain inputs (a Gaussian copula)."""

    inputs: list[str] = Field(
        default_factory=list,
        description=(
            "Field paths of uncertain inputs, in the order of the matrix's rows "
            "(e.g. 'segments.consumer.revenue.2028', 'financing.initial_cash')."
        ),
    )
    correlation: list[list[Annotated[float, Field(ge=-1, le=1)]]] = Field(
        default_factory=list,
        description="Correlation matrix of those inputs (of their normal scores).",
    )
    repair: bool = Field(
        False,
        description=(
            "If the matrix is not a valid correlation matrix (not positive semi-definite), "
            "use the nearest one and report the change, instead of refusing it."
        ),
    )

    @model_validator(mode="after")
    def _square_symmetric(self) -> Uncertainty:
        n = len(self.inputs)
        if len(set(self.inputs)) != n:
            raise _fail("inputs", "each input may be named once")
        if len(self.correlation) != n or any(len(row) != n for row in self.correlation):
            raise _fail("correlation", f"needs {n} rows of {n} values, one per input")
        for i in range(n):
            if self.correlation[i][i] != 1.0:
                raise _fail(f"correlation[{i}][{i}]", "the diagonal must be 1")
            for j in range(i):
                if abs(self.correlation[i][j] - self.correlation[j][i]) > 1e-12:
                    raise _fail(f"correlation[{i}][{j}]", "the matrix must be symmetric")
        if n and not self.repair:
            smallest = float(np.linalg.eigvalsh(np.array(self.correlation)).min())
            if smallest < -1e-10:
                raise _fail(
                    "correlation",
                    f"not positive semi-definite (smallest eigenvalue {smallest:.3g}); "
                    "fix it or set repair = true to use the nearest correlation matrix",
                )
        return self


class Scenario(_Strict):
    """One strategy's scenario."""

    schema_version: Literal[5] = Field(
        SCHEMA_VERSION,
        description=(
            "The meaning of the fields (CHANGELOG.md, Migration). A file without it is "
            "version 1 (wager 0.1), read with its old meaning kept."
        ),
    )
    name: Name = Field(description="Identifier of the strategy.")
    description: str = Field("", description="Free text.")
    time: Time = Field(default_factory=Time, description="Calendar.")
    segments: dict[Name, Segment] = Field(description="Revenue segments, by name (at least one).")
    market: Market = Field(default_factory=Market, description="Market regimes.")
    compute: Compute = Field(default_factory=Compute, description="Compute.")
    costs: Costs = Field(default_factory=Costs, description="Operating costs.")
    financing: Financing = Field(description="Cash and financing.")
    tax: Tax = Field(default_factory=Tax, description="Tax.")
    distress: Distress = Field(default_factory=Distress, description="Distress.")
    uncertainty: Uncertainty = Field(
        default_factory=Uncertainty, description="Correlations between uncertain inputs."
    )
    accept_unusual: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list,
        max_length=1000,
        description=(
            "Field paths whose unusual values are meant: no plausibility warning for them "
            "(docs/scenarios.md, Plausibility)."
        ),
    )
    accept_defaults: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list,
        max_length=1000,
        description=(
            "Inputs left at their uncited package default on purpose: no default-input "
            "warning for them (docs/calibration.md, 'Inputs left at the package default'); "
            "a listed path, or one of its regimes' instances."
        ),
    )
    actuals: Actuals | None = Field(
        None,
        description=(
            "Reported figures for the first years: a run starts from the last reported "
            "year's end (docs/scenarios.md, 'Reported actuals')."
        ),
    )
    stresses: dict[Name, Stress] = Field(
        default_factory=dict,
        description=(
            "The scenario's own named stresses (docs/stress.md), beside the library's; "
            "a library stress's name is refused, and so is a stress that expands beyond "
            "the limits of docs/stress.md (Limits)."
        ),
    )
    counterparties: dict[CounterpartyName, CounterpartySize] = Field(
        default_factory=dict,
        description=(
            "The size of named counterparties (revenue, equity value; a cited source), by "
            "the name a commitment or tranche gives them: exposure and loss read as a share "
            "of it (docs/exposure.md). A size no commitment or tranche names is unused."
        ),
    )
    # What the scenario was read from (not a field: two scenarios with the
    # same fields are equal, and hash alike, wherever each was read from).
    _origin: ScenarioOrigin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> ScenarioOrigin:
        """Where the scenario was read from: its file, the scenarios it
        ``extends``, the values set over them (``docs/scenarios.md``,
        "Extending a scenario")."""
        return self._origin if self._origin is not None else ScenarioOrigin()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return type(self) is type(other) and all(
            self.__dict__[name] == other.__dict__[name] for name in type(self).model_fields
        )

    def _repr_html_(self) -> str:
        from wager.scenario.summary import scenario_html

        return scenario_html(self)

    def with_values(self, values: Mapping[str, Any]) -> Scenario:
        """This scenario with some values set by field path, validated again.

        Parameters
        ----------
        values
            Field path -> value, as ``--set`` takes them (``docs/api.md``):
            ``{"financing.initial_cash": 12.5, "segments.consumer.volatility":
            0.3, "compute.commitments.stargate.total": 300}``; a value is
            what a file would hold there (a number, a string, a list, a dict
            for a table or a distribution). Set in order.

        Returns
        -------
        Scenario
            A new scenario; ``origin.overrides`` lists what was set.

        Raises
        ------
        ScenarioError
            Naming the path and the reason, ending with ``(from overrides)``,
            if a path cannot be followed or the result is invalid.

        Examples
        --------
        >>> import wager
        >>> sc = wager.presets.load("compute_first")
        >>> sc.with_values({"financing.initial_cash": 50.0}).financing.initial_cash
        50.0
        """
        data = self.model_dump(exclude_none=True)
        doc = ScenarioDocument(data, self.origin).with_overrides(
            [Override.of(path, value) for path, value in values.items()], OVERRIDES_LABEL
        )
        scenario = validated(type(self), doc)
        scenario._origin = doc.origin
        return scenario

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        try:
            return migrate(data)
        except ValueError as err:
            raise _fail("schema_version", str(err)) from None

    @model_validator(mode="after")
    def _known_defaults(self) -> Scenario:
        for i, name in enumerate(self.accept_defaults):
            problem = unknown_acknowledgement(name)
            if problem is not None:
                raise _fail(f"accept_defaults[{i}]", problem)
        return self

    @model_validator(mode="after")
    def _within_horizon(self) -> Scenario:
        t = self.time
        if t.horizon < t.start_year:
            raise _fail("time.horizon", f"{t.horizon} is before start_year {t.start_year}")
        if not self.segments:
            raise _fail("segments", "at least one revenue segment is needed")
        outside = self._years_outside_the_horizon()
        if outside:
            raise _fail_all(outside)  # every one at once (issue 19)
        known = {path_name(p) for p, _ in distribution_leaves(self)}
        for i, name in enumerate(self.uncertainty.inputs):
            if name not in known:
                hint = f"; uncertain inputs: {', '.join(sorted(known))}" if known else ""
                raise _fail(f"uncertainty.inputs[{i}]", f"{name!r} is not an uncertain input{hint}")
        growth = self.distress.resolution.terminal_growth
        for name, regime in self.market.regimes.items():
            if regime.discount_rate <= growth:
                raise _fail(
                    f"market.regimes.{name}.discount_rate",
                    f"{regime.discount_rate:g} must exceed distress.resolution.terminal_growth "
                    f"({growth:g}): a going concern's value would be infinite",
                )
        support = self.distress.supplier_support
        counterparties = {c.counterparty for c in self.compute.commitments}
        for i, name in enumerate(support.counterparties):
            if name not in counterparties:
                raise _fail(
                    f"distress.supplier_support.counterparties[{i}]",
                    f"{name!r} is no commitment's counterparty; they are: "
                    f"{', '.join(sorted(counterparties)) or 'none'}",
                )
        for name in support.odds:
            if name not in self.market.regimes:
                raise _fail(
                    f"distress.supplier_support.odds.{name}",
                    f"{name!r} is not a regime; regimes: {', '.join(self.market.regimes)}",
                )
        names = [c.name for c in self.compute.commitments]
        if len(set(names)) != len(names):
            raise _fail("compute.commitments", "contract names must be unique")
        maturities = self.financing.debt.maturities
        due = sum(m.amount for m in maturities)
        initial = self.financing.debt.initial
        if maturities and isinstance(initial, (int, float)) and due > initial * (1 + 1e-12):
            raise _fail(
                "financing.debt.maturities",
                f"{due:g} falls due but the initial debt is {initial:g}: "
                "the maturities describe the debt held at the start",
            )
        if maturities and not isinstance(initial, (int, float)):
            raise _fail(
                "financing.debt.initial",
                "must be a number when maturities are given (they are part of it)",
            )
        return self

    def _years_outside_the_horizon(self) -> list[tuple[str, str]]:
        """Every year the file gives outside its horizon, and every list of
        another length than the horizon's, in the file's order."""
        t = self.time
        out: list[tuple[str, str]] = []
        for path, value in self._series():
            out += _check_series(path, value, t)
        for i, c in enumerate(self.compute.commitments):
            at = f"compute.commitments[{i}]"
            bounds = [(f, b) for f, b in (("start", c.start), ("end", c.end)) if b is not None]
            bad = [_outside(f"{at}.{f}", b, t) for f, b in bounds if not _inside(b, t)]
            years = [y for y in c.payment_years() if not _inside(y, t)]
            if c.schedule is not None:
                bad += [_outside(f"{at}.schedule.{y}", y, t) for y in years]
            elif years and not bad:  # years from start and end: name the bound once
                y = years[0]
                bad.append(_outside(f"{at}.{'start' if y < t.start_year else 'end'}", y, t))
            out += bad
        for i, tr in enumerate(self.financing.tranches):
            if not _inside(tr.year, t):
                out.append(_outside(f"financing.tranches[{i}].year", tr.year, t))
        for i, m in enumerate(self.financing.debt.maturities):
            if not _inside(m.year, t):
                out.append(_outside(f"financing.debt.maturities[{i}].year", m.year, t))
        out += [_outside(f"market.path.{y}", y, t) for y in self.market.path if not _inside(y, t)]
        return out

    @model_validator(mode="after")
    def _actuals_fit(self) -> Scenario:
        if self.actuals is not None:
            t = self.time
            problems = actuals_problems(self.actuals, t.start_year, t.horizon, list(self.segments))
            if problems:
                raise _fail_all(problems)
        return self

    @model_validator(mode="after")
    def _own_stresses(self) -> Scenario:
        if not self.stresses:
            return self

        names = library.names()
        for key, stress in self.stresses.items():
            problem = reserved_name_problem(key, names)
            if problem is not None:
                raise _fail(*problem)
            if stress.name and stress.name != key:
                raise _fail(
                    f"stresses.{key}.name",
                    f"{stress.name!r} differs from the stress's key {key!r}: in a scenario "
                    "the key names the stress (leave name out)",
                )
        tables = {
            "segments": len(self.segments),
            "market.regimes": len(self.market.regimes),
            "compute.commitments": len(self.compute.commitments),
            "financing.tranches": len(self.financing.tranches),
        }

        def count(shock: Shock) -> int:
            return keys_reached(shock.target, tables)

        def from_library(name: str) -> Stress | None:
            return library.load(name) if name in names else None

        problem = expansion_problem(self.stresses, count, from_library)
        if problem is not None:
            raise _fail(*problem)
        return self

    def _series(self) -> list[tuple[str, SeriesValue]]:
        out: list[tuple[str, SeriesValue]] = []
        for name, seg in self.segments.items():
            for field in ("revenue", "inference_cost_ratio", "price_change"):
                out.append((f"segments.{name}.{field}", getattr(seg, field)))
        for line in ("staff", "sales_marketing", "general_admin", "stock_based_pay"):
            cost: CostLine = getattr(self.costs, line)
            out.append((f"costs.{line}.fixed", cost.fixed))
            out.append((f"costs.{line}.of_revenue", cost.of_revenue))
        out.append(("compute.training", self.compute.training))
        out.append(("compute.capex", self.compute.capex))
        out.append(("compute.impairment", self.compute.impairment))
        out.append(("financing.debt.rate", self.financing.debt.rate))
        out.append(("financing.valuation_scale", self.financing.valuation_scale))
        return out


def _check_series(path: str, value: SeriesValue, t: Time) -> list[tuple[str, str]]:
    """What of a series does not fit the horizon: a list's length, a table's years."""
    if isinstance(value, list) and len(value) != t.n_years:
        reason = (
            f"a list needs one value per year ({t.n_years} for "
            f"{t.start_year}-{t.horizon}), got {len(value)}"
        )
        return [(path, reason)]
    if not isinstance(value, dict):
        return []
    return [_outside(f"{path}.{year}", year, t) for year in value if not _inside(year, t)]


def _inside(year: int, t: Time) -> bool:
    return t.start_year <= year <= t.horizon


def _outside(path: str, year: int, t: Time) -> tuple[str, str]:
    return path, f"year {year} is outside the horizon {t.start_year}-{t.horizon}"
