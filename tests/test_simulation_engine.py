"""The engine's contracts: bit-identical results whatever the threads and
batches, common random numbers, zero uncertainty equals the projection,
keep_paths without copies, progress, and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from typing import Any

import numpy as np
import pytest

import wager
from wager import _core
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.compile.uncertainty import central_scenario
from wager.kernel.layout import KEPT_VARIABLES


def uncertain_preset(name: str = "compute_first") -> wager.Scenario:
    """A preset with every kind of randomness switched on."""
    d: dict[str, Any] = wager.presets.load(name).model_dump(exclude_none=True)
    d["market"]["demand_factor"] = {"volatility": 0.25, "persistence": 0.8}
    for seg in d["segments"].values():
        seg["volatility"] = 0.2
        seg["persistence"] = 0.7
    d["financing"]["initial_cash"] = {"dist": "lognormal", "low": 8.0, "high": 16.0}
    d["compute"]["depreciation_life"] = {"dist": "triangular", "min": 3.0, "mode": 5.0, "max": 6.0}
    d["costs"]["staff"]["of_revenue"] = {2028: {"dist": "pert", "low": 0.15, "high": 0.3}}
    d["uncertainty"] = {
        "inputs": ["financing.initial_cash", "costs.staff.of_revenue.2028"],
        "correlation": [[1.0, -0.4], [-0.4, 1.0]],
    }
    return wager.Scenario.model_validate(d)


def _arrays(r: wager.Simulation) -> dict[str, np.ndarray]:
    out = {
        "annual": r.annual.to_numpy(),
        "outcomes": r.outcomes.to_numpy(),
        "risk": r.risk.to_numpy(),
        "default_probability": r.distress_probability.to_numpy(),
        "profit_probability": r.profit_probability.to_numpy(),
        "distress_year": r.distress_year.to_numpy(dtype=float),
        "first_profit_year": r.first_profit_year.to_numpy(dtype=float),
        "histogram": r.raw["histogram"],
        "sum_hi": r.raw["sum"][0],
        "sum_lo": r.raw["sum"][1],
        "sq_hi": r.raw["sum_squares"][0],
        "sq_lo": r.raw["sum_squares"][1],
    }
    if r.paths is not None:
        for k, v in r.paths.annual.items():
            out[f"paths.{k}"] = v
        for k, v in r.paths.outcomes.items():
            out[f"paths.{k}"] = v
        out["paths.distress_year"] = r.paths.distress_year
        out["paths.first_profit_year"] = r.paths.first_profit_year
    return out


def test_same_seed_same_bits_whatever_threads_and_batches() -> None:
    sc = uncertain_preset()
    reference = _arrays(
        wager.simulate(sc, n_paths=3_000, seed=5, n_threads=1, progress=False, keep_paths=True)
    )
    assert reference["paths.revenue"].std() > 0  # the run is really random
    for threads, batch in ((2, 16_384), (3, 777), (4, 1), (2, 2_999)):
        other = _arrays(
            wager.simulate(
                sc,
                n_paths=3_000,
                seed=5,
                n_threads=threads,
                batch_paths=batch,
                progress=False,
                keep_paths=True,
            )
        )
        assert other.keys() == reference.keys()
        for key, value in reference.items():
            np.testing.assert_array_equal(
                other[key], value, err_msg=f"{key}, {threads} threads, batch {batch}"
            )


def test_split_runs_draw_the_same_paths() -> None:
    # Paths 1000-1999 of a run equal a run that starts at path 1000: the
    # counter is the path, not the position in a batch or a machine.
    st = prepare_strategy(uncertain_preset())
    whole = _core.simulate(
        simulation_config([st], n_paths=2_000, seed=9, n_threads=2, keep_paths=True)
    )[0]
    tail = _core.simulate(
        simulation_config(
            [st], n_paths=1_000, seed=9, n_threads=1, keep_paths=True, first_path=1_000
        )
    )[0]
    for a, b in zip(whole["kept"], tail["kept"], strict=True):
        np.testing.assert_array_equal(a[1_000:], b)
    head = _core.simulate(
        simulation_config([st], n_paths=1_000, seed=9, n_threads=1, keep_paths=False)
    )[0]
    # Integer histograms of the two halves add up to the whole.
    np.testing.assert_array_equal(head["histogram"] + tail["histogram"], whole["histogram"])


def test_different_seeds_differ() -> None:
    sc = uncertain_preset()
    a = wager.simulate(sc, n_paths=500, seed=1, progress=False)
    b = wager.simulate(sc, n_paths=500, seed=2, progress=False)
    assert not np.array_equal(a.annual.to_numpy(), b.annual.to_numpy())


def test_strategies_in_one_call_share_the_world() -> None:
    # The same strategy twice in one call: identical paths (common random numbers).
    st = prepare_strategy(uncertain_preset())
    a, b = _core.simulate(
        simulation_config([st, st], n_paths=1_000, seed=3, n_threads=2, keep_paths=True)
    )
    for x, y in zip(a["kept"], b["kept"], strict=True):
        np.testing.assert_array_equal(x, y)


def _no_randomness(name: str) -> wager.Scenario:
    # The preset at its medians, without its segments' own deviations.
    d: dict[str, Any] = central_scenario(wager.presets.load(name)).model_dump(exclude_none=True)
    for segment in d["segments"].values():
        segment["volatility"] = 0.0
    names = list(d["market"]["regimes"])
    d["market"]["transition"] = {a: {b: float(a == b) for b in names} for a in names}
    for regime in d["market"]["regimes"].values():
        regime["raise_success"] = 1.0
    return wager.Scenario.model_validate(d)


@pytest.mark.parametrize("name", ["compute_first", "profitability"])
def test_zero_uncertainty_reproduces_the_projection_path_by_path(name: str) -> None:
    sc = _no_randomness(name)
    p = wager.project(sc).annual
    r = wager.simulate(sc, n_paths=64, seed=1, n_threads=2, progress=False, keep_paths=True)
    assert r.paths is not None
    for var in KEPT_VARIABLES:
        column = p[var].map(list(sc.market.regimes).index) if var == "regime" else p[var]
        expected = np.broadcast_to(column.to_numpy(dtype=float), r.paths.annual[var].shape)
        np.testing.assert_array_equal(r.paths.annual[var], expected, err_msg=var)
    ev = wager.project(sc).events
    np.testing.assert_array_equal(
        r.paths.outcomes["terminal_equity_value"], ev.terminal_equity_value
    )
    np.testing.assert_array_equal(r.paths.outcomes["peak_funding_need"], ev.peak_funding_need)
    assert (r.paths.first_profit_year == ev.first_profit_year).all()
    assert r.annual.loc["revenue", "se"].max() == 0


def test_keep_paths_returns_views_on_the_core_s_memory() -> None:
    r = wager.simulate(uncertain_preset(), n_paths=1_000, seed=4, progress=False, keep_paths=True)
    assert r.paths is not None
    n_years = len(r.scenario.time.years)
    for var, arr in r.paths.annual.items():
        assert arr.shape == (1_000, n_years), var
        assert arr.dtype == np.float64
        assert not arr.flags.owndata and arr.base is not None  # a view: no copy was made
    assert r.paths.distress_year.dtype == np.int32
    assert set(np.unique(r.paths.distress_year)) <= {-1, *r.scenario.time.years}
    assert (
        np.bincount(r.paths.distress_year + 1 - 2025 * (r.paths.distress_year >= 0)).sum() == 1_000
    )


def test_without_keep_paths_nothing_per_path_is_returned() -> None:
    r = wager.simulate(uncertain_preset(), n_paths=1_000, seed=4, progress=False)
    assert r.paths is None
    assert "kept" not in r.raw


def test_progress_callable_receives_batches() -> None:
    seen: list[tuple[int, int]] = []
    wager.simulate(
        uncertain_preset(),
        n_paths=2_500,
        seed=1,
        batch_paths=1_000,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1_000, 2_500), (2_000, 2_500), (2_500, 2_500)]


def test_progress_bar_can_be_forced(capsys: pytest.CaptureFixture[str]) -> None:
    wager.simulate(uncertain_preset(), n_paths=2_000, seed=1, batch_paths=1_000, progress=True)
    assert "path" in capsys.readouterr().err


def test_bad_arguments() -> None:
    sc = uncertain_preset()
    with pytest.raises(ValueError, match="seed"):
        wager.simulate(sc, n_paths=10, seed=-1, progress=False)
    with pytest.raises(ValueError, match="n_threads"):
        wager.simulate(sc, n_paths=10, n_threads=0, progress=False)
    with pytest.raises(ValueError, match="quantiles"):
        wager.simulate(sc, n_paths=10, quantiles=[0.5, 1.0], progress=False)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_a_long_run_within_a_second() -> None:
    script = textwrap.dedent(
        """
        import sys, time, wager
        sc = wager.presets.load("compute_first")
        print("ready", flush=True)
        t0 = time.monotonic()
        try:
            wager.simulate(
                sc, n_paths=50_000_000, seed=1, n_threads=2, progress=False, batch_paths=4096
            )
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic():.6f}", flush=True)
        # The interpreter is still usable afterwards.
        r = wager.simulate(sc, n_paths=100, seed=1, progress=False)
        print("after", r.n_paths, flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    sent = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    lines = out.split()
    assert "interrupted" in lines, (out, err)
    stopped = float(lines[lines.index("interrupted") + 1])
    # Same clock (CLOCK_MONOTONIC) in both processes.
    assert stopped - sent < 1.0, stopped - sent
    assert "after" in lines and lines[lines.index("after") + 1] == "100"
    assert proc.returncode == 0


def test_values_beyond_the_statistics_range_are_reported() -> None:
    d: dict[str, Any] = wager.presets.load("compute_first").model_dump(exclude_none=True)
    for seg in d["segments"].values():
        seg["volatility"] = 40.0  # absurd on purpose: revenue explodes
        seg["persistence"] = 1.0
    with pytest.warns(RuntimeWarning, match=r"values beyond \+-2\.42e\+06 US\$ bn in revenue"):
        wager.simulate(wager.Scenario.model_validate(d), n_paths=500, seed=1, progress=False)


def test_non_finite_values_are_refused_with_where_they_appeared() -> None:
    from wager.analyses.simulation import _check_finite

    counts = np.zeros(4 * 2 + 3, dtype=np.uint64)
    counts[2 + 1] = 7  # operating_income, second year
    with pytest.raises(FloatingPointError, match="operating_income 2026 \\(7 paths\\)"):
        _check_finite(counts, [2025, 2026])
