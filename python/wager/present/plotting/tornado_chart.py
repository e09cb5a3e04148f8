"""The tornado: each input's swing of a sensitivity metric around its central value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from wager.present.plotting.common import (
    _OUTCOME_LABELS,
    _Z95,
    FIGSIZE,
    _figure,
    _number,
    _percent_axis,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.sensitivity import Tornado


def _metric_label(t: Tornado) -> str:
    if t.metric == "p_distress":
        return f"P(distress by {t.year})"
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
    table = t.table.sort_values("swing", ascending=False, kind="stable")
    if top is not None:
        table = table.iloc[:top]
    lo_p, hi_p = t.percentiles
    inputs = {
        "low": table["low_input"].to_numpy(dtype=float),
        "high": table["high_input"].to_numpy(dtype=float),
    }
    fig = draw_swings(
        table,
        t.central,
        legends=(f"input at its P{lo_p * 100:g}", f"input at its P{hi_p * 100:g}"),
        end_labels={end: [_number(v) for v in values] for end, values in inputs.items()},
        xlabel=_metric_label(t),
        percent_axis=t.metric == "p_distress",
        errorbars=errorbars,
        figsize=figsize,
    )
    fig.axes[0].set_title(title or f"Tornado: {_metric_label(t).removesuffix(', US$ bn')}")
    return fig


def draw_swings(
    table: pd.DataFrame,
    central: float,
    *,
    legends: tuple[str, str],
    end_labels: dict[str, Sequence[str]] | None,
    xlabel: str,
    percent_axis: bool,
    errorbars: bool,
    figsize: tuple[float, float],
) -> Figure:
    """The tornado's bars: for each row of ``table`` (``low``, ``high``, and
    ``low_se``, ``high_se`` for the whiskers), in its order from the top,
    one bar from ``central`` to each end; ``end_labels`` (per end, one text
    per row) beyond the bars. Shared by :func:`tornado` and the one-way
    sensitivity's chart."""
    fig = _figure(figsize)
    ax = fig.add_subplot()
    y = np.arange(len(table))
    ends = {
        "low": table["low"].to_numpy(dtype=float),
        "high": table["high"].to_numpy(dtype=float),
    }
    reach = {}
    for (end, colour), legend in zip((("low", "C0"), ("high", "C3")), legends, strict=True):
        values = ends[end]
        ax.barh(y, values - central, 0.7, left=central, color=colour, alpha=0.85, label=legend)
        err = _Z95 * table[f"{end}_se"].to_numpy(dtype=float) if errorbars else 0.0 * values
        if errorbars:
            ax.errorbar(values, y, xerr=err, fmt="none", ecolor="0.2", capsize=2, linewidth=1)
        reach[end] = (values - err, values + err)
    for i, yi in enumerate(y if end_labels is not None else []):
        # The smaller end's label goes left and the larger's right, both
        # beyond the bars (and whiskers), so that they never overlap, even
        # for an input that moves the metric in the same direction both ways.
        low_left = ends["low"][i] <= ends["high"][i]
        for end, left in (("low", low_left), ("high", not low_left)):
            x = min(reach[end][0][i], central) if left else max(reach[end][1][i], central)
            ax.annotate(
                end_labels[end][i],  # type: ignore[index]
                (x, yi),
                xytext=(-4 if left else 4, 0),
                textcoords="offset points",
                ha="right" if left else "left",
                va="center",
                fontsize="small",
            )
    ax.axvline(central, color="0.2", linewidth=1, label=f"all inputs central: {_number(central)}")
    ax.set_yticks(y, labels=[str(v) for v in table.index])
    ax.invert_yaxis()
    # Room for the labels beyond the bars' ends.
    ax.margins(x=0.2)
    if percent_axis:
        _percent_axis(ax, "x")
    ax.set_xlabel(xlabel)
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    return fig
