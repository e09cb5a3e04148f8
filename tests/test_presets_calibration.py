"""The presets reproduce the reported figures of calibration.md (US$ bn).

Free cash flow is minus the reported cash burn. Tolerances are the ones the
foundation issue sets for each figure.
"""

from __future__ import annotations

import pytest

import wager


def _share(p: wager.Projection, kind: str) -> object:
    cols = [f"revenue_{name}" for name, seg in p.scenario.segments.items() if seg.kind == kind]
    return p.annual[cols].sum(axis=1) / p.annual["revenue"]


def test_names() -> None:
    assert wager.presets.names() == ["compute_first", "profitability"]


@pytest.mark.parametrize(
    ("year", "expected", "tol"), [(2025, 13, 0.7), (2026, 30, 1.5), (2028, 99, 5), (2030, 200, 10)]
)
def test_compute_first_revenue(
    compute_first: wager.Projection, year: int, expected: float, tol: float
) -> None:
    assert compute_first.annual.loc[year, "revenue"] == pytest.approx(expected, abs=tol)


def test_compute_first_operating_income(compute_first: wager.Projection) -> None:
    oi = compute_first.annual["operating_income"]
    assert oi[2028] == pytest.approx(-74, abs=4)
    assert (oi.loc[2025:2029] < 0).all()
    assert oi[2030] > 0
    assert compute_first.events.first_profit_year == 2030


def test_compute_first_cash_burn(compute_first: wager.Projection) -> None:
    assert compute_first.annual.loc[2025:2029, "free_cash_flow"].sum() == pytest.approx(
        -115, abs=15
    )


def test_compute_first_commitments_and_consumer_share(compute_first: wager.Projection) -> None:
    assert compute_first.annual["commitments_paid"].sum() == pytest.approx(1400, abs=100)
    contracts = sum(sum(c.payments().values()) for c in compute_first.scenario.compute.commitments)
    assert contracts == pytest.approx(compute_first.annual["commitments_paid"].sum(), rel=1e-12)
    assert _share(compute_first, "consumer")[2025] == pytest.approx(0.75, abs=0.05)


@pytest.mark.parametrize(
    ("year", "expected", "tol"),
    [(2025, 4.7, 0.3), (2026, 15.2, 0.8), (2027, 38.9, 2), (2028, 70, 3.5)],
)
def test_profitability_revenue(
    profitability: wager.Projection, year: int, expected: float, tol: float
) -> None:
    assert profitability.annual.loc[year, "revenue"] == pytest.approx(expected, abs=tol)


def test_profitability_break_even(profitability: wager.Projection) -> None:
    a = profitability.annual
    assert (a.loc[2025:2027, "operating_income"] < 0).all()
    assert a.loc[2028, "operating_income"] >= 0
    assert a.loc[2028, "free_cash_flow"] > 0
    assert profitability.events.first_profit_year == 2028


def test_profitability_enterprise_share_and_compute(profitability: wager.Projection) -> None:
    assert (_share(profitability, "enterprise") >= 0.78).all()
    a = profitability.annual.loc[2025:2028]
    # Compute spend = inference + training + commitments paid for idle capacity.
    idle_paid = a["commitments_paid"] + a["owned_capacity"] - a["compute_needed"]
    spend = a["inference_cost"] + a["training_compute"] + idle_paid.clip(lower=0)
    assert spend.sum() == pytest.approx(78, abs=10)


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
def test_presets_survive_their_own_plan(name: str) -> None:
    p = wager.project(wager.presets.load(name))
    assert p.events.distress_year is None
    assert not p.annual["in_distress"].any()


def test_presets_get_there_through_the_mechanisms() -> None:
    """Operating income is not an input: no scenario field can pin it."""
    schema = wager.Scenario.model_json_schema()
    assert "operating_income" not in str(schema)
