"""The plotting layer: every kind of picture draws the result's own numbers,
saves to PNG and SVG at the size asked for, and matplotlib stays optional."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle
from test_simulation_engine import uncertain_preset

import wager
from wager import plotting
from wager.plotting import PlotAccessor

N, SEED = 2_000, 3
STRESSES = ["baseline", "funding_freeze"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def strategies() -> tuple[wager.Scenario, wager.Scenario]:
    return wager.presets.load("profitability"), wager.presets.load("compute_first")


@pytest.fixture(scope="module")
def sim(strategies: tuple[wager.Scenario, wager.Scenario]) -> wager.Simulation:
    return wager.simulate(strategies[1], n_paths=N, seed=SEED, progress=False)


@pytest.fixture(scope="module")
def comparison(strategies: tuple[wager.Scenario, wager.Scenario]) -> wager.Comparison:
    return wager.compare(*strategies, n_paths=N, seed=SEED, stresses=STRESSES, progress=False)


@pytest.fixture(scope="module")
def grid(strategies: tuple[wager.Scenario, wager.Scenario]) -> wager.StressGrid:
    return wager.stress(
        list(strategies), STRESSES, severity=[0.5, 1.0], n_paths=N, seed=SEED, progress=False
    )


@pytest.fixture(scope="module")
def sensitivity() -> wager.Tornado:
    return wager.tornado(uncertain_preset(), n_paths=N, seed=SEED)


CELLS = [("aggressive", "aggressive"), ("aggressive", "prudent"), ("prudent", "aggressive")]
CELLS.append(("prudent", "prudent"))


@pytest.fixture(scope="module")
def payoff() -> pd.DataFrame:
    """A prisoner's dilemma, rows deliberately not in prudent-first order:
    aggressive is each lab's best reply whatever the other does, and both
    aggressive is worse for both than both prudent."""
    return pd.DataFrame(
        {
            "terminal_equity_value_a": [200.0, 450.0, 150.0, 300.0],
            "terminal_equity_value_b": [210.0, 120.0, 500.0, 280.0],
            "terminal_equity_value_a_se": [8.0, 7.0, 6.0, 5.0],
            "terminal_equity_value_b_se": [4.0, 3.0, 2.0, 1.0],
        },
        index=pd.MultiIndex.from_tuples(CELLS, names=["strategy_a_choice", "strategy_b_choice"]),
    )


def _line(ax: Axes, label: str) -> Line2D:
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(lines) == 1, [line.get_label() for line in ax.get_lines()]
    return lines[0]


def _band(ax: Axes, label: str | None = None) -> list[PolyCollection]:
    return [
        c
        for c in ax.collections
        if isinstance(c, PolyCollection) and (label is None or c.get_label() == label)
    ]


def _has_points(band: PolyCollection, x: object, y: object) -> bool:
    """Every point (x, y) is a vertex of the band's outline."""
    vertices = np.concatenate([p.vertices for p in band.get_paths()])
    points = np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    return all(np.any(np.all(np.isclose(vertices, p, rtol=0, atol=1e-9), axis=1)) for p in points)


# --- fan chart -------------------------------------------------------------------------------


def test_fan_chart_of_a_simulation_draws_its_median_and_quantile_bands(
    sim: wager.Simulation,
) -> None:
    fig = plotting.fan_chart(sim, "operating_income")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    frame = sim.annual.loc["operating_income"]
    median = _line(ax, "median")
    np.testing.assert_array_equal(median.get_xdata(), frame.index.to_numpy())
    np.testing.assert_array_equal(median.get_ydata(), frame["q50"].to_numpy())
    (outer,) = _band(ax, "5–95% of paths")
    (inner,) = _band(ax, "25–75% of paths")
    assert _has_points(outer, frame.index, frame["q5"])
    assert _has_points(outer, frame.index, frame["q95"])
    assert _has_points(inner, frame.index, frame["q25"])
    assert _has_points(inner, frame.index, frame["q75"])
    assert "US$ bn" in ax.get_ylabel() and ax.get_xlabel() == "year"
    assert ax.get_title() == sim.scenario.name
    assert ax.get_legend() is not None


def test_the_cash_fan_does_not_draw_distressed_paths_as_live(sim: wager.Simulation) -> None:
    (ax,) = plotting.fan_chart(sim, "cash").axes
    live = sim.surviving_cash
    np.testing.assert_array_equal(_line(ax, "median").get_ydata(), live["q50"].to_numpy())
    (outer,) = _band(ax, "5–95% of live paths")
    assert _has_points(outer, live.index, live["q5"])
    share = sim.distress_probability["probability"].iloc[-1]
    assert f"{share * 100:.1f}% in distress by 2035, not drawn" in ax.get_title()


@pytest.mark.parametrize("variable", ["cash", "operating_income"])
def test_fan_chart_of_a_comparison_has_one_panel_per_strategy(
    comparison: wager.Comparison, variable: str
) -> None:
    fig = plotting.fan_chart(comparison, variable, stress="funding_freeze")
    titles = [ax.get_title().split("\n")[0] for ax in fig.axes]
    assert titles == list(comparison.strategies)
    for ax, name in zip(fig.axes, comparison.strategies, strict=True):
        sim = comparison.simulation(name, "funding_freeze")
        # Cash: the paths not in distress (a distressed path's cash is frozen).
        frame = sim.surviving_cash if variable == "cash" else sim.annual.loc[variable]
        np.testing.assert_array_equal(_line(ax, "median").get_ydata(), frame["q50"].to_numpy())
    assert fig.axes[0].get_ylim() == fig.axes[1].get_ylim()  # one scale to compare on
    assert "funding_freeze" in fig.get_suptitle()
    # Without a stress, the comparison's first.
    first = plotting.fan_chart(comparison, variable)
    sim = comparison.simulation(comparison.strategies[0], STRESSES[0])
    frame = sim.surviving_cash if variable == "cash" else sim.annual.loc[variable]
    np.testing.assert_array_equal(
        _line(first.axes[0], "median").get_ydata(), frame["q50"].to_numpy()
    )
    assert "baseline" in first.get_suptitle()


def test_fan_chart_overlays_a_mapping_of_simulations_in_distinct_colours(
    comparison: wager.Comparison,
) -> None:
    sims = {name: comparison.simulation(name) for name in comparison.strategies}
    fig = plotting.fan_chart(sims, "cash", overlay=True, stress="baseline")
    (ax,) = fig.axes
    lines = [_line(ax, f"{name}: median") for name in sims]
    for line, s in zip(lines, sims.values(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), s.surviving_cash["q50"].to_numpy())
    assert lines[0].get_color() != lines[1].get_color()
    assert len(_band(ax)) == 4
    assert all(name in fig.get_suptitle() for name in sims)


def test_fan_chart_uses_the_quantiles_the_simulation_has(
    strategies: tuple[wager.Scenario, wager.Scenario],
) -> None:
    sc = strategies[0]
    no_median = wager.simulate(sc, n_paths=N, seed=SEED, progress=False, quantiles=(0.1, 0.9))
    (ax,) = plotting.fan_chart(no_median, "operating_income").axes
    frame = no_median.annual.loc["operating_income"]
    np.testing.assert_array_equal(_line(ax, "mean").get_ydata(), frame["mean"].to_numpy())
    (band,) = _band(ax)
    assert band.get_label() == "10–90% of paths"
    assert _has_points(band, frame.index, frame["q10"])

    many = wager.simulate(
        sc, n_paths=N, seed=SEED, progress=False, quantiles=(0.025, 0.1, 0.5, 0.9, 0.975)
    )
    (ax,) = plotting.fan_chart(many).axes
    labels = ["2.5–97.5% of live paths", "10–90% of live paths"]
    assert [b.get_label() for b in _band(ax)] == labels
    outer = _band(ax)[0]
    live = many.surviving_cash
    assert _has_points(outer, live.index, live["q97_5"])


def test_fan_chart_refuses_what_it_cannot_draw(
    sim: wager.Simulation, grid: wager.StressGrid
) -> None:
    with pytest.raises(ValueError, match=r"no variable 'debt'.*cash"):
        plotting.fan_chart(sim, "debt")
    with pytest.raises(TypeError, match=r"Simulation, a wager\.Comparison.*StressGrid"):
        plotting.fan_chart(grid)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"names to wager\.Simulation"):
        plotting.fan_chart({"x": 1})  # type: ignore[dict-item]


# --- survival and first profit ---------------------------------------------------------------


def test_survival_is_one_minus_the_distress_probability_with_its_interval(
    comparison: wager.Comparison,
) -> None:
    fig = plotting.survival(comparison, stress="funding_freeze")
    (ax,) = fig.axes
    bands = _band(ax)
    assert len(bands) == len(comparison.strategies)
    for name, band in zip(comparison.strategies, bands, strict=True):
        dp = comparison.simulation(name, "funding_freeze").distress_probability
        line = _line(ax, name)
        np.testing.assert_array_equal(line.get_xdata(), dp.index.to_numpy())
        np.testing.assert_allclose(line.get_ydata(), 1.0 - dp["probability"], rtol=0, atol=0)
        assert _has_points(band, dp.index, 1.0 - dp["high"])
        assert _has_points(band, dp.index, 1.0 - dp["low"])
    assert ax.get_ylabel() == "P(no distress by year end)"
    assert "funding_freeze" in ax.get_title()
    # The whole probability scale, never a cut axis (issue 19).
    assert ax.get_ylim() == (0.0, 1.0)


def test_first_profit_years_are_bars_per_year_then_never(comparison: wager.Comparison) -> None:
    names = comparison.strategies
    dist = {n: comparison.simulation(n).first_profit_year["probability"] for n in names}
    (ax,) = plotting.first_profit_years(comparison, trim=False).axes
    assert [c.get_label() for c in ax.containers] == list(names)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [str(y) for y in comparison.years] + ["never"]
    for container, name in zip(ax.containers, names, strict=True):
        heights = [bar.get_height() for bar in container]
        np.testing.assert_array_equal(heights, dist[name].to_numpy())
    # Trimmed: from the first year in which some strategy turns a profit.
    (ax,) = plotting.first_profit_years(comparison).axes
    any_profit = (pd.DataFrame(dist).iloc[:-1] > 0).any(axis=1)
    first = any_profit.idxmax()
    assert any_profit[first] and ax.get_xticklabels()[0].get_text() == str(first)
    kept = pd.DataFrame(dist).loc[first:]
    for container, name in zip(ax.containers, names, strict=True):
        np.testing.assert_array_equal([b.get_height() for b in container], kept[name].to_numpy())
    assert ax.get_ylabel() == "share of paths"


# --- tornado ---------------------------------------------------------------------------------


def test_tornado_bars_run_from_the_central_value_to_low_and_high(
    sensitivity: wager.Tornado,
) -> None:
    t = sensitivity
    table = t.table
    (ax,) = plotting.tornado(t).axes
    assert [tick.get_text() for tick in ax.get_yticklabels()] == list(table.index)
    low, high = ax.containers
    assert low.get_label() == "input at its P10" and high.get_label() == "input at its P90"
    for container, column in ((low, "low"), (high, "high")):
        for bar, value in zip(container, table[column], strict=True):
            assert bar.get_x() == t.central
            assert bar.get_x() + bar.get_width() == pytest.approx(value, rel=1e-12)
    # Ranked: the first row (drawn at the top) has the largest swing.
    assert ax.yaxis_inverted()
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    expected = {f"{v:.3g}" for v in (*table["low_input"], *table["high_input"])}
    assert {text.get_text() for text in ax.texts} == expected
    central = [line for line in ax.get_lines() if "central" in str(line.get_label())]
    assert len(central) == 1 and list(central[0].get_xdata()) == [t.central, t.central]
    assert ax.get_xlabel() == "mean terminal equity value, US$ bn"
    assert [tick.get_text() for tick in plotting.tornado(t, top=1).axes[0].get_yticklabels()] == [
        table.index[0]
    ]


def test_tornado_of_a_probability_labels_its_year() -> None:
    t = wager.tornado(uncertain_preset(), "p_distress", n_paths=N, seed=SEED, year=2030)
    (ax,) = plotting.tornado(t, errorbars=True).axes
    assert ax.get_xlabel() == "P(distress by 2030)"
    assert len(ax.containers) == 4  # two bar sets and two sets of whiskers


# --- stress heatmap --------------------------------------------------------------------------


def test_stress_heatmap_shows_the_grid_s_values_in_its_cells(grid: wager.StressGrid) -> None:
    fig = plotting.stress_heatmap(grid, severity=1.0)
    ax = fig.axes[0]
    table = grid.table.xs(1.0, level="severity")
    strategies = list(dict.fromkeys(table.index.get_level_values("strategy")))
    assert [t.get_text() for t in ax.get_yticklabels()] == strategies
    assert [t.get_text() for t in ax.get_xticklabels()] == STRESSES
    expected = table["p_distress"].unstack("stress").loc[strategies, STRESSES].to_numpy()
    np.testing.assert_array_equal(np.asarray(ax.images[0].get_array()), expected)
    assert len(ax.texts) == len(strategies) * len(STRESSES)
    for text in ax.texts:
        j, i = text.get_position()
        row = table.loc[(strategies[int(i)], STRESSES[int(j)])]
        first, second = text.get_text().split("\n")
        assert first == f"{row['p_distress']:.1%}"
        assert second == f"({row['p_distress_low']:.1%}–{row['p_distress_high']:.1%})"
    horizon = wager.presets.load("profitability").time.horizon
    assert f"P(distress by {horizon})" in ax.get_title() and "severity 1" in ax.get_title()
    assert fig.axes[1].get_ylabel() == f"P(distress by {horizon})"  # the colour bar
    # Another severity, another picture.
    half = plotting.stress_heatmap(grid, severity=0.5).axes[0]
    assert not np.array_equal(np.asarray(half.images[0].get_array()), expected)


def test_stress_heatmap_of_money_shows_mean_and_interval(grid: wager.StressGrid) -> None:
    ax = plotting.stress_heatmap(grid, 0.5, "terminal_equity_value_mean").axes[0]
    table = grid.table.xs(0.5, level="severity")
    strategies = list(dict.fromkeys(table.index.get_level_values("strategy")))
    for text in ax.texts:
        j, i = text.get_position()
        row = table.loc[(strategies[int(i)], STRESSES[int(j)])]
        first, second = text.get_text().split("\n")
        assert float(first.replace(",", "")) == pytest.approx(
            row["terminal_equity_value_mean"], abs=0.5
        )
        half_width = 1.959963984540054 * row["terminal_equity_value_se"]
        assert float(second.removeprefix("± ").replace(",", "")) == pytest.approx(
            half_width, abs=0.5
        )
    assert ax.get_title().startswith("mean terminal equity value")


def test_stress_heatmap_refuses_unknown_severity_and_column(grid: wager.StressGrid) -> None:
    with pytest.raises(ValueError, match=r"no severity 2 .*0\.5, 1"):
        plotting.stress_heatmap(grid, severity=2.0)
    with pytest.raises(ValueError, match="no column 'p_survive'"):
        plotting.stress_heatmap(grid, value="p_survive")


# --- race payoff matrix ----------------------------------------------------------------------


def test_race_payoff_shows_both_labs_payoffs_and_marks_the_equilibrium(
    payoff: pd.DataFrame,
) -> None:
    fig = plotting.race_payoff(payoff, equilibria=[("aggressive", "aggressive")])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["prudent", "aggressive"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["prudent", "aggressive"]
    assert ax.get_ylabel() == "A's choice" and ax.get_xlabel() == "B's choice"
    rows = cols = ["prudent", "aggressive"]
    texts = {t.get_text() for t in ax.texts}
    expected = set()
    for (a, b), row in payoff.iterrows():
        for who in ("a", "b"):
            v = row[f"terminal_equity_value_{who}"]
            half = 1.959963984540054 * row[f"terminal_equity_value_{who}_se"]
            expected.add(f"{who.upper()}: {v:,.1f}\n± {half:,.1f}")
        # Each text sits in its own cell: A's lower left, B's upper right.
        i, j = rows.index(a), cols.index(b)
        for text in ax.texts:
            x, y = text.get_position()
            if (int(x), int(y)) == (j, i):
                who = "a" if x - j < y - i else "b"
                value = row[f"terminal_equity_value_{who}"]
                assert text.get_text().startswith(f"{who.upper()}: {value:,.1f}")
    assert texts == expected
    assert sum(isinstance(p, Polygon) for p in ax.patches) == 8
    marks = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == "equilibrium"]
    assert len(marks) == 1 and (int(marks[0].get_x()), int(marks[0].get_y())) == (1, 1)
    assert ax.get_legend() is not None
    # An off-diagonal cell: column B's choice, row A's.
    ax = plotting.race_payoff(payoff, equilibria=[("prudent", "aggressive")]).axes[0]
    (mark,) = [p for p in ax.patches if p.get_gid() == "equilibrium"]
    assert (int(mark.get_x()), int(mark.get_y())) == (1, 0)
    assert "expected terminal equity value, US$ bn" in fig.axes[1].get_ylabel()


def test_race_payoff_of_probabilities_without_errors(payoff: pd.DataFrame) -> None:
    survival = pd.DataFrame(
        {"p_survive_a": [0.5, 0.9, 0.6, 0.95], "p_survive_b": [0.55, 0.7, 0.85, 0.97]},
        index=payoff.index,
    )
    ax = plotting.race_payoff(survival, "p_survive", names=("lab1", "lab2")).axes[0]
    assert {t.get_text() for t in ax.texts} >= {"lab1: 50.0%", "lab2: 97.0%"}
    assert ax.get_ylabel() == "lab1's choice"
    assert ax.get_legend() is None  # no equilibrium named


def test_race_payoff_refuses_bad_matrices(payoff: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"equilibrium \('prudent', 'reckless'\)"):
        plotting.race_payoff(payoff, equilibria=[("prudent", "reckless")])
    with pytest.raises(ValueError, match="lacks p_survive_a, p_survive_b"):
        plotting.race_payoff(payoff, "p_survive")
    with pytest.raises(ValueError, match="two-level index"):
        plotting.race_payoff(payoff.reset_index(drop=True))


# --- accessor --------------------------------------------------------------------------------


def test_plot_accessor_draws_the_kinds_that_apply(
    sim: wager.Simulation,
    comparison: wager.Comparison,
    grid: wager.StressGrid,
    sensitivity: wager.Tornado,
    payoff: pd.DataFrame,
) -> None:
    figures = [
        PlotAccessor(sim).fan(),
        PlotAccessor(sim).survival(),
        PlotAccessor(comparison).first_profit(stress="funding_freeze"),
        PlotAccessor(comparison).fan("operating_income", overlay=True),
        PlotAccessor(sensitivity).tornado(top=2),
        PlotAccessor(grid).heatmap(severity=0.5),
        PlotAccessor(payoff).race(),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    fan = PlotAccessor(comparison).fan("operating_income", stress="funding_freeze")
    frame = comparison.simulation("compute_first", "funding_freeze").annual
    np.testing.assert_array_equal(
        _line(fan.axes[1], "median").get_ydata(), frame.loc["operating_income", "q50"].to_numpy()
    )
    # A race result object: its matrix and its equilibria.
    result = SimpleNamespace(matrix=payoff, equilibria=[("prudent", "prudent")])
    ax = PlotAccessor(result).race().axes[0]
    (mark,) = [p for p in ax.patches if p.get_gid() == "equilibrium"]
    assert (int(mark.get_x()), int(mark.get_y())) == (0, 0)
    assert PlotAccessor(sim).kinds() == ["fan", "survival", "first_profit", "ecdf"]
    assert "heatmap" in repr(PlotAccessor(grid))


@pytest.mark.parametrize(
    ("kind", "result", "message"),
    [
        ("tornado", "sim", r"plot.tornado\(\) does not apply to a Simulation.*plot.fan\(\)"),
        ("heatmap", "comparison", r"plot.heatmap\(\) does not apply to a Comparison"),
        ("fan", "sensitivity", r"plot.fan\(\) does not apply to a Tornado.*plot.tornado\(\)"),
        ("race", "grid", r"plot.race\(\) does not apply to a StressGrid.*plot.heatmap\(\)"),
        ("survival", "payoff", r"plot.survival\(\) does not apply to a DataFrame"),
    ],
)
def test_plot_accessor_refuses_a_kind_that_does_not_apply(
    kind: str, result: str, message: str, request: pytest.FixtureRequest
) -> None:
    accessor = PlotAccessor(request.getfixturevalue(result))
    with pytest.raises(TypeError, match=message):
        getattr(accessor, kind)()


def test_plot_accessor_of_something_else_has_no_kinds() -> None:
    with pytest.raises(TypeError, match="does not apply to a str; it has none"):
        PlotAccessor("cash").fan()


# --- files -----------------------------------------------------------------------------------

KINDS: dict[str, Callable[[pytest.FixtureRequest], Figure]] = {
    "fan_cash": lambda r: plotting.fan_chart(r.getfixturevalue("comparison"), "cash"),
    "fan_operating_income": lambda r: plotting.fan_chart(
        r.getfixturevalue("sim"), "operating_income"
    ),
    "survival": lambda r: plotting.survival(r.getfixturevalue("comparison")),
    "first_profit": lambda r: plotting.first_profit_years(r.getfixturevalue("comparison")),
    "tornado": lambda r: plotting.tornado(r.getfixturevalue("sensitivity")),
    "heatmap": lambda r: plotting.stress_heatmap(r.getfixturevalue("grid")),
    "race": lambda r: plotting.race_payoff(
        r.getfixturevalue("payoff"), equilibria=[("aggressive", "aggressive")]
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_saves_to_png_and_svg_at_its_size(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    fig = KINDS[kind](request)
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    fig.savefig(png, dpi=50)
    fig.savefig(svg)
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    # IHDR, the first chunk: width and height in pixels, 8 x 4.5 inches at 50 dpi.
    assert data[12:16] == b"IHDR"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (400, 225)
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    assert 'width="576pt" height="324pt"' in text
    assert svg.stat().st_size > 1000
    fig.clf()


def test_figures_are_not_left_open_in_pyplot(sim: wager.Simulation) -> None:
    from matplotlib import pyplot as plt

    before = plt.get_fignums()
    plotting.fan_chart(sim)
    plotting.survival(sim)
    assert plt.get_fignums() == before


# --- matplotlib is optional ------------------------------------------------------------------


def test_importing_wager_does_not_import_matplotlib() -> None:
    code = (
        "import sys, wager, wager.plotting; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_plot_without_matplotlib_says_what_to_install(
    sim: wager.Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'wager\[plot\]'"):
        plotting.fan_chart(sim)
    with pytest.raises(ImportError, match=r"pip install 'wager\[plot\]'"):
        PlotAccessor(sim).survival()


def test_a_heatmap_of_many_stresses_widens_and_shows_values_only() -> None:
    names = wager.stresses.one_bet_names()[:8]
    grid = wager.stress(
        [wager.presets.load("profitability")], names, n_paths=100, seed=1, progress=False
    )
    fig = plotting.stress_heatmap(grid)
    (ax, _) = fig.axes
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(names) and not any("\n" in t for t in texts)
    p = grid.table.xs((names[0], 1.0), level=("stress", "severity"))["p_distress"].iloc[0]
    assert texts[0] == f"{p:.1%}"
    assert fig.get_size_inches()[0] > plotting.FIGSIZE[0]
