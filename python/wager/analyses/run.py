"""The one run path of every Monte Carlo analysis.

An analysis (simulate, compare, stress, reverse_stress, race, tornado,
sobol) prepares its cells — each a strategy under a stress at a severity,
or a strategy with a design row of input values — then hands them to
:func:`run_cells`, which builds the core's config and runs them all in one
core call on common random numbers: every cell sees the same random world,
path by path. How the run executes (paths, seed, threads, progress, local
threads or Dask) is one :class:`RunOptions`, documented once
(:data:`RUN_PARAMETERS`, spliced into each entry point's docstring by
:func:`documents_run_options`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from wager.compile.prepared import PreparedStrategy
from wager.compile.run_config import simulation_config
from wager.kernel.execution import Backend, run
from wager.kernel.layout import HistogramSpec
from wager.kernel.progress import ProgressArg

__all__ = ["RUN_PARAMETERS", "RunOptions", "documents_run_options", "run_cells"]


@dataclass(frozen=True)
class RunOptions:
    """How a Monte Carlo run executes: never what it computes, except
    ``n_paths`` and ``seed``, which fix the paths (:data:`RUN_PARAMETERS`)."""

    n_paths: int = 10_000
    seed: int = 0
    n_threads: int | None = None
    progress: ProgressArg = False
    batch_paths: int | None = None
    backend: Backend = "local"
    client: Any = None
    chunk_paths: int | None = None


#: The documentation of the run options, written once; each entry point's
#: docstring names the ones it takes as ``{run: name, name, ...}``.
RUN_PARAMETERS = {
    "n_paths": """n_paths
    Number of paths.""",
    "seed": """seed
    The same seed gives bit-identical results whatever ``n_threads``,
    ``batch_paths``, the backend and its chunks. Every cell of one call
    sees the same random numbers: a stress or a design row changes the
    model, not the draws.""",
    "n_threads": """n_threads
    Threads (default: all cores OpenMP sees); on Dask, each task's.""",
    "progress": """progress
    None: a bar on an interactive terminal for long runs; True / False:
    always / never; a callable: receives ``(done, total)`` between batches
    (between chunks on Dask).""",
    "batch_paths": """batch_paths
    Paths per batch between progress reports and Ctrl-C checks. None
    (default): batches start at 65,536 paths and double while a batch
    takes under 0.25 s, so a fast run pauses rarely and a slow one still
    reports and stops within about half a second. Results never depend
    on the batches.""",
    "backend": """backend, client, chunk_paths
    ``"local"`` (threads in this process) or ``"dask"`` (chunks of paths
    on a ``distributed`` cluster: ``client``, or a local cluster if
    None; ``chunk_paths`` per task). The same results, bit for bit
    (``docs/scaling.md``).""",
}

F = TypeVar("F", bound=Callable[..., Any])


def documents_run_options(f: F) -> F:
    """Replace each ``{run: name, ...}`` line of ``f``'s docstring with those
    entries of :data:`RUN_PARAMETERS`, indented as the line is."""
    lines = []
    for line in (f.__doc__ or "").split("\n"):
        stripped = line.strip()
        if stripped.startswith("{run:") and stripped.endswith("}"):
            indent = line[: len(line) - len(line.lstrip())]
            names = [n.strip() for n in stripped[5:-1].split(",")]
            lines += [textwrap.indent(RUN_PARAMETERS[n], indent) for n in names]
        else:
            lines.append(line)
    f.__doc__ = "\n".join(lines)
    return f


def run_cells(
    cells: Sequence[PreparedStrategy],
    options: RunOptions,
    *,
    what: str,
    keep_paths: bool = False,
    histogram: HistogramSpec | None = None,
    world_period: int = 0,
    pairs: Sequence[tuple[int, int]] = (),
) -> dict[str, Any]:
    """Run ``cells`` in one core call on common random numbers.

    Parameters
    ----------
    cells
        Prepared strategies (``compile.prepared``), each under its shocks or
        with its input rows; they share one world.
    options
        How the run executes.
    what
        The progress bar's label.
    keep_paths
        Also return every path's values.
    histogram
        The bins of the statistics (default: a simulation's).
    world_period
        With design rows: paths ``p`` and ``p + world_period`` see the same
        world (0: every path its own).
    pairs
        ``(a, b)``: also accumulate cell b minus cell a, path by path.

    Returns
    -------
    dict
        ``{"strategies": [one merged result per cell], "pairs": [...]}``.
    """
    # BLAS is limited to one thread where wager calls it (the copula's
    # factor, the world's transition root): not around the run, which needs
    # no BLAS, so a call pays nothing for it once those are known.
    config = simulation_config(
        cells,
        n_paths=options.n_paths,
        seed=options.seed,
        n_threads=options.n_threads,
        keep_paths=keep_paths,
        histogram=histogram,
        world_period=world_period,
        pairs=pairs,
    )
    return run(
        config,
        progress=options.progress,
        what=what,
        batch_paths=options.batch_paths,
        backend=options.backend,
        client=options.client,
        chunk_paths=options.chunk_paths,
    )
