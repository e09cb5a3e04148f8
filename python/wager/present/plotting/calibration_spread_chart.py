"""The calibration spread: each run's P(distress) with its 95% interval,
one panel per strategy, beside the run as given."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wager.analyses.calibration_spread import AS_GIVEN
from wager.present.plotting.common import _colour, _figure, _percent_axis

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.calibration_spread import CalibrationSpread


def calibration_spread(
    spread: CalibrationSpread,
    *,
    stress: str | None = None,
    metric: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Each run of a calibration spread: the metric with its 95% Monte Carlo
    interval, one row per run, one panel per strategy (each on its own scale).

    Parameters
    ----------
    spread
        A :class:`wager.CalibrationSpread`.
    stress
        Default: the first.
    metric
        One of ``spread.metrics``; default: P(distress by the horizon).
    figsize
        Inches; default 4.5 wide per strategy.

    Returns
    -------
    matplotlib.figure.Figure
        The run as given is the vertical line; the band between the smallest
        and largest run is shaded. Not a confidence interval: how far the
        metric moves across the calibration's evidence.
    """
    st = stress or spread.stresses[0]
    m = metric or f"P(distress by {spread.years[-1]})"
    n = len(spread.strategies)
    fig = _figure(figsize or (4.5 * n, 0.32 * spread.n_runs + 1.6))
    axes = fig.subplots(1, n, sharey=True, squeeze=False)[0]
    for i, (ax, strategy) in enumerate(zip(axes, spread.strategies, strict=True)):
        runs = spread.runs(st, strategy)
        y = np.arange(len(runs))
        p = runs[m].to_numpy(dtype=float)
        low, high = (runs[f"{m} {end}"].to_numpy(dtype=float) for end in ("low", "high"))
        err = np.vstack([p - low, high - p])
        ax.axvspan(p.min(), p.max(), color=_colour(i), alpha=0.12, linewidth=0)
        ax.axvline(float(runs[m][AS_GIVEN]), color="0.3", linewidth=1)
        ax.errorbar(p, y, xerr=err, fmt="o", color=_colour(i), capsize=2, markersize=4)
        ax.set_yticks(y, labels=[str(v) for v in runs.index])
        if i == 0:  # the axes share y: once inverts them all
            ax.invert_yaxis()
        ax.margins(x=0.15)
        _percent_axis(ax, "x")
        ax.set_title(strategy, fontsize="medium")
        ax.grid(True, axis="x", alpha=0.3)
        ax.set_xlabel(m)
    fig.suptitle(
        f"Across the calibration's range under {st} (one input at a time; "
        "not a confidence interval)",
        fontsize="medium",
    )
    return fig
