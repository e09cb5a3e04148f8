"""The presets' regime chain is the one docs/calibration.md derives from the
episode counts and durations of ../shared/calibration.md (issue 16, item 1):
recomputed from the cited figures with the package's own arithmetic
(``wager.scenario.calibration_bounds``, the figures there as constants with
their source; its bounds are checked in tests/test_calibration_spread.py),
and checked against the presets, the page's table and the model's per-step
root."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy.linalg import expm

import wager
from wager.compile.world import step_transition
from wager.scenario.calibration_bounds import (
    BEAR_MARKETS,
    BUST_2000_TRADING_DAYS,
    BUST_YEARS,
    DEEP_BUSTS,
    HISTORY_YEARS,
    MEAN_BEAR_TRADING_DAYS,
    REGIMES,
    SHARE_OF_DAYS_IN_BEAR,
    TRADING_DAYS_A_YEAR,
    generator,
    stationary,
    yearly_matrix,
)

ROOT = Path(__file__).resolve().parent.parent


def central_entry() -> float:
    # Step 3: three deep busts over the years outside one.
    return DEEP_BUSTS / (HISTORY_YEARS - DEEP_BUSTS * BUST_YEARS)


def preset_matrix(name: str) -> np.ndarray:
    t = wager.presets.load(name).market.transition
    return np.array([[t[a].get(b, 0.0) for b in REGIMES] for a in REGIMES])


def test_the_derived_figures_are_the_pages() -> None:
    entry, bust_2000 = central_entry(), BUST_2000_TRADING_DAYS / TRADING_DAYS_A_YEAR
    assert entry == pytest.approx(0.0716, abs=5e-5)
    assert 1 / BUST_YEARS == 0.5
    assert bust_2000 == pytest.approx(2.67, abs=5e-3)


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
def test_the_presets_matrix_is_the_derivation(name: str) -> None:
    expected = yearly_matrix(central_entry(), BUST_YEARS)
    np.testing.assert_allclose(preset_matrix(name), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        expected,
        [[0.731, 0.214, 0.055], [0.115, 0.830, 0.055], [0.027, 0.354, 0.619]],
        rtol=0,
        atol=1e-12,
    )


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
def test_rows_sum_to_one_and_stay_within_rounding_of_the_generator(name: str) -> None:
    p = preset_matrix(name)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    # Off-diagonals rounded to 3 decimals (0.0005), a diagonal takes its row's two.
    exact = expm(generator(central_entry(), BUST_YEARS))
    assert np.abs(p - exact).max() <= 1e-3


def test_the_chain_spends_in_a_bust_the_share_the_counts_give() -> None:
    p = preset_matrix("compute_first")
    # 3 busts of 2 years in 47.9 years: 0.125 (rounding to 3 decimals moves it 0.001).
    assert stationary(p)[2] == pytest.approx(DEEP_BUSTS * BUST_YEARS / HISTORY_YEARS, abs=2e-3)
    # The "every bear market" bound spends the 20% of days the factbox gives.
    every = yearly_matrix(
        BEAR_MARKETS / ((1 - SHARE_OF_DAYS_IN_BEAR) * HISTORY_YEARS),
        MEAN_BEAR_TRADING_DAYS / TRADING_DAYS_A_YEAR,
    )
    assert stationary(every)[2] == pytest.approx(SHARE_OF_DAYS_IN_BEAR, abs=5e-3)


@pytest.mark.parametrize("steps_per_year", [4, 12])
def test_the_models_per_step_root_keeps_the_bust_length(steps_per_year: int) -> None:
    # docs/model.md §18: the chain steps by P^(1/k); a bust is left at
    # -k ln(stay per step) a year, 1 / BUST_YEARS before rounding P.
    root = step_transition(preset_matrix("compute_first"), steps_per_year)
    rate_out = -steps_per_year * np.log(root[2, 2])
    assert rate_out == pytest.approx(1 / BUST_YEARS, abs=0.01)
    # The naive "stay = 1 - 1/d" would leave it at -ln(0.5) = 0.69 a year.
    naive = step_transition(
        np.array([[0.731, 0.214, 0.055], [0.115, 0.830, 0.055], [0.05, 0.45, 0.5]]),
        steps_per_year,
    )
    assert -steps_per_year * np.log(naive[2, 2]) > 0.65


def _page_table(text: str) -> np.ndarray:
    rows = {}
    for regime in REGIMES:
        m = re.search(rf"^\| {regime} \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|$", text, re.M)
        assert m is not None, f"docs/calibration.md has no row for {regime}"
        rows[regime] = [float(x) for x in m.groups()]
    return np.array([rows[r] for r in REGIMES])


def test_the_pages_table_and_bounds_are_the_derivation() -> None:
    text = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    np.testing.assert_allclose(
        _page_table(text), yearly_matrix(central_entry(), BUST_YEARS), rtol=0, atol=1e-12
    )
    alone = yearly_matrix(
        1 / (HISTORY_YEARS - BUST_2000_TRADING_DAYS / TRADING_DAYS_A_YEAR),
        BUST_2000_TRADING_DAYS / TRADING_DAYS_A_YEAR,
    )
    every = yearly_matrix(
        BEAR_MARKETS / ((1 - SHARE_OF_DAYS_IN_BEAR) * HISTORY_YEARS),
        MEAN_BEAR_TRADING_DAYS / TRADING_DAYS_A_YEAR,
    )
    for matrix in (alone, every):
        shown = ", ".join("(" + ", ".join(f"{x:.3f}" for x in row) + ")" for row in matrix)
        assert shown in text
