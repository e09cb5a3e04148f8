"""Speed of the Monte Carlo kernel against the NumPy reference (pytest-benchmark).

Four kinds of work (``benchmarks/workloads.py``), 2025-2035 in quarterly
steps (44 steps):

- "as_shipped": each preset file as it is (only the regime chain and the
  raise draws are random);
- "all_on": each preset with uncertainty switched on (demand factor
  volatility 0.25, segment volatility 0.2, persistence 0.8, the default
  regime chain);
- "ten_inputs": ``scenarios/compute_first_ten_inputs.toml``, ``compute_first``
  with 13 uncertain inputs (normal, lognormal, uniform, triangular, PERT,
  Student-t; one correlation block);
- "bust_freeze": ``compute_first`` as shipped under a funding freeze that
  starts on each path at its first step in ``bust`` (``raise_success`` set
  to 0 for two years).

The first two run ``WAGER_BENCH_PATHS`` paths, the last two
``WAGER_BENCH_PATHS_SLOW`` (both default 1,000,000, the issue's count; set
the second lower for a quicker look at the slower work). Timed:

- kernel: ``wager.simulate`` end to end (per-year means, standard errors,
  quantiles from histograms, default curve), 1 and 2 threads;
- NumPy: ``numpy_model.simulate_numpy`` (single-threaded, every path kept in
  memory; inputs drawn and triggers resolved inside) plus
  ``numpy_model.summarise`` (the same statistics, exact quantiles), with
  numpy's Philox (counter-based, like the kernel's Philox4x64) and SFC64
  (numpy's fastest generator) bit generators.

Run: ``python -m pytest benchmarks/test_benchmark_simulation.py
--benchmark-only --benchmark-json=out.json``, then ``python
benchmarks/ratios.py out.json`` for the kernel/NumPy ratios of that one run.
Each test runs three rounds and stores the fastest round's
``path_steps_per_second`` (and per core) in ``extra_info``. Under
``--benchmark-disable`` (the CI smoke run) the same code runs once on 2,000
paths. No test asserts a time.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import pytest
from numpy_model import reference_inputs, simulate_numpy, summarise
from pytest_benchmark.fixture import BenchmarkFixture
from workloads import CASES, work

import wager

PRESETS = ("profitability", "compute_first")
PATHS = int(os.environ.get("WAGER_BENCH_PATHS", "1000000"))
PATHS_SLOW = int(os.environ.get("WAGER_BENCH_PATHS_SLOW", "1000000"))
SMOKE_PATHS = 2_000
#: Works that run PATHS_SLOW paths.
SLOW = ("ten_inputs", "bust_freeze")


CASE_PARAMS = [pytest.param(name, w, id=f"{name}-{w}") for name, w in CASES]

#: The ten-input scenario's Student-t price changes (df 4) have heavy tails:
#: of 1,000,000 paths, about one draws |z| ~ 5, a price change above 100% a
#: year, and revenue beyond the histograms' range by 2035. wager.simulate
#: says so in a RuntimeWarning (its statistics clamp that value); the
#: benchmark times the work and lets it pass.
BEYOND_RANGE = pytest.mark.filterwarnings("ignore:values beyond:RuntimeWarning")


def _work(name: str, kind: str) -> tuple[wager.Scenario, wager.Stress | None]:
    sc, stress = work(name, kind)
    t = sc.time
    assert (t.start_year, t.horizon, t.steps_per_year) == (2025, 2035, 4)
    return sc, stress


def _n_paths(benchmark: BenchmarkFixture, kind: str = "all_on") -> int:
    if benchmark.disabled:
        return SMOKE_PATHS
    return PATHS_SLOW if kind in SLOW else PATHS


def _rounds(benchmark: BenchmarkFixture) -> int:
    """Three rounds, the fastest reported: the machine is a shared virtual
    machine whose speed drifts; one round under the smoke run."""
    return 1 if benchmark.disabled else 3


def _keep_fastest(timing: dict[str, float], **measured: float) -> None:
    if not timing or measured["seconds"] < timing["seconds"]:
        timing.update(measured)


def _record(
    benchmark: BenchmarkFixture, n_paths: int, n_steps: int, cores: int, timing: dict[str, float]
) -> None:
    """Path-steps per second of wall time (and per core used), and per second
    of CPU time of this process (all its threads): the latter is what a core
    achieves even when another process shares the machine."""
    path_steps = n_paths * n_steps
    rate = path_steps / max(timing["seconds"], 1e-9)
    benchmark.extra_info.update(
        n_paths=n_paths,
        n_steps=n_steps,
        cores=cores,
        seconds=timing["seconds"],
        cpu_seconds=timing["cpu_seconds"],
        path_steps_per_second=rate,
        path_steps_per_second_per_core=rate / cores,
        path_steps_per_cpu_second=path_steps / max(timing["cpu_seconds"], 1e-9),
        load_average_1min=os.getloadavg()[0],
    )


@pytest.mark.benchmark(group="simulate")
@BEYOND_RANGE
@pytest.mark.parametrize("n_threads", [1, 2])
@pytest.mark.parametrize(("name", "kind"), CASE_PARAMS)
def test_benchmark_kernel_simulate(
    benchmark: BenchmarkFixture, name: str, kind: str, n_threads: int
) -> None:
    sc, stress = _work(name, kind)
    n = _n_paths(benchmark, kind)
    timing: dict[str, float] = {}

    def run() -> wager.Simulation:
        t0, c0 = time.perf_counter(), time.process_time()
        sim = wager.simulate(
            sc, n_paths=n, seed=1, n_threads=n_threads, progress=False, stress=stress
        )
        t1, c1 = time.perf_counter(), time.process_time()
        _keep_fastest(timing, seconds=t1 - t0, cpu_seconds=c1 - c0)
        return sim

    sim = benchmark.pedantic(run, rounds=_rounds(benchmark), iterations=1)
    _record(benchmark, n, sc.time.n_years * sc.time.steps_per_year, n_threads, timing)
    benchmark.extra_info.update(engine="kernel", preset=name, work=kind)
    assert sim.n_paths == n


@pytest.mark.benchmark(group="simulate")
@pytest.mark.parametrize("bit_generator", ["Philox", "SFC64"])
@pytest.mark.parametrize(("name", "kind"), CASE_PARAMS)
def test_benchmark_numpy_simulate(
    benchmark: BenchmarkFixture, name: str, kind: str, bit_generator: str
) -> None:
    sc, stress = _work(name, kind)
    inputs = reference_inputs(sc, stress)
    n = _n_paths(benchmark, kind)
    timing: dict[str, float] = {}

    def run() -> dict[str, Any]:
        t0, c0 = time.perf_counter(), time.process_time()
        paths = simulate_numpy(
            n_paths=n, seed=1, bit_generator=getattr(np.random, bit_generator), **inputs
        )
        t1 = time.perf_counter()
        stats = summarise(paths)
        _keep_fastest(
            timing,
            seconds=time.perf_counter() - t0,
            cpu_seconds=time.process_time() - c0,
            simulate_seconds=t1 - t0,
        )
        return stats

    stats = benchmark.pedantic(run, rounds=_rounds(benchmark), iterations=1)
    _record(benchmark, n, sc.time.n_years * sc.time.steps_per_year, 1, timing)
    benchmark.extra_info["simulate_only_seconds"] = timing["simulate_seconds"]
    benchmark.extra_info.update(engine=f"numpy_{bit_generator}", preset=name, work=kind)
    assert stats["revenue"]["mean"].shape == (sc.time.n_years,)


@pytest.mark.benchmark(group="speed-up")
@BEYOND_RANGE
@pytest.mark.parametrize(("name", "kind"), CASE_PARAMS)
def test_benchmark_thread_speedup(benchmark: BenchmarkFixture, name: str, kind: str) -> None:
    """The 1 -> 2 thread speed-up from rounds that alternate 1 and 2 threads.

    Separate tests run minutes apart on a machine whose speed drifts; here
    each pair of rounds runs back to back, five pairs, and the speed-up is
    the ratio of the fastest round of each. Reported twice: end to end
    (``wager.simulate``, whose statistics afterwards run on one thread) and
    for the kernel call alone (``_core.simulate`` on the same config).
    """
    from wager import _core
    from wager.compile.prepared import prepare_strategy
    from wager.compile.run_config import simulation_config
    from wager.compile.shocks import core_shocks

    sc, stress = _work(name, kind)
    n = _n_paths(benchmark, kind)
    pairs = 1 if benchmark.disabled else 5
    strategy = prepare_strategy(sc)
    if stress is not None:
        strategy = strategy.stressed(core_shocks(stress, sc, 1.0))
    configs = {
        t: simulation_config([strategy], n_paths=n, seed=1, n_threads=t, keep_paths=False)
        for t in (1, 2)
    }
    best: dict[tuple[str, int], float] = {}

    def timed(key: tuple[str, int], call: Any) -> Any:
        t0 = time.perf_counter()
        out = call()
        best[key] = min(best.get(key, np.inf), time.perf_counter() - t0)
        return out

    def run() -> None:
        for _ in range(pairs):
            for t in (1, 2):
                timed(
                    ("end_to_end", t),
                    lambda t=t: wager.simulate(sc, n, 1, t, progress=False, stress=stress),
                )
                timed(("kernel", t), lambda t=t: _core.simulate(configs[t], None, 65_536, 0.25))

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info.update(preset=name, work=kind, n_paths=n)
    path_steps = n * sc.time.n_years * sc.time.steps_per_year
    for what in ("end_to_end", "kernel"):
        benchmark.extra_info[f"speedup_{what}"] = best[(what, 1)] / best[(what, 2)]
        for t in (1, 2):
            benchmark.extra_info[f"{what}_{t}_thread_path_steps_per_second"] = (
                path_steps / best[(what, t)]
            )
    assert best[("kernel", 1)] > 0
