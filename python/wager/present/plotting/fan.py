"""The fan chart: a per-year variable's median and the bands between its quantiles."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from wager.present.plotting.common import (
    FIGSIZE,
    _colour,
    _figure,
    _simulations,
    _title,
    _under,
    _year_axis,
)
from wager.stats.names import quantile_column

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.simulation import Simulation
    from wager.present.plotting.common import SimulationResults

_VARIABLE_LABELS = {
    "revenue": "Revenue",
    "operating_income": "Operating income",
    "free_cash_flow": "Free cash flow",
    "cash": "Cash at year end",
}


def _quantile_pairs(sim: Simulation) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The central line's column and label, then up to two bands (outermost
    first) as (low column, high column, label), from the quantiles the
    simulation has."""
    probs = sorted(p for p in sim.quantiles if quantile_column(p) in sim.annual.columns)
    lows = [p for p in probs if p < 0.5]
    highs = [p for p in reversed(probs) if p > 0.5]
    bands = [
        (quantile_column(lo), quantile_column(hi), f"{lo * 100:g}–{hi * 100:g}% of paths")
        for lo, hi in list(zip(lows, highs, strict=False))[:2]
    ]
    median = next((p for p in probs if math.isclose(p, 0.5)), None)
    if median is None:
        return "mean", "mean", bands
    return quantile_column(median), "median", bands


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
        and the next one (25–75%). For ``cash`` they are the quantiles of
        the paths not in distress (:attr:`Simulation.surviving_cash`): a
        path in distress keeps the cash of its distress and is not drawn as
        a live company; each panel says what share that is.

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
        live = variable == "cash"
        if live:
            # docs/model.md §27: a path in distress keeps its cash of that day;
            # it is not drawn as a live company's cash.
            frame = sim.surviving_cash.assign(mean=np.nan)
        years = np.asarray(frame.index, dtype=int)
        centre, centre_label, bands = _quantile_pairs(sim)
        if live:
            bands = [(lo, hi, band.replace("of paths", "of live paths")) for lo, hi, band in bands]
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
        share = float(sim.distress_probability["probability"].iloc[-1])
        note = f"{share * 100:.1f}% in distress by {years[-1]}, not drawn" if live else ""
        if not overlay:
            ax.set_title(f"{name}\n({note})" if note else name, fontsize="medium")
        ax.axhline(0.0, color="0.5", linewidth=0.8, zorder=0)
        _year_axis(ax)
        ax.set_xlabel("year")
        ax.grid(True, alpha=0.3)
    what = f"{_VARIABLE_LABELS.get(variable, variable.replace('_', ' '))}, US$ bn"
    for ax in axes[:n:ncols]:
        ax.set_ylabel(what)
    axes[0].legend(loc="best", fontsize="small")
    names = list(sims) if overlay else None
    shown = f"{what} (paths not in distress)" if variable == "cash" else what
    fig.suptitle(title or _title(shown, " vs ".join(names) if names else None, _under(label)))
    return fig
