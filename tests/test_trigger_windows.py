"""Triggered shocks that share one window run without a model per timing.

When a stress's triggered shocks share one trigger, one duration and a step
shape (docs/model.md §25), a path's model at a step is either the unshocked
one or the one with every triggered shock at full weight, by whether the
step is inside the path's window. The core then selects between two models
per lane instead of preparing one model per trigger timing, and runs the
shared step when only the regimes' tables move (issue 13). A shock that
changes no value but has another duration breaks the shared window and
forces the model per timing: both must give the same bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import wager
from wager import _core
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.compile.shocks import core_shocks
from wager.kernel import layout

N_PATHS = 300
BUST = {"regime": "bust"}


def _stress(shocks: list[dict[str, Any]]) -> wager.Stress:
    return wager.Stress.model_validate({"name": "windowed", "shocks": shocks})


#: Shocks that share a window, by what they move: the regimes' tables only
#: (the shared step), and also step fields of the model (a select per lane).
WINDOWED = {
    "regime_tables": [
        {
            "target": "market.regimes.*.raise_success",
            "op": "set",
            "value": 0.0,
            "trigger": BUST,
            "duration": 2,
        },
        {
            "target": "market.regimes.*.valuation_multiple",
            "op": "scale",
            "value": 0.5,
            "trigger": BUST,
            "duration": 2,
        },
    ],
    "step_fields": [
        {
            "target": "segments.*.revenue",
            "op": "scale",
            "value": 0.6,
            "trigger": BUST,
            "duration": 1.5,
        },
        {
            "target": "market.regimes.*.demand_growth",
            "op": "add",
            "value": -0.2,
            "trigger": BUST,
            "duration": 1.5,
        },
        {
            "target": "financing.debt.rate",
            "op": "add",
            "value": 0.03,
            "trigger": BUST,
            "duration": 1.5,
        },
    ],
}

#: Changes no value (a scale by exactly 1) but lasts another time: the
#: shocks no longer share a window, so each trigger timing gets its model.
NO_OP = {
    "target": "market.regimes.*.spot_price",
    "op": "scale",
    "value": 1.0,
    "trigger": BUST,
    "duration": 0.5,
}


def _run(shocks: list[dict[str, Any]], preset: str = "compute_first") -> dict[str, Any]:
    st = prepare_strategy(wager.presets.load(preset))
    stressed = st.stressed(core_shocks(_stress(shocks), st.scenario, 1.0))
    cfg = simulation_config([stressed], n_paths=N_PATHS, seed=5, n_threads=2, keep_paths=True)
    return _core.simulate(cfg)[0]


def _flat(x: Any, prefix: str = "") -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if isinstance(x, dict):
        for k, v in x.items():
            out.update(_flat(v, f"{prefix}.{k}"))
    elif isinstance(x, list | tuple):
        for i, v in enumerate(x):
            out.update(_flat(v, f"{prefix}[{i}]"))
    else:
        arr = np.asarray(x)
        if arr.dtype.kind in "fiub":
            out[prefix] = arr
    return out


@pytest.mark.parametrize("kind", sorted(WINDOWED))
@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_a_shared_window_gives_the_bits_of_a_model_per_timing(kind: str, preset: str) -> None:
    windowed = _flat(_run(WINDOWED[kind], preset))
    per_timing = _flat(_run([*WINDOWED[kind], NO_OP], preset))
    assert windowed.keys() == per_timing.keys()
    for key, value in windowed.items():
        np.testing.assert_array_equal(value, per_timing[key], err_msg=key)


@pytest.mark.parametrize("kind", sorted(WINDOWED))
def test_the_window_moves_the_paths_it_should(kind: str) -> None:
    # Not vacuous: the shocks change the paths that enter bust, and a path
    # that never does keeps its unstressed bits.
    cash = layout.KEPT_VARIABLES.index("cash")
    stressed = np.asarray(_run(WINDOWED[kind])["kept"][cash])
    plain = np.asarray(_run([])["kept"][cash])
    changed = np.any(stressed != plain, axis=1)
    assert 0 < changed.sum() < len(changed)
