"""The simulation's world follows the documented counters (docs/model.md §19).

Known answers from an independent, pure-Python reading of the documentation:
the world of path p, step n is Philox4x32-10 with key {seed mod 2^32,
seed div 2^32} and counter {p mod 2^32, p div 2^32, n, block}; a 32-bit word
w is the uniform (w + 1/2) 2^-32. Block 0: word 0 the regime transition,
word 1 the raise draw, words 2-3 one Box-Muller pair (the demand factor's
normal, then segment 0's). Block b >= 1: two Box-Muller pairs, segments
4b - 3 .. 4b.

The kernel's kept paths are compared with it: the year-end regimes exactly
(they are integers chosen by comparisons of the same doubles), and the demand
factor and each segment's deviation, recovered from revenue in scenarios
where revenue is plan x exp(beta F + e), to 1e-12 (the core's log, sine and
cosine are its own, within a few ulp of libm's). Seeds and paths at and above
2^32 exercise the high counter and key words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import wager
from wager import _core
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel.layout import KEPT_VARIABLES

M32 = (1 << 32) - 1
REGIME = KEPT_VARIABLES.index("regime")
REVENUE = KEPT_VARIABLES.index("revenue")

#: (seed, first_path): a small seed from path 0, and a seed above 2^32 with
#: paths that cross 2^32 (the counter's second word goes from 0 to 1).
CASES = [(7, 0), (0x1234_5678_9ABC_DEF0, (1 << 32) - 150)]
N_PATHS = 300


# --------------------------------------------------------------------------
# The reference, from the documentation.


def world_block(seed: int, path: int, step: int, block: int) -> list[int]:
    """The four 32-bit words of one world block."""
    counter = [path & M32, path >> 32, step, (0 << 24) | block]
    return list(_core.philox4x32(counter, [seed & M32, seed >> 32]))


def uniform32(w: int) -> float:
    return (w + 0.5) * 2.0**-32


def box_muller(w1: int, w2: int) -> tuple[float, float]:
    r = math.sqrt(-2.0 * math.log(uniform32(w1)))
    a = 2.0 * math.pi * uniform32(w2)
    return r * math.cos(a), r * math.sin(a)


def cumulative_rows(world: dict[str, Any]) -> list[list[float]]:
    """Running sums, in order, of each row of the per-step matrix."""
    nr = world["n_regimes"]
    p = world["step_transition"]
    rows = []
    for i in range(nr):
        acc, row = 0.0, []
        for j in range(nr):
            acc += p[i * nr + j]
            row.append(acc)
        rows.append(row)
    return rows


def reference_regimes(world: dict[str, Any], seed: int, path: int) -> list[int]:
    """The regime of every step of one path."""
    nr = world["n_regimes"]
    cumulative = cumulative_rows(world) if world["step_transition"] else []
    r = world["initial_regime"]
    out = []
    for n, pinned in enumerate(world["pinned"]):
        if pinned >= 0:
            r = pinned
        elif n > 0 and cumulative:
            u = uniform32(world_block(seed, path, n, 0)[0])
            r = sum(1 for j in range(nr - 1) if u >= cumulative[r][j])
        out.append(r)
    return out


def segment_normal(seed: int, path: int, step: int, segment: int) -> float:
    """The normal innovation of one segment's deviation in one step."""
    if segment == 0:
        w = world_block(seed, path, step, 0)
        return box_muller(w[2], w[3])[1]
    block, q = divmod(segment - 1, 4)
    w = world_block(seed, path, step, block + 1)
    pair = box_muller(w[0], w[1]) if q < 2 else box_muller(w[2], w[3])
    return pair[q % 2]


def ar1(normals: list[float], phi: float, sigma: float, dt: float) -> list[float]:
    """x_n = a x_{n-1} + s eps_n, x_{-1} = 0, discretised exactly (§18)."""
    a = phi**dt
    s = sigma * math.sqrt((1.0 - a * a) / (1.0 - phi * phi)) if phi < 1.0 else sigma * math.sqrt(dt)
    x, out = 0.0, []
    for eps in normals:
        x = a * x + s * eps
        out.append(x)
    return out


# --------------------------------------------------------------------------
# Running the kernel.


def ar1_paths(
    normal: Callable[[int, int], float], n_paths: int, phi: float, sigma: float
) -> np.ndarray:
    """(path, year): the yearly AR(1) of each path p driven by normal(p, step)."""
    return np.array(
        [ar1([normal(p, n) for n in range(10)], phi, sigma, 1.0) for p in range(n_paths)]
    )


def run(sc: wager.Scenario, seed: int, first_path: int, n_paths: int = N_PATHS) -> list[Any]:
    """The kept arrays [variable] (path, year) of paths first_path .. + n_paths - 1."""
    config = simulation_config(
        [prepare_strategy(sc)],
        n_paths=n_paths,
        seed=seed,
        n_threads=2,
        keep_paths=True,
        first_path=first_path,
    )
    kept: list[Any] = _core.simulate(config)[0]["kept"]
    return kept


def world_of(sc: wager.Scenario) -> dict[str, Any]:
    world: dict[str, Any] = simulation_config(
        [prepare_strategy(sc)], n_paths=0, seed=0, n_threads=1, keep_paths=False
    )["world"]
    return world


def regime_scenario(steps_per_year: int) -> wager.Scenario:
    """Three regimes that move often, and 2029 pinned to bust."""
    return wager.Scenario.model_validate(
        {
            "name": "regimes",
            "time": {"start_year": 2025, "horizon": 2035, "steps_per_year": steps_per_year},
            "segments": {"core": {"revenue": 1.0, "inference_cost_ratio": 0.0}},
            "market": {
                "initial": "normal",
                "transition": {
                    "boom": {"boom": 0.7, "normal": 0.2, "bust": 0.1},
                    "normal": {"boom": 0.15, "normal": 0.7, "bust": 0.15},
                    "bust": {"boom": 0.1, "normal": 0.2, "bust": 0.7},
                },
                "path": {2029: "bust"},
            },
            "financing": {"initial_cash": 10.0},
        }
    )


def flat_scenario(
    segments: dict[str, dict[str, Any]], factor_volatility: float, factor_persistence: float
) -> wager.Scenario:
    """One regime without growth or price change and annual steps: a segment's
    revenue in year n is plan x exp(beta F_n + e_n) exactly, whatever else happens."""
    return wager.Scenario.model_validate(
        {
            "name": "flat",
            "time": {"start_year": 2025, "horizon": 2034, "steps_per_year": 1},
            "segments": segments,
            "market": {
                "initial": "normal",
                "regimes": {"normal": {"demand_growth": 0.0, "price_change": 0.0}},
                "transition": {"normal": {"normal": 1.0}},
                "demand_factor": {
                    "volatility": factor_volatility,
                    "persistence": factor_persistence,
                },
            },
            "financing": {"initial_cash": 10.0},
        }
    )


# --------------------------------------------------------------------------
# Regimes.


@pytest.mark.parametrize("steps_per_year", [1, 4])
@pytest.mark.parametrize(("seed", "first_path"), CASES)
def test_regimes_follow_the_documented_counters(
    steps_per_year: int, seed: int, first_path: int
) -> None:
    sc = regime_scenario(steps_per_year)
    world = world_of(sc)
    if steps_per_year == 1:
        # The per-step matrix is the yearly one, in regime order boom, normal, bust.
        assert world["step_transition"] == [0.7, 0.2, 0.1, 0.15, 0.7, 0.15, 0.1, 0.2, 0.7]
    else:
        # Its 4th root (world.step_transition), which the core receives as is.
        yearly = np.array(world_of(regime_scenario(1))["step_transition"]).reshape(3, 3)
        root = np.array(world["step_transition"]).reshape(3, 3)
        np.testing.assert_allclose(np.linalg.matrix_power(root, 4), yearly, atol=1e-12)
    assert world["pinned"].count(2) == steps_per_year  # 2029, all its steps

    kept = run(sc, seed, first_path)[REGIME]
    expected = np.array(
        [
            reference_regimes(world, seed, first_path + p)[steps_per_year - 1 :: steps_per_year]
            for p in range(N_PATHS)
        ],
        dtype=float,
    )
    assert kept.shape == expected.shape == (N_PATHS, 11)
    np.testing.assert_array_equal(kept, expected)
    # The comparison has content: every regime occurs, most paths move, and
    # 2029 (year 4) is pinned.
    assert set(np.unique(kept)) == {0.0, 1.0, 2.0}
    assert np.mean(np.any(np.diff(kept, axis=1) != 0, axis=1)) > 0.9
    assert np.all(kept[:, 4] == 2.0)


def test_public_simulate_starts_at_path_zero() -> None:
    sc = regime_scenario(1)
    world = world_of(sc)
    r = wager.simulate(sc, n_paths=64, seed=11, n_threads=1, progress=False, keep_paths=True)
    assert r.paths is not None
    expected = [reference_regimes(world, 11, p) for p in range(64)]
    np.testing.assert_array_equal(r.paths.annual["regime"], np.array(expected, dtype=float))


def test_regime_reference_can_fail() -> None:
    # Each plausible mistake in the layout changes the regimes: the exact
    # comparison above would catch it.
    seed, first_path = CASES[1]
    sc = regime_scenario(1)
    world = world_of(sc)
    kept = run(sc, seed, first_path, n_paths=200)[REGIME]
    cumulative = cumulative_rows(world)

    def chain(word: Callable[[int, int], int]) -> np.ndarray:
        rows = []
        for p in range(first_path, first_path + 200):
            r, row = world["initial_regime"], []
            for n, pinned in enumerate(world["pinned"]):
                if pinned >= 0:
                    r = pinned
                elif n > 0:
                    u = uniform32(word(p, n))
                    r = sum(1 for j in range(2) if u >= cumulative[r][j])
                row.append(r)
            rows.append(row)
        return np.array(rows, dtype=float)

    right = chain(lambda p, n: world_block(seed, p, n, 0)[0])
    np.testing.assert_array_equal(kept, right)
    wrong: dict[str, Callable[[int, int], int]] = {
        "raise word": lambda p, n: world_block(seed, p, n, 0)[1],
        "block 1": lambda p, n: world_block(seed, p, n, 1)[0],
        "step - 1": lambda p, n: world_block(seed, p, n - 1, 0)[0],
        "key words swapped": lambda p, n: _core.philox4x32(
            [p & M32, p >> 32, n, 0], [seed >> 32, seed & M32]
        )[0],
        "path high word dropped": lambda p, n: _core.philox4x32(
            [p & M32, 0, n, 0], [seed & M32, seed >> 32]
        )[0],
        "old 4x64 world stream": lambda p, n: (
            _core.philox4x64([p, n, 0, 0], [seed, 0x7761676572])[0] >> 32
        ),
    }
    for name, word in wrong.items():
        differs = np.any(chain(word) != kept, axis=1)
        assert differs.sum() > 20, name


# --------------------------------------------------------------------------
# Normals: the demand factor and the segments' deviations, through revenue.


def recovered_shock(kept: list[Any], plan: float) -> np.ndarray:
    """beta F + e per (path, year), from revenue = plan x exp(beta F + e)."""
    revenue = kept[REVENUE]
    assert np.all(revenue > 0)
    return np.asarray(np.log(revenue / plan))


@pytest.mark.parametrize(("seed", "first_path"), CASES)
def test_demand_factor_follows_the_documented_counters(seed: int, first_path: int) -> None:
    plan, beta, sigma, phi = 2.0, 0.75, 0.3, 0.6
    sc = flat_scenario(
        {"core": {"revenue": plan, "inference_cost_ratio": 0.0, "demand_beta": beta}},
        factor_volatility=sigma,
        factor_persistence=phi,
    )
    factor = recovered_shock(run(sc, seed, first_path), plan) / beta

    def factor_from(normal: int) -> np.ndarray:
        """The AR(1) driven by normal `normal` (0 or 1) of block 0's pair."""
        return ar1_paths(
            lambda p, n: box_muller(*world_block(seed, first_path + p, n, 0)[2:])[normal],
            N_PATHS,
            phi,
            sigma,
        )

    expected = factor_from(0)
    assert factor.shape == expected.shape == (N_PATHS, 10)
    np.testing.assert_allclose(factor, expected, rtol=0, atol=1e-12)
    # Not the second normal of the pair (segment 0's), nor the raise word.
    second = factor_from(1)
    assert np.all(np.abs(factor - second).max(axis=1) > 1e-6)
    assert factor.std() > 0.2


N_SEGMENTS = 6  # block 0 (segment 0), block 1 (segments 1-4), block 2 (segment 5)


@pytest.mark.parametrize("segment", range(N_SEGMENTS))
def test_segment_deviation_follows_the_documented_counters(segment: int) -> None:
    # Six segments; only `segment` has revenue and volatility, so total revenue
    # is its revenue (the others add exactly 0). All six are drawn either way.
    seed, first_path = CASES[1]
    plan, sigma, phi, n_paths = 1.5, 0.25, 0.5, 100
    segments = {
        f"s{i}": {
            "revenue": plan if i == segment else 0.0,
            "inference_cost_ratio": 0.0,
            "volatility": sigma if i == segment else 0.0,
            "persistence": phi,
        }
        for i in range(N_SEGMENTS)
    }
    sc = flat_scenario(segments, factor_volatility=0.0, factor_persistence=0.8)
    deviation = recovered_shock(run(sc, seed, first_path, n_paths), plan)
    expected = ar1_paths(
        lambda p, n: segment_normal(seed, first_path + p, n, segment), n_paths, phi, sigma
    )
    np.testing.assert_allclose(deviation, expected, rtol=0, atol=1e-12)
    # Each segment has its own normals: the neighbouring slot does not fit.
    other = (segment + 1) % N_SEGMENTS
    neighbour = ar1_paths(
        lambda p, n: segment_normal(seed, first_path + p, n, other), n_paths, phi, sigma
    )
    assert np.all(np.abs(deviation - neighbour).max(axis=1) > 1e-6)


def test_documented_bounds_of_the_uniforms_and_normals() -> None:
    # (w + 1/2) 2^-32 lies in [2^-33, 1 - 2^-33] (exact in a double), so
    # |z| <= sqrt(-2 ln 2^-33) = sqrt(66 ln 2) ~ 6.76, reached at w1 = 0, w2 = 0;
    # a standard normal is beyond that with probability ~1.3e-11 (docs §19).
    assert uniform32(0) == 2.0**-33
    assert uniform32(M32) == 1.0 - 2.0**-33 < 1.0
    z_max = math.sqrt(-2.0 * math.log(2.0**-33))
    assert 6.763 < z_max < 6.764
    assert box_muller(0, 0)[0] == z_max
    assert 1.3e-11 < math.erfc(z_max / math.sqrt(2.0)) < 1.4e-11
