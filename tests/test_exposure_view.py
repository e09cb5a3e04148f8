"""``wager.exposure`` (docs/exposure.md): a single supplier with a known
default probability per year and a known recovery against hand
computation; the concentration, the shares of a counterparty's size and
P(both in distress) of two bets in one world; the counterparty-size section
of the scenario; exports, plots, the report and ``wager exposure``."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_hand_computed import _burning

import wager
from wager.analyses.exposure_view import ExposureResult
from wager.cli.main import cli
from wager.scenario.errors import ScenarioError

#: Paths of the hand-computed runs: the standard errors below are ~1% of the values.
N = 4000
#: The supplier's payments: 200 a year, 2025-2028.
PAY = 200.0
#: Each year the company burns 10 - 40 - 200 = 230 (test_hand_computed._burning).
BURN = 230.0
#: Cash at the start, uniform on [0, 5 x BURN]: distress in 2025, 2026, 2027,
#: 2028 or never, each with probability 1/5.
P_YEAR = 0.2
#: Hand-computed PFE within one bin: the bound is the horizon's payments (800),
#: doubled with an uncertain input, over 1000 bins.
BIN = 2 * 4 * PAY / 1000
#: A size given to the supplier (US$ bn).
REVENUE, EQUITY = 1200.0, 4800.0


def _one_supplier(name: str = "lab", supplier: str = "A", sized: bool = False) -> dict[str, Any]:
    """Revenue 10, staff 40, a take-or-pay contract of 200 a year with
    ``supplier``, nothing to sell at distress (the estate is liquidated with
    no assets: the supplier recovers 0), and the starting cash uniform on
    [0, 1150]: distress in year y when the cash runs out in it."""
    sc = _burning(initial_cash={"dist": "uniform", "min": 0.0, "max": 5 * BURN})
    sc["name"] = name
    sc["time"]["horizon"] = 2028
    sc["compute"] = {
        "commitments": [
            {"name": "c", "counterparty": supplier, "schedule": {y: PAY for y in range(2025, 2029)}}
        ]
    }
    if sized:
        sc["schema_version"] = wager.Scenario.model_fields["schema_version"].default
        sc["counterparties"] = {
            supplier: {
                "revenue": REVENUE,
                "revenue_year": 2025,
                "equity_value": EQUITY,
                "equity_value_year": 2025,
                "source": "a hand-made figure for the test",
            }
        }
    return sc


def _close(value: float, expected: float, se: float) -> None:
    """Within 4 standard errors (and a floor for a zero standard error)."""
    assert abs(value - expected) <= 4 * se + 1e-9, (value, expected, se)


@pytest.fixture(scope="module")
def alone() -> ExposureResult:
    return wager.exposure(_one_supplier(sized=True), n_paths=N, seed=3, progress=False)


def test_one_supplier_by_hand(alone: ExposureResult) -> None:
    # Distress in year y (each with probability 1/5) leaves the supplier owed
    # the payments after y: 600, 400, 200, 0; it recovers nothing. At the end
    # of year y the survivors (probability 1 - (y - 2024)/5) are owed the same.
    owed = {2025: 600.0, 2026: 400.0, 2027: 200.0, 2028: 0.0}
    per_year, loss = alone.of("lab")
    for k, (year, x) in enumerate(owed.items()):
        row = per_year.loc[("A", year)]
        alive = 1 - (k + 1) * P_YEAR
        # EE = P(alive) x owed; its standard error from the two-point law.
        se = x * math.sqrt(alive * (1 - alive) / N)
        _close(row["ee"], alive * x, se)
        assert row["ee_se"] == pytest.approx(se, rel=0.05, abs=1e-9)
        # PFE95: at least 5% of paths are alive and owed x (or all are owed 0).
        assert abs(row["pfe95"] - x) <= BIN if alive > 0.05 else row["pfe95"] == 0.0
        # EL of the distress that began in year y: P_YEAR x x, discounted at
        # the regime's 12% a year to the end of year y.
        se_el = x * math.sqrt(P_YEAR * (1 - P_YEAR) / N)
        _close(row["el"], P_YEAR * x, se_el)
        _close(row["el_discounted"], P_YEAR * x / 1.12 ** (k + 1), se_el)
    a = loss.loc["A"]
    # EL = 0.2 (600 + 400 + 200 + 0) = 240; the loss takes 600, 400, 200, 0, 0.
    second = P_YEAR * (600**2 + 400**2 + 200**2)
    _close(a["el"], 240.0, math.sqrt((second - 240.0**2) / N))
    # EAD over the distressed paths (4/5 of them): (600 + 400 + 200 + 0) / 4.
    _close(a["ead"], 300.0, 4 * 600 * math.sqrt(P_YEAR / N))
    assert a["ead_all_paths"] == pytest.approx(a["el"], abs=1e-6)  # nothing recovered
    assert abs(a["loss_q99"] - 600.0) <= BIN
    # The sizes: each share is the figure over the supplier's revenue or value.
    assert a["el_of_revenue"] == pytest.approx(a["el"] / REVENUE, rel=1e-12)
    assert a["loss_q99_of_equity_value"] == pytest.approx(a["loss_q99"] / EQUITY, rel=1e-12)
    assert per_year.loc[("A", 2025), "pfe99_of_revenue"] == pytest.approx(
        per_year.loc[("A", 2025), "pfe99"] / REVENUE, rel=1e-12
    )
    # One bet: its supplier carries all of its loss; no joint figures.
    assert alone.concentration.loc["A", "share lab"] == 1.0
    assert alone.joint_distress.empty
    assert math.isnan(alone.p_both_in_distress)


def test_two_bets_in_one_world_share_their_draws() -> None:
    # The two bets draw the same starting cash on each path (common random
    # numbers), so each falls into distress on exactly the same paths: P(both)
    # is each one's P(distress), and nobody is in distress alone.
    r = wager.exposure(
        _one_supplier("a", "A"), _one_supplier("b", "B"), n_paths=N, seed=3, progress=False
    )
    j = r.joint_distress
    p_a = float(r.simulations[0].distress_probability["probability"].iloc[-1])
    assert j.loc["both", "probability"] == p_a == r.p_both_in_distress
    assert j.loc["A only", "probability"] == 0.0 == j.loc["B only", "probability"]
    assert j["probability"].sum() == pytest.approx(1.0, abs=1e-15)
    _close(p_a, 1 - P_YEAR, math.sqrt(P_YEAR * (1 - P_YEAR) / N))
    # The concentration: each supplier carries half of both bets' loss.
    c = r.concentration
    assert c.loc["A", "el b"] == 0.0 and c.loc["B", "el a"] == 0.0
    assert c["el combined"].sum() == pytest.approx(c["el a"].sum() + c["el b"].sum(), rel=1e-15)
    assert c["share combined"].tolist() == pytest.approx([0.5, 0.5], abs=1e-15)


def test_a_stressed_comparison_reads_the_same_as_its_exposure_view() -> None:
    # wager.exposure is wager.compare's run: the same paths, the same numbers.
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    c = wager.compare(a, b, n_paths=1000, seed=5, stresses=["funding_freeze"], progress=False)
    r = wager.exposure(
        a, "compute_first", stress="funding_freeze", n_paths=1000, seed=5, progress=False
    )
    pd.testing.assert_frame_equal(
        r.of("compute_first")[1][list(c.simulation("compute_first").expected_loss.columns)],
        c.simulation("compute_first").expected_loss,
    )
    joint = np.asarray(c._pairs[("compute_first", "funding_freeze")]["joint_default"][-1])
    assert r.p_both_in_distress == joint[3] / 1000
    # The presets' sizes: Oracle's loss over its FY2025 revenue of 57.4.
    el = r.expected_loss.loc[("compute_first", "Oracle")]
    assert el["el_of_revenue"] == pytest.approx(el["el"] / 57.4, rel=1e-12)
    assert math.isnan(r.expected_loss.loc[("profitability", "Fluidstack"), "el_of_revenue"])


def test_the_exposure_takes_one_or_two_strategies() -> None:
    with pytest.raises(ValueError, match="one or two strategies, got 3"):
        wager.exposure("compute_first", "profitability", "compute_first", n_paths=10)
    with pytest.raises(TypeError, match="a preset's name, a scenario file's path"):
        wager.exposure(42, n_paths=10)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "path", "reason"),
    [
        ({"revenue": 10.0, "source": "x"}, "counterparties.A.revenue_year", "year of `revenue`"),
        ({"source": "x"}, "counterparties.A.revenue", "revenue, the equity value or both"),
        (
            {"equity_value": 1.0, "equity_value_year": 2025, "revenue_year": 2024, "source": "x"},
            "counterparties.A.revenue_year",
            "given without `revenue`",
        ),
        ({"revenue": -1.0, "revenue_year": 2025, "source": "x"}, "counterparties.A.revenue", ""),
        ({"revenue": 1.0, "revenue_year": 2025, "source": " "}, "counterparties.A.source", ""),
        ({"revenue": 1.0, "revenue_year": 2025}, "counterparties.A.source", ""),
        ({"revenue": 1.0, "revenue_year": 2025, "source": "x", "rank": 1}, "counterparties.A", ""),
    ],
)
def test_a_bad_size_is_refused_naming_its_field(
    size: dict[str, Any], path: str, reason: str
) -> None:
    sc = _one_supplier()
    sc["counterparties"] = {"A": size}
    with pytest.raises(ScenarioError) as err:
        wager.simulate(sc, n_paths=1)
    assert path in str(err.value) and reason in str(err.value)


def test_a_size_no_contract_names_is_kept_and_unused(tmp_path: Path) -> None:
    # A scenario extending a preset may rename or drop a contract: the
    # preset's size of the old name stays, unused, and the file loads.
    ext = tmp_path / "renamed.toml"
    ext.write_text(
        'extends = "profitability"\nname = "renamed"\n'
        '[counterparties.Fluid]\nrevenue = 2.0\nrevenue_year = 2025\nsource = "test"\n',
        encoding="utf-8",
    )
    sc = wager.load_scenario(ext)
    assert set(sc.counterparties) == {"Microsoft", "Nvidia", "Fluid"}
    r = wager.exposure(sc, n_paths=200, seed=1, progress=False)
    assert list(r.expected_loss.index.get_level_values("counterparty")) == [
        "Microsoft",
        "Fluidstack",
    ]
    assert math.isnan(r.expected_loss.loc[("renamed", "Fluidstack"), "el_of_revenue"])
    # A bad figure is refused naming the file and the field, wherever it is.
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'extends = "profitability"\n[counterparties.Fluid]\nrevenue = 2.0\nsource = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        wager.load_scenario(bad)
    assert "bad.toml" in str(err.value)
    assert "counterparties.Fluid.revenue_year" in str(err.value)


def test_the_presets_size_their_named_suppliers_with_a_source() -> None:
    cf = wager.presets.load("compute_first").counterparties
    assert set(cf) == {"Oracle", "Microsoft", "Amazon", "CoreWeave", "Nvidia", "AMD", "Broadcom"}
    assert cf["Oracle"].revenue == 57.4 and cf["Nvidia"].revenue == 130.5
    assert all("20" in s.source for s in cf.values())  # each source carries its date
    assert set(wager.presets.load("profitability").counterparties) == {"Microsoft", "Nvidia"}


def test_the_export_round_trips_with_an_exposure_manifest(
    alone: ExposureResult, tmp_path: Path
) -> None:
    frame = alone.to_frame()
    # No debt and no tranche: no lenders' or investors' rows.
    assert set(frame["table"]) == {"exposure", "expected_loss", "concentration", "counterparties"}
    row = frame[
        (frame["table"] == "expected_loss")
        & (frame["variable"] == "A")
        & (frame["statistic"] == "el")
    ]
    assert row["value"].item() == alone.expected_loss.loc[("lab", "A"), "el"]
    for fmt in ("parquet", "csv", "json"):
        path = getattr(alone, f"to_{fmt}")(tmp_path / f"x.{fmt}")
        back = wager.read_results(path)
        pd.testing.assert_frame_equal(back.frame, frame)
        assert back.manifest["kind"] == "exposure" and back.manifest["stress"] == "baseline"
    ds = alone.to_xarray()
    assert (
        float(
            ds["expected_loss"].sel(strategy="lab", stress="baseline", variable="A", statistic="el")
        )
        == (alone.expected_loss.loc[("lab", "A"), "el"])
    )


def test_the_plots_draw_what_the_tables_hold(alone: ExposureResult) -> None:
    assert alone.plot.kinds() == ["profiles", "concentration"]
    fig = alone.plot.profiles(pfe="pfe99")
    (ax,) = fig.axes
    ee, pfe = ax.lines
    per_year, _ = alone.of("lab")
    assert list(ee.get_ydata()) == per_year["ee"].tolist()
    assert list(pfe.get_ydata()) == per_year["pfe99"].tolist()
    bars = alone.plot.concentration().axes[0].patches
    assert [b.get_width() for b in bars] == [alone.expected_loss.loc[("lab", "A"), "el"]]
    with pytest.raises(ValueError, match="pfe must be"):
        alone.plot.profiles(pfe="pfe50")


def test_the_report_has_the_exposure_section(alone: ExposureResult, tmp_path: Path) -> None:
    html = alone.report(tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="exposure-baseline"' in html and "Who is exposed, under baseline" in html
    assert "a hand-made figure for the test" in html  # the size's source
    assert "lab&#39;s suppliers expect to lose 2" in html  # 240, escaped by jinja2
    c = wager.compare(
        wager.presets.load("profitability"),
        wager.presets.load("compute_first"),
        n_paths=500,
        seed=1,
        stresses=["ai_bubble_burst"],
        progress=False,
    )
    # A comparison of two bets (wager report) has the section, one per stress.
    html = c.report(tmp_path / "c.html").read_text(encoding="utf-8")
    assert 'id="exposure-ai_bubble_burst"' in html and 'href="#exposure-ai_bubble_burst"' in html


def test_the_command_prints_who_carries_the_risk_of_each_bet_and_of_both(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["exposure", "--paths", "2000", "--seed", "4", "--stress", "ai_bubble_burst"],
        env={"COLUMNS": "100"},
    )
    assert out.exit_code == 0, out.output
    assert max(len(line) for line in out.output.splitlines()) <= 100
    r = wager.exposure(
        "profitability",
        "compute_first",
        stress="ai_bubble_burst",
        n_paths=2000,
        seed=4,
        progress=False,
    )
    total = r.concentration["el compute_first"].sum()
    lead = r.concentration.index[0]
    text = " ".join(out.output.split())  # the headline wraps at 100 columns
    assert f"compute_first's suppliers expect to lose {total:,.1f} bn" in text
    assert f"{lead} carries the most" in text
    assert f"probability {r.p_both_in_distress * 100:.1f}%" in text
    csv = runner.invoke(cli, ["exposure", "compute_first", "--paths", "500", "--format", "csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("strategy,counterparty,ead")
    js = runner.invoke(cli, ["exposure", "--paths", "500", "--format", "json"])
    doc = json.loads(js.output)
    assert doc["p_both_in_distress"] is not None and doc["concentration"][0]["counterparty"]
    target = tmp_path / "e.parquet"
    wrote = runner.invoke(
        cli, ["exposure", "--paths", "500", "--format", "parquet", "--out", str(target)]
    )
    assert wrote.exit_code == 0 and wager.read_results(target).manifest["kind"] == "exposure"
    three = runner.invoke(cli, ["exposure", "a", "b", "c"])
    assert three.exit_code == 2 and "one or two strategies" in three.output


def test_the_readme_shows_the_command_s_real_output() -> None:
    # README.md, "Who is exposed": the bubble burst's block is the command's output.
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Who is exposed", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```text\n(.*?)```", section, flags=re.S)
    out = CliRunner().invoke(
        cli, ["exposure", "--stress", "ai_bubble_burst"], env={"COLUMNS": "100"}
    )
    assert out.exit_code == 0, out.output
    assert blocks[1].rstrip() == out.output.rstrip()
    assert blocks[0].startswith("Under baseline, by 2035: profitability's suppliers")
