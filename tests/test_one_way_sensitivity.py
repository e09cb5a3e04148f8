"""``wager.sensitivity``: each input alone at x (1 - change) and x (1 + change),
checked against the stresses and simulations it stands for."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import wager
from wager.analyses.one_way import DETERMINISTIC_METRICS, ONE_WAY_METRICS, default_inputs
from wager.cli import cli
from wager.compile.uncertainty import central_scenario
from wager.stresses import StressError

CHANGE = 0.1
YEAR = 2030


def _scale(target: str, factor: float) -> wager.Stress:
    return wager.Stress(
        name="by_hand", shocks=[wager.Shock(target=target, op="scale", value=factor)]
    )


@pytest.fixture(scope="module")
def compute_first() -> wager.Scenario:
    return wager.presets.load("compute_first")


def test_the_deterministic_ends_are_the_projections_under_the_equivalent_stress(
    compute_first: wager.Scenario,
) -> None:
    target = "segments.*.inference_cost_ratio"
    s = wager.sensitivity(compute_first, [target], change=CHANGE, year=YEAR, monte_carlo=False)
    base = wager.project(compute_first).annual.loc[YEAR]
    low = wager.project(compute_first, stress=_scale(target, 1 - CHANGE)).annual.loc[YEAR]
    high = wager.project(compute_first, stress=_scale(target, 1 + CHANGE)).annual.loc[YEAR]
    for metric, column in (
        ("det_cash", "cash"),
        ("det_operating_income", "operating_income"),
        ("det_free_cash_flow", "free_cash_flow"),
    ):
        row = s.table.loc[(target, metric)]
        assert row["central"] == base[column]
        assert row["low"] == low[column]
        assert row["high"] == high[column]
        assert row["effect"] == high[column] - low[column]
        assert row["swing"] == abs(high[column] - low[column])
    # A dearer inference lowers the operating income: a real move, not zero.
    assert s.table.loc[(target, "det_operating_income"), "effect"] < -1.0
    assert set(s.table.index.get_level_values("metric")) == set(DETERMINISTIC_METRICS)


def test_the_monte_carlo_ends_are_simulations_on_the_same_seed(
    compute_first: wager.Scenario,
) -> None:
    target, n, seed = "market.regimes.bust.raise_success", 2_000, 5
    s = wager.sensitivity(compute_first, [target], year=YEAR, n_paths=n, seed=seed)
    sims = {
        end: wager.simulate(
            compute_first,
            n_paths=n,
            seed=seed,
            stress=_scale(target, factor),
            keep_paths=True,
            progress=False,
        )
        for end, factor in (("low", 1 - CHANGE), ("high", 1 + CHANGE))
    }
    sims["central"] = wager.simulate(
        compute_first, n_paths=n, seed=seed, keep_paths=True, progress=False
    )
    row = s.table.loc[(target, "p_distress")]
    for end, sim in sims.items():
        p = float(sim.distress_probability.loc[YEAR, "probability"])
        assert row[end] == pytest.approx(p, abs=1e-15)
        value = float(sim.outcomes.loc["terminal_dcf_value_today", "mean"])
        assert s.table.loc[(target, "terminal_dcf_value_today"), end] == pytest.approx(
            value, rel=1e-12, abs=1e-12
        )
    # The swing's standard error is the paired paths': the standard error of
    # the mean of high's indicator minus low's, path by path.
    hit = {}
    for end in ("low", "high"):
        paths = sims[end].paths
        assert paths is not None
        d = paths.distress_year
        hit[end] = ((d >= 0) & (d <= YEAR)).astype(float)
    diff = hit["high"] - hit["low"]
    assert row["effect"] == pytest.approx(diff.mean(), abs=1e-15)
    assert row["swing_se"] == pytest.approx(diff.std(ddof=0) / math.sqrt(n), rel=1e-9)
    assert row["swing_se"] > 0
    # Far below the unpaired error the ends' own errors would give.
    assert row["swing_se"] < 0.5 * math.hypot(row["low_se"], row["high_se"])


def test_a_star_moves_every_segment_at_once() -> None:
    sc = wager.presets.load("profitability")
    s = wager.sensitivity(
        sc,
        ["segments.*.revenue", *(f"segments.{n}.revenue" for n in sc.segments)],
        year=2028,
        monte_carlo=False,
    )
    by_name = wager.Stress(
        name="each_segment",
        shocks=[
            wager.Shock(target=f"segments.{n}.revenue", op="scale", value=1 - CHANGE)
            for n in sc.segments
        ],
    )
    every = wager.project(sc, stress=by_name).annual.loc[2028]
    star = s.table.xs("segments.*.revenue", level="input")
    assert star.loc["det_revenue", "low"] == every["revenue"]
    assert star.loc["det_cash", "low"] == every["cash"]
    # Lower revenue sells on less capacity: down 10% exactly, every segment.
    assert star.loc["det_revenue", "low"] == pytest.approx(0.9 * star.loc["det_revenue", "central"])
    # The whole moves more than any one segment.
    alone = [s.table.loc[(f"segments.{n}.revenue", "det_revenue"), "swing"] for n in sc.segments]
    assert star.loc["det_revenue", "swing"] > max(alone) > 0


def test_bad_inputs_are_refused_naming_them(compute_first: wager.Scenario) -> None:
    with pytest.raises(StressError, match=r"sensitivity input 'segments.nope.revenue'.*no segment"):
        wager.sensitivity(compute_first, ["compute.training", "segments.nope.revenue"])
    with pytest.raises(StressError, match=r"sensitivity input 'distress.backstop'.*switch"):
        wager.sensitivity(compute_first, ["distress.backstop"], monte_carlo=False)
    with pytest.raises(StressError, match=r"sensitivity input 'market.transition'"):
        wager.sensitivity(compute_first, ["market.transition"], monte_carlo=False)
    with pytest.raises(ValueError, match="given twice"):
        wager.sensitivity(compute_first, ["compute.training", "compute.training"])
    with pytest.raises(ValueError, match="change must be a fraction"):
        wager.sensitivity(compute_first, ["compute.training"], change=1.5)
    with pytest.raises(ValueError, match="outside the horizon"):
        wager.sensitivity(compute_first, ["compute.training"], year=2050)
    with pytest.raises(ValueError, match="without Monte Carlo"):
        wager.sensitivity(compute_first, monte_carlo=False, metric="p_distress")


def test_the_default_inputs_leave_out_what_a_scale_cannot_move(
    compute_first: wager.Scenario,
) -> None:
    chosen = default_inputs(compute_first)
    assert "segments.consumer.revenue" in chosen
    assert "compute.commitments.*" in chosen
    assert "market.regimes.bust.raise_success" in chosen
    # compute_first buys no capex and has no fixed staff cost: all zeros.
    assert "compute.capex" not in chosen
    assert "costs.staff.fixed" not in chosen
    s = wager.sensitivity(compute_first, monte_carlo=False)
    assert s.inputs == tuple(chosen)
    ranked = s.ranked()
    assert list(ranked["swing"]) == sorted(ranked["swing"], reverse=True)
    assert list(ranked.index) == list(dict.fromkeys(s.table.index.get_level_values("input")))


def test_the_tornado_of_a_scenario_without_distributions_points_to_sensitivity() -> None:
    # The presets carry uncertain inputs; at their medians they carry none.
    at_median = central_scenario(wager.presets.load("profitability"))
    with pytest.raises(ValueError, match=r"no uncertain inputs.*wager\.sensitivity"):
        wager.tornado(at_median)


def test_the_command_prints_the_ranked_table_at_100_columns(tmp_path: Path) -> None:
    args = [
        "sensitivity",
        "profitability",
        "--input",
        "segments.*.revenue",
        "--input",
        "compute.training",
        "--paths",
        "2000",
        "--year",
        "2030",
    ]
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 100
    api = wager.sensitivity(
        wager.presets.load("profitability"),
        ["segments.*.revenue", "compute.training"],
        year=2030,
        n_paths=2000,
    )
    top = api.ranked().iloc[0]
    row = next(line for line in lines if line.startswith(api.ranked().index[0]))
    assert wager.present.numbers.percent(float(top["low"])) in row
    assert wager.present.numbers.percent(float(top["high"])) in row
    assert "x 0.9" in result.output and "x 1.1" in result.output
    # The export: the whole table, tidy, with its manifest.
    out = tmp_path / "s.csv"
    written = CliRunner().invoke(cli, [*args, "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0, written.output
    frame = pd.read_csv(out)
    assert set(frame["table"]) == {f"oneway_{m}" for m in ONE_WAY_METRICS}
    swing = frame[
        (frame["table"] == "oneway_p_distress")
        & (frame["variable"] == "segments.*.revenue")
        & (frame["statistic"] == "swing")
    ]["value"]
    assert float(swing.iloc[0]) == pytest.approx(
        api.table.loc[("segments.*.revenue", "p_distress"), "swing"], abs=1e-12
    )
    manifest = json.loads(out.with_suffix(".manifest.json").read_text())["wager_manifest"]
    assert manifest["kind"] == "sensitivity" and manifest["change"] == 0.1
    as_json = CliRunner().invoke(cli, [*args, "--deterministic", "--format", "json"])
    doc = json.loads(as_json.output)
    assert doc["monte_carlo"] is False and len(doc["rows"]) == 2 * len(DETERMINISTIC_METRICS)


def test_the_command_refuses_a_bad_target_with_status_2() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wager",
            "sensitivity",
            "compute_first",
            "--deterministic",
            "--input",
            "segments.nope.revenue",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "sensitivity input 'segments.nope.revenue'" in done.stderr


def test_the_chart_and_report_draw_every_input(
    compute_first: wager.Scenario, tmp_path: Path
) -> None:
    s = wager.sensitivity(
        compute_first, ["compute.training", "financing.initial_cash"], monte_carlo=False
    )
    fig = s.plot.tornado()
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == list(s.ranked().index)
    html = s.report(tmp_path / "r.html").read_text()
    assert "compute.training" in html and "wager report" in html
    assert np.isfinite(s.central)
