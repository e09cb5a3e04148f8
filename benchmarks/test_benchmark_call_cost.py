"""The cost of one call (pytest-benchmark): what a risk system, a reverse
stress test, a sensitivity sweep or a notebook pays for each small call.

The work: ``wager.simulate`` of the ``compute_first`` preset as shipped
(2025-2035 in quarterly steps: 44 steps), end to end, for 1, 1,000 and
10,000 paths on 1 and 2 threads. Each round makes ``CALLS`` calls in a row,
alternating with the core call alone on the same config (``core_seconds``)
and with a zero-path core call (``core_setup_seconds``: the core's fixed
cost per call); the fastest call of each kind is kept in ``extra_info``, so
``seconds - core_seconds`` is the Python side's cost.

Run: ``python -m pytest benchmarks/test_benchmark_call_cost.py --benchmark-only``.
Under ``--benchmark-disable`` (the CI smoke run) each test makes one call of
each kind. No test asserts a time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import wager
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel import core

#: Calls per round (the fastest call is reported): the machine is a shared
#: virtual machine whose speed drifts, and a call lasts milliseconds.
CALLS = int(os.environ.get("WAGER_BENCH_CALLS", "30"))


@pytest.mark.benchmark(group="call-cost")
@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize("n_paths", [1, 1_000, 10_000])
def test_benchmark_call_cost(benchmark: BenchmarkFixture, n_paths: int, n_threads: int) -> None:
    sc = wager.presets.load("compute_first")
    calls = 1 if benchmark.disabled else CALLS
    rounds = 1 if benchmark.disabled else 3
    strategy = prepare_strategy(sc)
    configs = {
        n: simulation_config([strategy], n_paths=n, seed=1, n_threads=n_threads, keep_paths=False)
        for n in (0, n_paths)
    }
    best: dict[str, float] = {}

    def timed(key: str, call: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = call()
        best[key] = min(best.get(key, float("inf")), time.perf_counter() - t0)
        return out

    def run() -> wager.Simulation:
        sim = None
        for _ in range(calls):
            sim = timed(
                "seconds",
                lambda: wager.simulate(
                    sc, n_paths=n_paths, seed=1, n_threads=n_threads, progress=False
                ),
            )
            timed("core_seconds", lambda: core.simulate_paired(configs[n_paths], None, 65_536))
            timed("core_setup_seconds", lambda: core.simulate_paired(configs[0], None, 65_536))
        assert sim is not None
        return sim

    sim = benchmark.pedantic(run, rounds=rounds, iterations=1)
    benchmark.extra_info.update(
        n_paths=n_paths,
        n_threads=n_threads,
        calls_per_round=calls,
        python_seconds=best["seconds"] - best["core_seconds"],
        load_average_1min=os.getloadavg()[0],
        **best,
    )
    assert sim.n_paths == n_paths
