"""The stress heatmap: strategy x stress -> a column of a stress grid's table."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wager.analyses.renamed import metric_name
from wager.present.plotting.common import (
    _Z95,
    FIGSIZE,
    _figure,
    _is_probability,
    _money,
    _percent_axis,
    _text_colour,
    _value_label,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.stress_grid import StressGrid


def _cell_text(row: pd.Series, value: str, interval: bool = True) -> str:
    v = float(row[value])
    if not math.isfinite(v):
        return "none" if value.endswith("_year") else "n/a"
    if _is_probability(value):
        text = f"{v:.1%}"
        lo, hi = row.get(f"{value}_low"), row.get(f"{value}_high")
        if interval and lo is not None and hi is not None:
            text += f"\n({float(lo):.1%}–{float(hi):.1%})"
        return text
    if value.endswith("_year"):
        return f"{v:.0f}"
    text = _money(v)
    se = row.get(value.removesuffix("_mean") + "_se") if value.endswith("_mean") else None
    if interval and se is not None and math.isfinite(float(se)):
        text += f"\n± {_money(_Z95 * float(se))}"
    return text


#: With more stresses than this, a cell shows its value without its interval.
INTERVALS_UP_TO = 6


def stress_heatmap(
    grid: StressGrid,
    severity: float = 1.0,
    value: str = "p_distress",
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
        A column of ``grid.table``: ``p_distress`` (default), ``p_profit``,
        ``terminal_equity_value_mean``, ``det_distress_year``, ... (the names
        before schema version 3, ``p_default``, ..., still work and warn).
    cmap
        A matplotlib colour map (default: reds for P(distress), greens for
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
        ``_high`` columns, or ``± 1.96 se`` for a ``_mean``); with more than
        :data:`INTERVALS_UP_TO` stresses the figure widens and the cells show
        the value only (the intervals are in ``grid.table``). Probabilities
        are coloured on a fixed 0–100% scale.

    Raises
    ------
    ValueError
        If the grid has no such column or severity.
    """
    many = len(set(grid.table.index.get_level_values("stress"))) > INTERVALS_UP_TO
    if many and figsize == FIGSIZE:
        n = len(set(grid.table.index.get_level_values("stress")))
        figsize = (max(FIGSIZE[0], 0.75 * n + 2.5), FIGSIZE[1])
    fig = _figure(figsize)
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    table = grid.table
    value = metric_name(value)
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
            if value.startswith("p_distress")
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
                _cell_text(cells.loc[(s, st)], value, interval=not many),
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
