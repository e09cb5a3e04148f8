"""The one-way sensitivity's tornado: each input at -x% and +x%, on the
tornado's bars."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wager.present.one_way_labels import metric_label
from wager.present.plotting.common import FIGSIZE
from wager.present.plotting.tornado_chart import draw_swings

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.one_way import OneWaySensitivity


def one_way_tornado(
    s: OneWaySensitivity,
    metric: str | None = None,
    *,
    top: int | None = 15,
    errorbars: bool = False,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Each input moved alone by -x% and +x%: the metric at both ends,
    around its value for the scenario as written.

    Parameters
    ----------
    s
        A :class:`wager.OneWaySensitivity`.
    metric
        Which metric (default: the one that ranked the inputs).
    top
        Show the ``top`` inputs with the largest swing (None: all).
    errorbars
        Draw each end's 95% Monte Carlo interval; off by default, as for
        :func:`wager.plotting.tornado` (the ends share their paths, so a
        swing is far more precise than either end).
    figsize, title
        Inches; the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Largest swing at the top; blue: the input x (1 - x), red: x (1 + x).
    """
    metric = metric or s.metric
    table = s.ranked(metric)
    if top is not None:
        table = table.iloc[:top]
    label = metric_label(metric, s.year)
    fig = draw_swings(
        table,
        float(table["central"].iloc[0]) if len(table) else 0.0,
        legends=(f"input x {1 - s.change:g}", f"input x {1 + s.change:g}"),
        end_labels=None,
        xlabel=label,
        percent_axis=metric in ("p_distress", "p_profit"),
        errorbars=errorbars,
        figsize=figsize,
    )
    fig.axes[0].set_title(title or f"{s.scenario.name}: each input +/-{s.change * 100:g}%, {label}")
    return fig
