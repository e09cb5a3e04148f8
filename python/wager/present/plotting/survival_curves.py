"""Survival curves: P(no distress by the end of each year), one line per strategy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wager.present.plotting.common import (
    FIGSIZE,
    _colour,
    _figure,
    _percent_axis,
    _simulations,
    _title,
    _under,
    _year_axis,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.present.plotting.common import SimulationResults


def survival(
    results: SimulationResults,
    *,
    stress: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Survival curves: P(no distress by the end of each year), one line per strategy.

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
        Each line is 1 - ``distress_probability``; its band is the 95% Wilson
        interval (1 - ``high`` to 1 - ``low``).
    """
    fig = _figure(figsize)
    sims, label = _simulations(results, stress)
    ax = fig.add_subplot()
    for i, (name, sim) in enumerate(sims.items()):
        dp = sim.distress_probability
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
    # The whole 0-100% scale: a cut axis makes a gap of a few points look like a collapse.
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("year")
    ax.set_ylabel("P(no distress by year end)")
    ax.grid(True, alpha=0.3)
    ax.legend(title="shaded: 95% interval", fontsize="small", title_fontsize="small")
    ax.set_title(title or _title("Survival", _under(label)))
    return fig
