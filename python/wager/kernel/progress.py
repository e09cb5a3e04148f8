"""Progress reporting for long runs: a tqdm bar (a widget in a notebook
with ipywidgets), a callable, or nothing."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = [
    "AUTO_BAR_MIN_SECONDS",
    "PATH_STEPS_PER_SECOND",
    "ProgressArg",
    "interactive",
    "progress_callback",
]

ProgressArg = bool | Callable[[int, int], object] | None

#: The rate behind run-time estimates: path-steps (one path advanced one
#: step) per second per thread. ``docs/performance.md`` measures 5.9 to 12
#: million end to end on one core of an AVX2 machine (tenth session: the
#: presets as shipped with their uncertain inputs, at their medians, with
#: every source of randomness on, with ten uncertain inputs, under a
#: triggered stress); 4 million is below all of them, so that an estimate
#: errs on the long side.
PATH_STEPS_PER_SECOND = 4e6
#: A run expected to take at least this long (seconds) shows a bar by default.
AUTO_BAR_MIN_SECONDS = 2.0


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    kernel = get() if callable(get) else None
    return kernel is not None and type(kernel).__name__ == "ZMQInteractiveShell"


def interactive() -> bool:
    """Whether someone watches: a terminal on standard error, or a Jupyter kernel."""
    return sys.stderr.isatty() or _in_notebook()


def _bar_type() -> Any:
    """A widget bar in a notebook that has ipywidgets, else the text bar
    (tqdm.auto would warn at import where ipywidgets is missing)."""
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as notebook_bar

        return notebook_bar
    from tqdm import tqdm as text_bar

    return text_bar


@contextmanager
def progress_callback(
    progress: ProgressArg, total: int, desc: str, expected_seconds: float = 0.0
) -> Iterator[Callable[[int, int], object] | None]:
    """Yield the callable the core calls between batches with (done, total).

    ``None`` (default) shows a bar when someone watches (a terminal or a
    notebook, :func:`interactive`) and the run is expected to take at least
    :data:`AUTO_BAR_MIN_SECONDS`; ``True`` always shows one; ``False``
    shows nothing; a callable receives ``(done, total)``. The bar's label
    carries the estimate.
    """
    if progress is False:
        yield None
        return
    if callable(progress) and not isinstance(progress, bool):
        yield progress
        return
    long_run = expected_seconds >= AUTO_BAR_MIN_SECONDS
    show = progress is True or (interactive() and long_run)
    if not show:
        yield None
        return
    if expected_seconds >= 1.0:
        desc = f"{desc} (estimate: at most {_duration(expected_seconds)})"
    bar_type = _bar_type()
    with bar_type(total=total, desc=desc, unit="path", unit_scale=True, leave=False) as bar:

        def update(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        yield update


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
