"""The tornado: each input's swing of a sensitivity metric around its central value."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

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
    if t.metric == "p_distress":
        _percent_axis(ax, "x")
    ax.set_xlabel(_metric_label(t))
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    ax.set_title(title or f"Tornado: {_metric_label(t).removesuffix(', US$ bn')}")
    return fig
