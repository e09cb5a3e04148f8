"""Annual, quarterly and monthly steps agree for inputs that are constant within a year.

Yearly inputs are annual rates spread evenly over a year's steps, and demand,
prices and owned capacity are integrated exactly within a step, so every flow
before interest (revenue, costs, operating income) is the same whatever the
step, even through a pinned bust: checked to 1e-9. One exception: compute
is split between owned, committed and spot capacity step by step (a min), so
when demand crosses the committed capacity within a year, finer steps see
idle months that a one-year step nets out; operating income is then compared
only where no crossing happens (the smooth case). Cash differs only through interest on a balance
that moves within the year: over a year with free cash flow F, the average
balance is C + 3F/8 with quarterly steps (C + 11F/24 monthly) instead of C,
so interest differs by at most yield x |F| / 2 a year, compounded; tax only
shrinks the gap. The test asserts that bound.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import wager
from wager.compile.uncertainty import central_scenario

TOL = 1e-9
PRE_INTEREST = [
    "revenue",
    "revenue_consumer",
    "owned_capacity",
    "depreciation",
    "inference_cost",
    "training_compute",
    "commitments_paid",
    "operating_costs",
    "stock_based_pay",
    "operating_income",
]


def _smooth(steps_per_year: int, bust: bool = False) -> wager.Scenario:
    """profitability without tranches or raises (enough cash), so no dated event.

    With ``bust``: two bust years and owned capacity bought with capex.
    """
    data = wager.presets.load("profitability").model_dump(exclude_none=True)
    if bust:
        data["market"]["path"] = {2027: "bust", 2028: "bust"}
        data["compute"]["capex"] = {2025: 2.0, 2030: 6.0}
        data["compute"]["initial_assets"] = 3.0
    data["time"]["steps_per_year"] = steps_per_year
    data["financing"]["tranches"] = []
    data["financing"]["initial_cash"] = 40.0
    data["financing"]["equity"]["enabled"] = False
    data["distress"]["management"]["enabled"] = False
    return wager.Scenario.model_validate(data)


@pytest.mark.parametrize("bust", [False, True])
@pytest.mark.parametrize("k", [4, 12])
def test_flows_before_interest_are_identical(k: int, bust: bool) -> None:
    annual = wager.project(_smooth(1, bust)).annual
    finer = wager.project(_smooth(k, bust)).annual
    assert (annual["regime"] == "bust").sum() == (2 if bust else 0)
    columns = [c for c in PRE_INTEREST if not (bust and c == "operating_income")]
    for col in columns:
        np.testing.assert_allclose(finer[col], annual[col], rtol=0, atol=TOL, err_msg=col)


@pytest.mark.parametrize("k", [4, 12])
def test_cash_within_the_interest_bound(k: int) -> None:
    sc = _smooth(1)
    y = sc.financing.cash_yield
    annual = wager.project(sc).annual
    finer = wager.project(_smooth(k)).annual
    bound = np.cumsum(0.5 * y * annual["free_cash_flow"].abs()) * (1 + y) ** np.arange(len(annual))
    gap = (finer["cash"] - annual["cash"]).abs()
    assert (gap <= bound + TOL).all(), (gap, bound)
    # ... and the gap is real (the test would notice an identical result).
    assert gap.max() > 0


def _at_steps(name: str, steps_per_year: int, plans: bool = False) -> wager.Scenario:
    """A preset or examples/cloud_vendor.toml with `steps_per_year` steps;
    ``plans``: a preset at its medians without its segments' own deviations."""
    if name == "cloud_vendor":
        root = Path(__file__).resolve().parent.parent
        base = wager.load_scenario(root / "examples" / "cloud_vendor.toml")
    else:
        base = wager.presets.load(name)
    if plans and name != "cloud_vendor":
        base = central_scenario(base)
    data = base.model_dump(exclude_none=True)
    if plans:
        for segment in data["segments"].values():
            segment["volatility"] = 0.0
    data["time"]["steps_per_year"] = steps_per_year
    return wager.Scenario.model_validate(data)


STEP_PATHS = 20_000
YEARLY_GAP = pytest.mark.xfail(
    strict=True,
    reason="known: with yearly steps cloud_vendor's P(distress) is ~1.5 points below the "
    "quarterly one (a regime holds a whole year, the first year in the initial regime, and its "
    "maturities and revolving facility act at year ends); issue 15 stays open on it",
)


def _pairs(gaps: set[tuple[str, int]], mark: pytest.MarkDecorator) -> list[Any]:
    """Each scenario with yearly and quarterly steps (against monthly), the
    known gaps marked."""
    names = ("profitability", "compute_first", "cloud_vendor")
    return [pytest.param(n, k, marks=mark if (n, k) in gaps else ()) for n in names for k in (1, 4)]


@pytest.mark.parametrize(("name", "coarse"), _pairs({("cloud_vendor", 1)}, YEARLY_GAP))
def test_distress_odds_do_not_depend_on_the_step(name: str, coarse: int) -> None:
    # docs/model.md §11 (4.): rounds close at a yearly rate within the
    # seeking time, so P(distress by year) from yearly or quarterly steps
    # agrees with monthly steps within the Monte Carlo error (3 combined
    # standard errors of independent runs) plus one percentage point, the
    # issue's tolerance for what the step size still changes.
    _assert_same_odds(name, coarse, "distress_probability")


PROFIT_GAP = pytest.mark.xfail(
    strict=True,
    reason="known: operating income depends on the step where compute needed crosses committed "
    "capacity within a year (docs/model.md §15, compute allocation), so P(profit by year) moves "
    "by 2-6 points between yearly and monthly steps; issue 15 (capacity) stays open on it",
)


@pytest.mark.parametrize(
    ("name", "coarse"),
    _pairs(
        {("profitability", 1), ("compute_first", 1), ("cloud_vendor", 1), ("cloud_vendor", 4)},
        PROFIT_GAP,
    ),
)
def test_profit_odds_do_not_depend_on_the_step(name: str, coarse: int) -> None:
    # On the plans: the presets' uncertain inputs and own deviations (issue
    # 16) blur the gap below the tolerance (yearly against monthly steps, as
    # shipped: 1.3 and 0.3 points at most, measured with these seeds) without
    # removing its cause; on their medians it is 1.8 and 4.0 points.
    _assert_same_odds(name, coarse, "profit_probability", plans=True)


def _assert_same_odds(name: str, coarse: int, odds: str, plans: bool = False) -> None:
    runs = {
        k: wager.simulate(_at_steps(name, k, plans), n_paths=STEP_PATHS, seed=k, progress=False)
        for k in (coarse, 12)
    }
    pa, pb = (getattr(runs[k], odds).iloc[:, 0].to_numpy() for k in (coarse, 12))
    se = np.sqrt((pa * (1 - pa) + pb * (1 - pb)) / STEP_PATHS)
    gap = np.abs(pa - pb)
    assert (gap <= 3 * se + 0.01).all(), (name, odds, coarse, gap.max())
