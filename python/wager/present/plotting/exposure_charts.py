"""Who carries the risk of a bet: each supplier's exposure profile over the
years (EE with its PFE) and the concentration of the expected loss, per
bet and for both (``wager.exposure``, ``docs/exposure.md``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wager.present.plotting.common import FIGSIZE, _colour, _figure, _year_axis

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.exposure_view import ExposureResult

__all__ = ["exposure_profiles", "loss_concentration"]

#: Suppliers drawn in a profile, at most (the largest expected exposure first).
_MAX_SUPPLIERS = 8


def exposure_profiles(
    result: ExposureResult,
    *,
    pfe: str | None = "pfe95",
    figsize: tuple[float, float] | None = None,
    title: str | None = None,
) -> Figure:
    """Each bet's suppliers' exposure over the years: one panel per bet, a
    line per supplier (EE, the mean exposure at each year's end) and a
    dashed line at its PFE.

    Parameters
    ----------
    result
        An :class:`~wager.ExposureResult`.
    pfe
        ``"pfe95"`` or ``"pfe99"``: the dashed line (``None`` draws none).
    figsize
        Inches (default: 8 wide, 4.5 high per bet).
    title
        Replaces the figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        US$ bn against the year; at most 8 suppliers per bet, those of the
        largest peak EE.
    """
    if pfe not in ("pfe95", "pfe99", None):
        raise ValueError(f"pfe must be 'pfe95', 'pfe99' or None, got {pfe!r}")
    n = len(result.strategies)
    fig = _figure(figsize or (FIGSIZE[0], FIGSIZE[1] * n))
    axes = fig.subplots(n, 1, squeeze=False, sharex=True)[:, 0]
    for ax, strategy in zip(axes, result.strategies, strict=True):
        per_year, _ = result.of(strategy)
        if per_year.empty:
            ax.text(0.5, 0.5, "no supplier", transform=ax.transAxes, ha="center")
            ax.set_title(strategy)
            continue
        peak = per_year["ee"].groupby(level="counterparty", sort=False).max()
        names = list(peak.sort_values(ascending=False, kind="stable").index[:_MAX_SUPPLIERS])
        for i, name in enumerate(names):
            rows = per_year[per_year.index.get_level_values("counterparty") == name]
            years = rows.index.get_level_values("year").to_numpy()
            ax.plot(years, rows["ee"].to_numpy(), color=_colour(i), label=f"{name}")
            if pfe is not None:
                ax.plot(years, rows[pfe].to_numpy(), color=_colour(i), linestyle="--", alpha=0.6)
        ax.set_ylabel("US$ bn")
        ax.grid(True, alpha=0.3)
        ax.set_title(
            f"{strategy}: expected exposure (solid)" + (f", {pfe.upper()} (dashed)" if pfe else "")
        )
        ax.legend(fontsize="small", ncols=2)
        ax.set_ylim(bottom=0.0)
    _year_axis(axes[-1])
    fig.suptitle(title or f"Each supplier's exposure at the year's end, under {result.stress}")
    return fig


def loss_concentration(
    result: ExposureResult,
    *,
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """Horizontal bars: each supplier's expected loss, one bar per bet
    (stacked: their sum is both bets' expected loss), labelled with its
    share of the total.

    Parameters
    ----------
    result
        An :class:`~wager.ExposureResult`.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        US$ bn; the largest combined expected loss at the top.
    """
    conc = result.concentration
    fig = _figure(figsize)
    ax = fig.add_subplot()
    ax.set_title(title or f"Who carries the expected loss, under {result.stress}")
    if conc.empty:
        ax.text(0.5, 0.5, "no supplier: no commitment names a counterparty", ha="center")
        ax.set_axis_off()
        return fig
    names = list(conc.index)[::-1]  # the largest at the top
    y = np.arange(len(names), dtype=float)
    left = np.zeros(len(names))
    for i, strategy in enumerate(result.strategies):
        el = conc[f"el {strategy}"].reindex(names).to_numpy(dtype=float)
        ax.barh(y, el, left=left, color=_colour(i), label=strategy)
        left += el
    total_column = (
        "share combined" if len(result.strategies) > 1 else f"share {result.strategies[0]}"
    )
    shares = conc[total_column].reindex(names).to_numpy(dtype=float)
    for yi, x, s in zip(y, left, shares, strict=True):
        if np.isfinite(s) and x > 0:
            ax.annotate(
                f"{s * 100:.1f}%",
                (x, yi),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize="small",
            )
    ax.set_yticks(y, names)
    ax.set_xlabel("expected loss, US$ bn (label: share of the total)")
    ax.set_xlim(0.0, max(float(left.max()) * 1.15, 1e-9))
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
