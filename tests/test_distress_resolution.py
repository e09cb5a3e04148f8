"""Distress resolved by hand (docs/model.md §27): claims by class, the
going-concern and liquidation values, the decision, priority of payment, a
capped rejection claim; a simulation's resolution tables against the same
path, and the recovery rate's standard error against a direct computation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from test_hand_computed import TOL, _burning

import wager
from wager.analyses.distress import recoveries_table


def _liquidating() -> dict[str, Any]:
    """Burning 30 a year with owned capacity of book value 40 (life 5), term
    debt 20 and a facility of 15 (rates 0)."""
    sc = _burning(debt={"initial": 20.0, "rate": 0.0, "credit_limit": 15.0, "secured": True})
    sc["compute"] = {"initial_assets": 40.0, "depreciation_life": 5.0}
    return sc


def test_a_company_worth_more_dead_is_liquidated_and_paid_by_priority() -> None:
    # 2025: cash 20 - 30 = -10, 10 drawn. 2026: -30, the last 5 drawn, cash
    # -25: distress. Claims: secured 15 (the facility), unsecured debt 20 + 15
    # - 15 = 20, trade 25 (unpaid). Going concern: 10 - 40 < 0, worth 0.
    # Liquidation: book 40 e^-0.4 at spot price 1, half of it realised.
    p = wager.project(_liquidating())
    assert p.events.distress_year == 2026
    d = p.events.distress
    assert d is not None and d.kind == "liquidated"
    assert d.claims == pytest.approx(
        {"secured": 15, "unsecured_debt": 20, "contracts": 0, "trade": 25}, abs=TOL
    )
    lv = 0.5 * 40 * math.exp(-0.4)
    assert d.going_concern_value == 0
    assert d.liquidation_value == pytest.approx(lv, abs=TOL)
    assert d.cost == pytest.approx(0.16 * lv, abs=TOL)
    # 0.84 lv = 11.26 < 15: all of it to the secured claim, nothing below.
    assert d.recovered == pytest.approx(
        {"secured": 0.84 * lv, "unsecured_debt": 0, "contracts": 0, "trade": 0}, abs=TOL
    )
    assert d.equity == 0
    # Annual steps: 0.75 years round up to one step after the distress step.
    assert (d.distress_step, d.resolution_step, d.resolution_year) == (1, 2, 2027)


def _committed(years_committed: int) -> dict[str, Any]:
    """Revenue 100 (inference at 30% of it, bought at a spot price of 0.8
    without contracts), staff 40, take-or-pay commitments of 200 a year for
    `years_committed` years from 2025; cash 150; horizon 2028."""
    sc = _burning(initial_cash=150.0)
    sc["time"]["horizon"] = 2028
    sc["segments"]["core"] = {"revenue": 100.0, "inference_cost_ratio": 0.3}
    sc["market"]["regimes"]["normal"]["spot_price"] = 0.8
    schedule = {2025 + i: 200.0 for i in range(years_committed)}
    sc["compute"] = {
        "commitments": [{"name": "c", "counterparty": "x", "schedule": schedule}],
    }
    return sc


# The business without its commitments: 100 - 30 x 0.8 - 40 = 36 before tax,
# 36 x 0.79 after; worth that x 1.02 / (0.12 - 0.02).
GOING_CONCERN = 36 * 0.79 * 1.02 / 0.10


def test_a_viable_business_sunk_by_its_commitments_is_reorganised() -> None:
    # Each year: gross profit 70, idle commitments 200 - 30 = 170, staff 40:
    # FCF -140. Cash 150 -> 10 -> -130 in 2026: distress. The contracts'
    # claim is 2027-28's payments, 400; trade 130.
    d = wager.project(_committed(4)).events.distress
    assert d is not None and d.kind == "reorganised"
    assert d.claims["contracts"] == pytest.approx(400, abs=TOL)
    assert d.claims["trade"] == pytest.approx(130, abs=TOL)
    assert d.going_concern_value == pytest.approx(GOING_CONCERN, abs=1e-9)
    value = 0.84 * GOING_CONCERN
    # The unsecured classes rank equally: each gets value / 530 of its claim.
    assert d.recovered["contracts"] == pytest.approx(400 * value / 530, abs=1e-9)
    assert d.recovered["trade"] == pytest.approx(130 * value / 530, abs=1e-9)
    assert d.recovery_rate["contracts"] == pytest.approx(value / 530, abs=1e-12)
    assert d.equity == 0


def test_a_rejection_claim_capped_by_the_lease_rule() -> None:
    # s.502(b)(6): the greater of one year's payments (200) and 15% of the
    # remaining 400 (60), at most three years (600): 200.
    sc = _committed(4)
    sc["distress"] = {"resolution": {"cap_rejection": True}}
    d = wager.project(sc).events.distress
    assert d is not None
    assert d.claims["contracts"] == pytest.approx(200, abs=TOL)
    value = 0.84 * GOING_CONCERN
    assert d.recovered["contracts"] == pytest.approx(200 * value / 330, abs=1e-9)


def test_what_is_left_after_the_claims_goes_to_the_equity_holders() -> None:
    # Commitments end in 2026: only the 130 unpaid is owed, paid in full.
    d = wager.project(_committed(2)).events.distress
    assert d is not None and d.kind == "reorganised"
    assert d.claims["contracts"] == 0
    assert d.recovered["trade"] == pytest.approx(130, abs=1e-9)
    assert d.equity == pytest.approx(0.84 * GOING_CONCERN - 130, abs=1e-9)


def test_the_resolution_switched_off_is_wager_0_1s_stop() -> None:
    sc = _committed(4)
    sc["distress"] = {"resolution": {"enabled": False}}
    p = wager.project(sc)
    assert p.events.distress_year == 2026
    assert p.events.distress is None
    on = wager.project(_committed(4))
    # The projection's own values do not change: the resolution only adds.
    assert p.annual.equals(on.annual)


def test_a_simulation_of_identical_paths_resolves_each_like_the_projection() -> None:
    sc = _committed(4)
    d = wager.project(sc).events.distress
    assert d is not None
    n = 96
    sim = wager.simulate(sc, n_paths=n, seed=3, progress=False)
    r = sim.resolution
    assert list(r["distress"]) == [0, 1, 1, 1]
    assert list(r["reorganised"]) == [0, 0, 1, 1]  # resolved in 2027
    assert list(r["liquidated"]) == [0, 0, 0, 0]
    assert list(r["wiped_out"]) == [0, 0, 1, 1]
    rec = sim.recoveries
    # Sums of values rounded to 2^-24 before adding.
    for c in ("contracts", "trade"):
        assert rec.loc[c, "claim"] == pytest.approx(d.claims[c], abs=2**-24)
        assert rec.loc[c, "recovered"] == pytest.approx(d.recovered[c], abs=2**-24)
        assert rec.loc[c, "recovery_rate_se"] == pytest.approx(0.0, abs=1e-12)
    assert rec.loc["secured", "paths"] == n
    assert math.isnan(rec.loc["secured", "recovery_rate"])


def _raw(claims: np.ndarray, recovered: np.ndarray) -> dict[str, Any]:
    """The core's distress sums of these paths (claims in the contracts class)."""
    scale = 2.0**24
    fx = [np.rint(claims * scale).astype(object), np.rint(recovered * scale).astype(object)]
    series = [np.zeros(len(claims), dtype=object)] * 16
    series[6], series[7], series[8] = fx[0], fx[1], fx[0] + fx[1]
    s1 = [int(sum(int(v) for v in x)) for x in series]
    s2 = [int(sum(int(v) * int(v) for v in x)) for x in series]

    def split(v: list[int]) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.array([x >> 64 for x in v], dtype=np.int64),
            np.array([x & (2**64 - 1) for x in v], dtype=np.uint64),
        )

    return {
        "distress": {
            "sum": split(s1),
            "sum_squares": split(s2),
            "count": np.full(16, len(claims), dtype=np.uint64),
        }
    }


def test_the_recovery_rate_and_its_standard_error_match_a_direct_computation() -> None:
    rng = np.random.default_rng(4)
    m = 400
    claims = np.round(rng.uniform(100, 1000, m), 3)
    recovered = np.round(claims * rng.beta(2, 3, m), 3)
    row = recoveries_table(_raw(claims, recovered)).loc["contracts"]
    rate = recovered.sum() / claims.sum()
    # Delta method for a ratio of means: var(y - R x) / (m mean(x)^2).
    resid = recovered - rate * claims
    se = math.sqrt(resid.var(ddof=1) / (m * claims.mean() ** 2))
    # The core rounds each value to 2^-24 before summing.
    assert row["recovery_rate"] == pytest.approx(rate, abs=1e-9)
    assert row["recovery_rate_se"] == pytest.approx(se, rel=1e-6)
    assert row["claim"] == pytest.approx(claims.mean(), abs=2**-24)
    assert row["paths"] == m


def _covenanted(steps_per_year: int, **debt: Any) -> dict[str, Any]:
    """Burning 30 a year from cash 27.5; 100 from an investor in December 2025."""
    sc = _burning(
        initial_cash=27.5,
        debt={"rate": 0.0, **debt},
        tranches=[{"investor": "i", "year": 2025, "month": 12, "amount": 100.0}],
    )
    sc["time"]["steps_per_year"] = steps_per_year
    return sc


@pytest.mark.parametrize("steps_per_year", [1, 4, 12])
def test_a_covenant_breach_at_a_quarter_end_starts_distress_whatever_the_step(
    steps_per_year: int,
) -> None:
    # Cash at the quarter ends of 2025: 20, 12.5, 5, then 97.5 with the
    # tranche (0 at the end of November). Without a covenant the company
    # never runs out of cash; a minimum liquidity of 12 is breached at the
    # end of September, with cash 5 still in hand, whatever the step: annual
    # steps test the quarter ends inside the year on the straight line the
    # year's flows follow.
    assert wager.project(_covenanted(steps_per_year)).events.distress_year is None
    p = wager.project(_covenanted(steps_per_year, min_liquidity=12.0))
    assert p.events.distress_year == 2025
    d = p.events.distress
    assert d is not None
    # Quarterly: step 2 (Q3); monthly: step 8 (September); annual: the year's step.
    assert d.distress_step == {1: 0, 4: 2, 12: 8}[steps_per_year]
    if steps_per_year > 1:
        # Nothing is unpaid; the 5 of cash belongs to the estate, which the
        # business (10 - 40 < 0) and no assets leave at 5, less 16%: all for
        # the equity holders, as there is no claim.
        assert d.claims["trade"] == 0
        assert d.kind == "liquidated"
        assert d.equity == pytest.approx(0.84 * 5, abs=TOL)


def test_an_undrawn_facility_counts_as_liquidity() -> None:
    # September: cash 5 + 20 undrawn = 25 >= 12: no breach, no distress.
    sc = _covenanted(4, min_liquidity=12.0, credit_limit=20.0)
    assert wager.project(sc).events.distress_year is None


def test_an_unsecured_facility_shares_with_the_other_unsecured_claims() -> None:
    # As the liquidation above, the facility unsecured: 11.26 for 15 + 20 + 25
    # of unsecured claims, each paid the same share.
    sc = _liquidating()
    sc["financing"]["debt"]["secured"] = False
    d = wager.project(sc).events.distress
    assert d is not None
    value = 0.84 * 0.5 * 40 * math.exp(-0.4)
    assert d.claims["secured"] == 0
    assert d.claims["unsecured_debt"] == pytest.approx(35, abs=TOL)
    assert d.recovered["unsecured_debt"] == pytest.approx(35 * value / 60, abs=TOL)
    assert d.recovered["trade"] == pytest.approx(25 * value / 60, abs=TOL)


def _supported(odds: float, supporter_share: float = 1.0) -> dict[str, Any]:
    """The committed company of above, its supplier "x" (a share of the 200 a
    year) ready to convert unpaid payments into equity with these odds."""
    sc = _committed(4)
    total = 200.0
    sc["compute"]["commitments"] = [
        {
            "name": "c",
            "counterparty": "x",
            "schedule": dict.fromkeys(range(2025, 2029), total * supporter_share),
        },
        {
            "name": "d",
            "counterparty": "y",
            "schedule": dict.fromkeys(range(2025, 2029), total * (1 - supporter_share)),
        },
    ]
    sc["distress"] = {"supplier_support": {"counterparties": ["x"], "odds": {"normal": odds}}}
    return sc


def test_a_supplier_that_invests_converts_what_the_company_cannot_pay() -> None:
    # 2026: cash 10 - 140 = -130, at most the 200 owed to x: x takes equity for
    # 130 at the market value 10 x 100 = 1,000 (the projection's draw 0.5 <
    # 0.6), keeping 1000 / 1130 for the owners. 2027 and 2028: 140 each.
    p = wager.project(_supported(0.6))
    a = p.annual
    assert p.events.distress_year is None
    assert list(a["supplier_conversion"]) == pytest.approx([0, 130, 140, 140], abs=TOL)
    assert list(a["cash"]) == pytest.approx([10, 0, 0, 0], abs=TOL)
    keep = 1000 / 1130 * 1000 / 1140 * 1000 / 1140
    assert a.loc[2028, "ownership_retained"] == pytest.approx(keep, abs=TOL)
    # Odds below the draw: no conversion, distress in 2026 as before.
    assert wager.project(_supported(0.4)).events.distress_year == 2026


def test_a_conversion_that_would_not_save_the_company_is_not_made() -> None:
    # x is owed 50 of the year's 200: the 130 missing is more, so no conversion.
    p = wager.project(_supported(0.9, supporter_share=0.25))
    assert p.events.distress_year == 2026
    assert p.annual["supplier_conversion"].sum() == 0


@pytest.mark.parametrize("behaviour", ["convert", "defer"])
def test_supplier_support_in_a_simulation_has_the_regime_s_odds(behaviour: str) -> None:
    # Each of 2026, 2027 and 2028 needs the supplier's help (a conversion or
    # a deferral), each granted when that step's draw is below 0.7:
    # P(no distress by 2028) = 0.7^3.
    n = 20_000
    sc = _supported(0.7)
    sc["distress"]["supplier_support"]["behaviour"] = behaviour
    sim = wager.simulate(sc, n_paths=n, seed=11, progress=False)
    p = sim.distress_probability.loc[2028, "probability"]
    expected = 1 - 0.7**3
    assert abs(p - expected) < 4 * math.sqrt(expected * (1 - expected) / n)


def test_supplier_support_names_real_counterparties_and_regimes() -> None:
    sc = _supported(0.6)
    sc["distress"]["supplier_support"]["counterparties"] = ["z"]
    with pytest.raises(ValueError, match="'z' is no commitment's counterparty"):
        wager.Scenario.model_validate(sc)
    sc = _supported(0.6)
    sc["distress"]["supplier_support"]["odds"] = {"boom": 0.5}
    with pytest.raises(ValueError, match="'boom' is not a regime"):
        wager.Scenario.model_validate(sc)


def test_a_discount_rate_at_or_below_the_growth_rate_is_refused_by_its_field() -> None:
    sc = _burning()
    sc["distress"] = {"resolution": {"terminal_growth": 0.5}}
    with pytest.raises(ValueError, match=r"market\.regimes\.normal\.discount_rate"):
        wager.Scenario.model_validate(sc)
