"""Shared fixtures: the presets and their projections, computed once."""

from __future__ import annotations

from typing import Any

import pytest

import wager


@pytest.fixture(scope="session")
def compute_first() -> wager.Projection:
    return wager.project(wager.presets.load("compute_first"), steps=True)


@pytest.fixture(scope="session")
def profitability() -> wager.Projection:
    return wager.project(wager.presets.load("profitability"), steps=True)


@pytest.fixture(scope="session")
def every_result() -> dict[str, Any]:
    """One small result of every kind that derives from Exportable (200 paths)."""
    from test_sensitivity import _linear

    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    return {
        "simulation": wager.simulate(b, n_paths=200, seed=4, progress=False, stress="price_war"),
        "stress_grid": wager.stress(
            [a, b],
            ["baseline", "funding_freeze"],
            severity=[0.5, 1.0],
            n_paths=200,
            seed=2,
            progress=False,
        ),
        "comparison": wager.compare(
            a, b, n_paths=200, seed=3, stresses=["baseline", "rate_shock"], progress=False
        ),
        "race": wager.race(n_paths=200, seed=1),
        "tornado": wager.tornado(_linear(), n_paths=32),
        "sobol": wager.sobol(_linear(), n_base=16),
        "sensitivity": wager.sensitivity(
            a, ["financing.initial_cash", "segments.*.revenue"], n_paths=200, seed=6
        ),
    }
