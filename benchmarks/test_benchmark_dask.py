"""The Dask backend's overhead against the local run (pytest-benchmark).

The work: ``compute_first`` as shipped, 2025-2035 in quarterly steps,
``WAGER_BENCH_PATHS`` paths (default 1,000,000), seed 1. Local: 1 thread
and 2 threads in this process. Dask: a ``LocalCluster`` of processes with 1
worker of 1 thread, and 2 workers of 1 thread each, started once (not
timed), the default chunk size. Each run's results equal the local run's
(asserted). Fastest of three rounds in ``extra_info``.

Run: ``python -m pytest benchmarks/test_benchmark_dask.py --benchmark-only``.
Under ``--benchmark-disable`` (CI) 20,000 paths. No test asserts a time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import wager

distributed = pytest.importorskip("distributed")

PATHS = int(os.environ.get("WAGER_BENCH_PATHS", "1000000"))


@pytest.fixture(scope="module", params=[1, 2], ids=["1worker", "2workers"])
def client(request: pytest.FixtureRequest) -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=request.param, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _n(benchmark: BenchmarkFixture) -> int:
    return 20_000 if benchmark.disabled else PATHS


def _time(benchmark: BenchmarkFixture, run: Any) -> tuple[float, Any]:
    """The fastest round's seconds, and the result."""
    best = [float("inf")]

    def timed() -> Any:
        t0 = time.perf_counter()
        out = run()
        best[0] = min(best[0], time.perf_counter() - t0)
        return out

    result = benchmark.pedantic(timed, rounds=1 if benchmark.disabled else 3, iterations=1)
    return best[0], result


@pytest.mark.benchmark(group="dask")
@pytest.mark.parametrize("n_threads", [1, 2])
def test_benchmark_local(benchmark: BenchmarkFixture, n_threads: int) -> None:
    sc, n = wager.presets.load("compute_first"), _n(benchmark)
    seconds, _ = _time(
        benchmark,
        lambda: wager.simulate(sc, n_paths=n, seed=1, n_threads=n_threads, progress=False),
    )
    benchmark.extra_info.update(seconds=seconds, path_steps_per_second=n * 44 / seconds)


@pytest.mark.benchmark(group="dask")
def test_benchmark_dask(benchmark: BenchmarkFixture, client: Any) -> None:
    sc, n = wager.presets.load("compute_first"), _n(benchmark)
    workers = len(client.scheduler_info()["workers"])
    seconds, result = _time(
        benchmark,
        lambda: wager.simulate(
            sc, n_paths=n, seed=1, n_threads=1, progress=False, backend="dask", client=client
        ),
    )
    local = wager.simulate(sc, n_paths=n, seed=1, n_threads=1, progress=False)
    pd.testing.assert_frame_equal(result.annual, local.annual, check_exact=True)
    benchmark.extra_info.update(
        workers=workers, seconds=seconds, path_steps_per_second=n * 44 / seconds
    )
