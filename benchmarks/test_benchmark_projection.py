"""Speed of the deterministic projection (pytest-benchmark).

Run: ``python -m pytest benchmarks --benchmark-only``. Numbers go to
``docs/performance.md``; no test asserts a time.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import wager
from wager import _core
from wager.compile.model import kernel_model, regime_path
from wager.compile.uncertainty import central_scenario


@pytest.mark.parametrize("name", ["profitability", "compute_first"])
@pytest.mark.parametrize("steps_per_year", [4, 12])
def test_benchmark_kernel_projection(
    benchmark: BenchmarkFixture, name: str, steps_per_year: int
) -> None:
    data = wager.presets.load(name).model_dump(exclude_none=True)
    data["time"]["steps_per_year"] = steps_per_year
    # A projection runs the central model: each uncertain input at its median.
    sc = central_scenario(wager.Scenario.model_validate(data))
    model, path = kernel_model(sc), regime_path(sc)
    out = benchmark(_core.project, model, path)
    assert out["values"].shape[1] == sc.time.n_years


@pytest.mark.parametrize("name", ["profitability", "compute_first"])
def test_benchmark_project_end_to_end(benchmark: BenchmarkFixture, name: str) -> None:
    sc = wager.presets.load(name)
    p = benchmark(wager.project, sc)
    assert p.events.distress_year is None


def test_benchmark_load_preset(benchmark: BenchmarkFixture) -> None:
    sc = benchmark(wager.presets.load, "compute_first")
    assert sc.name == "compute_first"
