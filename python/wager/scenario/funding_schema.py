"""How the market's appetite reads the company: ``financing.equity.score``
(docs/model.md §11, 4.)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from wager.scenario.schema_base import NonNeg
from wager.scenario.schema_base import Strict as _Strict
from wager.scenario.schema_base import fail as _fail


class FundingScore(_Strict):
    """The company's trailing "Rule of 40" score and how it moves its odds of funding.

    At each year's end, the year's revenue growth plus ``margin_weight`` times
    its free-cash-flow margin is the score; the regime's yearly rate of
    closing a round (and the odds of refinancing a maturity) is multiplied by
    ``exp(sensitivity * (score - reference))`` through the next year, the
    score held within [``floor``, ``cap``].
    """

    sensitivity: NonNeg = Field(
        1.5,
        le=20.0,
        description=(
            "How strongly the score moves the odds: the factor on the regime's yearly rate per "
            "unit of score (1.0 = 100 points). Assumption (docs/model.md §11, 4.); 0 = the "
            "regime's odds whatever the company does (schema versions before 5)."
        ),
    )
    reference: float = Field(
        0.4,
        ge=-10.0,
        le=10.0,
        description="The score at which the regime's odds hold: 0.4, the Rule of 40.",
    )
    margin_weight: NonNeg = Field(
        1.0,
        le=10.0,
        description=(
            "Weight of the free-cash-flow margin against revenue growth: 1 in the Rule of 40; "
            "about 1/3 in Meritech's growth-weighted version."
        ),
    )
    floor: float = Field(-1.0, ge=-10.0, le=10.0, description="Lowest score counted.")
    cap: float = Field(1.0, ge=-10.0, le=10.0, description="Highest score counted.")
    start: float = Field(
        0.4,
        ge=-10.0,
        le=10.0,
        description="The score until the first complete year is known (default: the reference).",
    )
    prior_revenue: Annotated[float, Field(gt=0)] | None = Field(
        None,
        description=(
            "Revenue of the year before the start, US$ bn: the first year's growth. "
            "None: the score stays `start` until the end of the second year."
        ),
    )

    @model_validator(mode="after")
    def _floor_below_cap(self) -> FundingScore:
        if self.floor > self.cap:
            raise _fail("floor", f"{self.floor:g} is above cap {self.cap:g}")
        return self
