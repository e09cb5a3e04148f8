"""The package's default market regimes, as plain values.

Assumptions until the stress library calibrates them: a boom adds 10%/yr
demand growth at 35x revenue; a bust removes 30%/yr, cuts prices 15%/yr,
values at 5x revenue (dot-com-sized: Nasdaq -78%) with a spot compute price
75% below contract (the fibre glut's bandwidth collapse). ``raise_success``
is a yearly chance: 1 - (1 - p)^4 of wager 0.1's per-quarter 0.95 / 0.9 /
0.2. The bust's 0.59 sits with the funding droughts of 2001-02 and 2022-23,
when funding fell 40-50% in a year but did not stop (calibration.md,
"Market cycles"); an assumption until the calibration issue cites each
number. A field a regime leaves out takes ``Regime``'s default.

``spot_lead_time`` (docs/model.md §5): the time to secure compute the plan
did not foresee. Boom 0.75 year: lead times of H100 servers were 36 to 52
weeks in late 2023 (Omdia, via Tom's Hardware, 2023-11); normal 0.2 year
(``Regime``'s default): 8 to 12 weeks in 2024 (TSMC's Terence Liao, via
United Daily News and Tom's Hardware, 2024-04); bust 0.05 year (about
2.5 weeks), an assumption: in a glut idle capacity is for rent (H100 rental
prices -22% in 2025, calibration.md) and the delay is contracting and
moving work.

``dcf_weight`` (docs/model.md §11, 2.): how much the price of a round rests
on the discounted cash flow of the business as it runs today rather than on
the market's multiple of revenue. Boom 0, normal 0.25 (``Regime``'s
default), bust 0.5: assumptions. In a boom the market prices growth alone;
in the 2022-23 drought public software multiples fell from about 18 to
about 6 times revenue and investors turned to cash flows ("efficient
growth"), which the bust's larger weight stands for.

``TRANSITION_DEFAULTS``: the yearly transition matrix a scenario without
``market.transition`` takes (row = from, column = to). No episode count
supports it: its bust comes about as often as the Nasdaq's bear markets of
every depth (normal -> bust 0.10 a year, a bust 17% of the time, against
20% of trading days in bear territory) with the depth of the deepest
(docs/calibration.md), so a scenario left at it is warned of
(``wager.scenario.default_inputs``). The presets set their own, derived
from the episodes each regime stands for.
"""

from __future__ import annotations

from typing import Final

REGIME_DEFAULTS: Final[dict[str, dict[str, float]]] = {
    "boom": {
        "demand_growth": 0.10,
        "valuation_multiple": 35.0,
        "raise_success": 0.99999375,
        "spot_price": 1.3,
        "resale_share": 0.8,
        "credit_spread": 0.0,
        "discount_rate": 0.10,
        "spot_lead_time": 0.75,
        "dcf_weight": 0.0,
    },
    "normal": {},
    "bust": {
        "demand_growth": -0.30,
        "price_change": -0.15,
        "valuation_multiple": 5.0,
        "raise_success": 0.5904,
        "spot_price": 0.25,
        "resale_share": 0.3,
        "credit_spread": 0.05,
        "discount_rate": 0.17,
        "spot_lead_time": 0.05,
        "dcf_weight": 0.5,
    },
}

TRANSITION_DEFAULTS: Final[dict[str, dict[str, float]]] = {
    "boom": {"boom": 0.70, "normal": 0.25, "bust": 0.05},
    "normal": {"boom": 0.15, "normal": 0.75, "bust": 0.10},
    "bust": {"boom": 0.05, "normal": 0.35, "bust": 0.60},
}
