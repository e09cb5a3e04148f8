"""Two bets' losses to a supplier of both, on the same paths: the coarse
two-dimensional grid of ``ExposureResult.joint_loss`` as one panel per
shared supplier (``docs/exposure.md``, "Both bets")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from wager.present.plotting.common import FIGSIZE, _figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from wager.analyses.exposure_view import ExposureResult

__all__ = ["joint_losses"]

#: Shared suppliers drawn, at most (the largest combined expected loss first).
_MAX_PANELS = 4


def _ticks(top: float) -> tuple[list[float], list[str]]:
    """Ticks of one side: the cell of no loss (``none``), then the loss at
    a quarter, half, ... of the side's bound (bin i spans [i, i + 1])."""
    quarters = [5, 10, 15, 20]
    return [0.5] + [1.0 + q for q in quarters], ["none"] + [f"{top * q / 20:.0f}" for q in quarters]


def joint_losses(
    result: ExposureResult,
    *,
    figsize: tuple[float, float] | None = None,
    title: str | None = None,
) -> Figure:
    """For each supplier of both bets, the share of paths in each cell of
    (loss on bet A, loss on bet B), on a logarithmic colour scale.

    Parameters
    ----------
    result
        An :class:`~wager.ExposureResult` of two bets.
    figsize
        Inches (default: 4.5 wide per panel, at least 6.4; 4.5 high).
    title
        Replaces the figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        At most 4 panels, the shared suppliers of the largest combined
        expected loss; each axis in US$ bn, 20 bins on [0, that bet's
        bound] and a cell for no loss at 0. A figure that says so when no
        supplier serves both bets.
    """
    from matplotlib.colors import LogNorm

    grid = result.joint_loss
    names = [n for n in result.combined_loss.index if n in set(grid.index.get_level_values(0))]
    names = names[:_MAX_PANELS]
    n = max(len(names), 1)
    fig = _figure(figsize or (max(4.5 * n, FIGSIZE[0] * 0.8), FIGSIZE[1]))
    axes = fig.subplots(1, n, squeeze=False)[0]
    if not names:
        axes[0].text(0.5, 0.5, "no supplier serves both bets", ha="center", va="center")
        axes[0].set_axis_off()
    a, b = result.strategies[0], result.strategies[-1]
    for ax, name in zip(axes, names, strict=False):
        cells = grid.loc[name]
        side = 22  # no loss, 20 bins, above the bound
        p = np.full((side, side), np.nan)
        for (ga, gb), prob in cells["probability"].items():
            p[int(gb), int(ga)] = prob  # rows: b's loss, columns: a's
        image = ax.pcolormesh(p, norm=LogNorm(vmin=np.nanmin(p), vmax=1.0), cmap="viridis")
        row = result.combined_loss.loc[name]
        top_a, top_b = float(row["bound_a"]), float(row["bound_b"])
        ax.set_xticks(*_ticks(top_a))
        ax.set_yticks(*_ticks(top_b))
        ax.set_xlabel(f"loss on {a}, US$ bn")
        ax.set_ylabel(f"loss on {b}, US$ bn")
        both = float(row["p_both_lose"]) * 100
        ax.set_title(f"{name}: P(both lose) {both:.2g}%", fontsize="medium")
        fig.colorbar(image, ax=ax, label="share of paths", shrink=0.8)
    fig.suptitle(title or f"Losses of a supplier of both bets, under {result.stress}")
    return fig
