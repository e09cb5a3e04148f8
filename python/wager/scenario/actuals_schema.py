"""Reported actuals: what a company reported for the first years of a
scenario (``[actuals]``; ``docs/scenarios.md``, "Reported actuals").

A run of a scenario with actuals starts from the last reported year's end
(``compile/actuals.py``, ``docs/model.md`` §29); the plan is read against
them in ``wager.plan_vs_actual``. Money in US$ bn; flows are the year's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from wager.scenario.schema_base import Name, NonNeg, Year
from wager.scenario.schema_base import Strict as _Strict
from wager.scenario.schema_base import fail as _fail
from wager.scenario.schema_base import table_years as _table_years

__all__ = ["REPORTED_FIGURES", "Actuals", "ReportedYear", "actuals_problems"]

#: The figures a reported year may give, beside per-segment revenue, in the
#: order plan_vs_actual shows them (each the projection's column of that name).
REPORTED_FIGURES = (
    "revenue",
    "gross_margin",
    "free_cash_flow",
    "funding_raised",
    "cash",
    "debt",
)

Carried = Literal["revenue", "gross_margin"]


class ReportedYear(_Strict):
    """One calendar year as the company reported it; every figure optional."""

    source: str = Field(
        "", max_length=2000, description="Where the figures come from (a calibration row, a URL)."
    )
    revenue: dict[Name, NonNeg] = Field(
        default_factory=dict,
        description="Revenue by segment, US$ bn in the year (segments not named keep the plan).",
    )
    total_revenue: NonNeg | None = Field(
        None,
        description=(
            "Revenue of all segments, US$ bn, when the split is not reported: shared among "
            "the segments in the plan's proportions that year. Not with revenue."
        ),
    )
    gross_margin: Annotated[float, Field(ge=-10.0, le=1.0)] | None = Field(
        None, description="Gross profit / revenue in the year (0.4 = 40%)."
    )
    free_cash_flow: float | None = Field(
        None, description="Free cash flow, US$ bn (negative: the cash burn)."
    )
    funding_raised: NonNeg | None = Field(
        None, description="Equity raised in the year (rounds and tranches), US$ bn."
    )
    cash: NonNeg | None = Field(None, description="Cash at the year's end, US$ bn.")
    debt: NonNeg | None = Field(None, description="Debt at the year's end, US$ bn.")

    @model_validator(mode="after")
    def _one_revenue_form(self) -> ReportedYear:
        if self.revenue and self.total_revenue is not None:
            raise _fail(
                "total_revenue",
                "give revenue by segment or total_revenue, not both",
            )
        return self

    def figures(self) -> dict[str, float]:
        """The figures given, by name (``REPORTED_FIGURES``; revenue as the
        total when every segment's or the total is reported)."""
        out: dict[str, float] = {}
        for name in REPORTED_FIGURES[1:]:
            value = getattr(self, name)
            if value is not None:
                out[name] = float(value)
        return out


class Actuals(_Strict):
    """Reported years, contiguous from the scenario's start year, and which of
    their gaps against the plan carry into the years ahead."""

    years: dict[Year, ReportedYear] = Field(
        description="The reported years, from time.start_year on, without a gap."
    )
    carry_forward: list[Carried] = Field(
        default_factory=lambda: list[Carried](["revenue"]),
        description=(
            "Gaps of the last reported year that persist in the plan ahead (docs/model.md §29): "
            "'revenue' scales each reported segment's later plan by actual / plan; "
            "'gross_margin' scales every segment's later inference_cost_ratio by "
            "(1 - actual margin) / (1 - planned margin). Empty: the plan ahead as written."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _year_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and "years" in data:
            data = {**data, "years": _table_years("years", data["years"])}
        return data

    @model_validator(mode="after")
    def _distinct_carried(self) -> Actuals:
        if len(set(self.carry_forward)) != len(self.carry_forward):
            raise _fail("carry_forward", "each gap may be named once")
        return self

    @property
    def last_year(self) -> int:
        """The last reported year: the run starts at the end of it."""
        return max(self.years)


def actuals_problems(
    actuals: Actuals, start_year: int, horizon: int, segments: list[str]
) -> list[tuple[str, str]]:
    """What of ``actuals`` does not fit the scenario: years outside its
    horizon, a gap, a first year other than the start, nothing left to run,
    unknown segments, a gross-margin gap carried without a reported margin."""
    out: list[tuple[str, str]] = []
    years = sorted(actuals.years)
    if not years:
        return [("actuals.years", "at least one reported year is needed")]
    for year in years:
        if not start_year <= year <= horizon:
            out.append(
                (
                    f"actuals.years.{year}",
                    f"year {year} is outside the horizon {start_year}-{horizon}",
                )
            )
    if out:
        return out
    if years[0] != start_year:
        out.append(
            (
                f"actuals.years.{years[0]}",
                f"reported years start at time.start_year ({start_year}): "
                f"{start_year}-{years[0] - 1} missing",
            )
        )
    gaps = [y for y in range(years[0], years[-1] + 1) if y not in actuals.years]
    if gaps:
        out.append(
            (f"actuals.years.{gaps[0]}", f"reported years must be contiguous: {gaps} missing")
        )
    if years[-1] >= horizon:
        out.append(
            (
                f"actuals.years.{years[-1]}",
                f"the horizon ends at {horizon}: at least one year after the last reported "
                "one is needed to run from it",
            )
        )
    for year in years:
        for name in actuals.years[year].revenue:
            if name not in segments:
                out.append(
                    (
                        f"actuals.years.{year}.revenue.{name}",
                        f"{name!r} is not a segment; segments: {', '.join(segments)}",
                    )
                )
    last = actuals.years[years[-1]]
    if "gross_margin" in actuals.carry_forward and last.gross_margin is None:
        out.append(
            (
                "actuals.carry_forward",
                f"'gross_margin' is carried forward but {years[-1]} (the last reported "
                "year) gives no gross_margin",
            )
        )
    return out
