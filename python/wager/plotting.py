"""Pictures of results with matplotlib: fan charts, survival curves, the
first-profit-year distribution, the tornado, the stress heatmap and the race
payoff matrix.

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot: nothing is shown, no global list of open figures grows, and the
caller saves it (``fig.savefig("cash.svg")``) or lets a notebook display it.
matplotlib is imported only when a picture is drawn, so ``import wager``
does not need it (``pip install 'wager[plot]'``). Money is in US$ bn.

>>> import wager
>>> from wager.plotting import fan_chart
>>> sim = wager.simulate(wager.presets.load("compute_first"), n_paths=2_000, progress=False)
>>> fan_chart(sim, "cash").savefig("cash.png")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .comparison import Comparison
    from .sensitivity import Tornado
    from .simulation import Simulation
    from .stress_grid import StressGrid

    SimulationResults: TypeAlias = Simulation | Comparison | Mapping[str, Simulation]

__all__ = [
    "PlotAccessor",
    "fan_chart",
    "first_profit_years",
    "race_payoff",
    "stress_heatmap",
    "survival",
    "tornado",
]

FIGSIZE = (8.0, 4.5)
#: The order of a race player's choices on the payoff matrix's axes.
RACE_CHOICES = ("prudent", "aggressive")

_VARIABLE_LABELS = {
    "revenue": "Revenue",
    "operating_income": "Operating income",
    "free_cash_flow": "Free cash flow",
    "cash": "Cash at year end",
}
_OUTCOME_LABELS = {
    "terminal_equity_value": "terminal equity value",
    "cumulative_fcf": "cumulative free cash flow",
    "peak_funding_need": "peak funding need",
}
#: Two-sided normal quantile of the 95% intervals drawn from standard errors.
_Z95 = 1.959963984540054


# Result classes are imported inside functions, not at the top: the result
# modules may import this one to offer ``result.plot``, and a module-level
# import each way would be circular.


def _figure(figsize: tuple[float, float]) -> Figure:
    """A new figure with constrained layout, or an ImportError that says what to install."""
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError(
            "wager's plots need matplotlib, which is not installed: pip install 'wager[plot]'"
        ) from err
    return Figure(figsize=figsize, layout="constrained")


def _colour(i: int) -> str:
    # The same strategy keeps the same colour from one figure to the next.
    return f"C{i % 10}"


def _title(*parts: str | None) -> str:
    return " — ".join(p for p in parts if p)


def _under(stress: str | None) -> str | None:
    return f"stress: {stress}" if stress else None


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(1.0))


def _year_axis(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _is_probability(name: str) -> bool:
    return name.startswith("p_") or "probability" in name or "survival" in name


def _money(v: float) -> str:
    if not math.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}"


def _number(v: float) -> str:
    """An input value, short: 3 significant digits, thousands written out."""
    if not math.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _text_colour(rgba: tuple[float, float, float, float]) -> str:
    # Relative luminance (sRGB weights): black text on light cells, white on dark.
    r, g, b, _ = rgba
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _simulations(
    results: SimulationResults, stress: str | None
) -> tuple[dict[str, Simulation], str | None]:
    """Name -> Simulation of the results, and the stress to name in titles."""
    from .comparison import Comparison
    from .simulation import Simulation

    if isinstance(results, Simulation):
        return {results.scenario.name: results}, stress
    if isinstance(results, Comparison):
        label = stress if stress is not None else results.stresses[0]
        return {s: results.simulation(s, label) for s in results.strategies}, label
    if isinstance(results, Mapping):
        sims = {str(k): v for k, v in results.items()}
        bad = [k for k, v in sims.items() if not isinstance(v, Simulation)]
        if bad or not sims:
            raise TypeError(
                "a mapping of results must map names to wager.Simulation, "
                + (f"not {bad}" if bad else "and not be empty")
            )
        return sims, stress
    raise TypeError(
        "expected a wager.Simulation, a wager.Comparison or a mapping name -> Simulation, "
        f"got {type(results).__name__}"
    )


def _quantile_pairs(sim: Simulation) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The central line's column and label, then up to two bands (outermost
    first) as (low column, high column, label), from the quantiles the
    simulation has."""
    from .simulation import _qname

    probs = sorted(p for p in sim.quantiles if _qname(p) in sim.annual.columns)
    lows = [p for p in probs if p < 0.5]
    highs = [p for p in reversed(probs) if p > 0.5]
    bands = [
        (_qname(lo), _qname(hi), f"{lo * 100:g}–{hi * 100:g}% of paths")
        for lo, hi in list(zip(lows, highs, strict=False))[:2]
    ]
    median = next((p for p in probs if math.isclose(p, 0.5)), None)
    if median is None:
        return "mean", "mean", bands
    return _qname(median), "median", bands


# --- fan chart -------------------------------------------------------------------------------


def fan_chart(
    results: SimulationResults,
    variable: str = "cash",
    *,
    stress: str | None = None,
    overlay: bool = False,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Fan chart of a per-year variable: the median and bands between quantiles.

    Parameters
    ----------
    results
        A :class:`wager.Simulation`, a :class:`wager.Comparison` (every
        strategy, under one stress) or a mapping name -> Simulation.
    variable
        ``cash`` (year end), ``operating_income``, ``free_cash_flow`` or
        ``revenue``.
    stress
        For a Comparison, the stress to show (default: its first); otherwise
        only named in the title, since a Simulation does not record its stress.
    overlay
        False (default): one panel per strategy, on a shared y axis, so that
        the bands do not hide each other. True: all strategies in one panel,
        one colour each.
    figsize
        Inches; with more than three strategies the panels wrap onto
        further rows, which want a taller figure.
    title
        Replaces the figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        The line is the median (the mean if the simulation has no 50%
        quantile); the bands span the outermost quantile pair (e.g. 5–95%)
        and the next one (25–75%).

    Raises
    ------
    ValueError
        If the simulation has no such variable.
    """
    fig = _figure(figsize)
    sims, label = _simulations(results, stress)
    for name, sim in sims.items():
        known = list(sim.annual.index.unique("variable"))
        if variable not in known:
            raise ValueError(f"{name}: no variable {variable!r}; known: {', '.join(known)}")
    n = len(sims)
    ncols = 1 if overlay else min(n, 3)
    if overlay:
        axes = [fig.add_subplot()] * n
    else:
        nrows = math.ceil(n / ncols)
        grid = fig.subplots(nrows, ncols, sharey=True, squeeze=False)
        axes = list(grid.flat)
        for ax in axes[n:]:
            ax.remove()
    alphas = (0.12, 0.25) if overlay else (0.2, 0.4)
    for i, ((name, sim), ax) in enumerate(zip(sims.items(), axes, strict=False)):
        frame = sim.annual.loc[variable]
        years = np.asarray(frame.index, dtype=int)
        centre, centre_label, bands = _quantile_pairs(sim)
        colour = _colour(i)
        for (lo, hi, band), alpha in zip(bands, alphas, strict=False):
            ax.fill_between(
                years,
                frame[lo].to_numpy(dtype=float),
                frame[hi].to_numpy(dtype=float),
                color=colour,
                alpha=alpha,
                linewidth=0,
                label=f"{name}: {band}" if overlay else band,
            )
        ax.plot(
            years,
            frame[centre].to_numpy(dtype=float),
            color=colour,
            linewidth=2,
            marker="o",
            markersize=3,
            label=f"{name}: {centre_label}" if overlay else centre_label,
        )
        if not overlay:
            ax.set_title(name)
        ax.axhline(0.0, color="0.5", linewidth=0.8, zorder=0)
        _year_axis(ax)
        ax.set_xlabel("year")
        ax.grid(True, alpha=0.3)
    what = f"{_VARIABLE_LABELS.get(variable, variable.replace('_', ' '))}, US$ bn"
    for ax in axes[:n:ncols]:
        ax.set_ylabel(what)
    axes[0].legend(loc="best", fontsize="small")
    names = list(sims) if overlay else None
    fig.suptitle(title or _title(what, " vs ".join(names) if names else None, _under(label)))
    return fig


# --- survival --------------------------------------------------------------------------------


def survival(
    results: SimulationResults,
    *,
    stress: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Survival curves: P(no default by the end of each year), one line per strategy.

    Parameters
    ----------
    results, stress
        As for :func:`fan_chart`.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Each line is 1 - ``default_probability``; its band is the 95% Wilson
        interval (1 - ``high`` to 1 - ``low``).
    """
    fig = _figure(figsize)
    sims, label = _simulations(results, stress)
    ax = fig.add_subplot()
    for i, (name, sim) in enumerate(sims.items()):
        dp = sim.default_probability
        years = np.asarray(dp.index, dtype=int)
        colour = _colour(i)
        ax.fill_between(
            years,
            1.0 - dp["high"].to_numpy(dtype=float),
            1.0 - dp["low"].to_numpy(dtype=float),
            color=colour,
            alpha=0.2,
            linewidth=0,
        )
        ax.plot(
            years,
            1.0 - dp["probability"].to_numpy(dtype=float),
            color=colour,
            linewidth=2,
            marker="o",
            markersize=3,
            label=name,
        )
    _year_axis(ax)
    _percent_axis(ax)
    # Survival starts at 100%: a top edge above it would only show empty space.
    bottom = ax.get_ylim()[0]
    ax.set_ylim(max(0.0, bottom), 1.005)
    ax.set_xlabel("year")
    ax.set_ylabel("P(no default by year end)")
    ax.grid(True, alpha=0.3)
    ax.legend(title="shaded: 95% interval", fontsize="small", title_fontsize="small")
    ax.set_title(title or _title("Survival", _under(label)))
    return fig


# --- first profit year -----------------------------------------------------------------------


def first_profit_years(
    results: SimulationResults,
    *,
    stress: str | None = None,
    trim: bool = True,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """The distribution of the first year of operating profit, strategies side by side.

    Parameters
    ----------
    results, stress
        As for :func:`fan_chart`.
    trim
        Leave out the leading years in which no strategy's paths turn a
        first profit.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        One group of bars per year, then ``never``; each bar is the share of
        a strategy's paths (``first_profit_year["probability"]``). The bar
        containers carry the strategies' names as labels.
    """
    fig = _figure(figsize)
    sims, label = _simulations(results, stress)
    # Strategies given as a mapping may have different calendars: align on every year seen.
    years = sorted({y for s in sims.values() for y in s.first_profit_year.index if y != "never"})
    table = pd.DataFrame(
        {
            name: s.first_profit_year["probability"].reindex([*years, "never"], fill_value=0.0)
            for name, s in sims.items()
        }
    )
    if trim:
        hit = np.flatnonzero(table.iloc[:-1].to_numpy().any(axis=1))
        start = int(hit[0]) if hit.size else len(years) - 1
        table = table.iloc[start:]
    ax = fig.add_subplot()
    x = np.arange(len(table))
    n = len(sims)
    width = 0.8 / n
    for i, name in enumerate(sims):
        ax.bar(
            x + (i - (n - 1) / 2) * width,
            table[name].to_numpy(dtype=float),
            width,
            color=_colour(i),
            label=name,
        )
    ax.set_xticks(x, labels=[str(v) for v in table.index])
    _percent_axis(ax)
    ax.set_xlabel("first year of operating profit")
    ax.set_ylabel("share of paths")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title or _title("First year of operating profit", _under(label)))
    return fig


# --- tornado ---------------------------------------------------------------------------------


def _metric_label(t: Tornado) -> str:
    if t.metric == "p_default":
        return f"P(default by {t.year})"
    if t.metric == "first_profit_year":
        return "mean first year of operating profit (never = horizon + 1)"
    return f"mean {_OUTCOME_LABELS.get(t.metric, t.metric.replace('_', ' '))}, US$ bn"


def tornado(
    t: Tornado,
    *,
    top: int | None = None,
    errorbars: bool = False,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """The tornado: each input's swing of the metric around its central value.

    Parameters
    ----------
    t
        A :class:`wager.Tornado`.
    top
        Show only the ``top`` inputs with the largest swing.
    errorbars
        Draw each end's 95% Monte Carlo interval (``± 1.96 low_se`` /
        ``high_se``). Off by default: every setting runs on the same random
        worlds, so a swing is far more precise than either end, and whiskers
        on the ends would make small but real swings look like noise.
    figsize
        Inches.
    title
        Replaces the axes' title (a Tornado does not record the scenario's
        name: pass it here to show it).

    Returns
    -------
    matplotlib.figure.Figure
        Largest swing at the top. For each input, one bar from the central
        value to the metric with the input at its low percentile (``low``)
        and one to the metric with it at its high percentile (``high``);
        each is labelled, outside the bars, with the input's value there.
    """
    fig = _figure(figsize)
    table = t.table.sort_values("swing", ascending=False, kind="stable")
    if top is not None:
        table = table.iloc[:top]
    ax = fig.add_subplot()
    y = np.arange(len(table))
    lo_p, hi_p = t.percentiles
    ends = {
        "low": table["low"].to_numpy(dtype=float),
        "high": table["high"].to_numpy(dtype=float),
    }
    reach = {}
    for end, colour, pct in (("low", "C0", lo_p), ("high", "C3", hi_p)):
        values = ends[end]
        ax.barh(
            y,
            values - t.central,
            0.7,
            left=t.central,
            color=colour,
            alpha=0.85,
            label=f"input at its P{pct * 100:g}",
        )
        err = _Z95 * table[f"{end}_se"].to_numpy(dtype=float) if errorbars else 0.0 * values
        if errorbars:
            ax.errorbar(values, y, xerr=err, fmt="none", ecolor="0.2", capsize=2, linewidth=1)
        reach[end] = (values - err, values + err)
    for i, yi in enumerate(y):
        # The smaller end's label goes left and the larger's right, both
        # beyond the bars (and whiskers), so that they never overlap, even
        # for an input that moves the metric in the same direction both ways.
        low_left = ends["low"][i] <= ends["high"][i]
        for end, left in (("low", low_left), ("high", not low_left)):
            x = min(reach[end][0][i], t.central) if left else max(reach[end][1][i], t.central)
            ax.annotate(
                _number(float(table[f"{end}_input"].iloc[i])),
                (x, yi),
                xytext=(-4 if left else 4, 0),
                textcoords="offset points",
                ha="right" if left else "left",
                va="center",
                fontsize="small",
            )
    ax.axvline(
        t.central, color="0.2", linewidth=1, label=f"all inputs central: {_number(t.central)}"
    )
    ax.set_yticks(y, labels=[str(v) for v in table.index])
    ax.invert_yaxis()
    # Room for the labels beyond the bars' ends.
    ax.margins(x=0.2)
    if t.metric == "p_default":
        _percent_axis(ax, "x")
    ax.set_xlabel(_metric_label(t))
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    ax.set_title(title or f"Tornado: {_metric_label(t).removesuffix(', US$ bn')}")
    return fig


# --- stress heatmap --------------------------------------------------------------------------


_STAT_LABELS = {
    "mean": "mean {}",
    "se": "standard error of the mean {}",
    "q5": "5th percentile of {}",
    "q50": "median {}",
    "q95": "95th percentile of {}",
    "es95": "95% expected shortfall of {}",
    "es95_se": "standard error of the 95% expected shortfall of {}",
}


def _value_label(value: str, horizon: int | None) -> str:
    """A grid column's (or payoff's) name in words, with its unit."""
    by = f"by {horizon}" if horizon is not None else "by the horizon"
    for name, words in (
        ("p_default", f"P(default {by})"),
        ("p_profit", f"P(first operating profit {by})"),
    ):
        if value == name:
            return words
        if value in (f"{name}_low", f"{name}_high"):
            return f"{words}, {value.rsplit('_', 1)[1]} end of its 95% interval"
    if value.startswith("det_"):
        return "deterministic " + _value_label(value.removeprefix("det_"), horizon)
    if value.endswith("_year") or _is_probability(value):
        return value.replace("_", " ")
    for outcome, words in _OUTCOME_LABELS.items():
        if value == outcome:
            return f"{words}, US$ bn"
        if value.startswith(outcome + "_"):
            stat = value.removeprefix(outcome + "_")
            return f"{_STAT_LABELS.get(stat, '{} ' + stat).format(words)}, US$ bn"
    return f"{value.replace('_', ' ')}, US$ bn"


def _cell_text(row: pd.Series, value: str) -> str:
    v = float(row[value])
    if not math.isfinite(v):
        return "none" if value.endswith("_year") else "n/a"
    if _is_probability(value):
        text = f"{v:.1%}"
        lo, hi = row.get(f"{value}_low"), row.get(f"{value}_high")
        if lo is not None and hi is not None:
            text += f"\n({float(lo):.1%}–{float(hi):.1%})"
        return text
    if value.endswith("_year"):
        return f"{v:.0f}"
    text = _money(v)
    se = row.get(value.removesuffix("_mean") + "_se") if value.endswith("_mean") else None
    if se is not None and math.isfinite(float(se)):
        text += f"\n± {_money(_Z95 * float(se))}"
    return text


def stress_heatmap(
    grid: StressGrid,
    severity: float = 1.0,
    value: str = "p_default",
    *,
    cmap: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Heatmap of strategy x stress -> a column of the grid's table, at one severity.

    Parameters
    ----------
    grid
        A :class:`wager.StressGrid`.
    severity
        The severity to show (one of the grid's).
    value
        A column of ``grid.table``: ``p_default`` (default), ``p_profit``,
        ``terminal_equity_value_mean``, ``det_default_year``, ...
    cmap
        A matplotlib colour map (default: reds for P(default), greens for
        P(profit), viridis otherwise).
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Rows are strategies, columns stresses, in the grid's order. Each cell
        is annotated with its value (percentages for probabilities) and, on a
        second line, its 95% interval when the table has one (``_low`` and
        ``_high`` columns, or ``± 1.96 se`` for a ``_mean``). Probabilities
        are coloured on a fixed 0–100% scale.

    Raises
    ------
    ValueError
        If the grid has no such column or severity.
    """
    fig = _figure(figsize)
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    table = grid.table
    if value not in table.columns:
        raise ValueError(f"no column {value!r} in the grid; columns: {', '.join(table.columns)}")
    severities = table.index.get_level_values("severity").to_numpy(dtype=float)
    match = np.isclose(severities, float(severity))
    if not match.any():
        raise ValueError(
            f"no severity {severity:g} in the grid; severities: "
            + ", ".join(f"{s:g}" for s in sorted(set(severities)))
        )
    cells = table[match].droplevel("severity")
    strategies = list(pd.unique(cells.index.get_level_values("strategy")))
    stresses = list(pd.unique(cells.index.get_level_values("stress")))
    data = cells[value].unstack("stress").reindex(index=strategies, columns=stresses).astype(float)
    # The table does not say which year "by the horizon" is; a cell's scenario does.
    strategy, stress = cells.index[0]
    cell = grid.simulation(str(strategy), str(stress), float(severities[match][0]))
    label = _value_label(value, cell.scenario.time.horizon)
    probability = _is_probability(value)
    if cmap is None:
        # Red where more is worse, green where more is better.
        cmap = (
            "Reds"
            if value.startswith("p_default")
            else "Greens"
            if value.startswith("p_profit")
            else "viridis"
        )
    values = data.to_numpy()
    finite = values[np.isfinite(values)]
    if probability or not finite.size:
        norm = Normalize(0.0, 1.0)
    else:
        norm = Normalize(float(finite.min()), float(finite.max()))
    colours = colormaps[cmap]
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colours, norm=norm, aspect="auto")
    for i, s in enumerate(strategies):
        for j, st in enumerate(stresses):
            v = float(data.iloc[i, j])
            colour = _text_colour(colours(norm(v))) if math.isfinite(v) else "black"
            ax.text(
                j,
                i,
                _cell_text(cells.loc[(s, st)], value),
                ha="center",
                va="center",
                color=colour,
                fontsize="small",
            )
    ax.set_xticks(np.arange(len(stresses)), labels=stresses)
    ax.set_yticks(np.arange(len(strategies)), labels=strategies)
    if len(stresses) > 4:
        ax.tick_params(axis="x", labelrotation=30)
    ax.set_xlabel("stress")
    ax.set_ylabel("strategy")
    bar = fig.colorbar(image, ax=ax, label=label)
    if probability:
        _percent_axis(bar.ax)
    ax.set_title(title or f"{label.removesuffix(', US$ bn')} — severity {severity:g}")
    return fig


# --- race payoff matrix ----------------------------------------------------------------------


def _choices(values: Iterable[Any]) -> list[str]:
    seen = list(dict.fromkeys(str(v) for v in values))
    return [c for c in RACE_CHOICES if c in seen] + [c for c in seen if c not in RACE_CHOICES]


def race_payoff(
    matrix: pd.DataFrame,
    value: str = "terminal_equity_value",
    *,
    equilibria: Sequence[tuple[str, str]] | None = None,
    names: tuple[str, str] = ("A", "B"),
    cmap: str = "viridis",
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """The race's payoff matrix: each cell split between lab A's payoff and lab B's.

    Parameters
    ----------
    matrix
        Index (lab A's choice, lab B's choice), each ``prudent`` or
        ``aggressive``; columns ``<value>_a`` and ``<value>_b`` (the labs'
        payoffs) and optionally ``<value>_a_se`` and ``<value>_b_se``.
    value
        The payoff shown: ``terminal_equity_value`` (US$ bn) or a
        probability (a name starting with ``p_`` or containing
        ``probability`` or ``survival``, shown in %).
    equilibria
        (A's choice, B's choice) of the cells to outline as Nash equilibria.
    names
        The labs' names on the axes and in the cells.
    cmap
        The colour map shared by both labs' payoffs.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Rows are A's choices, columns B's (prudent first). In each cell the
        lower-left triangle is coloured by A's payoff and labelled
        ``A: value``, the upper-right by B's and labelled ``B: value``, with
        ``± 1.96 se`` when standard errors are given. Equilibria have a thick
        black outline.

    Raises
    ------
    ValueError
        If the matrix lacks the columns or its index is not two levels, or an
        equilibrium names a cell that is not in it.
    """
    fig = _figure(figsize)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon, Rectangle

    if matrix.index.nlevels != 2:
        raise ValueError(
            "the payoff matrix needs a two-level index (A's choice, B's choice), "
            f"got {matrix.index.nlevels} level(s)"
        )
    cols = [f"{value}_a", f"{value}_b"]
    missing = [c for c in cols if c not in matrix.columns]
    if missing:
        raise ValueError(
            f"the payoff matrix lacks {', '.join(missing)}; columns: {', '.join(matrix.columns)}"
        )
    wanted = [c for c in (*cols, f"{value}_a_se", f"{value}_b_se") if c in matrix.columns]
    cells = {
        (str(key[0]), str(key[1])): {c: float(v) for c, v in zip(wanted, values, strict=True)}
        for key, values in zip(matrix.index, matrix[wanted].to_numpy(dtype=float), strict=True)
    }
    rows = _choices(k[0] for k in cells)
    columns = _choices(k[1] for k in cells)
    marked = [(str(a), str(b)) for a, b in (equilibria or [])]
    for cell in marked:
        if cell not in cells:
            raise ValueError(f"equilibrium {cell} is not a cell of the payoff matrix")
    probability = _is_probability(value)
    payoffs = matrix[cols].to_numpy(dtype=float)
    finite = payoffs[np.isfinite(payoffs)]
    if probability:
        norm = Normalize(0.0, 1.0)
    elif finite.size:
        norm = Normalize(float(finite.min()), float(finite.max()))
    else:
        norm = Normalize(0.0, 1.0)
    colours = colormaps[cmap]
    mappable = ScalarMappable(norm=norm, cmap=colours)

    def fmt(v: float, se: float | None) -> str:
        if not math.isfinite(v):
            return "n/a"
        text = f"{v:.1%}" if probability else _money(v)
        if se is not None and math.isfinite(se):
            text += f"\n± {_Z95 * se:.1%}" if probability else f"\n± {_money(_Z95 * se)}"
        return text

    ax = fig.add_subplot()
    for i, a in enumerate(rows):
        for j, b in enumerate(columns):
            if (a, b) not in cells:
                continue
            row = cells[(a, b)]
            # Rows grow downwards (inverted y): y = i is a cell's top edge, i + 1 its bottom.
            for who, corners, anchor, side in (
                (0, [(j, i), (j, i + 1), (j + 1, i + 1)], (j + 0.3, i + 0.7), "a"),
                (1, [(j, i), (j + 1, i), (j + 1, i + 1)], (j + 0.7, i + 0.3), "b"),
            ):
                v = float(row[cols[who]])
                se_col = f"{value}_{side}_se"
                se = float(row[se_col]) if se_col in row else None
                face = colours(norm(v)) if math.isfinite(v) else (0.9, 0.9, 0.9, 1.0)
                ax.add_patch(Polygon(corners, closed=True, facecolor=face, edgecolor="white"))
                ax.text(
                    *anchor,
                    f"{names[who]}: {fmt(v, se)}",
                    ha="center",
                    va="center",
                    color=_text_colour(face),
                    fontsize="small",
                )
            if (a, b) in marked:
                ax.add_patch(
                    Rectangle(
                        (j + 0.02, i + 0.02),
                        0.96,
                        0.96,
                        fill=False,
                        edgecolor="black",
                        linewidth=3,
                        gid="equilibrium",
                    )
                )
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_aspect("auto")
    ax.set_xticks(np.arange(len(columns)) + 0.5, labels=columns)
    ax.set_yticks(np.arange(len(rows)) + 0.5, labels=rows)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(f"{names[1]}'s choice")
    ax.set_ylabel(f"{names[0]}'s choice")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    what = _value_label(value, None) if not probability else value.replace("_", " ")
    bar = fig.colorbar(mappable, ax=ax, label=f"expected {what}" if not probability else what)
    if probability:
        _percent_axis(bar.ax)
    if marked:
        ax.legend(
            handles=[Line2D([], [], color="black", linewidth=3, label="Nash equilibrium")],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            fontsize="small",
            frameon=False,
        )
    ax.set_title(title or f"Race payoffs ({names[0]}, {names[1]}): {what.removesuffix(', US$ bn')}")
    return fig


# --- accessor --------------------------------------------------------------------------------


class PlotAccessor:
    """``result.plot``: the pictures that apply to a result, as methods.

    Each method returns a :class:`matplotlib.figure.Figure` and takes the
    keyword arguments of the function it calls.

    ========================  =============================================
    result                    methods
    ========================  =============================================
    Simulation, Comparison    ``fan``, ``survival``, ``first_profit``
    Tornado                   ``tornado``
    StressGrid                ``heatmap``
    race payoff matrix        ``race`` (a DataFrame, or an object with a
                              ``matrix`` DataFrame and ``equilibria``)
    ========================  =============================================

    Parameters
    ----------
    result
        The result to draw.

    Raises
    ------
    TypeError
        From a method that does not apply to the result's type.
    """

    def __init__(self, result: object) -> None:
        self._result = result

    def __repr__(self) -> str:
        kinds = ", ".join(self.kinds()) or "none"
        return f"<PlotAccessor of {type(self._result).__name__}: {kinds}>"

    def kinds(self) -> list[str]:
        """The methods that apply to the wrapped result."""
        from .comparison import Comparison
        from .sensitivity import Tornado
        from .simulation import Simulation
        from .stress_grid import StressGrid

        r = self._result
        if isinstance(r, Simulation | Comparison | Mapping):
            return ["fan", "survival", "first_profit"]
        if isinstance(r, Tornado):
            return ["tornado"]
        if isinstance(r, StressGrid):
            return ["heatmap"]
        if isinstance(r, pd.DataFrame) or isinstance(getattr(r, "matrix", None), pd.DataFrame):
            return ["race"]
        return []

    def _check(self, kind: str) -> Any:
        if kind not in self.kinds():
            available = ", ".join(f"plot.{k}()" for k in self.kinds()) or "none"
            raise TypeError(
                f"plot.{kind}() does not apply to a {type(self._result).__name__}; "
                f"it has {available}"
            )
        return self._result

    def fan(self, variable: str = "cash", **kwargs: Any) -> Figure:
        """Fan chart of ``variable`` (:func:`fan_chart`)."""
        return fan_chart(self._check("fan"), variable, **kwargs)

    def survival(self, **kwargs: Any) -> Figure:
        """Survival curves (:func:`survival`)."""
        return survival(self._check("survival"), **kwargs)

    def first_profit(self, **kwargs: Any) -> Figure:
        """First-profit-year distribution (:func:`first_profit_years`)."""
        return first_profit_years(self._check("first_profit"), **kwargs)

    def tornado(self, **kwargs: Any) -> Figure:
        """The tornado (:func:`tornado`)."""
        return tornado(self._check("tornado"), **kwargs)

    def heatmap(self, severity: float = 1.0, value: str = "p_default", **kwargs: Any) -> Figure:
        """Strategy x stress heatmap (:func:`stress_heatmap`)."""
        return stress_heatmap(self._check("heatmap"), severity, value, **kwargs)

    def race(self, value: str = "terminal_equity_value", **kwargs: Any) -> Figure:
        """Race payoff matrix (:func:`race_payoff`)."""
        r = self._check("race")
        if isinstance(r, pd.DataFrame):
            return race_payoff(r, value, **kwargs)
        kwargs.setdefault("equilibria", getattr(r, "equilibria", None))
        return race_payoff(r.matrix, value, **kwargs)
