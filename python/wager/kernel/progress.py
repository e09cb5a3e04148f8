"""Progress reporting for long runs: a tqdm bar, a callable, or nothing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

__all__ = ["ProgressArg", "progress_callback"]

ProgressArg = bool | Callable[[int, int], object] | None

#: Below this many paths a run is quick: no bar unless asked for.
AUTO_BAR_MIN_PATHS = 200_000


@contextmanager
def progress_callback(
    progress: ProgressArg, total: int, desc: str
) -> Iterator[Callable[[int, int], object] | None]:
    """Yield the callable the core calls between batches with (done, total).

    ``None`` (default) shows a bar on an interactive terminal for long runs;
    ``True`` always shows one; ``False`` shows nothing; a callable receives
    ``(done, total)``.
    """
    if progress is False:
        yield None
        return
    if callable(progress) and not isinstance(progress, bool):
        yield progress
        return
    show = progress is True or (sys.stderr.isatty() and total >= AUTO_BAR_MIN_PATHS)
    if not show:
        yield None
        return
    with tqdm(total=total, desc=desc, unit="path", unit_scale=True, leave=False) as bar:

        def update(done: int, _total: int) -> None:
            bar.update(done - bar.n)

        yield update
