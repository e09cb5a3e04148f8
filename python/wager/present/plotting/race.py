"""The race's payoff matrix: each cell split between lab A's payoff and lab B's."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wager.present.plotting.common import (
    _Z95,
    FIGSIZE,
    _figure,
    _is_probability,
    _money,
    _percent_axis,
    _text_colour,
    _value_label,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The order of a race player's choices on the payoff matrix's axes.
RACE_CHOICES = ("prudent", "aggressive")


def _choices(values: Iterable[Any]) -> list[str]:
    seen = list(dict.fromkeys(str(v) for v in values))
    return [c for c in RACE_CHOICES if c in seen] + [c for c in seen if c not in RACE_CHOICES]


def race_payoff(
    matrix: pd.DataFrame,
    value: str = "terminal_equity_value",
    *,
    equilibria: Sequence[tuple[str, str]] | None = None,
    names: tuple[str, str] = ("A", "B"),
    cmap: str = "viridis",
    figsize: tuple[float, float] = FIGSIZE,
    title: str | None = None,
) -> Figure:
    """The race's payoff matrix: each cell split between lab A's payoff and lab B's.

    Parameters
    ----------
    matrix
        Index (lab A's choice, lab B's choice), each ``prudent`` or
        ``aggressive``; columns ``<value>_a`` and ``<value>_b`` (the labs'
        payoffs) and optionally ``<value>_a_se`` and ``<value>_b_se``.
    value
        The payoff shown: ``terminal_equity_value`` (US$ bn) or a
        probability (a name starting with ``p_`` or containing
        ``probability`` or ``survival``, shown in %).
    equilibria
        (A's choice, B's choice) of the cells to outline as Nash equilibria.
    names
        The labs' names on the axes and in the cells.
    cmap
        The colour map shared by both labs' payoffs.
    figsize
        Inches.
    title
        Replaces the axes' title.

    Returns
    -------
    matplotlib.figure.Figure
        Rows are A's choices, columns B's (prudent first). In each cell the
        lower-left triangle is coloured by A's payoff and labelled
        ``A: value``, the upper-right by B's and labelled ``B: value``, with
        ``± 1.96 se`` when standard errors are given. Equilibria have a thick
        black outline.

    Raises
    ------
    ValueError
        If the matrix lacks the columns or its index is not two levels, or an
        equilibrium names a cell that is not in it.
    """
    fig = _figure(figsize)
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon, Rectangle

    if matrix.index.nlevels != 2:
        raise ValueError(
            "the payoff matrix needs a two-level index (A's choice, B's choice), "
            f"got {matrix.index.nlevels} level(s)"
        )
    cols = [f"{value}_a", f"{value}_b"]
    missing = [c for c in cols if c not in matrix.columns]
    if missing:
        raise ValueError(
            f"the payoff matrix lacks {', '.join(missing)}; columns: {', '.join(matrix.columns)}"
        )
    wanted = [c for c in (*cols, f"{value}_a_se", f"{value}_b_se") if c in matrix.columns]
    cells = {
        (str(key[0]), str(key[1])): {c: float(v) for c, v in zip(wanted, values, strict=True)}
        for key, values in zip(matrix.index, matrix[wanted].to_numpy(dtype=float), strict=True)
    }
    rows = _choices(k[0] for k in cells)
    columns = _choices(k[1] for k in cells)
    marked = [(str(a), str(b)) for a, b in (equilibria or [])]
    for cell in marked:
        if cell not in cells:
            raise ValueError(f"equilibrium {cell} is not a cell of the payoff matrix")
    probability = _is_probability(value)
    payoffs = matrix[cols].to_numpy(dtype=float)
    finite = payoffs[np.isfinite(payoffs)]
    if probability:
        norm = Normalize(0.0, 1.0)
    elif finite.size:
        norm = Normalize(float(finite.min()), float(finite.max()))
    else:
        norm = Normalize(0.0, 1.0)
    colours = colormaps[cmap]
    mappable = ScalarMappable(norm=norm, cmap=colours)

    def fmt(v: float, se: float | None) -> str:
        if not math.isfinite(v):
            return "n/a"
        text = f"{v:.1%}" if probability else _money(v)
        if se is not None and math.isfinite(se):
            text += f"\n± {_Z95 * se:.1%}" if probability else f"\n± {_money(_Z95 * se)}"
        return text

    ax = fig.add_subplot()
    for i, a in enumerate(rows):
        for j, b in enumerate(columns):
            if (a, b) not in cells:
                continue
            row = cells[(a, b)]
            # Rows grow downwards (inverted y): y = i is a cell's top edge, i + 1 its bottom.
            for who, corners, anchor, side in (
                (0, [(j, i), (j, i + 1), (j + 1, i + 1)], (j + 0.3, i + 0.7), "a"),
                (1, [(j, i), (j + 1, i), (j + 1, i + 1)], (j + 0.7, i + 0.3), "b"),
            ):
                v = float(row[cols[who]])
                se_col = f"{value}_{side}_se"
                se = float(row[se_col]) if se_col in row else None
                face = colours(norm(v)) if math.isfinite(v) else (0.9, 0.9, 0.9, 1.0)
                ax.add_patch(Polygon(corners, closed=True, facecolor=face, edgecolor="white"))
                ax.text(
                    *anchor,
                    f"{names[who]}: {fmt(v, se)}",
                    ha="center",
                    va="center",
                    color=_text_colour(face),
                    fontsize="small",
                )
            if (a, b) in marked:
                ax.add_patch(
                    Rectangle(
                        (j + 0.02, i + 0.02),
                        0.96,
                        0.96,
                        fill=False,
                        edgecolor="black",
                        linewidth=3,
                        gid="equilibrium",
                    )
                )
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_aspect("auto")
    ax.set_xticks(np.arange(len(columns)) + 0.5, labels=columns)
    ax.set_yticks(np.arange(len(rows)) + 0.5, labels=rows)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel(f"{names[1]}'s choice")
    ax.set_ylabel(f"{names[0]}'s choice")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    what = _value_label(value, None) if not probability else value.replace("_", " ")
    bar = fig.colorbar(mappable, ax=ax, label=f"expected {what}" if not probability else what)
    if probability:
        _percent_axis(bar.ax)
    if marked:
        ax.legend(
            handles=[Line2D([], [], color="black", linewidth=3, label="Nash equilibrium")],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            fontsize="small",
            frameon=False,
        )
    ax.set_title(title or f"Race payoffs ({names[0]}, {names[1]}): {what.removesuffix(', US$ bn')}")
    return fig
