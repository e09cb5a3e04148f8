"""What a result offers besides its numbers: ``.plot``, ``.report()`` and a
notebook summary.

The results layer cannot import the presentation layer above it, so the
presentation is handed in: ``wager/__init__.py`` (outside the layers)
registers three functions with :func:`register_presenters`, each importing
what it draws only when called, so matplotlib and jinja2 load only when used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Plottable", "Presentable", "Presenters", "Summarised", "register_presenters"]


@dataclass(frozen=True)
class Presenters:
    """The presentation layer's entry points for results."""

    #: result -> its ``PlotAccessor``.
    plot: Callable[[Any], Any]
    #: (result, path, title) -> the path of the HTML report written.
    report: Callable[[Any, str | os.PathLike[str], str | None], Path]
    #: result -> the HTML a notebook shows.
    summary_html: Callable[[Any], str]


_registered: list[Presenters] = []


def register_presenters(presenters: Presenters) -> None:
    """Give every result its ``.plot``, ``.report()`` and ``_repr_html_``
    (called once, by ``wager/__init__.py``; a later call replaces them)."""
    _registered[:] = [presenters]


def _presenters() -> Presenters:
    if not _registered:  # only if wager/__init__.py did not run: a broken install
        raise RuntimeError("wager's presentation layer is not registered; import wager first")
    return _registered[0]


class Plottable:
    """``result.plot.<kind>()`` returns a matplotlib figure (``wager[plot]``)."""

    @property
    def plot(self) -> Any:
        """The pictures that apply to this result (``wager.plotting.PlotAccessor``;
        see its ``kinds()``)."""
        return _presenters().plot(self)


class Summarised:
    """A notebook summary (``_repr_html_``): the headline, then the key table."""

    def _repr_html_(self) -> str:
        return _presenters().summary_html(self)


class Presentable(Plottable):
    """Plots, a self-contained HTML report and a notebook summary."""

    def report(self, path: str | os.PathLike[str], title: str | None = None) -> Path:
        """Write one self-contained HTML report (tables, pictures, stresses,
        scenarios, manifest) to ``path``, atomically."""
        return _presenters().report(self, path, title)

    def _repr_html_(self) -> str:
        return _presenters().summary_html(self)
