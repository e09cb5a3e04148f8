"""The distribution of the first year of operating profit, strategies side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wager.present.plotting.common import (
    FIGSIZE,
    _colour,
    _figure,
    _percent_axis,
    _simulations,
    _title,
    _under,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.present.plotting.common import SimulationResults


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
