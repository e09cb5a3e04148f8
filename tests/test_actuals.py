"""Reported actuals (issue 16, item 4): a run starts from the last reported
year's end, with the plan re-based; the plan is set against what was reported."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import wager
from wager.cli import cli
from wager.compile.prepared import prepare_strategy
from wager.scenario.distribution import Distribution

ROOT = Path(__file__).resolve().parents[1]


def _tiny(**extra: Any) -> dict[str, Any]:
    """One segment, annual steps, no market, no funding, no tax: every
    figure follows by hand."""
    doc: dict[str, Any] = {
        "name": "tiny",
        "accept_defaults": [
            "market.transition",
            "market.regimes",
            "financing.equity.score.sensitivity",
        ],
        "time": {"start_year": 2025, "horizon": 2028, "steps_per_year": 1},
        "segments": {
            "core": {"revenue": {"2025": 10.0, "2028": 40.0}, "inference_cost_ratio": 0.5}
        },
        "costs": {"staff": {"fixed": 2.0}},
        "financing": {"initial_cash": 20.0, "cash_yield": 0.0, "equity": {"enabled": False}},
        "tax": {"rate": 0.0},
    }
    doc.update(extra)
    return doc


def _with_actuals(year_2025: dict[str, Any], carry: list[str] | None = None) -> wager.Scenario:
    actuals: dict[str, Any] = {"years": {"2025": year_2025}}
    if carry is not None:
        actuals["carry_forward"] = carry
    return wager.Scenario.model_validate(_tiny(actuals=actuals))


def test_the_run_starts_from_the_reported_state_as_a_scenario_written_by_hand() -> None:
    # 2025 reported: revenue 8 (plan 10: ratio 0.8), cash 3 at the year's end.
    sc = _with_actuals({"revenue": {"core": 8.0}, "cash": 3.0})
    by_hand = _tiny(
        time={"start_year": 2026, "horizon": 2028, "steps_per_year": 1},
        segments={
            # The plan's 2026 (20) and 2028 (40), times 0.8.
            "core": {"revenue": {"2026": 16.0, "2028": 32.0}, "inference_cost_ratio": 0.5}
        },
        financing={
            "initial_cash": 3.0,
            "cash_yield": 0.0,
            "equity": {"enabled": False, "score": {"prior_revenue": 8.0}},
        },
    )
    ran = wager.project(sc)
    expected = wager.project(by_hand)
    pd.testing.assert_frame_equal(ran.annual, expected.annual)
    assert list(ran.annual.index) == [2026, 2027, 2028]
    # By hand: revenue 16, 24, 32; gross profit half; operating income - 2.
    np.testing.assert_allclose(ran.annual["revenue"], [16.0, 24.0, 32.0])
    np.testing.assert_allclose(ran.annual["operating_income"], [6.0, 10.0, 14.0])
    np.testing.assert_allclose(ran.annual["cash"], [9.0, 19.0, 33.0])


def test_without_reported_cash_the_plans_cash_moves_by_the_reported_gaps() -> None:
    # Plan 2025: revenue 10, gross profit 5, staff 2: FCF 3, cash 23.
    plan = wager.project(_tiny()).annual
    assert plan.loc[2025, "free_cash_flow"] == pytest.approx(3.0)
    sc = _with_actuals({"free_cash_flow": 1.0, "funding_raised": 4.0}, carry=[])
    start = wager.start_from_actuals(sc)
    # 23 + (1 - 3) + (4 - 0) = 25
    assert start.financing.initial_cash == pytest.approx(25.0)
    assert start.time.start_year == 2026
    # Nothing carried: the plan ahead as written (the table's 2026 value is 20).
    assert wager.project(sc).annual.loc[2026, "revenue"] == pytest.approx(20.0)


def test_a_reported_gross_margin_carried_forward_scales_the_cost_ratio() -> None:
    sc = _with_actuals({"gross_margin": 0.4}, carry=["gross_margin"])
    start = wager.start_from_actuals(sc)
    # (1 - 0.4) / (1 - 0.5) = 1.2 on the planned ratio 0.5
    assert start.segments["core"].inference_cost_ratio == pytest.approx(0.6)
    annual = wager.project(sc).annual
    np.testing.assert_allclose(annual["gross_profit"] / annual["revenue"], 0.4)


def test_plan_vs_actual_sets_each_figure_beside_the_plan() -> None:
    sc = _with_actuals(
        {"revenue": {"core": 8.0}, "gross_margin": 0.45, "cash": 3.0, "source": "the 10-K"}
    )
    table = wager.plan_vs_actual(sc)
    assert list(table.index) == [
        (2025, "revenue_core"),
        (2025, "revenue"),
        (2025, "gross_margin"),
        (2025, "cash"),
    ]
    row = table.loc[(2025, "revenue")]
    assert (row["plan"], row["actual"], row["difference"]) == (10.0, 8.0, -2.0)
    assert row["ratio"] == pytest.approx(0.8)
    assert table.loc[(2025, "gross_margin"), "plan"] == pytest.approx(0.5)
    assert table.loc[(2025, "gross_margin"), "difference"] == pytest.approx(-0.05)
    # Plan cash at the end of 2025: 20 + 3.
    assert table.loc[(2025, "cash"), "plan"] == pytest.approx(23.0)
    assert table.loc[(2025, "cash"), "ratio"] == pytest.approx(3.0 / 23.0)
    assert set(table["source"]) == {"the 10-K"}
    # The projection carries it and exports it as tidy rows.
    frame = wager.project(sc).to_frame()
    rows = frame[frame["table"] == "plan_vs_actual"]
    assert len(rows) == 4 * 4
    got = rows.set_index(["variable", "statistic"])["value"]
    assert got[("revenue", "difference")] == -2.0


def test_a_total_revenue_is_shared_in_the_plans_proportions() -> None:
    doc = _tiny()
    doc["segments"]["other"] = {"revenue": 30.0, "inference_cost_ratio": 0.5}
    doc["actuals"] = {"years": {"2025": {"total_revenue": 20.0}}}
    sc = wager.Scenario.model_validate(doc)
    start = wager.start_from_actuals(sc)
    # Plan 10 + 30 = 40; reported 20: each segment at half its plan ahead.
    assert start.segments["other"].revenue == pytest.approx(15.0)
    assert wager.project(sc).annual.loc[2026, "revenue_core"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("actuals", "path", "reason"),
    [
        ({"years": {"2030": {}}}, "actuals.years.2030", "outside the horizon 2025-2028"),
        ({"years": {"2026": {}}}, "actuals.years.2026", "start at time.start_year (2025)"),
        ({"years": {"2025": {}, "2027": {}}}, "actuals.years.2026", "contiguous: [2026] missing"),
        (
            {"years": {y: {} for y in ("2025", "2026", "2027", "2028")}},
            "actuals.years.2028",
            "at least one year after the last reported",
        ),
        (
            {"years": {"2025": {"revenue": {"cloud": 1.0}}}},
            "actuals.years.2025.revenue.cloud",
            "'cloud' is not a segment",
        ),
        (
            {"years": {"2025": {"revenue": {"core": 1.0}, "total_revenue": 1.0}}},
            "actuals.years.2025.total_revenue",
            "not both",
        ),
        (
            {"years": {"2025": {"cash": -1.0}}},
            "actuals.years.2025.cash",
            "greater than or equal to 0",
        ),
        ({"years": {"2025": {"ebitda": 1.0}}}, "actuals.years.2025.ebitda", ""),
        (
            {"years": {"2025": {}}, "carry_forward": ["gross_margin"]},
            "actuals.carry_forward",
            "gives no gross_margin",
        ),
    ],
)
def test_bad_actuals_are_refused_naming_the_field(
    tmp_path: Path, actuals: dict[str, Any], path: str, reason: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(_tiny(actuals=actuals)))
    with pytest.raises(wager.ScenarioError) as err:
        wager.load_scenario(file)
    message = str(err.value)
    assert "bad.json" in message
    assert path in message
    assert reason in message


def test_nothing_is_drawn_for_a_reported_year() -> None:
    noisy = _tiny()
    noisy["segments"]["core"].update(volatility=0.3)
    plan = wager.simulate(noisy, n_paths=256, seed=3, keep_paths=True)
    assert plan.paths is not None
    spread = np.ptp(plan.paths.annual["revenue"], axis=0)
    assert spread[0] > 0.1  # the plan's 2025 is uncertain

    noisy["actuals"] = {"years": {"2025": {"revenue": {"core": 8.0}, "cash": 3.0}}}
    r = wager.simulate(noisy, n_paths=256, seed=3, keep_paths=True)
    assert r.paths is not None
    assert list(r.paths.years) == [2026, 2027, 2028]
    by_hand = wager.start_from_actuals(wager.Scenario.model_validate(noisy))
    again = wager.simulate(by_hand, n_paths=256, seed=3, keep_paths=True)
    assert again.paths is not None
    for name, values in r.paths.annual.items():
        np.testing.assert_array_equal(values, again.paths.annual[name])
    # Every path leaves 2025 with the reported cash: the first year's cash
    # differs from 3 by that year's own flows only.
    first = r.paths.annual["cash"][:, 0] - r.paths.annual["free_cash_flow"][:, 0]
    np.testing.assert_allclose(first, 3.0, atol=1e-9)


def test_every_analysis_runs_from_the_reported_state() -> None:
    sc = _with_actuals({"revenue": {"core": 8.0}, "cash": 3.0})
    start = wager.start_from_actuals(sc)
    for run in (
        lambda s: wager.stress(s, ["baseline", "price_war"], n_paths=64, seed=1).table,
        lambda s: wager.sensitivity(s, monte_carlo=False).table,
    ):
        pd.testing.assert_frame_equal(run(sc), run(start))
    # Below the entry points, a scenario still carrying actuals is refused.
    with pytest.raises(ValueError, match="start_from_actuals"):
        prepare_strategy(sc)


@pytest.mark.parametrize("preset", ["compute_first", "profitability"])
def test_the_2025_examples_load_and_run_from_2026(preset: str) -> None:
    sc = wager.load_scenario(ROOT / "examples" / f"{preset}_actuals_2025.toml")
    assert sc.actuals is not None and sc.actuals.last_year == 2025
    table = wager.plan_vs_actual(sc)
    assert {f for _, f in table.index} == {
        "revenue",
        "gross_margin",
        "free_cash_flow",
        "funding_raised",
    }
    plan = wager.project(wager.presets.load(preset)).annual
    start = wager.start_from_actuals(sc)
    fcf = sc.actuals.years[2025].free_cash_flow
    assert fcf is not None
    assert start.financing.initial_cash == pytest.approx(
        plan.loc[2025, "cash"] + fcf - plan.loc[2025, "free_cash_flow"]
    )
    assert wager.project(sc).annual.index[0] == 2026


def test_profitabilitys_margin_revision_persists_ahead() -> None:
    sc = wager.load_scenario(ROOT / "examples" / "profitability_actuals_2025.toml")
    ratio = wager.start_from_actuals(sc).segments["consumer"].inference_cost_ratio
    # The plan's {2025 = 0.50, 2028 = 0.23} (medians of the preset's
    # lognormals) from 2026, times 0.6 / 0.5: 2026 interpolated at the
    # central values, 2028 a lognormal of the same width, scaled.
    assert isinstance(ratio, dict)
    assert ratio[2026] == pytest.approx(0.41 * 1.2)
    later = ratio[2028]
    assert isinstance(later, Distribution) and later.dist == "lognormal"
    assert later.central() == pytest.approx(0.23 * 1.2)
    assert later.sigma == 0.1259


def test_wager_project_prints_the_plan_against_actual() -> None:
    file = ROOT / "examples" / "profitability_actuals_2025.toml"
    out = CliRunner().invoke(cli, ["project", str(file)], env={"COLUMNS": "120"})
    assert out.exit_code == 0, out.output
    assert "plan against actual" in out.output
    assert "gross_margin" in out.output
    js = CliRunner().invoke(cli, ["project", str(file), "--format", "json"])
    assert js.exit_code == 0, js.output
    assert '"plan_vs_actual"' in js.output


def test_the_readme_section_prints_what_it_shows() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### From reported actuals")[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S)
    shown = re.search(r"```text\n(.*?)```", section, flags=re.S)
    assert code is not None and shown is not None
    proc = subprocess.run(
        [sys.executable, "-c", code.group(1)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.stdout.rstrip() == shown.group(1).rstrip()


def test_uncertain_inputs_ahead_keep_their_names_scale_and_correlation() -> None:
    doc = _tiny()
    doc["segments"]["core"]["revenue"] = [
        10.0,
        {"dist": "lognormal", "low": 10.0, "high": 30.0},
        {"dist": "normal", "mean": 30.0, "sd": 3.0},
        40.0,
    ]
    doc["financing"]["initial_cash"] = {"dist": "uniform", "min": 10.0, "max": 30.0}
    doc["uncertainty"] = {
        "inputs": [
            "segments.core.revenue[1]",
            "segments.core.revenue[2]",
            "financing.initial_cash",
        ],
        "correlation": [[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]],
    }
    doc["actuals"] = {"years": {"2025": {"revenue": {"core": 5.0}, "cash": 4.0}}}
    start = wager.start_from_actuals(wager.Scenario.model_validate(doc))
    later = start.segments["core"].revenue
    assert isinstance(later, list) and len(later) == 3
    # Half the plan ahead: the lognormal's 90% interval 5-15, the normal 15 +- 1.5.
    assert later[0].central() == pytest.approx(np.sqrt(10.0 * 30.0) / 2)
    assert later[0].frozen().ppf([0.05, 0.95]) == pytest.approx([5.0, 15.0])
    assert (later[1].mean, later[1].sd) == pytest.approx((15.0, 1.5))
    assert later[2] == 20.0
    # The start cash is reported: no longer uncertain, out of the copula.
    assert start.financing.initial_cash == 4.0
    assert start.uncertainty.inputs == ["segments.core.revenue[0]", "segments.core.revenue[1]"]
    assert start.uncertainty.correlation == [[1.0, 0.5], [0.5, 1.0]]


def test_what_fell_in_a_reported_year_is_left_out() -> None:
    doc = _tiny(
        compute={
            "commitments": [
                {
                    "name": "dc",
                    "counterparty": "Landlord",
                    "total": 40.0,
                    "start": 2025,
                    "end": 2028,
                },
                {"name": "old", "counterparty": "Old", "schedule": {"2025": 3.0}},
            ]
        },
        market={"path": {"2025": "bust", "2027": "boom"}},
    )
    doc["market"].update(
        transition={r: {"normal": 1.0} for r in ("boom", "normal", "bust")},
    )
    doc["financing"]["tranches"] = [
        {"investor": "A", "year": 2025, "amount": 5.0},
        {"investor": "B", "year": 2027, "month": 7, "amount": 6.0},
    ]
    doc["financing"]["debt"] = {
        "initial": 4.0,
        "maturities": [{"year": 2025, "amount": 1.0}, {"year": 2027, "amount": 3.0}],
    }
    doc["actuals"] = {"years": {"2025": {"cash": 7.0, "debt": 3.0}}}
    start = wager.start_from_actuals(wager.Scenario.model_validate(doc))
    (dc,) = start.compute.commitments
    assert dc.payments() == {2026: 10.0, 2027: 10.0, 2028: 10.0}
    assert [t.investor for t in start.financing.tranches] == ["B"]
    assert [(m.year, m.amount) for m in start.financing.debt.maturities] == [(2027, 3.0)]
    assert start.financing.debt.initial == 3.0
    assert start.market.path == {2027: "boom"}
    assert (start.financing.initial_cash, start.time.start_year) == (7.0, 2026)


def test_strategies_run_together_must_report_the_same_years() -> None:
    sc = _with_actuals({"cash": 3.0})
    plain = wager.Scenario.model_validate(_tiny(name="plain"))
    with pytest.raises(wager.ScenarioError, match=r"runs from 2026 .* but plain from 2025"):
        wager.compare(sc, plain, n_paths=64, seed=1)
    both = wager.Scenario.model_validate(
        _tiny(name="other", actuals={"years": {"2025": {"cash": 5.0}}})
    )
    c = wager.compare(sc, both, n_paths=64, seed=1)
    assert [s.time.start_year for s in c.scenarios] == [2026, 2026]
    assert [s.financing.initial_cash for s in c.scenarios] == [3.0, 5.0]
