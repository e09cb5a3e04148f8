"""Shared fixtures: the presets and their projections, computed once."""

from __future__ import annotations

import pytest

import wager


@pytest.fixture(scope="session")
def compute_first() -> wager.Projection:
    return wager.project(wager.presets.load("compute_first"), steps=True)


@pytest.fixture(scope="session")
def profitability() -> wager.Projection:
    return wager.project(wager.presets.load("profitability"), steps=True)
