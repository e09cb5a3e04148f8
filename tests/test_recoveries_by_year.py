"""Recoveries by claim class and the year the distress began
(``Simulation.recoveries_by_year``, docs/model.md §27): a hand-computed
reorganisation, exact agreement with the recoveries over all years, and the
table in the exports and the report."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from test_distress_resolution import GOING_CONCERN, _committed

import wager
from wager.present.report import render_report
from wager.stats.recovery import CLAIM_CLASSES, fixed_squares, fixed_sums

#: As test_distress_outcomes_surface: a ratio of sums of values rounded to
#: 2^-24 US$ bn, on claims of hundreds of US$ bn.
RATE_TOL = 1e-9


@pytest.fixture(scope="module")
def stressed() -> wager.Simulation:
    # Paths fall into distress in many years under a freeze on new money.
    return wager.simulate(
        wager.presets.load("compute_first"),
        n_paths=2_000,
        seed=17,
        stress="funding_freeze",
        progress=False,
    )


def test_a_hand_computed_reorganisation_is_counted_in_the_year_its_distress_began() -> None:
    # test_distress_resolution: every path falls into distress in 2026
    # (cash 150 -> 10 -> -130) and is reorganised in 2027; the contracts'
    # claim is 400, the trade claim 130, each paid 0.84 of the going-concern
    # value over 530.
    sim = wager.simulate(_committed(4), n_paths=64, seed=1, progress=False)
    t = sim.recoveries_by_year
    assert list(t.index.unique("year")) == [2025, 2026, 2027, 2028]
    assert list(t.index.unique("class")) == list(CLAIM_CLASSES)
    rate = 0.84 * GOING_CONCERN / 530
    assert t.loc[(2026, "contracts"), "claim"] == pytest.approx(400, abs=1e-6)
    assert t.loc[(2026, "trade"), "claim"] == pytest.approx(130, abs=1e-6)
    for name in ("contracts", "trade"):
        assert t.loc[(2026, name), "recovery_rate"] == pytest.approx(rate, abs=RATE_TOL)
        # Every path the same: no spread, so no standard error to speak of.
        assert t.loc[(2026, name), "recovery_rate_se"] == pytest.approx(0, abs=RATE_TOL)
    assert (t.xs(2026, level="year")["paths"] == 64).all()
    for year in (2025, 2027, 2028):
        row = t.xs(year, level="year")
        assert (row["paths"] == 0).all()
        assert row["recovery_rate"].isna().all()


def test_the_years_add_up_to_the_recoveries_over_all_years(stressed: wager.Simulation) -> None:
    d = stressed.raw["distress"]
    by_year = d["by_year"]
    n_years, n_classes = len(stressed.scenario.time.years), len(CLAIM_CLASSES)
    s1, s2 = fixed_sums(d["sum"]), fixed_squares(d["sum_squares"])
    y1, y2 = fixed_sums(by_year["sum"]), fixed_squares(by_year["sum_squares"])
    for i in range(n_classes):
        for k in range(3):  # claim, recovered, claim + recovered: exact sums
            at = [3 * (y * n_classes + i) + k for y in range(n_years)]
            assert sum((y1[a] for a in at), Fraction(0)) == s1[3 * i + k]
            assert sum((y2[a] for a in at), Fraction(0)) == s2[3 * i + k]
    t, overall = stressed.recoveries_by_year, stressed.recoveries
    years_with_paths = t.xs("contracts", level="class")["paths"]
    assert years_with_paths.sum() == overall.loc["contracts", "paths"]
    assert (years_with_paths > 0).sum() >= 3  # distress begins in several years
    for name in CLAIM_CLASSES:
        rows = t.xs(name, level="class")
        claimed = (rows["claim"] * rows["paths"]).fillna(0).sum()
        paid = (rows["recovered"] * rows["paths"]).fillna(0).sum()
        m = overall.loc[name, "paths"]
        assert claimed == pytest.approx(overall.loc[name, "claim"] * m, rel=1e-12, abs=1e-9)
        if overall.loc[name, "claim"] > 0:
            assert paid / claimed == pytest.approx(overall.loc[name, "recovery_rate"], rel=1e-9)


def test_exports_and_the_report_carry_the_recoveries_by_year(
    stressed: wager.Simulation,
) -> None:
    frame = stressed.to_frame()
    rows = frame[frame["table"] == "recoveries_by_year"]
    t = stressed.recoveries_by_year
    got = rows.set_index(["year", "variable", "statistic"])["value"]
    for (year, name), row in t.iterrows():
        for stat in ("claim", "recovered", "recovery_rate", "paths"):
            want, value = float(row[stat]), float(got[(year, name, stat)])
            assert (math.isnan(want) and math.isnan(value)) or value == want
    html = render_report(stressed)
    assert "Recovery rate by claim class and the year the distress began" in html
