"""The dicts the core reads: one typed definition on the Python side
(``wager.kernel.contract``), key checks on the C++ side.

Every dict the compile layer builds has exactly the keys of its TypedDict,
at every level; the core refuses a dict with a key missing or unknown,
naming the key and where it is.
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any

import pytest

import wager
from wager import _core
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.compile.shocks import core_shocks
from wager.compile.uncertainty import central_scenario
from wager.kernel import contract


def _check_shape(value: Any, hint: Any, where: str) -> int:
    """Assert ``value`` has exactly the keys of TypedDict ``hint`` (recursively);
    return how many dicts were checked."""
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(hint)
        # Every required key, and no key the TypedDict does not name (a
        # NotRequired one is Python's own: ShockDict.trigger_bet, which the
        # core refuses and compile.contagion removes).
        required = set(hint.__required_keys__)
        assert required <= set(value) <= set(hints), (
            f"{where}: keys {sorted(set(value) ^ required)} differ from {hint.__name__}"
        )
        assert not set(value) - required, f"{where}: Python's own keys reach the core"
        return 1 + sum(
            _check_shape(value[k], h, f"{where}.{k}") for k, h in hints.items() if k in value
        )
    if origin is list:
        (item,) = typing.get_args(hint)
        return sum(_check_shape(v, item, f"{where}[{i}]") for i, v in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        return 0
    return 0


@pytest.fixture(scope="module")
def config() -> contract.ConfigDict:
    strategies = []
    for name in ("profitability", "compute_first"):
        sc = wager.presets.load(name)
        st = prepare_strategy(sc).stressed(core_shocks("ai_bubble_burst", sc, 1.0))
        strategies.append(st)
    return simulation_config(
        strategies, n_paths=64, seed=1, n_threads=1, keep_paths=False, pairs=[(0, 1)]
    )


def test_every_dict_python_builds_has_exactly_its_typed_keys(config: contract.ConfigDict) -> None:
    checked = _check_shape(config, contract.ConfigDict, "config")
    # config, world, histogram, and per strategy: strategy, model, 2 segments
    # or more, 3 regimes, 4 cost lines, equity, management, and its shocks.
    assert checked > 2 * (1 + 1 + 3 + 4 + 2)
    assert config["strategies"][0]["shocks"], "the stress gave shocks to check"


def test_a_design_row_strategy_has_its_typed_keys() -> None:
    # The preset at its medians: the tax rate its one uncertain input.
    d = central_scenario(wager.presets.load("profitability")).model_dump(exclude_none=True)
    d["tax"] = {"rate": {"dist": "uniform", "min": 0.1, "max": 0.3}}
    st = prepare_strategy(wager.Scenario.model_validate(d))
    import numpy as np

    rows = st.with_input_rows(np.array([[0.2], [0.25]]), 32)
    cfg = simulation_config([rows], n_paths=64, seed=0, n_threads=1, keep_paths=False)
    _check_shape(cfg, contract.ConfigDict, "config")
    assert cfg["strategies"][0]["inputs"][0]["distribution"]["kind"]


def test_the_core_runs_the_python_dicts(config: contract.ConfigDict) -> None:
    out = _core.simulate_paired(config, None, 64)
    assert [r["n_paths"] for r in out["strategies"]] == [64, 64]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.pop("seed"), r"^config: missing key 'seed'"),
        (lambda c: c.update(sead=1), r"^config: unknown key 'sead'"),
        (lambda c: c["world"].pop("pinned"), r"^config\.world: missing key 'pinned'"),
        (
            lambda c: c["strategies"][1]["model"]["segments"][0].update(volatilty=0.2),
            r"^config\.strategies\[1\]\.model\.segments\[0\]: unknown key 'volatilty'",
        ),
        (
            lambda c: c["strategies"][0]["model"]["regimes"][2].pop("credit_spread"),
            r"^config\.strategies\[0\]\.model\.regimes\[2\]: missing key 'credit_spread'",
        ),
        (
            lambda c: c["strategies"][0]["model"]["staff"].pop("fixed"),
            r"^config\.strategies\[0\]\.model\.staff: missing key 'fixed'",
        ),
        (
            lambda c: c["strategies"][0]["shocks"][0].update(sevrity=1.0),
            r"^config\.strategies\[0\]\.shocks\[0\]: unknown key 'sevrity'",
        ),
        (lambda c: c["histogram"].pop("n_bins"), r"^config\.histogram: missing key 'n_bins'"),
    ],
)
def test_the_core_refuses_a_missing_or_unknown_key_naming_it(
    config: contract.ConfigDict, edit: Any, message: str
) -> None:
    bad = copy.deepcopy(config)
    edit(bad)
    with pytest.raises(_core.InputError, match=message):
        _core.simulate_paired(bad, None, 64)


def test_the_projection_refuses_a_bad_model_key_too(config: contract.ConfigDict) -> None:
    model = copy.deepcopy(config["strategies"][0]["model"])
    model["equity"]["max_dillution"] = 0.2  # type: ignore[typeddict-unknown-key]
    with pytest.raises(_core.InputError, match=r"equity: unknown key 'max_dillution'"):
        _core.project(model, [], False, [])
