"""The shared world of a simulation: the regime chain and the demand factor.

Every strategy simulated in one call sees the same world path by path, so
their difference is measured on paired paths (common random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import linalg

from wager.kernel.contract import WorldDict
from wager.kernel.execution import one_blas_thread
from wager.scenario.errors import ScenarioError
from wager.scenario.schema import Market, Scenario

__all__ = ["step_transition", "world_dict"]

_TOL = 1e-10


def step_transition(
    yearly: np.ndarray, steps_per_year: int, source: str = "market.transition"
) -> np.ndarray:
    """The per-step transition matrix P such that P^k equals the yearly one.

    Parameters
    ----------
    yearly
        Row-stochastic yearly matrix.
    steps_per_year
        k.

    Raises
    ------
    ScenarioError
        When no stochastic k-th root exists (the chain cannot be embedded in
        steps of 1/k year): say so rather than approximate.
    """
    if steps_per_year == 1:
        return yearly.copy()
    yearly = np.ascontiguousarray(yearly, dtype=float)
    # Each call of a sweep or a notebook asks again for the same root:
    # computed once per matrix and step (milliseconds each), a copy handed out.
    return _root(yearly.tobytes(), yearly.shape, steps_per_year, source).copy()


@lru_cache(maxsize=64)
def _root(
    yearly_bytes: bytes, shape: tuple[int, ...], steps_per_year: int, source: str
) -> np.ndarray:
    """:func:`step_transition` of a matrix given as its bytes (a cache key)."""
    yearly = np.frombuffer(yearly_bytes, dtype=float).reshape(shape)
    # A small matrix gains nothing from BLAS threads, and BLAS threads left
    # spinning after it take cores from the kernel's.
    with one_blas_thread():
        root = linalg.fractional_matrix_power(yearly, 1.0 / steps_per_year)
    if np.max(np.abs(np.imag(root))) > _TOL:
        raise ScenarioError(
            source, [("", f"has no real {steps_per_year}-th root per step; use steps_per_year = 1")]
        )
    root = np.real(root)
    if root.min() < -_TOL:
        raise ScenarioError(
            source,
            [
                (
                    "",
                    f"its {steps_per_year}-th root has negative entries ({root.min():.2g}): "
                    "no chain with this step has these yearly transitions; use steps_per_year = 1",
                )
            ],
        )
    root = np.clip(root, 0.0, None)
    root /= root.sum(axis=1, keepdims=True)
    root.flags.writeable = False
    return root


def _matrix(market: Market) -> np.ndarray:
    names = list(market.regimes)
    return np.array([[market.transition[a].get(b, 0.0) for b in names] for a in names], dtype=float)


def world_dict(scenarios: Sequence[Scenario]) -> WorldDict:
    """The world the core reads, from the first scenario's market.

    Every scenario in one call must describe the same world: the same regime
    names, transition matrix, pinned years and demand factor.
    """
    first = scenarios[0]
    m = first.market
    for other in scenarios[1:]:
        o = other.market
        same = (
            list(o.regimes) == list(m.regimes)
            and o.transition == m.transition
            and o.path == m.path
            and o.initial == m.initial
            and o.demand_factor == m.demand_factor
        )
        if not same:
            raise ScenarioError(
                other.name,
                [
                    (
                        "market",
                        f"differs from {first.name}'s: strategies compared in one call share "
                        "one world (regime names, transition, initial, path and demand factor)",
                    )
                ],
            )
    t = first.time
    yearly = _matrix(m)
    moves = not np.allclose(yearly, np.eye(len(yearly)), atol=0.0)
    per_step = step_transition(yearly, t.steps_per_year) if moves else np.zeros((0, 0))
    names = list(m.regimes)
    pinned: list[int] = []
    for year in t.years:
        r = names.index(m.path[year]) if year in m.path else -1
        pinned.extend([r] * t.steps_per_year)
    return {
        "initial_regime": names.index(m.initial),
        "n_regimes": len(names),
        "step_transition": per_step.ravel().tolist(),
        "pinned": pinned,
        "factor_volatility": m.demand_factor.volatility,
        "factor_persistence": m.demand_factor.persistence,
    }
