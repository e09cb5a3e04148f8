"""What a result offers besides its numbers: ``.plot``, ``.report()`` and a
notebook summary. Matplotlib and the report load only when used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plotting import PlotAccessor

__all__ = ["Plottable", "Presentable"]


class Plottable:
    """``result.plot.<kind>()`` returns a matplotlib figure (``wager[plot]``)."""

    @property
    def plot(self) -> PlotAccessor:
        """The pictures that apply to this result (see ``PlotAccessor.kinds``)."""
        from .plotting import PlotAccessor

        return PlotAccessor(self)


class Presentable(Plottable):
    """Plots, a self-contained HTML report and a notebook summary."""

    def report(self, path: str | os.PathLike[str], title: str | None = None) -> Path:
        """Write one self-contained HTML report (tables, pictures, stresses,
        scenarios, manifest) to ``path``, atomically."""
        from .report import write_report

        return write_report(self, path, title)  # type: ignore[arg-type]

    def _repr_html_(self) -> str:
        from .report import summary_html

        return summary_html(self)  # type: ignore[arg-type]
