"""The distribution of a per-path outcome for every strategy on one axis:
the empirical distribution functions, from the simulations' histograms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wager.present.plotting.common import (
    _OUTCOME_LABELS,
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


def outcome_ecdf(
    results: SimulationResults,
    outcome: str = "terminal_dcf_value_today",
    *,
    stress: str | None = None,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Overlaid distribution functions of a per-path outcome, one per strategy.

    Parameters
    ----------
    results, stress
        As for :func:`fan_chart`.
    outcome
        A per-path outcome (``Simulation.outcomes`` index).
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Each step line is :meth:`Simulation.outcome_distribution`: the share
        of paths whose outcome lies below a value, on the whole 0-100%
        scale. A line to the right of another is the better distribution at
        that share of paths.
    """
    fig = _figure(figsize)
    sims, label = _simulations(results, stress)
    ax = fig.add_subplot()
    for i, (name, sim) in enumerate(sims.items()):
        d = sim.outcome_distribution(outcome)
        ax.step(
            d["value"].to_numpy(dtype=float),
            d["probability"].to_numpy(dtype=float),
            where="post",
            color=_colour(i),
            linewidth=2,
            label=name,
        )
    what = _OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))
    ax.set_xlabel(f"{what}, US$ bn")
    ax.set_ylabel("share of paths below")
    _percent_axis(ax)
    ax.set_ylim(0.0, 1.0)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    ax.set_title(title or _title(f"Distribution of {what}", _under(label)))
    return fig
