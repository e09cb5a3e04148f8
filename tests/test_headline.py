"""The answer first (issue 19): the number formats a reader sees, and the
headline sentences, each number read back from the result it describes."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

import wager
from wager.present.headline import headline, headline_text
from wager.present.numbers import (
    count,
    money,
    percent,
    percent_interval,
    points,
    points_interval,
    significant,
)

N = 2_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.56, "1,234.6"),
        (-3.0, "-3.0"),
        (0.0123, "0.012"),
        (-0.00045, "-0.00045"),
        (0.0, "0.0"),
        (float("nan"), "-"),
    ],
)
def test_money_has_one_decimal_and_keeps_small_amounts(value: float, expected: str) -> None:
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.2243, "22.4%"),
        (0.00045, "0.045%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (0.99996, ">99.9%"),
        (0.01685, "1.7%"),
    ],
)
def test_percent(value: float, expected: str) -> None:
    assert percent(value) == expected


def test_intervals_points_and_counts() -> None:
    assert percent_interval(0.219, 0.2301) == "[21.9, 23.0]"
    assert percent_interval(-0.001, 0.003) == "[0, 0.30]"  # clipped to the probability scale
    assert points(-0.2075) == "20.8" and points(0.0027) == "0.27" and points(0.0) == "0"
    assert points_interval(-0.2131, -0.2019) == "[-21.3, -20.2]"
    assert count(20_000) == "20,000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4.803e-06, "0.000004803"), (0.7589123, "0.7589"), (12345.6, "12,346"), (-1e-05, "-0.00001")],
)
def test_detail_numbers_are_never_scientific(value: float, expected: str) -> None:
    assert significant(value) == expected
    assert "e" not in significant(value)


@pytest.fixture(scope="module")
def comparison() -> wager.Comparison:
    a, b = wager.presets.load("compute_first"), wager.presets.load("profitability")
    return wager.compare(
        a, b, n_paths=N, seed=3, stresses=["baseline", "funding_freeze"], progress=False
    )


def _distress(sim: wager.Simulation) -> tuple[float, float, float]:
    row = sim.distress_probability.iloc[-1]
    return float(row["probability"]), float(row["low"]), float(row["high"])


def test_the_comparison_headline_reads_its_numbers_from_the_result(
    comparison: wager.Comparison,
) -> None:
    lines = headline(comparison)
    assert 3 <= len(lines) <= 5
    a, b = comparison.strategies
    for name in (a, b):
        p, low, high = _distress(comparison.simulation(name, "baseline"))
        assert f"{percent(p)} {percent_interval(low, high)}" in lines[0], (name, lines[0])
    summary = comparison.summary()
    gap = summary.loc[("baseline", "P(distress by 2035)"), f"{b} - {a}"]
    word = "lower" if gap < 0 else "higher"
    assert f"{b}'s risk is {points(gap)} points {word}" in lines[1]
    only_a = summary.loc[("baseline", f"P({a} in distress, {b} not, by 2035)"), b]
    assert f"{a} fails where {b} survives on {percent(only_a)}" in lines[1]
    # The stress's sentence: both probabilities, and whether the gap widens.
    freeze = lines[-1]
    assert freeze.startswith("Under funding_freeze: ")
    pa, pb = (_distress(comparison.simulation(n, "funding_freeze"))[0] for n in (a, b))
    assert f"{percent(pa)} against {percent(pb)}" in freeze
    gap_freeze = summary.loc[("funding_freeze", "P(distress by 2035)"), f"{b} - {a}"]
    assert ("widens" if abs(gap_freeze) > abs(gap) else "narrows") in freeze
    assert "e-" not in " ".join(lines)


def test_the_simulation_headline(comparison: wager.Comparison) -> None:
    sim = comparison.simulation("compute_first")
    text = headline_text(sim)
    p, low, high = _distress(sim)
    assert f"on {percent(p)} {percent_interval(low, high)} of {N:,} paths" in text
    res = sim.resolution.iloc[-1]
    assert f"reorganised on {percent(res['reorganised'])}" in text
    assert "\n" in headline_text(sim, width=60)


def test_the_grid_headline_names_each_strategy_s_worst_stress() -> None:
    grid = wager.stress(
        [wager.presets.load("compute_first")],
        ["baseline", "price_war", "funding_freeze"],
        n_paths=500,
        seed=1,
        progress=False,
    )
    (line,) = headline(grid)
    t = grid.table.xs("compute_first", level="strategy")
    worst = t["p_distress"].idxmax()[0]
    assert f"under {worst}, its worst stress" in line
    assert f"against {percent(t.loc[('baseline', 1.0), 'p_distress'])}" in line


def test_the_projection_headline_follows_its_events() -> None:
    p = wager.project(wager.presets.load("compute_first"))
    first, second = headline(p)
    if p.events.distress_year is None:
        assert "meets its obligations to 2035" in first
    else:
        assert f"distress in {p.events.distress_year}" in first
    assert f"first operating profit in {p.events.first_profit_year}" in first
    assert money(p.events.peak_funding_need) in second


def test_the_race_headline_names_the_equilibria() -> None:
    race = wager.race(n_paths=500, seed=1)
    lines = headline(race)
    assert len(lines) == max(len(race.equilibria), 1) + 1
    assert ("prisoner's dilemma: both" in lines[-1]) == race.dilemma
    for (x, y), line in zip(race.equilibria, lines, strict=False):
        m = race.matrix.loc[(x, y)]
        assert f"plays {x}" in line and percent(m["survival_a"]) in line


def test_a_headline_of_something_else_is_refused() -> None:
    with pytest.raises(TypeError, match="no headline for a"):
        headline(42)


def test_the_report_opens_with_the_findings(comparison: wager.Comparison, tmp_path: Path) -> None:
    html = comparison.report(tmp_path / "r.html").read_text(encoding="utf-8")
    sections = re.findall(r'<h2 id="([^"]+)"', html)
    assert sections[0] == "findings"
    findings = html[html.index('<h2 id="findings"') : html.index('<h2 id="summary"')]
    text = unescape(re.sub(r"<[^>]+>", "", findings))
    for sentence in headline(comparison):
        assert sentence in text
    # The figure comes before the key numbers, and those match the result.
    assert findings.index("<img") < findings.index("<table")
    p, low, high = _distress(comparison.simulation("compute_first", "funding_freeze"))
    assert percent(p) in text and percent_interval(low, high) in text


def _linear_tornado() -> wager.Tornado:
    import importlib.util

    path = Path(__file__).with_name("test_sensitivity.py")
    spec = importlib.util.spec_from_file_location("sensitivity_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return wager.tornado(module._linear(), n_paths=64)


def test_the_tornado_headline_and_report(tmp_path: Path) -> None:
    t = _linear_tornado()
    first, second = headline(t)
    assert f"is {money(t.central)} US$ bn" in first
    top = t.table.index[0]
    low, high = t.table.loc[top, "low"], t.table.loc[top, "high"]
    assert second.startswith(f"It moves most with {top} ({money(low)} US$ bn at its 10th")
    assert f"{money(high)} US$ bn at its 90th" in second
    html = t.report(tmp_path / "t.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)"', html)[0] == "findings"
    assert "<img" in html and "wager tornado" in t._repr_html_()


def test_the_outcome_ecdf_draws_each_strategy_s_distribution(
    comparison: wager.Comparison,
) -> None:
    from wager import plotting

    (ax,) = plotting.outcome_ecdf(comparison, stress="funding_freeze").axes
    for line, name in zip(ax.get_lines(), comparison.strategies, strict=True):
        d = comparison.simulation(name, "funding_freeze").outcome_distribution()
        assert line.get_label() == name
        assert list(line.get_ydata()) == list(d["probability"])
    assert ax.get_ylim() == (0.0, 1.0)


def test_short_reprs_and_notebook_summaries_lead_with_the_headline(
    comparison: wager.Comparison,
) -> None:
    sim = comparison.simulation("compute_first")
    p, _, _ = _distress(sim)
    assert repr(sim) == (
        f"Simulation('compute_first', stress='baseline', n_paths={N:,}, seed=3: "
        f"P(distress by 2035) = {p:.4f})"
    )
    projection = wager.project(wager.presets.load("profitability"))
    assert len(repr(projection)) < 200 and repr(projection).startswith("Projection('profitability'")
    for result in (projection, sim, comparison):
        html = result._repr_html_()
        first = unescape(re.sub(r"<[^>]+>", "", html.split("</p>")[0]))
        assert first == headline(result)[0]


def test_every_result_has_a_short_repr_and_a_notebook_summary(
    comparison: wager.Comparison,
) -> None:
    import importlib.util

    path = Path(__file__).with_name("test_sensitivity.py")
    spec = importlib.util.spec_from_file_location("sensitivity_cases_2", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cf = wager.presets.load("compute_first")
    results = [
        comparison,
        comparison.simulation("compute_first"),
        wager.project(cf),
        wager.stress([cf], ["baseline"], n_paths=200, progress=False),
        wager.race(n_paths=200),
        wager.tornado(module._linear(), n_paths=64),
        wager.sobol(module._linear(), n_base=8),
        wager.reverse_stress(cf, "funding_freeze", n_paths=200),
    ]
    for result in results:
        name = type(result).__name__
        assert len(repr(result)) < 200, (name, repr(result))
        html = result._repr_html_()
        assert "<table" in html, name


def test_the_distress_bars_are_each_strategy_s_probability(comparison: wager.Comparison) -> None:
    from matplotlib.container import BarContainer

    from wager import plotting

    (ax,) = plotting.distress_by_stress(comparison).axes
    assert ax.get_ylim() == (0.0, 1.0)
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    for container, name in zip(bars, comparison.strategies, strict=True):
        heights = [bar.get_height() for bar in container]
        expected = [_distress(comparison.simulation(name, s))[0] for s in comparison.stresses]
        assert heights == expected
    labels = {t.get_text() for t in ax.texts}
    p = _distress(comparison.simulation("compute_first", "funding_freeze"))[0]
    assert f"{p * 100:.1f}%" in labels
