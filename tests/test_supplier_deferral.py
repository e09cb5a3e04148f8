"""Supporting suppliers that defer what the company cannot pay them
(docs/model.md §11, 8.; ``distress.supplier_support.behaviour = "defer"``):
the payable, its repayment from positive cash, the owners' stake kept, and
the payable owed as a trade claim when the company later fails."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_distress_resolution import _supported
from test_hand_computed import TOL

import wager


def _deferring(odds: float = 0.6, years: int = 4) -> dict[str, Any]:
    """`_supported`: supplier x owed the 200 a year, deferring instead of
    converting; its contract runs `years` years from 2025."""
    sc = _supported(odds)
    sc["compute"]["commitments"] = [
        {
            "name": "c",
            "counterparty": "x",
            "schedule": dict.fromkeys(range(2025, 2025 + years), 200.0),
        }
    ]
    sc["distress"]["supplier_support"]["behaviour"] = "defer"
    return sc


def test_a_deferring_supplier_carries_the_shortfall_as_a_payable() -> None:
    # 2026: cash 10 - 140 = -130, deferred; 2027 and 2028: 140 each. The
    # owners keep all of the company; nothing is converted.
    p = wager.project(_deferring())
    a = p.annual
    assert p.events.distress_year is None
    assert list(a["supplier_deferral"]) == pytest.approx([0, 130, 140, 140], abs=TOL)
    assert list(a["supplier_payable"]) == pytest.approx([0, 130, 270, 410], abs=TOL)
    assert list(a["cash"]) == pytest.approx([10, 0, 0, 0], abs=TOL)
    assert a["supplier_conversion"].sum() == 0
    assert list(a["ownership_retained"]) == pytest.approx([1, 1, 1, 1], abs=TOL)


def test_the_payable_is_repaid_from_positive_cash() -> None:
    # The contract ends in 2026: from 2027 the business makes 100 - 30 x 0.8
    # - 40 = 36 a year, untaxed (the losses carried forward), all of it
    # repaying the 130 deferred in 2026.
    a = wager.project(_deferring(years=2)).annual
    assert list(a["supplier_deferral"]) == pytest.approx([0, 130, -36, -36], abs=TOL)
    assert list(a["supplier_payable"]) == pytest.approx([0, 130, 94, 58], abs=TOL)
    assert list(a["cash"]) == pytest.approx([10, 0, 0, 0], abs=TOL)
    # Cash roll-forward with the deferral (docs/model.md §12).
    flows = a["free_cash_flow"] + a["supplier_deferral"] + a["supplier_conversion"]
    assert list(a["cash"].diff().iloc[1:]) == pytest.approx(list(flows.iloc[1:]), abs=TOL)


def test_a_company_that_fails_later_owes_the_payable_as_a_trade_claim() -> None:
    # A bust in 2027 in which the supplier will not carry it: 140 unpaid
    # and the 130 deferred in 2026 are owed as trade claims.
    sc = _deferring()
    regimes = sc["market"]["regimes"]
    regimes["bust"] = copy.deepcopy(regimes["normal"])
    sc["market"]["transition"] = {"normal": {"normal": 1.0}, "bust": {"bust": 1.0}}
    sc["market"]["path"] = {2027: "bust"}
    d = wager.project(sc).events.distress
    assert d is not None
    assert d.claims["trade"] == pytest.approx(140 + 130, abs=TOL)
