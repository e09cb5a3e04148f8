"""The ``wager`` command line, end to end: output and exit codes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import wager
from wager.cli import cli
from wager.present.headline import headline
from wager.present.numbers import percent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wager", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_project_without_arguments_shows_both_presets() -> None:
    result = CliRunner().invoke(cli, ["project"])
    assert result.exit_code == 0, result.output
    out = result.output
    for word in (
        "profitability, per year",
        "compute_first, per year",
        "revenue",
        "operating income",
        "free cash flow",
        "cash",
        "first operating profit",
        "distress",
        "peak funding need",
    ):
        assert word in out
    # It leads with the headline, and the figures are the projection's,
    # rounded to one decimal.
    p = wager.project(wager.presets.load("compute_first"))
    assert " ".join(out.split()).startswith(
        " ".join(headline(wager.project(wager.presets.load("profitability"))))
    )
    assert f"{p.annual.loc[2028, 'operating_income']:,.1f}" in out
    assert f"{p.events.peak_funding_need:,.1f}" in out


def test_project_csv_is_tidy_and_matches_the_projection() -> None:
    result = CliRunner().invoke(cli, ["project", "--format", "csv"])
    assert result.exit_code == 0
    df = pd.read_csv(io.StringIO(result.output))
    assert list(df.columns) == ["strategy", "kind", "year", "metric", "value"]
    row = df[(df.strategy == "profitability") & (df.year == 2027) & (df.metric == "revenue")]
    assert row["value"].item() == pytest.approx(38.9)
    ev = df[(df.strategy == "compute_first") & (df.metric == "first_profit_year")]
    assert ev["value"].item() == 2030


def test_project_all_columns_of_strategies_with_different_segments() -> None:
    # The presets' segments differ (enterprise_api only in profitability): a
    # strategy without a column shows "-" in the table and has no csv rows.
    table = CliRunner().invoke(cli, ["project", "--all-columns"], env={"COLUMNS": "100"})
    assert table.exit_code == 0, table.output
    assert max(len(line) for line in table.output.splitlines()) <= 100
    mine, theirs = table.output.split("compute_first, per year")
    api = wager.project(wager.presets.load("profitability")).annual.loc[
        2028, "revenue_enterprise_api"
    ]
    # The first column is revenue_enterprise_api: the value, then "-" where
    # compute_first has no such segment.
    first = next(line for line in mine.splitlines() if line.startswith("2028"))
    other = next(line for line in theirs.splitlines() if line.startswith("2028"))
    assert first.split()[1] == f"{api:,.1f}" and other.split()[1] == "-"
    csv = CliRunner().invoke(cli, ["project", "--all-columns", "--format", "csv"])
    assert csv.exit_code == 0, csv.output
    df = pd.read_csv(io.StringIO(csv.output))
    api_rows = df[df.metric == "revenue_enterprise_api"]
    assert set(api_rows.strategy) == {"profitability"}
    assert float(api_rows[api_rows.year == 2028]["value"].item()) == pytest.approx(api)


def test_project_json_matches_the_projection(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(wager.presets.text("profitability"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["project", str(path), "compute_first", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert [s["name"] for s in doc["strategies"]] == ["profitability", "compute_first"]
    p = wager.project(wager.presets.load("compute_first"))
    assert doc["strategies"][1]["annual"]["2028"]["operating_income"] == pytest.approx(
        p.annual.loc[2028, "operating_income"]
    )
    assert doc["strategies"][1]["events"]["distress_year"] is None


def test_project_validate_presets_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["project", "compute_first", "--all-columns"])
    assert out.exit_code == 0 and "idle cost net" in out.output
    path = tmp_path / "ok.toml"
    path.write_text(wager.presets.text("compute_first"), encoding="utf-8")
    out = runner.invoke(cli, ["validate", str(path)])
    assert out.exit_code == 0 and "valid" in out.output
    out = runner.invoke(cli, ["presets"])
    assert out.output.splitlines()[0].startswith("compute_first:")
    out = runner.invoke(cli, ["schema"])
    assert json.loads(out.output) == wager.Scenario.model_json_schema()


def test_bad_file_exits_2_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        wager.presets.text("profitability").replace("\ninitial_cash = ", "\ninital_cash = "),
        encoding="utf-8",
    )
    for args in (
        ["validate", str(path)],
        ["project", str(path)],
        ["compare", str(path), "compute_first", "--paths", "100"],
    ):
        proc = _run(*args)
        assert proc.returncode == 2, proc
        assert "Traceback" not in proc.stderr
        assert str(path) in proc.stderr
        assert (
            "financing.inital_cash" in proc.stderr and "did you mean 'initial_cash'" in proc.stderr
        )
        assert proc.stdout == ""


def test_missing_file_and_bad_usage_exit_2() -> None:
    proc = _run("project", "/nonexistent/scenario.toml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "/nonexistent/scenario.toml" in proc.stderr
    proc = _run("project", "compute-first")
    assert proc.returncode == 2
    assert "did you mean the preset 'compute_first'" in proc.stderr
    proc = _run("compare", "--format", "xml")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_entry_point_and_version() -> None:
    proc = _run("--version")
    assert proc.returncode == 0 and wager.__version__ in proc.stdout
    proc = _run("--help")
    assert proc.returncode == 0 and "Examples" in proc.stdout


def test_simulate_command_matches_the_api() -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli, ["simulate", "compute_first", "--paths", "2e3", "--seed", "3", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    r = wager.simulate(wager.presets.load("compute_first"), n_paths=2_000, seed=3, progress=False)
    assert doc["n_paths"] == 2_000 and doc["seed"] == 3
    assert doc["by_year"]["2030"]["P(distress by year).probability"] == pytest.approx(
        r.distress_probability.loc[2030, "probability"]
    )
    table = runner.invoke(cli, ["simulate", "profitability", "--paths", "1000"])
    assert table.exit_code == 0 and "Value-at-Risk" in table.output
    bad = runner.invoke(cli, ["simulate", "compute_first", "--paths", "abc"])
    assert bad.exit_code == 2 and "not a number of paths" in bad.output


def test_stresses_lists_the_library() -> None:
    out = _run("stresses", "-v")
    assert out.returncode == 0, out.stderr
    for name in ("baseline", "funding_freeze", "telecom_2001"):
        assert f"{name}: " in out.stdout
    assert "includes ai_bubble_burst" in out.stdout
    assert "market.regimes.*.raise_success set 0.0 from 2027 for 2 yr (step)" in out.stdout
    # The presets have no owned capacity or backstop: two stresses change
    # nothing; the profitability lab has no debt, so a rate shock changes
    # nothing there either (the compute-first lab draws its facility).
    blocks = {b.split(":", 1)[0]: " ".join(b.split()) for b in re.split(r"\n(?=\w)", out.stdout)}
    note = "No effect on the preset(s) compute_first, profitability"
    for name in ("gpu_price_collapse", "no_backstop"):
        assert note in blocks[name], name
    assert "No effect on the preset(s) profitability:" in blocks["rate_shock"]
    for name in ("funding_freeze", "ai_bubble_burst", "backstop", "telecom_2001"):
        assert "No effect" not in blocks[name], name


def test_stress_runs_a_grid_and_refuses_an_unknown_stress() -> None:
    out = _run(
        "stress",
        "compute_first",
        "--stress",
        "funding_freeze",
        "--severity",
        "0",
        "--severity",
        "1",
        "--paths",
        "500",
        "--format",
        "csv",
    )
    assert out.returncode == 0, out.stderr
    rows = out.stdout.strip().splitlines()
    assert rows[0].startswith("strategy,stress,severity,p_distress")
    assert rows[1].startswith("compute_first,funding_freeze,0.0,") and len(rows) == 3
    # Without new equity from 2028 about three paths in four run out of cash
    # that year (0.749 on 100,000 paths, docs/stress.md; 500 paths: se 0.019).
    p_freeze, p_base = float(rows[2].split(",")[3]), float(rows[1].split(",")[3])
    assert abs(p_freeze - 0.749) < 0.08 and p_freeze > p_base
    bad = _run("stress", "compute_first", "--stress", "no_such")
    assert bad.returncode == 2 and "unknown stress" in bad.stderr


def test_compare_runs_the_presets_on_the_same_paths_under_stresses(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli, ["compare", "--paths", "2000", "--seed", "3", "--stress", "funding_freeze"]
    )
    assert out.exit_code == 0, out.output
    assert "== funding_freeze: compute_first against profitability" in out.output
    c = wager.compare(
        wager.presets.load("profitability"),
        wager.presets.load("compute_first"),
        n_paths=2000,
        seed=3,
        stresses=["funding_freeze"],
        progress=False,
    )
    p = c.summary().loc[("funding_freeze", "P(distress by 2035)"), "profitability"]
    assert percent(p) in out.output
    # The answer first: the headline, then the tables.
    assert " ".join(out.output.split()).startswith(" ".join(headline(c)))
    done = runner.invoke(
        cli, ["compare", "--paths", "500", "--out", str(tmp_path / "res"), "--format", "parquet"]
    )
    assert done.exit_code == 0, done.output
    back = wager.read_results(tmp_path / "res" / "comparison.parquet")
    assert back.manifest["kind"] == "comparison" and back.manifest["n_paths"] == 500
    assert back.manifest["stresses"] == [
        "baseline",
        "ai_bubble_burst",
        "funding_freeze",
        "telecom_2001",
    ]


def test_compare_and_report_refuse_bad_usage(tmp_path: Path) -> None:
    assert _run("compare", "compute_first", "--paths", "10").returncode == 2
    assert _run("compare", "--paths", "10", "--format", "parquet").returncode == 2
    assert _run("compare", "--paths", "10", "--out", str(tmp_path)).returncode == 2
    proc = _run(
        "report", "--paths", "500", "--stress", "price_war", "--out", str(tmp_path / "r.html")
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_race_prints_the_matrix_and_the_equilibria(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli, ["race", "--paths", "2000", "--seed", "5", "--plot", str(tmp_path / "race.png")]
    )
    assert out.exit_code == 0, out.output
    r = wager.race(n_paths=2000, seed=5)
    assert " ".join(out.output.split()).startswith(" ".join(headline(r)))
    for x, y in r.equilibria:
        assert f"{r.labs[0]} plays {x}, {r.labs[1]} plays {y}" in " ".join(out.output.split())
    assert (tmp_path / "race.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sweep = runner.invoke(
        cli, ["race", "--paths", "1000", "--sweep", "share_sensitivity=0,1", "--format", "csv"]
    )
    assert sweep.exit_code == 0, sweep.output
    assert sweep.output.splitlines()[1].startswith("0.0,prudent/prudent")
    bad = _run("race", "--sweep", "greed=1,2")
    assert bad.returncode == 2 and "PARAMETER" in bad.stderr


def test_compare_and_stress_write_their_pictures(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli,
        [
            "compare",
            "--paths",
            "500",
            "--stress",
            "baseline",
            "--plots",
            str(tmp_path / "c"),
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    names = sorted(p.name for p in (tmp_path / "c").iterdir())
    assert names == [
        "fan_cash_baseline.png",
        "fan_operating_income_baseline.png",
        "first_profit_baseline.png",
        "survival_baseline.png",
    ]
    for p in (tmp_path / "c").iterdir():
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (800, 450)  # 8 x 4.5 inches at matplotlib's 100 dpi
    out = runner.invoke(
        cli,
        [
            "stress",
            "compute_first",
            "--stress",
            "price_war",
            "--paths",
            "300",
            "--severity",
            "0.5",
            "--severity",
            "1",
            "--plots",
            str(tmp_path / "s"),
            "--plot-format",
            "svg",
            "--format",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    svgs = sorted(p.name for p in (tmp_path / "s").iterdir())
    assert svgs == ["heatmap_p_distress_0.5.svg", "heatmap_p_distress_1.svg"]
    assert all(
        (tmp_path / "s" / n).read_text(encoding="utf-8").lstrip().startswith("<?xml") for n in svgs
    )


def test_a_version_1_scenario_is_read_with_a_plain_warning(tmp_path: Path) -> None:
    # A 0.1 file (no schema_version) whose management renegotiates with a penalty.
    text = wager.presets.text("compute_first")
    text = re.sub(r"(?m)^schema_version = 5.*\n", "", text)
    text = re.sub(r"(?m)^penalty_timing = .*\n", "", text)
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    out = _run("validate", str(path))
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith("wager: warning: compute_first: schema_version 1 (wager 0.1)")
    assert "Traceback" not in out.stderr and ".py:" not in out.stderr


@pytest.mark.parametrize("paths", ["nan", "inf", "-inf", "1e400"])
def test_a_path_count_that_is_not_finite_is_a_usage_error(paths: str) -> None:
    # Issue 18, item 7: a message and status 2, not a traceback and status 1.
    out = _run("simulate", "compute_first", f"--paths={paths}")
    assert out.returncode == 2
    assert f"'{paths}' is not a positive whole number of paths" in out.stderr
    assert "Traceback" not in out.stderr


def test_stresses_leads_with_what_the_library_holds() -> None:
    out = _run("stresses")
    assert out.returncode == 0, out.stderr
    lead = " ".join(out.stdout.split("\n\n")[0].split())
    n = len(wager.stresses.names())
    assert lead.startswith(f"{n} stresses in the library")
    assert "gpu_price_collapse (compute_first, profitability)" in lead
    assert "rate_shock (profitability)" in lead
