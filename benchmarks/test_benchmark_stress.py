"""Speed of stress grids (pytest-benchmark): 2 strategies x 100 stresses x
10,000 paths, 2025-2035 in quarterly steps, in one core call; and the same
work run one stress at a time.

The 100 stresses are the library's ten stresses that move the presets'
model (all but ``baseline``, ``backstop`` and ``no_backstop``), each at ten
severities, 0.2 to 2.0: every cell is a distinct stressed model.

Run: ``python -m pytest benchmarks/test_benchmark_stress.py --benchmark-only``.
``extra_info`` holds path-step-stresses per second (and per core), and for
the one-at-a-time run its seconds and the ratio of its cost to the grid's.
Under ``--benchmark-disable`` (the CI smoke run) 200 paths and 2 severities.
No test asserts a time.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import wager

STRESSES = (
    "ai_bubble_burst",
    "compute_glut",
    "counterparty_default",
    "funding_freeze",
    "gpu_price_collapse",
    "inference_cost_overrun",
    "investor_pullback",
    "price_war",
    "rate_shock",
    "telecom_2001",
)
PATHS = int(os.environ.get("WAGER_BENCH_STRESS_PATHS", "10000"))


def _work(benchmark: BenchmarkFixture) -> tuple[list[wager.Scenario], list[float], int]:
    scenarios = [wager.presets.load("profitability"), wager.presets.load("compute_first")]
    if benchmark.disabled:
        return scenarios, [0.5, 1.0], 200
    return scenarios, [float(x) for x in np.round(np.linspace(0.2, 2.0, 10), 1)], PATHS


@pytest.mark.benchmark(group="stress")
@pytest.mark.parametrize("n_threads", [1, 2])
def test_benchmark_stress_grid(benchmark: BenchmarkFixture, n_threads: int) -> None:
    scenarios, severities, n = _work(benchmark)
    timing: dict[str, float] = {}

    def run() -> wager.StressGrid:
        t0 = time.perf_counter()
        grid = wager.stress(
            scenarios,
            STRESSES,
            severity=severities,
            n_paths=n,
            seed=1,
            n_threads=n_threads,
            progress=False,
        )
        timing["seconds"] = min(timing.get("seconds", np.inf), time.perf_counter() - t0)
        return grid

    grid = benchmark.pedantic(run, rounds=1 if benchmark.disabled else 3, iterations=1)
    cells = len(grid.cells)
    steps = scenarios[0].time.n_years * scenarios[0].time.steps_per_year
    rate = cells * n * steps / timing["seconds"]
    benchmark.extra_info.update(
        cells=cells,
        n_paths=n,
        n_steps=steps,
        seconds=timing["seconds"],
        path_step_stresses_per_second=rate,
        path_step_stresses_per_second_per_core=rate / n_threads,
    )
    assert cells == len(scenarios) * len(STRESSES) * len(severities)


@pytest.mark.benchmark(group="stress")
def test_benchmark_stresses_one_at_a_time(benchmark: BenchmarkFixture) -> None:
    """The same cells as separate ``wager.simulate`` calls on one thread,
    against one grid call on one thread right after: the grid's saving."""
    scenarios, severities, n = _work(benchmark)
    timing: dict[str, float] = {}

    def run() -> None:
        t0 = time.perf_counter()
        for sc in scenarios:
            for name in STRESSES:
                for sev in severities:
                    wager.simulate(
                        sc,
                        n_paths=n,
                        seed=1,
                        n_threads=1,
                        progress=False,
                        stress=name,
                        severity=sev,
                    )
        t1 = time.perf_counter()
        wager.stress(
            scenarios, STRESSES, severity=severities, n_paths=n, seed=1, n_threads=1, progress=False
        )
        t2 = time.perf_counter()
        timing["one_at_a_time"] = min(timing.get("one_at_a_time", np.inf), t1 - t0)
        timing["grid"] = min(timing.get("grid", np.inf), t2 - t1)

    benchmark.pedantic(run, rounds=1 if benchmark.disabled else 2, iterations=1)
    cells = len(scenarios) * len(STRESSES) * len(severities)
    steps = scenarios[0].time.n_years * scenarios[0].time.steps_per_year
    benchmark.extra_info.update(
        cells=cells,
        n_paths=n,
        one_at_a_time_seconds=timing["one_at_a_time"],
        grid_seconds=timing["grid"],
        one_at_a_time_path_step_stresses_per_second=cells * n * steps / timing["one_at_a_time"],
        grid_path_step_stresses_per_second=cells * n * steps / timing["grid"],
        cost_ratio_one_at_a_time_to_grid=timing["one_at_a_time"] / timing["grid"],
    )
    assert timing["grid"] > 0
