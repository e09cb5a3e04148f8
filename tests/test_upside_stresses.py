"""The library's upside stresses: ``revenue_beat`` and ``cheaper_compute``.

Each moves a projection the way its calibration says (the closed forms of
docs/model.md §4 where the model gives one) and P(distress) the way an
upside should, paired path by path on the same paths as in
tests/test_stress_direction.py: the change is (n10 - n01) / n and its
standard error that of a mean of paired differences; a direction holds when
the change is beyond three standard errors. One documented exception is
pinned: on compute_first the revenue beat lowers operating income
(docs/stress.md, revenue_beat).
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from paired_distress import paired_change

import wager

N_PATHS = 40_000


@functools.cache
def _in_distress(preset: str, stress: str | None, n_paths: int = N_PATHS) -> np.ndarray:
    """Each path's distress by the horizon (the baseline run once per preset)."""
    sc = wager.presets.load(preset)
    run = wager.simulate(
        sc, n_paths=n_paths, seed=5, keep_paths=True, progress=False, stress=stress
    )
    assert run.paths is not None
    return np.asarray(run.paths.distress_year) >= 0


def _paired_change(preset: str, stress: str, n_paths: int = N_PATHS) -> tuple[float, float]:
    """(change in P(distress by the horizon), its standard error) on the same paths."""
    before = _in_distress(preset, None, n_paths)
    after = _in_distress(preset, stress, n_paths)
    return paired_change(before, after)


@functools.cache
def _projection(preset: str, stress: str | None) -> wager.Projection:
    sc = wager.presets.load(preset)
    return wager.project(sc, stress=stress, steps=True) if stress else wager.project(sc, steps=True)


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_cheaper_compute_cuts_inference_cost_and_raises_operating_income(preset: str) -> None:
    plan = _projection(preset, None).annual
    cheap = _projection(preset, "cheaper_compute").annual
    # Revenue is untouched; inference cost is 0.78 of plan from 2026, exactly
    # (inference = volume x cost ratio, docs/model.md §4), and the plan's in 2025.
    assert cheap["revenue"].equals(plan["revenue"])
    ratio = (cheap["inference_cost"] / plan["inference_cost"]).to_numpy()
    assert ratio[0] == 1.0 and ratio[1:] == pytest.approx(0.78, abs=1e-12)
    assert (cheap["training_compute"] == plan["training_compute"]).all()
    # The saving reaches operating income in every year from 2026.
    gain = (cheap["operating_income"] - plan["operating_income"]).to_numpy()
    assert gain[0] == 0.0 and (gain[1:] > 0).all(), gain
    assert (cheap["gross_profit"] - plan["gross_profit"]).sum() > 0


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_cheaper_compute_puts_fewer_paths_in_distress(preset: str) -> None:
    # Measured (40,000 paths, seed 5): -0.0052 (se 0.0006) on compute_first,
    # -0.0040 (0.0004) on profitability.
    change, se = _paired_change(preset, "cheaper_compute")
    assert change < -3 * se, (preset, change, se)


@pytest.mark.parametrize(
    ("preset", "plan_rate"), [("profitability", 15.2), ("compute_first", 30.0)]
)
def test_revenue_beat_reaches_the_reported_run_rate_by_april_2026(
    preset: str, plan_rate: float
) -> None:
    steps = _projection(preset, "revenue_beat").steps.loc[2026]
    # Planned revenue (served plus unserved, docs/model.md §5) at an annual
    # rate: half the beat in the first quarter (the ramp's weight at the
    # step's middle), the full 1.97 from April: 30 / 15.2 = 1.97 on the
    # profitability lab, its reported run-rate of ~30.
    planned = ((steps["revenue"] + steps["unserved_revenue"]) * 4).to_numpy()
    full = [1 + 0.5 * 0.97, 1.97, 1.97, 1.97]
    assert planned == pytest.approx([plan_rate * f for f in full], rel=1e-12)
    if preset == "profitability":
        assert planned[1] == pytest.approx(30.0, abs=0.1)
    # The extra compute is found at spot at the normal regime's lead time, so
    # part of the first months' beat goes unserved.
    assert steps["unserved_revenue"].iloc[0] > steps["unserved_revenue"].iloc[3] > 0


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_revenue_beat_raises_2026_revenue_only(preset: str) -> None:
    plan = _projection(preset, None).annual
    beat = _projection(preset, "revenue_beat").annual
    moved = (beat["revenue"] - plan["revenue"]).to_numpy()
    assert moved[1] > 0 and moved[0] == 0 and (moved[2:] == 0).all(), moved


def test_revenue_beat_raises_profitability_s_operating_income_and_lowers_its_risk() -> None:
    plan = _projection("profitability", None).annual
    beat = _projection("profitability", "revenue_beat").annual
    assert beat.loc[2026, "operating_income"] > plan.loc[2026, "operating_income"]
    assert beat.loc[2026, "free_cash_flow"] > plan.loc[2026, "free_cash_flow"]
    # A small effect (one 2026 of revenue on a bet rarely in distress):
    # measured -0.0014 (se 0.0002) on 160,000 paths, seed 5, where 40,000
    # paths (-0.0009, se 0.0004) fall short of three standard errors.
    change, se = _paired_change("profitability", "revenue_beat", 160_000)
    assert change < -3 * se, (change, se)


def test_revenue_beat_lowers_compute_first_s_operating_income() -> None:
    # Documented in docs/stress.md (revenue_beat): compute_first's costs are
    # shares of revenue, in 2026 cash costs 40% and stock-based pay 37.6%,
    # more than its 53.5% gross margin, so more revenue is a larger operating
    # loss (and a larger free cash flow, stock-based pay being non-cash).
    plan = _projection("compute_first", None).annual
    beat = _projection("compute_first", "revenue_beat").annual
    assert beat.loc[2026, "operating_income"] == pytest.approx(
        plan.loc[2026, "operating_income"] - 4.755, abs=0.001
    )
    assert beat.loc[2026, "free_cash_flow"] > plan.loc[2026, "free_cash_flow"]
    # Its P(distress) does not fall: +0.0016 (se 0.0008) on these paths.
    change, se = _paired_change("compute_first", "revenue_beat")
    assert change > -3 * se, (change, se)
