"""The size of a strategy's named counterparties: ``counterparties.<name>``
(``docs/exposure.md``, "Counterparty size").

A counterparty's annual revenue and equity value, each with the year it is
of and the public source it comes from, so that an exposure or a loss reads
as a share of what the counterparty earns or is worth. Optional and read
only by the exposure view: nothing of the projection depends on it.

A size is keyed by the name a commitment or a tranche gives the
counterparty; a size no commitment or tranche names is kept and unused, so
that a scenario extending a preset may drop or rename a contract without
editing the preset's sizes (``docs/exposure.md``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from wager.scenario.schema_base import Strict as _Strict
from wager.scenario.schema_base import Year
from wager.scenario.schema_base import fail as _fail

__all__ = ["CounterpartyName", "CounterpartySize"]

#: A counterparty as the scenario names it (``compute.commitments[].counterparty``,
#: ``financing.tranches[].investor``): free text, not an identifier.
CounterpartyName = Annotated[str, StringConstraints(min_length=1, max_length=200)]

_Money = Annotated[float, Field(gt=0, le=1e6)]


class CounterpartySize(_Strict):
    """One counterparty's size, US$ bn, from a cited public source."""

    revenue: _Money | None = Field(
        None,
        description="Annual revenue of its latest reported fiscal year, US$ bn.",
    )
    revenue_year: Year | None = Field(
        None, description="The fiscal year the revenue is of (needed with `revenue`)."
    )
    equity_value: _Money | None = Field(
        None,
        description=(
            "Equity value (market capitalisation, or a private round's post-money), US$ bn."
        ),
    )
    equity_value_year: Year | None = Field(
        None, description="The year the equity value was observed (needed with `equity_value`)."
    )
    source: Annotated[str, StringConstraints(min_length=1, max_length=1000)] = Field(
        description="Where the figures come from: the public pages, with their dates."
    )

    @model_validator(mode="after")
    def _figures_with_their_years(self) -> CounterpartySize:
        if self.revenue is None and self.equity_value is None:
            raise _fail("revenue", "give the revenue, the equity value or both")
        for figure, year in (("revenue", "revenue_year"), ("equity_value", "equity_value_year")):
            given = getattr(self, figure) is not None
            dated = getattr(self, year) is not None
            if given and not dated:
                raise _fail(year, f"the year of `{figure}` is needed with it")
            if dated and not given:
                raise _fail(year, f"given without `{figure}`")
        if not self.source.strip():
            raise _fail("source", "must name where the figures come from")
        return self
