"""Hardening: random documents never crash the loader, extreme but valid
inputs run or fail cleanly, a run that cannot fit in memory is refused
before it allocates, concurrent calls equal sequential ones."""

from __future__ import annotations

import contextlib
import json
import math
import subprocess
import sys
import textwrap
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wager
from wager.scenario.loader import parse_scenario_text, scenario_from_dict
from wager.scenario.plausibility import ScenarioPlausibilityWarning

PRESET = wager.presets.load("compute_first").model_dump(mode="json", exclude_none=True)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)


def _loads_or_refuses(data: Any) -> None:
    message, sc = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioPlausibilityWarning)
        try:
            sc = scenario_from_dict(data, "<fuzz>")
        except wager.ScenarioError as err:
            message = str(err)
    if message is None:
        assert isinstance(sc, wager.Scenario)
    else:
        assert message.startswith("<fuzz>")
    # A loaded scenario may warn of unusual values: each names the file and
    # a field, on one printable line.
    for w in caught:
        assert w.category is ScenarioPlausibilityWarning
        text = str(w.message)
        assert text.startswith("<fuzz>: ")
        assert text.isprintable()


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_a_random_document_loads_or_is_refused(data: Any) -> None:
    _loads_or_refuses(data)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


FIELD_PATHS = _paths(PRESET)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FIELD_PATHS), documents)
def test_a_preset_with_one_random_field_loads_or_is_refused(
    path: tuple[Any, ...], value: Any
) -> None:
    data = json.loads(json.dumps(PRESET))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    _loads_or_refuses(data)


@settings(max_examples=200, deadline=2000)
@given(st.text(max_size=200), st.sampled_from(["toml", "json", "yaml"]))
def test_random_text_in_any_format_loads_or_is_refused(text: str, fmt: str) -> None:
    with contextlib.suppress(wager.ScenarioError):
        parse_scenario_text(text, fmt, source="<text>")


def test_extreme_volatility_runs_and_no_non_finite_value_hides() -> None:
    d = json.loads(json.dumps(PRESET))
    for seg in d["segments"].values():
        seg["volatility"] = 5.0
        seg["persistence"] = 1.0
    d["market"]["demand_factor"] = {"volatility": 5.0, "persistence": 1.0}
    sc = wager.Scenario.model_validate(d)
    with pytest.warns(RuntimeWarning, match="values beyond"):
        r = wager.simulate(sc, n_paths=2_000, seed=1, progress=False)
    numbers = r.annual.to_numpy(dtype=float)
    assert np.isfinite(numbers[:, :2]).all()  # means and standard errors, of clamped values


def test_fifty_years_of_monthly_steps_run() -> None:
    sc = wager.Scenario.model_validate(
        {
            "name": "long",
            "time": {"start_year": 2025, "horizon": 2074, "steps_per_year": 12},
            "segments": {
                "core": {
                    "revenue": {2025: 5.0, 2074: 200.0},
                    "inference_cost_ratio": 0.4,
                    "volatility": 0.3,
                }
            },
            "compute": {"training": {2025: 2.0, 2074: 30.0}},
            "costs": {"staff": {"fixed": 1.0, "of_revenue": 0.1}},
            "financing": {"initial_cash": 10.0},
        }
    )
    p = wager.project(sc)
    assert (
        len(p.annual) == 50
        and np.isfinite(p.annual.select_dtypes("number").to_numpy(dtype=float)).all()
    )
    r = wager.simulate(sc, n_paths=300, seed=2, progress=False, keep_paths=True)
    assert r.paths is not None and r.paths.annual["cash"].shape == (300, 50)


def test_a_run_that_cannot_fit_is_refused_before_allocating_saying_how_much() -> None:
    # 10^7 paths with keep_paths needs ~14 GiB; the child may use 3 GiB.
    code = textwrap.dedent(
        """
        import resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
        import wager
        t = time.perf_counter()
        try:
            sc = wager.presets.load("compute_first")
            wager.simulate(sc, n_paths=10**7, keep_paths=True, progress=False)
        except MemoryError as err:
            print("refused", round(time.perf_counter() - t, 3), err)
            sys.exit(0)
        sys.exit(1)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "refused" in out and "would need about" in out and "GiB" in out
    needed = float(out.split("would need about ")[1].split(" GiB")[0])
    assert 10 < needed < 20
    assert float(out.split()[1]) < 5  # refused at once, not after filling memory


def test_concurrent_calls_from_python_threads_equal_sequential_ones() -> None:
    from test_simulation_engine import uncertain_preset

    sc = uncertain_preset()
    seeds = [1, 2, 3, 4]

    def run(seed: int) -> wager.Simulation:
        return wager.simulate(
            sc, n_paths=3_000, seed=seed, n_threads=2, progress=False, stress="price_war"
        )

    sequential = [run(s) for s in seeds]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(run, seeds))
    for a, b in zip(sequential, concurrent, strict=True):
        pd.testing.assert_frame_equal(a.annual, b.annual, check_exact=True)
        pd.testing.assert_frame_equal(a.risk, b.risk, check_exact=True)


def test_a_build_without_openmp_warns_that_n_threads_is_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(wager._core.build_info, "openmp", False)
    sc = wager.presets.load("profitability")
    with pytest.warns(RuntimeWarning, match="no OpenMP: n_threads=2 is ignored"):
        r = wager.simulate(sc, n_paths=500, seed=1, n_threads=2, progress=False)
    assert math.isfinite(r.annual.loc[("cash", 2035), "mean"])


def test_a_projection_never_returns_a_non_finite_number_silently() -> None:
    d = json.loads(json.dumps(PRESET))
    d["market"]["regimes"]["normal"]["valuation_multiple"] = 1.7e308  # valid, but overflows
    sc = wager.Scenario.model_validate(d)
    with pytest.raises(FloatingPointError, match=r"projection of compute_first: .* valuation 2025"):
        wager.project(sc)
