"""The Dask backend gives the local run's answer bit for bit, whatever the
chunks and workers, survives a killed worker, and says what to install."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

import wager

distributed = pytest.importorskip("distributed")

N = 9_000
CHUNKS = [1_000, 7_777, N, None]  # N: all paths in one task; None: the default


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _frames(s: wager.Simulation) -> list[pd.DataFrame]:
    return [
        s.annual,
        s.outcomes,
        s.risk,
        s.distress_probability,
        s.profit_probability,
        s.distress_year,
        s.first_profit_year,
        s.resolution,
        s.recoveries,
    ]


@pytest.mark.parametrize("chunk", CHUNKS)
def test_simulate_on_dask_is_the_local_run(client: Any, chunk: int | None) -> None:
    from test_simulation_engine import uncertain_preset

    sc = uncertain_preset()
    local = wager.simulate(
        sc, n_paths=N, seed=6, progress=False, keep_paths=True, stress="price_war"
    )
    remote = wager.simulate(
        sc,
        n_paths=N,
        seed=6,
        progress=False,
        keep_paths=True,
        stress="price_war",
        backend="dask",
        client=client,
        chunk_paths=chunk,
    )
    for a, b in zip(_frames(local), _frames(remote), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert local.paths is not None and remote.paths is not None
    for var in local.paths.annual:
        np.testing.assert_array_equal(local.paths.annual[var], remote.paths.annual[var])
    np.testing.assert_array_equal(local.paths.distress_year, remote.paths.distress_year)
    for key in ("sum", "sum_squares"):
        for x, y in zip(local.raw[key], remote.raw[key], strict=True):
            np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(local.raw["histogram"], remote.raw["histogram"])


@pytest.mark.parametrize("chunk", CHUNKS)
def test_stress_and_compare_on_dask_are_the_local_runs(client: Any, chunk: int | None) -> None:
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    kw: dict[str, Any] = {"n_paths": N, "seed": 2, "progress": False}
    grid_local = wager.stress([a, b], ["baseline", "telecom_2001"], severity=[0.5, 1.0], **kw)
    grid_dask = wager.stress(
        [a, b],
        ["baseline", "telecom_2001"],
        severity=[0.5, 1.0],
        backend="dask",
        client=client,
        chunk_paths=chunk,
        **kw,
    )
    pd.testing.assert_frame_equal(grid_local.table, grid_dask.table, check_exact=True)
    pd.testing.assert_frame_equal(grid_local.to_frame(), grid_dask.to_frame(), check_exact=True)
    c_local = wager.compare(a, b, stresses=["baseline", "funding_freeze"], **kw)
    c_dask = wager.compare(
        a,
        b,
        stresses=["baseline", "funding_freeze"],
        backend="dask",
        client=client,
        chunk_paths=chunk,
        **kw,
    )
    pd.testing.assert_frame_equal(c_local.summary(), c_dask.summary(), check_exact=True)
    pd.testing.assert_frame_equal(c_local.overtake(), c_dask.overtake(), check_exact=True)
    pd.testing.assert_frame_equal(c_local.to_frame(), c_dask.to_frame(), check_exact=True)


def test_race_and_sensitivity_on_dask_are_the_local_runs(client: Any) -> None:
    from test_sensitivity import _linear

    local, remote = (
        wager.race(n_paths=3_000, seed=1),
        wager.race(n_paths=3_000, seed=1, backend="dask", client=client, chunk_paths=1_000),
    )
    pd.testing.assert_frame_equal(local.matrix, remote.matrix, check_exact=True)
    pd.testing.assert_frame_equal(local.deviations, remote.deviations, check_exact=True)
    t_local = wager.tornado(_linear(), n_paths=640)
    t_dask = wager.tornado(_linear(), n_paths=640, backend="dask", client=client, chunk_paths=96)
    pd.testing.assert_frame_equal(t_local.table, t_dask.table, check_exact=True)
    s_local = wager.sobol(_linear(), n_base=16)
    s_dask = wager.sobol(_linear(), n_base=16, backend="dask", client=client, chunk_paths=64)
    np.testing.assert_array_equal(s_local.values, s_dask.values)
    with pytest.raises(ValueError, match="multiple of 32"):
        wager.sobol(_linear(), n_base=16, backend="dask", client=client, chunk_paths=100)


def test_a_killed_worker_is_replaced_and_the_result_is_unchanged(client: Any) -> None:
    from test_simulation_engine import uncertain_preset

    sc = uncertain_preset()  # path by path: slow enough to kill a worker mid-run
    n = 240_000
    local = wager.simulate(sc, n_paths=n, seed=4, progress=False)
    victim = sorted(client.scheduler_info()["workers"])[0]
    killed: list[float] = []

    def kill_soon() -> None:
        time.sleep(0.3)
        # The worker dies before it can answer.
        with contextlib.suppress(Exception):
            client.run(os._exit, 1, workers=[victim])
        killed.append(time.perf_counter())

    thread = threading.Thread(target=kill_soon)
    thread.start()
    remote = wager.simulate(
        sc, n_paths=n, seed=4, progress=False, backend="dask", client=client, chunk_paths=1_500
    )
    thread.join()
    assert killed
    for a, b in zip(_frames(local), _frames(remote), strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    client.wait_for_workers(2, timeout=60)


def test_without_dask_the_backend_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'wager\[dask\]'"):
        wager.simulate(
            wager.presets.load("profitability"), n_paths=100, progress=False, backend="dask"
        )
    with pytest.raises(ValueError, match="backend must be"):
        wager.simulate(
            wager.presets.load("profitability"), n_paths=100, progress=False, backend="spark"
        )  # type: ignore[arg-type]
