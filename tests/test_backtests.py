"""Back-tests: the model against what was reported after its presets were written.

Each realised revision of a lab's plan (calibration.md, "Revisions after
November 2025") is a library stress that sets only the driver the reporting
gave: ``revision_2026_profitability`` (inference cost 23% over plan) and
``revision_2026_compute_first`` (2028 compute ~111 -> ~121). These tests
project the lab's preset under its revision and compare what the model then
shows with what was reported, within the tolerances of issue 16, item 3.
Where the model does not reproduce a reported figure, the test pins the
model's own value, so that it fails if that value moves, and docs/stress.md
("6. Back-tests") documents the gap; the stresses are never tuned to pass.

Cash flow is the model's ``free_cash_flow`` (docs/model.md §10: operating
income plus the non-cash charges, less capex, interest and tax; no financing):
the measure of the reported "cash burn" rows and of the profitability lab's
2028 "cash flow ~ +17", which the preset's plan gives as 17.7.
"""

from __future__ import annotations

import functools

import pytest

import wager
from wager.compile.shocks import core_shocks


@functools.cache
def _projection(preset: str, stress: str | None) -> wager.Projection:
    sc = wager.presets.load(preset)
    return wager.project(sc, stress=stress) if stress else wager.project(sc)


def test_profitability_s_2025_gross_margin_is_the_reported_40_percent() -> None:
    # Reported: 2025 gross margin revised from ~50% to 40% (tolerance 2 points).
    a = _projection("profitability", "revision_2026_profitability").annual
    margin = a.loc[2025, "gross_profit"] / a.loc[2025, "revenue"]
    assert abs(margin - 0.40) <= 0.02, margin
    # The model's answer is the closed form of docs/model.md §4: on plan the
    # margin is 1 - c, and c = 0.50 x 1.23 (2025 is served in full: the
    # company starts with the spot capacity it needs). 1.5 points under the
    # report: the rounded 50% -> 40% implies c = 0.43, not 0.50 (docs/stress.md).
    assert margin == pytest.approx(1 - 0.50 * 1.23, abs=1e-12)
    plan = _projection("profitability", None).annual
    assert plan.loc[2025, "gross_profit"] / plan.loc[2025, "revenue"] == pytest.approx(0.50)


def test_profitability_s_first_cash_flow_positive_year_is_the_reported_2028() -> None:
    # Reported: the first cash-flow-positive year moved from 2027 to 2028.
    revised = _projection("profitability", "revision_2026_profitability")
    assert revised.events.first_positive_fcf_year == 2028
    # The gap, pinned: the model reproduces the revised year but not the move,
    # because the preset's own plan is already first positive in 2028 (free
    # cash flow -0.10 in 2027, between calibration.md's conflicting rows: the
    # 2027 burn of ~-3.5 and "first cash-flow-positive year originally 2027").
    # The overrun costs 3.05 of 2027 cash flow (-0.10 -> -3.15).
    plan = _projection("profitability", None)
    assert plan.events.first_positive_fcf_year == 2028
    assert plan.annual.loc[2027, "free_cash_flow"] == pytest.approx(-0.099, abs=0.001)
    assert revised.annual.loc[2027, "free_cash_flow"] == pytest.approx(-3.152, abs=0.001)
    assert revised.annual.loc[2028, "free_cash_flow"] == pytest.approx(13.661, abs=0.001)


def test_compute_first_s_2028_operating_loss_is_the_reported_85() -> None:
    # Reported: 2028 compute revised to ~121 and the 2028 loss to ~85 (tolerance 4).
    revised = _projection("compute_first", "revision_2026_compute_first").annual
    plan = _projection("compute_first", None).annual
    loss = -revised.loc[2028, "operating_income"]
    assert abs(loss - 85.0) <= 4.0, loss
    # Pinned: 82.9, the plan's 72.8 (reported 74) plus the 10 of compute and
    # a little revenue lost while the extra compute is found at spot.
    assert loss == pytest.approx(82.912, abs=0.001)
    assert -plan.loc[2028, "operating_income"] == pytest.approx(72.817, abs=0.001)
    # The driver: compute (training + inference at contract price) rises by the
    # reported 10, to 119.6 against the reported ~121; the 1.4 short is the
    # preset's own plan (109.6 in 2028 against the reported ~111), not the stress.
    assert revised.loc[2028, "compute_needed"] - plan.loc[2028, "compute_needed"] == (
        pytest.approx(10.0, abs=1e-9)
    )
    assert revised.loc[2028, "compute_needed"] == pytest.approx(119.645, abs=0.001)
    assert revised.loc[2028, "unserved_revenue"] > 0


def test_each_revision_sets_only_its_reported_driver() -> None:
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    # The core shocks: one field each, with the reported value and timing.
    shocks = core_shocks("revision_2026_compute_first", cf)
    assert [(d["field"], d["op"], d["value"], d["start"], d["duration"]) for d in shocks] == [
        ("training", "add", 10.0, 3.0, 1.0)  # 2028 = the start year 2025 + 3, for one year
    ]
    shocks = core_shocks("revision_2026_profitability", pr)
    assert [(d["field"], d["op"], d["value"], d["start"]) for d in shocks] == [
        (f"segments[{i}].inference_cost_ratio", "scale", 1.23, 0.0) for i in range(2)
    ]
    # In the projections: compute_first's years before 2028 are the plan's bit
    # for bit, and its compute moves only in 2028, by the 10.
    plan = _projection("compute_first", None).annual
    revised = _projection("compute_first", "revision_2026_compute_first").annual
    assert revised.loc[2025:2027].equals(plan.loc[2025:2027])
    moved = (revised["compute_needed"] - plan["compute_needed"]).round(9)
    assert moved.to_dict() == {y: (10.0 if y == 2028 else 0.0) for y in plan.index}
    # profitability's training is untouched in every year, and its inference
    # compute (compute needed less training: docs/model.md §5) is 1.23 times
    # the plan's in every year: the volume it serves is not changed.
    plan = _projection("profitability", None).annual
    revised = _projection("profitability", "revision_2026_profitability").annual
    assert revised["training_compute"].equals(plan["training_compute"])
    ratio = (revised["compute_needed"] - revised["training_compute"]) / (
        plan["compute_needed"] - plan["training_compute"]
    )
    assert ratio.to_numpy() == pytest.approx(1.23, abs=1e-12)
