"""What distress comes to (docs/model.md §27) in ``compare``, the stress grid
and ``wager stress``/``wager compare``'s tables: each number against
``wager.simulate`` of the same strategy under the same stress on the same
paths, and against a hand-computed reorganisation."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from test_distress_resolution import GOING_CONCERN, _committed

import wager
from wager.analyses.stress_grid import grid_frame
from wager.cli import cli
from wager.present.numbers import percent
from wager.present.report import render_report, summary_html
from wager.stats.estimators import wilson_interval
from wager.stats.recovery import CLAIM_CLASSES

N, SEED = 2_000, 17
STRESSES = ("baseline", "funding_freeze")
STRATEGIES = ("profitability", "compute_first")
#: A recovery rate is a ratio of sums of values the core rounds to 2^-24
#: US$ bn (6e-8): on claims of hundreds of US$ bn, a relative error near
#: 1e-10 in the ratio, well inside this.
RATE_TOL = 1e-9


def _same(a: float, b: float) -> bool:
    """Equal, or both NaN (a class without a claim has no rate)."""
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.fixture(scope="module")
def scenarios() -> list[wager.Scenario]:
    return [wager.presets.load(name) for name in STRATEGIES]


@pytest.fixture(scope="module")
def sims(scenarios: list[wager.Scenario]) -> dict[tuple[str, str], wager.Simulation]:
    return {
        (sc.name, stress): wager.simulate(sc, n_paths=N, seed=SEED, stress=stress, progress=False)
        for sc in scenarios
        for stress in STRESSES
    }


@pytest.fixture(scope="module")
def comparison(scenarios: list[wager.Scenario]) -> wager.Comparison:
    return wager.compare(*scenarios, n_paths=N, seed=SEED, stresses=STRESSES, progress=False)


@pytest.fixture(scope="module")
def grid(scenarios: list[wager.Scenario]) -> wager.StressGrid:
    return wager.stress(scenarios, list(STRESSES), n_paths=N, seed=SEED, progress=False)


def test_compare_gives_each_strategy_s_resolution_as_simulate_does(
    comparison: wager.Comparison, sims: dict[tuple[str, str], wager.Simulation]
) -> None:
    # compare runs every strategy on simulate's paths (same seed, same
    # draws), so each strategy's own shares are simulate's, exactly.
    s = comparison.summary()
    a, b = STRATEGIES
    last = comparison.years[-1]
    for stress in STRESSES:
        for event, label in (
            ("reorganised", "reorganised"),
            ("liquidated", "liquidated"),
            ("wiped_out", "wiped out"),
        ):
            row = s.loc[(stress, f"P({label} by {last})")]
            want = {n: float(sims[(n, stress)].resolution[event].iloc[-1]) for n in STRATEGIES}
            assert row[a] == want[a] and row[b] == want[b], (stress, event)
            assert row[f"{b} - {a}"] == want[b] - want[a]
            assert math.isnan(row[f"{b} - {a} low"])  # the pairs do not track resolutions
    # Not a vacuous check: under funding_freeze the compute-first lab's equity
    # holders lose everything on most paths, the profitability lab's on few.
    wiped = s.loc[("funding_freeze", f"P(wiped out by {last})")]
    assert wiped[b] > 0.5 > 0.05 > wiped[a]


def test_compare_gives_each_strategy_s_recovery_rates_as_simulate_does(
    comparison: wager.Comparison, sims: dict[tuple[str, str], wager.Simulation]
) -> None:
    s = comparison.summary()
    seen = 0
    for stress in STRESSES:
        for name in STRATEGIES:
            rec = sims[(name, stress)].recoveries
            for c in CLAIM_CLASSES:
                got = float(s.loc[(stress, f"recovery rate {c}"), name])
                assert _same(got, float(rec.loc[c, "recovery_rate"])), (stress, name, c)
                seen += not math.isnan(got)
            # All claims: total paid / total claimed over the classes (the
            # means are totals / the same count of distressed paths).
            classes = rec.loc[list(CLAIM_CLASSES)]
            total = float(classes["recovered"].sum() / classes["claim"].sum())
            got = float(s.loc[(stress, "recovery rate all claims"), name])
            assert got == pytest.approx(total, rel=1e-12)
    assert seen >= 6  # most classes have claims on these paths


def test_compare_of_a_hand_computed_reorganisation() -> None:
    # test_distress_resolution: with commitments to 2028 the company is
    # reorganised in 2027 and the unsecured claims (contracts 400, trade 130)
    # share 0.84 of the going-concern value, nothing left to the equity; with
    # commitments to 2026 only the 130 unpaid is owed, paid in full, and the
    # equity holders keep the rest.
    wiped = {**_committed(4), "name": "wiped"}
    kept = {**_committed(2), "name": "kept"}
    c = wager.compare(wiped, kept, n_paths=64, seed=1, stresses=[], progress=False)
    s = c.summary().loc[c.stresses[0]]
    rate = 0.84 * GOING_CONCERN / 530
    expected: dict[str, tuple[float, float]] = {
        "P(reorganised by 2028)": (1.0, 1.0),
        "P(liquidated by 2028)": (0.0, 0.0),
        "P(wiped out by 2028)": (1.0, 0.0),
        "recovery rate contracts": (rate, math.nan),
        "recovery rate trade": (rate, 1.0),
        "recovery rate all claims": (rate, 1.0),
    }
    for metric, (w, k) in expected.items():
        got_w, got_k = float(s.loc[metric, "wiped"]), float(s.loc[metric, "kept"])
        assert got_w == pytest.approx(w, abs=RATE_TOL), metric
        assert got_k == pytest.approx(k, abs=RATE_TOL, nan_ok=True), metric
    for name in ("secured", "unsecured_debt"):  # no debt: no claim, no rate
        assert s.loc[f"recovery rate {name}", ["wiped", "kept"]].isna().all()


def test_the_grid_gives_each_cell_s_wipe_out_and_recoveries_as_simulate_does(
    grid: wager.StressGrid, sims: dict[tuple[str, str], wager.Simulation]
) -> None:
    t = grid.table
    for (name, stress), sim in sims.items():
        row = t.loc[(name, stress, 1.0)]
        res = sim.resolution.iloc[-1]
        for col in ("p_wiped_out", "p_wiped_out_low", "p_wiped_out_high"):
            assert row[col] == res[col.replace("p_", "", 1)], (name, stress, col)
        assert row["p_reorganised"] == res["reorganised"]
        rec = sim.recoveries
        for c in CLAIM_CLASSES:
            assert _same(row[f"recovery_rate_{c}"], rec.loc[c, "recovery_rate"]), (name, c)
            assert _same(row[f"recovery_rate_{c}_se"], rec.loc[c, "recovery_rate_se"])
    assert t.loc[("compute_first", "funding_freeze", 1.0), "p_wiped_out"] > 0.5


def test_the_grid_of_a_hand_computed_reorganisation() -> None:
    # As in the compare case above: both reorganised in 2027, the equity
    # holders wiped out only where the commitments run to 2028.
    n = 50
    wiped = {**_committed(4), "name": "wiped"}
    kept = {**_committed(2), "name": "kept"}
    g = wager.stress([wiped, kept], [], n_paths=n, seed=2, progress=False)
    t = g.table.droplevel(["stress", "severity"])
    all_low, all_high = wilson_interval(np.array([n]), n)
    none_low, none_high = wilson_interval(np.array([0]), n)
    got = t[["p_wiped_out", "p_wiped_out_low", "p_wiped_out_high"]]
    assert tuple(got.loc["wiped"]) == (1.0, all_low[0], all_high[0])
    assert tuple(got.loc["kept"]) == (0.0, none_low[0], none_high[0])
    assert (t["p_reorganised"] == 1.0).all() and (t["p_liquidated"] == 0.0).all()
    rate = 0.84 * GOING_CONCERN / 530
    for c in ("contracts", "trade"):
        assert t.loc["wiped", f"recovery_rate_{c}"] == pytest.approx(rate, abs=RATE_TOL)
        # Every path the same: no spread.
        assert t.loc["wiped", f"recovery_rate_{c}_se"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc["kept", "recovery_rate_trade"] == pytest.approx(1.0, abs=RATE_TOL)
    assert math.isnan(t.loc["kept", "recovery_rate_contracts"])  # nothing owed on them
    assert t[["recovery_rate_secured", "recovery_rate_secured_se"]].isna().all().all()


def test_exports_carry_the_new_statistics(
    comparison: wager.Comparison, grid: wager.StressGrid
) -> None:
    last = comparison.years[-1]
    frame = comparison.to_frame()
    rows = frame[(frame["table"] == "summary") & (frame["variable"] == f"P(wiped out by {last})")]
    got = rows.set_index(["stress", "statistic"])["value"]
    s = comparison.summary()
    for stress in STRESSES:
        for name in STRATEGIES:
            assert got[(stress, name)] == s.loc[(stress, f"P(wiped out by {last})"), name]
    g = grid_frame(grid)
    cell = g[(g["strategy"] == "compute_first") & (g["stress"] == "funding_freeze")]
    by = cell.set_index("statistic")["value"]
    row = grid.table.loc[("compute_first", "funding_freeze", 1.0)]
    for col in ("p_wiped_out", "recovery_rate_contracts", "recovery_rate_trade_se"):
        assert by[col] == row[col]


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out: str = result.output
    assert max(len(line) for line in out.splitlines()) <= 100
    return out


def test_the_stress_table_shows_reorganised_and_liquidated() -> None:
    n, seed = 1_000, 3
    stresses = [arg for s in STRESSES for arg in ("--stress", s)]
    out = _invoke("stress", "compute_first", *stresses, "--paths", str(n), "--seed", str(seed))
    g = wager.stress(
        wager.presets.load("compute_first"), list(STRESSES), n_paths=n, seed=seed, progress=False
    )
    lines = out.splitlines()
    names = next(line.split() for line in lines if line.split()[:1] == ["distress"])
    assert names == ["distress", "interval", "reorg.", "liquid.", "profit", "value", "central"]
    for stress in STRESSES:
        line = next(line for line in lines if f" {stress} " in line)
        cells = line.split()
        cells = cells[cells.index(stress) + 1 :]
        # The interval is two words: "[a," and "b]".
        shown = dict(zip(names, [cells[0], " ".join(cells[1:3]), *cells[3:]], strict=True))
        r = g.table.loc[("compute_first", stress, 1.0)]
        assert shown["distress"] == percent(float(r["p_distress"]))
        assert shown["reorg."] == percent(float(r["p_reorganised"]))
        assert shown["liquid."] == percent(float(r["p_liquidated"]))
    ff = g.table.loc[("compute_first", "funding_freeze", 1.0)]
    assert ff["p_reorganised"] > 0.5  # what the line shows is not a zero by default


def test_the_compare_table_shows_the_wipe_out_and_the_recoveries() -> None:
    n, seed = 1_000, 4
    out = _invoke("compare", "--paths", str(n), "--seed", str(seed), "--stress", "funding_freeze")
    c = wager.compare(
        *(wager.presets.load(name) for name in STRATEGIES),
        n_paths=n,
        seed=seed,
        stresses=["funding_freeze"],
        progress=False,
    )
    s = c.summary().loc["funding_freeze"]
    last = c.years[-1]
    a, b = STRATEGIES
    lines = out.splitlines()

    def shown(label: str) -> list[str]:
        line = next(line for line in lines if line.startswith(label + " "))
        return line[len(label) :].split()

    row: Any = s.loc[f"P(wiped out by {last})"]
    assert shown(f"equity wiped out by {last}")[:2] == [percent(row[a]), percent(row[b])]
    row = s.loc["recovery rate contracts"]
    assert shown("recovery rate contracts")[:2] == [percent(row[a]), percent(row[b])]
    # A class neither strategy had a claim in is left out, not shown empty.
    assert math.isnan(s.loc["recovery rate secured", a]) and math.isnan(
        s.loc["recovery rate secured", b]
    )
    assert not any(line.startswith("recovery rate secured") for line in lines)
    # Nor in the HTML report, nor in a notebook's summary.
    for html in (render_report(c), summary_html(c)):
        assert "recovery rate contracts" in html
        assert "recovery rate secured" not in html
