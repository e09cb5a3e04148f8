"""Hardening of the arguments (issue 18, items 7 and 10): every bad value on
the command line ends in exit status 2 and one message naming the option,
checked before the run starts; the Python API takes whole numbers strictly
(``1e6`` and NumPy integers, never ``True``, ``1.5``, NaN or a string) and
records the int it used; threads, grids and Dask tasks are bounded; a long
run's time is estimated up front."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import _run  # the command as a user runs it

import wager
import wager.cli.options as cli_options
from wager.analyses import run as run_module
from wager.analyses.race import RACE_LIMITS, check_race_setting
from wager.analyses.run import (
    PATH_STEPS_PER_SECOND,
    RunOptions,
    estimate_run_time,
    format_duration,
)
from wager.analyses.stress_grid import MAX_GRID_CELLS
from wager.cli import cli
from wager.compile import memory
from wager.kernel.contract import MAX_PATHS, MAX_THREADS, local_thread_limit, whole_number
from wager.kernel.execution import MAX_DASK_TASKS, WARN_DASK_TASKS, check_task_count

PROFITABILITY = wager.presets.load("profitability")
COMPUTE_FIRST = wager.presets.load("compute_first")
N = 200  # paths of every run here: the checks, not the statistics, are tested


def _refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit status 2, nothing on stdout, no traceback, and one error line
    holding every fragment; that line."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])
    return errors[0]


def _refused_in_process(args: list[str], *fragments: str) -> str:
    """As :func:`_refused`, through click's runner (for monkeypatched runs)."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])
    return errors[0]


# --- item 10: strict whole numbers in the Python API -------------------------------------

#: Values no count may take: bools, fractional and non-finite floats, strings, None.
not_whole = st.one_of(
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda x: not math.isfinite(x) or not x.is_integer()
    ),
    st.text(max_size=8),
    st.just(np.bool_(True)),
)
#: Whole numbers written as the API accepts them: int, integral float, NumPy integers.
whole_forms: list[Callable[[int], Any]] = [int, float, np.int64, np.int32, np.uint64, np.float64]


@settings(max_examples=150, deadline=None)
@given(value=not_whole, name=st.sampled_from(["n_paths", "seed", "n_threads"]))
def test_a_count_that_is_not_a_whole_number_is_refused_naming_the_argument(
    value: Any, name: str
) -> None:
    kwargs = {"n_paths": N, "seed": 0, "n_threads": None, name: value}
    with pytest.raises((TypeError, ValueError), match=name):
        RunOptions(**kwargs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n_paths=st.integers(min_value=1, max_value=300),
    seed=st.integers(min_value=0, max_value=2**31 - 1),  # np.int32 holds it
    form=st.sampled_from(whole_forms),
)
def test_whole_numbers_in_any_form_are_accepted_and_recorded_as_int(
    n_paths: int, seed: int, form: Callable[[int], Any]
) -> None:
    options = RunOptions(form(n_paths), form(seed), form(1))
    assert (options.n_paths, options.seed, options.n_threads) == (n_paths, seed, 1)
    assert all(type(v) is int for v in (options.n_paths, options.seed, options.n_threads))
    r = wager.simulate(PROFITABILITY, n_paths=form(n_paths), seed=form(seed), progress=False)
    manifest = r.manifest()
    assert manifest["n_paths"] == n_paths and type(manifest["n_paths"]) is int
    assert manifest["seed"] == seed and type(manifest["seed"]) is int


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n_paths": 1.5}, ValueError, "n_paths must be a whole number, got 1.5"),
        ({"n_paths": True}, TypeError, "n_paths must be a whole number, got the bool True"),
        ({"seed": 1.5}, ValueError, "seed must be a whole number, got 1.5"),
        ({"n_paths": "abc"}, TypeError, "n_paths must be a whole number, got str 'abc'"),
        ({"n_paths": math.nan}, ValueError, "n_paths must be a whole number, got nan"),
        ({"n_threads": 2.5}, ValueError, "n_threads must be a whole number"),
        ({"batch_paths": 0}, ValueError, "batch_paths must be >= 1"),
        ({"n_paths": 2**53 + 1}, ValueError, "n_paths must be <= 9,007,199,254,740,992"),
        ({"seed": 2**64}, ValueError, "seed must be <= 18,446,744,073,709,551,615"),
    ],
)
def test_the_issue_s_examples_fail_before_the_run_naming_the_argument(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    # Issue 18, item 10: 1.5 and True ran one path, seed 1.5 ran seed 1, "abc" failed deep.
    with pytest.raises(error, match=re.escape(message)):
        wager.simulate(PROFITABILITY, progress=False, **{"n_paths": N, **kwargs})


def test_seed_1e1_runs_seed_10_and_the_manifest_records_the_int() -> None:
    a = wager.simulate(PROFITABILITY, n_paths=float(N), seed=1e1, progress=False)
    b = wager.simulate(PROFITABILITY, n_paths=N, seed=10, progress=False)
    assert a.manifest()["seed"] == 10 and type(a.manifest()["seed"]) is int
    assert a.manifest()["n_paths"] == N
    assert a.annual.equals(b.annual)


ENTRY_POINTS: dict[str, Callable[..., Any]] = {
    "compare": lambda **kw: wager.compare(PROFITABILITY, COMPUTE_FIRST, **kw),
    "stress": lambda **kw: wager.stress(PROFITABILITY, ["baseline"], **kw),
    "race": lambda **kw: wager.race(**kw),
    "reverse_stress": lambda **kw: wager.reverse_stress(PROFITABILITY, "baseline", **kw),
}


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
@pytest.mark.parametrize(
    ("argument", "value", "error"),
    [("n_paths", True, TypeError), ("n_paths", 1.5, ValueError), ("seed", "7", TypeError)],
)
def test_every_entry_point_refuses_a_bad_count(
    name: str, argument: str, value: Any, error: type[Exception]
) -> None:
    kwargs: dict[str, Any] = {"n_paths": N, argument: value}
    with pytest.raises(error, match=argument):
        ENTRY_POINTS[name](**kwargs)


def test_every_entry_point_records_the_int_it_used() -> None:
    c = wager.compare(PROFITABILITY, COMPUTE_FIRST, n_paths=np.int64(N), seed=3.0)
    g = wager.stress(PROFITABILITY, ["baseline"], n_paths=float(N), seed=np.uint32(3))
    r = wager.race(n_paths=np.float64(N), seed=np.int8(3))
    for result in (c, g, r):
        assert (result.n_paths, result.seed) == (N, 3)
        assert type(result.n_paths) is int and type(result.seed) is int
        m = result.manifest()
        assert (m["n_paths"], m["seed"]) == (N, 3) and type(m["seed"]) is int


def test_sensitivity_counts_are_strict() -> None:
    from test_sensitivity import _linear

    sc = _linear()
    t = wager.tornado(sc, n_paths=float(N), seed=np.int64(2))
    assert (t.n_paths, t.seed) == (N, 2) and type(t.n_paths) is int
    with pytest.raises(TypeError, match="n_paths"):
        wager.tornado(sc, n_paths=True)
    with pytest.raises(ValueError, match=r"year must be a whole number, got 2030\.5"):
        wager.tornado(sc, n_paths=N, year=2030.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_base must be a whole number"):
        wager.sobol(sc, n_base=16.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="paths_per_sample"):
        wager.sobol(sc, paths_per_sample=True)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        wager.sobol(sc, n_base=16, seed=0.5)  # type: ignore[arg-type]


def test_reverse_stress_checks_its_own_counts_and_bounds() -> None:
    with pytest.raises(ValueError, match="sweep must be a whole number"):
        wager.reverse_stress(PROFITABILITY, "baseline", sweep=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sweep must be <= 1,000"):
        wager.reverse_stress(PROFITABILITY, "baseline", sweep=10**6)
    with pytest.raises(ValueError, match="max_severity must be a finite number > 0, got inf"):
        wager.reverse_stress(PROFITABILITY, "baseline", max_severity=math.inf)
    with pytest.raises(ValueError, match="tolerance must be a finite number > 0, got nan"):
        wager.reverse_stress(PROFITABILITY, "baseline", tolerance=math.nan)


def test_the_helper_takes_fractions_and_numpy_values() -> None:
    from fractions import Fraction

    assert whole_number(Fraction(8, 2), "x") == 4
    assert whole_number(np.float32(3.0), "x") == 3
    with pytest.raises(ValueError, match=r"x must be a whole number, got 1\.5"):
        whole_number(Fraction(3, 2), "x")
    with pytest.raises(TypeError, match="x must be a whole number, got NoneType"):
        whole_number(None, "x")


# --- item 10: bounds on threads, grids and Dask tasks ------------------------------------


def test_n_threads_is_bounded_by_four_times_the_cpus_and_1024() -> None:
    limit = local_thread_limit()
    assert 4 <= limit <= MAX_THREADS == 1024
    assert RunOptions(N, 0, limit).n_threads == limit
    with pytest.raises(ValueError, match=rf"n_threads must be <= {limit:,} \(four times the CPUs"):
        wager.simulate(PROFITABILITY, n_paths=N, n_threads=limit + 1, progress=False)
    # Issue 18: 1,000 threads for 1,000 paths used 4 GB.
    with pytest.raises(ValueError, match="n_threads"):
        wager.simulate(PROFITABILITY, n_paths=1_000, n_threads=1_000, progress=False)
    # On Dask n_threads is each task's, on a worker this process cannot see.
    assert RunOptions(N, 0, MAX_THREADS, backend="dask").n_threads == MAX_THREADS
    with pytest.raises(ValueError, match="n_threads must be <= 1,024"):
        RunOptions(N, 0, MAX_THREADS + 1, backend="dask")


def test_a_grid_over_the_cell_limit_is_refused_before_anything_is_prepared() -> None:
    severities = [i / MAX_GRID_CELLS for i in range(MAX_GRID_CELLS + 1)]
    with pytest.raises(ValueError, match=r"= 10,001 cells is over the limit of 10,000 cells"):
        wager.stress(PROFITABILITY, ["baseline"], severity=severities, n_paths=N)
    with pytest.raises(ValueError, match=r"severity 0\.5 is given twice"):
        wager.stress(PROFITABILITY, ["baseline"], severity=[0.5, 1.0, 0.5], n_paths=N)


def test_a_grid_that_does_not_fit_is_refused_naming_the_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared: list[Any] = []
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**20)
    monkeypatch.setattr(
        "wager.analyses.stress_grid.prepare_strategy", lambda *a: prepared.append(a)
    )
    with pytest.raises(MemoryError, match=r"a grid of 60 cells \(200 paths each\) would need"):
        wager.stress(
            [PROFITABILITY, COMPUTE_FIRST],
            ["baseline", "price_war", "telecom_2001"],
            severity=[i / 10 for i in range(10)],
            n_paths=N,
            n_threads=1,
        )
    assert prepared == []  # refused before the first cell was prepared


@settings(max_examples=60, deadline=None)
@given(
    n_paths=st.integers(min_value=1, max_value=10**13),
    chunk=st.integers(min_value=1, max_value=10**7),
)
def test_dask_tasks_warn_over_10k_and_are_refused_over_a_million(n_paths: int, chunk: int) -> None:
    tasks = -(-n_paths // chunk)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if tasks > MAX_DASK_TASKS:
            with pytest.raises(ValueError, match=r"chunk_paths=.* over the limit of 1,000,000"):
                check_task_count(n_paths, chunk)
            return
        assert check_task_count(n_paths, chunk) == tasks
    warned = [w for w in caught if "chunk_paths" in str(w.message)]
    assert len(warned) == (1 if tasks > WARN_DASK_TASKS else 0)


def test_tiny_dask_chunks_are_refused_before_a_cluster_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import wager.kernel.execution as execution

    def no_cluster(client: Any) -> Any:
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(execution, "_client", no_cluster)
    with pytest.raises(ValueError, match=r"chunk_paths=1 makes 2,000,000 Dask tasks"):
        wager.simulate(
            PROFITABILITY, n_paths=2_000_000, backend="dask", chunk_paths=1, progress=False
        )
    with pytest.raises(TypeError, match="chunk_paths must be a whole number"):
        wager.simulate(PROFITABILITY, n_paths=N, backend="dask", chunk_paths=True)


# --- item 10: the run-time estimate -------------------------------------------------------


def test_the_estimate_is_path_steps_at_the_documented_rate() -> None:
    # compute_first: 11 years x 4 steps; 10**9 paths on one thread.
    seconds = estimate_run_time(COMPUTE_FIRST, 10**9, n_threads=1)
    assert seconds == pytest.approx(10**9 * 44 / PATH_STEPS_PER_SECOND + 0.002)
    assert format_duration(seconds) == "about 3 h 3 min"
    # Cells and strategies add up; threads divide, up to the CPUs this process has.
    both = estimate_run_time([PROFITABILITY, COMPUTE_FIRST], 10**6, cells_per_scenario=4)
    one = estimate_run_time(COMPUTE_FIRST, 10**6, n_threads=1)
    assert both < 8 * one
    assert estimate_run_time(COMPUTE_FIRST, 10**6, n_threads=10**6, backend="dask") < 0.01
    with pytest.raises(ValueError, match="n_paths must be a whole number"):
        estimate_run_time(COMPUTE_FIRST, 1.5)
    assert format_duration(12.2) == "about 12 s"
    assert format_duration(5 * 86400) == "about 5 days"
    assert format_duration(1e12) == "about 31,710 years"


@settings(max_examples=50, deadline=None)
@given(
    n_paths=st.integers(min_value=0, max_value=MAX_PATHS - 1),
    cells=st.integers(min_value=1, max_value=100),
    threads=st.integers(min_value=1, max_value=64),
)
def test_the_estimate_grows_with_the_work_and_is_finite(
    n_paths: int, cells: int, threads: int
) -> None:
    t = estimate_run_time(COMPUTE_FIRST, n_paths, cells_per_scenario=cells, n_threads=threads)
    more = estimate_run_time(
        COMPUTE_FIRST, n_paths + 1, cells_per_scenario=cells, n_threads=threads
    )
    assert math.isfinite(t) and 0 < t <= more
    assert format_duration(t).startswith("about ")


def test_the_cli_prints_the_estimate_of_a_long_run_before_it_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 18: `--paths 1e12` started without an estimate. A run that long
    # cannot run here: at 400 path-steps/s, 200 paths x 44 steps "take" 22 s.
    monkeypatch.setattr(cli_options, "PATH_STEPS_PER_SECOND", 400.0)
    monkeypatch.setattr(run_module, "PATH_STEPS_PER_SECOND", 400.0)
    result = CliRunner().invoke(
        cli, ["simulate", "compute_first", "--paths", str(N), "--threads", "1"]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("wager: estimated run time about 22 s (an estimate")
    assert "0.0004 M path-steps/s per thread" in first
    monkeypatch.undo()
    fast = CliRunner().invoke(cli, ["simulate", "compute_first", "--paths", str(N)])
    assert fast.exit_code == 0 and "estimated run time" not in fast.output


def test_a_run_of_1e12_paths_shows_its_estimate_first() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "wager", "simulate", "compute_first", "--paths", "1e12"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stderr is not None
            line = proc.stderr.readline()  # printed before the run starts
        finally:
            proc.kill()
    assert line.startswith("wager: estimated run time about ")
    assert "days" in line or "years" in line


# --- item 7: the command line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--aggression", "nan", "nan is not a number in [0.01, 100]"),
        ("--aggression", "inf", "inf is not a number in [0.01, 100]"),
        ("--aggression", "0", "0.0 is not a number in [0.01, 100]"),
        ("--aggression", "1e300", "1e+300 is not a number in [0.01, 100]"),
        ("--share-sensitivity", "1e400", "inf is not a number in [0, 10]"),
        ("--share-sensitivity", "-1", "-1.0 is not a number in [0, 10]"),
        ("--funding", "-inf", "-inf is not a number in [0, 100]"),
        ("--bust", "1e10", "10000000000.0 is not a number in [0, 100]"),
    ],
)
def test_race_refuses_a_setting_that_is_not_finite_or_out_of_range(
    option: str, value: str, message: str
) -> None:
    _refused(_run("race", option, value, "--paths", str(N)), f"'{option}'", message)


@pytest.mark.parametrize(
    ("sweep", "message"),
    [
        ("aggression=1,nan", "aggression must be a number in [0.01, 100], got nan"),
        ("bust=1,1e400", "bust must be a number in [0, 100], got inf"),
        ("funding=-1", "funding must be a number in [0, 100], got -1.0"),
    ],
)
def test_race_checks_every_sweep_value_before_the_first_run(sweep: str, message: str) -> None:
    _refused(_run("race", "--sweep", sweep, "--paths", str(N)), "'--sweep'", message)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(sorted(RACE_LIMITS)),
    value=st.floats(allow_nan=True, allow_infinity=True),
)
def test_a_race_setting_is_finite_and_in_range_or_refused(name: str, value: float) -> None:
    lo, hi = RACE_LIMITS[name]
    if math.isfinite(value) and lo <= value <= hi:
        assert check_race_setting(name, value) == value
    else:
        with pytest.raises(ValueError, match=f"{name} must be a number in"):
            check_race_setting(name, value)
        with pytest.raises(ValueError, match=name):
            wager.race(n_paths=N, **{name: value})


def test_a_race_at_the_limits_runs_with_finite_shares() -> None:
    r = wager.race(share_sensitivity=10, aggression=100, funding=100, bust=100, n_paths=N)
    assert np.isfinite(r.multipliers.to_numpy()).all()
    with pytest.raises(TypeError, match="aggression"):
        wager.race(aggression=True, n_paths=N)


@pytest.mark.parametrize(
    ("args", "hint", "message"),
    [
        (["compare", "profitability", "profitability"], "SCENARIOS", "'profitability' is given"),
        (["report", "compute_first", "compute_first"], "SCENARIOS", "'compute_first' is given"),
        (["stress", "compute_first", "compute_first"], "SCENARIOS", "'compute_first' is given"),
        (["project", "profitability", "profitability"], "SCENARIOS", "'profitability' is given"),
        (["race", "profitability", "profitability"], "LABS", "the lab 'profitability'"),
        (["compare", "--stress", "baseline", "--stress", "baseline"], "'--stress'", "'baseline'"),
        (["stress", "--stress", "price_war", "--stress", "price_war"], "'--stress'", "price_war"),
        (["stress", "--severity", "0.5", "--severity", "0.5"], "'--severity'", "0.5 is given"),
    ],
)
def test_the_same_strategy_stress_or_severity_twice_is_refused(
    args: list[str], hint: str, message: str
) -> None:
    extra = [] if args[0] == "project" else ["--paths", str(N)]
    _refused(_run(*args, *extra), hint, message, "twice")


def test_two_files_with_one_strategy_name_are_refused(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(wager.presets.text("profitability"), encoding="utf-8")
    a, b = str(tmp_path / "a.toml"), str(tmp_path / "b.toml")
    _refused(_run("compare", a, b, "--paths", str(N)), "the strategy 'profitability' is given")
    _refused(_run("race", a, b, "--paths", str(N)), "LABS", "'profitability' is given twice")


@pytest.mark.parametrize(
    ("args", "option", "message"),
    [
        (["report", "--out", "/proc/wager-test/r.html"], "'--out'", "no file can be created"),
        (["report", "--out", "{tmp}"], "'--out'", "is a directory"),
        (["report", "--out", "{file}/r.html"], "'--out'", "is not a directory"),
        (["compare", "--format", "csv", "--out", "{file}/x"], "'--out'", "is not a directory"),
        (["compare", "--format", "csv", "--out", "/proc/wager-test"], "'--out'", "no file can"),
        (["compare", "--plots", "{file}/plots"], "'--plots'", "is not a directory"),
        (["stress", "--plots", "{file}/plots"], "'--plots'", "is not a directory"),
        (["race", "--plot", "{tmp}/race.txt"], "'--plot'", "must end in .png, .svg, .pdf"),
        (["race", "--plot", "{file}/race.png"], "'--plot'", "is not a directory"),
        (["compare", "--out", "{tmp}"], "", "--out writes csv, json, parquet or xlsx"),
        (["compare", "--format", "parquet"], "", "--format parquet needs --out"),
    ],
)
def test_an_unwritable_output_is_refused_before_the_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    option: str,
    message: str,
) -> None:
    # Issue 18: an unwritable --out was found only after the whole run.
    file = tmp_path / "plain.txt"
    file.write_text("x", encoding="utf-8")
    ran: list[Any] = []
    for module in ("compare", "race", "stress"):
        mod = sys.modules[f"wager.cli.{module}"]
        for fn in ("run_compare", "race", "run_grid"):
            if hasattr(mod, fn):
                monkeypatch.setattr(mod, fn, lambda *a, **k: ran.append(a))
    filled = [a.format(tmp=tmp_path, file=file) for a in args]
    _refused_in_process([*filled, "--paths", str(N)], option, message)
    assert ran == []


def test_a_folder_that_can_be_created_or_written_is_accepted(tmp_path: Path) -> None:
    assert cli_options.writable_folder(tmp_path / "new" / "deeper", "--out").name == "deeper"
    assert cli_options.writable_file(tmp_path / "r.html", "--out").name == "r.html"
    assert not list(tmp_path.iterdir())  # the probe leaves nothing behind


def test_a_grid_over_the_cell_limit_is_a_usage_error_naming_the_options() -> None:
    severities = [arg for i in range(5_001) for arg in ("--severity", f"{i / 5_000}")]
    _refused(
        _run("stress", "--stress", "baseline", *severities, "--paths", str(N)),
        "'--stress' / '--severity'",
        "2 strategies x 1 stresses x 5001 severities = 10,002 cells",
        "over the limit of 10,000 cells",
    )


def test_a_grid_that_cannot_fit_in_memory_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**20)
    line = _refused_in_process(
        ["stress", "--severity", "0.5", "--severity", "1", "--paths", str(N), "--threads", "1"],
        "'--paths' / '--threads' / '--stress' / '--severity'",
        # Both presets x the library x 2 severities.
        f"a grid of {2 * len(wager.stresses.one_bet_names()) * 2} cells ({N} paths each) "
        "would need about",
        "GiB is available",
    )
    assert "0.00 GiB is available" in line


def test_a_run_that_cannot_fit_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 2**20)
    monkeypatch.setattr(memory, "SMALL_RUN_BYTES", 0)
    _refused_in_process(
        ["simulate", "compute_first", "--paths", str(N)],
        "'--paths' / '--threads'",
        "would need about",
    )
    _refused_in_process(["race", "--paths", str(N)], "'--paths' / '--threads'", "would need")


@pytest.mark.parametrize(
    ("args", "option", "message"),
    [
        (["simulate", "compute_first", "--threads", "100000"], "'--threads'", "100,000 threads"),
        (["simulate", "compute_first", "--paths", "1e30"], "'--paths'", "more paths than"),
        (["simulate", "compute_first", "--paths", "nan"], "'--paths'", "positive whole number"),
        (["compare", "--severity", "nan"], "'--severity'", "nan is not a finite severity"),
        (["stress", "--severity", "inf"], "'--severity'", "inf is not a finite severity"),
        (["project", "--severity", "inf"], "'--severity'", "inf is not a finite severity"),
        (["compare", "--reference", "nope"], "'--reference'", "'nope' is not one of"),
    ],
)
def test_other_bad_values_are_usage_errors(args: list[str], option: str, message: str) -> None:
    extra = [] if args[0] == "project" or "--paths" in args else ["--paths", str(N)]
    _refused(_run(*args, *extra), option, message)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    option=st.sampled_from(["--aggression", "--share-sensitivity", "--funding", "--bust"]),
    value=st.one_of(
        st.sampled_from(["nan", "inf", "-inf", "1e400", "-1e-300", "1e6"]),
        st.floats(min_value=101, max_value=1e300).map(repr),
    ),
)
def test_any_bad_race_option_exits_2_in_one_line(option: str, value: str) -> None:
    line = _refused_in_process(["race", option, value, "--paths", str(N)], f"'{option}'")
    assert "is not a number in" in line
