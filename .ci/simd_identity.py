"""Every SIMD version of the core gives the same bits.

The core compiles its hot loops for AVX-512, AVX2 and the baseline and picks
one at load time. CI builds a second module with only the baseline
(``-DWAGER_NO_SIMD_CLONES``); this script runs the same simulations and
projections with a given module and saves every number, or compares two
such files bit for bit.

``tests/data/identity_reference.npz`` is this dump of the code as it was
before the issue-12 restructuring (2026-12-05), with the ``many_inputs``
section added after it (the same code's results; the other arrays
unchanged), and each strategy's ``exposure`` sums added with the
suppliers' exposure (docs/model.md §28; their bounds, exposure, loss and
loss by year of distress, which every section dumps with the rest of the
core's results): CI compares every build with it, so a refactoring that
changes one bit fails. A change meant to change results regenerates it in its own
commit, saying why (CHANGELOG.md).

Usage: ``python .ci/simd_identity.py dump MODULE.so OUT.npz [compressed]`` then
``python .ci/simd_identity.py compare A.npz B.npz``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np


def _load_core(path: str) -> None:
    spec = importlib.util.spec_from_file_location("wager._core", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["wager._core"] = module
    spec.loader.exec_module(module)


def _flatten(prefix: str, value: Any, out: dict[str, np.ndarray]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    elif isinstance(value, list | tuple) and value and not np.isscalar(value[0]):
        for i, v in enumerate(value):
            _flatten(f"{prefix}[{i}]", v, out)
    else:
        arr = np.asarray(value)
        if arr.dtype == object:  # 128-bit sums come back as Python ints
            arr = np.array([str(x) for x in arr.ravel()])
        out[prefix] = arr


def dump(module_path: str, out_path: str) -> None:
    _load_core(module_path)
    import wager
    from wager import _core
    from wager.compile.prepared import prepare_strategy
    from wager.compile.run_config import simulation_config

    arrays: dict[str, np.ndarray] = {}
    strategies = []
    for name in ("profitability", "compute_first"):
        d = wager.presets.load(name).model_dump(exclude_none=True)
        d["market"]["demand_factor"] = {"volatility": 0.25, "persistence": 0.8}
        for seg in d["segments"].values():
            seg["volatility"] = 0.2
            seg["persistence"] = 0.8
        sc = wager.Scenario.model_validate(d)
        strategies.append(prepare_strategy(sc))
        annual = wager.project(sc).annual
        for var in annual.select_dtypes("number").columns:
            arrays[f"project.{name}.{var}"] = annual[var].to_numpy(dtype=float)
    cfg = simulation_config(strategies, n_paths=3001, seed=11, n_threads=2, keep_paths=True)
    _flatten("simulate", _core.simulate(cfg, None, 1000), arrays)
    # Stressed: the library's telecom replay (dated shocks) and a freeze
    # triggered by the bust (paths one by one), in one call.
    from wager.compile.shocks import core_shocks

    freeze = wager.Stress.model_validate(
        {
            "name": "freeze_on_bust",
            "shocks": [
                {
                    "target": "market.regimes.*.raise_success",
                    "op": "set",
                    "value": 0.0,
                    "trigger": {"regime": "bust"},
                    "duration": 2,
                }
            ],
        }
    )
    stressed = [
        st.stressed(core_shocks(stress, st.scenario, 1.0))
        for st in strategies
        for stress in ("telecom_2001", freeze)
    ]
    cfg = simulation_config(stressed, n_paths=1001, seed=12, n_threads=2, keep_paths=True)
    _flatten("stressed", _core.simulate(cfg, None, 500), arrays)
    # Dated stresses on the presets as shipped (their uncertain inputs): the
    # lanes on the shared, shocked model, applying the shocks on what their
    # inputs move themselves (price war, cost overrun; shocks_fit_lane_inputs).
    shipped = [prepare_strategy(wager.presets.load(n)) for n in ("profitability", "compute_first")]
    dated = [
        st.stressed(core_shocks(stress, st.scenario, 1.0))
        for st in shipped
        for stress in ("funding_freeze", "price_war", "inference_cost_overrun")
    ]
    cfg = simulation_config(dated, n_paths=1001, seed=15, n_threads=2, keep_paths=True)
    _flatten("dated_on_inputs", _core.simulate(cfg, None, 500), arrays)
    # The freeze triggered by the bust on the presets as shipped: the lanes
    # take their inputs directly and select the window's tables.
    window = [st.stressed(core_shocks(freeze, st.scenario, 1.0)) for st in shipped]
    cfg = simulation_config(window, n_paths=1001, seed=16, n_threads=2, keep_paths=True)
    _flatten("window_on_inputs", _core.simulate(cfg, None, 500), arrays)
    # A supplier's failure (op 'fail'): the estate's decision per lane, and
    # spot found at the lead time (docs/model.md §5).
    failed = [
        st.stressed(core_shocks("counterparty_default", st.scenario, 1.0)) for st in strategies
    ]
    cfg = simulation_config(failed, n_paths=1001, seed=13, n_threads=2, keep_paths=True)
    _flatten("failed", _core.simulate(cfg, None, 500), arrays)
    # Paired: the presets side by side (path-by-path differences), and two
    # correlated uncertain inputs (each path its own parameters).
    uncertain = strategies[0].scenario.model_dump(exclude_none=True)
    uncertain["name"] = "profitability_uncertain"
    uncertain["financing"]["initial_cash"] = {"dist": "uniform", "min": 5.0, "max": 25.0}
    uncertain["tax"] = {"rate": {"dist": "pert", "min": 0.1, "mode": 0.21, "max": 0.3}}
    uncertain["uncertainty"] = {
        "inputs": ["financing.initial_cash", "tax.rate"],
        "correlation": [[1.0, 0.5], [0.5, 1.0]],
    }
    paired = [*strategies, prepare_strategy(wager.Scenario.model_validate(uncertain))]
    cfg = simulation_config(
        paired, n_paths=2001, seed=13, n_threads=2, keep_paths=False, pairs=[(0, 1), (0, 2)]
    )
    _flatten("paired", _core.simulate_paired(cfg, None, 700), arrays)
    # Many inputs: the benchmark's thirteen uncertain inputs of six families
    # with two correlations (benchmarks/scenarios/compute_first_ten_inputs.toml),
    # alone and under the freeze triggered by the bust: the work whose paths
    # each have their own parameters (issue 13).
    root = Path(__file__).resolve().parents[1]
    many = prepare_strategy(
        wager.load_scenario(root / "benchmarks" / "scenarios" / "compute_first_ten_inputs.toml")
    )
    cells = [many, many.stressed(core_shocks(freeze, many.scenario, 1.0))]
    cfg = simulation_config(cells, n_paths=1001, seed=14, n_threads=2, keep_paths=False)
    _flatten("many_inputs", _core.simulate(cfg, None, 300), arrays)
    # Contagion (docs/model.md §25): the library's funding drought and a
    # year of bust, both started by compute_first's distress, on the presets
    # as shipped, paired; compute_first runs first on each path.
    from wager.compile.contagion import link_contagion

    spread = wager.Stress.model_validate(
        {
            "name": "spread_with_bust",
            "includes": ["compute_first_contagion"],
            "shocks": [
                {
                    "target": "market.regime",
                    "op": "set",
                    "value": "bust",
                    "duration": 1,
                    "trigger": {"distress": "compute_first"},
                }
            ],
        }
    )
    linked = link_contagion(
        {
            (st.scenario.name, "x"): st.stressed(core_shocks(spread, st.scenario, 1.0))
            for st in shipped
        }
    )
    cfg = simulation_config(
        list(linked.values()), n_paths=1001, seed=17, n_threads=2, keep_paths=True, pairs=[(0, 1)]
    )
    _flatten("contagion", _core.simulate_paired(cfg, None, 500), arrays)
    if out_path.endswith(".npz") and "compressed" in sys.argv:
        np.savez_compressed(out_path, **arrays)  # type: ignore[arg-type]
    else:
        np.savez(out_path, **arrays)  # type: ignore[arg-type]
    print(f"{module_path}: {len(arrays)} arrays, simd level {_core.simd_level()}")


def compare(a_path: str, b_path: str) -> None:
    a, b = np.load(a_path), np.load(b_path)
    assert sorted(a.files) == sorted(b.files), "different outputs"
    for k in a.files:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)
    print(f"{len(a.files)} arrays identical bit for bit")


if __name__ == "__main__":
    if sys.argv[1] == "dump":
        dump(sys.argv[2], sys.argv[3])
    else:
        compare(sys.argv[2], sys.argv[3])
