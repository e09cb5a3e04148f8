"""The calibration spread (issue 16, item 7): the bounds as data agree with
docs/calibration.md, the presets sit at their central point, each variant
changes only its field, the run as given is a plain comparison bit for bit,
a variant's row is a plain comparison of the variant's scenarios, and the
spread shows in the headline, the terminal (at 100 columns) and the report."""

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

import wager
from wager.analyses.calibration_spread import AS_GIVEN, calibration_variants
from wager.cli import cli
from wager.present.headline import headline
from wager.present.numbers import percent
from wager.scenario.calibration_bounds import (
    BOUNDS,
    EPISODE_SETS,
    bound,
    transition_table,
    yearly_matrix,
)
from wager.scenario.distribution import Distribution

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ("profitability", "compute_first")
PATHS, SEED = 2_000, 3


def _doc() -> str:
    return (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")


def _cells(label: str, containing: str = "") -> list[str]:
    lines = _doc().splitlines()
    (line,) = [ln for ln in lines if ln.startswith(f"| {label}") and containing in ln]
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _number(cell: str) -> tuple[float, int]:
    """The number a cell starts with, and its decimals as written."""
    m = re.match(r"([0-9]+(?:\.([0-9]+))?)", cell)
    assert m is not None, cell
    return float(m[1]), len(m[2] or "")


@pytest.mark.parametrize("b", BOUNDS, ids=lambda b: b.key)
def test_each_bound_is_the_pages_row(b: Any) -> None:
    _, low, central, high, source = _cells(b.label)
    for cell, value in ((low, b.low), (central, b.central), (high, b.high)):
        shown, decimals = _number(cell)
        assert round(value, decimals) == pytest.approx(shown, abs=1e-12), (b.key, cell)
    assert source == b.source
    assert b.low <= b.central <= b.high


def test_the_episode_sets_are_the_pages_table() -> None:
    # Rows in the order of EPISODE_SETS; the page writes 2000–02 with an en dash.
    labels = ("2000–02 alone", "the 3 deep busts", "every bear market")
    for e, label in zip(EPISODE_SETS, labels, strict=True):
        _, entry, years, matrix, share = _cells(label, containing="), (")
        assert round(e.bust_entry, 3) == _number(entry)[0]
        assert round(e.bust_years, 2) == _number(years)[0]
        shown = ", ".join("(" + ", ".join(f"{x:.3f}" for x in row) + ")" for row in e.matrix)
        assert matrix == shown
        assert f"{100 * e.time_in_bust:.1f}%" == share
    # The ends of the entry and length bounds are the episode sets' own.
    assert bound("bust_entry").low == EPISODE_SETS[0].bust_entry
    assert bound("bust_entry").high == EPISODE_SETS[2].bust_entry
    assert bound("bust_years").high == EPISODE_SETS[0].bust_years
    assert bound("bust_years").low == EPISODE_SETS[2].bust_years


@pytest.mark.parametrize("name", PRESETS)
def test_the_presets_are_the_bounds_central_point(name: str) -> None:
    sc = wager.presets.load(name)
    c = {b.key: b.central for b in BOUNDS}
    expected = yearly_matrix(c["bust_entry"], c["bust_years"], c["boom_entry"], c["boom_years"])
    assert sc.market.transition == transition_table(expected)
    np.testing.assert_array_equal(EPISODE_SETS[1].matrix, expected)
    regimes = sc.market.regimes
    assert regimes["bust"].raise_success == c["bust_raise_success"]
    # The multiple is written to one decimal: 8.4 / 38, 8.6 / 39.
    # The normal multiple is uncertain in the presets: its median.
    ratio = _central(regimes["bust"].valuation_multiple) / _central(
        regimes["normal"].valuation_multiple
    )
    assert ratio == pytest.approx(c["bust_multiple"], abs=0.002)


def _central(value: float | Distribution) -> float:
    return value.central() if isinstance(value, Distribution) else float(value)


def _flat(node: Any, path: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for k, v in node.items():
            out.update(_flat(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(node, list):
        out = {}
        for i, v in enumerate(node):
            out.update(_flat(v, f"{path}.{i}"))
        return out
    return {path: node}


@pytest.mark.parametrize("name", PRESETS)
def test_each_variant_changes_only_its_field(name: str) -> None:
    base = wager.presets.load(name)
    before = _flat(base.model_dump())
    variants = calibration_variants()
    assert len(variants) == 9 and len({v.name for v in variants}) == 9
    for v in variants:
        after = _flat(v.apply(base).model_dump())
        assert after.keys() == before.keys()
        changed = {k for k in before if before[k] != after[k]}
        assert changed, v.name
        assert all(k.startswith(v.field + ".") or k == v.field for k in changed), (v.name, changed)
        moved = v.apply(base).market
        if v.parameter == "episodes":
            assert v.episodes is not None
            assert moved.transition == transition_table(v.episodes.matrix)
        elif v.field == "market.transition":
            assert v.value is not None
            kwargs = {b.key: b.central for b in BOUNDS if b.key.endswith(("_entry", "_years"))}
            kwargs[v.parameter] = v.value
            assert moved.transition == transition_table(yearly_matrix(**kwargs))
        elif v.parameter == "bust_multiple":
            normal = _central(base.market.regimes["normal"].valuation_multiple)
            assert moved.regimes["bust"].valuation_multiple == pytest.approx(0.5 * normal)
        else:
            assert moved.regimes["bust"].raise_success == v.value
    # Every input is moved: the bust's entry and length as the episode sets.
    assert {v.parameter for v in variants} == {
        "episodes",
        "boom_entry",
        "boom_years",
        "bust_raise_success",
        "bust_multiple",
    }


def _two_regimes() -> dict[str, Any]:
    data = wager.presets.load("profitability").model_dump(mode="json", exclude_none=True)
    data["name"] = "two"
    data["market"]["regimes"].pop("boom")
    data["market"]["transition"] = {
        "normal": {"normal": 0.9, "bust": 0.1},
        "bust": {"normal": 0.4, "bust": 0.6},
    }
    return data


def test_a_scenario_without_the_three_regimes_is_refused() -> None:
    sc = wager.Scenario.model_validate(_two_regimes())
    for v in calibration_variants():
        with pytest.raises(ValueError, match=r"two: market\.regimes: .*boom, normal, bust"):
            v.apply(sc)
    with pytest.raises(ValueError, match=r"two: market\.regimes"):
        wager.compare(sc, sc.with_values({"name": "other"}), n_paths=10, calibration_spread=True)


@pytest.fixture(scope="module")
def spread_run() -> tuple[wager.Comparison, wager.Comparison]:
    scs = [wager.presets.load(n) for n in PRESETS]
    kwargs: dict[str, Any] = dict(n_paths=PATHS, seed=SEED, stresses=["baseline"], progress=False)
    return wager.compare(*scs, **kwargs, calibration_spread=True), wager.compare(*scs, **kwargs)


def test_the_run_as_given_is_a_plain_comparison_exactly(spread_run: Any) -> None:
    c, plain = spread_run
    pd.testing.assert_frame_equal(c.summary(), plain.summary(), check_exact=True)
    spread = c.calibration_spread
    assert isinstance(spread, wager.CalibrationSpread) and plain.calibration_spread is None
    assert spread.n_runs == 10 and spread.years == (2030, 2035)
    for name in PRESETS:
        row = spread.runs("baseline", name).loc[AS_GIVEN]
        sim = plain.simulation(name, "baseline")
        for year in (2030, 2035):
            d = sim.distress_probability.loc[year]
            assert row[f"P(distress by {year})"] == d["probability"]
            assert row[f"P(distress by {year}) low"] == d["low"]
            assert row[f"P(distress by {year}) high"] == d["high"]
        assert row["P(profit by 2035)"] == sim.profit_probability.loc[2035, "probability"]


def test_a_variants_row_is_a_plain_comparison_of_its_scenarios(spread_run: Any) -> None:
    c, _ = spread_run
    (every,) = [v for v in calibration_variants() if v.name == "episodes: every bear market"]
    moved = wager.compare(
        *(every.apply(wager.presets.load(n)) for n in PRESETS),
        n_paths=PATHS,
        seed=SEED,
        stresses=["baseline"],
        progress=False,
    )
    for name in PRESETS:
        row = c.calibration_spread.runs("baseline", name).loc[every.name]
        assert (
            row["P(distress by 2035)"]
            == (moved.simulation(name, "baseline").distress_probability.loc[2035, "probability"])
        )


def test_the_ranges_and_the_episode_sets_direction(spread_run: Any) -> None:
    c, _ = spread_run
    spread = c.calibration_spread
    ranges = spread.ranges()
    for (stress, strategy, metric), r in ranges.iterrows():
        col = spread.runs(stress, strategy)[metric]
        assert r["min"] == col.min() and r["max"] == col.max()
        assert r["min"] <= r[AS_GIVEN] <= r["max"]
        assert col[r["min at"]] == r["min"] and col[r["max at"]] == r["max"]
    # compute_first's P(distress by 2035) at the three episode sets, against
    # docs/calibration.md's 20,000 paths of seed 1 (0.058, 0.142, 0.260),
    # within 4 standard errors of these 2,000 paths.
    runs = spread.runs("baseline", "compute_first")["P(distress by 2035)"]
    for variant, p in (
        ("episodes: 2000-02 alone", 0.058),
        (AS_GIVEN, 0.142),
        ("episodes: every bear market", 0.260),
    ):
        assert abs(runs[variant] - p) < 4 * math.sqrt(p * (1 - p) / PATHS), variant


def test_the_headline_report_and_export_carry_the_spread(spread_run: Any, tmp_path: Path) -> None:
    c, plain = spread_run
    sentences = headline(c)
    assert len(sentences) == len(headline(plain)) + 1
    (line,) = [s for s in sentences if s.startswith("Across the calibration's range")]
    for name in PRESETS:
        r = c.calibration_spread.range_of("baseline", name, "P(distress by 2035)")
        assert f"{name} {percent(float(r['min']))} to {percent(float(r['max']))}" in line
    html = c.report(tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="calibration-spread"' in html and "not a confidence interval" in html
    assert all(v.name in html for v in calibration_variants())
    frame = c.to_frame()
    rows = frame[frame["table"] == "calibration_spread"]
    assert len(rows) == 2 * 10 * 9  # strategies x runs x (3 metrics and their intervals)
    assert set(rows["variable"]) == {AS_GIVEN, *(v.name for v in calibration_variants())}
    manifest = c.manifest()["calibration_spread"]
    assert [v["name"] for v in manifest["variants"]] == [v.name for v in calibration_variants()]
    back = wager.read_results(c.to_parquet(tmp_path / "c.parquet"))
    assert back.manifest["calibration_spread"] == manifest


def test_the_command_prints_the_spread_at_100_columns() -> None:
    result = CliRunner().invoke(
        cli,
        ["compare", "--calibration-spread", "--stress", "baseline", "--paths", "1000"],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    assert "calibration spread: 10 runs of the comparison" in result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 100
    for name in PRESETS:
        assert f"== calibration spread, baseline: {name} ==" in out
    block = out.split("== calibration spread, baseline: compute_first ==")[1].splitlines()
    header = block[1]
    assert "distress by 2030" in header and "first profit by 2035" in header
    variants = [line.split("  ")[0] for line in block[2:] if line.strip()]
    assert variants == [AS_GIVEN, *(v.name for v in calibration_variants()), "range"]
    assert "not a confidence interval" in " ".join(out.split())
    as_json = CliRunner().invoke(
        cli,
        [
            *("compare", "--calibration-spread", "--stress", "baseline"),
            *("--paths", "500", "--format", "json"),
        ],
    )
    assert as_json.exit_code == 0, as_json.output
    rows = json.loads(as_json.stdout)["calibration_spread"]
    assert len(rows) == 2 * 10 and {r["variant"] for r in rows} >= {AS_GIVEN}


def test_the_command_refuses_a_scenario_it_cannot_vary(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(json.dumps(_two_regimes()), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["compare", str(path), "compute_first", "--calibration-spread", "--paths", "100"]
    )
    assert result.exit_code == 2, result.output
    assert "'--calibration-spread'" in result.output and "market.regimes" in result.output
