"""Claims by claimant (docs/model.md §27, 1.): each commitment's counterparty
owed its own payments after the distress, capped contract by contract, the
term debt split among its lenders, the facility's lenders; for one projected
path by hand, and a simulation's claimant table against the same path."""

from __future__ import annotations

import math
from typing import Any

import pytest
from test_distress_resolution import GOING_CONCERN, _committed, _liquidating
from test_hand_computed import TOL

import wager


def _two_suppliers() -> dict[str, Any]:
    """`_committed(4)` with its 200 a year split: 150 to A, 50 to B, and a
    contract with C that ended in 2025 (its 0 replaces part of B's 2025)."""
    sc = _committed(4)
    sc["compute"]["commitments"] = [
        {"name": "a", "counterparty": "A", "total": 600.0, "start": 2025, "end": 2028},
        {"name": "b", "counterparty": "B", "schedule": {2026: 50.0, 2027: 50.0, 2028: 50.0}},
        {"name": "b0", "counterparty": "B", "schedule": {2025: 20.0}},
        {"name": "c", "counterparty": "C", "schedule": {2025: 30.0}},
    ]
    return sc


def test_each_counterparty_claims_the_payments_still_due_to_it() -> None:
    # As in test_a_viable_business_sunk_by_its_commitments_is_reorganised:
    # distress in 2026, 400 of contracts still due (A 2 x 150, B 2 x 50, C
    # nothing) and 130 unpaid; each unsecured claim receives value / 530.
    d = wager.project(_two_suppliers()).events.distress
    assert d is not None and d.kind == "reorganised"
    by = d.by_claimant
    assert list(by.index) == [("contract", "A"), ("contract", "B"), ("contract", "C")]
    assert by["claim"].tolist() == pytest.approx([300, 100, 0], abs=TOL)
    rate = 0.84 * GOING_CONCERN / 530
    assert by["recovered"].tolist() == pytest.approx([300 * rate, 100 * rate, 0], abs=1e-9)
    assert by.loc[("contract", "A"), "recovery_rate"] == pytest.approx(rate, abs=1e-12)
    assert math.isnan(by.loc[("contract", "C"), "recovery_rate"])
    assert (by["class"] == "contracts").all()
    assert by["claim"].sum() == pytest.approx(d.claims["contracts"], abs=TOL)


def test_the_lease_cap_applies_to_each_contract_by_itself() -> None:
    # B owes 100 in 2026 and 50 in 2028 only: cash 150 - 140 - 190 = -180.
    # Capped one by one: A min(300, max(150, 45)) = 150, B min(50, max(100,
    # 7.5)) = 50; together 200, not the aggregate's max(250, 52.5) = 250.
    sc = _two_suppliers()
    sc["compute"]["commitments"][1]["schedule"] = {2026: 100.0, 2028: 50.0}
    sc["distress"] = {"resolution": {"cap_rejection": True}}
    d = wager.project(sc).events.distress
    assert d is not None
    assert d.claims["trade"] == pytest.approx(180, abs=TOL)
    assert d.by_claimant["claim"].tolist() == pytest.approx([150, 50, 0], abs=TOL)
    assert d.claims["contracts"] == pytest.approx(200, abs=TOL)


def test_the_term_debt_is_split_among_its_lenders_and_the_facility_named() -> None:
    # _liquidating: the secured facility's 15 takes all 0.84 x LV; the term
    # debt of 20 (15 due to bank X, 5 unnamed) gets nothing.
    sc = _liquidating()
    sc["time"]["horizon"] = 2027
    sc["financing"]["debt"]["credit_lenders"] = "bank F"
    sc["financing"]["debt"]["maturities"] = [{"lender": "bank X", "year": 2027, "amount": 15.0}]
    d = wager.project(sc).events.distress
    assert d is not None and d.kind == "liquidated"
    by = d.by_claimant
    assert list(by.index) == [
        ("facility", "bank F"),
        ("term_debt", "bank X"),
        ("term_debt", "other term lenders"),
    ]
    assert by["class"].tolist() == ["secured", "unsecured_debt", "unsecured_debt"]
    assert by["claim"].tolist() == pytest.approx([15, 15, 5], abs=TOL)
    assert by["recovered"].tolist() == pytest.approx([d.recovered["secured"], 0, 0], abs=TOL)


def test_a_simulation_of_identical_paths_reports_each_claimant_like_the_projection() -> None:
    sc = _two_suppliers()
    d = wager.project(sc).events.distress
    assert d is not None
    n = 64
    table = wager.simulate(sc, n_paths=n, seed=5, progress=False).claimants
    for (kind, name), row in d.by_claimant.iterrows():
        got = table.loc[(kind, name)]
        # Sums of values rounded to 2^-24 before adding.
        assert got["claim"] == pytest.approx(row["claim"], abs=2**-24)
        assert got["recovered"] == pytest.approx(row["recovered"], abs=2**-24)
        assert got["paths"] == n
    assert table.loc[("contract", "A"), "recovery_rate_se"] == pytest.approx(0, abs=1e-12)
    # The claimants add up to their class.
    rec = wager.simulate(sc, n_paths=n, seed=5, progress=False).recoveries
    assert table["claim"].sum() == pytest.approx(rec.loc["contracts", "claim"], abs=1e-6)


def test_the_preset_names_its_suppliers_and_its_facility_banks() -> None:
    sim = wager.simulate(
        wager.presets.load("compute_first"),
        n_paths=2000,
        seed=2,
        stress="funding_freeze",
        progress=False,
    )
    table = sim.claimants
    kinds = table.index.get_level_values("kind")
    assert kinds[0] == "facility"
    assert table.index[0][1].startswith("JPMorgan")
    suppliers = {name for kind, name in table.index if kind == "contract"}
    assert {"Oracle", "Nvidia", "AMD", "Broadcom", "Microsoft"} <= suppliers
    # The counterparties add up to the contracts' class.
    contracts = table[table["class"] == "contracts"]
    assert contracts["claim"].sum() == pytest.approx(
        sim.recoveries.loc["contracts", "claim"], rel=1e-9
    )
    assert contracts["recovered"].sum() == pytest.approx(
        sim.recoveries.loc["contracts", "recovered"], rel=1e-9
    )


def _stressed(*shocks: dict[str, Any]) -> wager.Stress:
    return wager.Stress.model_validate({"name": "t", "shocks": list(shocks)})


def test_a_shock_on_one_contract_moves_its_supplier_s_claim_only() -> None:
    # B's contract b halved from 2027 (after the distress of 2026): B is owed
    # 2 x 25, A still 2 x 150. Split by the planned shares of the shocked
    # 175 a year (A 3/4, B 1/4), A would be owed 262.5 and B 87.5.
    halved = {"target": "compute.commitments.b", "op": "scale", "value": 0.5, "start": 2027}
    d = wager.project(_two_suppliers(), stress=_stressed(halved)).events.distress
    assert d is not None and d.distress_step == 1  # 2026, in yearly steps
    assert d.by_claimant["claim"].tolist() == pytest.approx([300, 50, 0], abs=TOL)
    assert d.claims["contracts"] == pytest.approx(350, abs=TOL)


def test_a_shock_on_all_contracts_moves_each_claim_in_proportion() -> None:
    cut = {"target": "compute.commitments.*", "op": "scale", "value": 0.5, "start": 2027}
    d = wager.project(_two_suppliers(), stress=_stressed(cut)).events.distress
    assert d is not None and d.distress_step == 1  # 2026, in yearly steps
    assert d.by_claimant["claim"].tolist() == pytest.approx([150, 50, 0], abs=TOL)


def test_a_supplier_s_contract_is_claimed_before_it_fails() -> None:
    # B fails on 1 January 2027 (op fail 1), after the company's distress of
    # 2026: at the distress its contract stands, so B is owed its 2 x 50 and
    # the claims are those of the unstressed company.
    failed = {"target": "compute.commitments.b", "op": "fail", "value": 1.0, "start": 2027}
    d = wager.project(_two_suppliers(), stress=_stressed(failed)).events.distress
    assert d is not None and d.distress_step == 1  # 2026, in yearly steps
    assert d.by_claimant["claim"].tolist() == pytest.approx([300, 100, 0], abs=TOL)
    assert d.claims["contracts"] == pytest.approx(400, abs=TOL)


def _failing_before_distress(spot: float) -> tuple[dict[str, Any], wager.Stress]:
    """A 100 of cash less than `_two_suppliers`' (distress in 2025, step 0,
    with 2026-28 still due: A 3 x 150, B 3 x 50) and B failing on 1 January
    2025 with `spot` the normal regime's spot price at that date."""
    sc = _two_suppliers()
    sc["financing"]["initial_cash"] = 50.0
    sc["market"]["regimes"]["normal"]["spot_price"] = spot
    failed = {"target": "compute.commitments.b", "op": "fail", "value": 1.0, "start": 2025}
    return sc, _stressed(failed)


def test_a_failed_supplier_s_contract_its_estate_keeps_is_still_claimed() -> None:
    # Spot 0.8, below the contract price: the estate keeps the contract, the
    # company still pays for it and still owes B 3 x 50 (docs/model.md §5).
    sc, stress = _failing_before_distress(0.8)
    d = wager.project(sc, stress=stress).events.distress
    assert d is not None and d.distress_step == 0
    assert d.by_claimant["claim"].tolist() == pytest.approx([450, 150, 0], abs=TOL)
    # Spot 1.2: the estate rejects it, and B is owed nothing more.
    sc, stress = _failing_before_distress(1.2)
    d = wager.project(sc, stress=stress).events.distress
    assert d is not None and d.distress_step == 0
    assert d.by_claimant["claim"].tolist() == pytest.approx([450, 0, 0], abs=TOL)


def test_an_uncertain_contract_moves_its_supplier_s_claim_only() -> None:
    # B's contract b with an uncertain total, paid 2026-28: the company is in
    # distress in 2026 on every path (as in _two_suppliers), B is owed two
    # thirds of b's total and A its 2 x 150 whatever b's total is. Split by
    # the planned shares, A's claim would move with b's total.
    sc = _two_suppliers()
    sc["compute"]["commitments"][1] = {
        "name": "b",
        "counterparty": "B",
        "total": {"dist": "uniform", "min": 120.0, "max": 180.0},
        "start": 2026,
        "end": 2028,
    }
    n = 400
    sim = wager.simulate(sc, n_paths=n, seed=3, progress=False)
    table = sim.claimants
    a, b = table.loc[("contract", "A")], table.loc[("contract", "B")]
    assert a["paths"] == n and b["paths"] == n
    # The table's claims are means over the distressed paths.
    assert a["claim"] == pytest.approx(300, abs=2**-24)
    # B: 2/3 of a uniform total on [120, 180], mean 100, sd 2/3 x 60 / sqrt(12).
    se = (2 / 3) * 60 / math.sqrt(12) / math.sqrt(n)
    assert abs(b["claim"] - 100) < 4 * se
