"""The per-step transition matrix, computed in the core (docs/model.md §18),
against scipy's Schur-based ``fractional_matrix_power`` and the exact
``expm(Q / k)`` of a generator, and its refusals through the package.

Tolerance 1e-12 on every entry: both methods are backward stable and the
root of these chains is well conditioned (eigenvalues away from 0 and from
the negative axis), so each lies within a few 1e-15 of the exact root (the
largest differences seen: 5e-15 from scipy, 5e-14 from expm(Q / k), whose
yearly matrix is itself rounded); 1e-12 leaves a margin for other machines'
BLAS in scipy while a wrong branch of the root or a truncated series would
be off by 1e-6 or more.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import linalg

import wager
from wager.compile.run_config import world_dict
from wager.compile.world import step_transition

TOL = 1e-12
STEPS = (4, 12)
NO_ROOT = "market.transition: has no real 4-th root per step; use steps_per_year = 1"


def _yearly(scenario: wager.Scenario) -> np.ndarray:
    m = scenario.market
    names = list(m.regimes)
    return np.array([[m.transition[a].get(b, 0.0) for b in names] for a in names])


def _scipy_root(yearly: np.ndarray, k: int) -> np.ndarray:
    root = linalg.fractional_matrix_power(yearly, 1.0 / k)
    assert np.abs(np.imag(root)).max() <= 1e-12
    return np.real(root)


def _generator(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random generator: rates up to ~1 a year, a third of them zero."""
    rates = rng.exponential(0.4, (n, n)) * (rng.random((n, n)) > 1 / 3)
    np.fill_diagonal(rates, 0.0)
    return rates - np.diag(rates.sum(axis=1))


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
@pytest.mark.parametrize("k", STEPS)
def test_the_presets_root_is_scipys(preset: str, k: int) -> None:
    yearly = _yearly(wager.presets.load(preset))
    root = step_transition(yearly, k)
    np.testing.assert_allclose(root, _scipy_root(yearly, k), rtol=0, atol=TOL)
    np.testing.assert_allclose(np.linalg.matrix_power(root, k), yearly, rtol=0, atol=TOL)
    assert (root >= 0).all()
    np.testing.assert_allclose(root.sum(axis=1), 1.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("k", STEPS)
def test_random_embeddable_chains_match_scipy_and_the_generator(k: int) -> None:
    rng = np.random.default_rng(20)
    for n in (2, 3, 3, 4, 5, 6, 8, 10):
        q = _generator(rng, n)
        # Rates below ~3 a year: the eigenvalues of Q / k have imaginary parts
        # far below pi, so expm(Q / k) is the principal root.
        assert np.abs(np.linalg.eigvals(q).imag).max() < np.pi
        yearly = linalg.expm(q)
        root = step_transition(yearly, k)
        np.testing.assert_allclose(root, _scipy_root(yearly, k), rtol=0, atol=TOL)
        np.testing.assert_allclose(root, linalg.expm(q / k), rtol=0, atol=TOL)


def test_the_world_carries_the_cores_root() -> None:
    cf = wager.presets.load("compute_first")
    k = cf.time.steps_per_year
    assert k == 4
    world = world_dict([cf])
    expected = step_transition(_yearly(cf), k)
    assert np.array(world["step_transition"]).reshape(expected.shape).tolist() == expected.tolist()


def _with_market(tmp_path: Path, transition: str) -> wager.Scenario:
    path = tmp_path / "chain.toml"
    path.write_text(f'extends = "compute_first"\n\n{transition}', encoding="utf-8")
    return wager.load_scenario(path)


def test_a_chain_without_a_real_root_is_refused_by_simulate(tmp_path: Path) -> None:
    # boom and bust swap every year: an eigenvalue -1.
    swaps = _with_market(
        tmp_path,
        "[market.transition]\n"
        "boom = {boom = 0.0, normal = 0.0, bust = 1.0}\n"
        "normal = {boom = 0.0, normal = 1.0, bust = 0.0}\n"
        "bust = {boom = 1.0, normal = 0.0, bust = 0.0}\n",
    )
    with pytest.raises(wager.ScenarioError) as refused:
        wager.simulate(swaps, n_paths=64, seed=1, progress=False)
    assert str(refused.value) == NO_ROOT
    assert refused.value.problems == [("", NO_ROOT.removeprefix("market.transition: "))]


def test_a_root_with_negative_entries_is_refused_by_simulate(tmp_path: Path) -> None:
    # A yearly cycle boom -> normal -> bust -> boom: eigenvalues w^j, w =
    # e^(2 pi i/3); its principal 4th root is the circulant with first row
    # (1 + 2 cos(pi/6 - 2 pi m/3)) / 3, m = 0, 1, 2: its corner is (1 - sqrt 3) / 3.
    cycle = _with_market(
        tmp_path,
        "[market.transition]\n"
        "boom = {boom = 0.0, normal = 1.0, bust = 0.0}\n"
        "normal = {boom = 0.0, normal = 0.0, bust = 1.0}\n"
        "bust = {boom = 1.0, normal = 0.0, bust = 0.0}\n",
    )
    assert _scipy_root(_yearly(cycle), 4).min() == pytest.approx((1 - np.sqrt(3)) / 3, abs=1e-14)
    with pytest.raises(wager.ScenarioError) as refused:
        wager.simulate(cycle, n_paths=64, seed=1, progress=False)
    assert str(refused.value) == (
        "market.transition: its 4-th root has negative entries (-0.24): no chain with this "
        "step has these yearly transitions; use steps_per_year = 1"
    )


def test_yearly_steps_need_no_root(tmp_path: Path) -> None:
    cycle = _with_market(
        tmp_path,
        "[time]\nsteps_per_year = 1\n\n[market.transition]\n"
        "boom = {boom = 0.0, normal = 1.0, bust = 0.0}\n"
        "normal = {boom = 0.0, normal = 0.0, bust = 1.0}\n"
        "bust = {boom = 1.0, normal = 0.0, bust = 0.0}\n",
    )
    assert world_dict([cycle])["step_transition"] == _yearly(cycle).ravel().tolist()


@pytest.mark.parametrize(
    "yearly",
    [
        [[0.5, 0.5], [0.5, 0.5]],  # regimes drawn afresh every year
        [[0.0, 0.0, 1.0]] * 3,  # always bust: wager.race(bust=100)
        [[0.2, 0.6, 0.2]] * 3,
    ],
)
def test_a_chain_with_equal_rows_steps_as_itself(yearly: list[list[float]]) -> None:
    # P is a projector (P^k = P) and the principal root of its eigenvalue 0
    # is 0: the root is P. (scipy's root of the first is 0.500051 on the
    # diagonal, 1e-16^(1/4) set by rounding, and of the third complex.)
    p = np.array(yearly)
    for k in STEPS:
        np.testing.assert_allclose(step_transition(p, k), p, rtol=0, atol=1e-15)


def test_a_singular_chain_without_a_root_is_refused_saying_so() -> None:
    # 0 -> 1 -> 2, which stays: a Jordan block at eigenvalue 0, no square root.
    with pytest.raises(wager.ScenarioError) as refused:
        step_transition(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]), 4)
    assert str(refused.value) == (
        "market.transition: has no real 4-th root per step (it is singular, without a full "
        "set of eigenvectors for eigenvalue 0); use steps_per_year = 1"
    )


def test_a_matrix_that_is_not_square_is_refused_naming_the_field() -> None:
    with pytest.raises(wager.ScenarioError) as refused:
        step_transition(np.full((2, 3), 1 / 3), 4)
    assert str(refused.value) == "market.transition: expected a square matrix, got shape 2 x 3"
