"""What makes a small call cheap changes no result: a simulation's tables
decoded when first read, the world's transition root cached, BLAS limited
through one cached controller."""

from __future__ import annotations

import dataclasses
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

import wager
from wager.compile.world import step_transition
from wager.kernel.execution import one_blas_thread

TABLES = (
    "annual",
    "distress_probability",
    "profit_probability",
    "distress_year",
    "first_profit_year",
    "outcomes",
    "risk",
    "paths",
)


def _simulate(**kw: object) -> wager.Simulation:
    return wager.simulate(
        wager.presets.load("compute_first"), n_paths=500, seed=7, progress=False, **kw
    )


def test_tables_are_decoded_when_first_read_and_kept() -> None:
    sim = _simulate()
    assert not set(TABLES) & set(vars(sim))  # nothing decoded by the call itself
    first = sim.annual
    assert sim.annual is first
    assert "annual" in vars(sim)
    assert "risk" not in vars(sim)
    assert isinstance(sim.risk, pd.DataFrame)
    assert sim.paths is None


def test_tables_are_the_same_whatever_order_they_are_read_in() -> None:
    a, b = _simulate(keep_paths=True), _simulate(keep_paths=True)
    for name in reversed(TABLES[:-1]):
        b_table = getattr(b, name)
        assert isinstance(b_table, pd.DataFrame)
    for name in TABLES[:-1]:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.paths is not None and b.paths is not None
    np.testing.assert_array_equal(a.paths.annual["cash"], b.paths.annual["cash"])
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame(), check_exact=True)


def test_a_simulation_stays_a_frozen_dataclass_that_pickles() -> None:
    sim = _simulate()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sim.n_paths = 3  # type: ignore[misc]
    names = {f.name for f in dataclasses.fields(sim)}
    assert {"scenario", "n_paths", "seed", "quantiles", "raw"} <= names
    assert "raw=" not in repr(sim)  # the core's arrays stay out of the repr
    before = pickle.loads(pickle.dumps(sim))
    pd.testing.assert_frame_equal(before.outcomes, sim.outcomes, check_exact=True)
    after = pickle.loads(pickle.dumps(sim))  # with the tables decoded
    pd.testing.assert_frame_equal(after.risk, sim.risk, check_exact=True)


def test_a_comparison_cell_decodes_like_a_simulation() -> None:
    cf, pr = wager.presets.load("compute_first"), wager.presets.load("profitability")
    c = wager.compare(cf, pr, n_paths=500, seed=7, progress=False)
    alone = _simulate()
    pd.testing.assert_frame_equal(
        c.simulation("compute_first").annual, alone.annual, check_exact=True
    )


def test_the_transition_root_is_cached_and_handed_out_as_a_copy() -> None:
    yearly = np.array([[0.9, 0.1], [0.3, 0.7]])
    first = step_transition(yearly, 4)
    first[0, 0] = -1.0  # the caller's copy only
    again = step_transition(yearly.copy(), 4)
    assert again[0, 0] != -1.0
    np.testing.assert_allclose(np.linalg.matrix_power(again, 4), yearly, atol=1e-12)
    other = step_transition(np.array([[0.5, 0.5], [0.3, 0.7]]), 4)
    assert not np.array_equal(other, again)
    assert not np.shares_memory(step_transition(yearly, 4), step_transition(yearly, 4))


def test_a_root_that_does_not_exist_is_refused_every_time() -> None:
    periodic = np.array([[0.0, 1.0], [1.0, 0.0]])
    for _ in range(2):
        with pytest.raises(wager.ScenarioError):
            step_transition(periodic, 4)


def test_one_blas_thread_limits_blas_and_restores_it() -> None:
    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    with one_blas_thread():
        assert all(n == 1 for n in blas_threads())
    assert blas_threads() == before


def test_the_range_warning_still_comes_from_the_call() -> None:
    d = wager.presets.load("compute_first").model_dump()
    for seg in d["segments"].values():
        seg["volatility"] = 5.0
        seg["persistence"] = 1.0
    d["market"]["demand_factor"] = {"volatility": 5.0, "persistence": 1.0}
    sc = wager.Scenario.model_validate(d)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sim = wager.simulate(sc, n_paths=500, seed=1, progress=False)
    assert any("values beyond" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(sim.annual["mean"].to_numpy()).all()  # no second warning


def test_a_stress_grid_decodes_its_table_when_first_read() -> None:
    cf = wager.presets.load("compute_first")
    grid = wager.stress(cf, ["baseline", "compute_glut"], n_paths=300, seed=3, progress=False)
    assert "table" not in vars(grid)
    shares = grid.p_distress_by(2030)  # reads the counts, not the table
    assert "table" not in vars(grid)
    assert grid.table is grid.table
    assert list(shares.index) == list(grid.table.index)
    assert shares.index.names == grid.table.index.names
