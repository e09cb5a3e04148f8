"""The market reads the company (docs/model.md §11, 4. and 6.): the funding
factor from the trailing Rule-of-40 score, by hand, on the projection."""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np
import pytest

import wager
from wager.scenario.migration import ScenarioMigrationWarning


def _with_maturity(p_normal: float, **score: Any) -> dict[str, Any]:
    # profitability, yearly steps, a maturity of 5 at the start of 2028 on
    # 10 of debt, the normal regime's yearly chance lowered so the factor shows.
    data = wager.presets.load("profitability").model_dump(exclude_none=True)
    data["time"]["steps_per_year"] = 1
    data["market"]["regimes"]["normal"]["raise_success"] = p_normal
    data["financing"]["debt"]["initial"] = 10.0
    data["financing"]["debt"]["maturities"] = [{"year": 2028, "month": 1, "amount": 5.0}]
    data["financing"]["equity"]["score"].update(score)
    return data


def _factor(score: float, sensitivity: float, reference: float = 0.4) -> float:
    return math.exp(sensitivity * (min(max(score, -1.0), 1.0) - reference))


@pytest.mark.parametrize("sensitivity", [0.0, 0.7, 1.5, 3.0])
def test_a_maturity_is_refinanced_at_the_odds_the_last_year_gives(sensitivity: float) -> None:
    data = _with_maturity(0.6, sensitivity=sensitivity)
    p = wager.project(wager.Scenario.model_validate(data))
    a = p.annual
    assert (a["regime"] == "normal").all()  # throughout: the chance is 0.6 a year
    # The score of 2027 (no prior revenue: the first year's growth is unknown).
    growth = a.loc[2027, "revenue"] / a.loc[2026, "revenue"] - 1.0
    margin = a.loc[2027, "free_cash_flow"] / a.loc[2027, "revenue"]
    phi = _factor(growth + margin, sensitivity)
    refinanced = (1.0 - (1.0 - 0.6) ** phi) * 5.0
    assert a.loc[2028, "debt_refinanced"] == pytest.approx(refinanced, rel=1e-12, abs=1e-12)
    assert a.loc[2028, "debt_repaid"] == pytest.approx(5.0 - refinanced, rel=1e-12, abs=1e-12)


def test_the_first_years_growth_reads_prior_revenue() -> None:
    # A maturity at the start of 2026 reads 2025's score: with 2024's revenue
    # given, 2025's growth; without it, the start score (factor 1).
    for prior, start in [(2.0, 0.4), (None, -0.3)]:
        data = _with_maturity(0.6, sensitivity=1.5, start=start)
        data["financing"]["debt"]["maturities"] = [{"year": 2026, "month": 1, "amount": 5.0}]
        if prior is not None:
            data["financing"]["equity"]["score"]["prior_revenue"] = prior
        a = wager.project(wager.Scenario.model_validate(data)).annual
        if prior is None:
            phi = _factor(start, 1.5)
        else:
            r = a.loc[2025, "revenue"]
            phi = _factor(r / prior - 1.0 + a.loc[2025, "free_cash_flow"] / r, 1.5)
        expected = (1.0 - 0.4**phi) * 5.0
        assert a.loc[2026, "debt_refinanced"] == pytest.approx(expected, rel=1e-12)


def test_the_score_is_held_within_its_floor_and_cap() -> None:
    # A floor and cap that meet fix the score: the factor is exp(k (c - ref)).
    data = _with_maturity(0.6, sensitivity=2.0, floor=-0.2, cap=-0.2)
    a = wager.project(wager.Scenario.model_validate(data)).annual
    phi = math.exp(2.0 * (-0.2 - 0.4))
    assert a.loc[2028, "debt_refinanced"] == pytest.approx((1.0 - 0.4**phi) * 5.0, rel=1e-12)


def test_rounds_close_at_the_regime_rate_times_the_factor() -> None:
    # compute_first with yearly steps, seeking rounds all its first years: with
    # a fixed score (floor = cap), the projection's expected raise of 2027
    # scales its odds as 1 - (1 - p)^(factor x time); with score = reference
    # it equals the regime's odds.
    def raised(score: float) -> float:
        data = wager.presets.load("compute_first").model_dump(exclude_none=True)
        data["market"]["regimes"]["normal"]["raise_success"] = 0.5
        data["financing"]["equity"]["score"].update(floor=score, cap=score, start=score)
        return float(
            wager.project(wager.Scenario.model_validate(data)).annual["equity_raised"].sum()
        )

    at_reference, low, high = raised(0.4), raised(-1.0), raised(1.0)
    assert low < at_reference < high
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    data["market"]["regimes"]["normal"]["raise_success"] = 0.5
    data["financing"]["equity"]["score"]["sensitivity"] = 0.0
    off = float(wager.project(wager.Scenario.model_validate(data)).annual["equity_raised"].sum())
    assert off == at_reference  # a factor of exactly 1: the same bits


def test_version_4_files_keep_the_regime_odds() -> None:
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    old = copy.deepcopy(data)
    old["schema_version"] = 4
    del old["financing"]["equity"]["score"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScenarioMigrationWarning)
        s4 = wager.Scenario.model_validate(old)
    assert s4.financing.equity.score.sensitivity == 0.0
    off = copy.deepcopy(data)
    off["financing"]["equity"]["score"]["sensitivity"] = 0.0
    a4 = wager.project(s4).annual
    a5 = wager.project(wager.Scenario.model_validate(off)).annual
    np.testing.assert_array_equal(a4["cash"].to_numpy(), a5["cash"].to_numpy())
    assert not np.array_equal(
        a5["cash"].to_numpy(),
        wager.project(wager.presets.load("compute_first")).annual["cash"].to_numpy(),
    )


def test_a_floor_above_the_cap_is_refused() -> None:
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    data["financing"]["equity"]["score"].update(floor=0.5, cap=0.2)
    with pytest.raises(Exception, match=r"floor.*above cap"):
        wager.Scenario.model_validate(data)


def test_a_tranche_at_market_is_priced_at_the_blended_value() -> None:
    # docs/model.md §11, 2.: (1 - w) x the market value + w x the going
    # concern's DCF, by hand from the year's columns (yearly steps: a step
    # is a year), through an at-market tranche's dilution.
    data = wager.presets.load("profitability").model_dump(exclude_none=True)
    data["time"]["steps_per_year"] = 1
    data["financing"]["equity"]["enabled"] = False  # no round: the tranche alone dilutes
    data["financing"]["initial_cash"] = 50.0  # enough to reach profit without one
    data["financing"]["tranches"] = [{"investor": "x", "year": 2027, "amount": 10.0}]
    data["market"]["regimes"]["normal"]["dcf_weight"] = 0.6
    sc = wager.Scenario.model_validate(data)
    a = wager.project(sc).annual.loc[2027]
    assert a["regime"] == "normal"
    normal = sc.market.regimes["normal"]
    g, rho, tax = sc.distress.resolution.terminal_growth, normal.discount_rate, sc.tax.rate
    spot = normal.spot_price
    before_tax = (
        a["revenue"]
        - max(a["inference_cost"] - a["owned_capacity"], 0.0) * spot
        - a["operating_costs"]
    )
    flow = before_tax * (1.0 - tax) if before_tax > 0 else before_tax
    price = 0.4 * a["valuation"] + 0.6 * max(flow, 0.0) * (1.0 + g) / (rho - g)
    assert 0.0 < max(flow, 0.0) * (1.0 + g) / (rho - g) < a["valuation"]  # the blend matters
    before = wager.project(sc).annual.loc[2026, "ownership_retained"]
    assert a["ownership_retained"] == pytest.approx(before * price / (price + 10.0), rel=1e-12)


def test_a_weight_of_zero_prices_at_the_multiple() -> None:
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    for r in data["market"]["regimes"].values():
        r["dcf_weight"] = 0.0
    zero = wager.project(wager.Scenario.model_validate(data)).annual
    old = copy.deepcopy(data)
    old["schema_version"] = 4
    del old["financing"]["equity"]["score"]
    for r in old["market"]["regimes"].values():
        del r["dcf_weight"]
    data["financing"]["equity"]["score"]["sensitivity"] = 0.0
    v4 = wager.project(wager.Scenario.model_validate(old)).annual
    np.testing.assert_array_equal(
        wager.project(wager.Scenario.model_validate(data)).annual["ownership_retained"].to_numpy(),
        v4["ownership_retained"].to_numpy(),
    )
    shipped = wager.project(wager.presets.load("compute_first")).annual
    assert not np.array_equal(zero["ownership_retained"], shipped["ownership_retained"])


def test_vendor_financing_paid_per_delivery_follows_the_commitments_kept() -> None:
    # compute_first's management acts in its first step (a runway trigger
    # of 50 years) and renegotiates 20% of every later commitment: Nvidia's
    # per-delivery tranches of 10 (2026-2030) bring 8, and dilute as 8 at
    # market; the SoftBank round of 2025 (agreed, before the cut) is whole.
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    data["distress"]["management"]["trigger_runway"] = 50.0
    for tr in data["financing"]["tranches"]:
        tr["per_delivery"] = tr["investor"] == "Nvidia"
    a = wager.project(wager.Scenario.model_validate(data), steps=True)
    years = a.annual["tranches_received"]
    assert years.loc[2025] == pytest.approx(40.0, abs=1e-12)
    for y in range(2026, 2031):
        assert years.loc[y] == pytest.approx(8.0, rel=1e-12)
    # The July 2026 step dilutes as 8 at market: with the tranches paid
    # whatever is delivered (10), the same step has the same price V, so
    # V = 8 k8 / (1 - k8) = 10 k10 / (1 - k10), k the ownership kept.
    for tr in data["financing"]["tranches"]:
        tr["per_delivery"] = False
    whole = wager.project(wager.Scenario.model_validate(data), steps=True)
    assert whole.annual.loc[2026, "tranches_received"] == pytest.approx(10.0, rel=1e-12)

    def kept(p: wager.Projection) -> tuple[float, float]:
        own = p.steps["ownership_retained"].to_numpy()
        k = 6  # July 2026: the third quarter of 2026
        assert p.steps["tranches_received"].to_numpy()[k] > 0.0
        assert p.steps["equity_raised"].to_numpy()[k] == 0.0
        return own[k] / own[k - 1], float(p.steps["tranches_received"].to_numpy()[k])

    k8, t8 = kept(a)
    k10, t10 = kept(whole)
    assert (t8, t10) == (pytest.approx(8.0, rel=1e-12), pytest.approx(10.0, rel=1e-12))
    assert t8 * k8 / (1.0 - k8) == pytest.approx(t10 * k10 / (1.0 - k10), rel=1e-9)


def test_a_per_delivery_tranche_with_a_post_money_is_refused() -> None:
    data = wager.presets.load("compute_first").model_dump(exclude_none=True)
    data["financing"]["tranches"][0]["per_delivery"] = True  # SoftBank's agreed round
    with pytest.raises(
        Exception, match="per_delivery: a tranche paid per delivery is priced at market"
    ):
        wager.Scenario.model_validate(data)
