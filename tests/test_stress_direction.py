"""Which way a stress moves P(distress), path by path (issue 15, "How we will know").

A supplier's failure (`counterparty_default`) takes capacity the company
must replace at spot with a lead time (docs/model.md §5), so it should put
more paths in distress, not fewer; an inference cost overrun raises costs
and should too. Each test runs the preset with and without the stress on the
same paths (same seed: the stress changes no random number) and compares the
paths' distress (by the horizon) pair by pair: the change in P(distress) is
(n10 - n01) / n, where n10 paths fall into distress only under the stress
and n01 only without it, and its standard error is that of a mean of paired
differences, sqrt(n10 + n01 - (n10 - n01)^2 / n) / n. A direction holds when
the change exceeds three standard errors.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from paired_distress import paired_change

import wager

N_PATHS = 20_000


@functools.cache
def _in_distress(preset: str, stress: str | None) -> np.ndarray:
    """Each path's distress by the horizon (the baseline run once per preset)."""
    sc = wager.presets.load(preset)
    run = wager.simulate(
        sc, n_paths=N_PATHS, seed=5, keep_paths=True, progress=False, stress=stress
    )
    assert run.paths is not None
    return np.asarray(run.paths.distress_year) >= 0


def _paired_change(preset: str, stress: str) -> tuple[float, float]:
    """(change in P(distress by the horizon), its standard error) on the same paths."""
    before, after = _in_distress(preset, None), _in_distress(preset, stress)
    return paired_change(before, after)


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_an_inference_cost_overrun_puts_more_paths_in_distress(preset: str) -> None:
    # Measured 2026-12-06 (20,000 paths, seed 5): +0.0076 (se 0.0009) on
    # compute_first, +0.0050 (0.0007) on profitability; wager 0.1 lowered it.
    change, se = _paired_change(preset, "inference_cost_overrun")
    assert change > 3 * se, (preset, change, se)


def test_a_supplier_failure_puts_more_of_compute_first_s_paths_in_distress() -> None:
    # Measured 2026-12-06: +0.0150 (se 0.0013); wager 0.1 lowered it (0.212 -> 0.181).
    change, se = _paired_change("compute_first", "counterparty_default")
    assert change > 3 * se, (change, se)


@pytest.mark.xfail(
    strict=True,
    reason="known: on profitability the failure of its largest supplier still lowers "
    "P(distress) slightly (-0.0004, se 0.0001 on 100,000 paths; docs/stress.md): the estate "
    "rejects the contract only where the failure meets a boom, and a bust that follows finds "
    "the company free of a take-or-pay contract; no rejection claim or re-sourcing cost offsets "
    "it. Issue 15 stays open on it",
)
def test_a_supplier_failure_puts_more_of_profitability_s_paths_in_distress() -> None:
    change, se = _paired_change("profitability", "counterparty_default")
    assert change > 3 * se, (change, se)
