"""A path's results do not depend on the block it runs in.

A path with its own parameters (uncertain inputs, triggered shocks) gives
the same bits simulated alone (``first_path``, one path) and inside a full
run, whatever block and neighbours it runs with: the guard for running such
paths in SIMD blocks of 32 lanes (issue 13).
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

N_PATHS = 200
PATHS = (0, 1, 31, 32, 45, 63, 64, 130, 199)


def _noisy(d: dict[str, Any]) -> dict[str, Any]:
    d["market"]["demand_factor"] = {"volatility": 0.25, "persistence": 0.8}
    for seg in d["segments"].values():
        seg["volatility"] = 0.2
    return d


def _uncertain() -> Any:
    d = _noisy(wager.presets.load("compute_first").model_dump(exclude_none=True))
    seg = d["segments"]
    seg["consumer"]["price_change"] = {"dist": "pert", "min": -0.1, "mode": 0.0, "max": 0.05}
    seg["enterprise"]["price_change"] = {"dist": "normal", "mean": 0.0, "sd": 0.03}
    seg["ventures"]["demand_beta"] = {"dist": "uniform", "min": 0.8, "max": 1.2}
    d["financing"]["initial_cash"] = {"dist": "lognormal", "low": 8, "high": 14}
    d["tax"]["rate"] = {"dist": "triangular", "min": 0.15, "mode": 0.21, "max": 0.28}
    d["distress"]["management"]["penalty"] = {"dist": "pert", "min": 0.1, "mode": 0.3, "max": 0.5}
    d["financing"]["debt"]["rate"] = {"dist": "student_t", "df": 5, "loc": 0.06, "scale": 0.01}
    d["compute"]["depreciation_life"] = {"dist": "triangular", "min": 4, "mode": 6, "max": 7}
    # Parameters of each part a lane's scoped refresh recomputes: a segment's
    # AR(1), a tranche, a regime table.
    seg["consumer"]["volatility"] = {"dist": "uniform", "min": 0.1, "max": 0.3}
    d["financing"]["tranches"][2]["amount"] = {"dist": "normal", "mean": 10.0, "sd": 2.0}
    d["market"]["regimes"]["bust"]["spot_price"] = {"dist": "uniform", "min": 0.2, "max": 0.3}
    d["uncertainty"] = {
        "inputs": ["financing.initial_cash", "tax.rate"],
        "correlation": [[1.0, 0.5], [0.5, 1.0]],
    }
    return prepare_strategy(wager.Scenario.model_validate(d))


def _freeze() -> wager.Stress:
    return wager.Stress.model_validate(
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


def _triggered() -> Any:
    sc = wager.Scenario.model_validate(
        _noisy(wager.presets.load("compute_first").model_dump(exclude_none=True))
    )
    st = prepare_strategy(sc)
    return st.stressed(core_shocks(_freeze(), st.scenario, 1.0))


def _uncertain_and_triggered() -> Any:
    st = _uncertain()
    return st.stressed(core_shocks(_freeze(), st.scenario, 1.0))


@pytest.mark.parametrize(
    "make", [_uncertain, _triggered, _uncertain_and_triggered], ids=["inputs", "trigger", "both"]
)
def test_a_path_alone_equals_the_path_in_a_full_run(make: Any) -> None:
    st = make()
    whole = _core.simulate(
        simulation_config([st], n_paths=N_PATHS, seed=21, n_threads=2, keep_paths=True)
    )[0]
    for p in PATHS:
        alone = _core.simulate(
            simulation_config([st], n_paths=1, seed=21, n_threads=1, keep_paths=True, first_path=p)
        )[0]
        for a, b in zip(whole["kept"], alone["kept"], strict=True):
            np.testing.assert_array_equal(a[p : p + 1], b, err_msg=f"path {p}")


def _zero_shock() -> wager.Stress:
    # Scales every step of training, debt rate and a regime's spot price by
    # exactly 1 from a bust on: the values keep their bits, but a strategy
    # with triggered shocks in more than one window refreshes each lane's
    # model in full and loads every value every step (dated shocks, or one
    # window, can leave the lanes on the shared model: shocks_fit_lane_inputs).
    # Two durations: no shared window (shared_window) either.
    shocks = [
        {"target": t, "op": "scale", "value": 1.5, "trigger": {"regime": "bust"}, "duration": d}
        for t, d in (
            ("compute.training", 2.0),
            ("financing.debt.rate", 3.0),
            ("market.regimes.boom.spot_price", 3.0),
        )
    ]
    return wager.Stress.model_validate({"name": "zero", "shocks": shocks})


def test_scoped_refresh_equals_a_full_refresh() -> None:
    """A lane's model refreshed only where its inputs move it (no shocks)
    gives the bits of the full refresh (with a shock of severity 0)."""
    st = _uncertain()
    zero = st.stressed(core_shocks(_zero_shock(), st.scenario, 0.0))
    runs = [
        _core.simulate(simulation_config([s], n_paths=70, seed=5, n_threads=1, keep_paths=True))[0]
        for s in (st, zero)
    ]
    for a, b in zip(runs[0]["kept"], runs[1]["kept"], strict=True):
        np.testing.assert_array_equal(a, b)


def _direct_with_commitments() -> Any:
    # Inputs the lanes take directly (LaneInputs) and inputs on two
    # contracts' payments: each lane then also carries a model refreshed for
    # the commitments alone, which its claims and exposure are read from.
    d = wager.presets.load("compute_first").model_dump(exclude_none=True)
    d["segments"]["consumer"]["price_change"] = {"dist": "normal", "mean": 0.0, "sd": 0.03}
    d["financing"]["initial_cash"] = {"dist": "lognormal", "low": 8, "high": 14}
    d["market"]["regimes"]["normal"]["valuation_multiple"] = {
        "dist": "lognormal",
        "low": 20,
        "high": 60,
    }
    oracle, nvidia = d["compute"]["commitments"][0], d["compute"]["commitments"][4]
    oracle["schedule"][2028] = {"dist": "lognormal", "low": 30.0, "high": 60.0}
    nvidia["schedule"][2032] = {"dist": "pert", "min": 40.0, "mode": 60.0, "max": 70.0}
    return prepare_strategy(wager.Scenario.model_validate(d))


def _assert_same(a: Any, b: Any, where: str) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _assert_same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}[{i}]")
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def test_inputs_on_contracts_give_the_bits_of_a_model_per_lane() -> None:
    """Lanes that take their inputs directly and carry a model refreshed for
    the commitments alone give the bits of a full model per lane (forced by
    a shock of severity 0): every statistic, the kept paths, the distress
    claims and each supplier's exposure."""
    st = _direct_with_commitments()
    zero = st.stressed(core_shocks(_zero_shock(), st.scenario, 0.0))
    runs = [
        _core.simulate(simulation_config([s], n_paths=300, seed=9, n_threads=2, keep_paths=True))[0]
        for s in (st, zero)
    ]
    assert np.asarray(runs[0]["exposure"]["exposure"]["histogram"]).any()
    _assert_same(runs[0], runs[1], "result")


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_dated_stresses_on_uncertain_inputs_give_the_bits_of_a_model_per_lane(preset: str) -> None:
    """Every library stress on a preset with its uncertain inputs: where the
    stress leaves what the inputs move alone, the lanes stay on the shared,
    shocked model (shocks_clear_of_inputs); elsewhere each lane has its own.
    Either way the bits are those of a full model per lane (forced by a
    triggered shock of severity 0)."""
    sc = wager.presets.load(preset)
    st = prepare_strategy(sc)
    force = core_shocks(_zero_shock(), sc, 0.0)
    # Beside the library: shocks that push what the inputs move out of its
    # range (clipped), and one that changes within a year (a ramp: a model per lane).
    clipped = {
        "name": "clipped",
        "shocks": [
            {
                "target": "segments.*.inference_cost_ratio",
                "op": "add",
                "value": -1.0,
                "start": 2027,
                "duration": 2,
            },
            {
                "target": "segments.*.price_change",
                "op": "set",
                "value": -1.5,
                "start": 2029,
                "duration": 1,
            },
        ],
    }
    ramped = {
        "name": "ramped",
        "shocks": [
            *(
                {
                    "target": t,
                    "op": "scale",
                    "value": 0.5,
                    "shape": "ramp",
                    "ramp": 2,
                    "start": 2026,
                }
                for t in ("segments.*.revenue", "segments.*.inference_cost_ratio")
            ),
            {
                "target": "segments.*.price_change",
                "op": "add",
                "value": -0.4,
                "start": 2027,
                "duration": 1.5,
            },
        ],
    }
    halves = {
        "name": "halves",
        "shocks": [
            # Two half-years on a growth the inputs leave alone but whose
            # tables they vary: equal at two year starts, not in between.
            *(
                {
                    "target": "market.regimes.*.demand_growth",
                    "op": "add",
                    "value": -0.3,
                    "start": year,
                    "duration": 0.5,
                }
                for year in (2027, 2028)
            ),
        ],
    }
    extra = [wager.Stress.model_validate(d) for d in (clipped, ramped, halves)]
    for name in [*wager.stresses.one_bet_names(), *extra]:
        shocks = core_shocks(name, sc, 1.0)
        runs = [
            _core.simulate(
                simulation_config([s], n_paths=96, seed=3, n_threads=2, keep_paths=True)
            )[0]
            for s in (st.stressed(shocks), st.stressed(shocks + force))
        ]
        _assert_same(
            runs[0], runs[1], f"{preset} under {name if isinstance(name, str) else name.name}"
        )


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_a_triggered_window_beside_uncertain_inputs_gives_the_bits_of_a_model_per_lane(
    preset: str,
) -> None:
    """A freeze on raise success triggered by the bust, on a preset with its
    uncertain inputs (benchmarks' bust_freeze work): the lanes take their
    inputs directly and select the window's tables per lane; the bits are
    those of a full model per lane."""
    sc = wager.presets.load(preset)
    st = prepare_strategy(sc)
    freeze = core_shocks(_freeze(), sc, 1.0)
    runs = [
        _core.simulate(simulation_config([s], n_paths=200, seed=4, n_threads=2, keep_paths=True))[0]
        for s in (
            st.stressed(freeze),
            st.stressed(freeze + core_shocks(_zero_shock(), sc, 0.0)),
        )
    ]
    _assert_same(runs[0], runs[1], preset)
