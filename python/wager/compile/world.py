"""The shared world of a simulation: the regime chain and the demand factor.

Every strategy simulated in one call sees the same world path by path, so
their difference is measured on paired paths (common random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from wager.kernel import core
from wager.kernel.contract import WorldDict
from wager.scenario.errors import ScenarioError
from wager.scenario.schema import Market, Scenario

__all__ = ["step_transition", "world_dict"]

_FIELD = "market.transition"


def step_transition(yearly: np.ndarray, steps_per_year: int, source: str = _FIELD) -> np.ndarray:
    """The per-step transition matrix P such that P^k equals the yearly one.

    The core computes it (``wager::per_step_transition``, docs/model.md §18):
    the principal real k-th root, entries in [-1e-10, 0) set to 0 and rows
    renormalised.

    Parameters
    ----------
    yearly
        Row-stochastic yearly matrix.
    steps_per_year
        k.
    source
        What a refusal names (the field, by default).

    Returns
    -------
    numpy.ndarray
        The per-step matrix, a copy the caller may change.

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
    # computed once per matrix and step, a copy handed out.
    return _root(yearly.tobytes(), yearly.shape, steps_per_year, source).copy()


@lru_cache(maxsize=64)
def _root(
    yearly_bytes: bytes, shape: tuple[int, ...], steps_per_year: int, source: str
) -> np.ndarray:
    """:func:`step_transition` of a matrix given as its bytes (a cache key)."""
    yearly = np.frombuffer(yearly_bytes, dtype=float).reshape(shape)
    try:
        root = core.per_step_transition(yearly, steps_per_year)
    except core.InputError as error:
        # "market.transition: <reason>", or "market.transition.<row>...: <reason>"
        # for a matrix the scenario's own checks would have refused first.
        field, _, reason = str(error).partition(": ")
        raise ScenarioError(source, [(field.removeprefix(_FIELD).lstrip("."), reason)]) from None
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
