"""``--set FIELD.PATH=VALUE`` (issue 19, item 5): every command that reads a
scenario takes it, repeatable, with the stress targets' path syntax and a
TOML value, set before validation; ``STRATEGY:`` sets one strategy only.
Its numbers are checked against a hand computation; bad syntax ends in one
``Error:`` line and exit status 2; a value the scenario refuses is named as
coming from ``--set``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from test_cli import _run  # the command as a user runs it

import wager
from wager.cli import cli
from wager.cli.main import _run as run_command  # main() without its process-wide settings

PRESET = wager.presets.load("compute_first")

#: Revenue 10 a year at 40% inference cost and nothing else: profitable from
#: the first step, so no round is raised and cash only earns its yield.
STEADY = """\
name = "steady"

[segments.core]
revenue = 10.0
inference_cost_ratio = 0.4

[financing]
initial_cash = 5.0
"""


def _steady(tmp_path: Path) -> Path:
    path = tmp_path / "steady.toml"
    path.write_text(STEADY, encoding="utf-8")
    return path


def _cash(args: list[str]) -> pd.Series:
    """Year-end cash of one strategy, from ``wager project --format csv``."""
    result = CliRunner().invoke(cli, ["project", *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    tidy = pd.read_csv(io.StringIO(result.stdout))
    cash = tidy[(tidy["metric"] == "cash") & (tidy["kind"] == "annual")]
    return cash.set_index("year")["value"]


def _command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of a command run in
    this process as ``wager`` runs it (a refused scenario is printed, exit 2)."""
    capsys.readouterr()
    try:
        run_command(list(args))
        status = 0
    except SystemExit as end:
        status = int(end.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def _usage_error(args: list[str], *fragments: str) -> str:
    """Exit status 2, one ``Error:`` line naming ``--set`` and holding every fragment."""
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output and result.stdout.count("Error:") == 0
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert "'--set'" in errors[0]
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])
    return errors[0]


# --- numbers -----------------------------------------------------------------------------


def test_more_initial_cash_shifts_cash_as_a_hand_computation_says(tmp_path: Path) -> None:
    path = str(_steady(tmp_path))
    before = _cash([path])
    after = _cash([path, "--set", "financing.initial_cash=12.5"])
    # The extra 7.5 earns the default 4% a year, a quarter at a time, taxed at
    # the default 21% (every step is profitable: no loss carried forward):
    # 7.5 (1 + 0.04/4 x 0.79)^(4 k) at the end of the k-th year.
    years = before.index - 2024
    expected = 7.5 * (1 + 0.04 / 4 * (1 - 0.21)) ** (4 * years)
    assert after.sub(before).to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    assert after.iloc[0] - before.iloc[0] == pytest.approx(7.739823270382561, rel=1e-12)
    # Without the yield, the shift is the 7.5 itself, every year.
    flat = ["--set", "financing.cash_yield=0"]
    shift = _cash([path, *flat, "--set", "financing.initial_cash=12.5"]) - _cash([path, *flat])
    assert shift.to_numpy() == pytest.approx([7.5] * len(shift), rel=1e-12)


def test_later_sets_win_and_tables_and_distributions_are_values(tmp_path: Path) -> None:
    path = str(_steady(tmp_path))
    twice = _cash([path, "--set", "financing.initial_cash=1", "--set", "financing.initial_cash=8"])
    assert twice.equals(_cash([path, "--set", "financing.initial_cash=8"]))
    # A distribution's central value (the median of a normal is its mean) in a projection.
    normal = _cash([path, "--set", 'financing.initial_cash={dist = "normal", mean = 8, sd = 1}'])
    assert normal.equals(twice)


def test_a_strategy_prefix_sets_one_strategy_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["project", "--set", "compute_first:financing.initial_cash=60", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = {s["name"]: s for s in json.loads(result.stdout)["strategies"]}
    plain = CliRunner().invoke(cli, ["project", "--format", "json"])
    base = {s["name"]: s for s in json.loads(plain.stdout)["strategies"]}
    assert doc["profitability"] == base["profitability"]
    assert doc["compute_first"] != base["compute_first"]
    expected = wager.project(PRESET.with_values({"financing.initial_cash": 60.0}))
    assert doc["compute_first"]["annual"]["2025"]["cash"] == pytest.approx(
        expected.annual.loc[2025, "cash"], rel=1e-12
    )
    # A file's strategy is named by its path as given or by its name.
    path = str(_steady(tmp_path))
    for target in (path, "steady"):
        assert _cash([path, "--set", f"{target}:financing.initial_cash=8"]).equals(
            _cash([path, "--set", "financing.initial_cash=8"])
        )


class _Stop(Exception):
    """Raised by a patched run: the test has what the command passed it."""


def _captured(monkeypatch: pytest.MonkeyPatch, target: str, args: list[str]) -> list[Any]:
    """The scenarios a command hands its run (patched at ``target``)."""
    seen: list[Any] = []

    def fake(*a: Any, **kw: Any) -> Any:
        seen.extend(x for x in [*a, *kw.values()] if isinstance(x, wager.Scenario))
        seen.extend(
            s
            for x in [*a, *kw.values()]
            if isinstance(x, list)
            for s in x
            if isinstance(s, wager.Scenario)
        )
        raise _Stop

    monkeypatch.setattr(target, fake)
    result = CliRunner().invoke(cli, args)
    assert isinstance(result.exception, _Stop), (result.output, result.exception)
    return seen


@pytest.mark.parametrize(
    ("target", "command"),
    [
        ("wager.cli.project.run_simulation", ["simulate", "compute_first"]),
        ("wager.cli.compare.run_compare", ["compare"]),
        ("wager.cli.compare.run_compare", ["report", "--out", "{tmp}/r.html"]),
        ("wager.cli.stress.run_grid", ["stress", "--stress", "baseline"]),
        ("wager.cli.race.race", ["race"]),
    ],
)
def test_every_monte_carlo_command_runs_the_scenarios_with_their_sets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target: str, command: list[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    seen = _captured(
        monkeypatch,
        target,
        [*args, "--paths", "100", "--set", "compute_first:financing.initial_cash=60"],
    )
    by_name = {sc.name: sc for sc in seen}
    assert by_name["compute_first"] == PRESET.with_values({"financing.initial_cash": 60.0})
    assert by_name["compute_first"].origin.overrides == (
        "--set compute_first:financing.initial_cash=60",
    )
    if "profitability" in by_name:
        assert by_name["profitability"] == wager.presets.load("profitability")


def test_simulate_with_set_is_the_api_with_values() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "simulate",
            "compute_first",
            "--paths",
            "256",
            "--seed",
            "3",
            "--threads",
            "1",
            "--format",
            "json",
            "--set",
            "financing.initial_cash=30",
            "--set",
            "segments.*.volatility=0.4",
        ],
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    sc = PRESET.with_values({"financing.initial_cash": 30.0, "segments.*.volatility": 0.4})
    r = wager.simulate(sc, n_paths=256, seed=3, n_threads=1, progress=False)
    assert got["by_year"]["2035"]["cash.mean"] == pytest.approx(
        r.annual.loc["cash", "mean"][2035], rel=1e-12
    )


def test_validate_with_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(_steady(tmp_path))
    status, out, err = _command(capsys, "validate", path, "--set", "x=1")
    assert status == 2 and out == ""
    assert err.splitlines() == [f"{path}: x: unknown key (from --set)"]
    other = tmp_path / "other.toml"
    other.write_text(STEADY.replace('"steady"', '"other"'), encoding="utf-8")
    status, out, err = _command(
        capsys, "validate", path, str(other), "--set", "other:financing.initial_cash=-1"
    )
    assert status == 2
    assert out.startswith(f"{path}: valid")
    assert err.splitlines() == [
        f"{other}: financing.initial_cash: Input should be greater than or equal to 0 "
        "(got -1) (from --set)"
    ]


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("financing.initial_cash", "is not FIELD.PATH=VALUE"),
        ("=3", "the field path is empty"),
        ("financing..initial_cash=3", "(empty) is not a key"),
        ("financing.initial cash=3", "initial cash is not a key"),
        ("financing.initial_cash=[1,", "is not a TOML value"),
        ("financing.initial_cash=1\nx = 2", "is more than one TOML value"),
        (":financing.initial_cash=3", "no strategy before ':'"),
        ("a" * 201 + "=1", "over 200 characters"),
        ("financing.initial_cash=", "is not a TOML value"),
    ],
)
def test_bad_syntax_is_one_line_and_exit_2(text: str, fragment: str) -> None:
    line = _usage_error(["project", "compute_first", "--set", text], fragment)
    assert "\n" not in line


def test_bad_syntax_as_a_user_sees_it() -> None:
    out = _run("compare", "--set", "financing.initial_cash", "--paths", "100")
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: Invalid value for '--set': 'financing.initial_cash' is not FIELD.PATH=VALUE"
    ]


def test_an_unknown_strategy_is_a_usage_error() -> None:
    _usage_error(
        ["project", "--set", "compute_frist:financing.initial_cash=3"],
        "'compute_frist' is none of the strategies (profitability, compute_first)",
    )


def test_echoed_text_is_escaped() -> None:
    line = _usage_error(["project", "--set", "financing.\x1b[2J=1"])
    assert "\x1b" not in line and "\\x1b[2J" in line


def test_a_value_the_scenario_refuses_names_set_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = _command(
        capsys, "project", "compute_first", "--set", "financing.initial_cash=-1"
    )
    assert status == 2 and out == "" and "Traceback" not in err
    assert err.splitlines() == [
        "preset compute_first: financing.initial_cash: Input should be greater than or equal "
        "to 0 (got -1) (from --set)"
    ]
    status, out, err = _command(
        capsys, "project", "compute_first", "--set", "compute.commitments.nope.total=1"
    )
    assert status == 2
    assert err.startswith(
        "preset compute_first: compute.commitments: no item named 'nope' (names: oracle_stargate"
    )
