"""P(distress by the horizon) of every strategy under every stress of a
comparison, as grouped bars with their 95% intervals, on the whole 0-100%
scale: the figure that carries a comparison's headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wager.present.plotting.common import FIGSIZE, _colour, _figure, _percent_axis

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.comparison import Comparison


def distress_by_stress(
    comparison: Comparison,
    *,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Grouped bars: P(distress by the horizon) per stress, one bar per strategy.

    Parameters
    ----------
    comparison
        A :class:`~wager.Comparison`.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Bar heights are the last year's ``distress_probability``; the error
        bars its 95% Wilson interval (``low`` to ``high``). The y axis spans
        0 to 100%.
    """
    fig = _figure(figsize)
    ax = fig.add_subplot()
    stresses = list(comparison.stresses)
    names = list(comparison.strategies)
    x = np.arange(len(stresses), dtype=float)
    width = 0.8 / len(names)
    last = comparison.years[-1]
    for i, name in enumerate(names):
        rows = [comparison.simulation(name, s).distress_probability.iloc[-1] for s in stresses]
        p = np.array([float(r["probability"]) for r in rows])
        low = np.array([float(r["low"]) for r in rows])
        high = np.array([float(r["high"]) for r in rows])
        bars = ax.bar(
            x + (i - (len(names) - 1) / 2) * width,
            p,
            width,
            yerr=np.vstack([p - low, high - p]),
            capsize=3,
            color=_colour(i),
            label=name,
        )
        for bar, v in zip(bars, p, strict=True):
            # Above the bar, or inside its top near 100% (the axis ends there).
            top = v > 0.9
            ax.annotate(
                f"{v * 100:.1f}%",
                (bar.get_x() + bar.get_width() / 2, v),
                xytext=(0, -3 if top else 3),
                textcoords="offset points",
                ha="center",
                va="top" if top else "bottom",
                color="white" if top else "black",
                fontsize="small",
            )
    ax.set_xticks(x, stresses, rotation=20 if len(stresses) > 3 else 0)
    _percent_axis(ax)
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel(f"P(distress by {last})")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(title="error bars: 95% interval", fontsize="small", title_fontsize="small")
    ax.set_title(title or f"P(distress by {last}) per stress, on the same paths")
    return fig
