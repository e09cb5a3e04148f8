"""The core's own exp, log and sine/cosine against NumPy's (glibc's) values.

They exist so that the kernel inlines them and gives the same bits on every
machine; they must stay within a few ulp of the correctly rounded result.
"""

from __future__ import annotations

import numpy as np

from wager import _core


def _ulps(got: np.ndarray, ref: np.ndarray) -> float:
    return float(np.max(np.abs(got - ref) / np.spacing(np.abs(ref))))


def test_exp_within_two_ulp() -> None:
    rng = np.random.default_rng(1)
    x = np.concatenate(
        [
            rng.uniform(-700, 700, 200_000),
            rng.uniform(-1, 1, 200_000),
            rng.uniform(-1e-9, 1e-9, 1_000),
            np.array([0.0, 1.0, -1.0, 709.0, -700.0]),
        ]
    )
    assert _ulps(_core.math_exp(x), np.exp(x)) <= 2
    assert _core.math_exp(np.array([0.0]))[0] == 1.0


def test_exp_limits() -> None:
    out = _core.math_exp(np.array([-800.0, 800.0, np.nan, -745.1]))
    assert out[0] == 0.0 and out[1] == np.inf and np.isnan(out[2])
    assert 0 <= out[3] <= 5e-324


def test_log_within_two_ulp() -> None:
    rng = np.random.default_rng(2)
    y = np.concatenate(
        [
            np.exp(rng.uniform(-700, 700, 200_000)),
            rng.uniform(0.5, 2.0, 200_000),
            1.0 + rng.uniform(-1e-9, 1e-9, 1_000),
            np.array([2.0**-53, 1e-310, 5e-324, 2.0, 10.0]),
        ]
    )
    ref = np.log(y)
    nonzero = ref != 0
    assert _ulps(_core.math_log(y)[nonzero], ref[nonzero]) <= 2
    assert _core.math_log(np.array([1.0]))[0] == 0.0
    edge = _core.math_log(np.array([0.0, -1.0, np.inf]))
    assert edge[0] == -np.inf and np.isnan(edge[1]) and edge[2] == np.inf


def test_sine_and_cosine_of_a_turn() -> None:
    rng = np.random.default_rng(3)
    u = np.concatenate([rng.uniform(0, 1, 400_000), np.arange(16) / 16])
    # NumPy's reference rounds 2 pi u first (an error up to ~4e-16 in the
    # angle); the core reduces the turn exactly. Compare absolutely.
    np.testing.assert_allclose(_core.math_sin_turns(u), np.sin(2 * np.pi * u), rtol=0, atol=1.5e-15)
    np.testing.assert_allclose(_core.math_cos_turns(u), np.cos(2 * np.pi * u), rtol=0, atol=1.5e-15)
    # Exact at the quarter turns.
    q = _core.math_sin_turns(np.array([0.0, 0.25, 0.5, 0.75]))
    np.testing.assert_array_equal(q, [0.0, 1.0, 0.0, -1.0])
    s, c = _core.math_sin_turns(u), _core.math_cos_turns(u)
    np.testing.assert_allclose(s * s + c * c, 1.0, rtol=0, atol=6.7e-16)  # 3 ulp of 1
